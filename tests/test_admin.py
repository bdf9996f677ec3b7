"""Every model is in the admin, in Swedish, with search and list filters that work."""

import pytest
from django.contrib import admin
from django.urls import reverse

pytestmark = pytest.mark.django_db

OUR_APPS = {"governance", "plans", "activities", "finance"}


def our_models():
    return [model for model in admin.site._registry if model._meta.app_label in OUR_APPS]


def test_every_model_of_the_four_apps_is_registered():
    from django.apps import apps

    registered = set(our_models())
    expected = {
        model
        for model in apps.get_models()
        if model._meta.app_label in OUR_APPS and not model.__name__.startswith("Historical")
    }
    assert expected == registered


@pytest.mark.parametrize("model", our_models(), ids=lambda m: m.__name__)
def test_each_changelist_searches_and_filters(client, administrator, model):
    client.force_login(administrator)
    model_admin = admin.site._registry[model]
    assert model_admin.search_fields and model_admin.list_filter
    url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
    response = client.get(url, {"q": "ehälsa"})
    assert response.status_code == 200
    assert (
        str(model._meta.verbose_name_plural).capitalize() in response.content.decode()
        or str(model._meta.verbose_name_plural) in response.content.decode()
    )


def test_the_admin_speaks_swedish(client, administrator):
    client.force_login(administrator)
    page = client.get(reverse("admin:index")).content.decode()
    for label in (
        "Handlingsplaner",
        "Aktiviteter",
        "Styrning",
        "Ekonomi",
        "Budgetrader",
        "Fördelningsnycklar",
        "LIKA-indikatorer",
    ):
        assert label in page


def test_the_adopted_plan_is_complete_in_the_admin(client, administrator, plan_2016):
    client.force_login(administrator)
    activities = client.get(reverse("admin:activities_activity_changelist"), {"plan__id__exact": plan_2016.pk})
    assert "11 aktiviteter" in activities.content.decode()
    budget = client.get(reverse("admin:finance_budgetentry_changelist"), {"plan__id__exact": plan_2016.pk})
    assert "10 budgetrader" in budget.content.decode()
    decisions = client.get(reverse("admin:governance_decision_changelist"), {"plan__id__exact": plan_2016.pk})
    assert "5 beslut" in decisions.content.decode()
    change = client.get(reverse("admin:plans_actionplan_change", args=[plan_2016.pk]))
    assert change.status_code == 200


def test_a_plan_period_ending_before_it_starts_is_refused_in_the_admin_form(client, administrator, ostergotland):
    client.force_login(administrator)
    response = client.post(
        reverse("admin:plans_actionplan_add"),
        {
            "cooperation": ostergotland.pk,
            "title": "Fel period",
            "first_year": 2020,
            "last_year": 2019,
            "status": "draft",
            "sections-TOTAL_FORMS": 0,
            "sections-INITIAL_FORMS": 0,
            "goals-TOTAL_FORMS": 0,
            "goals-INITIAL_FORMS": 0,
        },
    )
    assert response.status_code == 200
    assert "Perioden kan inte sluta innan den börjar." in response.content.decode()


def test_a_budget_line_with_a_year_outside_the_plan_is_refused_in_the_admin_form(client, administrator, plan_2016):
    from tests.helpers import as_draft

    as_draft(plan_2016)
    client.force_login(administrator)
    response = client.post(
        reverse("admin:finance_budgetentry_add"),
        {
            "plan": plan_2016.pk,
            "year": 2030,
            "order": 1,
            "kind": "cost",
            "description": "För sent",
            "amount": "100",
            "repeat": "once",
        },
    )
    assert response.status_code == 200
    assert "Året måste ligga inom 2014–2017." in response.content.decode()


def test_years_read_as_years_in_admin_lists(client, administrator, plan_2016):
    client.force_login(administrator)
    page = client.get(reverse("admin:finance_budgetentry_changelist"), {"plan__id__exact": plan_2016.pk})
    content = page.content.decode()
    assert ">2014<" in content
    assert "2\xa0014" not in content


def test_the_admin_refuses_to_change_an_adopted_plans_activity(client, administrator, plan_2016):
    client.force_login(administrator)
    activity = plan_2016.activities.get(number="3")
    url = reverse("admin:activities_activity_change", args=[activity.pk])
    form = client.get(url).context["adminform"].form
    data = {name: value for name, value in form.initial.items() if value is not None}
    data.update({"title": "Ändrad i admin", "plan": plan_2016.pk, "lika_indicators": [], "goals": []})
    for prefix in ("references", "effort_shares", "follow_ups"):
        data.update({f"{prefix}-TOTAL_FORMS": 0, f"{prefix}-INITIAL_FORMS": 0})
    response = client.post(url, data)
    assert response.status_code == 200
    assert "Planen är antagen och kan inte ändras direkt." in response.content.decode()
