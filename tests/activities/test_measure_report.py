"""Measures in the yearly follow-up report: each against its target for the year, frozen as values."""

import re
from datetime import date
from decimal import Decimal

import pytest
from django.utils import translation

from activities.measure_models import Measure, MeasuredValue
from activities.models import FollowUp
from plans import reports
from plans.report_document import report_document

pytestmark = pytest.mark.django_db


def section_text(report, heading_start="Mått mot sina mål"):
    with translation.override("sv"):
        sections = report_document(report)["sections"]
    (section,) = [s for s in sections if s.heading.startswith(heading_start)]
    return section


@pytest.fixture
def report(plan_2016, coordinator):
    FollowUp.objects.create(
        activity=plan_2016.activities.get(number="2"), period=2016, date=date(2016, 12, 1), phase="ongoing", text="."
    )
    return reports.report_compile(plan=plan_2016, year=2016, user=coordinator)


def test_each_measure_is_held_to_its_target_for_the_year_as_the_plan_page_holds_it(report, plan_2016):
    measures = Measure.objects.filter(activity__plan=plan_2016) | Measure.objects.filter(goal__plan=plan_2016)
    section = section_text(report)
    rows = {row["measure"]: row for row in section.context["rows"]}
    assert set(rows) == set(measures.values_list("name", flat=True))
    for measure in measures:
        summary = measure.summary  # the plan page's reading of the same measure
        target_row = next((row for row in summary.rows if row.target.year == 2016), None)
        expected = "–" if target_row is None or target_row.met is None else ("Ja" if target_row.met else "Nej")
        assert rows[measure.name]["met"] == expected, measure.name
    assert section.context["met"] == sum(1 for row in rows.values() if row["met"] == "Ja")


def test_a_value_measured_after_the_year_does_not_count_for_it(report, plan_2016):
    measure = Measure.objects.filter(activity__plan=plan_2016, kind=Measure.Kind.NUMERIC).first()
    before = section_text(report).context["rows"]
    MeasuredValue.objects.create(measure=measure, date=date(2017, 3, 1), value=Decimal("999"))
    after = section_text(report).context["rows"]
    assert before == after
    assert not any(re.search(r"\b999\b", row["measured"]) for row in after)
