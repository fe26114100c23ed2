"""From a draft's text to what is published: HTML for the web and the A5 flyer, plain text for
reading and counting.

The editable text of every draft is Markdown (plain text for Facebook). Here it becomes the
channel's format: markdown-it with raw HTML switched off, so whatever an officer types is
escaped; the e-service's address, written as people write it, becomes the tracked link; the flyer
gets its sender line and a QR code with the same tracked link.
"""

from __future__ import annotations

import html
import re
from urllib.parse import quote, unquote

import segno
from markdown_it import MarkdownIt

from .context import environment

__all__ = ["QR_SCHEME", "flyer_html", "markdown_html", "plain_text", "qr_svg", "web_html"]

QR_SCHEME = "qr:"  # <img src="qr:<tracked link>">: the code is drawn when the flyer is printed

_MD = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})


def markdown_html(source: str, link: str = "", link_display: str = "") -> str:
    """Markdown as HTML; every mention of the address links to the tracked link."""
    out = _MD.render(source)
    if link and link_display:
        shown = html.escape(link_display, quote=False)
        anchor = f'<a href="{html.escape(link)}">{shown}</a>'
        out = re.sub(rf"(?<![\w./-]){re.escape(shown)}(?![\w/-])", anchor, out)
    return out


def qr_svg(url: str) -> bytes:
    """The QR code a `qr:` address stands for, as SVG; anything else is refused (a flyer never
    loads anything from the network)."""
    if not url.startswith(QR_SCHEME):
        raise ValueError(f"not fetched: {url[:60]}")
    return segno.make(unquote(url[len(QR_SCHEME):]), error="m").svg_inline(scale=4, border=2).encode("utf-8")


def web_html(source: str, link: str, link_display: str, key: str, image: str, image_alt: str) -> str:
    content = markdown_html(source, link, link_display)
    return environment().get_template("layout/web.html.j2").render(
        content=content, key=key, image=image, image_alt=image_alt).strip() + "\n"


def flyer_html(source: str, link: str, link_display: str, sender: str, title: str) -> str:
    content = markdown_html(source, link, link_display)
    return environment().get_template("layout/flyer.html.j2").render(
        content=content, link_display=link_display, sender=sender, title=title,
        qr_src=QR_SCHEME + quote(link, safe="")).strip() + "\n"


def plain_text(body: str, fmt: str) -> str:
    """What a reader reads: tags removed (blocks become lines), Markdown marks dropped."""
    if fmt == "html":
        body = re.sub(r"(?is)<(style|title|head|figcaption)[^>]*>.*?</\1>", " ", body)
        body = re.sub(r"(?i)<img[^>]*>", "", body)
        body = re.sub(r"(?i)<li[^>]*>", "\n- ", body)
        body = re.sub(r"(?i)</?(h\d|p|div|li|br|article|ul|ol|blockquote|figure)[^>]*>", "\n", body)
        body = html.unescape(re.sub(r"<[^>]+>", "", body))
    elif fmt == "md":
        body = re.sub(r"(?m)^#+\s*", "", body)
        body = re.sub(r"(?m)^>\s?", "", body)
        body = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", body)
        body = re.sub(r"\*\*|__", "", body)
    lines = [" ".join(line.split()) for line in body.splitlines()]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()
