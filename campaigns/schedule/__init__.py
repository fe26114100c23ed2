"""Scheduling a campaign: plan types, the constraint ledger, the planner and manual edits.

`plan` holds the records (activities, changes, the plan), `reasons` why a day is refused,
`workdays` holidays and blackouts, `ledger` what is booked and the rules a booking must keep,
`planner` the launch model, `edits` manual moves judged by the same ledger.
"""

from .edits import MoveRefused, apply_moves, move_activity
from .plan import (
    CATCH_UP_WAVE,
    PHASES,
    Activity,
    ActivityKind,
    CampaignPlan,
    Change,
    Coordination,
    Phase,
    WorkloadRow,
    activity_label,
)
from .planner import EVALUATION_HOURS, plan_campaign, sort_activities
from .reasons import Constraint, Reason
from .workdays import DayRules, add_working_days, monday_of

__all__ = [
    "CATCH_UP_WAVE", "EVALUATION_HOURS", "PHASES", "Activity", "ActivityKind", "CampaignPlan", "Change", "Constraint",
    "Coordination", "DayRules", "MoveRefused", "Phase", "Reason", "WorkloadRow", "activity_label", "add_working_days",
    "apply_moves", "monday_of", "move_activity", "plan_campaign", "sort_activities",
]
