"""Status per municipality ("status per kommun") on activities that every member carries out, and
progress recorded by those responsible for an activity."""

import json
import re
from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from activities import services
from activities.access import may_record_progress, municipalities_reported_by
from activities.models import EffortShare, FollowUp, MunicipalStatus
from governance.models import Organisation
from tests.helpers import make_user
from tests.test_once import token_of

pytestmark = pytest.mark.django_db


def text(response) -> str:
    """The page as read: tags gone, spaces collapsed."""
    html = response.content.decode()
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html.replace("&nbsp;", " ")))


def organisation(name) -> Organisation:
    return Organisation.objects.get(name=name)


@pytest.fixture
def npo(plan_2016):
    """Activity 1 of the adopted 2016–2017 plan, NPÖ 2.0: every member municipality carries it out."""
    return plan_2016.activities.get(number="1")


def status_url(activity) -> str:
    return reverse("activities:municipal_status_create", args=[activity.pk])


def record(client, activity, **data):
    """The status form as the activity's page shows it, filled in and sent."""
    form = {"submission": token_of(client.get(activity.get_absolute_url())), "date": "2017-05-02", "comment": ""}
    return client.post(status_url(activity), form | data)


def matrix_row(page: str, activity) -> str:
    """The activity's row of the plan page's status matrix (the section "Status per kommun")."""
    section = page.split('id="status-per-kommun"')[1].split("</section>")[0]
    body = section.split("<tbody>")[1]
    return next(row for row in body.split("<tr") if activity.get_absolute_url() in row)


