"""Pages fit the screen: at a phone's 390 px and a laptop's 1366 px no page is wider than the window;
wide tables scroll inside their own box (issue 19, item 1)."""

import pytest

from .helpers import log_in

PAGES = [
    "/",
    "/planer/",
    "/planer/2/",
    "/planer/1/",
    "/planer/2/budget/",
    "/planer/samverkan/1/",
    "/aktiviteter/",
    "/organ/1/",
    "/planer/3/kommunernas-val/",  # VästKom's template: activity × its 49 municipalities
    "/planer/7/",  # Alingsås's local plan of it, with its choices
]


@pytest.mark.parametrize("width", [390, 1366])
def test_no_page_is_wider_than_the_window(page, width):
    page.set_viewport_size({"width": width, "height": 900})
    log_in(page, "samordnare")  # the coordinator sees the most: edit controls, the matrix's form links
    too_wide = {}
    for path in PAGES:
        assert page.goto(path).ok, path
        scroll_width = page.evaluate("document.documentElement.scrollWidth")
        if scroll_width > width:
            too_wide[path] = scroll_width
    assert not too_wide, too_wide


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
    assert page.get_by_role("group", name="Ledning").get_by_label("L19 –", exact=False).is_checked()
    headings = page.locator("tr.group-heading th[scope=rowgroup]").all_inner_texts()
    assert headings and all("·" in heading for heading in headings)
    assert len(headings) == len(set(headings))  # each plan once
    assert page.locator("table.data thead th", has_text="Handlingsplan").count() == 0
    assert page.evaluate("document.documentElement.scrollWidth") <= 1366
    assert box.evaluate("e => e.scrollWidth <= e.clientWidth"), box.evaluate("e => [e.scrollWidth, e.clientWidth]")
