"""Everything `campaigns plan` writes, made per municipality on every core.

A municipality's drafts, its calendar and (in a large region) its own workbook depend on nothing
but the plan, so they are made in a pool of worker processes, one municipality per task; the
region's workbook and CSV files are tasks of their own. The parent then puts the region together
in the plan's order: the region calendar from the events the workers made (each VEVENT is made
once), drafts.csv and drafts.zip in the order drafts_for_plan gives. All of it goes into the
folder `common.outputs.output_folder` staged, so the run stays all-or-nothing. The workers are
forked (they inherit the plan; nothing large is sent to them); where fork is not available, or
with one worker, the same tasks run in this process.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import datetime as dt
import multiprocessing
import os
import signal
import time
from collections.abc import Callable
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from common.progress import Progress, ProgressFn
from segments.segmentset import SegmentSet

from .drafts.edits import EditSet
from .drafts.pdf import flyer_pdf
from .drafts.render import draft_groups, drafts_for_plan
from .export import (
    SHEETS_PER_MEMBER_UP_TO,
    calendar_file_name,
    draft_files,
    draft_index,
    ics_event,
    ics_frame,
    plan_to_csv,
    plan_to_xlsx,
)
from .schedule import CampaignPlan

__all__ = ["PlanOutput", "default_workers", "write_plan_output"]


@dataclass(frozen=True)
class _Job:
    plan: CampaignPlan
    segment_set: SegmentSet
    edits: EditSet | None
    out: Path
    lang: str
    pdf: bool
    stamp: dt.datetime
    groups: dict[tuple[str, str, int | None, str], int]  # draft group -> its place in the plan's order
    own: dict[str, list[int]]  # kommunkod -> indices of its activities


@dataclass
class _Member:
    """What one municipality's task hands back: small, the files themselves are on disk."""

    code: str
    rows: list[tuple[int, dict[str, object]]] = field(default_factory=list)  # (draft group, drafts.csv row)
    events: dict[int, bytes] = field(default_factory=dict)  # activity index -> VEVENT
    files: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class PlanOutput:
    written: list[Path]  # calendars and workbooks
    draft_rows: list[dict[str, object]]


_JOB: _Job | None = None  # set before the workers are forked; they read it, nothing is pickled


def default_workers() -> int:
    """One worker per core this process may use, at most 8 (memory grows with each)."""
    try:
        cores = len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        cores = os.cpu_count() or 1
    return max(1, min(8, cores))


def _member(code: str) -> _Member:
    """One municipality: its drafts as files, its events (with the drafts' first words) and
    calendar, and its own workbook when the region is too large for a sheet per member."""
    job = _JOB
    assert job is not None
    plan = job.plan
    own = [(i, plan.activities[i]) for i in job.own.get(code, [])]
    # the member's share of the plan: every look-up over activities in drafts, workload and
    # workbook is then over this member's (a pass over the whole plan per member was quadratic)
    part = replace(plan, activities=tuple(a for _, a in own),
                   changes=tuple(c for c in plan.changes if c.municipality in (None, code)))
    groups = job.groups
    result = _Member(code)
    drafts = list(drafts_for_plan(part, job.segment_set, job.edits))
    rows = draft_files(drafts, job.out, pdf=flyer_pdf if job.pdf else None, lang=job.lang)
    by_key: dict[tuple[str, str, int | None, str], str] = {}
    for d, row in zip(drafts, rows):
        key = (d.municipality_code, d.e_service, d.segment, d.channel)
        result.rows.append((groups[key], row))
        if d.variant != "b":
            by_key[key] = d.summary()
    for i, a in own:
        summary = by_key.get((a.municipality, a.e_service, a.segment, a.channel))  # type: ignore[arg-type]
        result.events[i] = ics_event(plan, a, job.stamp, summary, job.lang)
    if own:
        head, tail = ics_frame(plan, code)
        name = calendar_file_name(plan, code)
        (job.out / name).write_bytes(head + b"".join(result.events[i] for i, _ in own) + tail)
        result.files.append(name)
        if len(plan.region.municipalities) > SHEETS_PER_MEMBER_UP_TO:
            name = calendar_file_name(plan, code).removesuffix(".ics") + ".xlsx"
            (job.out / name).write_bytes(plan_to_xlsx(part, job.lang, municipality=code))
            result.files.append(name)
    return result


