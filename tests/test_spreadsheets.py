"""Reading uploaded tables (ehalsa.spreadsheets): numbers as Swedes write them, delimiters, headers
below titles and merged group headings, and the files that are refused before anything is opened."""

import io
import zipfile
from decimal import Decimal

import pytest
from django.utils import translation

from ehalsa.spreadsheets import Refused, file_format, parse_number, read_table, sniff_delimiter, text_of
from tests.importing import xlsx


@pytest.fixture(autouse=True)
def swedish():
    with translation.override("sv"):
        yield


def score(cells):
    return sum(1 for cell in cells if isinstance(cell, str))


@pytest.mark.parametrize(
    "written, number",
    [
        ("1 200,5", Decimal("1200.5")),
        ("1\xa0018\xa0387 kr", Decimal("1018387")),
        ("−300 000", Decimal("-300000")),
        ("12,5 %", Decimal("12.5")),
        ("1.200,50", Decimal("1200.50")),
        ("1,200.50", Decimal("1200.50")),
        ("1200.5", Decimal("1200.5")),
        ("7a", None),
        ("", None),
    ],
)
def test_numbers_are_read_as_swedes_write_them(written, number):
    assert parse_number(written) == number


def test_a_decimal_comma_does_not_make_a_semicolon_file_comma_separated():
    text = "År;Belopp;Text\n2026;1 200,5;Konferens, Linköping\n2027;300,25;Larm\n"
    assert sniff_delimiter(text) == ";"
    assert sniff_delimiter("År,Belopp\n2026,1200\n") == ","
    assert sniff_delimiter("År\tBelopp\n2026\t1 200,5\n") == "\t"


def test_numbers_and_dates_from_excel_are_exact():
    table = read_table(xlsx([["Nr", "Belopp"], [7, 1200.5], [8, 0.1 + 0.2]]), score)
    rows = list(table)
    assert rows[0] == (2, [Decimal("7"), Decimal("1200.5")])
    assert text_of(rows[0][1][0]) == "7"
    assert rows[1][1][1] == Decimal("0.3")  # as saved, with Excel's 15 digits: never a binary fraction


def test_the_header_is_found_below_title_rows_and_notes():
    content = "Handlingsplan 2026;;\nUtkast, se nedan;;\n;;\nNr;Aktivitet;Ansvarig\n1;Målarkitektur;Eva\n".encode()
    table = read_table(content, score)
    assert table.headers == ["Nr", "Aktivitet", "Ansvarig"] and table.header_rows == (4,)
    assert list(table) == [(5, ["1", "Målarkitektur", "Eva"])]


def test_a_data_row_below_the_header_is_never_taken_for_a_sub_heading():
    content = xlsx([["Nr", "Aktivitet", "Referenser", None], [None, "Målarkitektur", "SKL", "Vision"]])
    table = read_table(content, score)
    assert table.header_rows == (1,) and table.headers == ["Nr", "Aktivitet", "Referenser", ""]


def archive(parts: dict[str, bytes]) -> bytes:
    """A zip archive of ``parts``, the same bytes whenever it is made (its entries carry a fixed date:
    the test processes collect the tests below at different seconds and must name them alike)."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for name, data in parts.items():
            target.writestr(zipfile.ZipInfo(name, date_time=(2026, 1, 1, 0, 0, 0)), data, zipfile.ZIP_DEFLATED)
    return out.getvalue()


@pytest.mark.parametrize(
    "content, message",
    [
        (archive({"mimetype": b"application/vnd.oasis.opendocument.spreadsheet"}), "OpenDocument-kalkylark (ODS)"),
        (archive({"word/document.xml": b"<w/>", "[Content_Types].xml": b"<T/>"}), "inte ett kalkylark"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + "EncryptedPackage".encode("utf-16-le"), "skyddad med lösenord"),
        (b"<!DOCTYPE html><html><body><table></table></body></html>", "inte ett kalkylark"),
        (b"Bara en mening utan kolumner.\n", "inte ett kalkylark"),
        (b"   \n", "Filen är tom."),
    ],
    ids=["ods", "docx", "encrypted", "html", "sentence", "empty"],
)
def test_what_is_not_a_readable_table_is_refused_with_a_reason(content, message):
    with pytest.raises(Refused) as refused:
        file_format(content)
    assert message in refused.value.message
