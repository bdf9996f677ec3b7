"""Pages fit the screen: at a phone's 390 px and a laptop's 1366 px no main page is wider than the window,
for every role (issue 19, item 1 and its tests); wide tables scroll inside their own box.

One browser context per role visits its pages in one loop; each page is loaded once and measured at both
widths (the viewport is resized, so the media queries apply as on a phone)."""

from urllib.parse import urldefrag

import pytest

from .helpers import log_in

WIDTHS = (390, 1366)

# Addresses of the demo data (README), its ids named as in tests/browser/conftest.py (demo_ids): plan_2014
# is Östergötland's 2014–2015 plan (superseded, its 2015 report frozen), plan_2016 its adopted 2016–2017
# plan, template VästKom's template, draft H2O's draft, project the project plan with a state grant,
# local_plan Alingsås's local plan of the template (its municipality alingsas), activity activity 1
# (NPÖ 2.0) of plan_2016, coordinator the demo's coordinator (samordnare).
MAIN_PAGES = [
    "/",
    "/planer/",
    "/planer/{plan_2016}/",  # adopted
    "/planer/{template}/",  # template
    "/planer/{local_plan}/",  # local plan, with its choices
    "/planer/{plan_2016}/budget/",
    "/planer/{project}/budget/",  # a budget of another shape: a grant and its co-financing
    "/planer/{plan_2016}/antagande/",
    "/aktiviteter/",
    "/aktiviteter/?q=trygghet",
    "/planer/{plan_2016}/lika/",
    "/organ/{body}/",
    "/planer/{plan_2014}/uppfoljningar/",
    "/planer/uppfoljningar/{report}/",
]
# Read alike by everyone; visited by the reader who sees them bare and the one who sees the most controls.
MORE_PAGES = [
    "/planer/samverkan/{ostergotland}/",
    "/planer/samverkan/{ostergotland}/lika/",
    "/planer/{template}/kommunernas-val/",  # the template's activity × its 49 municipalities
    "/planer/kommun/{alingsas}/",
    "/planer/{local_plan}/mallens-andringar/",
    "/aktiviteter/{activity}/",
    "/aktiviteter/plan/{plan_2016}/matt/",
    "/planer/{plan_2016}/jamfor/",
    "/beslut/{decision}/",
    "/organ/",
]
ROLE_PAGES = {
    "anonymous": MORE_PAGES,
    "lasare": ["/konto/paminnelser/"],
    "tjansteman": ["/aktiviteter/{activity}/kommunstatus/ny/"],
    "sekreterare": ["/planer/{plan_2016}/bilaga/"],
    "samordnare": [
        *MORE_PAGES,
        "/planer/ny/",
        "/planer/{plan_2016}/revidera/",
        "/planer/{plan_2016}/uppfoljningar/ny/",
        "/aktiviteter/{activity}/uppfoljning/ny/",
        "/aktiviteter/{activity}/delmal/nytt/",
        "/aktiviteter/{activity}/historik/",
        "/planer/{plan_2016}/historik/",
    ],
    "forvaltare": [
        "/administration/",
        "/administration/samverkan/{ostergotland}/",
        "/administration/samverkan/{ostergotland}/andra/",
        "/administration/samverkan/{ostergotland}/medlemmar/",
        "/administration/samverkan/{ostergotland}/anvandare/",
        "/administration/samverkan/{ostergotland}/anvandare/{coordinator}/",
        "/administration/samverkan/{ostergotland}/historik/",
        "/administration/samverkan/{ostergotland}/organ/nytt/",
        "/administration/samverkan/{ostergotland}/inbjudningar/ny/",
    ],
    # No demo role reads a draft: the administrator reads H2O's, with every control of its editors.
    "admin": [
        "/planer/{draft}/",
        "/planer/{draft}/budget/",
        "/planer/{draft}/antagande/",
        "/planer/{draft}/redigera/",
        "/planer/{draft}/skicka-for-antagande/",
        "/planer/{draft}/budget/rad/ny/",
    ],
}


def waiting_for(page) -> list[str]:
    """The pages the start page's "Det här väntar på dig" links to (the role's own work)."""
    page.goto("/")
    region = page.get_by_role("region", name="Det här väntar på dig")
    if not region.count():
        return []
    hrefs = region.locator("a[href]").evaluate_all("links => links.map(a => a.getAttribute('href'))")
    return [urldefrag(href).url for href in hrefs]


@pytest.mark.parametrize("role", list(ROLE_PAGES))
def test_no_main_page_is_wider_than_the_window(page, role, demo_ids):
    if role != "anonymous":
        log_in(page, role)
    named = [path.format(**demo_ids) for path in [*MAIN_PAGES, *ROLE_PAGES[role]]]
    paths = list(dict.fromkeys([*named, *waiting_for(page)]))
    too_wide = []
    for path in paths:
        page.set_viewport_size({"width": WIDTHS[-1], "height": 900})
        assert page.goto(path).ok, path
        for width in WIDTHS:
            page.set_viewport_size({"width": width, "height": 900})
            scroll_width = page.evaluate("document.documentElement.scrollWidth")
            if scroll_width > width:
                too_wide.append(f"{path} at {width} px: {scroll_width} px wide")
    assert not too_wide, f"{role}: " + "; ".join(too_wide)


def test_the_activity_search_fits_a_laptop_with_its_filters_used_and_groups_its_hits_by_plan(page):
    """Issue 19, items 2 and 16: no sideways scrolling at 1366 px, neither of the page nor of the
    table's own box; the plan heads its activities once; LIKA indicators are checkboxes in a
    fieldset per area, and two of them are chosen by clicking, without Ctrl."""
    page.set_viewport_size({"width": 1366, "height": 900})
    log_in(page, "samordnare")
    page.goto("/aktiviteter/?per_page=100")
    box = page.locator(".table-container").first
    assert box.evaluate("e => e.scrollWidth <= e.clientWidth"), box.evaluate("e => [e.scrollWidth, e.clientWidth]")
    lika = page.get_by_role("group", name="LIKA-indikator")
    assert not lika.is_visible()  # folded away: dozens of boxes would push the hits a screen down
    page.locator("summary", has_text="LIKA-indikator").click()
    assert [legend.strip() for legend in lika.locator("fieldset > legend").all_inner_texts()] == [
        "Ledning",
        "Infrastruktur",
        "Kompetens",
        "Användning",
    ]
    page.get_by_role("group", name="Ledning").get_by_label("L19 –", exact=False).check()
    page.get_by_role("group", name="Användning").get_by_label("A28 –", exact=False).check()
    assert page.get_by_label("Status").input_value() == ""
    assert page.get_by_label("Status").locator("option").first.inner_text() == "Alla"
    page.get_by_role("button", name="Filtrera").click()
    page.get_by_role("status").filter(has_text="aktiviteter").wait_for()
    assert "lika=L19" in page.url and "lika=A28" in page.url
    assert page.get_by_role("group", name="Ledning").get_by_label("L19 –", exact=False).is_checked()  # open: ticked
    assert page.locator("summary", has_text="LIKA-indikator").inner_text() == "LIKA-indikator 2 valda"
    headings = page.locator("tr.group-heading th[scope=rowgroup]").all_inner_texts()
    assert headings and all("·" in heading for heading in headings)
    assert len(headings) == len(set(headings))  # each plan once
    assert page.locator("table.data thead th", has_text="Handlingsplan").count() == 0
    assert page.evaluate("document.documentElement.scrollWidth") <= 1366
    assert box.evaluate("e => e.scrollWidth <= e.clientWidth"), box.evaluate("e => [e.scrollWidth, e.clientWidth]")
