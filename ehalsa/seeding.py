"""Load the reference data and the demo data from ``fixtures/``.

Reference data (areas, LIKA indicators, national frameworks, organisations) is real and belongs in
every installation; ``load_reference_data`` is idempotent. The demo data (seed 000's, 003's and
004's cooperations and plans, and one account per role) is for demonstrations and tests only.
"""

import csv
import json
import re
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction

from activities.models import (
    Activity,
    ActivityReference,
    Area,
    FollowUp,
    Framework,
    FrameworkArea,
    LikaIndicator,
)
from finance.models import BudgetEntry, CostSharingKey
from governance.models import Body, Cooperation, Decision, Membership, Organisation
from plans.adoption import plan_freeze
from plans.models import ActionPlan, AdoptionStep, Goal, Section

FIXTURES = Path(settings.BASE_DIR) / "fixtures"
DEMO_PLAN_MARKER = "Handlingsplan för ehälsa i Östergötland 2016-2017"


def read_json(path: Path) -> dict:
    with path.open(encoding="utf-8") as handle:
        return json.load(handle)


def read_tsv(path: Path) -> list[dict]:
    with path.open(encoding="utf-8") as handle:
        lines = [line for line in handle if not line.startswith("#")]
    return list(csv.DictReader(lines, delimiter="\t"))


# --- Reference data ---------------------------------------------------------------------------


@transaction.atomic
def load_reference_data() -> None:
    frameworks = read_json(FIXTURES / "reference" / "frameworks.json")
    for order, name in enumerate(frameworks["areas"], start=1):
        Area.objects.update_or_create(name=name, cooperation=None, defaults={"order": order})
    for item in frameworks["frameworks"]:
        framework, _ = Framework.objects.update_or_create(
            short_name=item["short_name"],
            defaults={key: item[key] for key in ("name", "publisher", "published", "is_vision")},
        )
        for order, area in enumerate(item["areas"], start=1):
            FrameworkArea.objects.update_or_create(
                framework=framework,
                name=area["name"],
                defaults={"order": order, "description": area.get("description", "")},
            )
    for row in read_tsv(FIXTURES / "reference" / "lika_socialtjanst.tsv"):
        LikaIndicator.objects.update_or_create(code=row["code"], defaults={"area": row["code"][0], "text": row["text"]})
    load_organisations(read_json(FIXTURES / "reference" / "organisations.json"))


def load_organisations(data: dict) -> None:
    population_date = date.fromisoformat(data["population_date"])
    kinds = Organisation.Kind
    for name, county in data["regions"]:
        Organisation.objects.update_or_create(name=name, defaults={"kind": kinds.REGION, "county": county})
    for county, municipalities in data["municipalities"].items():
        for row in municipalities:
            defaults = {"kind": kinds.MUNICIPALITY, "county": county}
            if len(row) == 3:
                defaults.update(municipality_code=row[1], population=row[2], population_date=population_date)
            Organisation.objects.update_or_create(name=row[0], defaults=defaults)
    for name, short_name, county in data["associations"]:
        Organisation.objects.update_or_create(
            name=name, defaults={"kind": kinds.ASSOCIATION, "short_name": short_name, "county": county}
        )
    for name, short_name in data["national"]:
        Organisation.objects.update_or_create(name=name, defaults={"kind": kinds.NATIONAL, "short_name": short_name})


# --- Seed 003's activity table as written -> structured fields ---------------------------------

EFFORT_PER = {
    "person": Activity.EffortBasis.PER_PERSON,
    "system": Activity.EffortBasis.PER_SYSTEM,
    "medarb": Activity.EffortBasis.PER_EMPLOYEE,
    "tjänst": Activity.EffortBasis.PER_SERVICE,
}
ROLE_VERBS = {
    "driver": Activity.RegionalRole.DRIVES,
    "tar": Activity.RegionalRole.DRIVES,
    "samordnar": Activity.RegionalRole.COORDINATES,
    "stödjer": Activity.RegionalRole.SUPPORTS,
    "ansvarar": Activity.RegionalRole.RESPONSIBLE,
}
PAGE = re.compile(r"\(\s*(?:sid|s)\s*\.?\s*([\d\s–-]+?)\s*\)", re.IGNORECASE)
LIKA_CODE = re.compile(r"\b([LIKA]\d{1,3})\s*:")


