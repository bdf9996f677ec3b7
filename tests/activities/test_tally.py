"""The per-plan activity tally that lists and the search show instead of counting every time:
kept by database triggers, so it is right after every kind of change."""

import html
import re

import pytest
from django.db import connection
from django.db.models import Count

from activities.filters import PlanActivityFilter
from activities.models import Activity
from activities.paging import ActivitiesPlanByPlan, HitsPlanByPlan
from ehalsa.db import TALLY, activity_count_of_plans
from ehalsa.search import words_in
from plans import services
from plans.models import ActionPlan
from tests.helpers import as_draft, make_activity, make_plan, publish

pytestmark = pytest.mark.django_db


def tallies() -> dict[int, int]:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT plan_id, activities FROM {TALLY} WHERE activities <> 0")
        return dict(cursor.fetchall())


def real_counts() -> dict[int, int]:
    return dict(Activity.objects.values_list("plan").annotate(n=Count("pk")).values_list("plan", "n"))


def test_the_demo_data_is_tallied():
    assert tallies() == real_counts()
    assert sum(real_counts().values()) > 40


def test_the_tally_follows_every_kind_of_change(plan_2016, coordinator):
    draft = services.plan_create_next_period(plan=plan_2016, user=coordinator)  # bulk copies
    assert tallies() == real_counts()
    extra = make_activity(draft, number="99")
    Activity.objects.bulk_create([Activity(plan=draft, number=f"M{n}", title="Massinsats") for n in range(5)])
    assert tallies()[draft.pk] == draft.activities.count()
    extra.delete()
    other = make_plan(title="Annan plan")
    Activity.objects.filter(plan=draft, title="Massinsats").update(plan=other)  # moved between plans
    assert tallies() == real_counts()
    draft.delete()
    assert tallies() == real_counts()
    assert draft.pk not in tallies()


def test_the_search_shows_the_true_number_of_hits(client, plan_2016, vastkom_plan):
    def shown(query):
        page = client.get("/aktiviteter/", query).content.decode()
        return int(re.search(r'role="status">(\d+) aktivitet', page).group(1))

    # The search covers the cooperations' own plans; municipalities' local plans when one is chosen.
    public = Activity.objects.filter(plan__status__in=ActionPlan.PUBLIC_STATUSES, plan__municipality=None)
    assert shown({}) == public.count()
    assert shown({"plan": plan_2016.pk}) == plan_2016.activities.count()
    assert (
        shown({"cooperation": vastkom_plan.cooperation_id})
        == public.filter(plan__cooperation=vastkom_plan.cooperation).count()
    )
    matching = public.filter(words_in("trygghet", PlanActivityFilter.SEARCH_FIELDS)).count()
    assert matching > 0
    assert shown({"q": "trygghet"}) == matching  # counted: the text filter is not a plan filter
    draft = make_plan(title="Utkast med hemliga insatser")
    make_activity(draft, number="1")
    assert shown({}) == public.count()  # drafts of others are not counted
    publish(as_draft(draft))
    assert shown({}) == public.count()


def test_plans_are_counted_without_counting_activities(plan_2016, django_assert_num_queries):
    plans = ActionPlan.objects.filter(pk=plan_2016.pk)
    expected = plan_2016.activities.count()
    with django_assert_num_queries(1):
        assert activity_count_of_plans(plans) == expected


def test_pages_read_plan_by_plan_equal_the_fully_sorted_list(plan_2016, vastkom_plan, plan_2014):
    activities = Activity.objects.filter(plan__status__in=ActionPlan.PUBLIC_STATUSES)
    plans = ActionPlan.objects.public().order_by("cooperation__name", "-first_year", "title", "pk")
    walk = ActivitiesPlanByPlan(activities, plans)
    expected = list(
        activities.order_by("plan__cooperation__name", "-plan__first_year", "plan__title", "plan_id", "order", "pk")
    )
    assert len(walk) == len(expected) > 30
    for start in range(0, len(expected) + 5, 7):
        for size in (1, 7, 25, 100):
            assert walk[start : start + size] == expected[start : start + size], (start, size)
    assert list(walk) == expected
    assert walk[-1] == expected[-1] and walk[0] == expected[0]


def test_the_search_pages_and_sorts_across_plans(client):
    public = Activity.objects.filter(plan__status__in=ActionPlan.PUBLIC_STATUSES, plan__municipality=None)
    titles = []
    for page in (1, 2, 3):
        page_html = client.get("/aktiviteter/", {"page": page}).content.decode()
        titles += re.findall(r'<a href="/aktiviteter/\d+/">([^<]+)</a>', page_html)
    assert len(titles) == min(public.count(), 75)
    sorted_page = client.get("/aktiviteter/", {"sort": "title"}).content.decode()
    first = re.findall(r'<a href="/aktiviteter/\d+/">([^<]+)</a>', sorted_page)
    assert [html.unescape(title) for title in first] == list(
        public.order_by("title").values_list("title", flat=True)[:25]
    )
    assert f'role="status">{public.count()} aktiviteter' in sorted_page


