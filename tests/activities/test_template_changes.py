"""A template revised after local plans were made from it (issue 18, item 4): each local plan shows the
template then, the template now and itself, and its owners take each change over or not."""

import pytest
from django.urls import reverse
from django.utils import timezone

from activities.local_matrix import template_matrix
from activities.local_models import LocalChoice
from activities.models import Activity
from governance.models import Decision
from plans.adoption import plan_freeze
from plans.models import ActionPlan
from plans.services import plan_start_revision
from tests.helpers import make_user

pytestmark = pytest.mark.django_db

NEW_GOAL = "Samtliga boenden har trådlöst nätverk 2019."


@pytest.fixture
def revised(vastkom_plan, administrator):
    """VästKom's template revised and adopted again: activity 3's effect goal rewritten, activity 29 added,
    activity 28 taken out (Mölndal's local plan decided first: a template is not revised meanwhile)."""
    ActionPlan.objects.filter(municipality__name="Mölndals kommun").update(status=ActionPlan.Status.ADOPTED)
    revision = plan_start_revision(plan=vastkom_plan, reason="Ny nationell strategi.", user=administrator)
    activity_3 = revision.activities.get(number="3")
    activity_3.effect_goal = NEW_GOAL
    activity_3.save()
    Activity.objects.create(plan=revision, number="29", title="Införa digital nattillsyn.", order=99)
    revision.activities.get(number="28").delete()
    body = vastkom_plan.cooperation.bodies.get()
    decision = Decision.objects.create(
        plan=revision, body=body, meeting_date=timezone.localdate(), kind="adopt", text="Antas."
    )
    plan_freeze(plan=revision, decision=decision, store_pdf=False)
    return revision


@pytest.fixture
def lerum():
    return ActionPlan.objects.get(municipality__name="Lerums kommun", revision_of=None)


def test_a_local_plan_shows_the_template_then_now_and_itself(client, revised, lerum):
    page = client.get(lerum.get_absolute_url()).content.decode()
    assert "Mallen har reviderats (version 2" in page
    text = client.get(reverse("local_plans:template_changes", args=[lerum.pk])).content.decode()
    activity_3 = lerum.activities.get(number="3")
    row = text[text.index("Säkerställa åtkomst") :]
    row = row[: row.index("</tr>")]
    assert "Effektmål" in row and NEW_GOAL in row and activity_3.effect_goal in row
    assert "Ny i mallen" in text and "Införa digital nattillsyn." in text
    assert "Borttagen ur mallen" in text and "Ta fram strategi för digitalisering." in text
    assert "Revidera planen" not in text and 'name="change"' not in text  # a reader takes nothing over
    # Lerum's own people: the local plan is adopted, so a revision of it takes changes over.
    client.force_login(make_user("lerum-tjansteman", "official", "Lerums kommun"))
    text = client.get(reverse("local_plans:template_changes", args=[lerum.pk])).content.decode()
    assert "Revidera planen" in text and 'name="change"' not in text
    assert client.get(reverse("adoption:start_revision", args=[lerum.pk])).status_code == 200


def test_the_owner_takes_some_changes_over_and_keeps_the_rest(client, revised, lerum, administrator):
    local = plan_start_revision(plan=lerum, reason="Mallen har reviderats.", user=administrator)
    assert local.template_version == lerum.template_version  # still the version it was made from
    official = make_user("lerum-tjansteman", "official", "Lerums kommun")
    client.force_login(official)
    url = reverse("local_plans:template_changes", args=[local.pk])
    lineage_3 = local.activities.get(number="3").lineage
    lineage_29 = revised.activities.get(number="29").lineage
    response = client.post(url, {"change": [f"{lineage_3}:effect_goal", f"{lineage_29}:added"]})
    assert response.status_code == 302
    local.refresh_from_db()
    assert local.template_version == revised.versions.get()
    activity_3 = local.activities.get(lineage=lineage_3)
    assert activity_3.effect_goal == NEW_GOAL
    assert activity_3.effort_hours == 400 and activity_3.owner == "IT-enheten"  # Lerum's own values stay
    assert local.activities.filter(lineage=lineage_29, title="Införa digital nattillsyn.").exists()
    assert local.local_choices.get(lineage=lineage_29).choice == LocalChoice.Choice.TAKEN
    assert local.activities.filter(number="28").exists()  # not taken over: kept
    assert "Mallen har inte ändrats" in client.get(url).content.decode()
    # The template is as adopted, and the region still sees every local plan of it.
    assert revised.activities.get(number="3").effect_goal == NEW_GOAL
    assert template_matrix(revised).adopted == template_matrix(lerum.template_version.plan).adopted


