"""Template plans and the local plans municipalities make from them (issue 18, items 1–2)."""

import io
import re
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone, translation
from pypdf import PdfReader

from activities.local_models import LocalChoice
from activities.local_plans import ActivityChoice, OwnActivity, local_plan_create
from governance.models import Body, Decision, Organisation
from plans.models import ActionPlan
from plans.versions import snapshot_of
from tests.helpers import make_user

pytestmark = pytest.mark.django_db

TAKEN, CHANGED, LEFT_OUT = LocalChoice.Choice.TAKEN, LocalChoice.Choice.CHANGED, LocalChoice.Choice.LEFT_OUT


@pytest.fixture
def template(vastkom_plan):
    assert vastkom_plan.is_template and vastkom_plan.status == ActionPlan.Status.ADOPTED
    return vastkom_plan


@pytest.fixture
def ale():
    return Organisation.objects.get(name="Ale kommun")


@pytest.fixture
def ale_official(ale):
    return make_user("ale-tjansteman", "official", "Ale kommun")


@pytest.fixture
def ale_board(ale):
    return Body.objects.get(organisation=ale, name="Socialnämnden")  # the demo's


def by_number(template, number):
    return template.activities.get(number=number)


def all_taken(template, **overrides) -> dict:
    """A choice for every template activity: taken as it is, but for ``overrides`` (by number)."""
    choices = {str(a.lineage): ActivityChoice(TAKEN) for a in template.activities.all()}
    for number, choice in overrides.items():
        choices[str(by_number(template, number).lineage)] = choice
    return choices


def test_a_local_plan_takes_changes_and_leaves_out_the_templates_activities(template, ale):
    before = snapshot_of(template)
    hours = ActivityChoice(CHANGED, changes={"effort_hours": Decimal("120")}, note="Två enheter i Ale.")
    left_out = ActivityChoice(LEFT_OUT, reason="Redan genomfört 2015.")
    local = local_plan_create(
        template=template,
        municipality=ale,
        choices=all_taken(template, **{"3": hours, "14": left_out}),
        own_activities=[OwnActivity(title="Digital fritidsverksamhet", effort_hours=Decimal("40"))],
    )
    assert local.is_local and local.municipality == ale and local.status == ActionPlan.Status.DRAFT
    assert local.template_version == template.versions.order_by("-number").first()
    assert local.activities.count() == template.activities.count() - 1 + 1
    lineage_3, lineage_14 = by_number(template, "3").lineage, by_number(template, "14").lineage
    assert local.activities.get(lineage=lineage_3).effort_hours == Decimal("120")
    assert not local.activities.filter(lineage=lineage_14).exists()
    assert local.activities.get(title="Digital fritidsverksamhet").effort_hours == Decimal("40")
    choices = {choice.lineage: choice for choice in local.local_choices.all()}
    assert len(choices) == template.activities.count()
    assert choices[lineage_14].choice == LEFT_OUT and choices[lineage_14].reason == "Redan genomfört 2015."
    assert choices[lineage_3].choice == CHANGED and choices[lineage_3].note == "Två enheter i Ale."
    # The template never changes: its rows are as they were.
    assert snapshot_of(template) == before


def swedish_error(call) -> str:
    with translation.override("sv"), pytest.raises(ValidationError) as refused:
        call()
    return " ".join(refused.value.messages)


def test_a_local_plan_needs_a_published_template(template, ale):
    ActionPlan.objects.filter(pk=template.pk).update(status=ActionPlan.Status.DRAFT)
    template.refresh_from_db()
    text = swedish_error(lambda: local_plan_create(template=template, municipality=ale, choices=all_taken(template)))
    assert "Mallen har inte publicerats" in text
    assert not ActionPlan.objects.filter(municipality=ale).exists()


def test_a_municipality_makes_one_local_plan_per_template_period(template, ale):
    local_plan_create(template=template, municipality=ale, choices=all_taken(template))
    text = swedish_error(lambda: local_plan_create(template=template, municipality=ale, choices=all_taken(template)))
    assert "Ale kommun har redan en lokal plan för 2016–2021" in text
    assert ActionPlan.objects.filter(municipality=ale).count() == 1


