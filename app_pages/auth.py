"""Who is working: Streamlit's built-in OIDC login (st.login) when configured, else local mode.

Login fails closed. The secrets files Streamlit reads (`.streamlit/secrets.toml`, and the one in
the user's home folder) are read here first: if one cannot be read, or it configures login or roles
incompletely, the app stops every page with a message that says what is wrong and where — it never
falls back to local mode, where everyone is coordinator. Local mode (no secrets at all) is for one
person on this computer: it refuses to run when the server listens on anything but 127.0.0.1.

Roles come from the same file: `[roles."anna@karlstad.se"] role = "coordinator"`, or
`role = "officer"` with `municipality = "Forshaga"`. Anyone logged in whom the table does not
name may read but not write (role viewer). Which role may write what is `campaigns.access`;
every write goes through `shared_work()`, which checks it.
"""

from __future__ import annotations

import ipaddress
import re
import tomllib
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import streamlit as st

from campaigns.access import Action, Actor, allowed
from campaigns.shared_work import SharedWork
from common.errors import Problem, problem
from common.messages import ListOf, Raw

from . import _cached
from .i18n import lang, t

__all__ = ["LoginSetup", "User", "current_user", "local_name", "login_configured", "login_setup", "read_login_setup",
           "require_safe_setup", "shared_work"]

AUTH_KEYS = ("redirect_uri", "cookie_secret")
PROVIDER_KEYS = ("client_id", "client_secret", "server_metadata_url")
LOGIN_ROLES = ("coordinator", "officer")


@dataclass(frozen=True)
class LoginSetup:
    mode: Literal["local", "login", "broken"]
    roles: dict[str, Actor] = field(default_factory=dict)  # by e-mail, lower case
    problems: tuple[Problem, ...] = ()


@dataclass(frozen=True)
class User:
    name: str
    email: str
    role: str  # "coordinator", "officer" or "viewer"
    municipality: str | None
    local: bool

    @property
    def actor(self) -> Actor:
        return Actor(self.email, self.role, self.municipality)  # type: ignore[arg-type]

    def may(self, action: Action, municipality: str | None = None) -> bool:
        """For showing or hiding a control; the write itself is checked again in SharedWork."""
        return allowed(self.actor, action, municipality)


def _missing_auth_keys(auth: Any) -> list[str]:
    if not isinstance(auth, dict):
        return ["[auth]"]
    missing = [k for k in AUTH_KEYS if not auth.get(k)]
    providers = [auth] + [v for v in auth.values() if isinstance(v, dict)]
    if not any(all(p.get(k) for k in PROVIDER_KEYS) for p in providers):
        missing += [k for k in PROVIDER_KEYS if not auth.get(k)]
    return missing


def _roles(table: Any, where: str) -> tuple[dict[str, Actor], list[Problem]]:
    roles: dict[str, Actor] = {}
    problems: list[Problem] = []
    if not isinstance(table, dict) or not table:
        return roles, [problem("login.no_roles", where=where)]
    for email, entry in table.items():
        at = f'{where}, [roles."{email}"]'
        role = entry.get("role") if isinstance(entry, dict) else None
        municipality = entry.get("municipality") if isinstance(entry, dict) else None
        if "@" not in str(email):
            problems.append(problem("login.bad_email", where=at))
        elif role not in LOGIN_ROLES:
            problems.append(problem("login.bad_role", where=at, role=Raw(str(role)), known=ListOf(LOGIN_ROLES, "or")))
        elif role == "officer" and not (isinstance(municipality, str) and municipality.strip()):
            problems.append(problem("login.officer_without_municipality", where=at))
        else:
            roles[str(email).strip().lower()] = Actor(str(email), role, municipality if role == "officer" else None)
    return roles, problems


def read_login_setup(paths: Sequence[str | Path]) -> LoginSetup:
    """Local mode when no secrets file exists; login when they configure it completely; otherwise
    broken, with a located problem for each thing that is wrong (never the secret values)."""
    merged: dict[str, Any] = {}
    where = ""
    for path in (Path(p) for p in paths):
        if not path.exists():
            continue
        where = str(path)
        try:
            with path.open("rb") as fh:
                merged.update(tomllib.load(fh))
        except tomllib.TOMLDecodeError as exc:
            text = str(exc)
            line = re.search(r"\(at line (\d+)", text)
            return LoginSetup("broken", problems=(problem(
                "login.unreadable", where=f"{where}:{line.group(1)}" if line else where,
                detail=Raw(text.split(" (at ")[0])),))
        except (OSError, UnicodeDecodeError) as exc:
            return LoginSetup("broken", problems=(problem("login.unreadable", where=where,
                                                          detail=Raw(type(exc).__name__)),))
    if "auth" not in merged and "roles" not in merged:
        return LoginSetup("local")
    if "auth" not in merged:
        return LoginSetup("broken", problems=(problem("login.roles_without_auth", where=where),))
    problems = []
    missing = _missing_auth_keys(merged["auth"])
    if missing:
        problems.append(problem("login.missing_keys", where=f"{where}, [auth]", keys=ListOf(tuple(missing))))
    roles, role_problems = _roles(merged.get("roles"), where)
    problems += role_problems
    return LoginSetup("broken", problems=tuple(problems)) if problems else LoginSetup("login", roles)


def _secrets_files() -> list[str]:
    return list(st.get_option("secrets.files") or [])


def login_setup() -> LoginSetup:
    return read_login_setup(_secrets_files())


def login_configured() -> bool:
    return login_setup().mode == "login"


def _loopback(address: str | None) -> bool:
    if not address:
        return False  # Streamlit listens on every interface when no address is set
    if address == "localhost":
        return True
    try:
        return ipaddress.ip_address(address).is_loopback
    except ValueError:
        return False


def require_safe_setup() -> LoginSetup:
    """Stop every page, with what is wrong and where, unless login is usable or local mode is
    reachable from this computer only. Called by the router before any page runs."""
    setup = login_setup()
    if setup.mode == "broken":
        st.error(t("login_broken") + "\n\n" + "\n".join(f"- {p.text(lang())}" for p in setup.problems))
        st.stop()
    address = st.get_option("server.address")
    if setup.mode == "local" and not _loopback(address):
        st.error(t("local_exposed", address=address or "0.0.0.0"))
        st.stop()
    return setup


def local_name() -> str:
    """In local mode, the name the person gave (asked once, kept in the address as ?namn=)."""
    return str(st.session_state.get("display_name") or st.query_params.get("namn") or "").strip()[:60]


def current_user() -> User:
    setup = login_setup()
    if setup.mode == "local":  # what is saved is signed with the name given, else 'lokal'
        name = local_name()
        return User(name or t("local_user"), name or "lokal", "coordinator", None, True)
    if setup.mode != "login":  # never local mode on a broken configuration
        require_safe_setup()
    if not st.user.is_logged_in:
        st.info(t("login_needed"))
        st.button(t("login"), on_click=st.login, type="primary")
        st.stop()
    email = str(st.user.get("email", ""))
    actor = setup.roles.get(email.strip().lower())
    if actor is None:
        return User(str(st.user.get("name", email)), email, "viewer", None, False)
    return User(str(st.user.get("name", email)), email, actor.role, actor.municipality, False)


def shared_work() -> SharedWork:
    """The shared database as the person logged in may write to it (every write role-checked)."""
    return SharedWork(_cached.store(), current_user().actor)
