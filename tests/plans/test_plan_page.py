"""The plan page of a newcomer (issue 19, item 3): a table of contents whose links all lead somewhere,
and quiet edit controls (one primary action; "Upp"/"Ned" only where the row can move)."""

import re
from html.parser import HTMLParser

from django.urls import reverse

from activities.models import Activity
from plans.models import Section
from tests.helpers import make_activity


class Page(HTMLParser):
    """The ids on a page, the links of its table of contents, and each editable row's move buttons."""

    def __init__(self, html: str):
        super().__init__()
        self.ids: set[str] = set()
        self.toc_links: list[str] = []
        self.moves: dict[str, list[str]] = {}  # "activity-12": ["up", "down"]
        self.in_toc = False
        self.rows: list[str] = []  # the ids of the open <li>/<section> elements, innermost last
        self.stack: list[str | None] = []
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if "id" in attrs:
            self.ids.add(attrs["id"])
        if tag == "nav" and attrs.get("aria-labelledby") == "innehall-rubrik":
            self.in_toc = True
        if tag == "a" and self.in_toc and attrs.get("href", "").startswith("#"):
            self.toc_links.append(attrs["href"][1:])
        if tag in ("li", "section"):
            self.stack.append(attrs.get("id"))
        if tag == "button" and attrs.get("name") == "direction":
            row = next((row for row in reversed(self.stack) if row), None)
            self.moves.setdefault(row, []).append(attrs["value"])

    def handle_endtag(self, tag):
        if tag == "nav":
            self.in_toc = False
        if tag in ("li", "section") and self.stack:
            self.stack.pop()


def page_of(client, plan) -> Page:
    response = client.get(plan.get_absolute_url())
    assert response.status_code == 200
    return Page(response.content.decode())


def toolbar(client, plan) -> str:
    html = client.get(plan.get_absolute_url()).content.decode()
    return re.search(r'<div class="toolbar".*?</div>', html, re.S).group(0)


def primary_actions(html: str) -> list[str]:
    """The filled buttons: links styled as buttons and submit buttons, but for the secondary ones."""
    links = re.findall(r'<a class="button"[^>]*>([^<]*)<', html)
    buttons = re.findall(r'<button type="submit"(?![^>]*secondary)[^>]*>([^<]*)<', html)
    return links + buttons


def test_the_adopted_plan_has_a_table_of_contents_whose_every_link_leads_to_its_part(client, plan_2016):
    page = page_of(client, plan_2016)
    assert page.toc_links, "the plan page has no table of contents"
    assert set(page.toc_links) <= page.ids, set(page.toc_links) - page.ids
    for part in ("lage", "mal", "foregaende-plan", "aktiviteter", "tidslinje", "budget", "antagande"):
        assert part in page.toc_links
    sections = {f"section-{pk}" for pk in plan_2016.sections.values_list("pk", flat=True)}
    assert sections and sections <= set(page.toc_links)


def test_the_table_of_contents_names_its_parts_in_swedish(client, plan_2016):
    html = client.get(plan_2016.get_absolute_url()).content.decode()
    nav = html.split('<nav class="toc"')[1].split("</nav>")[0]
    assert "Innehåll" in nav
    assert f"Planens text ({plan_2016.sections.count()} avsnitt)" in nav
    assert ">Antagande<" in nav and ">Aktiviteter<" in nav


def test_a_drafts_table_of_contents_leads_only_to_parts_it_shows(signed_in, draft):
    draft.goals.all().delete()
    page = page_of(signed_in, draft)
    assert set(page.toc_links) <= page.ids, set(page.toc_links) - page.ids
    assert "mal" not in page.toc_links  # no goals, no link to them
    assert "antagande" not in page.toc_links  # a draft nobody decided on has no adoption part


def test_the_first_row_cannot_move_up_nor_the_last_down(signed_in, draft):
    activities = list(draft.activities.order_by("order", "pk"))
    assert len(activities) >= 3
    first, middle, last = activities[0], activities[len(activities) // 2], activities[-1]
    moves = page_of(signed_in, draft).moves
    assert moves[f"activity-{first.pk}"] == ["down"]
    assert moves[f"activity-{middle.pk}"] == ["up", "down"]
    assert moves[f"activity-{last.pk}"] == ["up"]
    sections = list(draft.sections.order_by("order", "pk"))
    assert moves[f"section-{sections[0].pk}"] == ["down"]
    assert moves[f"section-{sections[-1].pk}"] == ["up"]


def test_a_single_activity_offers_no_move_at_all(signed_in, draft):
    draft.activities.exclude(pk=draft.activities.order_by("order", "pk").first().pk).delete()
    only = draft.activities.get()
    html = signed_in.get(draft.get_absolute_url()).content.decode()
    assert reverse("activities:activity_move", args=[only.pk]) not in html


def test_the_move_the_page_does_not_offer_is_refused_in_words(signed_in, draft):
    first = draft.activities.order_by("order", "pk").first()
    orders = list(draft.activities.order_by("order", "pk").values_list("pk", flat=True))
    response = signed_in.post(reverse("activities:activity_move", args=[first.pk]), {"direction": "up"}, follow=True)
    assert "Den står redan först." in response.content.decode()
    assert list(draft.activities.order_by("order", "pk").values_list("pk", flat=True)) == orders
    last = Section.objects.filter(plan=draft).order_by("order", "pk").last()
    response = signed_in.post(reverse("plans:section_move", args=[last.pk]), {"direction": "down"}, follow=True)
    assert "Den står redan sist." in response.content.decode()


def test_after_a_move_the_buttons_follow_the_new_order(signed_in, draft):
    make_activity(draft, number="99", title="Sist tillagd", order=1000)  # last
    added = Activity.objects.get(plan=draft, title="Sist tillagd")
    signed_in.post(reverse("activities:activity_move", args=[added.pk]), {"direction": "up"})
    moves = page_of(signed_in, draft).moves
    assert moves[f"activity-{added.pk}"] == ["up", "down"]
    last = draft.activities.order_by("order", "pk").last()
    assert moves[f"activity-{last.pk}"] == ["up"]


def test_the_drafts_toolbar_has_one_primary_action(signed_in, draft):
    assert primary_actions(toolbar(signed_in, draft)) == ["Skicka för antagande"]


def test_the_adopted_plans_toolbar_has_one_primary_action(signed_in, plan_2016):
    assert primary_actions(toolbar(signed_in, plan_2016)) == ["Revidera planen"]
