"""Why a day cannot hold an activity: a rule (stable code) and a message that explains it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from common.catalogue import ListOf, Msg

__all__ = ["Constraint", "Reason", "combine"]

Constraint = Literal["holiday", "weekend", "blackout", "distribution_day", "lead_time", "cap", "workload",
                     "coordination", "manual"]


@dataclass(frozen=True)
class Reason:
    constraint: Constraint
    msg: Msg


def combine(reasons: list[Reason]) -> Reason | None:
    """The distinct reasons met on the days that were skipped (at most three), the first one's rule leading."""
    if not reasons:
        return None
    seen: list[Msg] = []
    for r in reasons:
        if r.msg not in seen and len(seen) < 3:
            seen.append(r.msg)
    if len(seen) == 1:
        return Reason(reasons[0].constraint, seen[0])
    return Reason(reasons[0].constraint, Msg("reason.several", reasons=ListOf(tuple(seen), "semicolon")))