def test_a_deviation_on_an_activity_the_template_lacks_is_refused(template, ale, plan_2016):
    choices = all_taken(template) | {str(plan_2016.activities.first().lineage): ActivityChoice(LEFT_OUT, reason="x")}
    text = swedish_error(lambda: local_plan_create(template=template, municipality=ale, choices=choices))
    assert "Mallen har ingen sådan aktivitet" in text
    assert not ActionPlan.objects.filter(municipality=ale).exists()


@pytest.mark.parametrize(
    "choice, message",
    [
        (ActivityChoice(LEFT_OUT, reason="  "), "Ange varför aktivitet 14 väljs bort"),
        (ActivityChoice(CHANGED), "inget skiljer sig från mallen"),
        (ActivityChoice(CHANGED, changes={"start_year": 2020, "end_year": 2018}), "kan inte sluta innan"),
    ],
)
def test_bad_choices_are_refused_in_swedish(template, ale, choice, message):
    choices = all_taken(template, **{"14": choice})
    assert message in swedish_error(lambda: local_plan_create(template=template, municipality=ale, choices=choices))


def test_a_non_template_cannot_be_made_a_local_plan(plan_2016):
    mjolby = Organisation.objects.get(name="Mjölby kommun")
    text = swedish_error(lambda: local_plan_create(template=plan_2016, municipality=mjolby, choices={}))
    assert "är inte en mallplan" in text


def form_data(template, ale, **overrides) -> dict:
    data = {"municipality": ale.pk}
    for activity in template.activities.all():
        prefix = f"a{activity.lineage.hex}_"
        data |= {
            prefix + "choice": "taken",
            prefix + "owner": activity.owner,
            prefix + "effort_hours": "" if activity.effort_hours is None else str(activity.effort_hours),
            prefix + "start_year": activity.start_year or "",
            prefix + "end_year": activity.end_year or "",
            prefix + "effect_goal": activity.effect_goal,
        }
    return data | overrides


def prefix(template, number):
    return f"a{by_number(template, number).lineage.hex}_"


def test_the_official_makes_the_local_plan_from_the_templates_page(client, template, ale, ale_official):
    client.force_login(ale_official)
    page = client.get(template.get_absolute_url()).content.decode()
    create_url = reverse("local_plans:local_plan_create", args=[template.pk])
    assert create_url in page and "Gör kommunens lokala plan utifrån mallen" in page
    form = client.get(create_url).content.decode()
    assert "Tas som den är" in form and "Tas med lokala ändringar" in form and "Tas inte med" in form
    p3, p14 = prefix(template, "3"), prefix(template, "14")
    data = form_data(
        template,
        ale,
        **{p3 + "choice": "changed", p3 + "effort_hours": "80,5", p14 + "choice": "left_out", p14 + "reason": "Klart."},
    )
    response = client.post(create_url, data)
    local = ActionPlan.objects.get(municipality=ale)
    assert response.status_code == 302 and response.url == local.get_absolute_url()
    assert local.activities.get(lineage=by_number(template, "3").lineage).effort_hours == Decimal("80.5")
    page = client.get(local.get_absolute_url()).content.decode()
    assert "Lokal plan för" in page and "Ale" in page and "Gjord från mallen" in page
    assert "Tas inte med" in page and "Klart." in page


def test_a_refused_form_keeps_everything_typed(client, template, ale, ale_official):
    client.force_login(ale_official)
    p14, p3 = prefix(template, "14"), prefix(template, "3")
    data = form_data(
        template, ale, **{p14 + "choice": "left_out", p14 + "reason": "", p3 + "note": "Vår egen anteckning"}
    )
    response = client.post(reverse("local_plans:local_plan_create", args=[template.pk]), data)
    text = response.content.decode()
    assert response.status_code == 200 and "Inget sparades" in text
    assert "Ange varför aktivitet 14 väljs bort" in text and "Vår egen anteckning" in text
    assert not ActionPlan.objects.filter(municipality=ale).exists()


def test_only_the_municipalitys_officials_and_coordinators_make_and_edit_its_local_plan(
    client, template, ale, ale_official, coordinator, viewer
):
    create_url = reverse("local_plans:local_plan_create", args=[template.pk])
    for outsider in (coordinator, viewer):  # Östergötland's coordinator, Linköping's viewer
        client.force_login(outsider)
        assert client.get(create_url).status_code == 403
        assert create_url not in client.get(template.get_absolute_url()).content.decode()
    local = local_plan_create(template=template, municipality=ale, choices=all_taken(template))
    neighbour = make_user("vara-samordnare", "coordinator", "Vara kommun")  # a coordinator of another VästKom member
    client.force_login(neighbour)
    assert client.get(reverse("plans:actionplan_update", args=[local.pk])).status_code == 403
    client.force_login(ale_official)
    assert client.get(reverse("plans:actionplan_update", args=[local.pk])).status_code == 200


