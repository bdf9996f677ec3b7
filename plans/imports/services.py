"""What a user's requests do to an import: upload, map, confirm, try again, discard.

Each is quick and queues the slow work for a worker (``plans.imports.steps``) once the request's
transaction commits; each locks the import's row, so that a double click does it once.
"""

import hashlib
from functools import partial

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ehalsa.spreadsheets import file_format

from ..import_models import ColumnMapping, ImportFile, TableImport
from ..models import ActionPlan, ensure_plan_editable
from .reading import remembered_columns
from .registry import Importer
from .steps import import_step, is_stalled

Status = TableImport.Status
Step = TableImport.Step
# Where the columns can be mapped (again): read, checked, or stopped after reading.
MAPPABLE = (Status.MAPPING, Status.CHECKING, Status.CHECKED)


def queue(table_import: TableImport) -> None:
    """Queue the import's current step and run, once the current transaction commits."""
    transaction.on_commit(
        partial(import_step.enqueue, table_import.pk, str(table_import.step), table_import.run), robust=True
    )


def start(table_import: TableImport, step: str) -> None:
    """Move the import on to ``step``, as a new run (an older run's results no longer count), and queue it."""
    table_import.step = step
    table_import.status = TableImport.WORKING[step]
    table_import.run += 1
    table_import.problem = ""
    table_import.updated_at = timezone.now()
    table_import.save()
    queue(table_import)


def locked(table_import: TableImport) -> TableImport:
    return TableImport.objects.select_for_update().select_related("plan").get(pk=table_import.pk)


@transaction.atomic
def import_upload(
    *, plan: ActionPlan, user, importer: Importer, filename: str, content: bytes, language: str
) -> tuple[TableImport, bool]:
    """Keep an uploaded table and queue its reading; ``ehalsa.spreadsheets.Refused`` at once for a
    file that is certainly no table (too large, not a spreadsheet, a zip bomb). The same file
    uploaded again by the same user while its import is unfinished is that import: (it, False)."""
    file_format(content)
    plan = ActionPlan.objects.select_for_update().get(pk=plan.pk)  # one upload to a plan at a time
    ensure_plan_editable(plan)
    digest = hashlib.sha256(content).hexdigest()
    earlier = (
        TableImport.objects.filter(plan=plan, user=user, kind=importer.kind, sha256=digest)
        .exclude(status__in=[Status.DONE, Status.REFUSED])
        .first()
    )
    if earlier is not None:
        return earlier, False
    table_import = TableImport.objects.create(
        plan=plan,
        kind=importer.kind,
        user=user,
        filename=filename[:255],
        size=len(content),
        sha256=digest,
        language=language,
        status=Status.READING,
        step=Step.READ,
    )
    ImportFile.objects.create(table_import=table_import, content=content)
    queue(table_import)
    return table_import, True


@transaction.atomic
def import_map(*, table_import: TableImport, mapping: list[str]) -> TableImport:
    """Map the columns (``mapping``: a field key per column, "" for not imported) and check the rows
    anew; the mapping is remembered for the cooperation's next file."""
    table_import = locked(table_import)
    ensure_plan_editable(table_import.plan)
    if table_import.status not in MAPPABLE and not (
        table_import.status == Status.FAILED and table_import.step != Step.READ
    ):
        raise ValidationError(
            _("The columns cannot be mapped now: the import is %(status)s.")
            % {"status": table_import.get_status_display().lower()}
        )
    table_import.mapping = mapping
    remember(table_import)
    start(table_import, Step.CHECK)
    return table_import


def remember(table_import: TableImport) -> None:
    """The mapping, by header, for the cooperation's next file of this kind (added to what it had)."""
    remembered, _created = ColumnMapping.objects.select_for_update().get_or_create(
        cooperation=table_import.plan.cooperation, kind=table_import.kind
    )
    remembered.columns = remembered.columns | remembered_columns(table_import.headers, table_import.mapping)
    remembered.save()


@transaction.atomic
def import_confirm(*, table_import: TableImport) -> TableImport:
    """Import the checked rows (a worker creates them, in one transaction). Refused, with the reason,
    while any row has an error, before the check is done, or when there is nothing to import."""
    table_import = locked(table_import)
    ensure_plan_editable(table_import.plan)
    if table_import.status == Status.CREATING or table_import.status == Status.DONE:
        return table_import  # confirmed already (a double click)
    if table_import.status != Status.CHECKED:
        raise ValidationError(_("The rows must be checked before they are imported; wait for the check to finish."))
    summary = table_import.summary
    if summary.get("with_errors"):
        raise ValidationError(
            _(
                "Nothing was imported: %(count)s of the rows have errors. Correct them in the file and upload it "
                "again, or change the mapping of the columns; then the rows are checked again."
            )
            % {"count": summary["with_errors"]}
        )
    if not summary.get("rows"):
        raise ValidationError(_("Nothing was imported: the table has no rows to import."))
    start(table_import, Step.CREATE)
    return table_import


@transaction.atomic
def import_retry(*, table_import: TableImport) -> TableImport:
    """Take up a step that stopped (an error, or a worker that went away) again."""
    table_import = locked(table_import)
    if table_import.step != Step.READ:
        ensure_plan_editable(table_import.plan)
    if table_import.status != Status.FAILED and not is_stalled(table_import):
        return table_import  # under way, or done: nothing to take up
    start(table_import, table_import.step)
    return table_import


@transaction.atomic
def import_discard(*, table_import: TableImport) -> None:
    """Remove an upload that is not to be imported, with its file and its rows."""
    table_import = locked(table_import)
    if table_import.status == Status.DONE:
        raise ValidationError(_("An import that is done is kept as the record of what it created."))
    if table_import.status == Status.CREATING and not is_stalled(table_import):
        raise ValidationError(_("The rows are being imported now; wait until it is done."))
    table_import.delete()
