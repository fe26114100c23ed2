"""Collaboration: save and merge edits, sign off messages, campaign kits, cost sharing."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import streamlit as st
import yaml

from app_pages import _cached, state
from app_pages.auth import current_user
from app_pages.i18n import lang, t
from campaigns.costs import METHODS, share_costs, shares_frame, shares_to_xlsx
from campaigns.definitions import dump_yaml
from campaigns.kit import export_kit, import_kit
from campaigns.store import ArchivedMessage, Conflict, merge_documents
from common.errors import InputError

st.title(t("collab_title"))

with state.guard():
    user = current_user()
    if user.local:
        st.info(t("local_mode"))
    else:
        role = t("role_coordinator") if user.role == "coordinator" else t("role_officer")
        st.caption(t("logged_in_as", name=user.name, role=role, muni=f", {user.municipality}" if user.municipality
                     else ""))
    campaign, region = state.campaign()
    store = _cached.store()
    doc_key = campaign.key

    def edits_document() -> str:
        """The session's edits as YAML: what is saved, merged and loaded."""
        return yaml.safe_dump({
            "campaign": campaign.key, "budget_sek": state.budget(),
            "segment_names": {int(k): v for k, v in sorted(state.renames().items())},
            "moves": [{"activity": a, "date": d.isoformat() if hasattr(d, "isoformat") else str(d)}
                      for a, d in state.moves()],
        }, allow_unicode=True, sort_keys=False)

    def apply(content: str) -> None:
        data = yaml.safe_load(content)
        state.set_budget(float(data.get("budget_sek", state.budget())))
        names = state.renames()
        names.clear()
        names.update({int(k): v for k, v in (data.get("segment_names") or {}).items()})
        moves = state.moves()
        moves.clear()
        moves.extend((m["activity"], dt.date.fromisoformat(m["date"])) for m in data.get("moves") or [])

    tabs = st.tabs([t("tab_save"), t("tab_signoff"), t("tab_kit"), t("tab_costs")])

    with tabs[0]:
        st.write(t("save_intro"))
        stored = store.load("edits", doc_key)
        loaded = st.session_state.setdefault("loaded_versions", {})
        if stored:
            st.caption(t("stored_version", v=stored.version, who=stored.updated_by,
                         when=stored.updated_at.strftime("%Y-%m-%d %H:%M")))
        else:
            st.caption(t("nothing_stored"))
        c = st.columns(2)
        if c[0].button(t("save_plan"), type="primary"):
            try:
                saved = store.save("edits", doc_key, edits_document(), based_on=loaded.get(doc_key, 0),
                                   user=user.email)
                loaded[doc_key] = saved.version
                st.session_state.pop("conflict", None)
                st.success(t("saved_version", v=saved.version))
            except Conflict as conflict:
                st.session_state["conflict"] = conflict
        if stored and c[1].button(t("load_plan")):
            apply(stored.content)
            loaded[doc_key] = stored.version
            st.session_state.pop("conflict", None)
            st.rerun()
        conflict = st.session_state.get("conflict")
        if conflict is not None and conflict.theirs.key == doc_key:
            st.warning(t("conflict", who=conflict.theirs.updated_by, v=conflict.theirs.version))
            st.caption(t("their_changes"))
            st.code("\n".join(conflict.their_changes()) or "–", language="diff")
            m = st.columns(2)
            if m[0].button(t("merge")):
                base = conflict.base.content if conflict.base else conflict.theirs.content
                merged, clashes = merge_documents(base, conflict.theirs.content, conflict.yours)
                saved = store.save("edits", doc_key, merged, based_on=conflict.theirs.version, user=user.email)
                apply(merged)
                loaded[doc_key] = saved.version
                st.session_state.pop("conflict", None)
                if clashes:
                    st.warning(t("merge_conflicts", fields=", ".join(clashes)))
                st.success(t("saved_version", v=saved.version))
            if m[1].button(t("take_theirs")):
                apply(conflict.theirs.content)
                loaded[doc_key] = conflict.theirs.version
                st.session_state.pop("conflict", None)
                st.rerun()

    with tabs[1]:
        st.write(t("signoff_intro"))
        ss = state.segment_set()
        s = st.columns(4)
        allowed = [m.name for m in region.municipalities if user.may_sign_off(m.name)]
        muni = s[0].selectbox(t("pick_muni"), allowed, key="so_muni")
        e_names = {e.key: e.name for e in campaign.e_services}
        e_key = s[1].selectbox(t("pick_eservice"), list(e_names), format_func=e_names.get, key="so_e")
        e = campaign.e_service(e_key)
        if muni not in [m.name for m in region.participants(e)]:
            st.info(t("not_taking_part", muni=muni, e=e.name))
        else:
            drafts = _cached.drafts(state.campaign_path(), ss, state.segments_key(), muni, e_key)
            labels = {i: f"{d.channel_name} · {d.segment_name or 'personal'}" for i, d in enumerate(drafts)}
            pick = s[2].selectbox(t("pick_channel"), list(labels), format_func=labels.get, key="so_draft")
            draft = drafts[pick]
            st.text(draft.text)
            if s[3].button(t("sign_off"), type="primary"):
                if not user.may_sign_off(muni):
                    st.error(t("not_yours", muni=user.municipality))
                else:
                    store.archive(ArchivedMessage(campaign.key, muni, e.name, draft.segment_name or "personal",
                                                  draft.channel, draft.text, draft.body, user.email,
                                                  dt.datetime.now(dt.UTC)))
                    st.success(t("signed_off"))
        st.subheader(t("archive"))
        archived = store.archived(campaign.key)
        if archived:
            st.dataframe(pd.DataFrame([{t("date"): a.signed_off_at.strftime("%Y-%m-%d %H:%M"),
                                        t("municipality"): a.municipality, t("pick_eservice"): a.e_service,
                                        t("segment"): a.segment, t("channel"): a.channel,
                                        t("signed_off_by"): a.signed_off_by} for a in archived]), hide_index=True)

    with tabs[2]:
        st.write(t("kit_intro"))
        st.download_button(t("dl_kit"), data=lambda: export_kit(campaign, region).encode("utf-8"),
                           file_name=f"kampanjkit-{campaign.key}.yaml", mime="application/x-yaml",
                           icon=":material/inventory_2:")
        upload = st.file_uploader(t("kit_upload"), type=["yaml", "yml"], key="kit_upload")
        if upload is not None:
            try:
                result = import_kit(upload.getvalue().decode("utf-8"), region, key=f"{region.key}_kit",
                                    planning_start=dt.date.today())
                st.subheader(t("kit_result"))
                text = dump_yaml(result.campaign)
                st.code(text, language="yaml")
                st.write(t("kit_decisions"))
                for d in result.decisions:
                    st.markdown(f"- {d}")
                st.download_button(t("dl_kit_campaign"), data=text.encode("utf-8"),
                                   file_name=f"{result.campaign.key}.yaml", mime="application/x-yaml")
            except (InputError, UnicodeDecodeError, KeyError, ValueError) as err:
                st.error(err.text(lang()) if isinstance(err, InputError) else f"{t('upload_refused')} ({err})")

    with tabs[3]:
        mix = state.channel_mix()
        if mix is None:
            st.info(t("no_mix_costs"))
        else:
            method = st.radio(t("cost_method"), list(METHODS), format_func=METHODS.get, horizontal=True,
                              key="cost_method")
            shares = share_costs(campaign, region, mix, state.segment_set(), method)
            st.dataframe(shares_frame(shares), hide_index=True)
            st.download_button(t("dl_costs"), data=lambda: shares_to_xlsx(shares, campaign, method),
                               file_name="kostnadsfordelning.xlsx",
                               mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                               icon=":material/table_view:")
