"""The one PDF renderer: WeasyPrint, archival (PDF/A, a setting) and tagged for accessibility.

``stamped`` lays an appendix stamp onto a PDF already rendered, in a fraction of a render's time.
"""

import hashlib
import io
import re
import struct
from functools import cache, cached_property

from django.conf import settings
from django.template.loader import render_to_string
from pypdf import PdfReader
from pypdf.generic import (
    ArrayObject,
    ByteStringObject,
    DecodedStreamObject,
    DictionaryObject,
    FloatObject,
    IndirectObject,
    NameObject,
    NumberObject,
    PdfObject,
    StreamObject,
    read_object,
)
from weasyprint import HTML
from weasyprint.urls import URLFetcher


def render_pdf(html: str, *, base_url: str | None = None) -> bytes:
    """Title, author and language come from the document's <title>, <meta name="author"> and lang."""
    identifier = hashlib.sha256(html.encode()).hexdigest()[:32].encode()
    return HTML(string=html, base_url=base_url).write_pdf(
        pdf_variant=settings.PDF_VARIANT or None,
        pdf_tags=True,
        pdf_identifier=identifier,
        custom_metadata=True,
    )


def sha256_of(content: bytes) -> str:
    return hashlib.sha256(content).hexdigest()


def stamped(pdf: bytes, text: str) -> bytes:
    """The PDF with ``text`` laid on every page, top right in the top margin (templates/pdf/stamp.html).

    Only the stamp is rendered (by WeasyPrint, so its font is embedded like the others), and it is
    appended as an incremental update: the original bytes stay the beginning of the file, and with
    them its PDF/A identification, metadata, tags, fonts and text. On the first page the stamp is a
    paragraph of the tagged structure, read first; on the others, a running header (an artifact).
    """
    update = _Update(pdf)
    pages = update.reader.pages
    sizes = list(dict.fromkeys(_size(page) for page in pages))
    overlay = PdfReader(io.BytesIO(_stamp_pdf(text, sizes, version=update.reader.pdf_header[5:])))
    brought = {}  # the overlay's objects by number, brought once for all page sizes
    forms = {size: _form_xobject(update, page, brought) for size, page in zip(sizes, overlay.pages, strict=True)}
    isolate = update.add(_content_stream(b"q\n"))  # the page's own drawing keeps its graphics state to itself
    headers = {}
    for number, page in enumerate(pages):
        form = forms[_size(page)]
        name = _resource_name(update, page, form)
        mcid = _tag_paragraph(update, page.indirect_reference) if number == 0 else None
        if mcid is not None:
            stamp = update.add(_content_stream(_draw(name, b"/P <</MCID %d>> BDC" % mcid)))
        else:
            if (name, form) not in headers:
                mark = b"/Artifact <</Type /Pagination /Subtype /Header>> BDC"
                headers[name, form] = update.add(_content_stream(_draw(name, mark)))
            stamp = headers[name, form]
        _draw_between(update, page.indirect_reference, isolate, stamp)
    return update.write(identifier=text.encode())


class _Reader(PdfReader):
    """pypdf's reader, reading an object of an object stream alone.

    pypdf parses every object of the stream when the first is asked for, and WeasyPrint puts nearly
    all of a document (its whole tag tree) in one: a stamp needs a dozen objects, not thousands.
    """

    def _get_object_from_stream(self, indirect_reference: IndirectObject) -> PdfObject:
        number = self.xref_objStm[indirect_reference.idnum][0]
        if number not in self._object_streams:
            stream = IndirectObject(number, 0, self).get_object()
            data, first = stream.get_data(), int(stream["/First"])
            header = [int(value) for value in data[:first].split()]
            self._object_streams[number] = (
                data,
                dict(zip(header[::2], (first + at for at in header[1::2]), strict=True)),
            )
        data, offsets = self._object_streams[number]
        buffer = io.BytesIO(data)
        buffer.seek(offsets[indirect_reference.idnum])
        value = read_object(buffer, self)
        self.cache_indirect_object(0, indirect_reference.idnum, value)
        return value

    @cached_property
    def _object_streams(self) -> dict[int, tuple[bytes, dict[int, int]]]:
        return {}


