"""Names and moved activities follow the segments across a refit.

When the officer changes k, the minimum size, a rule or the data, the segments are fitted again
and their numbers may change. A name given to "2. Seniorer" should stay with the group of
seniors, wherever it now sits, and a name whose group is gone should be reported, not dropped
silently or pinned on a different group. The same holds for activities moved by hand, whose ids
carry the segment number. Which new segment carries on which old one is `segments.matching`'s
call (profile similarity, one-to-one).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from common.catalogue import ListOf, Msg, Raw
from segments.matching import match_segments
from segments.segmentset import SegmentSet

__all__ = ["Carried", "RefitPreview", "carry_over", "preview_refit"]


@dataclass(frozen=True)
class Carried:
    """Names and moves re-keyed to the new segments, and what could not follow."""

    names: dict[int, str]
    moves: dict[str, dt.date]
    lost_names: tuple[str, ...]  # names whose segment no longer exists
    lost_moves: int  # moved activities whose segment no longer exists


def _rekey_activity(activity: str, mapping: Mapping[int, int | None]) -> str | None:
    """An activity id with its segment number (the last part) mapped; None when the segment is gone."""
    head, _, seg = activity.rpartition(":")
    if not seg.isdigit():
        return activity
    new = mapping.get(int(seg))
    return None if new is None else f"{head}:{new}"


def carry_over(old: SegmentSet, new: SegmentSet, names: Mapping[int, str], moves: Mapping[str, dt.date]
               ) -> Carried:
    """The officer's names and moves, re-keyed from the old segments to the matching new ones."""
    mapping = match_segments(old, new)
    kept_names: dict[int, str] = {}
    lost: list[str] = []
    for sid, name in names.items():
        target = mapping.get(sid)
        if target is None:
            lost.append(name)
        else:
            kept_names[target] = name
    kept_moves: dict[str, dt.date] = {}
    lost_moves = 0
    for aid, day in moves.items():
        target_id = _rekey_activity(aid, mapping)
        if target_id is None:
            lost_moves += 1
        else:
            kept_moves[target_id] = day
    return Carried(kept_names, kept_moves, tuple(lost), lost_moves)


@dataclass(frozen=True)
class RefitPreview:
    """What a change of data, k or rules would do to the officer's work, before it is made: names and
    moved activities that follow their group (to the same or another number) or are lost, and draft
    edits, which are stored by segment number and so stay only where the number carries on itself."""

    names_kept: tuple[str, ...]
    names_moved: tuple[tuple[str, int, int], ...]  # (name, old number, new number)
    names_lost: tuple[str, ...]
    moves_kept: int
    moves_lost: int
    edits_kept: int
    edits_lost: int  # edits of a segment that is gone or now carried on under another number

    @property
    def anything(self) -> bool:
        """Whether there is any of the officer's work to tell about (otherwise no need to ask)."""
        return bool(self.names_kept or self.names_moved or self.names_lost or self.moves_kept or self.moves_lost
                    or self.edits_kept or self.edits_lost)

    @property
    def loses(self) -> bool:
        return bool(self.names_lost or self.moves_lost or self.edits_lost)

    def messages(self) -> list[Msg]:
        """One record per line of the confirm step: kept, moved, lost."""
        out: list[Msg] = []
        if self.names_kept:
            out.append(Msg("refit.names_kept", n=len(self.names_kept), names=ListOf(tuple(map(Raw, self.names_kept)))))
        out += [Msg("refit.name_moved", name=Raw(n), old=a, new=b) for n, a, b in self.names_moved]
        if self.names_lost:
            out.append(Msg("refit.names_lost", n=len(self.names_lost), names=ListOf(tuple(map(Raw, self.names_lost)))))
        if self.moves_kept:
            out.append(Msg("refit.moves_kept", n=self.moves_kept))
        if self.moves_lost:
            out.append(Msg("refit.moves_lost", n=self.moves_lost))
        if self.edits_kept:
            out.append(Msg("refit.edits_kept", n=self.edits_kept))
        if self.edits_lost:
            out.append(Msg("refit.edits_lost", n=self.edits_lost))
        return out


def preview_refit(old: SegmentSet, new: SegmentSet, names: Mapping[int, str], moves: Mapping[str, dt.date],
                  edit_segments: Sequence[int | None]) -> RefitPreview:
    """What `carry_over` would keep, move and lose, and which draft edits (by their segment number;
    None for staff material, which has no segment and always stays) would no longer fit their group."""
    mapping = match_segments(old, new)
    kept = tuple(n for sid, n in names.items() if mapping.get(sid) == sid)
    moved = tuple((n, sid, target) for sid, n in names.items()
                  if (target := mapping.get(sid)) is not None and target != sid)
    lost = tuple(n for sid, n in names.items() if mapping.get(sid) is None)
    moves_lost = sum(1 for aid in moves if _rekey_activity(aid, mapping) is None)
    edits_kept = sum(1 for s in edit_segments if s is None or mapping.get(s) == s)
    return RefitPreview(kept, moved, lost, len(moves) - moves_lost, moves_lost, edits_kept,
                        len(edit_segments) - edits_kept)
