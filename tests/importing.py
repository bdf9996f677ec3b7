"""Files made in the tests, as people's spreadsheet programs write them, and imports run as a
worker runs them (the queue worked off in the test's process)."""

import csv
import io
import re
import zipfile

import openpyxl
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import TestCase
from django.urls import reverse

from plans.imports import services
from plans.imports.registry import importer_of
from plans.models import TableImport
from tests.helpers import work_off_the_queue


def xlsx(rows: list[list], *, merged: tuple[str, ...] = (), title: str = "Aktiviteter", at: int = 1) -> bytes:
    """A workbook of one sheet holding ``rows`` from row ``at``; ``merged``: cell ranges merged."""
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = title
    for number, row in enumerate(rows, start=at):
        for column, value in enumerate(row, start=1):
            if value is not None:
                sheet.cell(row=number, column=column, value=value)
    for cells in merged:
        sheet.merge_cells(cells)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def with_saved_values(content: bytes, values: dict[str, str]) -> bytes:
    """The workbook with values saved beside its formulas, as Excel saves them (openpyxl saves none)."""
    source = zipfile.ZipFile(io.BytesIO(content))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename.startswith("xl/worksheets/"):
                for cell, value in values.items():
                    data = re.sub(
                        rf'(<c r="{cell}"[^>]*>)(<f>.*?</f>)(<v\s*/>|<v></v>)?'.encode(),
                        rb"\1\2<v>" + value.encode() + b"</v>",
                        data,
                    )
            target.writestr(item, data)
    return out.getvalue()


def semicolon_csv(rows: list[list], *, encoding: str = "cp1252") -> bytes:
    """CSV as Swedish Excel saves it ("CSV (semikolonavgränsad)"): semicolons, Windows-1252, CRLF."""
    out = io.StringIO()
    csv.writer(out, delimiter=";", lineterminator="\r\n").writerows(rows)
    return out.getvalue().encode(encoding)


def upload(client, plan, content: bytes, *, name: str = "aktiviteter.xlsx", kind: str = "aktiviteter", capture):
    """Upload through the page, as a coordinator does; the worker reads the file."""
    with capture(execute=True):
        response = client.post(
            reverse("plans:import_upload", args=[plan.pk, kind]), {"file": SimpleUploadedFile(name, content)}
        )
    work_off_the_queue()
    return response


def imported(plan, user, content: bytes, *, kind: str = "activities", name: str = "tabell.xlsx", mapping=None):
    """An upload read and checked with the proposed mapping (or ``mapping``): the preview, as a worker
    leaves it."""
    with TestCase.captureOnCommitCallbacks(execute=True):
        table_import, _ = services.import_upload(
            plan=plan, user=user, importer=importer_of(kind), filename=name, content=content, language="sv"
        )
    work_off_the_queue()
    table_import.refresh_from_db()
    if table_import.status != TableImport.Status.MAPPING:
        return table_import
    with TestCase.captureOnCommitCallbacks(execute=True):
        services.import_map(table_import=table_import, mapping=mapping or table_import.mapping)
    work_off_the_queue()
    table_import.refresh_from_db()
    return table_import


def confirm(table_import) -> TableImport:
    with TestCase.captureOnCommitCallbacks(execute=True):
        services.import_confirm(table_import=table_import)
    work_off_the_queue()
    table_import.refresh_from_db()
    return table_import


def errors_of(table_import) -> list[str]:
    return [error for row in table_import.rows.filter(has_errors=True) for error in row.errors]
