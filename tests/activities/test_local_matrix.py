"""The region's view of a template (issue 18, item 3): activity × municipality, the deviations beside
the template's text, filters, the spreadsheet, and a number of queries that does not grow."""

import re
from decimal import Decimal
from io import BytesIO

import pytest
from django.contrib.auth import get_user_model
from django.db import connection, transaction
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook

from activities.local_matrix import UNDECIDED, template_matrix
from activities.local_models import LocalChoice
from activities.local_plans import ActivityChoice, local_plan_create
from activities.models import Area
from governance.models import Organisation
from plans.models import ActionPlan
from plans.versions import snapshot_of
from tests.helpers import make_user

pytestmark = pytest.mark.django_db

TAKEN, CHANGED, LEFT_OUT = LocalChoice.Choice.TAKEN, LocalChoice.Choice.CHANGED, LocalChoice.Choice.LEFT_OUT
# Members the demo leaves without a local plan.
FREE = [
    "Ale kommun",
    "Vara kommun",
    "Bengtsfors kommun",
    "Dals-Eds kommun",
    "Essunga kommun",
    "Falköpings kommun",
    "Grästorps kommun",
    "Hjo kommun",
]


def make_local(template, name, *, adopted=True, **by_number):
    """``name``'s local plan of ``template``: every activity taken, but for ``by_number``; adopted unless
    told otherwise (as its last body's adoption would make it: the choices are what counts here)."""
    choices = {str(a.lineage): ActivityChoice(TAKEN) for a in template.activities.all()}
    for number, choice in by_number.items():
        choices[str(template.activities.get(number=number).lineage)] = choice
    local = local_plan_create(template=template, municipality=Organisation.objects.get(name=name), choices=choices)
    if adopted:
        ActionPlan.objects.filter(pk=local.pk).update(status=ActionPlan.Status.ADOPTED)
    return local


def matrix_url(template, **params):
    url = reverse("local_plans:template_matrix", args=[template.pk])
    return url + ("?" + "&".join(f"{k}={v}" for k, v in params.items()) if params else "")


def adopted_local_plans(template) -> int:
    return ActionPlan.objects.filter(template_version__plan=template, status=ActionPlan.Status.ADOPTED).count()


@pytest.fixture
def chosen(vastkom_plan):
    """Ale leaves activity 14 out; Vara leaves it out too and gives activity 3 its own hours; Bengtsfors's
    local plan is a draft (not decided)."""
    make_local(vastkom_plan, "Ale kommun", **{"14": ActivityChoice(LEFT_OUT, reason="Klassningen är redan gjord.")})
    make_local(
        vastkom_plan,
        "Vara kommun",
        **{
            "14": ActivityChoice(LEFT_OUT, reason="Görs i KLASSA-projektet."),
            "3": ActivityChoice(CHANGED, changes={"effort_hours": Decimal("80")}, note="Två boenden."),
        },
    )
    make_local(vastkom_plan, "Bengtsfors kommun", adopted=False)
    return vastkom_plan


def test_the_page_says_how_many_have_adopted_and_what_is_left_out_most(client, chosen):
    text = client.get(matrix_url(chosen)).content.decode()
    adopted = adopted_local_plans(chosen)
    assert f"{adopted} av 49 kommuner har antagit en lokal plan; aktivitet 14 har valts bort av 2" in text


def test_each_cell_says_its_choice_in_words_beside_a_symbol(client, chosen):
    matrix = template_matrix(chosen)
    row = next(r for r in matrix.rows if r.activity.number == "14")
    ale, vara, bengtsfors = (
        Organisation.objects.get(name=n) for n in ("Ale kommun", "Vara kommun", "Bengtsfors kommun")
    )
    assert row.cell(ale.pk).state == LEFT_OUT and row.cell(vara.pk).state == LEFT_OUT
    assert row.cell(bengtsfors.pk).state == UNDECIDED  # a draft is not a decision
    text = client.get(matrix_url(chosen, municipality=ale.pk)).content.decode()
    assert (
        '<span aria-hidden="true">✗</span> Bortvald' in text
        and '<span aria-hidden="true">✓</span> Som i mallen' in text
    )


def test_each_deviation_stands_beside_the_templates_text(client, chosen):
    activity_3 = chosen.activities.get(number="3")
    text = client.get(matrix_url(chosen)).content.decode()
    deviations = text[text.index("Avvikelser från mallen") :]
    assert "Klassningen är redan gjord." in deviations and "Görs i KLASSA-projektet." in deviations
    vara = deviations[deviations.index("Vara kommun") :]
    assert activity_3.effort_display in vara and "80 h" in vara and "Två boenden." in vara
    assert "I mallen" in deviations and "I den lokala planen" in deviations


def test_filters_narrow_the_activities_and_the_municipalities(client, chosen):
    security = Area.objects.get(name="Informationssäkerhet", cooperation=None)
    ale = Organisation.objects.get(name="Ale kommun")
    text = client.get(matrix_url(chosen, area=security.pk, municipality=ale.pk)).content.decode()
    table = text[text.index("Aktiviteter × kommuner") : text.index("Avvikelser från mallen")]
    assert "Genomföra informationsklassning" in table and "Säkerställa åtkomst till internet" not in table
    assert re.search(r">\s*Ale kommun\s*<", table) and not re.search(r">\s*Vara kommun\s*<", table)
    # What a filter cannot use is said, and the page still shows.
    response = client.get(matrix_url(chosen, area="x", municipality="999999"))
    assert response.status_code == 200 and "Några filter kunde inte användas" in response.content.decode()


