"""An activity's fields as plans write them in their tables, read into the activity's fields.

Seed 003's table ("24 timmar/ person", "2016-2018", "Driver på nationella aktörer …", "L19: …",
"Insatsområden: Standarder.(sid 8)") is read with these when the demo data is loaded, and every
imported table is read with the same (``activities.importer``), so an activity reads the same
whichever way it came in. Nothing here touches the database.
"""

import re
from dataclasses import dataclass
from decimal import Decimal

from .models import Activity

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
# "50 timmar", "1 200 timmar", "12,5 h": a number (thousands grouped by spaces), then hours.
HOURS = re.compile(r"^(\d{1,3}(?:[ \u00a0\u202f]\d{3})+|\d+)(?:[.,](\d+))?\s*(?:timmar|timme|tim\b\.?|h\b)\s*(.*)$")
# What ``activities.models.hours_text`` writes: hours in total, with nothing else said.
PLAIN_HOURS = re.compile(r"^(\d{1,3}(?:[ \u00a0\u202f]\d{3})+|\d+)(?:,(\d+))? h$")
INSATSOMRADEN = re.compile(r"^Insatsområden:\s*", re.IGNORECASE)


@dataclass(frozen=True)
class Effort:
    hours: Decimal | None
    basis: str


def parse_effort(text: str) -> Effort:
    """ "24 timmar/ person" → 24 per person; "Egen uträkning" → own calculation, no hours."""
    text = " ".join(text.split())
    lowered = text.lower()
    match = HOURS.match(lowered)
    if match:
        whole = re.sub(r"\D", "", match.group(1))
        hours = Decimal(f"{whole}.{match.group(2)}" if match.group(2) else whole)
        rest = match.group(3).strip()
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


def is_plain_hours(text: str) -> bool:
    """Whether ``text`` is hours as the product writes them ("12,5 h", "1 200 h"): hours in total
    with nothing else said, so nothing is kept as written."""
    return bool(PLAIN_HOURS.match(" ".join(text.split()).replace("\u00a0", " ")))


def parse_period(text: str) -> tuple[int | None, int | None, str]:
    """ "2016-2018" → (2016, 2018, ""); "2017" → (2017, 2017, ""); "Utifrån behov" → (None, None, text)."""
    text = text.strip()
    match = re.fullmatch(r"(\d{4})\s*[-–—/]\s*(\d{4})", text)
    if match:
        return int(match.group(1)), int(match.group(2)), ""
    if re.fullmatch(r"\d{4}", text):
        return int(text), int(text), ""
    return None, None, text


def parse_role(text: str) -> str:
    """The regional organisation's role from the first word of what it does ("Driver …", "Stödjer …")."""
    words = text.split()
    if not words:
        return ""
    return ROLE_VERBS.get(words[0].lower(), Activity.RegionalRole.OTHER)


def parse_lika_codes(text: str) -> list[str]:
    """The codes of "L19: Förvaltningen följer … K6: …", in order, once each."""
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


def reference_area(text: str, areas: list) -> tuple[object | None, str]:
    """The framework area a reference names, and its text as it is kept: "Insatsområden: Standarder."
    is the area Standarder with no text of its own; a longer text starting with an area's name keeps
    its text beside the area. ``areas``: the framework's areas."""
    cleaned = INSATSOMRADEN.sub("", text)
    area = next((a for a in areas if cleaned.lower().startswith(a.name.lower())), None)
    return area, "" if area and cleaned.strip(" .") == area.name else text


def reference_text(reference) -> str:
    """A reference as one line of a table, read back by ``parse_references`` and ``reference_area``:
    "Vision e-hälsa 2025: Standarder (sid 8)" (its text, else its area's name)."""
    label = reference.text or (reference.area.name if reference.area else "")
    return f"{reference.framework.short_name}: {label}" + (f" (sid {reference.page})" if reference.page else "")
