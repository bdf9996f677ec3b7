"""Activities as a part of every plan (``plans.parts``): in its document, its copies, its history."""

from django.db.models import Count, Max, Q, prefetch_related_objects
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_tables2 import RequestConfig

from ehalsa.tables import filtered
from plans.document import rebuilt, with_rows
from plans.models import Goal
from plans.parts import PlanPart, activity_costs
from plans.services import copied_values
from plans.versions import values_of

from .due import due_in
from .effort import effort_summary
from .filters import PlanActivityFilter
from .models import (
    PHASE_OF_STATUS,
    Activity,
    ActivityReference,
    Area,
    EffortShare,
    FollowUp,
    Framework,
    FrameworkArea,
    LikaIndicator,
    Measure,
    MeasuredValue,
    MeasureTarget,
    Milestone,
    MunicipalStatus,
    Phase,
)
from .municipal import plan_statuses, statuses_missing
from .pdf_columns import filled_columns
from .report import ProgressReport
from .tables import MunicipalStatusMatrix, PlanActivityTable, effort_tables
from .timeline import build_timeline

NOT_FOLLOWED_UP = _("No follow-up yet")

# An activity's many-to-many links, each carried over by ``ActivitiesPart.copy``.
ACTIVITY_LINKS = ("lika_indicators", "goals")


