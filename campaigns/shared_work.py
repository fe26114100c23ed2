"""Every write to the shared database the app makes, each checked with `access.require` first.

Pages never call the store to write: they call a `SharedWork` made for the person logged in, so the
role check cannot be skipped by a page that forgets it (a test holds every page to that). Who wrote
something is always the actor's own e-mail, never a value a page passes in; which municipality a
write concerns comes from the row itself (a draft key's kommunkod, a sign-off's draft checked
against the campaign's region), never from a separate argument.
"""

from __future__ import annotations

from typing import Literal

import yaml

from common.catalogue import ListOf, Raw
from common.errors import InputError, problem

from .access import Actor, require
from .campaign_docs import CAMPAIGN, checked_write
from .campaign_files import dump_yaml
from .costs import METHODS, method_name
from .definitions import Campaign, Region
from .drafts.edit_store import EditConflict, revert_edit, save_edit
from .drafts.edits import DraftEdit, DraftKey
from .drafts.render import Draft
from .feedback import FeedbackItem, FeedbackStore
from .kit import KitImport
from .sign_off import sign_off
from .store import ArchivedMessage, Document, Store

__all__ = ["COST_SETTINGS", "EDITS", "KIT_IMPORT", "SEGMENT_SET", "UNDO", "Resolution", "SharedWork", "undo_key"]

Resolution = Literal["keep", "take", "merge"]

EDITS = "edits"  # the regional plan's working state (campaigns.working_state), per campaign
SEGMENT_SET = "segment_set"  # segment profiles (no rows) a working state names by digest, per campaign
COST_SETTINGS = "cost_settings"  # the agreed way to share costs, per campaign
KIT_IMPORT = "kit_import"  # a kit applied to this region: the campaign it made and the region it extended
UNDO = "undo"  # one person's undo steps for one document (Store.put: no history), per kind, key and person


def undo_key(kind: str, key: str, who: str) -> str:
    return f"{kind}:{key}:{who}"[:200]


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

    def sign_off(self, campaign: Campaign, region: Region, draft: Draft, *, shown_sha256: str) -> ArchivedMessage:
        """Archive exactly the draft that was shown, signed by the actor: municipality and e-service
        come from the draft itself (its kommunkod must be a member of the campaign's region taking
        part in the e-service), the text's SHA-256 must be the one shown, and the stored edit it came
        from must not have changed since (Conflict-like refusal, nothing archived)."""
        return sign_off(self.store, self.actor, campaign, region, draft, shown_sha256=shown_sha256)

    def add_feedback(self, item: FeedbackItem) -> int:
        require(self.actor, "feedback", item.municipality)
        return FeedbackStore(self.store).add(item)

    def save_draft_edit(self, key: DraftKey, text: str, *, based_on: int) -> DraftEdit:
        """An officer's wording of one draft, checked against the key's own kommunkod; EditConflict
        (with both texts) when someone saved or reverted it since version `based_on`."""
        require(self.actor, "edit_draft", key.municipality)
        return save_edit(self.store, key, text, user=self.actor.email, based_on=based_on)

    def revert_draft_edit(self, key: DraftKey, *, based_on: int) -> bool:
        """Back to the template (or the region's text) from the edit of version `based_on`;
        EditConflict when someone saved a newer one."""
        require(self.actor, "edit_draft", key.municipality)
        return revert_edit(self.store, key, user=self.actor.email, based_on=based_on)

    def resolve_draft_conflict(self, key: DraftKey, conflict: EditConflict, choice: Resolution,
                               merged: str = "") -> DraftEdit | None:
        """After a conflict: "keep" yours on top of theirs, "take" theirs (nothing written), or
        "merge" (store `merged`, the officer's combined text). Another save in the meantime raises
        a new EditConflict: nothing is ever overwritten unseen."""
        require(self.actor, "edit_draft", key.municipality)
        if choice == "take":
            return conflict.theirs
        text = merged if choice == "merge" else conflict.yours
        if choice == "keep" and not text:  # you had gone back to the template
            revert_edit(self.store, key, user=self.actor.email, based_on=conflict.version)
            return None
        return save_edit(self.store, key, text, user=self.actor.email, based_on=conflict.version)

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
        """This person's own undo steps for one document (the engine keeps at most UNDO_STEPS), so that
        they survive a reload; keyed by the actor's own e-mail, never anyone else's."""
        content = yaml.safe_dump(steps, allow_unicode=True, width=100)
        self.store.put(UNDO, undo_key(kind, key, self.actor.email), content, user=self.actor.email)
