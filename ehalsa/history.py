"""Change history for people: who changed what, when, from which value to which (django-simple-history)."""

from collections import defaultdict
from dataclasses import dataclass, field

from django.db import models
from django.utils import timezone
from django.utils.formats import localize
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from simple_history.models import HistoricalRecords

# Bookkeeping fields nobody edits by hand.
HIDDEN_FIELDS = {"version", "updated_at", "created_at", "recorded_at", "sort_order"}


def save_time():
    """The time every change of the current request is dated with, so that the history shows one
    save (an activity with its effort per party, a plan with its copied parts) as one entry: the time
    of the request's first change. Outside a request (a command, a worker), now."""
    request = getattr(HistoricalRecords.context, "request", None)  # set by HistoryRequestMiddleware
    if request is None:
        return timezone.now()
    if not hasattr(request, "history_date"):
        request.history_date = timezone.now()
    return request.history_date


def date_by_request(sender, instance, history_instance, **kwargs):
    """``pre_create_historical_record``: date the history row by its request (``save_time``), unless
    the change names its own date (``_history_date``: a decision registered afterwards, a test)."""
    in_request = getattr(HistoricalRecords.context, "request", None) is not None
    if in_request and not hasattr(instance, "_history_date"):
        history_instance.history_date = save_time()


@dataclass
class Change:
    label: str
    old: str
    new: str


@dataclass
class HistoryEntry:
    when: object
    who: str
    action: str
    kind: str
    name: str
    changes: list[Change] = field(default_factory=list)
    reason: str = ""  # why, where the change says it: "Import 12: aktiviteter.xlsx"
    user_id: int | None = None
    order: tuple = ()  # within a save: (the place of its model among those listed, its history id)
    also: list["HistoryEntry"] = field(default_factory=list)  # the other rows the same save changed


class ValueNames:
    """Turns raw history values (choice keys, primary keys) into what users recognise."""

    def __init__(self):
        self.cache: dict[tuple[type, object], str] = {}

    def show(self, model_field: models.Field, value) -> str:
        if value is None or value == "":
            return "–"
        if isinstance(value, list):  # many-to-many: rows of the through table
            return (
                ", ".join(
                    sorted(
                        self.show_related(model_field.related_model, self.m2m_target(row, model_field)) for row in value
                    )
                )
                or "–"
            )
        if model_field.choices:
            return str(dict(model_field.flatchoices).get(value, value))
        if isinstance(model_field, models.BooleanField):
            return _("Yes") if value else _("No")
        if isinstance(model_field, models.ForeignKey):
            return self.show_related(model_field.related_model, value)
        return str(localize(value))

    @staticmethod
    def m2m_target(row, model_field):
        return row.get(model_field.m2m_reverse_field_name()) if isinstance(row, dict) else row

    def show_related(self, model, pk) -> str:
        key = (model, pk)
        if key not in self.cache:
            instance = model._default_manager.filter(pk=pk).first()
            self.cache[key] = str(instance) if instance is not None else _("(deleted, id %(pk)s)") % {"pk": pk}
        return self.cache[key]


def entries_from(querysets) -> list[HistoryEntry]:
    """History entries of several historical querysets, newest first."""
    records, rank = [], {}
    for position, queryset in enumerate(querysets):
        rank.setdefault(queryset.model, position)  # the first querysets name what a save is about
        records.extend(queryset.select_related("history_user"))
    by_object = defaultdict(list)
    for record in records:
        by_object[(type(record), record.id)].append(record)
    names = ValueNames()
    entries = []
    for versions in by_object.values():
        versions.sort(key=lambda r: (r.history_date, r.history_id))
        previous = None
        for record in versions:
            entry = make_entry(record, previous, names)
            if entry is not None:
                entry.order = (rank[type(record)], record.history_id)
                entries.append(entry)
            previous = record
    return by_save(entries)


def by_save(entries: list[HistoryEntry]) -> list[HistoryEntry]:
    """One entry per save, newest first: the first row a save changed, with the rest in ``also``.

    The rows one request changed share their user and their date (``save_time``). The row the save
    was about comes first: its model is listed first (an activity before its effort per party, a
    plan before its copied sections)."""
    saves: dict[tuple, HistoryEntry] = {}
    for entry in sorted(entries, key=lambda e: (e.when, e.order)):
        key = (entry.user_id, entry.when)
        if key in saves:
            saves[key].also.append(entry)
        else:
            saves[key] = entry
    return sorted(saves.values(), key=lambda e: e.when, reverse=True)


def make_entry(record, previous, names: ValueNames) -> HistoryEntry | None:
    model = record.instance_type
    actions = {
        "+": pgettext("history", "created"),
        "~": pgettext("history", "changed"),
        "-": pgettext("history", "deleted"),
    }
    # A model may name its own action for a record ("imported" for an import that is done).
    own_action = getattr(model, "history_action", None)
    entry = HistoryEntry(
        when=record.history_date,
        who=(record.history_user.get_full_name() or record.history_user.username)
        if record.history_user
        else _("the system"),
        action=(own_action(record) if own_action else None) or actions.get(record.history_type, record.history_type),
        kind=str(model._meta.verbose_name),
        name=str(record.instance),
        reason=getattr(record, "history_change_reason", None) or "",
        user_id=record.history_user_id,
    )
    if record.history_type == "~" and previous is not None:
        delta = record.diff_against(previous, excluded_fields=HIDDEN_FIELDS)
        for change in delta.changes:
            if same_text(change.old, change.new):
                continue  # only the line endings moved (a browser posts CRLF): nothing a reader sees
            model_field = model._meta.get_field(change.field)
            entry.changes.append(
                Change(
                    str(model_field.verbose_name),
                    names.show(model_field, change.old),
                    names.show(model_field, change.new),
                )
            )
        if not entry.changes:
            return None  # only bookkeeping moved
    return entry


def same_text(old, new) -> bool:
    """Whether two values are texts that read the same: equal but for their line endings."""
    if not (isinstance(old, str) and isinstance(new, str)):
        return False
    return old.replace("\r\n", "\n") == new.replace("\r\n", "\n")
