"""Collaboration: save and merge edits, sign off messages, campaign kits, cost sharing.

Every write goes through `auth.shared_work()` (campaigns.shared_work), which checks the role on the
server; controls a role may not use are disabled with a reason, but that is only a courtesy.
Imported kit text is shown as plain text (st.text / st.code), never as Markdown or HTML.
"""

from __future__ import annotations

import datetime as dt

import streamlit as st

from app_pages import _cached, state, tables
from app_pages import state_campaign_doc as campaign_doc
from app_pages.auth import current_user, shared_work
from app_pages.i18n import labels, lang, relabel, t, tr
from app_pages.merge_tab import save_tab
from app_pages.signoff_tab import signoff_tab
from campaigns.access import Forbidden
from campaigns.campaign_files import dump_yaml
from campaigns.costs import METHODS, method_name, share_costs, shares_frame, shares_to_xlsx
from campaigns.kit import export_kit, import_kit
from campaigns.shared_work import KIT_IMPORT
from campaigns.store import Conflict
from common.errors import InputError

st.title(t("collab_title"))

with state.guard():
    user = current_user()
    work = shared_work()
    if user.local:
        st.info(t("local_mode"))
    else:
        role = t(f"role_{user.role}")
        st.caption(t("logged_in_as", name=user.name, role=role, muni=f", {user.municipality}" if user.municipality
                     else ""))
        if user.role == "viewer":
            st.info(t("viewer_note"))
    campaign, region = state.campaign()
    store = _cached.store()

    tabs = st.tabs([t("tab_save"), t("tab_signoff"), t("tab_kit"), t("tab_costs")])

    with tabs[0]:
        save_tab()

    with tabs[1]:
        signoff_tab(user, campaign, region, store)

    with tabs[2]:
        if "kit_flash" in st.session_state:
            st.success(st.session_state.pop("kit_flash"), icon=":material/check_circle:")
        st.write(t("kit_intro"))
        st.download_button(t("dl_kit"), data=lambda: export_kit(campaign, region).encode("utf-8"),
                           file_name=f"kampanjkit-{campaign.key}.yaml", mime="application/x-yaml",
                           icon=":material/inventory_2:", on_click="ignore")
        upload = st.file_uploader(t("kit_upload"), type=["yaml", "yml"], key="kit_upload")
        if upload is not None:
            try:
                result = import_kit(upload.getvalue().decode("utf-8"), region, key=f"{region.key}_kit",
                                    planning_start=dt.date.today())
            except InputError as err:
                st.error(err.text(lang()))
            except UnicodeDecodeError:
                st.error(t("upload_refused"))
            else:
                # Everything from the kit is shown as plain text: no Markdown links, images or HTML.
                st.subheader(t("kit_preview"))
                st.text("\n".join(f"• {tr(c)}" for c in result.changes))
                st.write(t("kit_decisions"))
                st.text("\n".join(f"• {tr(d)}" for d in result.decisions))
                st.subheader(t("kit_result"))
                text = dump_yaml(result.campaign)
                st.code(text, language="yaml")
                stored = store.load(KIT_IMPORT, result.campaign.key)
                if stored:
                    st.caption(t("kit_stored", key=result.campaign.key, v=stored.version))
                if not user.may("import_kit"):
                    st.caption(t("kit_not_allowed"))
                into = st.radio(t("ed.kit_into"), ["new", "current"], key="kit_into", horizontal=True,
                                format_func=labels(["new", "current"],
                                                   lambda x: t(f"ed.kit_into.{x}", campaign=campaign.name)))
                k = st.columns(2)
                if k[0].button(t("kit_apply"), type="primary", disabled=not user.may("import_kit")):
                    try:
                        saved = work.apply_kit(result, based_on=stored.version if stored else 0)
                        made = campaign_doc.from_kit(result.campaign, into == "current")  # a campaign in the list
                        st.session_state["kit_flash"] = t("kit_applied", v=saved.version) + " " + t(
                            "ed.kit_campaign", campaign=made.name, n=len(made.e_services))
                        st.rerun()
                    except Conflict as conflict:
                        st.warning(t("kit_conflict", key=result.campaign.key, v=conflict.theirs.version))
                    except Forbidden as err:
                        st.error(err.text(lang()))
                k[1].download_button(t("dl_kit_campaign"), data=text.encode("utf-8"),
                                     file_name=f"{result.campaign.key}.yaml", mime="application/x-yaml",
                                     on_click="ignore")

    with tabs[3]:
        mix = state.channel_mix()
        agreed, version = work.cost_method(campaign.key)
        st.caption(t("cost_agreed", method=tr(method_name(agreed)), v=version) if version else t("cost_default"))
        if st.session_state.get("cost_method_for") != (campaign.key, version):
            st.session_state["cost_method"] = agreed  # show the agreed method until someone compares
            st.session_state["cost_method_for"] = (campaign.key, version)
        relabel("cost_method")
        method = st.radio(t("cost_method"), list(METHODS), format_func=labels(METHODS, lambda m: tr(method_name(m))),
                          horizontal=True, key="cost_method")
        shares = share_costs(campaign, region, mix, state.segment_set(), method)
        st.dataframe(tables.localised(shares_frame(shares, lang()), lang()), hide_index=True)
        c = st.columns(2)
        if not user.may("cost_settings"):
            st.caption(t("cost_not_allowed"))
        if c[0].button(t("cost_save"), disabled=not user.may("cost_settings") or (version > 0 and method == agreed)):
            try:
                saved = work.set_cost_method(campaign.key, method, based_on=version)
                st.session_state["cost_method_for"] = (campaign.key, saved.version)
                st.success(t("cost_saved", v=saved.version))
            except (Conflict, Forbidden) as err:
                st.error(err.text(lang()) if isinstance(err, Forbidden) else
                         t("conflict", who=err.theirs.updated_by, v=err.theirs.version))
        c[1].download_button(t("dl_costs"), data=lambda: shares_to_xlsx(shares, campaign, method, lang()),
                             file_name="kostnadsfordelning.xlsx",
                             mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                             icon=":material/table_view:", on_click="ignore")
