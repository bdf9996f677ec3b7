"""Plain text with paragraphs and bullet lists, the only structure users type into plans."""

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