def cells_of(row: str) -> list[str]:
    return [re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", "<td" + cell)).strip() for cell in row.split("<td")[1:]]


def test_the_mjolby_official_records_mjolbys_status_and_the_plan_shows_it_in_the_matrix(client, official, npo):
    client.force_login(official)
    page = text(client.get(npo.get_absolute_url()))
    assert "Registrera status för Mjölby kommun" in page
    assert "3 av 13 kommuner har infört" in page

    mjolby = organisation("Mjölby kommun")
    response = record(client, npo, municipality=mjolby.pk, status="implemented", comment="Producent sedan maj.")
    assert response.status_code == 302 and response["Location"].endswith("#kommunstatus")
    page = text(client.get(response["Location"]))
    assert "Statusen för Mjölby kommun registrerades: infört." in page
    assert "Mjölby kommun ✓ Infört 2017-05-02 Producent sedan maj." in page
    assert "4 av 13 kommuner har infört" in page

    client.logout()
    plan_page = client.get(npo.plan.get_absolute_url()).content.decode()
    assert "4 av 13 kommuner har infört" in text(client.get(npo.plan.get_absolute_url()))
    matrix = plan_page.split('id="status-per-kommun"')[1].split("</section>")[0]
    headers = re.findall(r'<th scope="col"[^>]*>\s*(.*?)\s*</th>', matrix)
    cells = cells_of(matrix_row(plan_page, npo))
    assert cells[headers.index("Mjölby kommun") - 1] == "✓ Infört 2017-05-02"  # the row header is a th
    assert cells[headers.index("Kinda kommun") - 1] == "– ej rapporterat"


def test_each_cell_says_its_status_in_words_beside_the_symbol_never_by_colour_alone(client, npo):
    plan_page = client.get(npo.plan.get_absolute_url()).content.decode()
    cells = cells_of(matrix_row(plan_page, npo))
    assert len(cells) == 13  # one per member municipality
    assert {re.sub(r" \d{4}-\d\d-\d\d$", "", cell) for cell in cells} == {
        "✓ Infört",
        "◐ Pågår",
        "○ Ej påbörjat",
        "⊘ Avstår",
        "– ej rapporterat",
    }
    assert '<span aria-hidden="true">✓</span> <span class="badge badge--ok">Infört</span>' in plan_page


def test_an_officials_form_is_for_their_municipality_without_asking(client, official, npo):
    client.force_login(official)
    page = client.get(npo.get_absolute_url()).content.decode()
    hidden = re.search(r'<input type="hidden" name="municipality" value="(\d+)"', page)
    assert hidden and int(hidden.group(1)) == organisation("Mjölby kommun").pk
    assert '<select name="municipality"' not in page


def test_the_latest_status_per_municipality_counts_and_the_earlier_ones_are_kept(client, npo):
    page = text(client.get(npo.get_absolute_url()))
    # Linköping reported "pågår" in May 2016 and "infört" in November: the latest counts.
    assert "Linköpings kommun ✓ Infört 2016-11-15" in page
    history = page.split("Alla registrerade statusar (8)")[1]
    assert "2016-11-15 Linköpings kommun: ✓ Infört – Producent i NPÖ sedan november 2016." in history
    assert "2016-05-17 Linköpings kommun: ◐ Pågår" in history


def test_a_form_sent_twice_records_the_status_once(client, official, npo):
    client.force_login(official)
    form = {
        "submission": token_of(client.get(npo.get_absolute_url())),
        "municipality": organisation("Mjölby kommun").pk,
        "status": "ongoing",
        "date": "2017-05-02",
        "comment": "Avtal tecknat.",
    }
    first = client.post(status_url(npo), form)
    second = client.post(status_url(npo), form)
    assert first.status_code == second.status_code == 302
    assert MunicipalStatus.objects.filter(activity=npo, comment="Avtal tecknat.").count() == 1
    assert "Formuläret var redan sparat" in text(client.get(second["Location"]))


def test_an_official_records_for_their_own_municipality_only(client, official, npo):
    client.force_login(official)
    response = record(client, npo, municipality=organisation("Linköpings kommun").pk, status="implemented")
    assert response.status_code == 200
    assert "Välj en medlemskommun i planens samverkan som du rapporterar för" in text(response)
    assert not MunicipalStatus.objects.filter(activity=npo, date=date(2017, 5, 2)).exists()


def test_the_coordinator_records_for_any_member_and_chooses_which(client, coordinator, npo):
    client.force_login(coordinator)
    page = client.get(npo.get_absolute_url()).content.decode()
    choices = re.findall(r'<option value="\d+"', page.split('id="id_municipality"')[1].split("</select>")[0])
    assert len(choices) == 13
    response = record(client, npo, municipality=organisation("Kinda kommun").pk, status="not_started")
    assert response.status_code == 302
    assert npo.municipal_statuses.get(municipality__name="Kinda kommun").recorded_by == coordinator


def test_a_municipality_outside_the_cooperation_is_refused_in_swedish(client, coordinator, npo):
    client.force_login(coordinator)
    oskarshamn = organisation("Oskarshamns kommun")
    response = record(client, npo, municipality=oskarshamn.pk, status="implemented")
    assert response.status_code == 200
    assert "Välj en medlemskommun i planens samverkan" in text(response)
    with pytest.raises(ValidationError) as refusal:
        services.municipal_status_record(
            activity=npo, municipality=oskarshamn, status="implemented", date=date(2017, 5, 2), user=coordinator
        )
    assert refusal.value.message_dict["municipality"] == [
        "Oskarshamns kommun är inte medlemskommun i Östergötland. Välj en av dess medlemmar."
    ]
    assert not npo.municipal_statuses.filter(municipality=oskarshamn).exists()


def test_the_service_refuses_someone_who_does_not_report_for_the_municipality(official, npo):
    with pytest.raises(PermissionDenied):
        services.municipal_status_record(
            activity=npo,
            municipality=organisation("Linköpings kommun"),
            status="implemented",
            date=date(2017, 5, 2),
            user=official,
        )


def test_an_activity_not_carried_out_by_every_member_is_refused_in_swedish(client, official, plan_2016):
    activity = plan_2016.activities.get(number="2")
    client.force_login(official)
    assert "Registrera status" not in text(client.get(activity.get_absolute_url()))
    shown = client.get(status_url(activity), follow=True)
    assert "Aktiviteten genomförs inte av varje medlemskommun" in text(shown)
    form = {"municipality": organisation("Mjölby kommun").pk, "status": "implemented", "date": "2017-05-02"}
    response = client.post(status_url(activity), form)
    assert response.status_code == 200
    assert "Aktiviteten genomförs inte av varje medlemskommun och har därför ingen status per kommun" in text(response)
    assert not MunicipalStatus.objects.filter(activity=activity).exists()


def test_a_plan_that_is_not_adopted_is_refused_in_swedish(client, official, draft):
    copy = draft.activities.get(title__startswith="Nationell Patientöversikt")
    assert copy.every_member  # carried over to the next period's draft as plan content
    client.force_login(official)
    form = {"municipality": organisation("Mjölby kommun").pk, "status": "implemented", "date": "2017-05-02"}
    response = client.post(status_url(copy), form)
    assert "En kommuns status registreras på den antagna planen; den här planen är utkast." in text(response)
    assert not MunicipalStatus.objects.filter(activity=copy).exists()
    assert "Status per kommun" not in text(client.get(draft.get_absolute_url()))


def test_a_status_dated_in_the_future_is_refused(client, official, npo):
    client.force_login(official)
    tomorrow = timezone.localdate() + timedelta(days=1)
    response = record(client, npo, municipality=organisation("Mjölby kommun").pk, status="ongoing", date=tomorrow)
    assert "En status kan inte dateras i framtiden" in text(response)


@pytest.mark.parametrize("persona", ["secretary", "viewer", "official_elsewhere"])
def test_those_who_do_not_report_for_a_member_see_the_statuses_but_no_form(client, persona, request, npo):
    client.force_login(request.getfixturevalue(persona))
    page = text(client.get(npo.get_absolute_url()))
    assert "3 av 13 kommuner har infört" in page and "Registrera status" not in page
    assert client.get(status_url(npo)).status_code == 403
    form = {"municipality": organisation("Mjölby kommun").pk, "status": "implemented", "date": "2017-05-02"}
    assert client.post(status_url(npo), form).status_code == 403
    assert not npo.municipal_statuses.filter(municipality__name="Mjölby kommun").exists()


def test_an_anonymous_visitor_is_asked_to_sign_in(client, npo):
    response = client.get(status_url(npo))
    assert response.status_code == 302 and "/konto/logga-in/" in response["Location"]


def test_who_reports_for_which_municipality(coordinator, official, secretary, plan_2016):
    assert [m.name for m in municipalities_reported_by(official, plan_2016)] == ["Mjölby kommun"]
    assert municipalities_reported_by(coordinator, plan_2016).count() == 13
    assert not municipalities_reported_by(secretary, plan_2016).exists()
    viewer_of_mjolby = make_user("mjolby-lasare", "viewer", "Mjölby kommun")
    assert not municipalities_reported_by(viewer_of_mjolby, plan_2016).exists()


def test_a_new_status_shows_on_the_kept_plan_page_and_the_adopted_version_is_unchanged(client, official, npo):
    version = npo.plan.versions.order_by("-number").first()
    frozen = json.dumps(version.snapshot, sort_keys=True)
    assert "3 av 13 kommuner har infört" in text(client.get(npo.plan.get_absolute_url()))  # rendered and kept
    services.municipal_status_record(
        activity=npo,
        municipality=organisation("Mjölby kommun"),
        status="implemented",
        date=date(2017, 5, 2),
        user=official,
    )
    assert "4 av 13 kommuner har infört" in text(client.get(npo.plan.get_absolute_url()))
    version.refresh_from_db()
    assert json.dumps(version.snapshot, sort_keys=True) == frozen


def test_the_activity_history_lists_the_statuses(client, official, npo):
    client.force_login(official)
    record(client, npo, municipality=organisation("Mjölby kommun").pk, status="ongoing", comment="Avtal tecknat.")
    history = text(client.get(reverse("activities:activity_history", args=[npo.pk])))
    assert (
        "Tomas Tjänsteman skapade status per kommun 1 Nationell Patientöversikt (NPÖ) 2.0 – Mjölby kommun: Pågår"
        in history
    )


# --- Progress by those responsible -----------------------------------------------------------------


def follow_up(client, activity):
    url = reverse("activities:followup_create", args=[activity.pk])
    form = {"submission": token_of(client.get(url)), "date": "2017-11-01", "period": "2018", "phase": "ongoing"}
    return client.post(url, form | {"text": "Förstudien pågår."})


@pytest.fixture
def shared_by_mjolby(draft):
    """An activity of the 2018–2019 draft to which Mjölby kommun gives effort."""
    activity = draft.activities.get(title__startswith="Samordnad vårdplanering")
    EffortShare.objects.create(activity=activity, organisation=organisation("Mjölby kommun"), hours=40)
    return activity


def test_an_official_of_an_organisation_giving_effort_records_its_progress(client, official, shared_by_mjolby):
    client.force_login(official)
    assert "Registrera uppföljning" in text(client.get(shared_by_mjolby.get_absolute_url()))
    response = follow_up(client, shared_by_mjolby)
    assert response.status_code == 302
    assert FollowUp.objects.get(activity=shared_by_mjolby, text="Förstudien pågår.").recorded_by == official


def test_officials_of_organisations_not_giving_effort_may_not_record_progress(
    client, official, secretary, shared_by_mjolby, draft
):
    other = draft.activities.exclude(pk=shared_by_mjolby.pk).first()
    client.force_login(official)
    assert "Registrera uppföljning" not in text(client.get(other.get_absolute_url()))
    assert client.get(reverse("activities:followup_create", args=[other.pk])).status_code == 403
    client.force_login(secretary)  # of Mjölby too, but secretaries do not report progress
    assert "Registrera uppföljning" not in text(client.get(shared_by_mjolby.get_absolute_url()))
    assert client.get(reverse("activities:followup_create", args=[shared_by_mjolby.pk])).status_code == 403
    assert not FollowUp.objects.filter(text="Förstudien pågår.").exists()


def test_who_may_record_progress(coordinator, official, viewer, shared_by_mjolby, npo):
    assert may_record_progress(coordinator, npo) and may_record_progress(coordinator, shared_by_mjolby)
    assert may_record_progress(official, shared_by_mjolby)
    # Every member carries NPÖ 2.0 out, but each reports its own status, not the activity's progress.
    assert not may_record_progress(official, npo)
    viewer_of_mjolby = make_user("mjolby-lasare", "viewer", "Mjölby kommun")
    assert not may_record_progress(viewer_of_mjolby, shared_by_mjolby)
    assert not may_record_progress(viewer, shared_by_mjolby)


def test_the_officials_start_page_links_to_where_their_municipalitys_status_is_missing(
    client, official, coordinator, npo
):
    client.force_login(official)
    start = client.get(reverse("home")).content.decode()
    missing = start.split('id="kommunstatus-saknas-rubrik"')[1].split("</section>")[0]
    assert f'href="{npo.get_absolute_url()}#kommunstatus"' in missing
    assert "registrera status för Mjölby kommun" in missing

    record(client, npo, municipality=organisation("Mjölby kommun").pk, status="ongoing")
    assert "Din kommuns status saknas" not in text(client.get(reverse("home")))
    client.force_login(coordinator)  # of the region: no municipality of their own to report for
    assert "Din kommuns status saknas" not in text(client.get(reverse("home")))
