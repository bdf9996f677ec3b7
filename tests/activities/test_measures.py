"""Measurable targets (issue 16, item 3): a goal's or an activity's measure, its baseline ("Nuläge") and
targets per year are plan content, frozen with the adopted version; measured values are follow-up,
recorded on the adopted plan and shown live beside what was adopted."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from activities.measure_chart import measure_chart
from activities.measures import number_text, read_value
from activities.models import Measure, MeasuredValue, MeasureTarget
from ehalsa.charts import value_axis
from plans import services
from plans.document import with_rows
from tests.helpers import as_draft, publish

pytestmark = pytest.mark.django_db


@pytest.fixture
def npo(plan_2016):
    """Activity 1's measure in the demo: municipalities producing in NPÖ, 0 → 6 (2016) → 13 (2017)."""
    return Measure.objects.get(activity__plan=plan_2016, activity__number="1")


def post_measure(client, url, **fields):
    data = {
        "name": "Andel brukare med digital tillsyn",
        "kind": "numeric",
        "unit": "%",
        "direction": "at_least",
        "how_measured": "",
        "baseline": "12,5",
        "baseline_date": "2017-12-31",
        "targets-TOTAL_FORMS": "2",
        "targets-INITIAL_FORMS": "0",
        "targets-0-year": "2018",
        "targets-0-target": "30 %",
        "targets-1-year": "2019",
        "targets-1-target": "45,5",
    }
    data.update(fields)
    return client.post(url, data)


# --- Reading what people type ------------------------------------------------------------------


@pytest.mark.parametrize(
    "typed, unit, expected",
    [
        ("45,5", "%", Decimal("45.5")),
        ("45,5 %", "%", Decimal("45.5")),
        ("45,5\xa0procent", "%", Decimal("45.5")),
        ("1 200 kr", "kr", Decimal("1200")),
        ("12 st", "antal", Decimal("12")),
        ("−3", "kommuner", Decimal("-3")),
        ("9 Kommuner", "kommuner", Decimal("9")),
    ],
)
def test_numbers_are_read_as_swedish_write_them(typed, unit, expected):
    assert read_value(typed, numeric=True, unit=unit) == (expected, "")


def test_a_number_in_another_unit_is_refused_naming_both_units():
    with pytest.raises(ValidationError) as refusal:
        read_value("45 st", numeric=True, unit="%")
    assert "%" in refusal.value.messages[0] and "st" in refusal.value.messages[0]


def test_words_on_a_numeric_measure_are_refused():
    with pytest.raises(ValidationError) as refusal:
        read_value("ungefär hälften", numeric=True, unit="%")
    assert refusal.value.code == "not_a_number"


def test_a_described_measure_keeps_the_words_as_written():
    assert read_value(" Samtliga kommuner är anslutna ", numeric=False, unit="") == (
        None,
        "Samtliga kommuner är anslutna",
    )


def test_numbers_are_shown_in_swedish():
    assert number_text(Decimal("45.50")) == "45,5"
    assert number_text(Decimal("1200.00")) == "1\xa0200"


# --- Whether targets are met -------------------------------------------------------------------


def test_each_target_is_held_to_the_latest_value_measured_by_its_years_end(npo):
    summary = npo.summary
    assert [(row.target.year, row.reading.value, row.met) for row in summary.rows] == [
        (2016, Decimal("5"), False),
        (2017, Decimal("9"), False),
    ]
    MeasuredValue.objects.create(measure=npo, date=datetime.date(2017, 12, 20), value=13)
    npo = Measure.objects.get(pk=npo.pk)
    assert [row.met for row in npo.summary.rows] == [False, True]
    assert npo.summary.latest.value == 13 and npo.summary.latest_met is True


def test_less_is_better_when_the_measure_says_so(plan_2016):
    as_draft(plan_2016)
    activity = plan_2016.activities.get(number="2")
    measure = Measure.objects.create(activity=activity, name="Incidenter", unit="antal", direction="at_most")
    MeasureTarget.objects.create(measure=measure, year=2016, value=10)
    publish(plan_2016)
    MeasuredValue.objects.create(measure=measure, date=datetime.date(2016, 11, 1), value=8)
    assert Measure.objects.get(pk=measure.pk).summary.rows[0].met is True


