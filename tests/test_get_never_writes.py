"""GET never writes: whatever URL a visitor asks for (GET or HEAD), no row and no file appears.

Every URL of the authorization matrix, and the adopted plan's PDF with each stamp a visitor may
ask for (a recorded decision's, a typed one). Nor does a GET queue a task: a PDF not made yet is asked
for with a POST.
"""

from urllib.parse import urlencode, urlsplit

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from plans.models import PdfJob
from plans.pdf import store_plan_pdf
from tests import test_authorization_matrix as matrix

pytestmark = pytest.mark.django_db

world = matrix.world  # the matrix's fixture: the adopted plan, a draft, their parts

WRITES = ("INSERT", "UPDATE", "DELETE", "REPLACE")


def row_counts() -> dict[str, int]:
    counts = {}
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names(cursor):
            cursor.execute(f"SELECT COUNT(*) FROM {connection.ops.quote_name(table)}")
            counts[table] = cursor.fetchone()[0]
    return counts


def anonymous_urls(world) -> list[str]:
    urls = [reverse(name, args=args) for name, args, _ in matrix.cases(world)]
    pdf = reverse("plans:actionplan_pdf", args=[world["adopted"].pk])
    typed = {"body": "Kommunstyrelsen", "date": "2016-03-14", "paragraph": "52", "dnr": "KS/2016:51"}
    return [*urls, f"{pdf}?decision={world['decision'].pk}", f"{pdf}?{urlencode(typed)}"]


def is_download(url) -> bool:
    return urlsplit(url).path.endswith("/pdf/")


def test_no_anonymous_get_stores_a_row_or_a_file(client, world, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    store_plan_pdf(world["adopted"])  # as the worker does at adoption
    stored = sorted(tmp_path.rglob("*"))
    urls = anonymous_urls(world)
    before = row_counts()
    with CaptureQueriesContext(connection) as queries:
        answers = {url: client.get(url) for url in urls}
        heads = [client.head(url).status_code for url in urls if not is_download(url)]  # a PDF renders once
    assert row_counts() == before
    assert [q["sql"] for q in queries if q["sql"].lstrip().upper().startswith(WRITES)] == []
    assert sorted(tmp_path.rglob("*")) == stored
    pdf = reverse("plans:actionplan_pdf", args=[world["adopted"].pk])
    served = [url for url, answer in answers.items() if answer.get("Content-Type") == "application/pdf"]
    assert pdf in served and f"{pdf}?decision={world['decision'].pk}" in served  # the walk did render them
    assert heads and max(heads) < 500


@pytest.mark.parametrize("persona", ["coordinator", "secretary"])
def test_no_signed_in_get_or_head_stores_a_row_or_a_file(client, world, settings, tmp_path, persona, request):
    """Issue 14, item 4: signed in, GET and HEAD of every URL (the edit forms included) write nothing.

    The secretary also asks for the PDF with a typed stamp (the anonymous walk covers the others)."""
    settings.MEDIA_ROOT = tmp_path / "media"
    client.force_login(request.getfixturevalue(persona))
    urls = [
        url for url in anonymous_urls(world) if not is_download(url) or "?" not in url or "body=" in url
    ]  # the secretary also types a stamp
    urls = [url for url in urls if persona == "secretary" or "body=" not in url]
    before = row_counts()
    with CaptureQueriesContext(connection) as queries:
        answers = [
            (method, url, getattr(client, method)(url).status_code)
            for url in urls
            for method in (("get",) if is_download(url) else ("get", "head"))  # a PDF renders once
        ]
    assert row_counts() == before
    assert [q["sql"] for q in queries if q["sql"].lstrip().upper().startswith(WRITES)] == []
    assert list(tmp_path.rglob("*")) == []
    assert not [answer for answer in answers if answer[2] >= 500]


@pytest.mark.parametrize("persona", [None, "viewer", "coordinator"])
def test_a_pdf_not_made_yet_is_not_queued_by_any_get(client, world, settings, tmp_path, persona, request):
    """The adopted plan's PDF not stored yet (one queued, one failed, none asked for), the draft's
    not asked for: its plan page, download, status page and request address, GET and HEAD."""
    settings.MEDIA_ROOT = tmp_path / "media"
    if persona:
        client.force_login(request.getfixturevalue(persona))
    adopted, draft = world["adopted"], world["draft"]
    urls = [
        url
        for plan in (adopted, draft)
        for url in (
            plan.get_absolute_url(),
            reverse("plans:actionplan_pdf", args=[plan.pk]),
            reverse("plans:actionplan_pdf_status", args=[plan.pk]),
            reverse("plans:actionplan_pdf_request", args=[plan.pk]),
        )
    ]
    for job in (None, PdfJob(status="queued"), PdfJob(status="failed", problem="render", attempts=3)):
        PdfJob.objects.filter(plan=adopted).delete()
        if job is not None:
            job.plan, job.version_number = adopted, 1
            job.save()
        before = row_counts()
        with CaptureQueriesContext(connection) as queries:
            answers = [getattr(client, method)(url).status_code for url in urls for method in ("get", "head")]
        assert row_counts() == before
        assert [q["sql"] for q in queries if q["sql"].lstrip().upper().startswith(WRITES)] == []
        assert list(tmp_path.rglob("*")) == [] and max(answers) < 500
