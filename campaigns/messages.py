"""Message drafts: moved to the `campaigns.drafts` package; this module keeps the names other
modules import (`from campaigns.messages import Draft, preview …`)."""

from __future__ import annotations

from .drafts import (
    CHANNEL_LIMITS,
    TEMPLATES,
    Draft,
    Wording,
    drafts_for_plan,
    environment,
    flyer_pdf,
    load_wordings,
    preview,
    render_draft,
    template_for,
    wording_for,
)

__all__ = ["CHANNEL_LIMITS", "TEMPLATES", "Draft", "Wording", "drafts_for_plan", "environment", "flyer_pdf",
           "load_wordings", "preview", "render_draft", "template_for", "wording_for"]