class ActivitiesPart(ProgressReport, PlanPart):
    def document(self, plan) -> dict:
        activities = plan.activities.select_related("area").prefetch_related(
            "lika_indicators",
            "effort_shares__organisation",
            "follow_ups",
            "milestones",
            "references__framework",
            "references__area",
            *MEASURE_ROWS,
        )
        document = {
            "activities": activities,
            "activities_with_measures": [activity for activity in activities if activity.measures.all()],
            "activity_columns": filled_columns(activities),
            "timeline": build_timeline(activities),
            "effort": effort_summary(activities),
        }
        if plan.previous_plan_id:
            document["previous_activities"] = plan.previous_plan.activities.prefetch_related("follow_ups")
        return document

    def frozen_document(self, snapshot: dict) -> dict:
        activities = [frozen_activity(values) for values in snapshot["activities"]]
        measures = frozen_measures(snapshot)
        for activity in activities:
            with_rows(activity, "measures", Measure, measures.get(("activity", activity.pk), []))
        document = {
            "activities": activities,
            "activities_with_measures": [activity for activity in activities if activity.measures.all()],
            "activity_columns": filled_columns(activities),
            "timeline": build_timeline(activities),
            "effort": effort_summary(activities),
        }
        if snapshot["previous_follow_ups"]:
            document["previous_activities"] = [frozen_previous(values) for values in snapshot["previous_follow_ups"]]
        return document

    def goals(self, goals: list, snapshot: dict | None = None) -> None:
        """Each goal's measures with their targets: the rows' (and their measured values), or those
        frozen in ``snapshot`` (measured values are added live by ``page``, never frozen)."""
        if snapshot is None:
            prefetch_related_objects(goals, *MEASURE_ROWS)
            return
        measures = frozen_measures(snapshot)
        for goal in goals:
            with_rows(goal, "measures", Measure, measures.get(("goal", goal.pk), []))

    def snapshot(self, plan) -> dict:
        """The measures of the plan's goals and activities with their baselines and targets (plan
        content); their measured values are follow-up and stay out."""
        measures = Measure.objects.filter(Q(goal__plan=plan) | Q(activity__plan=plan)).prefetch_related("targets")
        return {
            "measures": [
                values_of(measure)
                | {
                    "goal_id": measure.goal_id,
                    "activity_id": measure.activity_id,
                    "targets": [values_of(target) for target in measure.targets.all()],
                }
                for measure in measures.order_by("order", "pk")
            ]
        }

    def page(self, request, plan, document: dict) -> dict:
        """The activity table, filtered, sorted and paged as asked. An adopted plan's activities
        are the document's (its snapshot); the filter finds which, since its rows never change."""
        activities = document["activities"]
        if isinstance(activities, list):
            activity_filter = PlanActivityFilter(request.GET or None, queryset=plan.activities.all())
            matching = set(filtered(activity_filter).values_list("pk", flat=True))
            rows = with_progress([activity for activity in activities if activity.pk in matching], plan)
            with_measured_values([measure for goal in document["goals"] for measure in goal.measures.all()])
        else:
            activity_filter = PlanActivityFilter(request.GET or None, queryset=activities)
            rows = filtered(activity_filter).prefetch_related("follow_ups", "milestones")
        table = PlanActivityTable(rows, costs=activity_costs(document))
        RequestConfig(request, paginate={"per_page": 50}).configure(table)
        ordered = plan.activities.order_by("order", "pk")  # read only where the editor lists them
        # Copied to the next period's plan and not reviewed: said where the editor's list is folded away.
        to_review = ordered.filter(to_review=True).count() if plan.is_editable else 0
        return (
            {
                "filter": activity_filter,
                "table": table,
                "ordered_activities": ordered,
                "activities_to_review": to_review,
            }
            | effort_tables(document["effort"])
            | municipal_matrix(plan)
        )

    def progress(self, plans: list) -> dict:
        """Activities per current phase (the latest follow-up's; none recorded counts apart), and the
        late ones, of each plan."""
        figures = {
            plan.pk: {"activities": 0, "phase_counts": [], "completed": 0, "late_activities": []} for plan in plans
        }
        counts: dict = {}
        rows = Activity.objects.filter(plan__in=plans).with_current_phase().order_by()
        for plan_pk, phase, count in rows.values_list("plan", "current_phase").annotate(count=Count("pk")):
            counts.setdefault(plan_pk, {})[phase] = count
        for plan_pk, by_phase in counts.items():
            figures[plan_pk] |= {
                "activities": sum(by_phase.values()),
                "completed": by_phase.get(Phase.COMPLETED, 0),
                "phase_counts": [
                    (phase.value, phase.label, by_phase[phase.value]) for phase in Phase if by_phase.get(phase.value)
                ]
                + ([("", NOT_FOLLOWED_UP, by_phase[None])] if by_phase.get(None) else []),
            }
        late = Activity.objects.filter(plan__in=plans).late().order_by("plan", "order", "pk")
        for activity in late.only("pk", "plan", "number", "title"):
            figures[activity.plan_id]["late_activities"].append(activity)
        overdue = Milestone.objects.filter(activity__plan__in=plans).overdue().select_related("activity")
        for milestone in overdue.order_by("due_date", "pk"):
            figures[milestone.activity.plan_id].setdefault("late_milestones", []).append(milestone)
        return figures

    def live_stamp(self, plan) -> str:
        """The latest change to progress and milestones: they are shown with an adopted version's
        document but are no part of it."""
        # The latest change to any progress (one probe of each history's key, no join): a change on
        # another plan gives a new key too, which costs one render and is never stale.
        latest = [
            model.history.aggregate(latest=Max("history_id"))["latest"] or ""
            for model in (FollowUp, Milestone, MunicipalStatus, MeasuredValue)
        ]
        # A new day may make a milestone late or progress stale.
        return "/".join(map(str, [*latest, timezone.localdate().isoformat()]))

    def copy(self, *, source, target, goals: dict, next_period: bool) -> None:
        """A next period's plan carries over every activity not finished, as planned activities in
        its period that continue the originals, each to be reviewed; a revision takes every activity as
        it was."""
        activities = source.activities.prefetch_related(
            "lika_indicators", "goals", "references", "effort_shares", "follow_ups", *MEASURE_ROWS
        )
        if next_period:
            # Whether an activity is done is what its latest follow-up says, else its own status.
            activities = [activity for activity in activities if not activity.is_finished]
        for activity in activities:
            anew = {}
            if next_period:
                dated = bool(activity.start_year or activity.end_year)
                anew = {
                    "start_year": target.first_year if dated else None,
                    "end_year": target.last_year if dated else None,
                    "period_note": "" if dated else activity.period_note,
                    "status": Activity.Status.PLANNED,
                    "continues_id": activity.pk,
                    # Its texts were written for the previous period: to be reviewed, as sections and goals are.
                    "to_review": True,
                }
            copy_activity(activity, target=target, goals=goals, next_period=next_period, **anew)
        for goal in Goal.objects.filter(pk__in=goals).prefetch_related(*MEASURE_ROWS):
            for measure in goal.measures.all():
                copy_measure(measure, target=target, next_period=next_period, goal_id=goals[goal.pk].pk)

    def start_page(self, user) -> dict:
        """The every-member activities of adopted plans that lack the status of the user's municipality."""
        missing = statuses_missing(user)
        return {"statuses_missing": missing} if missing else {}

    def texts_to_review(self, plan) -> list:
        return list(plan.activities.filter(to_review=True).order_by("order", "pk"))

    def history(self, plan) -> list:
        activity_ids = Activity.history.filter(plan_id=plan.pk).values("id")
        goal_ids = Goal.history.filter(plan_id=plan.pk).values("id")
        measure_ids = Measure.history.filter(Q(activity_id__in=activity_ids) | Q(goal_id__in=goal_ids)).values("id")
        return [
            Activity.history.filter(plan_id=plan.pk),
            FollowUp.history.filter(activity_id__in=activity_ids),
            Milestone.history.filter(activity_id__in=activity_ids),
            EffortShare.history.filter(activity_id__in=activity_ids),
            MunicipalStatus.history.filter(activity_id__in=activity_ids),
            *measure_history(measure_ids),
        ]

    def due(self, plans, *, today, within) -> list:
        return due_in(plans, today=today, within=within)


