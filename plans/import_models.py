"""Tables imported into a plan from a spreadsheet: the upload, how its columns are mapped, the rows as
checked, and which columns a cooperation's files usually hold.

Imported by ``plans.models`` (so Django finds the models); the work is in ``plans.imports``. What is
imported (activities, budget lines) is said by the apps that own those rows (``plans.imports.registry``).
"""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext
from simple_history.models import HistoricalRecords

from .imports.registry import IMPORTERS
from .models import ActionPlan

DELIMITERS = {";": _("semicolons"), ",": _("commas"), "\t": _("tabs")}


class TableImport(models.Model):
    """A table uploaded to a plan ("import"): its file, the mapping of its columns to fields, how far
    the work is (read, checked, imported, by a worker) and, once imported, what it created."""

    class Status(models.TextChoices):
        READING = "reading", _("Reading the file")
        MAPPING = "mapping", _("Columns to map")
        CHECKING = "checking", _("Being checked")
        CHECKED = "checked", _("Checked")
        CREATING = "creating", _("Being imported")
        DONE = "done", _("Imported")
        REFUSED = "refused", _("Could not be read")
        FAILED = "failed", _("Stopped")

    class Step(models.TextChoices):
        READ = "read", _("reading the file")
        CHECK = "check", _("checking the rows")
        CREATE = "create", _("importing")

    # The status a step is under way in.
    WORKING = {Step.READ: Status.READING, Step.CHECK: Status.CHECKING, Step.CREATE: Status.CREATING}

    plan = models.ForeignKey(
        ActionPlan, verbose_name=_("action plan"), on_delete=models.CASCADE, related_name="imports"
    )
    kind = models.CharField(_("what is imported"), max_length=30)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uploaded by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    filename = models.CharField(_("file"), max_length=255)
    size = models.PositiveIntegerField(_("size (bytes)"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    language = models.CharField(_("language"), max_length=10, help_text=_("The language its messages are in."))
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.READING)
    step = models.CharField(_("step"), max_length=20, choices=Step.choices, default=Step.READ)
    run = models.PositiveIntegerField(
        _("run"), default=1, help_text=_("Counts the steps queued; a step's results count only for its own run.")
    )
    problem = models.TextField(
        _("problem"), blank=True, help_text=_("Why the file could not be read, or why a step stopped.")
    )
    sheet = models.CharField(_("sheet"), max_length=100, blank=True)
    sheets = models.JSONField(_("sheets"), default=list, blank=True)
    encoding = models.CharField(_("encoding"), max_length=20, blank=True)
    delimiter = models.CharField(_("delimiter"), max_length=5, blank=True)
    header_rows = models.JSONField(_("header rows"), default=list, blank=True)
    headers = models.JSONField(_("columns"), default=list, blank=True)
    samples = models.JSONField(_("sample values"), default=list, blank=True)
    row_count = models.PositiveIntegerField(_("rows"), null=True, blank=True)
    mapping = models.JSONField(
        _("mapping"),
        default=list,
        blank=True,
        help_text=_("The field each column is imported into; empty: not imported."),
    )
    summary = models.JSONField(_("result of the check"), default=dict, blank=True)
    created_ids = models.JSONField(_("ids of the rows created"), default=list, blank=True)
    created_count = models.PositiveIntegerField(_("rows created"), default=0)
    created_at = models.DateTimeField(_("uploaded"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), default=timezone.now)
    imported_at = models.DateTimeField(_("imported"), null=True, blank=True)

    # Every change is in the history; the bulky derived fields (what the check found, the samples,
    # the ids created) are not: the history says how far the import came and what it was mapped to.
    history = HistoricalRecords(excluded_fields=["samples", "summary", "created_ids", "sheets", "header_rows"])

    class Meta:
        ordering = ["plan", "-created_at"]
        verbose_name = _("uploaded table")
        verbose_name_plural = _("uploaded tables")
        indexes = [models.Index(fields=["plan", "user", "kind"], name="plans_import_of_user")]

    def __str__(self):
        if self.status == self.Status.DONE and self.kind in IMPORTERS:
            return f"{self.filename}: {IMPORTERS[self.kind].count_text(self.created_count)}"
        return self.filename

    def get_absolute_url(self):
        return reverse("plans:import_detail", args=[self.pk])

    @staticmethod
    def history_action(record) -> str | None:
        """How the plan's history names an import that is done (``ehalsa.history``)."""
        return pgettext("history", "imported") if record.status == TableImport.Status.DONE else None

    @property
    def read_as(self) -> str:
        """How the file was read: "XLSX, bladet Aktiviteter" or "CSV (windows-1252, semikolon)"."""
        if self.sheet:
            return _("XLSX, the sheet “%(sheet)s”") % {"sheet": self.sheet}
        if self.encoding:
            delimiter = DELIMITERS.get(self.delimiter, self.delimiter)
            return _("CSV (%(encoding)s, separated by %(delimiter)s)") % {
                "encoding": self.encoding,
                "delimiter": delimiter,
            }
        return ""

    @property
    def is_working(self) -> bool:
        return self.status in self.WORKING.values()

    @property
    def change_reason(self) -> str:
        """What the rows it creates say in their history (language-neutral: "Import" reads the same in
        Swedish and English), within the history's 100 characters."""
        return f"Import {self.pk}: {self.filename}"[:100]


class ImportFile(models.Model):
    """The bytes of an uploaded table, kept with its import so that it can be mapped and checked
    again, in any worker, and removed with it."""

    table_import = models.OneToOneField(
        TableImport, verbose_name=_("import"), on_delete=models.CASCADE, primary_key=True, related_name="file"
    )
    content = models.BinaryField(_("content"))

    class Meta:
        verbose_name = _("uploaded file")
        verbose_name_plural = _("uploaded files")

    def __str__(self):
        return str(self.table_import)


class ImportRow(models.Model):
    """One row of an uploaded table as a check found it: what it would create and what is wrong with
    it, in words, with the file's row number. Made again by every check (``run``): the preview shows
    the rows of the import's own run; a check stores its rows as it goes, and removes the older ones
    once it is done."""

    table_import = models.ForeignKey(
        TableImport, verbose_name=_("import"), on_delete=models.CASCADE, related_name="rows"
    )
    run = models.PositiveIntegerField(_("run"), default=0, help_text=_("The check that found the row as it is."))
    number = models.PositiveIntegerField(_("row in the file"))
    values = models.JSONField(_("values"), default=dict)
    errors = models.JSONField(_("errors"), default=list)
    has_errors = models.BooleanField(_("has errors"), default=False)

    class Meta:
        ordering = ["table_import", "number"]
        verbose_name = _("row of an import")
        verbose_name_plural = _("rows of an import")
        indexes = [models.Index(fields=["table_import", "run", "has_errors", "number"], name="plans_import_row_errors")]

    def __str__(self):
        return f"{self.table_import} {self.number}"


class ColumnMapping(models.Model):
    """The fields a cooperation's columns were last mapped to, by the column's header, per kind of
    import: proposed for its next file ("" for a column chosen not to be imported)."""

    cooperation = models.ForeignKey(
        "governance.Cooperation",
        verbose_name=_("cooperation"),
        on_delete=models.CASCADE,
        related_name="column_mappings",
    )
    kind = models.CharField(_("what is imported"), max_length=30)
    columns = models.JSONField(_("columns"), default=dict, blank=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["cooperation", "kind"]
        verbose_name = _("mapping of columns")
        verbose_name_plural = _("mappings of columns")
        constraints = [
            models.UniqueConstraint(fields=["cooperation", "kind"], name="%(app_label)s_%(class)s_one_per_kind")
        ]

    def __str__(self):
        return f"{self.cooperation}: {self.kind}"