def test_changes_the_template_does_not_have_are_refused_in_swedish(client, revised, lerum, administrator):
    local = plan_start_revision(plan=lerum, reason="Mallen har reviderats.", user=administrator)
    client.force_login(administrator)
    url = reverse("local_plans:template_changes", args=[local.pk])
    text = client.post(url, {"change": ["00000000-0000-0000-0000-000000000000:title"]}).content.decode()
    assert "1 av de valda ändringarna är inte ändringar i mallen" in text
    local.refresh_from_db()
    assert local.template_version == lerum.template_version


def test_only_the_municipalitys_people_take_changes_over(client, revised, lerum, administrator, coordinator):
    local = plan_start_revision(plan=lerum, reason="Mallen har reviderats.", user=administrator)
    client.force_login(coordinator)  # Östergötland's coordinator
    url = reverse("local_plans:template_changes", args=[local.pk])
    assert client.post(url, {"change": []}).status_code in (403, 404)
    local.refresh_from_db()
    assert local.template_version == lerum.template_version


def test_a_local_plan_is_made_from_the_templates_latest_version(client, revised, vastkom_plan):
    client.force_login(make_user("ale-tjansteman", "official", "Ale kommun"))
    response = client.get(reverse("local_plans:local_plan_create", args=[vastkom_plan.pk]), follow=True)
    assert response.redirect_chain[-1][0] == reverse("local_plans:local_plan_create", args=[revised.pk])
    assert "en lokal plan görs utifrån dess senaste version" in response.content.decode()
    assert "Införa digital nattillsyn." in response.content.decode()  # the revision's new activity is offered


def test_a_new_template_activity_with_the_number_of_an_own_activity_is_refused_in_swedish(
    client, revised, lerum, administrator
):
    local = plan_start_revision(plan=lerum, reason="Mallen har reviderats.", user=administrator)
    Activity.objects.create(plan=local, number="29", title="Lerums egen aktivitet 29.", order=98)
    client.force_login(make_user("lerum-tjansteman", "official", "Lerums kommun"))
    lineage_29 = revised.activities.get(number="29").lineage
    response = client.post(
        reverse("local_plans:template_changes", args=[local.pk]), {"change": [f"{lineage_29}:added"]}
    )
    assert response.status_code == 200
    assert "Mallens nya aktivitet 29 har samma nummer som en av den lokala planens egna aktiviteter" in (
        response.content.decode()
    )
    local.refresh_from_db()
    assert local.template_version == lerum.template_version  # nothing was taken over
    assert local.activities.filter(number="29").get().title == "Lerums egen aktivitet 29."


def test_changes_not_taken_over_are_decided_too(client, revised, lerum, administrator):
    """Nothing ticked: the new activity 29 is left out (and may be taken later on its choice's page), and
    activity 3, which keeps its own effect goal, now differs from the template: taken with local changes."""
    local = plan_start_revision(plan=lerum, reason="Mallen har reviderats.", user=administrator)
    lineage_3 = local.activities.get(number="3").lineage
    lineage_29 = revised.activities.get(number="29").lineage
    local.local_choices.filter(lineage=lineage_3).update(choice=LocalChoice.Choice.TAKEN)  # as Alingsås would
    client.force_login(make_user("lerum-tjansteman", "official", "Lerums kommun"))
    assert client.post(reverse("local_plans:template_changes", args=[local.pk]), {}).status_code == 302
    added = local.local_choices.get(lineage=lineage_29)
    assert added.choice == LocalChoice.Choice.LEFT_OUT and added.reason == "Togs inte över från mallens version 2."
    assert local.local_choices.get(lineage=lineage_3).choice == LocalChoice.Choice.CHANGED
    assert not local.activities.filter(lineage=lineage_29).exists()
    url = reverse("local_plans:local_choice_update", args=[local.pk, lineage_29])
    assert client.get(url).status_code == 200  # the municipality may take it later
