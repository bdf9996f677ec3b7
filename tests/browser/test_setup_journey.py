"""Bringing an existing cooperation in (issue 17), in Chromium against the app under gunicorn: its
administrator sets it up (members, three bodies, two invited users who set their passwords and sign
in), its coordinator imports the activity table from an XLSX file, registers the plan's adoption of
years back with its real meetings, and downloads the adopted plan's PDF."""

import email
import re
import time
from email import policy
from urllib.parse import urlsplit

import openpyxl
from playwright.sync_api import expect
from pypdf import PdfReader

from .helpers import PDF_TIMEOUT, log_in

COOPERATION = "Välfärdsteknik i Östergötland"
PLAN = "Handlingsplan för välfärdsteknik 2016–2017"
PASSWORD = "Ett-långt-lösenord-2026"
# The wait for the worker to send an invitation: never shorter than the work on a loaded machine.
MAIL_TIMEOUT = 120


def invitation_link(mailbox, address: str) -> str:
    """The link in the invitation e-mail to ``address``, once the worker has sent it."""
    deadline = time.monotonic() + MAIL_TIMEOUT
    while time.monotonic() < deadline:
        for path in sorted(mailbox.glob("*.log")) if mailbox.exists() else []:
            for raw in path.read_bytes().split(b"\n" + b"-" * 79 + b"\n"):
                if not raw.strip():
                    continue
                message = email.message_from_bytes(raw.strip(), policy=policy.default)
                if address in str(message["To"]):
                    text = message.get_body(preferencelist=("plain",)).get_content()
                    return re.search(r"https?://\S+/konto/inbjudan/\S+/", text).group(0)
        time.sleep(0.5)
    raise AssertionError(f"no invitation to {address} was sent within {MAIL_TIMEOUT} s")


def admin_menu(page):
    page.get_by_role("navigation", name="Huvudmeny").get_by_role("link", name="Administrera samverkan").click()


def add_body(page, *, name: str, short_name: str, level: str, reports_to: str | None = None):
    page.get_by_role("link", name="Nytt organ").first.click()
    page.get_by_label("Namn (obligatoriskt)").fill(name)
    page.get_by_label("Kortnamn").fill(short_name)
    page.get_by_label("Nivå").select_option(label=level)
    if reports_to:
        page.get_by_label("Rapporterar till").select_option(label=reports_to)
    page.get_by_role("button", name="Spara").click()
    expect(page.get_by_text(name).first).to_be_visible()


def invite(page, *, address: str, organisation: str, role: str):
    page.get_by_role("link", name="Bjud in en användare").first.click()
    page.get_by_label("E-postadress").fill(address)
    page.get_by_label("Organisation").select_option(label=organisation)
    page.get_by_label("Roll").select_option(label=role)
    page.get_by_role("button", name="Skicka inbjudan").click()
    expect(page.get_by_text(address).first).to_be_visible()


def accept(browser, live_url, address: str, link: str, *, first: str, last: str):
    """The invitee opens the link in their own browser, sets name and password, and is signed in."""
    context = browser.new_context(base_url=live_url, locale="sv-SE")
    page = context.new_page()
    page.goto(urlsplit(link).path)  # the link is absolute (EHALSA_SITE_URL): the same server
    page.get_by_label("Förnamn").fill(first)
    page.get_by_label("Efternamn").fill(last)
    page.get_by_label("Lösenord (obligatoriskt)").fill(PASSWORD)
    page.get_by_label("Lösenord igen").fill(PASSWORD)
    page.get_by_role("button", name="Skapa mitt konto").click()
    expect(page.get_by_role("button", name="Logga ut")).to_be_visible()
    expect(page.get_by_text(f"{first} {last}").first).to_be_visible()
    # Later, they sign in with their address and the password they chose.
    page.get_by_role("button", name="Logga ut").click()
    page.get_by_role("link", name="Logga in").click()
    page.get_by_label("Användarnamn").fill(address)
    page.get_by_label("Lösenord").fill(PASSWORD)
    page.get_by_role("button", name="Logga in").click()
    expect(page.get_by_text(f"Inloggad som {first} {last}")).to_be_visible()
    return context, page


