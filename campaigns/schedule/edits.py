"""Manual changes to a finished plan, judged by the same ledger the planner uses."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Iterable
from typing import Any

from common.catalogue import Day, Msg
from common.errors import InputError, problem

from .ledger import Ledger, Task
from .plan import Activity, CampaignPlan, Change
from .planner import sort_activities
from .reasons import Reason
from .workdays import DayRules, add_working_days

__all__ = ["MoveRefused", "apply_moves", "move_activity"]


class MoveRefused(InputError):
    """A manual date change that would break a rule; its problem says which."""

    @classmethod
    def because(cls, code: str, **values: Any) -> MoveRefused:
        return cls([problem(code, **values)])


def _check_order(plan: CampaignPlan, a: Activity, others: list[Activity], day: dt.date) -> None:
    """Internal marketing before go-live, external marketing and evaluation after it."""
    same = [x for x in others if x.municipality == a.municipality and x.e_service == a.e_service]
    go_live = next((x.start for x in same if x.kind == "go_live"), None)
    if a.kind == "go_live":
        firsts = [x.start for x in same if x.phase != "internal_marketing" and x.kind != "flyer_order"]
        lasts = [x.start for x in same if x.phase == "internal_marketing"]
        if (firsts and day > min(firsts)) or (lasts and day <= max(lasts)):
            raise MoveRefused.because("move.go_live_order")
        return
    if go_live is not None and a.phase == "internal_marketing" and day >= go_live:
        raise MoveRefused.because("move.internal_before", go_live=Day(go_live))
    if go_live is not None and a.phase in ("external_marketing", "evaluation") and day < go_live:
        raise MoveRefused.because("move.after_go_live", phase=Msg(f"phase.{a.phase}"), go_live=Day(go_live))


def move_activity(plan: CampaignPlan, activity_id: str, day: dt.date) -> CampaignPlan:
    """The plan with one activity moved by hand, checked against the same rules the scheduler uses.

    Raises MoveRefused with the rule when the day is not allowed. A flyer's print order moves
    with its distribution; an activity taken out of a regional wave becomes local, and the plan's
    list of changes records the manual move.
    """
    a = next((x for x in plan.activities if x.id == activity_id), None)
    if a is None:
        raise MoveRefused.because("move.no_such_activity")
    if a.kind == "flyer_order":
        raise MoveRefused.because("move.order_follows")
    region, campaign = plan.region, plan.campaign
    muni = region.municipality(a.municipality)
    channel = region.channel(a.channel) if a.channel else None
    order_id = a.id.replace(":flyer_distribution:", ":flyer_order:") if a.kind == "flyer_distribution" else None
    others = [x for x in plan.activities if x.id not in (a.id, order_id)]
    _check_order(plan, a, others, day)
    years = [x.start.year for x in plan.activities] + [day.year]
    rules = DayRules(tuple(region.blackouts) + tuple(campaign.blackouts), min(years), max(years) + 1)
    ledger = Ledger.of_activities(region, rules, campaign.planning_start, others)
    task = Task(muni, campaign.e_service(a.e_service), a.phase, a.kind, channel, None, a.hours, a.coordination,
                a.wave)
    why = ledger.problem(muni, [task], day)
    if why is not None:
        raise MoveRefused.because("move.not_possible", day=Day(day), why=why.msg)
    moved = dataclasses.replace(a, start=day, end=day, coordination="local")
    activities = [moved if x.id == a.id else x for x in plan.activities]
    if order_id is not None and channel is not None:
        order_day = add_working_days(rules, day, -channel.lead_working_days)
        activities = [dataclasses.replace(x, start=order_day, end=order_day, title=_order_title(x, day))
                      if x.id == order_id else x for x in activities]
    note = Change(a.e_service, a.municipality, muni.name, a.title, Reason("manual", Msg(
        "change.manual", what=a.title, municipality=muni.name, requested=Day(a.start, "short"),
        placed=Day(day, "short"),
        regional=Msg("change.left_wave") if a.coordination == "regional" else "")), a.start, day)
    return dataclasses.replace(plan, activities=tuple(sort_activities(activities)), changes=(*plan.changes, note))


def apply_moves(plan: CampaignPlan, moves: Iterable[tuple[str, dt.date]]) -> tuple[CampaignPlan, tuple[str, ...]]:
    """The plan with the officer's saved moves applied in order, and the ids of those that no longer
    apply (the activity is gone after a change of segments or budget, or a rule now forbids the day)."""
    skipped = []
    for activity_id, day in moves:
        try:
            plan = move_activity(plan, activity_id, day)
        except MoveRefused:
            skipped.append(activity_id)
    return plan, tuple(skipped)


def _order_title(order: Activity, distribution_day: dt.date) -> Msg:
    """The print order's title with its new distribution date."""
    values = order.title.values
    return Msg(order.title.code, **{**values, "order": Msg("activity.for_distribution",
                                                            day=Day(distribution_day, "short"))})
