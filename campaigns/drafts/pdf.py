"""The flyer as print: an A5 PDF (WeasyPrint), and its page as an image for the preview, so
what an officer sees is exactly what prints — QR code and layout included."""

from __future__ import annotations

import base64
import html
import io
import re
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from .context import TEMPLATES
from .layout import qr_svg

if TYPE_CHECKING:
    from .render import Draft

__all__ = ["flyer_pdf", "flyer_print_html", "pdf_page_png"]


@lru_cache(maxsize=4096)
def _qr(url: str) -> bytes:
    return qr_svg(url)  # a link's code is drawn once, however many times it is printed


@lru_cache(maxsize=1)
def _renderer() -> tuple[Any, Any]:
    """WeasyPrint's font configuration and the `qr:` fetcher, made once per process: a new
    FontConfiguration per flyer (fontconfig set up, fonts loaded and measured again) was a third
    of a flyer's time."""
    from weasyprint.text.fonts import FontConfiguration  # imported here: it loads Pango
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class QRFetcher(URLFetcher):  # type: ignore[misc]
        def fetch(self, url: str, headers: object = None) -> URLFetcherResponse:
            return URLFetcherResponse(url, _qr(url), {"Content-Type": "image/svg+xml"})

    return FontConfiguration(), QRFetcher()


def flyer_pdf(draft: Draft) -> bytes:
    """The A5 flyer as a printable PDF (fonts with å/ä/ö from the system); its QR code is drawn
    here, from the `qr:` address in the flyer's HTML."""
    from weasyprint import HTML  # imported here: it loads system libraries (Pango)

    fonts, fetcher = _renderer()
    return bytes(HTML(string=draft.body, base_url=str(TEMPLATES), url_fetcher=fetcher).write_pdf(font_config=fonts))


_QR_SRC = re.compile(r'src="(qr:[^"]+)"')


def flyer_print_html(draft: Draft) -> str:
    """The flyer as a page a browser prints on A5 (its @page rule), the QR code embedded as SVG:
    what `campaigns plan` writes when the PDFs are not asked for."""
    return _QR_SRC.sub(lambda m: 'src="data:image/svg+xml;base64,'
                       + base64.b64encode(_qr(html.unescape(m.group(1)))).decode("ascii") + '"', draft.body)


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
