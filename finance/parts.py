"""The budget as a part of every plan (``plans.parts``): in its document, its snapshot, its copies,
its history."""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext

from governance.models import Organisation
from plans.document import rebuilt, with_rows
from plans.parts import PlanPart
from plans.services import copied_values
from plans.versions import values_of

from .budget import (
    CarriedBalance,
    carried_balance,
    compute_budget_years,
    municipal_shares,
    plan_budget,
    sharing_municipalities,
    total_of,
)
from .chart import build_chart
from .models import BudgetEntry, BudgetHeading, BudgetOutcome, CostSharingKey, FinancingParty, KeyShare, MunicipalAmount
from .report import OutcomeReport
from .sharing import apportion


def document_of(budget_years, parties, keys) -> dict:
    return {
        "parties": parties,
        "keys": keys,
        "budget_years": budget_years,
        "carried": next((year.carried for year in budget_years if year.carried), None),
        "chart": build_chart(budget_years),
    }


class BudgetPart(OutcomeReport, PlanPart):
    def document(self, plan) -> dict:
        budget_years = plan_budget(plan)
        parties = budget_years[0].parties if budget_years else []
        keys = list(plan.cost_keys.prefetch_related("shares__party__organisation", "municipal_amounts"))
        return document_of(budget_years, parties, keys)

    def activity_costs(self, document: dict) -> dict:
        """Each cost line linked to activities is shared equally between them, to the krona."""
        costs: dict = {}
        for year in document.get("budget_years", []):
            for line in year.cost_lines:
                keys = linked_activities(line.entry)
                for key, amount in zip(keys, apportion(line.amount, [1] * len(keys)), strict=True):
                    costs[key] = costs.get(key, Decimal(0)) + amount
        return costs

    def activity_cost_lines(self, activity) -> list:
        lines = []
        for entry in activity.budget_entries.filter(kind=BudgetEntry.Kind.COST).prefetch_related("activities"):
            shared = entry.activities.count()
            total = sum((amount for _, amount in entry.amounts_by_year(activity.plan.last_year)), Decimal(0))
            lines.append((entry, total, shared))
        return lines

    def organisation_share(self, plan, organisation) -> list | None:
        """A party's net share per year, or a member municipality's part of the municipalities'."""
        budget_years = plan_budget(plan)
        if not budget_years:
            return None
        for party in budget_years[0].parties:
            if party.organisation_id == organisation.pk:
                return [(year.year, year.net_share(party)) for year in budget_years]
        keys = list(plan.cost_keys.prefetch_related("municipal_amounts"))
        try:
            rows = municipal_shares(budget_years, keys, sharing_municipalities(plan))
        except ValidationError:
            return None
        for row in rows:
            if row.municipality.pk == organisation.pk:
                return list(zip([year.year for year in budget_years], row.shares, strict=True))
        return None

    def live_stamp(self, plan) -> str:
        """The latest change to any outcome recorded after adoption (shown in the plan's overview)."""
        return str(BudgetOutcome.history.aggregate(latest=Max("history_id"))["latest"] or "")

    def progress(self, plans: list) -> dict:
        """The budgeted costs of the years begun against what they came to, as far as recorded."""
        this_year = timezone.localdate().year
        figures = {}
        for plan in plans:
            budget_years = plan_budget(plan)
            if not any(year.cost_lines for year in budget_years):
                continue
            begun = [line for year in budget_years if year.year <= this_year for line in year.cost_lines]
            recorded = [line for line in begun if line.outcome is not None]
            figures[plan.pk] = {
                "budget_costs": sum((year.costs_total for year in budget_years), Decimal(0)),
                "budget_to_date": total_of(begun),
                "budget_through": min(this_year, budget_years[-1].year),
                "outcome_to_date": sum((line.outcome for line in recorded), Decimal(0)),
                "outcome_lines": len(recorded),
                "lines_to_date": len(begun),
            }
        return figures

    def snapshot(self, plan) -> dict:
        carried = carried_balance(plan)
        return {
            "parties": [
                values_of(party) | {"municipalities": [m.name for m in party.municipalities.all()]}
                for party in plan.parties.select_related("organisation").prefetch_related("municipalities")
            ],
            "keys": [
                values_of(key)
                | {
                    "shares": [{"party_id": s.party_id, "percent": str(s.percent)} for s in key.shares.all()],
                    "municipal_amounts": [
                        {"organisation_id": a.organisation_id, "amount": str(a.amount)}
                        for a in key.municipal_amounts.all()
                    ],
                }
                for key in plan.cost_keys.prefetch_related("shares", "municipal_amounts")
            ],
            "headings": [values_of(heading) for heading in plan.budget_headings.all()],
            "budget": [
                values_of(entry)
                | {
                    "party_id": entry.party_id,
                    "heading_id": entry.heading_id,
                    "activities": [activity.number or activity.title for activity in entry.activities.all()],
                }
                for entry in plan.budget_entries.select_related("party__organisation", "heading").prefetch_related(
                    "activities"
                )
            ],
            "carried": carried and {"year": carried.year, "amount": str(carried.amount), "source": carried.source},
            # Who shared the municipalities' part when the plan was adopted, and by what population:
            # the budget page divides an adopted plan's costs among these (``sharing_municipalities``).
            "member_municipalities": [
                {
                    "id": member.pk,
                    "name": member.name,
                    "population": member.population,
                    "population_date": member.population_date and member.population_date.isoformat(),
                }
                for member in plan.cooperation.members.municipalities().order_by("name")
            ],
        }

    def frozen_document(self, snapshot: dict) -> dict:
        snapshot = upgraded_budget(snapshot)
        parties = []
        for values in snapshot["parties"]:
            party = rebuilt(FinancingParty, values, pk=values["id"])
            party.name = values.get("name") or values.get("organisation") or ""
            chosen = [Organisation(name=name) for name in values.get("municipalities", [])]
            parties.append(with_rows(party, "municipalities", Organisation, chosen))
        by_pk = {party.pk: party for party in parties}
        keys = []
        for values in snapshot["keys"]:
            key = rebuilt(CostSharingKey, values, pk=values.get("id"))
            shares = [
                KeyShare(party=by_pk[share["party_id"]], percent=Decimal(share["percent"]))
                for share in values["shares"]
                if share["party_id"] in by_pk
            ]
            amounts = [
                MunicipalAmount(organisation_id=row["organisation_id"], amount=Decimal(row["amount"]))
                for row in values.get("municipal_amounts", [])
            ]
            keys.append(
                with_rows(with_rows(key, "shares", KeyShare, shares), "municipal_amounts", MunicipalAmount, amounts)
            )
        headings = {values["id"]: rebuilt(BudgetHeading, values, pk=values["id"]) for values in snapshot["headings"]}
        entries = []
        for values in snapshot["budget"]:
            entry = rebuilt(BudgetEntry, values, pk=values.get("id"))
            entry.party_id = values.get("party_id")
            entry.linked_activities = values.get("activities", [])
            if values.get("heading_id") in headings:
                entry.heading = headings[values["heading_id"]]
            entries.append(entry)
        entries.sort(key=lambda e: (e.year, e.order, e.pk or 0))
        carried = snapshot.get("carried")
        carried = carried and CarriedBalance(carried["year"], Decimal(carried["amount"]), carried["source"])
        last_year = snapshot.get("plan", {}).get("last_year")
        budget_years = compute_budget_years(entries, keys, parties, last_year=last_year, carried=carried)
        return document_of(budget_years, parties, keys)

    def copy(self, *, source, target, goals: dict, next_period: bool) -> None:
        """A revision takes every party, key, heading and line. The next period's plan takes the
        parties, the keys (the latest in force, from its start), the headings and the lines that
        recur every year, moved into its own years; its opening balance is carried over."""
        parties = {}
        for party in source.parties.all():
            copy = FinancingParty.objects.create(**copied_values(party, plan_id=target.pk))
            copy.municipalities.set(party.municipalities.all())
            parties[party.pk] = copy
        headings = {
            heading.pk: BudgetHeading.objects.create(**copied_values(heading, plan_id=target.pk))
            for heading in source.budget_headings.all()
        }
        keys = list(source.cost_keys.prefetch_related("shares", "municipal_amounts"))
        if next_period and keys:
            latest = max(keys, key=lambda key: key.from_year or 0)
            keys = [latest]
        for key in keys:
            copy = CostSharingKey.objects.create(
                **copied_values(key, plan_id=target.pk, **({"from_year": None} if next_period else {}))
            )
            for share in key.shares.all():
                KeyShare.objects.create(key=copy, party=parties[share.party_id], percent=share.percent)
            for row in key.municipal_amounts.all():
                MunicipalAmount.objects.create(key=copy, organisation_id=row.organisation_id, amount=row.amount)
        for entry in source.budget_entries.all():
            moved = {}
            if next_period:
                if (
                    entry.repeat != BudgetEntry.Repeat.EVERY_YEAR
                    or (entry.last_year or source.last_year) < source.last_year
                ):
                    continue
                moved = {"year": target.first_year, "last_year": None, "outcome": None, "is_estimate": True}
            copy = BudgetEntry.objects.create(
                **copied_values(
                    entry,
                    plan_id=target.pk,
                    party_id=parties[entry.party_id].pk if entry.party_id else None,
                    heading_id=headings[entry.heading_id].pk if entry.heading_id else None,
                    **moved,
                )
            )
            if not next_period:
                copy.activities.set(target.activities.filter(number__in=[a.number for a in entry.activities.all()]))

    def history(self, plan) -> list:
        keys = CostSharingKey.history.filter(plan_id=plan.pk).values("id")
        return [
            BudgetEntry.history.filter(plan_id=plan.pk),
            CostSharingKey.history.filter(plan_id=plan.pk),
            FinancingParty.history.filter(plan_id=plan.pk),
            BudgetHeading.history.filter(plan_id=plan.pk),
            KeyShare.history.filter(key_id__in=keys),
            MunicipalAmount.history.filter(key_id__in=keys),
        ]