class _Update:
    """An incremental update of a PDF: only the objects it changes or adds are read and written.

    pypdf's own incremental writer reads and copies every object of the file first, several times
    slower than rendering the stamp; the update needs a handful of them.
    """

    def __init__(self, pdf: bytes):
        self.pdf = pdf
        self.reader = _Reader(io.BytesIO(pdf))
        self.objects: dict[int, tuple[int, PdfObject]] = {}
        self.size = int(self.reader.trailer["/Size"])
        # Another subset of a font the PDF has needs another tag (WeasyPrint's tag names the font).
        digest = hashlib.sha256(pdf[-64:] + str(self.size).encode()).digest()
        self.subset_tag = "".join(chr(ord("A") + byte % 26) for byte in digest[:6])

    def change(self, reference: IndirectObject) -> PdfObject:
        """The object, to be changed in place and written again in the update."""
        self.objects[reference.idnum] = (reference.generation, reference.get_object())
        return reference.get_object()

    def add(self, value: PdfObject) -> IndirectObject:
        reference = IndirectObject(self.size, 0, self.reader)
        self.size += 1
        self.objects[reference.idnum] = (0, value)
        return reference

    def bring(self, value, numbers: dict[int, IndirectObject]):
        """A copy of ``value`` from another PDF, with the indirect objects it refers to added."""
        if isinstance(value, IndirectObject):
            if value.idnum not in numbers:
                numbers[value.idnum] = self.add(DictionaryObject())  # a place for it, in case of cycles
                self.objects[numbers[value.idnum].idnum] = (0, self.bring(value.get_object(), numbers))
            return numbers[value.idnum]
        if isinstance(value, StreamObject):
            copy = _content_stream(value.get_data())
            copy.update({key: self.bring(item, numbers) for key, item in value.items() if key not in _ENCODING})
            return copy.flate_encode()
        if isinstance(value, DictionaryObject):
            copy = DictionaryObject({key: self.bring(item, numbers) for key, item in value.items()})
            for key in ("/BaseFont", "/FontName"):
                if key in copy and re.match(r"/[A-Z]{6}\+", copy[key]):  # the tag of a font subset
                    copy[NameObject(key)] = NameObject("/" + self.subset_tag + copy[key][7:])
            return copy
        if isinstance(value, ArrayObject):
            return ArrayObject(self.bring(item, numbers) for item in value)
        return value

    def write(self, *, identifier: bytes) -> bytes:
        """The original bytes, the objects of the update and a cross-reference section of the original's kind."""
        output = io.BytesIO()
        output.write(self.pdf if self.pdf.endswith(b"\n") else self.pdf + b"\n")
        offsets = {}
        for number, (generation, value) in sorted(self.objects.items()):
            offsets[number] = (output.tell(), generation)
            output.write(b"%d %d obj\n" % (number, generation))
            value.write_to_stream(output)
            output.write(b"\nendobj\n")
        previous = int(re.search(rb"startxref\s+(\d+)\s+%%EOF\s*$", self.pdf[-1024:]).group(1))
        trailer = DictionaryObject(
            {NameObject(key): value for key, value in self.reader.trailer.items() if key in ("/Root", "/Info")}
        )
        trailer[NameObject("/Prev")] = NumberObject(previous)
        if "/ID" in self.reader.trailer:
            first = self.reader.trailer["/ID"][0]
            again = hashlib.md5(first.original_bytes + identifier, usedforsecurity=False).digest()
            trailer[NameObject("/ID")] = ArrayObject([ByteStringObject(first.original_bytes), ByteStringObject(again)])
        if self.pdf[previous : previous + 4] == b"xref":
            start = self._write_xref_table(output, offsets, trailer)
        else:
            start = self._write_xref_stream(output, offsets, trailer)
        output.write(b"startxref\n%d\n%%%%EOF\n" % start)
        return output.getvalue()

    def _write_xref_table(self, output, offsets, trailer) -> int:
        start = output.tell()
        output.write(b"xref\n0 1\n0000000000 65535 f \n")  # the head of the free list, as readers expect
        for number, (offset, generation) in sorted(offsets.items()):
            output.write(b"%d 1\n%010d %05d n \n" % (number, offset, generation))
        trailer[NameObject("/Size")] = NumberObject(self.size)
        output.write(b"trailer\n")
        trailer.write_to_stream(output)
        output.write(b"\n")
        return start

    def _write_xref_stream(self, output, offsets, trailer) -> int:
        number, start = self.size, output.tell()
        offsets[number] = (start, 0)
        rows = b"".join(
            struct.pack(">BIH", 1, offset, generation) for _, (offset, generation) in sorted(offsets.items())
        )
        stream = _content_stream(rows)
        stream.update(trailer)
        stream.update(
            {
                NameObject("/Type"): NameObject("/XRef"),
                NameObject("/Size"): NumberObject(number + 1),
                NameObject("/Index"): ArrayObject(NumberObject(n) for key in sorted(offsets) for n in (key, 1)),
                NameObject("/W"): ArrayObject([NumberObject(1), NumberObject(4), NumberObject(2)]),
            }
        )
        output.write(b"%d 0 obj\n" % number)
        stream.flate_encode().write_to_stream(output)
        output.write(b"\nendobj\n")
        return start


_ENCODING = ("/Filter", "/DecodeParms", "/Length")


def _size(page) -> tuple[float, ...]:
    box = page.mediabox
    return tuple(round(float(value), 3) for value in (box.width, box.height, box.left, box.bottom))


def _stamp_pdf(text: str, sizes: list[tuple[float, ...]], *, version: str) -> bytes:
    """One page for each size, the stamp alone; the fonts as the PDF's version wants them (PDF/A-1: CIDSet)."""
    context = {"text": text, "sizes": [(f"{size[0]}pt", f"{size[1]}pt") for size in sizes]}
    html = HTML(string=render_to_string("pdf/stamp.html", context), url_fetcher=_fetches_nothing())
    return html.write_pdf(pdf_version=version)


