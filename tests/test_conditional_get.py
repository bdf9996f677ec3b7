"""Conditional GET: a browser that holds the current page is told so without the page being rendered.

What a reader sees after changes is in tests/plans/test_fresh_pages.py; here are the validator's
own rules: what it depends on, what the answers say about caching, and that nothing a page shows
escapes it.
"""

from datetime import timedelta

import pytest
from django.db import connection
from django.db.models import ManyToManyField
from django.test.utils import CaptureQueriesContext

from ehalsa import freshness
from tests.helpers import make_user

pytestmark = [pytest.mark.django_db, pytest.mark.cache]


def revalidate(client, url):
    """The page, then the page asked for again with its ETag, and the queries that answer took.

    The browser's first visit comes first: it may be given a cookie (the CSRF token of a signed-in
    page's sign-out form), and the page depends on the cookies the browser sends."""
    client.get(url)
    first = client.get(url)
    assert first.status_code == 200 and first.has_header("ETag")
    with CaptureQueriesContext(connection) as queries:
        again = client.get(url, headers={"If-None-Match": first["ETag"]})
    return first, again, [q["sql"] for q in queries if "SAVEPOINT" not in q["sql"]]


@pytest.mark.parametrize("signed_in", [False, True])
def test_an_unchanged_page_is_answered_not_modified_without_rendering(client, plan_2016, viewer, signed_in):
    if signed_in:
        client.force_login(viewer)
    for url in ("/", "/planer/", plan_2016.get_absolute_url(), "/aktiviteter/", f"/planer/{plan_2016.pk}/budget/"):
        first, again, queries = revalidate(client, url)
        assert again.status_code == 304 and not again.content, url
        assert again["ETag"] == first["ETag"]
        assert not again.templates, url
        # The data version (two); signed in, also the session and the user.
        assert len(queries) == (4 if signed_in else 2), queries


def test_anonymous_pages_are_revalidated_every_time_and_signed_in_pages_are_private(client, plan_2016, viewer):
    anonymous = client.get(plan_2016.get_absolute_url())
    assert "no-cache" in anonymous["Cache-Control"] and "private" not in anonymous["Cache-Control"]
    assert "Cookie" in anonymous["Vary"]
    client.force_login(viewer)
    client.get(plan_2016.get_absolute_url())
    signed_in = client.get(plan_2016.get_absolute_url())
    assert "no-cache" in signed_in["Cache-Control"] and "private" in signed_in["Cache-Control"]
    assert "Cookie" in signed_in["Vary"]
    not_modified = client.get(plan_2016.get_absolute_url(), headers={"If-None-Match": signed_in["ETag"]})
    assert not_modified.status_code == 304 and "private" in not_modified["Cache-Control"]


def test_the_etag_differs_between_readers_languages_and_addresses(client, plan_2016, plan_2014, viewer, coordinator):
    def etag(url=None):
        return client.get(url or plan_2016.get_absolute_url())["ETag"]

    seen = {etag(), etag(plan_2014.get_absolute_url()), etag(f"{plan_2016.get_absolute_url()}?q=video")}
    client.cookies["django_language"] = "en"
    seen.add(etag())
    del client.cookies["django_language"]
    client.force_login(viewer)
    seen.add(etag())
    client.force_login(coordinator)
    seen.add(etag())
    assert len(seen) == 6


def test_a_page_with_a_message_waiting_is_always_rendered(client, plan_2016):
    first = client.get(plan_2016.get_absolute_url())
    client.cookies["messages"] = "a message for the next page"
    assert client.get(plan_2016.get_absolute_url(), headers={"If-None-Match": first["ETag"]}).status_code == 200


def test_a_refused_page_carries_no_validator(client, h2o_plan):
    response = client.get(h2o_plan.get_absolute_url())
    assert response.status_code == 404 and not response.has_header("ETag")


def test_a_new_deployment_gives_new_etags(client, plan_2016, monkeypatch):
    first = client.get(plan_2016.get_absolute_url())
    monkeypatch.setattr(freshness, "code_version", lambda: "the next release")
    again = client.get(plan_2016.get_absolute_url(), headers={"If-None-Match": first["ETag"]})
    assert again.status_code == 200 and again["ETag"] != first["ETag"]


def test_the_code_version_follows_the_templates(monkeypatch, tmp_path, settings):
    template = tmp_path / "page.html"
    template.write_text("one")
    settings.TEMPLATES = [{**settings.TEMPLATES[0], "DIRS": [tmp_path]}]
    before = freshness.read_code_version()
    template.write_text("two")
    assert freshness.read_code_version() != before


def test_a_change_dated_before_the_latest_one_still_changes_the_data_version(plan_2016):
    """A transaction that wrote before another one and commits after it (PostgreSQL runs them side by
    side) adds history rows dated earlier than the latest: the version changes all the same."""
    from governance.models import Body, Decision

    latest = Decision.history.latest().history_date
    before = freshness.data_version()
    decision = Decision(
        plan=plan_2016,
        body=Body.objects.get(organisation__name="Mjölby kommun", name="Kommunstyrelsen"),
        meeting_date=plan_2016.versions.first().adopted_on,
        kind="endorse",
        text="Kommunstyrelsen ställer sig bakom planen.",
    )
    decision._history_date = latest - timedelta(seconds=30)
    decision.save()
    assert Decision.history.latest().history_date == latest
    assert freshness.data_version() != before


@pytest.mark.parametrize(
    "change",
    ["new member", "renamed organisation", "new membership", "renamed indicator", "new route step", "new version"],
)
def test_every_change_a_page_may_show_changes_the_data_version(change, ostergotland, plan_2016):
    from activities.models import LikaIndicator
    from governance.models import Membership, Organisation
    from plans.models import PlanVersion

    before = freshness.data_version()
    if change == "new member":
        ostergotland.members.add(Organisation.objects.get(name="Oskarshamns kommun"))
    elif change == "renamed organisation":
        Organisation.objects.filter(name="Mjölby kommun").get().save()
    elif change == "new membership":
        user = make_user("ny")
        Membership.objects.create(user=user, organisation=Organisation.objects.get(name="Mjölby kommun"), role="viewer")
    elif change == "renamed indicator":
        LikaIndicator.objects.get(code="L19").save()
    elif change == "new route step":
        step = plan_2016.adoption_steps.last()
        step.delete()
    else:
        PlanVersion.objects.create(
            plan=plan_2016, number=99, adopted_on=plan_2016.versions.first().adopted_on, snapshot={}
        )
    assert freshness.data_version() != before


def test_the_data_version_takes_two_statements(db):
    with CaptureQueriesContext(connection) as queries:
        freshness.data_version()
    assert len(queries) == 2


def test_every_model_a_page_may_show_keeps_a_history_or_is_named():
    """A model added without a history (or a many-to-many field whose changes it does not record)
    would leave pages showing it unchanged after a change: name it, or give it a history."""
    named = {**freshness.WITHOUT_HISTORY, **freshness.WRITTEN_ONCE}
    for model in freshness.project_models():
        label = model._meta.label
        assert hasattr(model, "history") != (label in named), f"{label}: a history, or a name in ehalsa.freshness"
        if hasattr(model, "history"):
            recorded = {field.name for field in model.history.model._history_m2m_fields}
            for field in model._meta.local_many_to_many:
                assert isinstance(field, ManyToManyField)
                assert field.name in recorded, f"{label}.{field.name}: HistoricalRecords(m2m_fields=[...])"
    assert set(named) <= {model._meta.label for model in freshness.project_models()}
