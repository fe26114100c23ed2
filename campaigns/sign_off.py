"""Signing off a message: archive exactly the text that was shown, or nothing.

Signed-off messages are public records, so the archive must hold the text the officer read when
they approved it. The page passes the draft it displayed and the SHA-256 it displayed beside it;
here the municipality is taken from the draft's own kommunkod (a member of the campaign's region
taking part in the e-service), the role is checked for that municipality, the hash is checked
against the text, and the stored edit the text came from must still be the one shown (someone who
saved or reverted since makes it a different text: refused, nothing archived).
"""

from __future__ import annotations

import datetime as dt
import hashlib
from pathlib import Path

from common.catalogue import Raw
from common.errors import InputError, problem

from .access import Actor, require
from .definitions import Campaign, Region
from .drafts.edit_store import load_edits
from .drafts.render import Draft
from .store import ArchivedMessage, Store

__all__ = ["SignOffChanged", "sha256", "sign_off"]


class SignOffChanged(InputError):
    """The draft changed since it was shown (text or stored edit); nothing was archived."""


def sha256(text: str) -> str:
    """The hash a sign-off shows and archives with the text."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def sign_off(store: Store, actor: Actor, campaign: Campaign, region: Region, draft: Draft, *,
             shown_sha256: str) -> ArchivedMessage:
    """See the module docstring; role-checked (`SharedWork.sign_off` is how pages call it)."""
    if Path(campaign.region).stem != region.key or draft.campaign != campaign.key:
        raise InputError([problem("signoff.wrong_region", region=Raw(region.name))])
    muni = next((m for m in region.municipalities if m.code == draft.municipality_code), None)
    if muni is None:
        raise InputError([problem("signoff.outside_region", region=Raw(region.name))])
    e = campaign.e_service(draft.e_service)
    if muni.code not in {m.code for m in region.participants(e)}:
        raise InputError([problem("signoff.not_taking_part", muni=Raw(muni.name), e=Raw(e.name))])
    require(actor, "sign_off", muni.code)
    digest = sha256(draft.text)
    if digest != shown_sha256:
        raise SignOffChanged([problem("signoff.text_changed")])
    edit, origin = load_edits(store, campaign.key).find(draft.key, region.leader, draft.shared)
    if (origin, edit.version if edit else 0) != (draft.origin, draft.source_version):
        raise SignOffChanged([problem("signoff.edited_since", who=Raw(edit.updated_by if edit else "–"))])
    message = ArchivedMessage(campaign.key, muni.name, e.name, draft.segment_name or "personal", draft.channel,
                              draft.text, draft.body, actor.email, dt.datetime.now(dt.UTC), draft.variant, digest)
    store.archive(message)
    return message