def upgraded_budget(snapshot: dict) -> dict:
    """A snapshot frozen before parties (two columns: the municipalities' fund and the region) read
    as parties, as migration finance 0004 converts the rows."""
    if "parties" in snapshot:
        return snapshot
    municipalities = {"id": -1, "order": 1, "is_municipalities": True, "name": "", "in_fund": True}
    region = {"id": -2, "order": 2, "is_municipalities": False, "name": gettext("Region"), "in_fund": False}
    old_keys = snapshot.get("keys", [])
    base = next((key for key in old_keys if key.get("year") is None), None) or {
        "region_percent": "50",
        "municipalities_percent": "50",
        "municipal_split": "equal",
    }
    keys, years = [], {key.get("year") for key in old_keys}
    for key in old_keys or [base]:
        keys.append(key | {"from_year": key.get("year")})
        after = (key.get("year") or 0) + 1
        if key.get("year") and after not in years:
            keys.append(base | {"from_year": after})
            years.add(after)
    for key in keys:
        key["shares"] = [
            {"party_id": -1, "percent": key.get("municipalities_percent", "50")},
            {"party_id": -2, "percent": key.get("region_percent", "50")},
        ]
        key.pop("id", None)
    attribution = {"municipalities": -1, "region": -2}
    budget = [
        line | {"party_id": None if line.get("kind") == "opening_balance" else attribution.get(line.get("attribution"))}
        for line in snapshot.get("budget", [])
    ]
    return snapshot | {"parties": [municipalities, region], "keys": keys, "headings": [], "budget": budget}


def linked_activities(entry) -> list:
    """The numbers (or titles) of the activities a line pays for: a live line's, or a frozen one's."""
    if hasattr(entry, "linked_activities"):
        return entry.linked_activities
    return [activity.number or activity.title for activity in entry.activities.all()]
