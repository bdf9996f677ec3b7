"""The yearly follow-up report in Chromium: the coordinator records progress on the adopted 2016–2017
plan and compiles the 2016 report, sends it to LGVO and SSVO and records their decisions, which freeze
it; a worker makes its PDF; the committee secretary downloads it stamped as an appendix. Every page
of the way is checked with axe."""

import io
import re

from django.utils import timezone
from playwright.sync_api import expect
from pypdf import PdfReader

from .helpers import PDF_TIMEOUT, log_in
from .test_accessibility import Audit

ADOPTED_2016 = "Handlingsplan för ehälsa i Östergötland 2016-2017"


def open_adopted_plan(page):
    page.get_by_role("navigation", name="Huvudmeny").get_by_role("link", name="Handlingsplaner", exact=True).click()
    page.get_by_role("main").get_by_role("link", name=ADOPTED_2016).first.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(ADOPTED_2016)


def record_decision(page, audit, *, body: str, paragraph: str, text: str):
    page.get_by_role("link", name="Registrera beslut").click()
    audit.check()
    page.get_by_label("Organ").select_option(label=body)
    page.get_by_label("Sammanträdesdatum").fill(timezone.localdate().isoformat())
    page.get_by_label("Paragraf (§)").fill(paragraph)
    page.get_by_label("Diarienummer").fill(f"{paragraph}/2017")
    page.get_by_role("combobox", name=re.compile("^Beslut")).select_option(label="Lägga till handlingarna")
    page.get_by_label("Beslutstext").fill(text)
    page.get_by_role("button", name="Registrera beslutet").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Årlig uppföljning 2016")


def test_coordinator_compiles_the_2016_report_and_the_secretary_downloads_its_appendix(page):
    audit = Audit(page)
    log_in(page, "samordnare")
    open_adopted_plan(page)
    plan_url = page.url

    # Progress for 2016 on activity 2, then the report.
    page.get_by_role("main").get_by_role("link", name="Samordnad vårdplanering", exact=True).first.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Samordnad vårdplanering")
    page.get_by_role("link", name="Registrera uppföljning").click()
    page.get_by_label("År").fill("2016")
    page.get_by_label("Fas").select_option(label="Genomförd")
    page.get_by_label("Kommentar").fill("Cosmic Link är infört i alla kommuner.")
    page.get_by_role("button", name="Spara").click()
    expect(page.get_by_text("Cosmic Link är infört i alla kommuner.").first).to_be_visible()

    page.goto(plan_url)
    page.get_by_role("link", name="Uppföljningar").click()
    audit.check()
    page.get_by_role("link", name="Sammanställ årlig uppföljning").click()
    page.get_by_label("År").fill("2019")
    page.get_by_role("button", name="Sammanställ uppföljningen").click()
    expect(page.get_by_text("Året måste ligga inom planens period, 2016–2017.").first).to_be_visible()
    audit.check()  # the form with its error
    page.get_by_label("År").fill("2016")
    page.get_by_role("button", name="Sammanställ uppföljningen").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Årlig uppföljning 2016")
    progress = page.get_by_role("row", name=re.compile("Samordnad vårdplanering"))
    expect(progress).to_contain_text("Genomförd")
    expect(progress).to_contain_text("Cosmic Link är infört i alla kommuner.")
    audit.check()

    page.get_by_role("link", name="Redigera sammanfattningen").click()
    page.get_by_label("Sammanfattning").fill("Samordnad vårdplanering med Cosmic Link är införd i hela länet.")
    page.get_by_role("button", name="Spara").click()
    page.get_by_role("link", name="Skicka uppföljningen").click()
    audit.check()
    expect(page.get_by_label("Ledningsgrupp för vård och omsorg (LGVO)")).to_be_checked()  # as the last report went
    expect(page.get_by_label("Sakområdessamråd vård och omsorg (SSVO)")).to_be_checked()
    page.get_by_role("button", name="Skicka uppföljningen").click()
    expect(page.get_by_text("Uppföljningen är skickad till")).to_be_visible()
    report_url = page.url

    record_decision(
        page,
        audit,
        body="Ledningsgrupp för vård och omsorg (LGVO)",
        paragraph="31",
        text="LGVO lägger uppföljningen till handlingarna.",
    )
    expect(page.get_by_text("Det fastställde uppföljningen")).to_be_visible()
    record_decision(
        page,
        audit,
        body="Sakområdessamråd vård och omsorg (SSVO)",
        paragraph="12",
        text="SSVO lägger uppföljningen till handlingarna.",
    )
    expect(page.get_by_role("link", name="Redigera sammanfattningen")).to_have_count(0)  # frozen
    audit.check()
    page.get_by_role("button", name="Logga ut").click()

    log_in(page, "sekreterare")
    page.goto(report_url)
    appendix = page.get_by_role("link", name="PDF med bilagestämpel för SSVO")
    deadline = timezone.now() + timezone.timedelta(milliseconds=PDF_TIMEOUT)
    while not appendix.is_visible() and timezone.now() < deadline:  # the worker makes it meanwhile
        page.wait_for_timeout(2000)
        page.reload()
    audit.check()
    with page.expect_download() as download_info:
        appendix.click()
    download = download_info.value
    assert download.suggested_filename.startswith("bilaga-ssvo-") and download.suggested_filename.endswith(
        "-p12-uppfoljning-2016-handlingsplan-ehalsa-ostergotland-2016-2017.pdf"
    )
    with open(download.path(), "rb") as pdf:
        reader = PdfReader(io.BytesIO(pdf.read()))
    first = " ".join(reader.pages[0].extract_text().split())
    assert f"Bilaga till Sakområdessamråd vård och omsorg {timezone.localdate():%Y-%m-%d} § 12, Dnr 12/2017" in first
    assert "Årlig uppföljning 2016" in first
    audit.assert_clean()
