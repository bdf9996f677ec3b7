"""Plain text with paragraphs and bullet lists, the only structure users type into plans."""

import re
import unicodedata

BULLETS = ("- ", "* ", "• ", "· ")


def paragraphs(text: str) -> list[tuple[str, str | list[str]]]:
    """Split text into ("p", text) paragraphs and ("list", [items]) bullet lists."""
    blocks: list[tuple[str, str | list[str]]] = []
    lines: list[str] = []
    items: list[str] = []

    def flush_paragraph():
        if lines:
            blocks.append(("p", " ".join(lines)))
            lines.clear()

    def flush_list():
        if items:
            blocks.append(("list", list(items)))
            items.clear()

    for raw in text.replace("\r\n", "\n").split("\n"):
        line = raw.strip()
        if not line:
            flush_paragraph()
            flush_list()
        elif line.startswith(BULLETS):
            flush_paragraph()
            items.append(line[2:].strip())
        else:
            flush_list()
            lines.append(line)
    flush_paragraph()
    flush_list()
    return blocks


# C0 control characters but tab, line feed and carriage return, and DEL: invisible, and refused by
# spreadsheets (XLSX is XML). A vertical tab (Word's Shift+Enter) or a form feed (a page break)
# pasted from a document is a line break.
CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0e-\x1f\x7f]")
LINE_BREAKS = str.maketrans({"\x0b": "\n", "\x0c": "\n"})


def without_control_characters(text: str) -> str:
    """``text`` with vertical tabs and form feeds as line breaks and other control characters dropped."""
    return CONTROL_CHARACTERS.sub("", text.translate(LINE_BREAKS))


def normalised_label(text: str) -> str:
    """A short label such as an activity number as it is compared and stored: compatibility forms
    folded (NFKC: a full-width "７ａ" is "7a"), invisible format characters dropped (zero-width space
    and joiners, word joiner, byte order mark, soft hyphen, direction marks), whitespace collapsed."""
    text = unicodedata.normalize("NFKC", text)
    return " ".join("".join(char for char in text if unicodedata.category(char) != "Cf").split())
