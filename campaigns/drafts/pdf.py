"""The flyer as print: an A5 PDF (WeasyPrint), and its page as an image for the preview, so
what an officer sees is exactly what prints — QR code and layout included."""

from __future__ import annotations

import io
from typing import TYPE_CHECKING

from .context import TEMPLATES
from .layout import qr_svg

if TYPE_CHECKING:
    from .render import Draft

__all__ = ["flyer_pdf", "pdf_page_png"]


def flyer_pdf(draft: Draft) -> bytes:
    """The A5 flyer as a printable PDF (fonts with å/ä/ö from the system); its QR code is drawn
    here, from the `qr:` address in the flyer's HTML."""
    from weasyprint import HTML  # imported here: it loads system libraries (Pango)
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class QRFetcher(URLFetcher):  # type: ignore[misc]
        def fetch(self, url: str, headers: object = None) -> URLFetcherResponse:
            return URLFetcherResponse(url, qr_svg(url), {"Content-Type": "image/svg+xml"})

    return bytes(HTML(string=draft.body, base_url=str(TEMPLATES), url_fetcher=QRFetcher()).write_pdf())


def pdf_page_png(pdf: bytes, page: int = 0, width_px: int = 700) -> bytes:
    """One page of a PDF rendered to PNG (PDFium), `width_px` wide."""
    import pypdfium2 as pdfium  # imported here: a native library

    doc = pdfium.PdfDocument(pdf)
    try:
        p = doc[page]
        scale = width_px / p.get_width()
        image = p.render(scale=scale).to_pil()
        buf = io.BytesIO()
        image.save(buf, format="PNG", optimize=True)
        return buf.getvalue()
    finally:
        doc.close()
