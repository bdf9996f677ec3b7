"""WCAG 2.1 A and AA, checked by axe-core in Chromium on every main page, every form (empty and
with errors) and the error pages; and the coordinator's activity form completed by keyboard alone."""

import re

import pytest
from django.template.loader import render_to_string
from django.test import RequestFactory
from playwright.sync_api import expect

from .conftest import AXE
from .helpers import add_cost, log_in

WCAG_21_AA = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}}
ADOPTED_2016 = "Handlingsplan för ehälsa i Östergötland 2016-2017"
VASTKOM = "Handlingsplan för e-hälsa – förslag till kommunerna i Västra Götaland"


class Audit:
    """Runs axe on page after page and keeps every violation, named by page."""

    def __init__(self, page):
        self.page = page
        self.source = AXE.read_text(encoding="utf-8")
        self.failures = []
        self.pages = 0

    def check(self, url=None, *, status=200):
        if url is not None:
            response = self.page.goto(url)
            assert response.status == status, f"{url}: {response.status}"
            if status != 200:  # the answer this check asked for is no problem
                self.page.problems.remove(f"{status} {response.url}")
        self.page.wait_for_load_state()  # after a click the new page may still be arriving
        if not self.page.evaluate("() => typeof window.axe === 'object'"):
            self.page.evaluate(self.source)
        result = self.page.evaluate("options => axe.run(document, options)", WCAG_21_AA)
        assert result["passes"], f"axe checked nothing on {self.page.url}"
        self.pages += 1
        for violation in result["violations"]:
            targets = ", ".join(str(node["target"][0]) for node in violation["nodes"][:5])
            self.failures.append(f"{self.page.url}: {violation['id']} – {violation['help']} [{targets}]")

    def href(self, pattern: str) -> str:
        """The first link on the current page whose address matches ``pattern``."""
        self.page.wait_for_load_state()  # after a click the new page may still be arriving
        for href in self.page.locator("a[href]").evaluate_all("links => links.map(a => a.getAttribute('href'))"):
            if re.search(pattern, href):
                return href
        raise AssertionError(f"no link matching {pattern} on {self.page.url}")

    def assert_clean(self):
        assert self.pages > 0
        assert not self.failures, "\n".join(self.failures)
        assert not self.page.problems, self.page.problems


def serve(html):
    return lambda route, request: route.fulfill(body=html, content_type="text/html; charset=utf-8")


@pytest.fixture
def audit(page):
    return Audit(page)


def test_public_pages(page, audit):
    audit.check("/")
    audit.check("/planer/")
    page.get_by_role("main").get_by_role("link", name=ADOPTED_2016).first.click()
    audit.check()
    plan = page.url
    audit.check(audit.href(r"/planer/\d+/lika/$"))
    audit.check(audit.href(r"/planer/samverkan/\d+/lika/$"))
    page.goto(plan)
    audit.check(audit.href(r"^/aktiviteter/\d+/$"))
    page.goto(plan)
    audit.check(plan + "budget/")
    audit.check(plan + "antagande/")
    audit.check(audit.href(r"^/beslut/\d+/$"))
    audit.check(plan + "jamfor/")
    page.goto(plan)
    audit.check(audit.href(r"^/aktiviteter/plan/\d+/matt/$"))  # the plan's measures, tables and charts
    audit.check(plan + "bilaga/")
    audit.check(plan + "pdf/status/")  # the adopted PDF, stored: ready to download
    audit.check("/aktiviteter/")
    audit.check("/aktiviteter/?q=trygghet&status=ongoing")
    audit.check("/planer/")
    page.get_by_role("main").get_by_role("link", name=VASTKOM, exact=True).click()
    audit.check(audit.href(r"/planer/\d+/kommunernas-val/$"))  # the municipalities' choices on the template
    page.get_by_role("link", name=re.compile("lokal plan för")).first.click()  # a municipality's local plan
    audit.check()
    audit.check("/organ/")
    audit.check(audit.href(r"^/organ/\d+/$"))
    audit.check("/konto/logga-in/")
    page.get_by_label("Användarnamn").fill("ingen-sadan")
    page.get_by_label("Lösenord").fill("fel")
    page.get_by_role("button", name="Logga in").click()
    expect(page.get_by_role("alert")).to_be_visible()
    audit.check()
    audit.check("/finns-inte/", status=404)
    audit.assert_clean()


def test_error_pages_that_cannot_be_provoked_safely(page, audit, live_url, collected_static, settings):
    """The lock-out page (provoking it would lock the tests' own address) and the server-error pages,
    rendered here as the server renders them: naming its static files by their hashed names."""
    request = RequestFactory().get("/konto/logga-in/")
    from django.contrib.auth.models import AnonymousUser

    request.user = AnonymousUser()
    settings.STATIC_ROOT = collected_static
    manifest = {"BACKEND": "django.contrib.staticfiles.storage.ManifestStaticFilesStorage"}
    settings.STORAGES = settings.STORAGES | {"staticfiles": manifest}
    pages = {
        "/prov/last/": render_to_string("registration/locked_out.html", request=request),
        "/prov/serverfel/": render_to_string("500.html"),
        "/prov/databasen-borta/": render_to_string("503.html"),
    }
    for path, html in pages.items():
        page.route(live_url + path, serve(html))
        audit.check(path)
    audit.assert_clean()