def test_an_unpublished_template_says_so_in_swedish(client, template, ale_official):
    ActionPlan.objects.filter(pk=template.pk).update(status=ActionPlan.Status.OUT_FOR_ADOPTION)
    client.force_login(ale_official)
    response = client.get(reverse("local_plans:local_plan_create", args=[template.pk]), follow=True)
    assert "Mallen har inte publicerats" in response.content.decode()


def test_the_local_plan_goes_through_the_municipalitys_own_bodies(client, template, ale, ale_official, ale_board):
    before = snapshot_of(template)
    local = local_plan_create(
        template=template,
        municipality=ale,
        choices=all_taken(template, **{"14": ActivityChoice(LEFT_OUT, reason="Redan klart.")}),
    )
    client.force_login(ale_official)
    form = client.get(reverse("adoption:send_for_adoption", args=[local.pk])).content.decode()
    assert "Socialnämnden" in form and "Regionala arbetsgruppen" not in form
    response = client.post(reverse("adoption:send_for_adoption", args=[local.pk]), {"route": [ale_board.pk]})
    assert response.status_code == 302
    secretary = make_user("ale-sekreterare", "secretary", "Ale kommun")
    client.force_login(secretary)
    data = {"body": ale_board.pk, "meeting_date": timezone.localdate().isoformat(), "kind": "adopt", "text": "Antas."}
    assert client.post(reverse("adoption:decision_create", args=[local.pk]), data).status_code == 302
    local.refresh_from_db()
    assert local.status == ActionPlan.Status.ADOPTED
    frozen = local.versions.get().snapshot
    assert {c["choice"] for c in frozen["local_choices"]} == {"taken", "left_out"}
    assert any(c["reason"] == "Redan klart." for c in frozen["local_choices"])
    assert snapshot_of(template) == before
    assert template.versions.count() == 1  # the local plan's adoption never touches the template


def test_a_local_plans_route_holds_only_the_municipalitys_bodies(template, ale):
    from plans.adoption import plan_send_for_adoption

    local = local_plan_create(template=template, municipality=ale, choices=all_taken(template))
    regional = template.cooperation.bodies.get()
    with translation.override("sv"), pytest.raises(ValidationError) as refused:
        plan_send_for_adoption(plan=local, bodies=[regional], municipalities=[])
    assert "är inte ett organ i Ale" in " ".join(refused.value.messages)
    assert not Decision.objects.filter(plan=local).exists()


def test_the_same_form_posted_twice_makes_one_local_plan(client, template, ale, ale_official):
    client.force_login(ale_official)
    url = reverse("local_plans:local_plan_create", args=[template.pk])
    data = form_data(template, ale, submission="6f1c2b8e-4d7a-4e7e-9f49-2b0c3a1d5e77")
    first = client.post(url, data)
    second = client.post(url, data, follow=True)
    local = ActionPlan.objects.get(municipality=ale)
    assert first.url == local.get_absolute_url()
    assert second.redirect_chain[-1][0] == local.get_absolute_url()
    assert "Formuläret var redan sparat" in second.content.decode()


def test_the_template_is_not_revised_while_a_local_plan_is_being_decided(client, template, administrator):
    # The demo's Mölndal has sent its local plan to its body, which has not decided yet.
    deciding = ActionPlan.objects.get(municipality__name="Mölndals kommun", template_version__plan=template)
    assert deciding.status == ActionPlan.Status.OUT_FOR_ADOPTION
    client.force_login(administrator)
    url = reverse("adoption:start_revision", args=[template.pk])
    text = client.post(url, {"reason": "Ny nationell strategi."}).content.decode()
    assert "Mallen kan inte revideras medan lokala planer som gjorts utifrån den beslutas (Mölndals kommun)" in text
    assert "Ny nationell strategi." in text  # nothing typed is lost
    assert not ActionPlan.objects.filter(revision_of=template).exists()
    ActionPlan.objects.filter(pk=deciding.pk).update(status=ActionPlan.Status.ADOPTED)
    assert client.post(url, {"reason": "Ny nationell strategi."}).status_code == 302
    assert ActionPlan.objects.filter(revision_of=template).exists()