@dataclass(frozen=True)
class Effort:
    hours: Decimal | None
    basis: str


def parse_effort(text: str) -> Effort:
    """ "24 timmar/ person" → 24 per person; "Egen uträkning" → own calculation, no hours."""
    text = " ".join(text.split())
    lowered = text.lower()
    match = re.match(r"^(\d+(?:[.,]\d+)?)\s*timmar\s*(.*)$", lowered)
    if match:
        hours = Decimal(match.group(1).replace(",", "."))
        rest = match.group(2).strip()
        if not rest:
            return Effort(hours, Activity.EffortBasis.TOTAL)
        if rest.startswith("/"):
            unit = rest.lstrip("/ ").lower()
            for prefix, basis in EFFORT_PER.items():
                if unit.startswith(prefix):
                    return Effort(hours, basis)
        # E.g. "200 timmar eller 3 tillfällen/nämndsmöte": an alternative, not a plain total.
        return Effort(hours, Activity.EffortBasis.OTHER)
    if "heltidstjänst" in lowered:
        return Effort(None, Activity.EffortBasis.FULL_TIME)
    if lowered.startswith(("egen uträkning", "egen beräkning")):
        return Effort(None, Activity.EffortBasis.OWN_CALCULATION)
    if "ordinarie verksamhet" in lowered:
        return Effort(None, Activity.EffortBasis.ORDINARY_WORK)
    return Effort(None, Activity.EffortBasis.OTHER if text else "")


def parse_period(text: str) -> tuple[int | None, int | None, str]:
    """ "2016-2018" → (2016, 2018, ""); "2017" → (2017, 2017, ""); "Utifrån behov" → (None, None, text)."""
    text = text.strip()
    match = re.fullmatch(r"(\d{4})\s*[-–]\s*(\d{4})", text)
    if match:
        return int(match.group(1)), int(match.group(2)), ""
    if re.fullmatch(r"\d{4}", text):
        return int(text), int(text), ""
    return None, None, text


def parse_role(text: str) -> str:
    words = text.split()
    if not words:
        return ""
    return ROLE_VERBS.get(words[0].lower(), Activity.RegionalRole.OTHER)


def parse_lika_codes(text: str) -> list[str]:
    return list(dict.fromkeys(LIKA_CODE.findall(text)))


def parse_references(text: str) -> list[tuple[str, str]]:
    """Split a cell into (text, page) pieces at each page marker: "Regelverk (sid 6)" → [("Regelverk", "6")]."""
    text = " ".join(text.split())
    pieces = []
    position = 0
    for match in PAGE.finditer(text):
        piece = text[position : match.start()].strip(" .")
        page = re.sub(r"\s*[-–]\s*", "–", match.group(1).strip())
        pieces.append((piece, page))
        position = match.end()
    rest = text[position:].strip(" .")
    if rest:
        pieces.append((rest, ""))
    return [(piece, page) for piece, page in pieces if piece]


# --- Demo data ----------------------------------------------------------------------------------

LEVELS = {
    "political": Body.Level.POLITICAL,
    "strategic": Body.Level.STRATEGIC,
    "tactical": Body.Level.TACTICAL,
    "operative_management": Body.Level.OPERATIVE_MANAGEMENT,
    "operative_execution": Body.Level.OPERATIVE_EXECUTION,
}


def demo_data_loaded() -> bool:
    return ActionPlan.objects.filter(title=DEMO_PLAN_MARKER).exists()


@transaction.atomic
def load_demo_data() -> None:
    load_reference_data()
    for name in ("ostergotland.json", "vastkom.json", "h2o.json"):
        load_cooperation(read_json(FIXTURES / "demo" / name))
    load_accounts(read_json(FIXTURES / "demo" / "accounts.json"))


def resolve_members(names: list[str]) -> list[Organisation]:
    """Organisation names; "@<county>" stands for every municipality of that county."""
    members = []
    for name in names:
        if name.startswith("@"):
            members.extend(Organisation.objects.municipalities().filter(county=name[1:]))
        else:
            members.append(Organisation.objects.get(name=name))
    return members


