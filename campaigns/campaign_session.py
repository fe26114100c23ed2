"""Campaign documents in the working-session engine: the `DocumentType` that reads, writes and
compares them, so that a campaign made on screen has the same autosave, undo, conflicts and merge as
the regional plan's working state (campaigns.working_session)."""

from __future__ import annotations

from common.errors import InputError

from .campaign_docs import CAMPAIGN, campaign_changes, merge_campaigns, read_campaign
from .campaign_files import dump_yaml
from .definitions import Campaign
from .working_session import DocumentType

__all__ = ["CAMPAIGN_DOC"]


def _keeps(base: Campaign, theirs: Campaign, yours: Campaign) -> bool:
    """Whether `yours` holds a change `theirs` lacks: the three-way merge differs from theirs."""
    try:
        merged, clashes = merge_campaigns(base, theirs, yours)
    except InputError:
        return True  # not mergeable as it stands: the officer decides
    return bool(clashes) or merged != theirs


CAMPAIGN_DOC: DocumentType[Campaign] = DocumentType(
    kind=CAMPAIGN, load=read_campaign, dump=dump_yaml, changes=campaign_changes, keeps=_keeps,
    unsaved=lambda state, saved, fresh: state != (saved if saved is not None else fresh))