def test_the_activity_search_finds_a_municipalitys_local_plan_when_it_is_chosen(client, template):
    boras = Organisation.objects.get(name="Borås kommun")
    local = ActionPlan.objects.get(municipality=boras)
    search = reverse("activities:activity_search")
    text = client.get(search, {"municipality": boras.pk, "per_page": 100}).content.decode()
    assert f"{local.activities.count()} aktiviteter" in text and "lokal plan för Borås" in text
    assert "Utreda och införa nyckelfri låshantering." not in text  # Borås left activity 20 out
    # Without the municipality, the search holds the cooperations' own plans (the template's activity once).
    text = client.get(search, {"q": "nyckelfri låshantering"}).content.decode()
    assert "1 aktivitet" in text and "lokal plan för" not in text


def test_the_municipality_changes_a_choice_while_its_local_plan_is_a_draft(client, template, ale, ale_official):
    local = local_plan_create(template=template, municipality=ale, choices=all_taken(template))
    activity_14 = by_number(template, "14")
    url = reverse("local_plans:local_choice_update", args=[local.pk, activity_14.lineage])
    client.force_login(ale_official)
    assert url in client.get(local.get_absolute_url()).content.decode()  # offered to its editors
    prefix = f"a{activity_14.lineage.hex}_"
    response = client.post(url, {prefix + "choice": "left_out", prefix + "reason": ""})
    assert "Ange varför aktivitet 14 väljs bort" in response.content.decode()
    response = client.post(url, {prefix + "choice": "left_out", prefix + "reason": "Görs av IT-avdelningen."})
    assert response.status_code == 302
    assert not local.activities.filter(lineage=activity_14.lineage).exists()
    assert local.local_choices.get(lineage=activity_14.lineage).reason == "Görs av IT-avdelningen."
    # Taken again: copied anew from the template, with the template's values.
    client.post(url, {prefix + "choice": "taken"})
    copy = local.activities.get(lineage=activity_14.lineage)
    assert copy.effort_note == activity_14.effort_note and copy.title == activity_14.title
    assert local.local_choices.get(lineage=activity_14.lineage).choice == TAKEN
    # Deleting the copy in the activity editor leads to the choice instead.
    delete = client.post(reverse("activities:activity_delete", args=[copy.pk]), follow=True)
    assert "Aktiviteten kommer från mallen" in delete.content.decode()
    assert local.activities.filter(lineage=activity_14.lineage).exists()


def test_a_choice_is_changed_by_the_municipality_only_and_on_a_draft_only(client, template, ale):
    local = local_plan_create(template=template, municipality=ale, choices=all_taken(template))
    url = reverse("local_plans:local_choice_update", args=[local.pk, by_number(template, "14").lineage])
    client.force_login(make_user("vara-tjansteman", "official", "Vara kommun"))
    assert url not in client.get(local.get_absolute_url()).content.decode()
    assert client.get(url).status_code == 403
    adopted = ActionPlan.objects.get(municipality__name="Borås kommun")
    client.force_login(make_user("boras-tjansteman", "official", "Borås kommun"))
    response = client.get(
        reverse("local_plans:local_choice_update", args=[adopted.pk, by_number(template, "20").lineage])
    )
    assert response.status_code == 302 and response.url == adopted.get_absolute_url()


def test_the_local_plans_pdf_holds_its_choices_and_takes_its_own_bodys_stamp(client, settings, tmp_path):
    from plans import pdf as plan_pdfs

    settings.MEDIA_ROOT = tmp_path / "media"
    boras = ActionPlan.objects.get(municipality__name="Borås kommun")
    plan_pdfs.store_plan_pdf(boras)  # as the worker does when the local plan is adopted
    decision = Decision.objects.get(plan=boras)
    response = client.get(reverse("plans:actionplan_pdf", args=[boras.pk]), {"decision": decision.pk})
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    content = b"".join(response.streaming_content) if response.streaming else response.content
    reader = PdfReader(io.BytesIO(content))
    text = " ".join(" ".join(page.extract_text().split()) for page in reader.pages)
    assert "Mallens aktiviteter i den lokala planen" in text
    assert "Nyckelfri låshantering är redan införd i hela hemtjänsten sedan 2015." in text
    stamp = "Bilaga till Vård- och äldrenämnden 2016-10-18 § 112, Dnr 2016/VÄN0087"
    assert all(stamp in " ".join(page.extract_text().split()) for page in reader.pages)