def load_cooperation(data: dict) -> Cooperation:
    info = data["cooperation"]
    lead = info.get("lead_organisation")
    cooperation = Cooperation.objects.create(
        name=info["name"],
        short_name=info.get("short_name", ""),
        county=info.get("county", ""),
        description=info.get("description", ""),
        lead_organisation=Organisation.objects.get(name=lead) if lead else None,
    )
    cooperation.members.set(resolve_members(info["members"]))
    bodies = load_bodies(cooperation, data["bodies"])
    plans: dict[str, ActionPlan] = {}
    for plan_data in data["plans"]:
        plans[plan_data["key"]] = load_plan(cooperation, plan_data, plans, bodies)
    return cooperation


def load_bodies(cooperation: Cooperation, rows: list[dict]) -> dict[tuple[str | None, str], Body]:
    bodies: dict[tuple[str | None, str], Body] = {}
    for row in rows:
        owner = row.get("organisation")
        body = Body.objects.create(
            name=row["name"],
            short_name=row.get("short_name", ""),
            level=LEVELS[row["level"]],
            cooperation=None if owner else cooperation,
            organisation=Organisation.objects.get(name=owner) if owner else None,
            decides_on=row.get("decides_on", ""),
            description=row.get("description", ""),
        )
        bodies[(owner, row["name"])] = body
    for row in rows:
        if row.get("reports_to"):
            owner = row.get("organisation")
            body = bodies[(owner, row["name"])]
            body.reports_to = bodies[(owner, row["reports_to"])]
            body.save(update_fields=["reports_to"])
    return bodies


def load_plan(cooperation, data: dict, plans: dict, bodies: dict) -> ActionPlan:
    previous = plans.get(data.get("previous"))
    # Written as a draft, then given its status: adopted content cannot change in place.
    plan = ActionPlan.objects.create(
        cooperation=cooperation,
        title=data["title"],
        subtitle=data.get("subtitle", ""),
        first_year=data["first_year"],
        last_year=data["last_year"],
        status=ActionPlan.Status.DRAFT,
        previous_plan=previous,
    )
    Section.objects.bulk_create(
        Section(plan=plan, order=order, level=row["level"], heading=row["heading"], body=row["body"])
        for order, row in enumerate(data["sections"], start=1)
    )
    Goal.objects.bulk_create(
        Goal(plan=plan, order=order, title=row["title"], description=row["description"])
        for order, row in enumerate(data["goals"], start=1)
    )
    if "activities_tsv" in data:
        load_table_activities(plan, read_tsv(FIXTURES / "demo" / data["activities_tsv"]))
    load_listed_activities(plan, data, previous)
    for row in data.get("cost_keys", []):
        CostSharingKey.objects.create(plan=plan, **row)
    load_budget(plan, data.get("budget", []))
    plan.status = data["status"]
    plan.save(update_fields=["status", "updated_at"])
    decisions = load_decisions(plan, data.get("decisions", []), bodies)
    if plan.status == ActionPlan.Status.ADOPTED:
        record_adoption(plan, decisions, data)
    return plan


def record_adoption(plan: ActionPlan, decisions: list[Decision], data: dict) -> None:
    """The seed's adoption as the product records one: the route its cooperation's bodies took,
    the municipalities asked to decide, and the version frozen when the last of them adopted."""
    route = [d for d in decisions if d.body.cooperation_id]
    AdoptionStep.objects.bulk_create(AdoptionStep(plan=plan, order=n, body=d.body) for n, d in enumerate(route, 1))
    if data.get("municipalities_decide"):
        plan.municipalities_to_decide.set(plan.cooperation.members.municipalities())
    plan_freeze(plan=plan, decision=route[-1], store_pdf=False)  # load_demo_data stores them after


def load_listed_activities(plan: ActionPlan, data: dict, previous: ActionPlan | None) -> None:
    follow_up_date = date.fromisoformat(data["follow_up_date"]) if "follow_up_date" in data else None
    for order, row in enumerate(data.get("activities", []), start=1):
        continues = None
        if row.get("continues") and previous is not None:
            continues = previous.activities.get(number=row["continues"])
        activity = Activity.objects.create(
            plan=plan,
            order=order,
            number=row["number"],
            title=row["title"],
            content=row.get("content", ""),
            benefit=row.get("benefit", ""),
            status=row.get("status", Activity.Status.PLANNED),
            start_year=plan.first_year,
            end_year=plan.last_year,
            continues=continues,
        )
        if row.get("follow_up"):
            FollowUp.objects.create(
                activity=activity, date=follow_up_date, status=activity.status, text=row["follow_up"]
            )


