"""Follow-ups record progress: a phase (instead of the activity's status) and the year it is for.

Each old status becomes the phase it stands for, in the follow-ups and in their history; a
follow-up's year is the year it was dated when that lies within its plan's period, else empty.
"""

import django.core.validators
from django.db import migrations, models

PHASE_OF_STATUS = {
    "planned": "not_started",
    "ongoing": "ongoing",
    "completed": "completed",
    "partly_completed": "partly_completed",
    "postponed": "postponed",
    "cancelled": "cancelled",
}
STATUS_OF_PHASE = {phase: status for status, phase in PHASE_OF_STATUS.items()} | {"pre_study": "planned"}

PHASES = [
    ("not_started", "Not started"),
    ("pre_study", "Pre-study"),
    ("ongoing", "Ongoing"),
    ("completed", "Completed"),
    ("partly_completed", "Partly completed"),
    ("postponed", "Postponed"),
    ("cancelled", "Cancelled"),
]
YEAR_VALIDATORS = [
    django.core.validators.MinValueValidator(2000),
    django.core.validators.MaxValueValidator(2100),
]


def phases_from_statuses(apps, schema_editor):
    FollowUp = apps.get_model("activities", "FollowUp")
    periods = {}
    for follow_up in FollowUp.objects.select_related("activity__plan"):
        follow_up.phase = PHASE_OF_STATUS.get(follow_up.status, "not_started")
        plan = follow_up.activity.plan
        if plan.first_year <= follow_up.date.year <= plan.last_year:
            follow_up.period = follow_up.date.year
        periods[follow_up.pk] = follow_up.period
        follow_up.save(update_fields=["phase", "period"])
    history = apps.get_model("activities", "HistoricalFollowUp")
    for status, phase in PHASE_OF_STATUS.items():
        history.objects.filter(status=status).update(phase=phase)
    for follow_up_id, period in periods.items():
        if period is not None:
            history.objects.filter(id=follow_up_id).update(period=period)


def statuses_from_phases(apps, schema_editor):
    for name in ("FollowUp", "HistoricalFollowUp"):
        model = apps.get_model("activities", name)
        for phase, status in STATUS_OF_PHASE.items():
            model.objects.filter(phase=phase).update(status=status)


class Migration(migrations.Migration):
    dependencies = [
        ("activities", "0010_effort_share_as_written"),
    ]

    operations = [
        migrations.AddField(
            model_name="followup",
            name="phase",
            field=models.CharField(choices=PHASES, default="not_started", max_length=20, verbose_name="phase"),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="historicalfollowup",
            name="phase",
            field=models.CharField(choices=PHASES, default="not_started", max_length=20, verbose_name="phase"),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="followup",
            name="period",
            field=models.PositiveSmallIntegerField(
                help_text="The year of the plan the progress is for.",
                null=True,
                validators=YEAR_VALIDATORS,
                verbose_name="year",
            ),
        ),
        migrations.AddField(
            model_name="historicalfollowup",
            name="period",
            field=models.PositiveSmallIntegerField(
                help_text="The year of the plan the progress is for.",
                null=True,
                validators=YEAR_VALIDATORS,
                verbose_name="year",
            ),
        ),
        migrations.RunPython(phases_from_statuses, statuses_from_phases),
        migrations.RemoveField(model_name="followup", name="status"),
        migrations.RemoveField(model_name="historicalfollowup", name="status"),
        migrations.AlterField(
            model_name="followup",
            name="text",
            field=models.TextField(verbose_name="comment"),
        ),
        migrations.AlterField(
            model_name="historicalfollowup",
            name="text",
            field=models.TextField(verbose_name="comment"),
        ),
    ]