def test_the_matrix_downloads_as_a_spreadsheet(client, chosen):
    response = client.get(matrix_url(chosen, export="xlsx"))
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    header = rows[0]
    ale_col, left_out_col = header.index("Ale kommun"), header.index("Bortvald")
    row_14 = next(row for row in rows[1:] if row[0] == "14")
    assert row_14[ale_col] == "Bortvald" and row_14[left_out_col] >= 2
    assert len(rows) == 1 + chosen.activities.count()


def queries_for(client, template) -> int:
    """The queries the page runs, counted as they run (Django empties its own log when a request starts)."""
    queries = []

    def count(execute, sql, params, many, context):
        queries.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(count):
        assert client.get(matrix_url(template)).status_code == 200
    return len(queries)


def test_the_number_of_queries_does_not_grow_with_the_municipalities(client, vastkom_plan):
    make_local(vastkom_plan, FREE[0], **{"14": ActivityChoice(LEFT_OUT, reason="Klart.")})
    make_local(vastkom_plan, FREE[1], **{"3": ActivityChoice(CHANGED, changes={"effort_hours": Decimal("8")})})
    few = queries_for(client, vastkom_plan)
    assert few > 5  # the counter counts
    for name in FREE[2:6]:
        make_local(vastkom_plan, name, **{"3": ActivityChoice(CHANGED, changes={"effort_hours": Decimal("9")})})
    assert queries_for(client, vastkom_plan) == few


CHOICE = st.sampled_from([TAKEN, CHANGED, LEFT_OUT])


@settings(max_examples=6, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(picks=st.lists(st.lists(CHOICE, min_size=31, max_size=31), min_size=1, max_size=3))
def test_the_matrixs_counts_are_the_choices_made_and_the_template_never_changes(vastkom_plan, picks):
    activities = list(vastkom_plan.activities.order_by("order", "pk"))
    with transaction.atomic():
        before_matrix = template_matrix(vastkom_plan)
        before = {row.activity.pk: row.counts(before_matrix.members) for row in before_matrix.rows}
        template_before = snapshot_of(vastkom_plan)
        for name, choices in zip(FREE, picks, strict=False):
            by_number = {}
            for activity, choice in zip(activities, choices, strict=True):
                if choice == LEFT_OUT:
                    by_number[activity] = ActivityChoice(LEFT_OUT, reason="Ej aktuellt.")
                elif choice == CHANGED:
                    by_number[activity] = ActivityChoice(CHANGED, note="Lokal anpassning.")
            local = local_plan_create(
                template=vastkom_plan,
                municipality=Organisation.objects.get(name=name),
                choices={str(a.lineage): by_number.get(a, ActivityChoice(TAKEN)) for a in activities},
            )
            ActionPlan.objects.filter(pk=local.pk).update(status=ActionPlan.Status.ADOPTED)
        matrix = template_matrix(vastkom_plan)
        for row in matrix.rows:
            index = activities.index(row.activity)
            counts = row.counts(matrix.members)
            for state in (TAKEN, CHANGED, LEFT_OUT):
                made = sum(1 for choices in picks if choices[index] == state)
                assert counts[state] == before[row.activity.pk][state] + made
            assert counts[UNDECIDED] == before[row.activity.pk][UNDECIDED] - len(picks)
        assert matrix.adopted == before_matrix.adopted + len(picks)
        assert snapshot_of(vastkom_plan) == template_before
        transaction.set_rollback(True)


def test_a_municipalitys_page_lists_its_local_plans_and_its_standing_on_each_template(client, vastkom_plan):
    boras = Organisation.objects.get(name="Borås kommun")
    text = client.get(reverse("local_plans:municipality", args=[boras.pk])).content.decode()
    local = ActionPlan.objects.get(municipality=boras)
    assert vastkom_plan.title in text and local.title in text and "Antagen" in text
    assert reverse("lika:plan", args=[local.pk]) in text  # its LIKA coverage, from its local plan
    ale = Organisation.objects.get(name="Ale kommun")
    text = client.get(reverse("local_plans:municipality", args=[ale.pk])).content.decode()
    assert "Ingen ännu" in text and "Ej beslutat" in text
    assert reverse("local_plans:local_plan_create", args=[vastkom_plan.pk]) not in text  # not for a reader
    client.force_login(get_user_model().objects.get(username="kommunen"))  # Ale's official
    text = client.get(reverse("local_plans:municipality", args=[ale.pk])).content.decode()
    assert reverse("local_plans:local_plan_create", args=[vastkom_plan.pk]) in text


def test_a_local_plan_not_yet_adopted_is_named_to_its_members_only(client, vastkom_plan):
    """Mölndal's local plan is out for adoption: the public sees that it is under way, not its title."""
    molndal = ActionPlan.objects.get(municipality__name="Mölndals kommun", revision_of=None)
    text = client.get(matrix_url(vastkom_plan)).content.decode()
    row = text[text.rindex(">Mölndals kommun<") :]  # the table of local plans, last on the page
    row = row[: row.index("</tr>")]
    assert "Pågår" in row and "Ute för antagande" in row
    assert molndal.get_absolute_url() not in text and molndal.title not in text
    client.force_login(make_user("molndal-lasare", "viewer", "Mölndals kommun"))
    assert molndal.get_absolute_url() in client.get(matrix_url(vastkom_plan)).content.decode()
