"""The plan as a PDF for the protocol: content, stamp, PDF/A and tags, the same file every time."""

import io
import re

import pytest
from django.urls import reverse
from pypdf import PdfReader

from governance.models import Decision
from plans.models import StoredPdf

pytestmark = pytest.mark.django_db


def pdf_of(response) -> PdfReader:
    assert response.status_code == 200, response.content[:300]
    assert response["Content-Type"] == "application/pdf"
    content = b"".join(response.streaming_content) if response.streaming else response.content
    assert content.startswith(b"%PDF")
    return PdfReader(io.BytesIO(content)), content


def text_of(reader) -> str:
    return "\n".join(page.extract_text() for page in reader.pages)


@pytest.fixture
def adopted_pdf(client, plan_2016):
    return pdf_of(client.get(reverse("plans:actionplan_pdf", args=[plan_2016.pk])))


def test_the_adopted_plans_pdf_holds_the_whole_plan(adopted_pdf):
    reader, _ = adopted_pdf
    text = text_of(reader)
    assert "Handlingsplan för ehälsa i Östergötland 2016-2017" in text
    assert "Antagen av SSVO 2015-11-27" in text
    assert "Version 1" in text
    assert "Innehållsförteckning" in text
    for number in ["1", "2", "3", "4", "5", "6", "7a", "7b", "8", "9a", "9b"]:
        assert re.search(rf"(^|\n){re.escape(number)}\s", text), number
    for balance in ("6 109 227", "5 125 273", "2 821 711", "1 190 649"):
        assert balance in text.replace("\xa0", " "), balance
    assert "Sida 1 (" in text
    assert "Uppföljning av föregående plan" in text and "Tidslinje" in text and "Antagande" in text
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
    fonts = [font.get_object() for page in reader.pages for font in page["/Resources"]["/Font"].values()]
    descriptors = [
        (font["/DescendantFonts"][0].get_object() if "/DescendantFonts" in font else font)["/FontDescriptor"]
        for font in fonts
    ]
    assert descriptors and all(
        {"/FontFile", "/FontFile2", "/FontFile3"} & set(d.keys()) for d in descriptors
    )  # fonts embedded


def test_two_downloads_of_the_adopted_plan_are_byte_identical(client, plan_2016, adopted_pdf):
    _, first = adopted_pdf
    _, second = pdf_of(client.get(reverse("plans:actionplan_pdf", args=[plan_2016.pk])))
    assert first == second
    stored = StoredPdf.objects.get(plan=plan_2016, stamp="")
    import hashlib

    assert stored.sha256 == hashlib.sha256(first).hexdigest()
    page = client.get(plan_2016.get_absolute_url()).content.decode()
    assert stored.sha256 in page


def test_the_appendix_stamp_is_on_every_page(client, plan_2016):
    decision = Decision.objects.get(plan=plan_2016, paragraph=17)
    reader, _ = pdf_of(client.get(reverse("plans:actionplan_pdf", args=[plan_2016.pk]), {"decision": decision.pk}))
    stamp = "Bilaga till Omsorgs- och socialnämnden 2016-01-26 § 17, Dnr OSN/2015:169"
    for page in reader.pages:
        assert stamp in " ".join(page.extract_text().split()), page.page_number


def test_a_typed_stamp_works_and_bad_fields_are_form_errors(client, plan_2016):
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
    ):
        response = client.get(url, bad)
        assert response.status_code == 200 and response["Content-Type"].startswith("text/html")
        assert message in response.content.decode()


def test_a_draft_carries_the_draft_mark_and_is_not_stored(client, h2o_plan, official_elsewhere):
    assert client.get(reverse("plans:actionplan_pdf", args=[h2o_plan.pk])).status_code == 404
    client.force_login(official_elsewhere)
    reader, _ = pdf_of(client.get(reverse("plans:actionplan_pdf", args=[h2o_plan.pk])))
    text = text_of(reader)
    assert "UTKAST" in text and "Utkast" in text
    assert "Planen har inga aktiviteter." in text and "Planen har ingen budget." in text
    assert not StoredPdf.objects.filter(plan=h2o_plan).exists()


def test_the_protocol_excerpt_as_pdf(client, plan_2016):
    decision = Decision.objects.get(plan=plan_2016, paragraph=35)
    reader, _ = pdf_of(client.get(reverse("plans:decision_excerpt_pdf", args=[decision.pk])))
    text = " ".join(text_of(reader).split())
    for fragment in (
        "Mjölby kommun",
        "PROTOKOLLSUTDRAG",
        "Sammanträdesdatum 2016-02-29",
        "§ 35",
        "Dnr KS/2016:51",
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