# --- The chart's geometry ----------------------------------------------------------------------


def test_the_value_axis_holds_zero_and_every_value_in_round_steps():
    assert value_axis([Decimal(13), Decimal(9)]) == (0, 15, 5)
    assert value_axis([Decimal("0.3")]) == (0, Decimal("0.3"), Decimal("0.1"))
    assert value_axis([Decimal("0.31")]) == (0, Decimal("0.4"), Decimal("0.1"))
    bottom, top, step = value_axis([Decimal(-7), Decimal(12)])
    assert bottom == -10 and top == 15 and step == 5


def test_the_chart_places_values_at_their_dates_and_targets_across_their_years(npo):
    chart = measure_chart(npo.summary)
    assert [band.year for band in chart.years] == [2015, 2016, 2017]
    left, right, top, bottom = chart.left, chart.right, chart.top, chart.bottom
    year = (right - left) / 3
    target_2017 = chart.targets[1]
    assert target_2017.x1 == pytest.approx(left + 2 * year, abs=0.2) and target_2017.x2 == pytest.approx(right)
    assert target_2017.y == pytest.approx(bottom - (bottom - top) * 13 / 15, abs=0.1)  # 13 on an axis 0–15
    assert chart.baseline.y == bottom  # 0 kommuner
    mid_2016 = next(point for point in chart.values)  # 2016-06-30: half-way through 2016
    assert mid_2016.x == pytest.approx(left + year * 1.5, abs=1.5)
    assert [tick.label for tick in chart.ticks] == ["0", "5", "10", "15"]
    assert chart.line.startswith(f"{chart.baseline.x},{chart.baseline.y} ")


def test_an_undated_baseline_alone_has_no_chart():
    measure = Measure(pk=-1, name="Andel", unit="%", baseline_value=Decimal(40))
    with_rows(with_rows(measure, "targets", MeasureTarget, []), "values", MeasuredValue, [])
    assert measure.chart is None  # no targets, no values: nothing in time to draw


def test_a_described_measure_has_no_chart(plan_2016):
    measure = Measure.objects.get(goal__plan=plan_2016)
    assert measure.kind == "described" and measure_chart(measure.summary) is None


# --- The model's rules -------------------------------------------------------------------------


def test_a_measure_belongs_to_exactly_one_goal_or_activity(plan_2016):
    goal, activity = plan_2016.goals.first(), plan_2016.activities.first()
    for owners in ({"goal": goal, "activity": activity}, {}):
        with pytest.raises(IntegrityError), transaction.atomic():
            Measure.objects.bulk_create([Measure(name="Mått", unit="%", **owners)])


def test_adopted_targets_cannot_be_changed_in_place(npo):
    target = npo.targets.get(year=2017)
    target.value = 12
    with pytest.raises(ValidationError):
        target.save()


# --- Editing measures on a draft ----------------------------------------------------------------


def test_the_coordinator_adds_a_measure_with_targets_to_a_draft_activity(signed_in, draft):
    activity = draft.activities.get(number="9b")
    response = post_measure(signed_in, reverse("activities:measure_create", args=[activity.pk]))
    assert response.status_code == 302
    measure = activity.measures.get()
    assert (measure.baseline_value, measure.unit) == (Decimal("12.5"), "%")
    assert [(t.year, t.value) for t in measure.targets.all()] == [(2018, Decimal(30)), (2019, Decimal("45.5"))]
    page = signed_in.get(activity.get_absolute_url()).content.decode()
    assert "Andel brukare med digital tillsyn" in page and "45,5\xa0%" in page and "<svg" in page


def test_a_target_outside_the_plans_period_is_refused_in_swedish(signed_in, draft):
    activity = draft.activities.get(number="9b")
    response = post_measure(
        signed_in, reverse("activities:measure_create", args=[activity.pk]), **{"targets-1-year": "2016"}
    )
    assert response.status_code == 200 and not activity.measures.exists()
    assert "inom planens period, 2018–2019" in response.content.decode()


