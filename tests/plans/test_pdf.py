"""The plan as a PDF for the protocol: content, stamp, PDF/A and tags, the same file every time.

The adopted version's PDF is stored by a worker when the plan is adopted (or by
``store_adopted_pdfs``); downloads only read it. An appendix stamp is laid onto it for each download
and never stored. How the worker makes PDFs (drafts, failures, retries): test_pdf_worker.py.
"""

import hashlib
import io
import re
from contextlib import contextmanager
from types import SimpleNamespace
from urllib.parse import quote

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.db import OperationalError, transaction
from django.urls import reverse
from django.utils import timezone, translation
from pypdf import PdfReader

from governance.models import Decision
from plans import adoption
from plans import pdf as plan_pdfs
from plans.models import ActionPlan, StoredPdf
from plans.pdf_views import AppendixForm
from plans.report_models import ReportPdf
from tests.helpers import files_in, make_plan, work_off_the_queue

# Stored PDFs go to a directory of each test's own (``media``).
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("media")]


@pytest.fixture
def fake_rendering(monkeypatch):
    """Rendering replaced by a few bytes per plan: for what happens around the rendering."""
    monkeypatch.setattr(plan_pdfs, "plan_pdf_bytes", lambda plan: f"%PDF-plan {plan.pk}".encode())


def pdf_of(response) -> PdfReader:
    assert response.status_code == 200, response.content[:300]
    assert response["Content-Type"] == "application/pdf"
    content = b"".join(response.streaming_content) if response.streaming else response.content
    assert content.startswith(b"%PDF")
    return PdfReader(io.BytesIO(content)), content


def text_of(reader) -> str:
    return "\n".join(page.extract_text() for page in reader.pages)


def fonts_of(reader) -> list:
    """Every font the pages draw with, in their resources and in the form XObjects they draw (the stamp)."""
    fonts, seen = [], set()

    def walk(resources):
        for font in resources.get("/Font", {}).values():
            if font.idnum not in seen:
                seen.add(font.idnum)
                fonts.append(font.get_object())
        for xobject in resources.get("/XObject", {}).values():
            if xobject.get_object()["/Subtype"] == "/Form" and xobject.idnum not in seen:
                seen.add(xobject.idnum)
                walk(xobject.get_object().get("/Resources", {}))

    for page in reader.pages:
        walk(page["/Resources"])
    return fonts


def descriptor(font):
    return (font["/DescendantFonts"][0].get_object() if "/DescendantFonts" in font else font)["/FontDescriptor"]


@pytest.fixture
def adopted_pdf(client, plan_2016):
    plan_pdfs.store_plan_pdf(plan_2016)  # as the worker does when the plan is adopted
    return pdf_of(client.get(reverse("plans:actionplan_pdf", args=[plan_2016.pk])))


def test_the_adopted_plans_pdf_holds_the_whole_plan(adopted_pdf):
    reader, _ = adopted_pdf
    text = text_of(reader)
    assert "Handlingsplan för ehälsa i Östergötland 2016-2017" in text
    assert "Antagen av Sakområdessamråd vård och omsorg 2015-11-27" in text
    assert "Version 1" in text
    assert "Innehållsförteckning" in text
    for number in ["1", "2", "3", "4", "5", "6", "7a", "7b", "8", "9a", "9b"]:
        assert re.search(rf"(^|\n){re.escape(number)}\s", text), number
    for balance in ("6 109 227", "5 125 273", "2 821 711", "1 190 649"):
        assert balance in text.replace("\xa0", " "), balance
    assert "Sida 1 (" in text
    assert "Genomförda insatser 2014 och 2015" in text and "Tidslinje" in text and "Antagande" in text
    assert "UTKAST" not in text


def test_the_pdf_is_archival_and_tagged_with_swedish_metadata(adopted_pdf):
    reader, content = adopted_pdf
    root = reader.trailer["/Root"]
    assert root["/Lang"] == "sv"
    assert "/StructTreeRoot" in root and root["/MarkInfo"]["/Marked"]
    assert reader.metadata.title == "Handlingsplan för ehälsa i Östergötland 2016-2017"
    assert reader.metadata.author == "Nätverket för ehälsa i Östergötland"
    xmp = root["/Metadata"].get_object().get_data().decode()
    assert 'pdfaid:part="2"' in xmp and 'pdfaid:conformance="B"' in xmp  # PDF/A-2b, the default setting
    fonts = fonts_of(reader)
    assert fonts and all({"/FontFile", "/FontFile2", "/FontFile3"} & set(descriptor(f)) for f in fonts)  # embedded


