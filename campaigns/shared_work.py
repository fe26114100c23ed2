"""Every write to the shared database the app makes, each checked with `access.require` first.

Pages never call the store to write: they call a `SharedWork` made for the person logged in, so the
role check cannot be skipped by a page that forgets it (a test holds every page to that). Who wrote
something is always the actor's own e-mail, never a value a page passes in.
"""

from __future__ import annotations

import dataclasses
import datetime as dt

import yaml

from common.errors import InputError, problem
from common.messages import ListOf, Raw

from .access import Actor, require
from .campaign_docs import CAMPAIGN, checked_write
from .costs import METHODS, method_name
from .definitions import dump_yaml
from .drafts.edit_store import revert_edit, save_edit
from .drafts.edits import DraftEdit, DraftKey
from .feedback import FeedbackItem, FeedbackStore
from .kit import KitImport
from .store import ArchivedMessage, Document, Store

__all__ = ["COST_SETTINGS", "EDITS", "KIT_IMPORT", "SEGMENT_SET", "SharedWork"]

EDITS = "edits"  # the regional plan's working state (campaigns.working_state), per campaign
SEGMENT_SET = "segment_set"  # segment profiles (no rows) a working state names by digest, per campaign
COST_SETTINGS = "cost_settings"  # the agreed way to share costs, per campaign
KIT_IMPORT = "kit_import"  # a kit applied to this region: the campaign it made and the region it extended


class SharedWork:
    """The store, as one person may write to it."""

    def __init__(self, store: Store, actor: Actor):
        self.store = store
        self.actor = actor

    # -------------------------------------------------- the regional plan

    def save_edits(self, campaign: str, content: str, *, based_on: int) -> Document:
        """A new version of the plan's edits; Conflict when someone saved since `based_on`."""
        require(self.actor, "save_plan")
        return self.store.save(EDITS, campaign, content, based_on=based_on, user=self.actor.email)

    def merge_edits(self, campaign: str, merged: str, *, based_on: int) -> Document:
        """Save the merge of two editors' work on top of the other editor's version."""
        require(self.actor, "merge_plan")
        return self.store.save(EDITS, campaign, merged, based_on=based_on, user=self.actor.email)

    def save_segment_set(self, campaign: str, digest: str, content: str) -> Document:
        """Segment profiles (never rows) a saved working state names by digest, so that its segment
        names survive a reload; stored once (Conflict when someone stored them a moment ago)."""
        require(self.actor, "save_plan")
        return self.store.save(SEGMENT_SET, f"{campaign}:{digest}", content, based_on=0, user=self.actor.email)

    # -------------------------------------------------- per municipality

    def sign_off(self, message: ArchivedMessage) -> int:
        """Archive a signed-off message for its municipality, signed by the actor."""
        require(self.actor, "sign_off", message.municipality)
        signed = dataclasses.replace(message, signed_off_by=self.actor.email, signed_off_at=dt.datetime.now(dt.UTC))
        return self.store.archive(signed)

    def add_feedback(self, item: FeedbackItem) -> int:
        require(self.actor, "feedback", item.municipality)
        return FeedbackStore(self.store).add(item)

    def save_draft_edit(self, key: DraftKey, text: str, *, municipality: str, based_on: int) -> DraftEdit:
        """An officer's wording of one draft (`municipality` is its name); EditConflict when someone
        saved it since version `based_on`."""
        require(self.actor, "edit_draft", municipality)
        return save_edit(self.store, key, text, user=self.actor.email, based_on=based_on)

    def revert_draft_edit(self, key: DraftKey, *, municipality: str) -> bool:
        """Back to the template (or the region's text) for this draft."""
        require(self.actor, "edit_draft", municipality)
        return revert_edit(self.store, key)

    # -------------------------------------------------- regional settings

    def cost_method(self, campaign: str) -> tuple[str, int]:
        """The agreed cost-sharing method and its version (per capita, version 0, until one is saved)."""
        doc = self.store.load(COST_SETTINGS, campaign)
        if doc is None:
            return "per_capita", 0
        method = (yaml.safe_load(doc.content) or {}).get("method")
        return (method if method in METHODS else "per_capita"), doc.version

    def set_cost_method(self, campaign: str, method: str, *, based_on: int) -> Document:
        require(self.actor, "cost_settings")
        if method not in METHODS:
            raise InputError([problem("costs.unknown_method", method=Raw(method),
                                      known=ListOf(tuple(method_name(m) for m in METHODS), "or"))])
        return self.store.save(COST_SETTINGS, campaign, yaml.safe_dump({"method": method}), based_on=based_on,
                               user=self.actor.email)

    def apply_kit(self, result: KitImport, *, based_on: int) -> Document:
        """Keep an imported kit's campaign and the region it extended (after the officer's preview)."""
        require(self.actor, "import_kit")
        content = yaml.safe_dump({"campaign": yaml.safe_load(dump_yaml(result.campaign)),
                                  "region": yaml.safe_load(dump_yaml(result.region))},
                                 allow_unicode=True, sort_keys=False, width=100)
        return self.store.save(KIT_IMPORT, result.campaign.key, content, based_on=based_on, user=self.actor.email)

    # -------------------------------------------------- campaign documents (campaigns.campaign_docs)

    def save_campaign(self, key: str, content: str, *, based_on: int) -> Document:
        """A new version of a campaign document, validated like a campaign file: a coordinator changes
        anything, an officer only their own municipality's go-live date; Conflict when someone saved since."""
        checked_write(self.store, self.actor, key, content, based_on)
        return self.store.save(CAMPAIGN, key, content, based_on=based_on, user=self.actor.email)

    def keep_undo(self, kind: str, key: str, steps: list[str]) -> None:
        """This person's own undo steps for one document, so that they survive a reload (never anyone else's)."""
        from .campaign_session import UNDO, undo_key
        from .working_session import UNDO_STEPS

        self.store.put(UNDO, undo_key(kind, key, self.actor.email),
                       yaml.safe_dump(steps[-UNDO_STEPS:], allow_unicode=True, width=100), user=self.actor.email)
