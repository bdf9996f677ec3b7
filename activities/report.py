"""The activities' section of a plan's yearly follow-up report (``plans.reports``): each activity's
progress in the report's year, read from its latest follow-up for that year.

Timeliness is derived, never recorded, as on the activity's page, but as at the end of the report's
year: an activity whose progress is not finished (``FINISHED_PHASES``) and whose end year is the
report's year or earlier is late. The values keep the phase's code and the derived flag, never a
label, so a frozen report reads the same in any language.
"""

from collections import Counter

import django_tables2 as tables
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ehalsa.tables import BaseTable, RowHeaderColumn
from plans.parts import ReportSection

from .models import FINISHED_PHASES, FollowUp, Phase


class ReportProgressTable(BaseTable):
    """Each activity's progress in the report's year (rows of the report's values)."""

    number = tables.Column(verbose_name=gettext_lazy("No."))
    title = RowHeaderColumn(verbose_name=gettext_lazy("Activity"))
    phase = tables.Column(verbose_name=gettext_lazy("Phase"))
    timeliness = tables.Column(verbose_name=gettext_lazy("Timeliness"))
    date = tables.Column(verbose_name=gettext_lazy("Date"), attrs={"td": {"class": "nowrap"}})
    comment = tables.Column(verbose_name=gettext_lazy("Comment"))

    class Meta(BaseTable.Meta):
        orderable = False
        per_page = 10_000


def is_late_at_end_of(year: int, *, end_year: int | None, phase: str | None) -> bool:
    return phase is not None and phase not in FINISHED_PHASES and end_year is not None and end_year <= year


class ProgressReport:
    """``PlanPart``'s report methods for the activities (mixed into ``ActivitiesPart``)."""

    report_key = "progress"

    def report_missing(self, plan, year: int) -> str:
        if FollowUp.objects.filter(activity__plan=plan, period=year).exists():
            return ""
        return _(
            "No progress is recorded for %(year)s. Record the progress of the plan's activities for %(year)s "
            "first (“Record a follow-up” on each activity's page), then compile the report."
        ) % {"year": year}

    def report_values(self, plan, year: int) -> dict:
        latest = {}
        for follow_up in FollowUp.objects.filter(activity__plan=plan, period=year).order_by("date", "pk"):
            latest[follow_up.activity_id] = follow_up
        rows = []
        for activity in plan.activities.order_by("order", "pk"):
            follow_up = latest.get(activity.pk)
            rows.append(
                {
                    "id": activity.pk,
                    "number": activity.number,
                    "title": activity.title,
                    "end_year": activity.end_year,
                    "follow_up": follow_up
                    and {"date": follow_up.date.isoformat(), "phase": follow_up.phase, "text": follow_up.text},
                    "late": is_late_at_end_of(
                        year, end_year=activity.end_year, phase=follow_up.phase if follow_up else None
                    ),
                }
            )
        return {"year": year, "activities": rows}

    def report_section(self, values: dict) -> ReportSection:
        labels = dict(Phase.choices)
        counts = Counter()
        rows = []
        for row in values["activities"]:
            follow_up = row["follow_up"]
            if follow_up:
                counts[follow_up["phase"]] += 1
            rows.append(
                {
                    "number": row["number"],
                    "title": row["title"],
                    "phase": labels.get(follow_up["phase"], follow_up["phase"]) if follow_up else _("Not followed up"),
                    "timeliness": (_("Late") if row["late"] else _("In time")) if follow_up else "–",
                    "date": follow_up["date"] if follow_up else "–",
                    "comment": follow_up["text"] if follow_up else "",
                }
            )
        return ReportSection(
            heading=_("Progress of the activities %(year)s") % {"year": values["year"]},
            anchor="insatser",
            page_template="activities/includes/report_progress.html",
            pdf_template="activities/pdf/report_progress.html",
            context={
                "year": str(values["year"]),
                "rows": rows,
                "table": ReportProgressTable(rows),
                "phases": [(label, counts[code]) for code, label in Phase.choices if counts[code]],
                "followed_up": sum(counts.values()),
                "total": len(rows),
                "late": sum(1 for row in values["activities"] if row["late"]),
            },
        )