@pytest.fixture
def large(monkeypatch):
    """The search as it runs on a national data set: filtered hits paged plan by plan."""
    from activities.views import ActivitySearchView

    monkeypatch.setattr(ActivitySearchView, "LARGE", 0)
    return ActivitySearchView


def titles_on(client, query):
    page_html = client.get("/aktiviteter/", query).content.decode()
    return re.findall(r'<a href="/aktiviteter/\d+/">([^<]+)</a>', page_html), page_html


def plans_with_hits(hits_per_plan: list[int]):
    """A plan per number, with that many hits ("Träff") among activities that are not hits."""
    plans = []
    for n, hits in enumerate(hits_per_plan):
        plan = make_plan(title=f"Plan {n:02}")
        for order in range(hits * 2 + 3):
            title = "Träff" if order % 2 and order // 2 < hits else "Miss"
            make_activity(plan, number=str(order), title=title, order=order)
        plans.append(plan)
    return ActionPlan.objects.filter(pk__in=[plan.pk for plan in plans]).order_by("title")


@pytest.mark.parametrize(
    "hits_per_plan",
    [
        [0, 5, 1, 0, 0, 3, 2, 0, 4, 1, 0, 5],  # none in the first plan: the rest read at once
        [2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 2],  # rare after the first plan
        [4, 3, 4, 0, 5, 4, 3, 4, 1, 0, 2, 4],  # frequent: plans read in batches
    ],
)
@pytest.mark.parametrize("cap", [0, 1, 4, 5, 6, 13, 20, 100])
@pytest.mark.parametrize("distinct", [False, True])  # as filters across a to-many relation make it
def test_the_first_hits_in_display_order_however_the_plans_are_read(hits_per_plan, cap, distinct):
    plans = plans_with_hits(hits_per_plan)
    activities = Activity.objects.filter(plan__in=plans)
    hits = activities.filter(title="Träff")
    if distinct:
        hits = hits.distinct()
    expected = list(hits.order_by("plan__title", "order", "pk"))
    assert len(expected) == sum(hits_per_plan)
    walk = HitsPlanByPlan(hits, activities, plans, cap=cap)
    assert len(walk) == min(cap + 1, len(expected))
    assert list(walk) == expected[: len(walk)]
    assert walk[2:5] == expected[2 : min(5, len(walk))]


@pytest.mark.parametrize(
    "query",
    [
        {"q": "e"},
        {"status": "planned"},
        {"lika": "L19"},
        {"lika": ["L19", "L6"]},
        {"year": "2016", "q": "och"},
        {"year": "2017"},
        {"year": "2019"},
        {"county": "Östergötlands län", "q": "a"},
        {"plan": "PLAN_2016", "q": "a"},
    ],
)
def test_filtered_hits_paged_plan_by_plan_equal_one_sorted_query(client, large, query, plan_2016):
    if query.get("plan"):
        query["plan"] = plan_2016.pk
    walked = [titles_on(client, {**query, "page": page})[0] for page in (1, 2, 3)]
    large.LARGE = 10**9
    sorted_once = [titles_on(client, {**query, "page": page})[0] for page in (1, 2, 3)]
    assert walked == sorted_once
    assert walked[0]


def test_more_hits_than_are_counted_ask_for_a_narrower_search(client, large):
    large.HITS_COUNTED = 10
    titles, page_html = titles_on(client, {"q": "e"})
    assert "Fler än 10 aktiviteter: förfina sökningen för att se alla." in page_html
    assert len(titles) == 11  # the hits up to the count can be paged through
    titles, page_html = titles_on(client, {"q": "trygghetslarm"})
    assert re.search(r'role="status">\d aktivitet', page_html)  # few hits: counted exactly


def test_a_year_finds_activities_running_outside_their_plans_period(client, large, plan_2016):
    """Plans are passed over for a year only when none of their activities runs in it."""
    outside = Activity.objects.filter(plan=plan_2016).order_by("pk").first()
    Activity.objects.filter(pk=outside.pk).update(start_year=2039, end_year=2041)
    titles, page_html = titles_on(client, {"year": "2040"})
    assert [html.unescape(title) for title in titles] == [outside.title]
    assert 'role="status">1 aktivitet' in page_html
    assert titles_on(client, {"year": "2042"})[0] == []


@pytest.mark.skipif(connection.vendor != "postgresql", reason="trigram indexes exist on PostgreSQL only")
def test_every_searched_text_field_has_a_trigram_index():
    """Words few activities contain are found from an index, not by reading every activity."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexdef FROM pg_indexes WHERE tablename = 'activities_activity' AND indexdef LIKE '%gin_trgm_ops%'"
        )
        definitions = [row[0] for row in cursor.fetchall()]
    for field in PlanActivityFilter.SEARCH_FIELDS:
        # as the search compares: upper-cased and without accents (ehalsa.search)
        indexed = rf"gin \(upper\((public\.)?ehalsa_unaccent\(\(?{field}\)?(::text)?\)\) gin_trgm_ops\)"
        assert any(re.search(indexed, definition) for definition in definitions), field