def test_an_administrator_sets_up_a_cooperation_and_its_coordinator_registers_an_old_plan(
    page, browser, live_url, mailbox, tmp_path
):
    # The administrator: the cooperation, its members, its bodies and its people.
    log_in(page, "forvaltare")
    admin_menu(page)
    page.get_by_role("link", name="Ny samverkan").click()
    page.get_by_label("Namn (obligatoriskt)").fill(COOPERATION)
    page.get_by_label("Kortnamn").fill("Välfärdsteknik ÖG")
    page.get_by_label("Län").select_option(label="Östergötlands län")
    page.get_by_label("Huvudorganisation").select_option(label="Region Östergötland")
    page.get_by_role("button", name="Skapa samverkan").click()
    for municipality in ("Linköpings kommun", "Mjölby kommun", "Motala kommun"):
        page.get_by_role("checkbox", name=re.compile(municipality)).check()
    page.get_by_role("button", name="Spara medlemmarna").click()
    expect(page.get_by_text("Medlemmarna sparades").first).to_be_visible()
    page.get_by_role("link", name="Tillbaka till samverkan").first.click()

    add_body(page, name="Politiska samrådet för välfärdsteknik", short_name="PSV", level="Politisk ledning")
    add_body(
        page,
        name="Styrgruppen för välfärdsteknik",
        short_name="SGV",
        level="Strategisk ledning",
        reports_to="Politiska samrådet för välfärdsteknik (PSV) – Välfärdsteknik ÖG",
    )
    add_body(
        page,
        name="Arbetsgruppen för välfärdsteknik",
        short_name="AGV",
        level="Operativ ledning",
        reports_to="Styrgruppen för välfärdsteknik (SGV) – Välfärdsteknik ÖG",
    )

    page.get_by_role("link", name="Användare och inbjudningar").click()
    invite(page, address="karin.lind@example.se", organisation="Region Östergötland", role="E-hälsosamordnare")
    invite(page, address="olle.berg@example.se", organisation="Motala kommun", role="Tjänsteman")

    # The two invitees set their passwords from the e-mails and are signed in.
    official, _ = accept(
        browser,
        live_url,
        "olle.berg@example.se",
        invitation_link(mailbox, "olle.berg@example.se"),
        first="Olle",
        last="Berg",
    )
    official.close()
    coordinator, karin = accept(
        browser,
        live_url,
        "karin.lind@example.se",
        invitation_link(mailbox, "karin.lind@example.se"),
        first="Karin",
        last="Lind",
    )
    assert not page.problems, page.problems
    try:
        register_the_old_plan(karin, tmp_path)
    finally:
        coordinator.close()