def test_two_downloads_of_the_adopted_plan_are_byte_identical(client, plan_2016):
    stored = plan_pdfs.store_plan_pdf(plan_2016)
    url = reverse("plans:actionplan_pdf", args=[plan_2016.pk])
    first, second = client.get(url), client.get(url)
    content = pdf_of(first)[1]
    assert content == pdf_of(second)[1]
    assert stored.sha256 == hashlib.sha256(content).hexdigest() == first["X-Content-SHA256"]
    page = client.get(plan_2016.get_absolute_url()).content.decode()
    assert stored.sha256 in page
    assert StoredPdf.objects.filter(plan=plan_2016).count() == 1


def test_the_appendix_stamp_is_on_every_page(client, plan_2016):
    plan_pdfs.store_plan_pdf(plan_2016)  # as the worker does when the plan is adopted
    decision = Decision.objects.get(plan=plan_2016, paragraph=17)
    reader, _ = pdf_of(client.get(reverse("plans:actionplan_pdf", args=[plan_2016.pk]), {"decision": decision.pk}))
    stamp = "Bilaga till Omsorgs- och socialnämnden 2016-01-26 § 17, Dnr OSN/2015:169"
    for page in reader.pages:
        assert stamp in " ".join(page.extract_text().split()), page.page_number


@pytest.fixture
def stored_2016(plan_2016, media, monkeypatch):
    """The adopted plan's PDF stored, as at its adoption; rendering anything after that fails the test."""
    stored = plan_pdfs.store_plan_pdf(plan_2016)
    with default_storage.open(stored.path, "rb") as file:
        content = file.read()

    def no_rendering(*args, **kwargs):
        raise AssertionError("a stamped appendix of a stored PDF renders nothing but its stamp")

    monkeypatch.setattr(plan_pdfs, "plan_pdf_bytes", no_rendering)
    return stored, content


def test_a_recorded_decisions_stamp_is_laid_onto_the_stored_pdf_for_anyone_and_never_stored(
    client, plan_2016, stored_2016, media
):
    stored, original = stored_2016
    decision = Decision.objects.get(plan=plan_2016, paragraph=17)
    response = client.get(reverse("plans:actionplan_pdf", args=[plan_2016.pk]), {"decision": decision.pk})
    reader, content = pdf_of(response)
    assert response["Content-Disposition"] == (
        'attachment; filename="bilaga-osn-2016-01-26-p17-handlingsplan-ehalsa-ostergotland-2016-2017.pdf"'
    )
    assert content.startswith(original)  # the adopted PDF, byte for byte, with the stamp appended
    assert "X-Content-SHA256" not in response  # the published checksum is the unstamped file's
    before = PdfReader(io.BytesIO(original))
    stamp = "Bilaga till Omsorgs- och socialnämnden 2016-01-26 § 17, Dnr OSN/2015:169"
    assert len(reader.pages) == len(before.pages)
    for page, page_before in zip(reader.pages, before.pages, strict=True):
        text = " ".join(page.extract_text().split())
        assert stamp in text and " ".join(page_before.extract_text().split()) in text, page.page_number
    assert list(StoredPdf.objects.all()) == [stored] and files_in(media) == [stored.path]