def municipal_matrix(plan) -> dict:
    """The status per municipality of an adopted (or superseded) plan's every-member activities:
    recorded after the adoption, read live like progress (``live_stamp``). Drafts have none yet."""
    if not plan.is_public:
        return {}
    members, rows = plan_statuses(plan)
    if not rows:
        return {}
    return {"municipal_rows": rows, "municipal_matrix": MunicipalStatusMatrix(rows, members=members)}


# A measure's rows as its table and chart read them: prefetched with the goals or activities.
MEASURE_ROWS = ("measures__targets", "measures__values")


def measure_history(measure_ids) -> list:
    """The history of measures (by a queryset of their ids), their targets and measured values."""
    return [
        Measure.history.filter(id__in=measure_ids),
        MeasureTarget.history.filter(measure_id__in=measure_ids),
        MeasuredValue.history.filter(measure_id__in=measure_ids),
    ]


def copy_activity(activity, *, target, goals: dict, next_period: bool, **anew) -> Activity:
    """One activity (with its links, references, effort per party and measures) into ``target``, with
    ``anew`` instead of its own values; ``goals`` maps goals of its plan (by id) to ``target``'s. The
    one copier of an activity: a plan's copies, and a template's activity taken into a local plan."""
    copy = Activity.objects.create(**copied_values(activity, plan_id=target.pk, **anew))
    copy.lika_indicators.set(activity.lika_indicators.all())
    copy.goals.set([goals[goal.pk] for goal in activity.goals.all() if goal.pk in goals])
    for reference in activity.references.all():
        ActivityReference.objects.create(**copied_values(reference, activity_id=copy.pk))
    for share in activity.effort_shares.all():
        EffortShare.objects.create(**copied_values(share, activity_id=copy.pk))
    for measure in activity.measures.all():
        copy_measure(measure, target=target, next_period=next_period, activity_id=copy.pk)
    return copy


def copy_measure(measure, *, target, next_period: bool, **owner) -> None:
    """A measure into ``target``'s goal or activity (``owner``). A revision takes it as it is; the next
    period's plan starts from the latest value measured (its new baseline, "Nuläge") and keeps the
    targets that lie in its own period."""
    anew, targets = {}, list(measure.targets.all())
    if next_period:
        if latest := measure.summary.latest:
            anew = {"baseline_date": latest.date, "baseline_value": latest.value, "baseline_text": latest.text}
        targets = [t for t in targets if target.first_year <= t.year <= target.last_year]
    copy = Measure.objects.create(**copied_values(measure, **owner, **anew))
    for row in targets:
        MeasureTarget.objects.create(**copied_values(row, measure_id=copy.pk))


