"""Which campaign this session works on, and who is editing it (the first two jobs of app_pages.state)."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from pathlib import Path

import streamlit as st

from campaigns.definitions import Campaign, Region
from common.errors import InputError

from . import _cached
from .i18n import lang, t


@contextlib.contextmanager
def guard() -> Iterator[None]:
    """Show any failure as a clear message instead of a traceback; the session's work stays."""
    try:
        yield
    except InputError as err:
        st.error(err.text(lang()))
    except Exception as exc:  # noqa: BLE001 - the last line of defence for the user
        st.error(t("error_generic", what=f"{type(exc).__name__}: {exc}"))


# ---------------------------------------------------------------- the campaign


def campaign_files() -> tuple[str, ...]:
    return _cached.campaign_files()


def campaign_name(path: str) -> str:
    return _cached.campaign_and_region(path)[0].name


def campaign_path() -> str:
    """The chosen campaign file: the sidebar's choice, else the one in the address (?kampanj=)."""
    files = campaign_files()
    current = st.session_state.get("campaign_path")
    if current not in files:
        wanted = st.query_params.get("kampanj")
        current = next((f for f in files if Path(f).stem == wanted), files[0])
        st.session_state["campaign_path"] = current
    return current


def campaign() -> tuple[Campaign, Region]:
    return _cached.campaign_and_region(campaign_path())


def campaign_key() -> str:
    return campaign()[0].key


def other_regions() -> list[tuple[str, Region]]:
    """Every campaign's key and region (to suggest the campaign an upload fits)."""
    return [(c.key, r) for c, r in (_cached.campaign_and_region(f) for f in campaign_files())]


def campaign_name_of(key: str) -> str:
    return next(c.name for c, _ in (_cached.campaign_and_region(f) for f in campaign_files()) if c.key == key)


def switch_campaign(key: str) -> None:
    """Open another campaign (its own working state is restored as usual)."""
    st.session_state["campaign_path"] = next(f for f in campaign_files() if _cached.campaign_and_region(f)[0].key
                                             == key)


# ---------------------------------------------------------------- who is editing


def editor() -> str:
    """Who saves: the logged-in person's e-mail, or in local mode the name they gave (asked once)."""
    from .auth import current_user

    return current_user().email


def needs_display_name() -> bool:
    from .auth import current_user, local_name

    return current_user().local and not local_name()


def may_save() -> bool:
    """Whether this person's role may save the regional plan (the write is checked again in SharedWork)."""
    from .auth import current_user

    return current_user().may("save_plan")
