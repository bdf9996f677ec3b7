"""A national data set for scale tests: every region, all 290 municipalities, one e-health
cooperation per county with its bodies, plans over ten years with activities, budgets, decisions
and adopted versions. Deterministic: the same seed and size give the same data.

Organisations already loaded (the reference data) are reused; the municipalities missing from it
are made up per county (SCB's counts), named "Kommun N i <län>" so nobody mistakes them for real.
"""

import random
from collections.abc import Callable
from datetime import date
from decimal import Decimal

from django.db import transaction

from activities.models import Activity, Area, LikaIndicator
from finance.models import BudgetEntry, CostSharingKey
from governance.models import Body, Cooperation, Decision, Organisation
from plans.adoption import plan_freeze
from plans.models import ActionPlan, AdoptionStep, Goal, Section

from .seeding import load_reference_data

# Municipalities per county (SCB): 290 in all.
MUNICIPALITIES_PER_COUNTY = {
    "Stockholms län": 26,
    "Uppsala län": 8,
    "Södermanlands län": 9,
    "Östergötlands län": 13,
    "Jönköpings län": 13,
    "Kronobergs län": 8,
    "Kalmar län": 12,
    "Gotlands län": 1,
    "Blekinge län": 5,
    "Skåne län": 33,
    "Hallands län": 6,
    "Västra Götalands län": 49,
    "Värmlands län": 16,
    "Örebro län": 12,
    "Västmanlands län": 10,
    "Dalarnas län": 15,
    "Gävleborgs län": 10,
    "Västernorrlands län": 7,
    "Jämtlands län": 8,
    "Västerbottens län": 15,
    "Norrbottens län": 14,
}
FIRST_YEAR = 2017
PERIODS = [(year, year + 1) for year in range(FIRST_YEAR, FIRST_YEAR + 10, 2)]  # 2017–2018 … 2025–2026
NAME_PREFIX = "Ehälsosamverkan i "

VERBS = ["Införa", "Utveckla", "Utreda", "Upphandla", "Pilottesta", "Sprida", "Utvärdera", "Samordna"]
THINGS = [
    "digitala trygghetslarm",
    "nyckelfri hemtjänst",
    "läkemedelsrobotar",
    "videomöten i samordnad vårdplanering",
    "e-tjänster för anhöriga",
    "digital signering av insatser",
    "sensorer för nattillsyn",
    "gemensam informationsförsörjning",
    "mobil dokumentation",
    "invånartjänster via 1177",
    "välfärdsteknik i LSS-boenden",
    "informationssäkerhetsutbildning",
]
WHERE = [
    "i hemtjänsten",
    "i särskilt boende",
    "i länets kommuner",
    "i socialtjänsten",
    "för personer med funktionsnedsättning",
]
OWNERS = ["Kommunerna", "Regionen", "Nätverket för ehälsa", "Länets socialchefer", "Ehälsosamordnaren"]


# Each plan year: what comes in and what it costs (kr, drawn between low and high).
YEARLY_BUDGET_LINES = [
    (BudgetEntry.Kind.INCOME, BudgetEntry.Category.STATE_GRANT, "Stimulansmedel", 1_000_000, 4_000_000),
    (BudgetEntry.Kind.COST, BudgetEntry.Category.COORDINATOR, "Ehälsosamordnare", 700_000, 1_200_000),
    (BudgetEntry.Kind.COST, BudgetEntry.Category.ACTIVITIES, "Aktiviteter", 300_000, 2_500_000),
]


class NationalDataExists(Exception):
    pass


def generate(*, activities: int, seed: int = 2026, progress: Callable[[str, int, int], None] | None = None) -> dict:
    """Create the data set; returns what was made. Refuses to run twice on one database."""
    if Cooperation.objects.filter(name__startswith=NAME_PREFIX).exists():
        raise NationalDataExists("National data has already been generated in this database.")
    progress = progress or (lambda stage, done, total: None)
    load_reference_data()
    with transaction.atomic():
        # One random stream per stage: the size asked for changes the activities, not the rest.
        municipalities = complete_municipalities(random.Random(seed))
        cooperations = make_cooperations(municipalities)
        plans = make_plans(cooperations)
        make_activities(random.Random(seed + 1), plans, activities, progress)
        made = adopt_plans(random.Random(seed + 2), plans, progress)
    made.update(
        regions=Organisation.objects.filter(kind=Organisation.Kind.REGION).count(),
        municipalities=sum(len(members) for members in municipalities.values()),
        cooperations=len(cooperations),
        plans=sum(len(p) for p in plans.values()),
        activities=activities,
    )
    return made