def test_the_stamped_appendix_keeps_the_archival_identification_tags_and_embedded_fonts(client, plan_2016, stored_2016):
    _, original = stored_2016
    decision = Decision.objects.get(plan=plan_2016, paragraph=17)
    reader, _ = pdf_of(client.get(reverse("plans:actionplan_pdf", args=[plan_2016.pk]), {"decision": decision.pk}))
    root = reader.trailer["/Root"]
    xmp = root["/Metadata"].get_object().get_data().decode()
    assert xmp == PdfReader(io.BytesIO(original)).trailer["/Root"]["/Metadata"].get_object().get_data().decode()
    assert 'pdfaid:part="2"' in xmp and 'pdfaid:conformance="B"' in xmp and root["/OutputIntents"]
    assert root["/Lang"] == "sv" and root["/MarkInfo"]["/Marked"]
    assert reader.metadata.title == "Handlingsplan för ehälsa i Östergötland 2016-2017"
    document = root["/StructTreeRoot"]["/K"][0].get_object()
    first = document["/K"][0].get_object()
    assert first["/S"] == "/P" and first.raw_get("/Pg") == reader.pages[0].indirect_reference  # read first
    fonts = fonts_of(reader)
    assert len({font["/BaseFont"] for font in fonts}) == len(fonts) == 5  # the plan's four and the stamp's
    assert all({"/FontFile", "/FontFile2", "/FontFile3"} & set(descriptor(font)) for font in fonts)


def test_a_typed_stamp_is_laid_onto_the_stored_pdf_for_a_signed_in_user_and_never_stored(
    client, plan_2016, stored_2016, secretary, media
):
    stored, original = stored_2016
    client.force_login(secretary)
    typed = {"body": "Kommunstyrelsen", "date": "2016-03-14", "paragraph": "52", "dnr": "KS/2016:51"}
    reader, content = pdf_of(client.get(reverse("plans:actionplan_pdf", args=[plan_2016.pk]), typed))
    assert content.startswith(original)
    assert "Bilaga till Kommunstyrelsen 2016-03-14 § 52, Dnr KS/2016:51" in " ".join(
        reader.pages[0].extract_text().split()
    )
    assert list(StoredPdf.objects.all()) == [stored] and files_in(media) == [stored.path]


def test_a_typed_stamp_works_and_bad_fields_are_form_errors(client, plan_2016, secretary, media):
    plan_pdfs.store_plan_pdf(plan_2016)  # as the worker does when the plan is adopted
    stored = files_in(media)
    client.force_login(secretary)
    url = reverse("plans:actionplan_pdf", args=[plan_2016.pk])
    reader, _ = pdf_of(
        client.get(url, {"body": "Kommunstyrelsen", "date": "2016-03-14", "paragraph": "52", "dnr": "KS/2016:51"})
    )
    assert "Bilaga till Kommunstyrelsen 2016-03-14 § 52, Dnr KS/2016:51" in " ".join(
        reader.pages[-1].extract_text().split()
    )
    for bad, message in (
        ({"body": "KS", "date": "2016-03-14", "paragraph": "femtio"}, "Paragrafen (§) är ett nummer"),
        ({"body": "KS", "date": "14 mars"}, "Fyll i ett giltigt datum."),
        ({"body": "KS", "date": "0001-01-01"}, "Ange ett datum från 1990-01-01 till "),
        ({"body": "KS", "date": "9999-12-31"}, "Ange ett datum från 1990-01-01 till "),
        ({"decision": "999999"}, "Välj ett giltigt alternativ"),
        (
            {"body": "K" * 201, "date": "2016-03-14"},
            "Säkerställ att detta värde har som mest 200 tecken (den har 201).",
        ),
    ):
        response = client.get(url, bad)
        assert response.status_code == 200 and response["Content-Type"].startswith("text/html")
        assert message in response.content.decode()
    assert StoredPdf.objects.count() == 1 and files_in(media) == stored  # laid on for the download only


def test_a_body_name_of_10_000_characters_is_refused_in_swedish_and_nothing_is_rendered(
    client, plan_2016, secretary, monkeypatch
):
    monkeypatch.setattr(plan_pdfs, "plan_pdf_bytes", lambda plan: pytest.fail("rendered"))
    client.force_login(secretary)
    typed = {"body": "K" * 10_000, "date": "2016-03-14"}
    response = client.get(reverse("plans:actionplan_pdf", args=[plan_2016.pk]), typed)
    assert response.status_code == 414 and "Adressen är för lång" in response.content.decode()  # as a link
    with translation.override("sv"):  # as a form posted some other way
        form = AppendixForm(typed, plan=plan_2016)
        assert not form.is_valid()
        assert form.errors["body"] == ["Säkerställ att detta värde har som mest 200 tecken (den har 10000)."]