def activity_table(path):
    """The plan's activity table as the cooperation kept it in Excel: a title row, a merged heading,
    effort as written."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["Handlingsplan för välfärdsteknik 2016–2017"])
    sheet.merge_cells("A1:F1")
    sheet.append([])
    sheet.append(["Nr", "Aktivitet", "Innehåll", "Ansvarig", "Tidsperiod", "Finansiering"])
    sheet.append(
        [
            1,
            "Trygghetslarm i digital miljö",
            "Byta alla analoga larm mot digitala.",
            "Motala kommun",
            "2016–2017",
            "24 timmar/ person",
        ]
    )
    sheet.append(
        [2, "Nattillsyn med kamera", "Pilot i ett särskilt boende.", "Linköpings kommun", "2017", "Egen uträkning"]
    )
    sheet.append(
        [3, "Kompetens i välfärdsteknik", "Utbildning för all personal.", "Region Östergötland", "2016", "120 timmar"]
    )
    book.save(path)
    return path


def register_the_old_plan(page, tmp_path):
    """The coordinator writes in the plan adopted in 2016: its table imported from Excel, its route
    and its decisions with their real dates; the plan says it was registered afterwards."""
    page.goto("/")
    page.get_by_role("link", name="Ny handlingsplan").first.click()
    page.get_by_label("Samverkan").select_option(label=COOPERATION)
    page.get_by_label("Titel (obligatoriskt)").fill(PLAN)
    page.get_by_label("Första år").fill("2016")
    page.get_by_label("Sista år").fill("2017")
    page.get_by_role("button", name="Spara").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(PLAN)
    plan_url = page.url

    page.get_by_role("link", name="Importera aktiviteter från Excel").click()
    page.get_by_label("Fil").set_input_files(activity_table(tmp_path / "aktiviteter.xlsx"))
    page.get_by_role("button", name="Ladda upp och läs filen").click()
    page.get_by_role("button", name="Kontrollera raderna").click()  # once the worker has read the file
    page.get_by_role("button", name=re.compile("^Importera 3 aktiviteter")).click()  # once checked: no errors
    page.get_by_role("link", name="Se dem i planen").click()  # once imported
    for title in ("Trygghetslarm i digital miljö", "Nattillsyn med kamera", "Kompetens i välfärdsteknik"):
        expect(page.get_by_role("link", name=re.compile(title)).first).to_be_visible()
    expect(page.get_by_text("Egen uträkning").first).to_be_visible()

    page.goto(plan_url)
    page.get_by_role("link", name="Skicka för antagande").click()
    for body in (
        "Arbetsgruppen för välfärdsteknik (AGV)",
        "Styrgruppen för välfärdsteknik (SGV)",
        "Politiska samrådet för välfärdsteknik (PSV)",
    ):
        page.get_by_label(body).check()
    # Listed strategic level first: the working group is moved up to decide first, the political body last.
    order = page.locator(".route-list label").all_inner_texts()
    for _step in range(order.index("Arbetsgruppen för välfärdsteknik (AGV)")):
        page.get_by_role("button", name="Upp – Arbetsgruppen för välfärdsteknik (AGV)").click()
    order = page.locator(".route-list label").all_inner_texts()
    for _step in range(order.index("Styrgruppen för välfärdsteknik (SGV)") - 1):
        page.get_by_role("button", name="Upp – Styrgruppen för välfärdsteknik (SGV)").click()
    page.get_by_role("button", name="Skicka för antagande").click()
    expect(page.get_by_text("ute för antagande", exact=False).first).to_be_visible()

    # The decisions of 2016, each at its real meeting, the last one adopting the plan.
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Antagande: {PLAN}")  # where sending leads
    adoption_url = page.url
    for body, day, kind in (
        ("Arbetsgruppen för välfärdsteknik (AGV)", "2016-01-28", "Lämna förslag till annat organ"),
        ("Styrgruppen för välfärdsteknik (SGV)", "2016-02-18", "Lämna förslag till annat organ"),
        ("Politiska samrådet för välfärdsteknik (PSV)", "2016-03-10", "Anta"),
    ):
        page.goto(adoption_url)
        page.get_by_role("link", name="Registrera beslut").click()
        page.get_by_label("Organ (obligatoriskt)").select_option(label=body)
        page.get_by_label("Sammanträdesdatum").fill(day)
        page.get_by_label("Beslut (obligatoriskt)").select_option(label=kind)
        page.get_by_label("Beslutstext").fill(f"{body} beslutade om handlingsplanen.")
        page.get_by_role("button", name="Registrera beslutet").click()
        expect(page.get_by_text(day).first).to_be_visible()
    page.goto(plan_url)
    expect(page.get_by_text("Registrerad i efterhand").first).to_be_visible()
    expect(page.get_by_text("Antogs 2016-03-10").first).to_be_visible()
    expect(page.get_by_text("antagandet registrerades av Karin Lind").first).to_be_visible()

    # The adopted plan's PDF, made by the worker.
    download_link = page.get_by_role("link", name="Ladda ner som PDF")
    deadline = time.monotonic() + PDF_TIMEOUT / 1000
    while not download_link.is_visible():  # "PDF:en skapas …" until the worker has made it
        assert time.monotonic() < deadline, "the adopted plan's PDF was not made in time"
        time.sleep(1)
        page.reload()
    with page.expect_download() as download_info:
        download_link.click()
    text = "".join(page_.extract_text() for page_ in PdfReader(download_info.value.path()).pages)
    assert PLAN in text and "Trygghetslarm i digital miljö" in text and "2016-03-10" in text