def test_a_year_given_two_targets_is_refused(signed_in, draft):
    activity = draft.activities.get(number="9b")
    response = post_measure(
        signed_in, reverse("activities:measure_create", args=[activity.pk]), **{"targets-1-year": "2018"}
    )
    assert response.status_code == 200 and not activity.measures.exists()
    assert "redan ett mål för 2018" in response.content.decode()


def test_a_target_in_another_unit_is_refused(signed_in, draft):
    activity = draft.activities.get(number="9b")
    response = post_measure(
        signed_in, reverse("activities:measure_create", args=[activity.pk]), **{"targets-0-target": "45 st"}
    )
    assert response.status_code == 200 and not activity.measures.exists()
    assert "45 st" in response.content.decode()


def test_the_goals_measure_of_a_draft_is_edited_and_shown_under_its_goal(signed_in, draft):
    measure = Measure.objects.get(goal__plan=draft)
    url = reverse("activities:measure_update", args=[measure.pk])
    form = signed_in.get(url)
    assert form.status_code == 200
    response = signed_in.post(
        url,
        {
            "version": measure.version,
            "name": "Samordnade e-tjänster",
            "kind": "described",
            "unit": "",
            "direction": "at_least",
            "how_measured": "",
            "baseline": "Rekommendationen bereds.",
            "baseline_date": "2017-12-31",
            "targets-TOTAL_FORMS": "1",
            "targets-INITIAL_FORMS": "0",
            "targets-0-year": "2019",
            "targets-0-target": "Samtliga kommuner erbjuder e-tjänsterna.",
        },
    )
    assert response.status_code == 302
    page = signed_in.get(draft.get_absolute_url()).content.decode()
    assert "Samordnade e-tjänster" in page and "Samtliga kommuner erbjuder e-tjänsterna." in page


def test_a_viewer_cannot_add_a_measure(client, viewer, draft):
    client.force_login(viewer)
    response = post_measure(client, reverse("activities:measure_create", args=[draft.activities.first().pk]))
    assert response.status_code == 403 and not Measure.objects.filter(name="Andel brukare med digital tillsyn")


def test_an_adopted_plans_measure_cannot_be_edited(signed_in, npo):
    response = signed_in.post(reverse("activities:measure_update", args=[npo.pk]), {"name": "Nytt namn"})
    assert response.status_code in (302, 409)
    assert Measure.objects.get(pk=npo.pk).name == "Kommuner som är producenter i NPÖ"


# --- Recording measured values -----------------------------------------------------------------


def value_url(measure):
    return reverse("activities:measuredvalue_create", args=[measure.pk])


def test_the_coordinator_records_a_value_on_the_adopted_plan_once_however_often_it_is_sent(signed_in, npo):
    form = signed_in.get(value_url(npo)).context["form"]
    data = {"submission": form["submission"].value(), "date": "2017-10-01", "reading": "10,5", "comment": "Hösten"}
    first = signed_in.post(value_url(npo), data)
    second = signed_in.post(value_url(npo), data)
    assert first.status_code == second.status_code == 302
    assert npo.values.filter(date=datetime.date(2017, 10, 1)).count() == 1
    page = signed_in.get(npo.activity.get_absolute_url()).content.decode()
    assert "10,5\xa0kommuner" in page


@pytest.mark.parametrize(
    "reading, date, message",
    [
        ("45 st", "2017-10-01", "räknas i kommuner"),
        ("ungefär hälften", "2017-10-01", "skriv ett tal"),
        ("10", "2999-01-01", "framtiden"),
    ],
)
def test_a_bad_value_is_refused_in_swedish_and_nothing_is_recorded(signed_in, npo, reading, date, message):
    count = npo.values.count()
    response = signed_in.post(value_url(npo), {"date": date, "reading": reading})
    assert response.status_code == 200 and message in response.content.decode().lower()
    assert npo.values.count() == count


def test_values_are_not_recorded_on_a_draft(signed_in, draft):
    measure = Measure.objects.get(goal__plan=draft)
    response = signed_in.post(value_url(measure), {"date": "2017-10-01", "reading": "Klart"})
    assert response.status_code == 302 and not measure.values.exists()


