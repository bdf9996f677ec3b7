"""The work on an import, done by a worker (``manage.py db_worker``), never in a web request.

Three steps, each a task: ``read`` finds the table in the file and proposes the columns' fields;
``check`` reads every row through the mapping and stores what it would create and what is wrong
(the preview); ``create`` checks the rows again against the plan as it is then and creates them,
all in one transaction with the import marked as done, or nothing at all.

A step's results count only if the import is still where the step left it (``run``: a new
mapping, say, queues a new check, and the older check's results are dropped). A file that cannot
be read is refused with the reason; any other failure is recorded with its reason and left to try
again (nothing is half-created: the transaction takes it all back).
"""

import logging
from datetime import timedelta

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.tasks import task
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from ehalsa.spreadsheets import Refused

from ..import_models import ColumnMapping, ImportRow, TableImport
from ..models import ActionPlan
from .reading import BATCH, Checked, Vocabulary, check, propose, read, samples_of
from .registry import importer_of

logger = logging.getLogger(__name__)

# Work under way without news for this long has stopped (a worker killed, a queue entry lost): its
# page says so and offers to try again. Far longer than the largest table takes.
STALLED_AFTER = timedelta(minutes=15)


def is_stalled(table_import: TableImport) -> bool:
    return table_import.is_working and table_import.updated_at < timezone.now() - STALLED_AFTER


@task()
def import_step(import_id: int, step: str, run: int) -> str:
    """One step of an import (``TableImport.Step``), for the run it was queued for."""
    working = TableImport.WORKING[TableImport.Step(step)]
    table_import = (
        TableImport.objects.select_related("plan__cooperation", "user", "file")
        .filter(pk=import_id, run=run, status=working)
        .first()
    )
    if table_import is None:
        return "not wanted"  # done meanwhile, discarded, or superseded by a newer run
    with translation.override(table_import.language):
        try:
            return STEPS[step](table_import)
        except Refused as refused:
            finish(table_import, status=TableImport.Status.REFUSED, problem=refused.message)
            return "refused"
        except Exception as error:
            logger.exception("Import %s, step %s, failed", import_id, step)
            finish(table_import, status=TableImport.Status.FAILED, problem=failure_text(step, error))
            raise


def failure_text(step: str, error: Exception) -> str:
    what = str(TableImport.Step(step).label)
    return _(
        "The work stopped while %(step)s, because of an error (%(error)s). Nothing was imported. "
        "Try again; if it stops again, tell the administrator."
    ) % {"step": what, "error": f"{type(error).__name__}: {error}"[:300]}


def finish(table_import: TableImport, **changes) -> bool:
    """Store a step's outcome, if the import is still at that step and run (locked while it is)."""
    with transaction.atomic():
        return apply(table_import, changes)


def apply(table_import: TableImport, changes: dict) -> bool:
    current = TableImport.objects.select_for_update().filter(pk=table_import.pk, run=table_import.run).first()
    if current is None or current.status != table_import.status:
        return False
    for name, value in changes.items():
        setattr(current, name, value)
    current.updated_at = timezone.now()
    current._history_user = current.user  # a worker has no request to take the user from
    current.save()
    return True


def content_of(table_import: TableImport) -> bytes:
    return bytes(table_import.file.content)


def read_step(table_import: TableImport) -> str:
    """Find the table, count its rows, propose each column's field; then the user maps the columns."""
    importer = importer_of(table_import.kind)
    vocabulary = Vocabulary(importer.fields(table_import.plan))
    table = read(content_of(table_import), vocabulary)
    samples, count = samples_of(table)
    if not count:
        raise Refused(_("The table has a header row but no rows below it."))
    remembered = ColumnMapping.objects.filter(cooperation=table_import.plan.cooperation, kind=table_import.kind).first()
    finish(
        table_import,
        status=TableImport.Status.MAPPING,
        problem="",
        sheet=table.sheet,
        sheets=table.sheets,
        encoding=table.encoding,
        delimiter=table.delimiter,
        header_rows=list(table.header_rows),
        headers=table.headers,
        samples=samples,
        row_count=count,
        mapping=propose(vocabulary, table.header_parts, remembered.columns if remembered else {}),
    )
    return "read"


def checked(table_import: TableImport, plan: ActionPlan, *, store=None) -> Checked | None:
    """The rows read through the import's mapping (``reading.check``; ``store`` takes them in
    batches); None, and the import back at the mapping saying why, when the file's columns are no
    longer what they were mapped as."""
    importer = importer_of(table_import.kind)
    vocabulary = Vocabulary(importer.fields(plan))
    table = read(content_of(table_import), vocabulary)
    if table.headers != table_import.headers or len(table_import.mapping) != len(table.headers):
        remembered = ColumnMapping.objects.filter(cooperation=plan.cooperation, kind=table_import.kind).first()
        finish(
            table_import,
            status=TableImport.Status.MAPPING,
            headers=table.headers,
            mapping=propose(vocabulary, table.header_parts, remembered.columns if remembered else {}),
            problem=_("The columns the file was read with have changed (new fields can be imported): map them again."),
        )
        return None
    return check(table, importer, plan, table_import.mapping, store=store)


