"""A form that adds something adds it once, however many times it is posted (issue 13, finding 8).

The form carries a token made when it is shown; the first post claims it with the new row, a
second post of the same form is sent where the first one went.
"""

import re

import pytest
from django.urls import reverse

from activities.models import FollowUp
from ehalsa.models import Submission
from finance.models import BudgetEntry
from plans.models import Goal

pytestmark = pytest.mark.django_db


def token_of(page) -> str:
    return re.search(r'name="submission" value="([0-9a-f-]{36})"', page.content.decode()).group(1)


def test_showing_a_form_writes_nothing(signed_in, draft):
    submissions = Submission.objects.count()
    signed_in.get(reverse("plans:goal_create", args=[draft.pk]))
    assert Submission.objects.count() == submissions


def test_a_goal_form_posted_twice_adds_one_goal_and_says_so(signed_in, draft):
    url = reverse("plans:goal_create", args=[draft.pk])
    data = {"submission": token_of(signed_in.get(url)), "title": "Trygg digital vård", "description": ""}
    first = signed_in.post(url, data)
    second = signed_in.post(url, data, follow=True)
    assert first.status_code == 302 and second.redirect_chain[0][0] == first["Location"]
    assert "Formuläret var redan sparat; det sparades en gång." in second.content.decode()
    assert Goal.objects.filter(plan=draft, title="Trygg digital vård").count() == 1


def test_the_same_goal_from_two_forms_is_two_goals(signed_in, draft):
    """Two forms opened one after the other are two intentions, not a double click."""
    url = reverse("plans:goal_create", args=[draft.pk])
    for _ in range(2):
        signed_in.post(url, {"submission": token_of(signed_in.get(url)), "title": "Samma mål", "description": ""})
    assert Goal.objects.filter(plan=draft, title="Samma mål").count() == 2


def test_a_form_refused_the_first_time_can_be_corrected_and_saved(signed_in, draft):
    url = reverse("plans:goal_create", args=[draft.pk])
    token = token_of(signed_in.get(url))
    assert signed_in.post(url, {"submission": token, "title": ""}).status_code == 200
    assert signed_in.post(url, {"submission": token, "title": "Rättat mål"}).status_code == 302
    assert Goal.objects.filter(plan=draft, title="Rättat mål").count() == 1


def test_a_budget_line_posted_twice_is_one_line(signed_in, draft):
    url = reverse("finance:budgetentry_create", args=[draft.pk])
    token = token_of(signed_in.get(url))
    data = {"submission": token, "year": "2018", "kind": "cost", "description": "Konferens", "amount": "25000"}
    data |= {"category": "conferences", "is_estimate": "on", "repeat": "once", "party": ""}
    responses = [signed_in.post(url, data) for _ in range(3)]
    assert [r.status_code for r in responses] == [302] * 3, responses[0].content.decode()[-3000:]
    assert BudgetEntry.objects.filter(plan=draft, description="Konferens").count() == 1


def test_a_follow_up_posted_twice_is_one_follow_up(signed_in, plan_2016):
    activity = plan_2016.activities.first()
    url = reverse("activities:followup_create", args=[activity.pk])
    token = token_of(signed_in.get(url))
    before = FollowUp.objects.filter(activity=activity).count()
    data = {
        "submission": token,
        "date": "2016-06-30",
        "period": "2016",
        "phase": "ongoing",
        "text": "Pågår enligt plan.",
    }
    for _ in range(2):
        assert signed_in.post(url, data).status_code == 302
    assert FollowUp.objects.filter(activity=activity).count() == before + 1


def test_an_activity_number_taken_by_a_colleague_while_the_form_was_checked_is_a_message(signed_in, draft, monkeypatch):
    """The form passed its checks; a colleague's activity with the same number was saved just after."""
    from activities.forms import ActivityForm
    from activities.models import Activity

    url = reverse("activities:activity_create", args=[draft.pk])
    token = token_of(signed_in.get(url))
    Activity.objects.create(plan=draft, number="77", title="Kollegans aktivitet", order=99)
    monkeypatch.setattr(ActivityForm, "validate_unique", lambda form: None)  # checked before the colleague saved
    data = {"submission": token, "number": "77", "title": "Min aktivitet", "status": "planned"}
    data |= {"references-TOTAL_FORMS": "0", "references-INITIAL_FORMS": "0"}
    data |= {"effort-TOTAL_FORMS": "0", "effort-INITIAL_FORMS": "0"}
    response = signed_in.post(url, data)
    text = response.content.decode()
    assert response.status_code == 200
    assert "En annan aktivitet i planen har redan detta nummer." in text and "Min aktivitet" in text
    assert list(draft.activities.filter(number="77").values_list("title", flat=True)) == ["Kollegans aktivitet"]


def test_the_same_form_posted_again_with_other_content_is_saved_too(signed_in, draft):
    """Back, changed, saved: the browser brings the form back with its token, but this is new content."""
    url = reverse("plans:goal_create", args=[draft.pk])
    token = token_of(signed_in.get(url))
    signed_in.post(url, {"submission": token, "title": "Mål A"})
    response = signed_in.post(url, {"submission": token, "title": "Mål B"}, follow=True)
    assert "Formuläret var redan sparat" not in response.content.decode()
    assert sorted(Goal.objects.filter(plan=draft, title__startswith="Mål ").values_list("title", flat=True)) == [
        "Mål A",
        "Mål B",
    ]


def test_a_follow_up_that_goes_back_to_a_long_address_is_saved(signed_in, plan_2016):
    activity = plan_2016.activities.first()
    back = "/aktiviteter/?q=" + "x" * 900
    url = reverse("activities:followup_create", args=[activity.pk]) + "?next=" + back
    token = token_of(signed_in.get(url))
    data = {
        "submission": token,
        "date": "2016-06-30",
        "period": "2016",
        "phase": "ongoing",
        "text": "Lång väg tillbaka.",
    }
    response = signed_in.post(url, data)
    assert response.status_code == 302 and response["Location"] == back
    assert Submission.objects.get(token=token).result_url == back