def test_the_official_and_the_secretary(page, audit):
    log_in(page, "tjansteman")
    audit.check("/")
    page.get_by_role("region", name="Det här väntar på dig").get_by_role("link", name="registrera beslut").first.click()
    audit.check()
    page.get_by_role("button", name="Registrera beslutet").click()
    expect(page.get_by_role("alert").first).to_be_visible()
    audit.check()
    audit.check("/planer/ny/", status=403)
    # Activity 1 of the adopted plan is carried out by every member: the status per municipality and its form.
    audit.check("/planer/")
    page.get_by_role("main").get_by_role("link", name=ADOPTED_2016).first.click()
    page.get_by_role("region", name="Aktiviteter × kommuner").get_by_role("link").first.click()
    audit.check()
    page.get_by_role("button", name="Registrera statusen").click()  # no status chosen
    expect(page.get_by_role("alert").first).to_be_visible()
    audit.check()
    audit.assert_clean()


def test_every_form_of_the_coordinator(page, audit):
    """As the administrator (a coordinator of every cooperation), on a new VästKom draft."""
    log_in(page, "admin")
    audit.check("/")
    audit.check("/planer/ny/")
    page.get_by_role("button", name="Spara").click()
    audit.check()  # with errors
    page.goto("/planer/")
    page.get_by_role("main").get_by_role("link", name=VASTKOM).first.click()
    adopted = page.url
    for path in ("beslut/nytt/", "revidera/", "historik/"):
        audit.check(adopted + path)
    page.goto(adopted)
    audit.check(audit.href(r"^/aktiviteter/plan/\d+/matt/$"))
    audit.check(audit.href(r"/matt/\d+/varde/ny/$"))  # a measured value on the adopted plan
    page.get_by_role("button", name="Spara").click()
    expect(page.get_by_role("alert").first).to_be_visible()
    audit.check()  # with errors
    page.goto(adopted)
    page.get_by_role("button", name="Ny plan för nästa period").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("2022")
    draft = page.url
    audit.check()
    for path in (
        "redigera/",
        "avsnitt/ny/",
        "mal/ny/",
        "budget/",
        "budget/rad/ny/",
        "budget/nyckel/ny/",
        "skicka-for-antagande/",
        "pdf/status/",  # no PDF of the draft yet: "Skapa PDF"
    ):
        audit.check(draft + path)
    page.goto(draft + "mal/ny/")
    page.get_by_label("Mål").fill("Alla kommuner har nyckelfri hemtjänst")
    page.get_by_role("button", name="Spara").click()
    audit.check()
    for pattern in (r"/avsnitt/\d+/redigera/", r"/avsnitt/\d+/ta-bort/", r"/mal/\d+/redigera/", r"/mal/\d+/ta-bort/"):
        page.goto(draft)
        audit.check(audit.href(pattern))
    page.goto(draft)
    activity = audit.href(r"^/aktiviteter/\d+/$")
    audit.check(activity)
    for path in ("redigera/", "ta-bort/", "historik/"):
        audit.check(activity + path)
    page.goto(draft)
    audit.check(audit.href(r"^/aktiviteter/mal/\d+/matt/ny/$"))  # a measure of the goal added above
    page.get_by_role("button", name="Spara").click()
    expect(page.get_by_role("alert").first).to_be_visible()
    audit.check()  # the measure form with errors
    page.goto(draft)
    audit.check(audit.href(r"^/aktiviteter/ny/\d+/$"))
    page.get_by_role("button", name="Spara").click()
    expect(page.get_by_role("alert").first).to_be_visible()
    audit.check()  # the activity form with errors
    page.goto(draft + "budget/rad/ny/")
    add_cost(page, year="2022", description="Konferens", amount="10 000")
    audit.check()
    for pattern in (r"/budget/rad/\d+/redigera/", r"/budget/rad/\d+/ta-bort/"):
        page.goto(draft + "budget/")
        audit.check(audit.href(pattern))
    audit.assert_clean()


def test_the_activity_form_can_be_completed_with_the_keyboard_alone(page):
    log_in(page, "samordnare")
    page.goto("/planer/ny/")
    page.get_by_label("Samverkan").select_option(index=1)
    page.get_by_role("textbox", name="Titel (obligatoriskt)").fill("Handlingsplan för välfärdsteknik 2027")
    page.get_by_label("Första år").fill("2027")
    page.get_by_label("Sista år").fill("2027")
    page.get_by_role("button", name="Spara").click()
    plan_id = re.search(r"/planer/(\d+)/$", page.url).group(1)
    page.goto(f"/aktiviteter/ny/{plan_id}/")

    focused = []
    for _ in range(80):
        page.keyboard.press("Tab")
        info = page.evaluate(
            """() => { const e = document.activeElement; const s = getComputedStyle(e);
                return {id: e.id, tag: e.tagName, text: e.textContent.trim(), outline: s.outlineStyle} }"""
        )
        focused.append(info)
        assert info["outline"] != "none", f"no visible focus on {info}"
        if info["id"] == "id_title":
            page.keyboard.type("Nyckelfri hemtjänst i hela länet")
        elif info["id"] == "id_content":
            page.keyboard.type("Digitala lås ersätter nycklar hos brukare med hemtjänst.")
        elif info["id"] == "id_start_year":
            page.keyboard.type("2027")
        elif info["tag"] == "BUTTON" and info["text"] == "Spara":
            page.keyboard.press("Enter")
            break
    else:
        raise AssertionError(f"the Save button was never reached: {focused}")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Nyckelfri hemtjänst i hela länet")
    ids = [item["id"] for item in focused]
    assert ids.index("id_title") < ids.index("id_content") < ids.index("id_start_year"), "focus order follows the form"