def _region_tables(kind: str) -> list[str]:
    """The region's workbook, or its two CSV files (they need no drafts)."""
    job = _JOB
    assert job is not None
    if kind == "xlsx":
        (job.out / "calendar.xlsx").write_bytes(plan_to_xlsx(job.plan, job.lang))
        return ["calendar.xlsx"]
    (job.out / "calendar.csv").write_bytes(plan_to_csv(job.plan, lang=job.lang).encode("utf-8"))
    (job.out / "calendar-excel.csv").write_bytes(
        plan_to_csv(job.plan, swedish_excel=True, lang=job.lang).encode("utf-8-sig"))
    return ["calendar.csv", "calendar-excel.csv"]


def _die_with_parent() -> None:
    """A worker ends when the run does, even one killed outright (Linux PR_SET_PDEATHSIG): none
    is left writing into a staging folder the next run has removed."""
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
        libc.prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):  # not Linux: the pool's own checks end it later
        pass
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle


def _run(tasks: list[tuple[Callable[[str], Any], str]], workers: int, on_done: Callable[[Any], None]) -> None:
    if workers <= 1 or "fork" not in multiprocessing.get_all_start_methods():
        for fn, arg in tasks:
            on_done(fn(arg))
        return
    pool = ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context("fork"),
                               initializer=_die_with_parent)
    pending: set[Future[Any]] = {pool.submit(fn, arg) for fn, arg in tasks}
    try:
        while pending:
            finished, pending = wait(pending, return_when=FIRST_COMPLETED)
            for f in finished:
                on_done(f.result())  # a worker's exception is raised here: nothing is swapped in
    except BaseException:  # a failed task, Ctrl-C or SIGTERM: stop the workers now, not after their queue
        for proc in list(getattr(pool, "_processes", {}).values()):
            proc.terminate()
        pool.shutdown(wait=False, cancel_futures=True)
        raise
    pool.shutdown()


def write_plan_output(plan: CampaignPlan, segment_set: SegmentSet, out: Path, *, edits: EditSet | None = None,
                      lang: str = "sv", pdf: bool = False, workers: int | None = None,
                      stamp: dt.datetime | None = None, progress: ProgressFn | None = None) -> PlanOutput:
    """Calendars (region and each member), workbook, CSV files and every draft (flyers as PDF when
    `pdf`, else as printable HTML) into `out`; `progress` hears after each municipality."""
    global _JOB
    stamp = stamp or dt.datetime.now(dt.UTC).replace(microsecond=0)
    out.mkdir(parents=True, exist_ok=True)
    own: dict[str, list[int]] = {}
    for i, a in enumerate(plan.activities):
        own.setdefault(a.municipality, []).append(i)
    _JOB = _Job(plan, segment_set, edits, out, lang, pdf, stamp, draft_groups(plan), own)
    members = [m.code for m in plan.region.municipalities]
    tasks: list[tuple[Callable[[str], Any], str]] = [(_region_tables, "xlsx"), (_region_tables, "csv")]
    tasks += [(_member, code) for code in members]
    started = time.perf_counter()
    results: dict[str, _Member] = {}
    files: list[str] = []

    def done(result: Any) -> None:
        if isinstance(result, _Member):
            results[result.code] = result
            files.extend(result.files)
        else:
            files.extend(result)
        if progress is not None:
            progress(Progress("drafts" if not pdf else "flyers", len(results), len(members),
                              time.perf_counter() - started))

    try:
        _run(tasks, workers or default_workers(), done)
        if progress is not None:
            progress(Progress("region", 0, 1, time.perf_counter() - started))
        events: dict[int, bytes] = {}
        rows: list[tuple[int, dict[str, object]]] = []
        for r in results.values():
            events.update(r.events)
            rows.extend(r.rows)
        head, tail = ics_frame(plan)
        (out / "calendar.ics").write_bytes(head + b"".join(events[i] for i in sorted(events)) + tail)
        rows.sort(key=lambda r: r[0])  # the plan's order; a group's variants stay in their order
        draft_rows = [row for _, row in rows]
        draft_index(draft_rows, out, lang)
    finally:
        _JOB = None
    if progress is not None:
        progress(Progress("region", 1, 1, time.perf_counter() - started))
    order = {"calendar.ics": 0, "calendar.xlsx": 1, "calendar.csv": 2, "calendar-excel.csv": 3}
    written = sorted(["calendar.ics", *files], key=lambda n: (order.get(n, 4), n))
    return PlanOutput([out / n for n in written], draft_rows)

