"""Message drafts an officer can publish: per municipality × e-service × segment × channel, with
two headline/opening variants, previews as they will look, checks, and edits that last.

- `wording`     how a draft is framed for a kind of segment (templates/wording.yaml)
- `context`     the e-service's content blocks framed for the segment; the ways to act and ask
- `render`      the Draft record; rendering one, a municipality's preview, all of a plan's
- `layout`      Markdown to what is published: web HTML, the A5 flyer page, plain text
- `checks`      klarspråk, LIX, channel rules, glossary, contact, grammar; masked likeness
- `edits`       officers' edits and how a regional edit reaches the members (pure)
- `edit_store`  the edits in the shared database, with versions and the role check
- `pdf`         the flyer as PDF, and its page as an image for the preview
- `cards`       previews as HTML: the web page, the Facebook post card
"""

from __future__ import annotations

from .cards import facebook_card_html, web_preview_html
from .checks import CHANNEL_LIMITS, FACEBOOK_IDEAL, FACEBOOK_PREVIEW, grammar_problems, likeness, masked
from .context import TEMPLATES, environment
from .edit_store import EditConflict, load_edits  # writes: campaigns.shared_work (roles checked)
from .edits import DraftEdit, DraftKey, EditSet, abstract, fill
from .pdf import flyer_pdf, pdf_page_png
from .render import Draft, check_text, drafts_for_plan, field_values, preview, render_draft, template_for
from .wording import Wording, load_wordings, wording_for

__all__ = [
    "CHANNEL_LIMITS", "FACEBOOK_IDEAL", "FACEBOOK_PREVIEW", "TEMPLATES", "Draft", "DraftEdit", "DraftKey",
    "EditConflict", "EditSet", "Wording", "abstract", "check_text", "drafts_for_plan", "environment",
    "facebook_card_html", "field_values", "fill", "flyer_pdf", "grammar_problems", "likeness", "load_edits",
    "load_wordings", "masked", "pdf_page_png", "preview", "render_draft", "template_for",
    "web_preview_html", "wording_for",
]
