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
