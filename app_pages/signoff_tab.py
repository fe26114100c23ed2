"""Samarbete → Godkänn budskap: pick the exact draft, read exactly what will be archived, approve it.

Every part of the draft is picked on its own (municipality, e-service, segment, channel, variant),
so nothing hides in one box. The text shown is the text archived: the button carries the draft
and the SHA-256 shown beside it, and the core (`campaigns.sign_off`) refuses when the text or the
stored edit it came from changed since it was shown. Signed-off messages are public records.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from app_pages import data_names, state
from app_pages.auth import User, shared_work
from app_pages.i18n import lang, t, tr
from app_pages.place import keep, kept
from campaigns.definitions import Campaign, Region
from campaigns.drafts import Draft
from campaigns.sign_off import sha256
from campaigns.store import Store
from common.errors import InputError
from common.formatting import fmt_date

__all__ = ["signoff_tab"]


def _sign(campaign: Campaign, region: Region, draft: Draft, shown: str) -> None:
    """The button's callback: the draft and hash as they were on screen when it was clicked."""
    try:
        archived = shared_work().sign_off(campaign, region, draft, shown_sha256=shown)
        st.session_state["so_result"] = ("success", t("signed_off_hash"), archived.text_sha256)
    except InputError as err:  # Forbidden, a changed text, a draft outside the region
        st.session_state["so_result"] = ("error", err.text(lang()), "")


def _segment(d: Draft) -> str:
    """The draft's segment as the reader's language names it (a generated name has both forms)."""
    if d.segment is None:
        return t("staff")
    return next((tr(s.title) for s in state.segment_set().segments if s.id == d.segment), d.segment_name or "")


def _pick(drafts: list[Draft], cols: list) -> Draft:  # type: ignore[type-arg]
    segs = {str(d.segment): _segment(d) for d in drafts}  # "None": the staff briefing
    keep("so_segment", list(segs))  # the officer's place survives reruns, other pages and reloads
    seg = kept("so_segment", cols[0].selectbox(t("pick_segment"), list(segs), format_func=segs.get, key="so_segment"))
    drafts = [d for d in drafts if str(d.segment) == seg]
    chans = {d.channel: d.channel_name for d in drafts}
    keep("so_channel", list(chans))
    chan = kept("so_channel", cols[1].selectbox(t("pick_channel"), list(chans), format_func=chans.get,
                                                key="so_channel"))
    drafts = [d for d in drafts if d.channel == chan]
    variants = [d.variant for d in drafts]
    keep("so_variant", variants)
    variant = kept("so_variant", cols[2].selectbox(
        t("msg_variant"), variants, key="so_variant",
        format_func=lambda v: t("variant_label", v=v.upper()) if v else t("so_no_variant")))
    return next(d for d in drafts if d.variant == variant)


def signoff_tab(user: User, campaign: Campaign, region: Region, store: Store) -> None:
    st.write(t("signoff_intro"))
    allowed = [m.name for m in region.municipalities if user.may("sign_off", m.name)]
    if not allowed:
        st.info(t("signoff_not_allowed"))
    else:
        s = st.columns(2)
        keep("so_muni", allowed)
        muni = kept("so_muni", s[0].selectbox(t("pick_muni"), allowed, key="so_muni"))
        e_names = {e.key: e.name for e in campaign.e_services}
        keep("so_e", list(e_names))
        e_key = kept("so_e", s[1].selectbox(t("pick_eservice"), list(e_names), format_func=e_names.get, key="so_e"))
        e = campaign.e_service(e_key)
        drafts = state.drafts(muni, e_key) if muni in [m.name for m in region.participants(e)] else []
        if not drafts:
            st.info(t("not_taking_part", muni=muni, e=e.name))
        else:
            draft = _pick(drafts, list(st.columns(3)))
            digest = sha256(draft.text)
            st.caption(t("so_will_archive", muni=muni, e=e.name, segment=_segment(draft),
                         channel=draft.channel_name, variant=draft.variant.upper() or "–"))
            with st.container(border=True, key="so_text"):
                st.text(draft.text)
            st.caption(t("so_hash"))
            st.code(digest, language=None)
            st.button(t("sign_off"), type="primary", key="so_sign", on_click=_sign,
                      args=(campaign, region, draft, digest))
    result = st.session_state.pop("so_result", None)
    if result:
        (st.success if result[0] == "success" else st.error)(result[1])
        if result[2]:
            st.code(result[2], language=None)
    st.subheader(t("archive"))
    archived = store.archived(campaign.key)
    if archived:
        channels = data_names.channel_names(region, lang())  # the archive keeps the key; show its name
        st.dataframe(pd.DataFrame([{t("date"): f"{fmt_date(a.signed_off_at.date(), lang())} {a.signed_off_at:%H:%M}",
                                    t("municipality"): a.municipality, t("pick_eservice"): a.e_service,
                                    t("segment"): a.segment, t("channel"): channels.get(a.channel, a.channel),
                                    t("msg_variant"): a.variant.upper(), "SHA-256": a.text_sha256[:12],
                                    t("signed_off_by"): a.signed_off_by} for a in archived]), hide_index=True)
