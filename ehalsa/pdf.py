"""The one PDF renderer: WeasyPrint, archival (PDF/A, a setting) and tagged for accessibility."""

import hashlib

from django.conf import settings
from weasyprint import HTML


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
