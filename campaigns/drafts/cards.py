"""Previews that look like the result: the web news item as the page shows it (an image
placeholder carrying the alternative text where the picture will go) and the Facebook post as a
post card — the page's name, the text with the "Visa mer" cut marked, an image placeholder and
the link preview box. Pure HTML strings, so the app shows them and tests read them.
"""

from __future__ import annotations

import html
import re

from .checks import FACEBOOK_PREVIEW
from .render import Draft

__all__ = ["facebook_card_html", "web_preview_html"]

_IMG_CSS = """.kp-img{background:#e8eef4;border:1px dashed #8aa4bd;color:#36506b;font:13px/1.4 system-ui,sans-serif;
padding:26px 14px;text-align:center;margin:12px 0;border-radius:4px}"""
_WEB_CSS = """
<style>
.kp-web{font-family:Georgia,'DejaVu Serif',serif;color:#1a1a1a;background:#fff;border:1px solid #d0d7de;
border-radius:6px;padding:18px 22px;max-width:720px;line-height:1.5}
.kp-web .kp-bar{font:600 12px/1.2 system-ui,sans-serif;color:#005a9c;border-bottom:3px solid #005a9c;
padding-bottom:6px;margin-bottom:12px}
.kp-web h1{font:700 26px/1.2 system-ui,sans-serif;color:#003b66;margin:6px 0 10px}
.kp-web h2{font:700 18px/1.3 system-ui,sans-serif;color:#003b66;margin:16px 0 6px}
.kp-web p,.kp-web li{font-size:16px}.kp-web a{color:#005a9c}
""" + _IMG_CSS + "</style>"

_FB_CSS = """
<style>
.kp-fb{font-family:system-ui,-apple-system,'Segoe UI',Helvetica,Arial,sans-serif;background:#fff;color:#050505;
border:1px solid #dddfe2;border-radius:8px;max-width:500px;box-shadow:0 1px 2px rgba(0,0,0,.1)}
.kp-fb .kp-head{display:flex;gap:8px;align-items:center;padding:12px 16px 4px}
.kp-fb .kp-avatar{width:40px;height:40px;border-radius:50%;background:#005a9c;color:#fff;display:flex;
align-items:center;justify-content:center;font-weight:700}
.kp-fb .kp-name{font-weight:600;font-size:15px}.kp-fb .kp-meta{color:#65676b;font-size:13px}
.kp-fb .kp-text{padding:4px 16px 12px;font-size:15px;line-height:1.35;white-space:pre-wrap}
.kp-fb .kp-more{color:#65676b;font-weight:600;border-left:3px solid #f0b400;padding-left:4px;margin-left:2px}
.kp-fb .kp-img{margin:0 !important;border-width:1px 0 0 0 !important;border-radius:0 !important;
padding:60px 20px !important}
.kp-fb .kp-link{background:#f0f2f5;padding:10px 16px;border-top:1px solid #dddfe2}
.kp-fb .kp-domain{color:#65676b;font-size:12px;text-transform:uppercase}
.kp-fb .kp-title{font-weight:600;font-size:16px;margin:2px 0}.kp-fb .kp-desc{color:#65676b;font-size:14px}
.kp-fb .kp-actions{display:flex;justify-content:space-around;color:#65676b;font-weight:600;font-size:14px;
padding:8px;border-top:1px solid #dddfe2}
""" + _IMG_CSS + "</style>"


def _image_placeholder(suggestion: str, alt: str) -> str:
    return (f'<div class="kp-img" role="img" aria-label="{html.escape(alt)}">Bildförslag: '
            f"{html.escape(suggestion)}<br><small>Alternativtext: {html.escape(alt)}</small></div>")


def web_preview_html(draft: Draft) -> str:
    """The published HTML inside a page frame; the image suggestion shown where the picture goes."""
    body = re.sub(r"(?is)<figure>.*?</figure>", "", draft.body)
    placeholder = _image_placeholder(draft.image, draft.image_alt) if draft.image_alt else ""
    body = re.sub(r"(?is)(</h1>\s*<p>.*?</p>)", lambda m: m.group(1) + placeholder, body, count=1)
    sender = draft.municipality_official or f"{draft.municipality} kommun"
    return f'{_WEB_CSS}<div class="kp-web"><div class="kp-bar">{html.escape(sender)} · Nyheter</div>{body}</div>'


def facebook_card_html(draft: Draft, page_name: str) -> str:
    """The post as Facebook shows it: where "Visa mer" cuts the text, the image, the link box."""
    text = draft.text
    cut = text.rfind(" ", 0, FACEBOOK_PREVIEW) if len(text) > FACEBOOK_PREVIEW else len(text)
    shown = html.escape(text[:cut]) + (f'<span class="kp-more" title="Här klipper Facebook: Visa mer">… Visa mer'
                                       f"</span>{html.escape(text[cut:])}" if cut < len(text) else "")
    domain = re.sub(r"^https?://(www\.)?", "", draft.link).split("/")[0]
    title = draft.headline or draft.e_service_name
    first = text.split("\n\n")[1] if "\n\n" in text else ""
    desc = first.split(". ")[0].rstrip(".") + "." if first else ""
    image = _image_placeholder(draft.image, draft.image_alt) if draft.image_alt else ""
    return (f'{_FB_CSS}<div class="kp-fb"><div class="kp-head"><div class="kp-avatar">'
            f'{html.escape(page_name[:1])}</div><div><div class="kp-name">{html.escape(page_name)}</div>'
            f'<div class="kp-meta">Just nu · Offentligt</div></div></div><div class="kp-text">{shown}</div>'
            f'{image}<div class="kp-link"><div class="kp-domain">{html.escape(domain)}</div>'
            f'<div class="kp-title">{html.escape(title)}</div><div class="kp-desc">{html.escape(desc)}</div></div>'
            '<div class="kp-actions"><span>Gilla</span><span>Kommentera</span><span>Dela</span></div></div>')