@cache
def _fetches_nothing() -> URLFetcher:
    """The stamp refers to nothing; WeasyPrint's default fetcher costs an SSL context for each render."""
    return URLFetcher(allowed_protocols=())


def _form_xobject(update: _Update, page, brought: dict[int, IndirectObject]) -> IndirectObject:
    """The stamp's page as a form XObject, with its resources (the embedded font) brought along."""
    form = _content_stream(page.get_contents().get_data())
    width, height, left, bottom = _size(page)
    form.update(
        {
            NameObject("/Type"): NameObject("/XObject"),
            NameObject("/Subtype"): NameObject("/Form"),
            NameObject("/BBox"): ArrayObject(FloatObject(value) for value in (0, 0, width, height)),
            NameObject("/Matrix"): ArrayObject(FloatObject(value) for value in (1, 0, 0, 1, left, bottom)),
            NameObject("/Resources"): update.bring(page.raw_get("/Resources"), brought),
        }
    )
    return update.add(form.flate_encode())


def _content_stream(data: bytes) -> DecodedStreamObject:
    stream = DecodedStreamObject()
    stream.set_data(data)
    return stream


def _draw(name: str, mark: bytes) -> bytes:
    """Close the page's own graphics state, then draw the stamp inside a marked-content sequence."""
    return b"Q\n%s\n%s Do\nEMC\n" % (mark, name.encode())


def _unresolved(dictionary: DictionaryObject, key: str):
    """The value as written: a reference stays a reference (pypdf's ``[]`` and ``get`` resolve it)."""
    return dict.get(dictionary, key)


def _draw_between(update: _Update, page: IndirectObject, before: IndirectObject, after: IndirectObject) -> None:
    """Put the page's own content streams between two more, without reading them."""
    dictionary = update.change(page)
    contents = _unresolved(dictionary, "/Contents")
    drawn = contents.get_object() if contents is not None else ArrayObject()
    drawn = list(drawn) if isinstance(drawn, ArrayObject) else [contents]
    dictionary[NameObject("/Contents")] = ArrayObject([before, *drawn, after])


def _opened(update: _Update, holder: IndirectObject, value) -> PdfObject:
    """``value`` (direct in ``holder``, or indirect) resolved, to be changed: its object is written again."""
    if isinstance(value, IndirectObject):
        return update.change(value)
    update.change(holder)
    return value


def _resource_name(update: _Update, page, form: IndirectObject) -> str:
    """The page's name for the stamp form (its resources may be shared with pages of other sizes)."""
    reference = page.indirect_reference
    dictionary = reference.get_object()
    if "/Resources" not in dictionary:  # inherited from the page tree: the page gets its own
        update.change(reference)[NameObject("/Resources")] = DictionaryObject(page["/Resources"])
    holder = dictionary.raw_get("/Resources")
    resources = _opened(update, reference, holder)
    if "/XObject" not in resources:
        resources[NameObject("/XObject")] = DictionaryObject()
    xobjects = _opened(
        update, holder if isinstance(holder, IndirectObject) else reference, resources.raw_get("/XObject")
    )
    number = 0
    while (name := f"/Stamp{number}") in xobjects and xobjects.raw_get(name) != form:
        number += 1
    xobjects[NameObject(name)] = form
    return name


def _tag_paragraph(update: _Update, page: IndirectObject) -> int | None:
    """Put a paragraph for the stamp on ``page`` first in the tagged structure: its marked-content id.

    None when the PDF is not tagged as WeasyPrint tags (one document element, a flat parent tree).
    """
    tree_reference = _unresolved(update.reader.trailer["/Root"], "/StructTreeRoot")
    if not isinstance(tree_reference, IndirectObject) or "/StructParents" not in page.get_object():
        return None
    tree = tree_reference.get_object()
    top = _unresolved(tree, "/K")
    tops = top.get_object() if top is not None else None
    document = tops[0] if isinstance(tops, ArrayObject) and tops else top
    parent_tree = _unresolved(tree, "/ParentTree")
    numbers = parent_tree.get_object().get("/Nums") if parent_tree is not None else None
    kids = document.get_object().get("/K") if isinstance(document, IndirectObject) else None
    if not isinstance(numbers, ArrayObject) or not isinstance(kids, ArrayObject):
        return None
    keys = list(numbers[::2])
    if page.get_object()["/StructParents"] not in keys:
        return None
    holder = parent_tree if isinstance(parent_tree, IndirectObject) else tree_reference
    marked = _opened(update, holder, numbers[2 * keys.index(page.get_object()["/StructParents"]) + 1])
    kids = _opened(update, document, document.get_object().raw_get("/K"))
    paragraph = update.add(
        DictionaryObject(
            {
                NameObject("/Type"): NameObject("/StructElem"),
                NameObject("/S"): NameObject("/P"),
                NameObject("/P"): document,
                NameObject("/Pg"): page,
                NameObject("/K"): NumberObject(len(marked)),
            }
        )
    )
    marked.append(paragraph)
    kids.insert(0, paragraph)
    return len(marked) - 1
