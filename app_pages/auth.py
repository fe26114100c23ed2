"""Who is working: Streamlit's built-in OIDC login (st.login) when configured, else local mode.

Configure login in `.streamlit/secrets.toml` (see README). Roles come from the same file:
`[roles."anna@karlstad.se"] role = "coordinator"` or `role = "officer", municipality = "Forshaga"`.
A regional coordinator edits the regional plan and shared material; a municipal officer edits and
signs off their own municipality's versions. Uploaded citizen data never leaves the session that
uploaded it, so nobody sees another municipality's data — only the shared segment profiles.
"""

from __future__ import annotations

from dataclasses import dataclass

import streamlit as st

from .i18n import t


@dataclass(frozen=True)
class User:
    name: str
    email: str
    role: str  # "coordinator" or "officer"
    municipality: str | None
    local: bool

    def may_sign_off(self, municipality: str) -> bool:
        return self.role == "coordinator" or self.municipality == municipality


def login_configured() -> bool:
    try:
        return "auth" in st.secrets
    except Exception:  # noqa: BLE001 - no secrets file at all means local mode
        return False


def current_user() -> User:
    if not login_configured():
        return User(t("local_user"), "lokal", "coordinator", None, True)
    if not st.user.is_logged_in:
        st.info(t("login_needed"))
        st.button(t("login"), on_click=st.login, type="primary")
        st.stop()
    email = str(st.user.get("email", ""))
    entry = st.secrets.get("roles", {}).get(email, {})
    return User(str(st.user.get("name", email)), email, entry.get("role", "officer"), entry.get("municipality"),
                False)