def complete_municipalities(rng) -> dict[str, list[Organisation]]:
    by_county = {county: [] for county in MUNICIPALITIES_PER_COUNTY}
    for municipality in Organisation.objects.filter(kind=Organisation.Kind.MUNICIPALITY).order_by("name"):
        if (
            municipality.county in by_county
            and len(by_county[municipality.county]) < MUNICIPALITIES_PER_COUNTY[municipality.county]
        ):
            by_county[municipality.county].append(municipality)
    new = []
    for county, wanted in MUNICIPALITIES_PER_COUNTY.items():
        for number in range(len(by_county[county]) + 1, wanted + 1):
            municipality = Organisation(
                name=f"Kommun {number} i {county}",
                kind=Organisation.Kind.MUNICIPALITY,
                county=county,
                population=rng.randint(2_500, 150_000),
                population_date=date(2024, 12, 31),
            )
            by_county[county].append(municipality)
            new.append(municipality)
    Organisation.objects.bulk_create(new)
    return by_county


def make_cooperations(municipalities) -> dict[str, Cooperation]:
    regions = {region.county: region for region in Organisation.objects.filter(kind=Organisation.Kind.REGION)}
    cooperations = {}
    for county, members in municipalities.items():
        region = regions[county]
        cooperation = Cooperation.objects.create(
            name=NAME_PREFIX + county,
            short_name=county.removesuffix(" län").removesuffix("s"),
            county=county,
            lead_organisation=region,
            description=f"Regionens och kommunernas gemensamma arbete med e-hälsa i {county}.",
        )
        cooperation.members.set([region, *members])
        Body.objects.bulk_create(
            [
                Body(cooperation=cooperation, level=Body.Level.POLITICAL, name="Politiskt samråd", short_name="PS"),
                Body(cooperation=cooperation, level=Body.Level.STRATEGIC, name="Ledningsgrupp vård och omsorg"),
                Body(cooperation=cooperation, level=Body.Level.TACTICAL, name="Nätverket för ehälsa"),
                Body(cooperation=cooperation, level=Body.Level.OPERATIVE_EXECUTION, name="Arbetsgruppen"),
            ]
            + [
                Body(organisation=member, level=Body.Level.POLITICAL, name="Socialnämnden", short_name="SN")
                for member in members
            ]
        )
        cooperations[county] = cooperation
    return cooperations


def make_plans(cooperations) -> dict[str, list[ActionPlan]]:
    """Five two-year plans per cooperation, each following the one before; the newest is the
    current plan, a third of the cooperations are writing the next one, a third have it out for adoption."""
    plans = {}
    for index, (county, cooperation) in enumerate(cooperations.items()):
        periods = list(PERIODS)
        if index % 3:
            periods.append((PERIODS[-1][1] + 1, PERIODS[-1][1] + 2))
        previous = None
        plans[county] = []
        for first, last in periods:
            plan = ActionPlan.objects.create(
                cooperation=cooperation,
                title=f"Handlingsplan för ehälsa i {county.removesuffix(' län')} {first}–{last}",
                first_year=first,
                last_year=last,
                status=ActionPlan.Status.DRAFT,
                previous_plan=previous,
            )
            Section.objects.bulk_create(
                [
                    Section(plan=plan, order=1, heading="Bakgrund", body=f"Planen gäller {first}–{last}."),
                    Section(plan=plan, order=2, heading="Syfte", body="Att samordna arbetet med e-hälsa."),
                ]
            )
            Goal.objects.bulk_create(
                Goal(plan=plan, order=n, title=title)
                for n, title in enumerate(["Trygg och säker vård och omsorg", "Ökad delaktighet för invånarna"], 1)
            )
            plans[county].append(plan)
            previous = plan
    return plans


