"""Keep ``ActionPlan.content_changed_at`` current, so cached plan pages are never stale.

These receivers carry no domain rules: they only note that something a plan page shows has changed.
"""

from django.db.models import Q
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.utils import timezone

from .models import ActionPlan, Goal, Section


def touch_plans(plan_ids) -> None:
    """The plans and the plans that follow them up (their pages show the follow-ups)."""
    plan_ids = [plan_id for plan_id in plan_ids if plan_id]
    if plan_ids:
        ActionPlan.objects.filter(Q(pk__in=plan_ids) | Q(previous_plan__in=plan_ids)).update(
            content_changed_at=timezone.now()
        )


def touch_all_plans() -> None:
    ActionPlan.objects.update(content_changed_at=timezone.now())


def plan_id_of(instance):
    if hasattr(instance, "plan_id"):
        return instance.plan_id
    activity = getattr(instance, "activity", None)
    return activity.plan_id if activity is not None else None


def on_plan_part_changed(sender, instance, **kwargs):
    touch_plans([plan_id_of(instance)])


def on_reference_data_changed(sender, instance, **kwargs):
    touch_all_plans()


def on_activity_mappings_changed(sender, instance, action, reverse, model, pk_set, **kwargs):
    if not action.startswith("post_"):
        return
    if not reverse:
        touch_plans([instance.plan_id])
    elif pk_set:
        touch_plans(model.objects.filter(pk__in=pk_set).values_list("plan_id", flat=True))
    else:
        touch_all_plans()


def connect() -> None:
    from activities.models import (
        Activity,
        ActivityReference,
        Area,
        EffortShare,
        FollowUp,
        Framework,
        FrameworkArea,
        LikaIndicator,
    )
    from finance.models import BudgetEntry, CostSharingKey
    from governance.models import Body, Cooperation, Decision, Organisation

    for model in (
        Section,
        Goal,
        Activity,
        ActivityReference,
        FollowUp,
        EffortShare,
        BudgetEntry,
        CostSharingKey,
        Decision,
    ):
        post_save.connect(on_plan_part_changed, sender=model, dispatch_uid=f"touch-plan-save-{model.__name__}")
        post_delete.connect(on_plan_part_changed, sender=model, dispatch_uid=f"touch-plan-delete-{model.__name__}")
    for model in (Area, LikaIndicator, Framework, FrameworkArea, Body, Cooperation, Organisation):
        post_save.connect(on_reference_data_changed, sender=model, dispatch_uid=f"touch-all-save-{model.__name__}")
        post_delete.connect(on_reference_data_changed, sender=model, dispatch_uid=f"touch-all-delete-{model.__name__}")
    for through in (Activity.lika_indicators.through, Activity.goals.through):
        m2m_changed.connect(on_activity_mappings_changed, sender=through, dispatch_uid=f"touch-m2m-{through.__name__}")
