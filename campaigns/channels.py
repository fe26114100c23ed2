"""Which channel reaches which segment, and why, from the segment's own habits.

Each channel names the habit that drives it (`affinity_habit` in the region file): Facebook
reaches those who use Facebook, a flyer those who prefer paper, a library drop-in those who are
offline or lack BankID. The score is that habit's share in the segment; the reason says so in
plain Swedish.
"""

from __future__ import annotations

from dataclasses import dataclass

from segments.profile import fmt_pct
from segments.segmentset import Segment

from .model import Channel

__all__ = ["Affinity", "affinity", "MIN_AFFINITY", "channels_for"]

MIN_AFFINITY = 0.3


@dataclass(frozen=True)
class Affinity:
    channel: str
    segment: int
    score: float  # 0–1: share of the segment the channel's habit applies to
    reason: str  # plain Swedish


def affinity(segment: Segment, channel: Channel) -> Affinity:
    h = segment.profile.habits
    habit = channel.affinity_habit

    def known(v: float | None, default: float = 0.5) -> float:
        return default if v is None else float(v)

    if habit == "daily_internet":
        score = known(h.daily_internet)
        reason = f"{fmt_pct(score)} i segmentet använder internet dagligen"
    elif habit == "facebook":
        score = known(h.facebook)
        reason = f"{fmt_pct(score)} i segmentet använder Facebook"
    elif habit == "bankid":
        score = known(h.bankid)
        reason = f"{fmt_pct(score)} i segmentet har BankID"
    elif habit == "paper":
        paper, offline = known(h.paper), 1 - known(h.daily_internet)
        score = max(paper, offline)
        reason = (f"{fmt_pct(paper)} i segmentet föredrar papper" if paper >= offline
                  else f"{fmt_pct(offline)} i segmentet använder inte internet dagligen")
    elif habit == "offline":
        no_bankid, offline = 1 - known(h.bankid), 1 - known(h.daily_internet)
        score = max(no_bankid, offline)
        reason = (f"{fmt_pct(no_bankid)} i segmentet saknar BankID och kan behöva hjälp att komma igång"
                  if no_bankid >= offline else
                  f"{fmt_pct(offline)} i segmentet använder inte internet dagligen och kan behöva hjälp")
    else:
        score = 1.0
        reason = "kanalen når alla invånare"
    return Affinity(channel.key, segment.id, round(score, 4), reason)


def channels_for(segment: Segment, channels: list[Channel], threshold: float = MIN_AFFINITY) -> list[Affinity]:
    """Citizen-facing channels that suit a segment, best first (ties in catalogue order)."""
    found = [affinity(segment, c) for c in channels if not c.internal]
    order = {c.key: i for i, c in enumerate(channels)}
    return sorted((a for a in found if a.score >= threshold), key=lambda a: (-a.score, order[a.channel]))
