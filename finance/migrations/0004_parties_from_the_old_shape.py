"""The old budget's two columns become parties: the member municipalities (whose fund the balance
was) and the region (paying its share directly). Each key's region/municipalities percentages become
the parties' shares; a key for one year becomes a key from that year, followed by the plan's key for
all years (or the old default 50/50) from the next year, so every year is shared as before. Lines
attributed to the municipalities or the region are booked in their column; the opening balance is the
fund's. A plan with lines and no key gets the old default, 50/50 split equally, written out."""

from decimal import Decimal

from django.db import migrations
from django.db.models import F

FIFTY = Decimal(50)


def forward(apps, schema_editor):
    ActionPlan = apps.get_model("plans", "ActionPlan")
    Party = apps.get_model("finance", "FinancingParty")
    Key = apps.get_model("finance", "CostSharingKey")
    Share = apps.get_model("finance", "KeyShare")
    Entry = apps.get_model("finance", "BudgetEntry")
    HistoricalKey = apps.get_model("finance", "HistoricalCostSharingKey")
    HistoricalKey.objects.update(from_year=F("year"))
    plan_ids = set(Entry.objects.values_list("plan_id", flat=True)) | set(Key.objects.values_list("plan_id", flat=True))
    for plan in ActionPlan.objects.filter(pk__in=plan_ids).select_related("cooperation"):
        municipalities = Party.objects.create(plan=plan, order=1, is_municipalities=True, in_fund=True)
        region_organisation = plan.cooperation.members.filter(kind="region").order_by("name").first()
        region = Party.objects.create(
            plan=plan,
            order=2,
            organisation=region_organisation,
            name="" if region_organisation else "Regionen",
            in_fund=False,
        )
        keys = list(Key.objects.filter(plan=plan).order_by("year"))
        base = next((key for key in keys if key.year is None), None)
        if base is None:
            base = Key.objects.create(plan=plan, region_percent=FIFTY, municipalities_percent=FIFTY)
            keys.insert(0, base)
        specific_years = {key.year for key in keys if key.year is not None}
        for key in list(keys):
            key.from_year = key.year
            key.save(update_fields=["from_year"])
            after = (key.year or 0) + 1
            if key.year is not None and after <= plan.last_year and after not in specific_years:
                keys.append(
                    Key.objects.create(
                        plan=plan,
                        from_year=after,
                        region_percent=base.region_percent,
                        municipalities_percent=base.municipalities_percent,
                        municipal_split=base.municipal_split,
                        population_date=base.population_date,
                    )
                )
                specific_years.add(after)
        for key in keys:
            for party, percent in ((municipalities, key.municipalities_percent), (region, key.region_percent)):
                if percent:
                    Share.objects.create(key=key, party=party, percent=percent)
        Entry.objects.filter(plan=plan, attribution="region").update(party=region)
        Entry.objects.filter(plan=plan, attribution="municipalities").exclude(kind="opening_balance").update(
            party=municipalities
        )


class Migration(migrations.Migration):
    dependencies = [
        ("finance", "0003_parties_keys_headings"),
        ("governance", "0001_initial"),
    ]

    operations = [migrations.RunPython(forward, migrations.RunPython.noop)]
