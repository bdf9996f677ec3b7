"""Starting points that can be found (issue 17): "Ny handlingsplan" where a coordinator looks for
it, and choices that tell an adopted plan from its revision draft."""

import re

import pytest
from django.urls import reverse

from plans import services

pytestmark = pytest.mark.django_db

NEW_PLAN = f'href="{reverse("plans:actionplan_create")}"'


@pytest.mark.parametrize("url", [reverse("plans:actionplan_list"), reverse("home")])
def test_coordinators_find_new_plan_on_the_plan_list_and_the_start_page(client, coordinator, url):
    client.force_login(coordinator)
    text = client.get(url).content.decode()
    assert NEW_PLAN in text and "Ny handlingsplan" in text
    assert client.get(reverse("plans:actionplan_create")).status_code == 200


@pytest.mark.parametrize("persona", ["official", "viewer", None])
@pytest.mark.parametrize("url", [reverse("plans:actionplan_list"), reverse("home")])
def test_others_are_not_offered_a_new_plan(client, request, persona, url):
    if persona:
        client.force_login(request.getfixturevalue(persona))
    assert NEW_PLAN not in client.get(url).content.decode()


def test_the_previous_plan_choice_tells_the_adopted_plan_from_its_revision(client, coordinator, plan_2016):
    services.plan_start_revision(plan=plan_2016, user=coordinator, reason="Ny insats.")
    client.force_login(coordinator)
    text = client.get(reverse("plans:actionplan_create")).content.decode()
    options = re.findall(r"<option[^>]*>([^<]*2016-2017[^<]*)</option>", text)
    assert "Handlingsplan för ehälsa i Östergötland 2016-2017 (2016–2017, antagen)" in options
    assert "Handlingsplan för ehälsa i Östergötland 2016-2017 (2016–2017, revision, utkast)" in options


def test_the_plan_list_tells_a_revision_from_the_plan_it_revises(client, coordinator, plan_2016):
    services.plan_start_revision(plan=plan_2016, user=coordinator, reason="Ny insats.")
    client.force_login(coordinator)
    text = client.get(reverse("plans:actionplan_list")).content.decode()
    titles = re.findall(r'<a href="/planer/\d+/">([^<]*2016-2017[^<]*)</a>', text)
    assert sorted(titles) == [
        "Handlingsplan för ehälsa i Östergötland 2016-2017",
        "Handlingsplan för ehälsa i Östergötland 2016-2017 (revision)",
    ]