def test_an_anonymous_visitor_is_asked_to_sign_in_for_a_typed_stamp(client, plan_2016):
    form = client.get(reverse("plans:actionplan_appendix", args=[plan_2016.pk])).content.decode()
    assert "Logga in för att hämta PDF:en med en stämpel som du skriver själv." in form
    url = reverse("plans:actionplan_pdf", args=[plan_2016.pk])
    typed = {"body": "Kommunstyrelsen", "date": "2016-03-14", "paragraph": "52", "dnr": "KS/2016:51"}
    response = client.get(url, typed)
    assert response.status_code == 403 and response["Content-Type"].startswith("text/html")
    page = response.content.decode()
    assert "Logga in för att hämta PDF:en med en stämpel som du skriver själv." in page
    assert 'value="Kommunstyrelsen"' in page and 'value="KS/2016:51"' in page  # nothing typed is lost
    next_url = quote(response.wsgi_request.get_full_path(), safe="/")
    assert f'href="{reverse("login")}?next={next_url}"' in page


def test_a_draft_is_stamped_too_and_nothing_is_stored(
    client, h2o_plan, official_elsewhere, media, django_capture_on_commit_callbacks
):
    client.force_login(official_elsewhere)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("plans:actionplan_pdf_request", args=[h2o_plan.pk]))  # "Skapa PDF"
    work_off_the_queue()
    made = files_in(media)
    typed = {"body": "Kommunstyrelsen", "date": "2016-03-14"}
    reader, _ = pdf_of(client.get(reverse("plans:actionplan_pdf", args=[h2o_plan.pk]), typed))
    assert "Bilaga till Kommunstyrelsen 2016-03-14" in " ".join(reader.pages[0].extract_text().split())
    assert "UTKAST" in text_of(reader)
    assert not StoredPdf.objects.exists() and files_in(media) == made


def test_a_draft_carries_the_draft_mark_and_is_not_stored_as_an_adopted_version(
    client, h2o_plan, official_elsewhere, django_capture_on_commit_callbacks
):
    assert client.get(reverse("plans:actionplan_pdf", args=[h2o_plan.pk])).status_code == 404
    client.force_login(official_elsewhere)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("plans:actionplan_pdf_request", args=[h2o_plan.pk]))  # "Skapa PDF"
    work_off_the_queue()
    reader, _ = pdf_of(client.get(reverse("plans:actionplan_pdf", args=[h2o_plan.pk])))
    text = text_of(reader)
    assert "UTKAST" in text and "Utkast" in text
    assert "Planen har inga aktiviteter." in text and "Planen har ingen budget." in text
    assert not StoredPdf.objects.filter(plan=h2o_plan).exists()
    assert plan_pdfs.store_plan_pdf(h2o_plan) is None


def test_adopting_a_plan_stores_its_pdf_once_the_decision_is_committed(
    client, coordinator, ostergotland, media, django_capture_on_commit_callbacks
):
    plan = make_plan(ostergotland, title="Liten plan")
    ssvo = ostergotland.bodies.get(name="Sakområdessamråd vård och omsorg")
    adoption.plan_send_for_adoption(plan=plan, bodies=[ssvo], municipalities=[])
    with django_capture_on_commit_callbacks(execute=True):
        adoption.decision_record(
            plan=plan, user=coordinator, body=ssvo, meeting_date=timezone.localdate(), kind="adopt", text="Antas."
        )
        assert work_off_the_queue() == 0  # not queued before the adoption is committed
    assert work_off_the_queue() == 1  # a worker renders and stores it
    stored = StoredPdf.objects.get(plan=plan)
    assert stored.version_number == plan.versions.get().number
    assert files_in(media) == [stored.path]
    response = client.get(reverse("plans:actionplan_pdf", args=[plan.pk]))
    reader, content = pdf_of(response)
    assert hashlib.sha256(content).hexdigest() == stored.sha256 == response["X-Content-SHA256"]
    assert "Liten plan" in text_of(reader) and "Antagen av" in text_of(reader)


