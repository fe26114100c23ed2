"""Who is working: Streamlit's built-in OIDC login (st.login) when configured, else local mode.

Login fails closed. The secrets files Streamlit reads (`.streamlit/secrets.toml`, and the one in
the user's home folder) are read here first, strictly (`campaigns.login_setup`): if one cannot be
read, names a section or key the app does not know, has a blank or guessable secret, or configures
login or roles incompletely, the app stops every page with a message that says what is wrong and
where — it never falls back to local mode, where everyone is coordinator. Local mode (no secrets at
all) is for one person on this computer: it refuses to run when the server or the proxy in front of
it listens on anything but loopback, or when the browser's address (X-Real-IP, set by our nginx)
is another computer's.

Roles come from the same file: `[roles."anna@karlstad.se"] role = "coordinator"`, or
`role = "officer"` with `municipality = "Forshaga"`. Anyone logged in whom the table does not
name may read but not write (role viewer). Which role may write what is `campaigns.access`;
every write goes through `shared_work()`, which checks it.
"""

from __future__ import annotations

import functools
import os
from dataclasses import dataclass
from pathlib import Path

import streamlit as st

from campaigns.access import Action, Actor, allowed
from campaigns.login_setup import LoginSetup, is_loopback, read_login_setup, region_municipalities
from campaigns.shared_work import SharedWork

from . import _cached
from .i18n import lang, t

__all__ = ["LoginSetup", "User", "client_address", "current_user", "local_name", "login_configured", "login_setup",
           "read_login_setup", "require_safe_setup", "shared_work"]

REGIONS = Path(__file__).resolve().parent.parent / "data" / "regions"
PUBLIC_ADDRESS = "KAMPANJ_PUBLIC_ADDRESS"  # where a proxy in front listens (deploy/serve.py sets it)


@dataclass(frozen=True)
class User:
    name: str
    email: str
    role: str  # "coordinator", "officer" or "viewer"
    municipality: str | None
    local: bool
    code: str | None = None  # an officer's kommunkod

    @property
    def actor(self) -> Actor:
        return Actor(self.email, self.role, self.municipality, self.code)  # type: ignore[arg-type]

    def may(self, action: Action, municipality: str | None = None) -> bool:
        """For showing or hiding a control; the write itself is checked again in SharedWork."""
        return allowed(self.actor, action, municipality)


@functools.cache
def _members() -> dict[str, tuple[str, str]]:
    return region_municipalities(REGIONS)


def _secrets_files() -> list[str]:
    return list(st.get_option("secrets.files") or [])


def login_setup() -> LoginSetup:
    return read_login_setup(_secrets_files(), _members())


def login_configured() -> bool:
    return login_setup().mode == "login"


def client_address() -> str | None:
    """The browser's address: the one our proxy (nginx) passes in X-Real-IP when it exists, else
    the connection's. A browser may send the header itself; that can only make it look less local."""
    try:
        headers = st.context.headers
        forwarded = headers.get("X-Real-IP") or (headers.get("X-Forwarded-For") or "").split(",")[0].strip()
        direct = st.context.ip_address
    except Exception:  # noqa: BLE001 - no request (AppTest, the warm-up client): nothing to check
        return None
    address = forwarded or direct
    return address if isinstance(address, str) and address else None  # AppTest has no real connection


def require_safe_setup() -> LoginSetup:
    """Stop every page, with what is wrong and where, unless login is usable or local mode is
    reachable from this computer only: the server, any proxy in front of it and the browser on
    this page must all be on loopback. Called by the router before any page runs."""
    setup = login_setup()
    if setup.mode == "broken":
        st.error(t("login_broken") + "\n\n" + "\n".join(f"- {p.text(lang())}" for p in setup.problems))
        st.stop()
    if setup.mode == "local":
        for address in (st.get_option("server.address"), os.environ.get(PUBLIC_ADDRESS, "127.0.0.1")):
            if not is_loopback(address):
                st.error(t("local_exposed", address=address or "0.0.0.0"))
                st.stop()
        client = client_address()
        if client is not None and not is_loopback(client):
            st.error(t("local_remote_client"))
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
    return User(str(st.user.get("name", email)), email, actor.role, actor.municipality, False, actor.code)


def shared_work() -> SharedWork:
    """The shared database as the person logged in may write to it (every write role-checked)."""
    return SharedWork(_cached.store(), current_user().actor)
