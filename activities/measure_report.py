"""The measures' section of a plan's yearly follow-up report (``plans.reports``): each measure of the
plan's goals and activities against its target for the report's year.

The value held to the target is the latest measured by the end of the year, as on the plan's page
(``activities.measures.summary_of``). The values keep numbers as strings, units and texts as written
and the measure's kind and direction, so a frozen report reads the same in any language; whether a
target is met is worked out when shown (``is_met``).
"""

from decimal import Decimal
from types import SimpleNamespace

import django_tables2 as tables
from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ehalsa.tables import BaseTable, RowHeaderColumn
from plans.parts import PlanPart, ReportSection

from .measure_models import Measure
from .measures import is_met, value_text


class ReportMeasureTable(BaseTable):
    """Each measure against its target for the report's year (rows of the report's values)."""

    measure = RowHeaderColumn(verbose_name=gettext_lazy("Measure"))
    of = tables.Column(verbose_name=gettext_lazy("Of"))
    baseline = tables.Column(verbose_name=gettext_lazy("Baseline"))
    target = tables.Column(verbose_name=gettext_lazy("Target"))
    measured = tables.Column(verbose_name=gettext_lazy("Measured"))
    met = tables.Column(verbose_name=gettext_lazy("Target met"))

    class Meta(BaseTable.Meta):
        orderable = False
        per_page = 10_000


def number(value) -> str | None:
    return None if value is None else str(value)


def shown(value: str | None, text: str, unit: str) -> str:
    return value_text(Decimal(value), unit) if value is not None else (text or "–")


class MeasuresReportPart(PlanPart):
    """Adds the measures' section to the yearly report; nothing else (registered beside ActivitiesPart)."""

    report_key = "measures"

    def report_values(self, plan, year: int) -> dict:
        measures = (
            Measure.objects.filter(Q(goal__plan=plan) | Q(activity__plan=plan))
            .select_related("goal", "activity")
            .prefetch_related("targets", "values")
            .order_by("goal__order", "activity__order", "order", "pk")
        )
        rows = []
        for measure in measures:
            target = next((target for target in measure.targets.all() if target.year == year), None)
            by_then = sorted(
                (value for value in measure.values.all() if value.date.year <= year),
                key=lambda value: (value.date, value.pk),
            )
            reading = by_then[-1] if by_then else None
            owner = measure.goal.title if measure.goal_id else f"{measure.activity.number} {measure.activity.title}"
            rows.append(
                {
                    "name": measure.name,
                    "of": owner.strip(),
                    "kind": measure.kind,
                    "unit": measure.unit,
                    "direction": measure.direction,
                    "baseline": number(measure.baseline_value),
                    "baseline_text": measure.baseline_text,
                    "target": number(target.value) if target else None,
                    "target_text": target.text if target else "",
                    "has_target": target is not None,
                    "measured": number(reading.value) if reading else None,
                    "measured_text": reading.text if reading else "",
                    "measured_on": reading.date.isoformat() if reading else "",
                    "reached": reading.reached if reading else None,
                }
            )
        return {"year": year, "measures": rows}

    def report_section(self, values: dict) -> ReportSection | None:
        if not values.get("measures"):
            return None
        rows, met_count = [], 0
        for row in values["measures"]:
            measure = SimpleNamespace(is_numeric=row["kind"] == Measure.Kind.NUMERIC, direction=row["direction"])
            target = SimpleNamespace(value=None if row["target"] is None else Decimal(row["target"]))
            reading = row["measured_on"] and SimpleNamespace(
                value=None if row["measured"] is None else Decimal(row["measured"]), reached=row["reached"]
            )
            met = is_met(measure, target if row["has_target"] else None, reading or None)
            met_count += met is True
            measured = shown(row["measured"], row["measured_text"], row["unit"]) if row["measured_on"] else "–"
            rows.append(
                {
                    "measure": row["name"],
                    "of": row["of"],
                    "baseline": shown(row["baseline"], row["baseline_text"], row["unit"]),
                    "target": shown(row["target"], row["target_text"], row["unit"]) if row["has_target"] else "–",
                    "measured": f"{measured} ({row['measured_on']})" if row["measured_on"] else measured,
                    "met": "–" if met is None else (_("Yes") if met else _("No")),
                }
            )
        return ReportSection(
            heading=_("Measures against their targets %(year)s") % {"year": values["year"]},
            anchor="matt",
            page_template="activities/includes/report_measures.html",
            pdf_template="activities/pdf/report_measures.html",
            context={
                "year": str(values["year"]),
                "rows": rows,
                "table": ReportMeasureTable(rows),
                "met": met_count,
                "total": len(rows),
            },
        )
