"""Progress of a long run (a national plan writes for minutes on a small machine): the stage, how
far it is, and an estimate of the time left, as a record the CLI prints and the app shows."""

from __future__ import annotations

import math
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import TextIO

from .catalogue import Msg, Num, render

__all__ = ["Progress", "ProgressFn", "progress_message", "stderr_progress"]


@dataclass(frozen=True)
class Progress:
    stage: str  # catalogue id progress.stage.<stage>
    done: int
    total: int
    elapsed: float  # seconds since the stage began

    @property
    def share(self) -> float:
        return 1.0 if self.total <= 0 else min(1.0, self.done / self.total)

    @property
    def remaining(self) -> float | None:
        """Seconds left at the rate so far (None until there is a rate to go by)."""
        if self.done <= 0 or self.elapsed <= 0:
            return None
        return self.elapsed / self.done * max(0, self.total - self.done)


ProgressFn = Callable[[Progress], None]


def progress_message(p: Progress) -> Msg:
    left = p.remaining
    if left is None or p.done >= p.total:
        return Msg("progress.line", stage=Msg(f"progress.stage.{p.stage}"), done=Num(p.done), total=Num(p.total))
    return Msg("progress.line_left", stage=Msg(f"progress.stage.{p.stage}"), done=Num(p.done), total=Num(p.total),
               left=Num(max(1, round(left))))


def stderr_progress(lang: str, *, every: float = 1.0, stream: TextIO | None = None) -> ProgressFn:
    """A progress callback that writes a line to stderr at most every `every` seconds (and the
    last one of each stage)."""
    last = [-math.inf]

    def report(p: Progress) -> None:
        now = time.monotonic()
        if p.done < p.total and now - last[0] < every:
            return
        last[0] = now
        print(render(progress_message(p), lang), file=stream or sys.stderr, flush=True)

    return report
