"""Which channel reaches which segment, and why, from the segment's own habits.

Each channel names the habit that drives it (`affinity_habit` in the region file): Facebook
reaches those who use Facebook, a flyer those who prefer paper, a library drop-in those who are
offline or lack BankID. The score is that habit's share in the segment; the reason says so in
plain Swedish.
"""

from __future__ import annotations

from dataclasses import dataclass

from common.catalogue import Msg, Pct
from segments.segmentset import Segment

from .definitions import Channel

__all__ = ["Affinity", "affinity", "MIN_AFFINITY", "channels_for"]

MIN_AFFINITY = 0.3


@dataclass(frozen=True)
class Affinity:
    channel: str
    segment: int
    score: float  # 0–1: share of the segment the channel's habit applies to
    reason: Msg  # e.g. "61 % i segmentet använder Facebook"


def affinity(segment: Segment, channel: Channel) -> Affinity:
    h = segment.profile.habits
    habit = channel.affinity_habit

    def known(v: float | None, default: float = 0.5) -> float:
        return default if v is None else float(v)

    if habit == "daily_internet":
        score = known(h.daily_internet)
        reason = Msg("affinity.daily_internet", share=Pct(score))
    elif habit == "facebook":
        score = known(h.facebook)
        reason = Msg("affinity.facebook", share=Pct(score))
    elif habit == "bankid":
        score = known(h.bankid)
        reason = Msg("affinity.bankid", share=Pct(score))
    elif habit == "paper":
        paper, offline = known(h.paper), 1 - known(h.daily_internet)
        score = max(paper, offline)
        reason = (Msg("affinity.paper", share=Pct(paper)) if paper >= offline
                  else Msg("affinity.not_daily", share=Pct(offline)))
    elif habit == "offline":
        no_bankid, offline = 1 - known(h.bankid), 1 - known(h.daily_internet)
        score = max(no_bankid, offline)
        reason = (Msg("affinity.no_bankid", share=Pct(no_bankid)) if no_bankid >= offline
                  else Msg("affinity.offline_help", share=Pct(offline)))
    else:
        score = 1.0
        reason = Msg("affinity.everyone")
    return Affinity(channel.key, segment.id, round(score, 4), reason)


def channels_for(segment: Segment, channels: list[Channel], threshold: float = MIN_AFFINITY) -> list[Affinity]:
    """Citizen-facing channels that suit a segment, best first (ties in catalogue order)."""
    found = [affinity(segment, c) for c in channels if not c.internal]
    order = {c.key: i for i, c in enumerate(channels)}
    return sorted((a for a in found if a.score >= threshold), key=lambda a: (-a.score, order[a.channel]))
