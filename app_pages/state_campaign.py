"""Which campaign this session works on, and who is editing it (the first two jobs of app_pages.state)."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator

import streamlit as st
from streamlit.errors import StreamlitAPIException

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
#
# A campaign is chosen by its key. The bundled files seed the list; a campaign document in the shared
# database (made or changed on Start, campaigns.campaign_docs) replaces the file with its key. Cached
# functions receive a "path": the bundled file, or for a document `<file>#v<version>-<digest>`, a name
# that changes with every version, so a cache never serves an old one (_cached.campaign_and_region).


def _stored() -> dict[str, str]:
    """Every stored campaign document: key -> its reference (read once per run, see `refresh`)."""
    memo = st.session_state.get("_campaign_refs")
    if memo is None:
        memo = st.session_state["_campaign_refs"] = _cached.stored_campaign_refs()
    return memo


def refresh() -> None:
    """Read the list of stored campaigns again (each run starts with it; after a save)."""
    st.session_state.pop("_campaign_refs", None)


def campaign_keys() -> tuple[str, ...]:
    """The bundled campaigns (default first), then those made on screen, by key."""
    bundled = [_cached.campaign_and_region(f)[0].key for f in _cached.campaign_files()]
    return tuple(dict.fromkeys([*bundled, *sorted(_stored())]))


def ref_of(key: str) -> str:
    stored = _stored().get(key)
    if stored is not None:
        return stored
    return next(f for f in _cached.campaign_files() if _cached.campaign_and_region(f)[0].key == key)


def campaign_files() -> tuple[str, ...]:
    return tuple(ref_of(k) for k in campaign_keys())


def campaign_name(path: str) -> str:
    return _cached.campaign_and_region(path)[0].name


def campaign_title(key: str) -> str:
    return campaign_name(ref_of(key))


def chosen_key() -> str:
    """The chosen campaign: the sidebar's choice, else the one in the address (?kampanj=)."""
    keys = campaign_keys()
    if st.session_state.get("_switch_to") in keys:  # asked for after the sidebar's box was drawn
        with contextlib.suppress(StreamlitAPIException):  # (applied before the box is drawn again)
            st.session_state["campaign_pick"] = st.session_state["_switch_to"]
            del st.session_state["_switch_to"]
    current = st.session_state.get("campaign_pick")
    if current not in keys:
        wanted = st.query_params.get("kampanj")
        current = wanted if wanted in keys else keys[0]
        st.session_state["campaign_pick"] = current
    return str(current)


def campaign_path() -> str:
    """The chosen campaign's reference (a bundled file or a stored version) for cached functions."""
    return ref_of(chosen_key())


def campaign_file() -> str:
    """The file-like part of the reference (for files named after the campaign, e.g. usage samples)."""
    return campaign_path().split("#", 1)[0]


def campaign() -> tuple[Campaign, Region]:
    return _cached.campaign_and_region(campaign_path())


def campaign_key() -> str:
    return campaign()[0].key


def other_regions() -> list[tuple[str, Region]]:
    """Every campaign's key and region (to suggest the campaign an upload fits)."""
    return [(c.key, r) for c, r in (_cached.campaign_and_region(f) for f in campaign_files())]


def campaign_name_of(key: str) -> str:
    return campaign_title(key)


def switch_campaign(key: str) -> None:
    """Open another campaign (its own working state is restored as usual): at once from a callback,
    from the next run on once the sidebar's box is drawn."""
    try:
        st.session_state["campaign_pick"] = key
    except StreamlitAPIException:
        st.session_state["_switch_to"] = key


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