def import_rows(table_import: TableImport, rows: list) -> list[ImportRow]:
    return [
        ImportRow(
            table_import_id=table_import.pk,
            run=table_import.run,
            number=row.number,
            values=row.values,
            errors=row.errors,
            has_errors=bool(row.errors),
        )
        for row in rows
    ]


def add_later_errors(table_import: TableImport, later: dict[int, list[str]]) -> None:
    """What the check found about several rows, added to the rows it stored."""
    numbers = sorted(later)
    for start in range(0, len(numbers), BATCH):
        rows = list(
            ImportRow.objects.filter(
                table_import=table_import.pk, run=table_import.run, number__in=numbers[start : start + BATCH]
            )
        )
        for row in rows:
            row.errors = row.errors + later[row.number]
            row.has_errors = True
        ImportRow.objects.bulk_update(rows, ["errors", "has_errors"])


def check_step(table_import: TableImport) -> str:
    """Read every row through the mapping and store the preview: what each row creates, and its
    errors. The rows are stored as they are checked, under the check's run; the older runs' rows go
    when it is done, with the import marked as checked."""
    result = checked(
        table_import,
        table_import.plan,
        store=lambda rows: ImportRow.objects.bulk_create(import_rows(table_import, rows)),
    )
    if result is None:
        return "columns changed"
    with transaction.atomic():
        current = TableImport.objects.select_for_update().filter(pk=table_import.pk, run=table_import.run).first()
        if current is None or current.status != TableImport.Status.CHECKING:
            ImportRow.objects.filter(table_import=table_import.pk, run=table_import.run).delete()
            return "not wanted"
        ImportRow.objects.filter(table_import=table_import.pk).exclude(run=table_import.run).delete()
        add_later_errors(table_import, result.later)
        apply(table_import, {"status": TableImport.Status.CHECKED, "summary": result.summary, "problem": ""})
    return "checked"


def create_step(table_import: TableImport) -> str:
    """Check the rows again against the plan as it is now, and create them: all in one transaction
    with the import marked as done, or, when a row has an error now, nothing (the preview shows why)."""
    importer = importer_of(table_import.kind)
    try:
        with transaction.atomic():
            plan = ActionPlan.objects.select_for_update().select_related("cooperation").get(pk=table_import.plan_id)
            current = TableImport.objects.select_for_update().filter(pk=table_import.pk, run=table_import.run).first()
            if current is None or current.status != TableImport.Status.CREATING:
                return "not wanted"
            result = checked(table_import, plan)
            if result is None:
                return "columns changed"
            refusal = refusal_of(plan, result)
            if refusal:
                ImportRow.objects.filter(table_import=table_import.pk).delete()
                ImportRow.objects.bulk_create(import_rows(table_import, result.rows), batch_size=BATCH)
                apply(
                    table_import, {"status": TableImport.Status.CHECKED, "summary": result.summary, "problem": refusal}
                )
                return "refused"
            ids = importer.create(plan, result.rows, user=table_import.user, reason=table_import.change_reason)
            ImportRow.objects.filter(table_import=table_import.pk).delete()
            apply(
                table_import,
                {
                    "status": TableImport.Status.DONE,
                    "summary": result.summary,
                    "created_ids": ids,
                    "created_count": len(ids),
                    "imported_at": timezone.now(),
                    "problem": "",
                },
            )
    except (ValidationError, IntegrityError) as refusal:
        # A rule of the rows refused one of them after all (the check should have found it): the
        # transaction took everything back.
        finish(table_import, status=TableImport.Status.FAILED, problem=creation_refused(refusal))
        return "failed"
    return "created"


def creation_refused(refusal: Exception) -> str:
    reason = (
        " ".join(refusal.messages)
        if isinstance(refusal, ValidationError)
        else _("a row clashes with the plan's other rows (%(error)s)") % {"error": str(refusal)[:200]}
    )
    return _("Nothing was imported: %(reason)s Try again, or correct the file.") % {"reason": reason}


def refusal_of(plan: ActionPlan, result: Checked) -> str:
    """Why the rows cannot be created now (checked against the plan as it is), in words; "" if they can."""
    if not plan.is_editable:
        return _("Nothing was imported: the plan is %(status)s and cannot be changed in place.") % {
            "status": plan.get_status_display().lower()
        }
    if result.summary["with_errors"]:
        return _(
            "Nothing was imported: the plan changed after the check, and %(count)s rows have errors now. "
            "See them below."
        ) % {"count": result.summary["with_errors"]}
    if not result.rows:
        return _("Nothing was imported: the table has no rows to import.")
    return ""


STEPS = {
    TableImport.Step.READ: read_step,
    TableImport.Step.CHECK: check_step,
    TableImport.Step.CREATE: create_step,
}
