"""The four journeys of the product's users, in Chromium against the app under gunicorn."""

import io
import re

import openpyxl
from django.utils import timezone
from playwright.sync_api import expect

from .helpers import PDF_TIMEOUT, add_cost, log_in

ADOPTED_2016 = "Handlingsplan för ehälsa i Östergötland 2016-2017"


def open_plan_list(page):
    """The plan list from the main menu (the site's title, "Handlingsplaner för e-hälsa", leads home)."""
    page.get_by_role("navigation", name="Huvudmeny").get_by_role("link", name="Handlingsplaner", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Handlingsplaner")


def test_coordinator_writes_the_next_plan_and_sends_it_for_adoption(page):
    log_in(page, "samordnare")
    open_plan_list(page)
    page.get_by_role("main").get_by_role("link", name=ADOPTED_2016).first.click()
    page.get_by_role("button", name="Ny plan för nästa period").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("2018")
    plan_url = page.url

    page.get_by_role("link", name="Ny aktivitet").click()
    page.get_by_label("Aktivitet", exact=False).first.fill("Digitala signeringar i hemtjänsten")
    page.get_by_label("Innehåll").fill("Införa digital signering av insatser i hemtjänsten i alla kommuner.")
    page.get_by_role("button", name="Spara").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Digitala signeringar i hemtjänsten")

    page.goto(plan_url)
    page.get_by_role("link", name="Budget").first.click()
    page.get_by_role("link", name="Ny budgetrad").click()
    add_cost(page, year="2018", description="Utbildning i digital signering", amount="125 000")
    line = page.get_by_role("row", name=re.compile("Utbildning i digital signering"))
    expect(line).to_contain_text("125 000")

    page.goto(plan_url)  # the draft as PDF, made by the worker while the page waits (no script)
    page.get_by_role("button", name="Skapa PDF").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Planen som PDF")
    download_link = page.get_by_role("link", name="Ladda ner PDF:en")
    expect(download_link.or_(page.get_by_text("PDF:en skapas …"))).to_be_visible()
    expect(download_link).to_be_visible(timeout=PDF_TIMEOUT)  # the page reloads itself until then
    with page.expect_download() as download_info:
        download_link.click()
    assert download_info.value.suggested_filename.endswith("-utkast.pdf")
    with open(download_info.value.path(), "rb") as pdf:
        assert pdf.read(4) == b"%PDF"

    page.goto(plan_url)
    page.get_by_role("link", name="Skicka för antagande").click()
    # The 2016–2017 plan's route is ticked to start with; this plan skips LGVO and goes network → SSVO.
    expect(page.get_by_label("Ledningsgrupp för vård och omsorg (LGVO)")).to_be_checked()
    page.get_by_label("Ledningsgrupp för vård och omsorg (LGVO)").uncheck()
    page.get_by_role("button", name="Ned – Nätverket för ehälsa").click()  # the form comes back, choices kept
    expect(page.get_by_label("Ledningsgrupp för vård och omsorg (LGVO)")).not_to_be_checked()
    page.get_by_role("button", name="Upp – Nätverket för ehälsa").click()
    expect(page.get_by_role("heading", name="Texter att granska")).to_be_visible()
    page.get_by_role("button", name="Skicka för antagande").click()
    expect(page.get_by_text("Granska dem, eller kryssa i").first).to_be_visible()  # copied texts unreviewed
    page.get_by_label("Skicka ändå").check()
    page.get_by_role("button", name="Skicka för antagande").click()
    expect(page.get_by_text("ute för antagande", exact=False).first).to_be_visible()
    expect(page.get_by_role("row", name=re.compile("Nätverket för ehälsa"))).to_be_visible()
    expect(page.get_by_role("row", name=re.compile("LGVO|Ledningsgrupp"))).to_have_count(0)
    assert not page.problems, page.problems


def test_official_records_their_municipalitys_adoption(page):
    log_in(page, "tjansteman")
    awaiting = page.get_by_role("region", name="Det här väntar på dig")
    expect(awaiting).to_contain_text(ADOPTED_2016)
    plan_item = awaiting.get_by_role("listitem").filter(has_text=ADOPTED_2016)
    share_link = page.get_by_role("link", name="andel av kostnaden för Mjölby kommun")
    plan_share = awaiting.get_by_role("listitem").filter(has_text=ADOPTED_2016).filter(has=share_link)
    # Mjölby's share per year is on the start page, and the link leads to its row.
    expect(plan_share).to_contain_text(re.compile(r"2016 177\s197\s?kr"))
    plan_share.get_by_role("link", name="andel av kostnaden för Mjölby kommun").click()
    share = page.get_by_role("row", name=re.compile("Mjölby kommun"))
    expect(share).to_contain_text("din kommun")
    expect(share).to_contain_text("%")

    page.go_back()
    plan_item.get_by_role("link", name="registrera beslut").click()
    organ = page.get_by_label("Organ")
    organ.select_option(index=1)
    page.get_by_label(re.compile(r"^Beslut\b")).select_option("adopt")
    page.get_by_label("Sammanträdesdatum").fill(timezone.localdate().isoformat())
    page.get_by_label("Paragraf (§)").fill("142")
    page.get_by_label("Beslutstext").fill("Kommunstyrelsen antar handlingsplanen.")
    page.get_by_role("button", name="Registrera beslutet").click()
    expect(page.get_by_role("cell", name="142", exact=True)).to_be_visible()  # the excerpt's §
    page.goto("/")
    expect(awaiting.get_by_role("link", name=re.compile(r"^Kommunstyrelsen \d{4}-\d\d-\d\d § 142$"))).to_be_visible()
    still_awaiting = awaiting.get_by_role("listitem").filter(has_text=ADOPTED_2016)
    expect(still_awaiting.filter(has=page.get_by_role("link", name="registrera beslut"))).to_have_count(0)
    assert not page.problems, page.problems


def test_official_records_their_municipalitys_status_on_an_every_member_activity(page):
    log_in(page, "tjansteman")
    open_plan_list(page)
    page.get_by_role("main").get_by_role("link", name=ADOPTED_2016).first.click()
    plan_url = page.url
    matrix = page.get_by_role("region", name="Aktiviteter × kommuner")
    expect(page.locator("#status-per-kommun")).to_contain_text("3 av 13 kommuner har infört")
    matrix.get_by_role("link", name=re.compile("Nationell Patientöversikt")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("1. Nationell Patientöversikt (NPÖ) 2.0")

    form = page.locator("form").filter(has=page.get_by_role("heading", name="Registrera status för Mjölby kommun"))
    form.get_by_label("Status").select_option(label="Infört")
    form.get_by_label("Datum").fill("2017-05-02")
    form.get_by_label("Kommentar").fill("Producent i NPÖ sedan maj 2017.")
    form.get_by_role("button", name="Registrera statusen").click()
    expect(page.get_by_text("Statusen för Mjölby kommun registrerades: infört.")).to_be_visible()
    mjolby = page.get_by_role("row", name=re.compile("Mjölby kommun"))
    expect(mjolby).to_contain_text("Infört")
    expect(mjolby).to_contain_text("Producent i NPÖ sedan maj 2017.")

    page.goto(plan_url)
    expect(page.locator("#status-per-kommun")).to_contain_text("4 av 13 kommuner har infört")
    headers = matrix.get_by_role("columnheader").all_inner_texts()
    cells = matrix.get_by_role("row").nth(1).get_by_role("cell").all_inner_texts()
    # The first column heads the row headers (the activities); each member's column holds its cell.
    assert " ".join(cells[headers.index("Mjölby kommun") - 1].split()) == "✓ Infört 2017-05-02"
    assert not page.problems, page.problems


def test_secretary_exports_the_adopted_plan_as_a_protocol_appendix(page):
    log_in(page, "sekreterare")
    open_plan_list(page)
    page.get_by_role("main").get_by_role("link", name=ADOPTED_2016).first.click()
    page.get_by_role("link", name="PDF till protokoll (bilagestämpel)").click()
    with page.expect_download(timeout=PDF_TIMEOUT) as download_info:  # rendered for this download
        page.get_by_role("button", name=re.compile("PDF")).click()
    download = download_info.value
    assert download.suggested_filename.endswith(".pdf")
    with open(download.path(), "rb") as pdf:
        assert pdf.read(4) == b"%PDF"
    assert not page.problems, page.problems


def test_anonymous_reader_reads_searches_and_exports(page):
    page.goto("/")
    open_plan_list(page)
    page.get_by_role("main").get_by_role("link", name=ADOPTED_2016).first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text(ADOPTED_2016)
    expect(page.get_by_text("Antagen").first).to_be_visible()

    page.get_by_role("link", name="Aktiviteter").first.click()
    page.get_by_label("Sök").fill("trygghet")
    page.get_by_role("button", name="Filtrera").click()
    expect(page.get_by_role("status")).to_have_text(re.compile(r"^[1-9]\d* aktivitet"))
    expect(
        page.get_by_role("link", name="Trygghet, service och delaktighet i hemmet genom digital teknik")
    ).to_be_visible()

    with page.expect_download() as download_info:
        page.get_by_role("link", name="XLSX").click()
    download = download_info.value
    workbook = openpyxl.load_workbook(io.BytesIO(open(download.path(), "rb").read()))
    values = [cell for row in workbook.active.iter_rows(values_only=True) for cell in row if isinstance(cell, str)]
    assert "Trygghet, service och delaktighet i hemmet genom digital teknik" in values
    assert not page.problems, page.problems


TEMPLATE_003 = "Handlingsplan för e-hälsa – förslag till kommunerna i Västra Götaland"


def test_official_makes_the_local_plan_from_the_template_and_the_region_sees_it(page):
    log_in(page, "kommunen")  # an official of Ale, a VästKom member without a local plan
    open_plan_list(page)
    page.get_by_role("main").get_by_role("link", name=TEMPLATE_003, exact=True).click()
    page.get_by_role("link", name="Gör kommunens lokala plan utifrån mallen").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Gör kommunens lokala plan")

    activity_14 = page.get_by_role("group", name=re.compile(r"^14 – Genomföra informationsklassning"))
    activity_14.get_by_role("radio", name="Tas inte med").check()
    activity_14.get_by_label("Varför den inte tas med (aktivitet 14)").fill("Klassningen gjordes 2016.")
    activity_3 = page.get_by_role("group", name=re.compile(r"^3 – Säkerställa åtkomst till internet"))
    activity_3.get_by_role("radio", name="Tas med lokala ändringar").check()
    activity_3.get_by_text("Lokala ändringar (när den tas med lokala ändringar)").click()
    activity_3.get_by_label("Insats (timmar)").fill("120")
    page.get_by_role("button", name="Gör den lokala planen").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("lokal plan för Ale")
    choices = page.get_by_role("region", name="Mallens aktiviteter i den lokala planen")
    expect(choices.get_by_role("row", name=re.compile("Genomföra informationsklassning"))).to_contain_text(
        "Klassningen gjordes 2016."
    )
    local_url = page.url

    page.get_by_role("link", name="Skicka för antagande").click()
    page.get_by_label("Socialnämnden").check()
    page.get_by_role("button", name="Skicka för antagande").click()
    expect(page.get_by_text("ute för antagande", exact=False).first).to_be_visible()
    page.get_by_role("link", name="Registrera beslut").click()  # on the adoption status the sending led to
    page.get_by_label("Organ").select_option(label="Socialnämnden")
    page.get_by_label(re.compile(r"^Beslut\b")).select_option("adopt")
    page.get_by_label("Sammanträdesdatum").fill(timezone.localdate().isoformat())
    page.get_by_label("Paragraf (§)").fill("61")
    page.get_by_label("Beslutstext").fill("Socialnämnden antar den lokala handlingsplanen.")
    page.get_by_role("button", name="Registrera beslutet").click()
    expect(page.get_by_role("cell", name="61", exact=True)).to_be_visible()  # the excerpt's §

    page.goto("/")
    open_plan_list(page)
    page.get_by_role("main").get_by_role("link", name=TEMPLATE_003, exact=True).click()
    page.get_by_role("link", name="Kommunernas val").click()
    expect(page.locator("#sammanfattning")).to_have_text(
        "4 av 49 kommuner har antagit en lokal plan; aktivitet 14 har valts bort av 1."
    )
    page.get_by_label("Kommun", exact=True).select_option(label="Ale kommun")
    page.get_by_role("button", name="Filtrera").click()
    matrix = page.get_by_role("region", name="Aktiviteter × kommuner")
    expect(matrix.get_by_role("row", name=re.compile("Genomföra informationsklassning"))).to_contain_text("✗ Bortvald")
    expect(matrix.get_by_role("row", name=re.compile("Säkerställa åtkomst till internet"))).to_contain_text(
        "✎ Med lokala ändringar"
    )
    deviations = page.get_by_role("region", name="Avvikelser från mallen")
    expect(deviations.get_by_role("row", name=re.compile("Säkerställa åtkomst"))).to_contain_text("120 h")
    template_url = page.url.split("kommunernas-val/")[0]

    # Mölndal's body decides; then VästKom revises its template with a new activity and adopts it again.
    page.get_by_role("button", name="Logga ut").click()
    log_in(page, "admin")
    page.goto(template_url + "kommunernas-val/")
    page.get_by_role("link", name=re.compile("lokal plan för Mölndal")).click()
    page.goto(page.url + "antagande/")
    record_adoption(page, "Vård- och omsorgsnämnden")
    page.goto(template_url)
    page.get_by_role("link", name="Revidera planen").click()
    page.get_by_label("Skäl till revideringen").fill("Tillsyn nattetid i den nationella strategin.")
    page.get_by_role("button", name="Påbörja revideringen").click()
    revision_url = page.url
    page.get_by_role("link", name="Ny aktivitet").click()
    page.get_by_label("Aktivitet", exact=False).first.fill("Införa digital nattillsyn")
    page.get_by_role("button", name="Spara").click()
    page.goto(revision_url)
    page.get_by_role("link", name="Skicka för antagande").click()
    expect(page.get_by_label("Regionala arbetsgruppen")).to_be_checked()  # the route the template took before
    page.get_by_role("button", name="Skicka för antagande").click()
    record_adoption(page, "Regionala arbetsgruppen")

    # Ale's local plan shows the change; a revision of it takes the new activity over.
    page.get_by_role("button", name="Logga ut").click()
    log_in(page, "kommunen")
    page.goto(local_url)
    expect(page.get_by_text("Mallen har reviderats (version 2")).to_be_visible()
    page.get_by_role("link", name="Vad som ändrats i mallen").click()
    expect(page.get_by_role("row", name=re.compile("Införa digital nattillsyn"))).to_contain_text("Ny i mallen")
    page.get_by_role("link", name="Revidera planen").click()
    page.get_by_label("Skäl till revideringen").fill("Mallen har reviderats.")
    page.get_by_role("button", name="Påbörja revideringen").click()
    page.get_by_role("link", name="Vad som ändrats i mallen").click()
    page.get_by_label("Ta över: Införa digital nattillsyn").check()
    page.get_by_role("button", name="Ta över de valda ändringarna").click()
    expect(page.get_by_text("den lokala planen följer nu version 2")).to_be_visible()
    expect(page.get_by_role("link", name="Införa digital nattillsyn").first).to_be_visible()
    assert not page.problems, page.problems


def record_adoption(page, body: str) -> None:
    """On a plan's adoption status: record that ``body`` adopted it today."""
    page.get_by_role("link", name="Registrera beslut").click()
    page.get_by_label("Organ").select_option(label=body)
    page.get_by_label(re.compile(r"^Beslut\b")).select_option("adopt")
    page.get_by_label("Sammanträdesdatum").fill(timezone.localdate().isoformat())
    page.get_by_label("Beslutstext").fill("Antas.")
    page.get_by_role("button", name="Registrera beslutet").click()
    expect(page.get_by_role("status")).to_contain_text("Beslutet registrerades.")
