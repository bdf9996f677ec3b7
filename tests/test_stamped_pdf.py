"""The appendix stamp laid onto a PDF already rendered (ehalsa.pdf.stamped, issue 14 item 3).

The stamp is appended to the file: what the PDF was (PDF/A, tags, metadata, fonts, text) stays, the
stamp's own font is embedded, and the tagged structure reads the stamp first on page 1.
"""

import io
import logging

import pytest
from pypdf import PdfReader
from weasyprint import HTML

from ehalsa.pdf import render_pdf, stamped

STAMP = "Bilaga till Kommunstyrelsen 2016-03-14 § 52, Dnr KS/2016:51"

# A portrait page and a landscape one, like a plan with its wide activity table.
HTML_OF_TWO_PAGES = """<!DOCTYPE html><html lang="sv"><head><meta charset="utf-8"><title>Provplan</title>
<meta name="author" content="Nätverket för ehälsa"><style>@page wide { size: A4 landscape }</style></head>
<body><h1>Provplan för ehälsa</h1><p>Första sidan, med å, ä och ö.</p>
<section style="page: wide"><h2>Aktiviteter</h2><p>Andra sidan, liggande.</p></section></body></html>"""


def squeezed(text: str) -> str:
    return " ".join(text.split())


def fonts_of(reader) -> list[dict]:
    """Every font the pages use, in their own resources and in the form XObjects they draw."""
    fonts, seen = [], set()

    def walk(resources):
        resources = resources.get_object() if resources is not None else {}
        for font in resources.get("/Font", {}).values():
            fonts.append(font.get_object())
        for xobject in resources.get("/XObject", {}).values():
            if xobject.idnum not in seen:
                seen.add(xobject.idnum)
                walk(xobject.get_object().get("/Resources"))

    for page in reader.pages:
        walk(page.get("/Resources"))
    return fonts


def descriptor(font):
    return (font["/DescendantFonts"][0].get_object() if "/DescendantFonts" in font else font)["/FontDescriptor"]


@pytest.fixture
def original(settings):
    settings.PDF_VARIANT = "pdf/a-2b"
    return render_pdf(HTML_OF_TWO_PAGES)


def test_the_stamp_is_appended_and_everything_the_pdf_was_stays(original, caplog):
    with caplog.at_level(logging.WARNING, logger="pypdf"):
        content = stamped(original, STAMP)
        before, after = PdfReader(io.BytesIO(original)), PdfReader(io.BytesIO(content), strict=True)
        texts = [page.extract_text() for page in after.pages]
    assert not caplog.records  # pypdf reads the update without repairing anything
    assert content.startswith(original)  # an incremental update: the stored bytes are untouched
    root, root_before = after.trailer["/Root"], before.trailer["/Root"]
    xmp = root["/Metadata"].get_object().get_data().decode()
    assert xmp == root_before["/Metadata"].get_object().get_data().decode()
    assert 'pdfaid:part="2"' in xmp and 'pdfaid:conformance="B"' in xmp
    assert root["/OutputIntents"][0].get_object()["/S"] == "/GTS_PDFA1"
    assert root["/Lang"] == "sv" and root["/MarkInfo"]["/Marked"] and "/StructTreeRoot" in root
    assert (after.metadata.title, after.metadata.author) == ("Provplan", "Nätverket för ehälsa")
    assert after.metadata == before.metadata
    assert [page.mediabox for page in after.pages] == [page.mediabox for page in before.pages]
    for page_before, text in zip(before.pages, texts, strict=True):
        assert squeezed(page_before.extract_text()) in squeezed(text)  # the original text, as it was
        assert STAMP in squeezed(text)
    assert "Provplan för ehälsa" in texts[0] and "Andra sidan, liggande." in texts[1]


def test_every_font_of_the_stamped_pdf_is_embedded_and_a_new_subset_has_its_own_name(original):
    reader = PdfReader(io.BytesIO(stamped(original, STAMP)))
    fonts = fonts_of(reader)
    assert len(fonts) > len(fonts_of(PdfReader(io.BytesIO(original))))  # the stamp's bold font
    assert all({"/FontFile", "/FontFile2", "/FontFile3"} & set(descriptor(font)) for font in fonts)
    names = {font.indirect_reference.idnum: font["/BaseFont"] for font in fonts}
    assert len(set(names.values())) == len(names)  # a subset tag names one subset


def test_the_stamp_is_read_first_on_page_one_and_is_a_running_header_on_the_others(original):
    reader = PdfReader(io.BytesIO(stamped(original, STAMP)))
    first, second = reader.pages
    document = reader.trailer["/Root"]["/StructTreeRoot"]["/K"][0].get_object()
    paragraph = document["/K"][0].get_object()
    assert paragraph["/S"] == "/P" and paragraph["/P"].get_object() is document
    assert paragraph.raw_get("/Pg") == first.indirect_reference
    numbers = reader.trailer["/Root"]["/StructTreeRoot"]["/ParentTree"]["/Nums"]
    marked = numbers[numbers.index(first["/StructParents"]) + 1].get_object()
    assert marked[paragraph["/K"]].get_object() is paragraph  # the parent tree knows the new content
    assert b"/P <</MCID %d>> BDC" % paragraph["/K"] in first.get_contents().get_data()
    assert b"/Artifact <</Type /Pagination /Subtype /Header>> BDC" in second.get_contents().get_data()


def test_a_pdf_a_1b_keeps_its_cross_reference_table_and_its_fonts_their_cid_sets(settings):
    settings.PDF_VARIANT = "pdf/a-1b"
    original = render_pdf(HTML_OF_TWO_PAGES)
    content = stamped(original, STAMP)
    assert original.startswith(b"%PDF-1.4") and b"\nxref\n" in content[len(original) :]  # no stream in PDF 1.4
    reader = PdfReader(io.BytesIO(content), strict=True)
    assert 'pdfaid:part="1"' in reader.trailer["/Root"]["/Metadata"].get_object().get_data().decode()
    assert all("/CIDSet" in descriptor(font) for font in fonts_of(reader))
    assert STAMP in squeezed(reader.pages[0].extract_text())


def test_an_untagged_pdf_gets_the_stamp_as_a_running_header_on_every_page():
    original = HTML(string=HTML_OF_TWO_PAGES).write_pdf()
    reader = PdfReader(io.BytesIO(stamped(original, STAMP)), strict=True)
    assert "/StructTreeRoot" not in reader.trailer["/Root"]
    for page in reader.pages:
        assert b"/Artifact" in page.get_contents().get_data()
        assert STAMP in squeezed(page.extract_text())


def test_two_stamps_of_the_same_pdf_are_the_same_bytes(original):
    assert stamped(original, STAMP) == stamped(original, STAMP)
    assert stamped(original, STAMP) != stamped(original, STAMP.replace("52", "53"))