def test_a_copy_edited_in_the_activity_form_is_taken_with_local_changes(client, template, ale, ale_official):
    """The region's view never shows an activity edited by the municipality as taken as it is."""
    from tests.activities.test_editing import activity_data

    local = local_plan_create(template=template, municipality=ale, choices=all_taken(template))
    copy = local.activities.get(number="3")
    client.force_login(ale_official)
    data = activity_data(
        number=copy.number,
        title=copy.title,
        area=copy.area_id,
        owner="Ale kommuns IT-enhet",
        lika_indicators=[],
        version=copy.version,
        **{"references-TOTAL_FORMS": "0", "effort-TOTAL_FORMS": "0"},
    )
    response = client.post(reverse("activities:activity_update", args=[copy.pk]), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    assert local.local_choices.get(lineage=copy.lineage).choice == CHANGED
    assert local.local_choices.get(lineage=by_number(template, "4").lineage).choice == TAKEN  # the others stay
    # "As it is" again: every field the form changed is the template's once more.
    prefix = f"a{copy.lineage.hex}_"
    url = reverse("local_plans:local_choice_update", args=[local.pk, copy.lineage])
    assert client.post(url, {prefix + "choice": "taken"}).status_code == 302
    copy.refresh_from_db()
    original = by_number(template, "3")
    assert (copy.owner, copy.content, copy.benefit, copy.regional_support) == (
        original.owner,
        original.content,
        original.benefit,
        original.regional_support,
    )


def test_an_adopted_local_plans_follow_up_is_its_municipalitys_not_the_other_members(client):
    """Alingsås's adopted local plan: Alingsås's official records its progress; a coordinator of another
    VästKom municipality (Borås) does not, nor any other member's status."""
    from activities.access import may_record_progress, municipalities_reported_by
    from plans.access import can_edit_plan

    alingsas = ActionPlan.objects.get(municipality__name="Alingsås kommun", revision_of=None)
    activity = alingsas.activities.first()
    own = make_user("alingsas-tjansteman", "official", "Alingsås kommun")
    neighbour = make_user("boras-samordnare", "coordinator", "Borås kommun")
    assert may_record_progress(own, activity) and not may_record_progress(neighbour, activity)
    assert list(municipalities_reported_by(own, alingsas)) == [alingsas.municipality]
    assert not municipalities_reported_by(neighbour, alingsas).exists()
    assert can_edit_plan(own, alingsas) and not can_edit_plan(neighbour, alingsas)
    client.force_login(neighbour)
    assert client.get(reverse("plans:report_create", args=[alingsas.pk])).status_code == 403
    assert client.get(reverse("activities:followup_create", args=[activity.pk])).status_code == 403


def test_a_coordinator_makes_a_plan_a_template_in_the_plan_form(client, template, coordinator, administrator):
    from plans.services import plan_start_revision

    client.force_login(coordinator)
    form = client.get(reverse("plans:actionplan_create")).content.decode()
    assert 'name="is_template"' in form and "Mall för medlemskommunerna" in form
    data = {
        "cooperation": coordinator.memberships.first().organisation.cooperations.first().pk,
        "title": "Förslag till kommunernas handlingsplaner 2027",
        "first_year": "2027",
        "last_year": "2027",
        "is_template": "on",
    }
    assert client.post(reverse("plans:actionplan_create"), data).status_code == 302
    assert ActionPlan.objects.get(title=data["title"]).is_template
    # A revision of VästKom's template, from which municipalities made local plans, stays a template.
    ActionPlan.objects.filter(municipality__name="Mölndals kommun").update(status=ActionPlan.Status.ADOPTED)
    revision = plan_start_revision(plan=template, reason="Ny period.", user=administrator)
    client.force_login(administrator)
    url = reverse("plans:actionplan_update", args=[revision.pk])
    page = client.get(url).content.decode()
    version = re.search(r'name="version" value="(\d+)"', page).group(1)
    response = client.post(
        url,
        {
            "title": revision.title,
            "first_year": revision.first_year,
            "last_year": revision.last_year,
            "version": version,
        },
    )
    assert "Kommuner har gjort lokala planer utifrån den här mallen: den förblir en mall." in response.content.decode()
    revision.refresh_from_db()
    assert revision.is_template