def frozen_measures(snapshot: dict) -> dict[tuple[str, int], list]:
    """The measures frozen in ``snapshot`` with their targets, by ("goal", id) and ("activity", id) of
    what they were listed under; no measured values (``with_measured_values`` adds them live)."""
    measures: dict[tuple[str, int], list] = {}
    for values in snapshot.get("measures", []):  # versions frozen before measures have none
        measure = rebuilt(Measure, values)
        targets = [rebuilt(MeasureTarget, row, measure=measure) for row in values["targets"]]
        with_rows(with_rows(measure, "targets", MeasureTarget, targets), "values", MeasuredValue, [])
        owner = ("goal", values["goal_id"]) if values["goal_id"] else ("activity", values["activity_id"])
        measures.setdefault(owner, []).append(measure)
    return measures


def with_measured_values(measures: list) -> list:
    """Frozen measures with the values measured to date (follow-up, never frozen), as ``with_progress``."""
    values: dict[int, list] = {}
    for value in MeasuredValue.objects.filter(measure__in=[m.pk for m in measures]).order_by("date", "pk"):
        values.setdefault(value.measure_id, []).append(value)
    for measure in measures:
        for value in values.get(measure.pk, []):
            value.measure = measure  # its unit, without asking the database
        with_rows(measure, "values", MeasuredValue, values.get(measure.pk, []))
        measure.__dict__.pop("summary", None)  # read again with them
        measure.__dict__.pop("chart", None)
    return measures


def with_progress(activities: list, plan) -> list:
    """Activities as frozen in an adopted version, with their follow-ups and milestones as recorded
    to date (their current progress): progress is recorded after the adoption and never frozen."""
    follow_ups: dict[int, list] = {}
    for follow_up in FollowUp.objects.filter(activity__plan=plan).order_by("date", "pk"):
        follow_ups.setdefault(follow_up.activity_id, []).append(follow_up)
    milestones: dict[int, list] = {}
    for milestone in Milestone.objects.filter(activity__plan=plan):
        milestones.setdefault(milestone.activity_id, []).append(milestone)
    for activity in activities:
        with_rows(activity, "follow_ups", FollowUp, follow_ups.get(activity.pk, []))
        with_rows(activity, "milestones", Milestone, milestones.get(activity.pk, []))
    return activities


def frozen_activity(values: dict) -> Activity:
    activity = rebuilt(Activity, values)
    activity.area = Area(name=values["area"]) if values.get("area") else None
    indicators = [LikaIndicator(code=code) for code in values["lika_indicators"]]
    with_rows(activity, "lika_indicators", LikaIndicator, indicators)
    with_rows(activity, "goals", Goal, [Goal(title=title) for title in values["goals"]])
    references = [frozen_reference(reference) for reference in values.get("references", [])]
    with_rows(activity, "references", ActivityReference, references)
    return with_rows(activity, "effort_shares", EffortShare, [frozen_share(share) for share in values["effort_shares"]])


def frozen_reference(values: dict) -> ActivityReference:
    """A national reference as frozen: its framework by its short name, its area by its name (frozen
    as "<framework>: <area>")."""
    reference = rebuilt(ActivityReference, values)
    reference.framework = Framework(short_name=values["framework"])
    area = values.get("area") or ""
    reference.area = FrameworkArea(name=area.removeprefix(f"{values['framework']}: ")) if area else None
    return reference


def frozen_share(values: dict) -> EffortShare:
    """A party's effort as frozen: the organisation by its name, as a party named in words is."""
    share = rebuilt(EffortShare, values)
    share.party = values["organisation"] or values["party"]
    return share


def frozen_previous(values: dict) -> Activity:
    """An activity of the previous plan with its latest follow-up as it was at adoption (versions
    frozen before follow-ups had phases hold the status, shown as the phase it stands for)."""
    activity = Activity(pk=values["id"], number=values["number"], title=values["title"], status=values["status"])
    follow_ups = []
    if follow_up := values["follow_up"]:
        phase = follow_up.get("phase") or PHASE_OF_STATUS.get(follow_up.get("status"), Phase.NOT_STARTED)
        follow_ups = [rebuilt(FollowUp, follow_up | {"phase": phase})]
    return with_rows(activity, "follow_ups", FollowUp, follow_ups)