def make_activities(rng, plans, total: int, progress) -> None:
    every_plan = [plan for county_plans in plans.values() for plan in county_plans]
    areas = list(Area.objects.filter(cooperation=None))
    indicators = list(LikaIndicator.objects.all())
    Link = Activity.lika_indicators.through
    per_plan, extra = divmod(total, len(every_plan))
    done = 0
    for position, plan in enumerate(every_plan):
        count = per_plan + (1 if position < extra else 0)
        finished_period = plan.last_year < PERIODS[-1][1]
        batch = []
        for number in range(1, count + 1):
            status = (
                rng.choice([Activity.Status.COMPLETED, Activity.Status.COMPLETED, Activity.Status.PARTLY_COMPLETED])
                if finished_period
                else rng.choice([Activity.Status.PLANNED, Activity.Status.ONGOING])
            )
            thing = rng.choice(THINGS)
            batch.append(
                Activity(
                    plan=plan,
                    order=number,
                    number=str(number),
                    title=f"{rng.choice(VERBS)} {thing} {rng.choice(WHERE)}",
                    content=f"Arbetet med {thing} drivs gemensamt av regionen och kommunerna.",
                    benefit="Ökad trygghet och frigjord tid för personalen.",
                    owner=rng.choice(OWNERS),
                    area=rng.choice(areas) if areas else None,
                    status=status,
                    start_year=plan.first_year,
                    end_year=plan.last_year,
                    effort_hours=Decimal(rng.choice([20, 40, 80, 160, 320])),
                    effort_basis=Activity.EffortBasis.TOTAL,
                )
            )
        for start in range(0, len(batch), 2000):
            created = Activity.objects.bulk_create(batch[start : start + 2000])
            Link.objects.bulk_create(
                Link(activity_id=activity.pk, likaindicator_id=indicator.pk)
                for activity in created
                for indicator in rng.sample(indicators, k=min(len(indicators), rng.randint(0, 3)))
            )
            done += len(created)
            progress("activities", done, total)


def adopt_plans(rng, plans, progress) -> dict:
    """Budgets, cost keys, the adoption route and its decisions, and the adopted version."""
    decisions = versions = 0
    every_plan = [plan for county_plans in plans.values() for plan in county_plans]
    for position, plan in enumerate(every_plan, 1):
        CostSharingKey.objects.create(plan=plan, municipal_split=CostSharingKey.MunicipalSplit.POPULATION)
        make_budget(rng, plan)
        route = list(plan.cooperation.bodies.filter(level__lte=Body.Level.TACTICAL).order_by("-level"))
        members = list(plan.cooperation.members.municipalities())
        member_bodies = {body.organisation_id: body for body in Body.objects.filter(organisation__in=members)}
        newest = plan.first_year > PERIODS[-1][1]
        if newest and position % 2:
            continue  # still a draft
        AdoptionStep.objects.bulk_create(AdoptionStep(plan=plan, order=n, body=body) for n, body in enumerate(route, 1))
        plan.municipalities_to_decide.set(members)
        if newest:
            plan.status = ActionPlan.Status.OUT_FOR_ADOPTION
            plan.save(update_fields=["status", "updated_at"])
            continue
        meeting = date(plan.first_year - 1, 10, 1)
        made = []
        for step, body in enumerate(route):
            made.append(decision(plan, body, date(meeting.year, meeting.month + step, 15), Decision.Kind.ADOPT))
        for member in members:
            if rng.random() < 0.8:
                made.append(decision(plan, member_bodies[member.pk], date(meeting.year, 12, 10), Decision.Kind.ADOPT))
        Decision.objects.bulk_create(made)
        decisions += len(made)
        final = Decision.objects.filter(plan=plan, body=route[-1]).get()
        # As the product adopts a plan; thousands of PDFs are left to ``manage.py store_adopted_pdfs``.
        plan_freeze(plan=plan, decision=final, store_pdf=False)
        versions += 1
        if plan.previous_plan_id:
            ActionPlan.objects.filter(pk=plan.previous_plan_id).update(status=ActionPlan.Status.SUPERSEDED)
        progress("adoption", position, len(every_plan))
    return {"decisions": decisions, "versions": versions}


def decision(plan, body, meeting_date, kind):
    return Decision(
        plan=plan,
        body=body,
        meeting_date=meeting_date,
        paragraph=(plan.pk * 7 + body.pk) % 300 + 1,
        kind=kind,
        title=plan.title,
        text=f"{body.name} antar {plan.title}.",
    )


def make_budget(rng, plan) -> None:
    entries = []
    balance = Decimal(rng.randrange(500_000, 3_000_000, 1000))
    entries.append(
        BudgetEntry(
            plan=plan,
            year=plan.first_year,
            kind=BudgetEntry.Kind.OPENING_BALANCE,
            description="Ingående saldo",
            amount=balance,
        )
    )
    for year in range(plan.first_year, plan.last_year + 1):
        entries += [
            BudgetEntry(
                plan=plan,
                year=year,
                kind=kind,
                category=category,
                description=description,
                amount=Decimal(rng.randrange(low, high, 1000)),
            )
            for kind, category, description, low, high in YEARLY_BUDGET_LINES
        ]
    for order, entry in enumerate(entries, 1):
        entry.order = order
    BudgetEntry.objects.bulk_create(entries)