def load_table_activities(plan: ActionPlan, rows: list[dict]) -> None:
    """Seed 003's table: every column kept as written, and parsed where it can be."""
    areas = {area.name: area for area in Area.objects.filter(cooperation=None)}
    indicators = {indicator.code: indicator for indicator in LikaIndicator.objects.all()}
    vision = Framework.objects.get(is_vision=True)
    vision_areas = list(vision.areas.all())
    skl = Framework.objects.get(short_name="SKL nattetid 2017")
    for order, row in enumerate(rows, start=1):
        effort = parse_effort(row["financing_as_written"])
        start, end, period_note = parse_period(row["period_as_written"])
        activity = Activity.objects.create(
            plan=plan,
            order=order,
            number=row["nr"].strip(),
            area=areas[row["area"].strip()],
            title=row["activity"].strip(),
            owner=row["responsible"].strip(),
            effect_goal=row["effect_goal"].strip(),
            effort_hours=effort.hours,
            effort_basis=effort.basis,
            effort_note=row["financing_as_written"].strip(),
            start_year=start,
            end_year=end,
            period_note=period_note,
            regional_support=row["regional_support"].strip(),
            regional_role=parse_role(row["regional_support"]),
            whole_municipality=row["whole_municipality"].strip() == "yes",
        )
        activity.lika_indicators.set(indicators[code] for code in parse_lika_codes(row["lika"]))
        for text, page in parse_references(row["skl_recommendation"]):
            ActivityReference.objects.create(activity=activity, framework=skl, text=text, page=page)
        for text, page in parse_references(row["vision_ehalsa_2025"]):
            cleaned = re.sub(r"^Insatsområden:\s*", "", text)
            area = next((a for a in vision_areas if cleaned.lower().startswith(a.name.lower())), None)
            ActivityReference.objects.create(
                activity=activity,
                framework=vision,
                area=area,
                text="" if area and cleaned.strip(" .") == area.name else text,
                page=page,
            )


def load_budget(plan: ActionPlan, rows: list[dict]) -> None:
    for order, row in enumerate(rows, start=1):
        entry = BudgetEntry(
            plan=plan,
            order=order,
            year=row["year"],
            kind=row["kind"],
            category=row.get("category", ""),
            description=row["description"],
            is_estimate=row.get("is_estimate", False),
            start_date=date.fromisoformat(row["start_date"]) if row.get("start_date") else None,
            end_date=date.fromisoformat(row["end_date"]) if row.get("end_date") else None,
            amount=Decimal(row["amount"]),
            attribution=row.get("attribution", BudgetEntry.Attribution.SHARED),
        )
        entry.full_clean()
        entry.save()


def load_decisions(plan: ActionPlan, rows: list[dict], bodies: dict) -> list[Decision]:
    decisions = []
    for row in rows:
        owner = row.get("organisation")
        decision = Decision(
            plan=plan,
            body=bodies[(owner, row["body"])],
            meeting_date=date.fromisoformat(row["meeting_date"]),
            paragraph=row.get("paragraph"),
            diary_number=row.get("diary_number", ""),
            kind=row["kind"],
            forwarded_to=bodies[(owner, row["forwarded_to"])] if row.get("forwarded_to") else None,
            title=row.get("title", ""),
            background=row.get("background", ""),
            text=row["text"],
            recipients="\n".join(row.get("recipients", [])),
        )
        decision.full_clean()
        decision.save()
        decisions.append(decision)
    return decisions


def load_accounts(data: dict) -> None:
    User = get_user_model()
    for row in data["accounts"]:
        user = User(
            username=row["username"],
            first_name=row["first_name"],
            last_name=row["last_name"],
            is_staff=row.get("superuser", False),
            is_superuser=row.get("superuser", False),
        )
        user.set_password(data["password"])
        user.save()
        if row.get("organisation"):
            Membership.objects.create(
                user=user, organisation=Organisation.objects.get(name=row["organisation"]), role=row["role"]
            )