def test_the_command_stores_the_missing_pdfs_of_adopted_versions_once(fake_rendering, media, plan_2016):
    call_command("store_adopted_pdfs", verbosity=0)
    call_command("store_adopted_pdfs", verbosity=0)
    adopted = ActionPlan.objects.public().filter(versions__isnull=False).distinct()
    # Plan 2016, VästKom's template, the local plans of three of its municipalities (Alingsås, Borås,
    # Lerum) and the invented cooperation's two; the 2014 plan has no recorded version.
    assert adopted.count() == 7
    stored = StoredPdf.objects.order_by("plan_id")
    assert [pdf.plan for pdf in stored] == list(adopted.order_by("pk"))
    reports = ReportPdf.objects.all()  # and the frozen yearly report's (the demo's 2014-2015 report)
    assert [pdf.report.year for pdf in reports] == [2015] and all(pdf.ready for pdf in reports)
    assert files_in(media) == sorted([pdf.path for pdf in stored] + [pdf.path for pdf in reports])
    assert (
        StoredPdf.objects.get(plan=plan_2016).sha256 == hashlib.sha256(f"%PDF-plan {plan_2016.pk}".encode()).hexdigest()
    )


def test_when_another_process_stored_the_pdf_first_theirs_is_served_and_no_second_file_is_left(
    monkeypatch, media, plan_2016
):
    version = plan_2016.versions.get()

    def render_while_another_process_stores(plan):
        path = default_storage.save("pdf/theirs.pdf", ContentFile(b"%PDF-theirs"))
        StoredPdf.objects.create(plan=plan, version_number=version.number, path=path, sha256="0" * 64, size=11)
        return b"%PDF-ours"

    monkeypatch.setattr(plan_pdfs, "plan_pdf_bytes", render_while_another_process_stores)
    assert plan_pdfs.store_plan_pdf(plan_2016).path == "pdf/theirs.pdf"
    assert StoredPdf.objects.filter(plan=plan_2016).count() == 1
    assert files_in(media) == ["pdf/theirs.pdf"]


def test_a_store_that_fails_after_writing_the_file_leaves_neither_file_nor_row(
    fake_rendering, monkeypatch, media, plan_2016
):
    @contextmanager
    def failing_commit():
        with transaction.atomic():
            yield
            raise OperationalError("database is locked")  # as SQLite answers a second writer

    monkeypatch.setattr(plan_pdfs, "transaction", SimpleNamespace(atomic=failing_commit))
    with pytest.raises(OperationalError):
        plan_pdfs.store_plan_pdf(plan_2016)
    assert not StoredPdf.objects.exists()
    assert files_in(media) == []


def test_the_protocol_excerpt_as_pdf(client, plan_2016):
    decision = Decision.objects.get(plan=plan_2016, paragraph=35)
    reader, _ = pdf_of(client.get(reverse("plans:decision_excerpt_pdf", args=[decision.pk])))
    text = " ".join(text_of(reader).split())
    for fragment in (
        "Mjölby kommun",
        "PROTOKOLLSUTDRAG",
        "Organ Sammanträdesdatum § Dnr Kommunstyrelsens arbetsutskott 2016-02-29 35 KS/2016:51",
        "Arbetsutskottet beslutar att hänskjuta ärendet till kommunstyrelsen.",
        "Beslutet skickas till:",
        "Justerandes sign",
        "Utdragsbestyrkande",
        "Sida 1 (1)",
    ):
        assert fragment in text, fragment


def test_the_timeline_and_the_chart_carry_alt_text_in_the_tagged_pdf(adopted_pdf):
    reader, _ = adopted_pdf
    alts, kinds = [], set()

    def walk(node):
        node = node.get_object()
        if not isinstance(node, dict):
            return
        kinds.add(node.get("/S"))
        if "/Alt" in node:
            alts.append((node.get("/S"), node["/Alt"]))
        kids = node.get("/K")
        for kid in kids if isinstance(kids, list) else ([kids] if kids is not None else []):
            walk(kid)

    walk(reader.trailer["/Root"]["/StructTreeRoot"])
    assert ("/Figure", "Tidslinje för aktiviteterna") in alts
    assert ("/Figure", "Intäkter, kostnader och utgående balans per år") in alts
    assert {"/H1", "/H2", "/Table", "/TH", "/TD"} <= kinds
