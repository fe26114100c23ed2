"""Who may write what: the roles table, and `require`, the one check every write goes through.

| action         | coordinator       | officer                  | viewer |
|----------------|-------------------|--------------------------|--------|
| save_plan      | yes               | no (the plan is regional) | no    |
| merge_plan     | yes               | no                       | no     |
| sign_off       | every member      | own municipality         | no     |
| feedback       | every member      | own municipality         | no     |
| edit_draft     | every member      | own municipality         | no     |
| import_kit     | yes               | no                       | no     |
| cost_settings  | yes               | no                       | no     |
| edit_campaign  | yes               | no                       | no     |
| set_go_live    | every member      | own municipality         | no     |

Everyone may read. A viewer is someone logged in whom the roles table does not name. The check
runs on the server (in `campaigns.shared_work`, which every page calls to write): a page may also
hide a button, but never decides.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal, get_args

from common.catalogue import Msg, Raw
from common.errors import InputError, problem

__all__ = ["ACTIONS", "PERMISSIONS", "ROLES", "Action", "Actor", "Forbidden", "Role", "allowed", "require"]

Role = Literal["coordinator", "officer", "viewer"]
ROLES: tuple[Role, ...] = get_args(Role)
Action = Literal["save_plan", "merge_plan", "sign_off", "feedback", "edit_draft", "import_kit", "cost_settings",
                 "edit_campaign", "set_go_live"]
ACTIONS: tuple[Action, ...] = get_args(Action)  # every action, in the order above
Scope = Literal["any", "own"]

# action -> role -> where it may act ("any" municipality, or only its "own"); absent means never
PERMISSIONS: dict[Action, dict[Role, Scope]] = {
    "save_plan": {"coordinator": "any"},
    "merge_plan": {"coordinator": "any"},
    "sign_off": {"coordinator": "any", "officer": "own"},
    "feedback": {"coordinator": "any", "officer": "own"},
    "edit_draft": {"coordinator": "any", "officer": "own"},
    "import_kit": {"coordinator": "any"},
    "cost_settings": {"coordinator": "any"},
    "edit_campaign": {"coordinator": "any"},  # a campaign document (campaigns.campaign_docs)
    "set_go_live": {"coordinator": "any", "officer": "own"},  # a member's own go-live date in one
}


@dataclass(frozen=True)
class Actor:
    """The person writing: an e-mail (or 'lokal'), a role, and an officer's own municipality: its
    name and its kommunkod (resolved from the regions when the login configuration is read)."""

    email: str
    role: Role
    municipality: str | None = None
    code: str | None = None


class Forbidden(InputError):
    """The role does not allow this write; nothing was written."""


def _same(a: str | None, b: str | None) -> bool:
    return a is not None and b is not None and a.strip().casefold() == b.strip().casefold()


def allowed(actor: Actor, action: Action, municipality: str | None = None) -> bool:
    """Whether `actor` may do `action` (for `municipality`, a name or a kommunkod, where the action
    concerns one: writes pass what they derive from the row they write, never a page's value)."""
    scope = PERMISSIONS[action].get(actor.role)
    if scope == "any":
        return True
    return scope == "own" and (_same(actor.municipality, municipality) or _same(actor.code, municipality))


def require(actor: Actor, action: Action, municipality: str | None = None) -> None:
    """Raise Forbidden (with what, who and why) unless `actor` may do `action`."""
    if allowed(actor, action, municipality):
        return
    scope = PERMISSIONS[action].get(actor.role)
    code = "access.not_own" if scope == "own" else "access.forbidden"
    raise Forbidden([problem(code, action=Msg(f"access.action.{action}"), role=Msg(f"access.role.{actor.role}"),
                             own=Raw(actor.municipality or "–"), municipality=Raw(municipality or "–"),
                             hint="access.ask_coordinator")])