def test_an_official_cannot_record_a_value(client, official, npo):
    client.force_login(official)
    response = client.post(value_url(npo), {"date": "2017-10-01", "reading": "10"})
    assert response.status_code == 403


# --- The adopted version --------------------------------------------------------------------------


def test_the_adopted_version_freezes_the_measures_and_their_targets_but_no_values(plan_2016):
    snapshot = plan_2016.versions.get().snapshot
    npo = next(m for m in snapshot["measures"] if m["name"] == "Kommuner som är producenter i NPÖ")
    assert npo["baseline_value"] == "0.00" and npo["unit"] == "kommuner"
    assert [(t["year"], t["value"]) for t in npo["targets"]] == [(2016, "6.00"), (2017, "13.00")]
    assert "values" not in npo


def test_the_adopted_plan_page_shows_the_adopted_targets_with_values_measured_since(client, plan_2016):
    goal_measure = Measure.objects.get(goal__plan=plan_2016)
    page = client.get(plan_2016.get_absolute_url()).content.decode()
    assert goal_measure.name in page and "Inventeringen av behov är klar" in page
    MeasuredValue.objects.create(
        measure=goal_measure, date=timezone.localdate(), text="Rekommendationen är antagen.", reached=True
    )
    page = client.get(plan_2016.get_absolute_url()).content.decode()
    assert "Rekommendationen är antagen." in page  # the kept body is keyed by the latest measured value


def test_the_adopted_page_shows_the_targets_as_adopted_even_if_a_row_changed_later(client, plan_2016):
    goal_measure = Measure.objects.get(goal__plan=plan_2016)
    MeasureTarget.objects.filter(measure=goal_measure).update(text="Ändrat i efterhand")  # behind the models' back
    page = client.get(plan_2016.get_absolute_url()).content.decode()
    assert "En rekommenderad prioriteringsordning av e-tjänster finns" in page and "Ändrat i efterhand" not in page


def test_the_plans_measures_page_lists_goals_and_activities_measures(client, plan_2016):
    page = client.get(reverse("activities:plan_measures", args=[plan_2016.pk])).content.decode()
    for name in Measure.objects.filter(activity__plan=plan_2016).values_list("name", flat=True):
        assert name in page
    assert "Samordnade e-tjänster för invånare" in page and "Registrera mätvärde" not in page


def test_the_pdf_of_the_adopted_version_states_targets_and_the_draft_pdf_values_too(plan_2016):
    from plans.pdf import plan_pdf_html

    adopted = plan_pdf_html(plan_2016)
    assert "Kommuner som är producenter i NPÖ" in adopted and "13\xa0kommuner" in adopted and "<svg" in adopted
    assert "Mjölby och Linköping producerar." not in adopted  # a measured value: follow-up, not the adopted plan
    as_draft(plan_2016)
    draft = plan_pdf_html(plan_2016)
    assert "Mjölby och Linköping producerar." in draft


# --- Copies ---------------------------------------------------------------------------------------


def test_the_next_periods_plan_starts_its_measures_from_the_latest_value(plan_2016, coordinator):
    new_plan = services.plan_create_next_period(plan=plan_2016, user=coordinator)
    copy = Measure.objects.get(activity__plan=new_plan, name="Kommuner som är producenter i NPÖ")
    assert (copy.baseline_date, copy.baseline_value) == (datetime.date(2017, 6, 30), Decimal(9))
    assert not copy.targets.exists() and not copy.values.exists()  # 2016 and 2017 lie before its period
    assert Measure.objects.filter(goal__plan=new_plan).count() == 1


def test_a_revision_copies_every_measure_and_target_as_adopted(plan_2016, coordinator):
    from plans.services import copied_values

    revision = services.plan_start_revision(plan=plan_2016, reason="Nya mål", user=coordinator)
    originals = Measure.objects.filter(activity__plan=plan_2016).order_by("pk")
    copies = Measure.objects.filter(activity__plan=revision).order_by("pk")
    assert len(originals) == len(copies) == 2
    for original, copy in zip(originals, copies, strict=True):
        assert copied_values(original) == copied_values(copy)
        assert [copied_values(t) for t in original.targets.all()] == [copied_values(t) for t in copy.targets.all()]
        assert copy.activity.number == original.activity.number
