"""Start: campaigns officers make on screen — "Ny kampanj", the campaign's e-services (from the
catalogue or new), each member's own go-live date, undo, and the campaign as YAML out and in.

Collect → call → render: the widgets gather values, `campaigns.campaign_docs` makes the new campaign
(validated like a campaign file), and `state_campaign_doc` saves it through the role-checked writes.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import streamlit as st

from campaigns.campaign_docs import (
    REGIONS,
    add_service,
    catalogue,
    catalogue_service,
    make_service,
    new_campaign,
    new_key,
    proposed_day,
    remove_service,
    set_local_go_live,
)
from campaigns.campaign_files import dump_yaml, load_region
from campaigns.definitions import Campaign, EService, Region
from common.errors import InputError
from common.filenames import file_stem
from common.formatting import fmt_date

from . import state_campaign_doc as doc
from .i18n import labels, lang, t, tr
from .state_campaign import campaign_keys

OCCUPATIONS = ("working", "student", "retired", "unemployed", "other")


def _regions() -> dict[str, Region]:
    return {p.stem: load_region(p) for p in sorted(REGIONS.glob("*.yaml"))}


def _refused(err: InputError) -> None:
    st.error(err.text(lang()))


def new_campaign_form(default_region: str) -> None:
    """"Ny kampanj": name, region, budget, planning start and the first e-service from the catalogue."""
    regions = _regions()
    with st.expander(t("ed.new_title"), icon=":material/add_circle:", key="ed_new_box"):
        if not doc.may_edit():
            st.caption(t("ed.not_allowed"))
            return
        c = st.columns(2)
        name = c[0].text_input(t("ed.name"), key="new_name", max_chars=120)
        region_key = c[1].selectbox(t("ed.region"), list(regions), key="new_region",
                                    index=list(regions).index(default_region) if default_region in regions else 0,
                                    format_func=lambda k: regions[k].name)
        c = st.columns(2)
        budget = c[0].number_input(t("ed.budget"), min_value=0, max_value=10_000_000, step=10_000, value=100_000,
                                   key="new_budget")
        region = regions[region_key]
        start = c[1].date_input(t("ed.start"), value=proposed_day(region, dt.date.today() + dt.timedelta(weeks=4)),
                                key="new_start", format="YYYY-MM-DD")
        cat = catalogue()
        c = st.columns(2)
        first = c[0].selectbox(t("ed.first_service"), list(cat), key="new_first", format_func=cat.get)
        go_live = c[1].date_input(t("ed.go_live"), value=proposed_day(region, start + dt.timedelta(weeks=10)),
                                  key="new_first_go_live", format="YYYY-MM-DD")
        if st.button(t("ed.create"), type="primary", key="new_create", disabled=not name.strip()):
            try:
                made = new_campaign(name, region, start, float(budget), catalogue_service(first, region, go_live),
                                    campaign_keys())
                doc.create(made)
            except InputError as err:
                _refused(err)
                return
            st.session_state["ed_flash"] = t("ed.created", campaign=made.name)
            del st.session_state["new_name"]  # an empty form: a second click cannot make the campaign twice
            st.rerun()


def _date(day: dt.date | None) -> str:
    return fmt_date(day, lang()) if day else "–"


def services_list(campaign: Campaign, region: Region) -> None:
    """The campaign's e-services: name, who it is for, go-live for the region and per member; remove."""
    st.subheader(t("ed.services_title"))
    for e in campaign.e_services:
        with st.container(border=True):
            c = st.columns([5, 1])
            local = ", ".join(f"{m} {_date(d)}" for m, d in e.local_go_live.items())
            c[0].markdown(f"**{tr(e.title)}** · {t('ed.go_live_short', day=_date(e.go_live))}"
                          + (f" · {t('ed.local_short', dates=local)}" if local else ""))
            audience = e.target_audience()
            note = tr(audience.note_text) if audience.note else t("audience_everyone")
            c[0].caption(f"{e.description} {t('ed.audience_short', note=note)}")
            if doc.may_edit() and len(campaign.e_services) > 1 and \
                    c[1].button(t("ed.remove"), key=f"rm_{e.key}", icon=":material/delete:"):
                _apply(lambda key=e.key: remove_service(campaign, region, key))
            own = doc.own_municipality()
            if own and not doc.may_edit() and any(m.name == own for m in region.participants(e)):
                _own_go_live(campaign, region, e, own)


def _own_go_live(campaign: Campaign, region: Region, e: EService, own: str) -> None:
    """An officer sets their own municipality's go-live date (all the roles table allows them)."""
    current = e.local_go_live.get(own) or e.go_live or campaign.planning_start
    day = st.date_input(t("ed.own_go_live", muni=own), value=current, key=f"own_{e.key}", format="YYYY-MM-DD")
    if day != current and st.button(t("ed.own_save"), key=f"own_save_{e.key}"):
        _apply(lambda: set_local_go_live(campaign, region, e.key, own, day))


def _apply(make: Any) -> None:
    try:
        doc.change(make())
    except InputError as err:
        _refused(err)
        return
    st.rerun()


def _submit(make: Any, clear: str) -> None:
    """A form's button (on_click): make the change, saved at once, and empty the form whose widget keys
    start with `clear`; a refusal is shown above the form on the run that follows."""
    try:
        doc.change(make())
    except InputError as err:
        st.session_state["ed_error"] = err
        return
    for key in [k for k in st.session_state if str(k).startswith(clear) and k != "svc_source"]:
        value = st.session_state[key]
        if isinstance(value, (str, list)):  # text and choices emptied; dates and sliders keep theirs
            st.session_state[key] = type(value)()


def _audience(prefix: str) -> dict[str, Any] | None:
    c = st.columns(3)
    if c[0].checkbox(t("ed.everyone"), value=True, key=f"{prefix}_everyone"):
        note = st.text_input(t("ed.audience_note"), key=f"{prefix}_note", max_chars=300)
        return {"everyone": True, **({"note": note} if note else {})}
    ages = c[1].slider(t("ed.ages"), 0, 110, (18, 80), key=f"{prefix}_ages")
    children = c[2].checkbox(t("ed.children"), key=f"{prefix}_children")
    jobs = st.multiselect(t("ed.occupations"), OCCUPATIONS, key=f"{prefix}_jobs", placeholder=t("ed.pick_members"),
                          format_func=labels(OCCUPATIONS, lambda o: t(f"ed.occupation.{o}")))
    note = st.text_input(t("ed.audience_note"), key=f"{prefix}_note", max_chars=300)
    out: dict[str, Any] = {"ages": list(ages)}
    if children:
        out["children"] = True
    if jobs:
        out["occupations"] = list(jobs)
    if note:
        out["note"] = note
    return out


CONTENT = ("action", "task", "what", "duration", "after", "paper_way")


def _content(prefix: str) -> dict[str, Any]:
    st.caption(t("ed.content_intro"))
    out: dict[str, Any] = {}
    c = st.columns(2)
    for i, block in enumerate(CONTENT):
        value = c[i % 2].text_input(t(f"ed.block.{block}"), key=f"{prefix}_{block}", max_chars=400)
        if value.strip():
            out[block] = value.strip()
    needs = st.text_area(t("ed.block.needs"), key=f"{prefix}_needs", max_chars=1000, height=80)
    lines = [n.strip("-• ").strip() for n in needs.splitlines() if n.strip()]
    if lines:
        out["needs"] = lines
    return out


def add_service_form(campaign: Campaign, region: Region) -> None:
    """Add an e-service: picked from the catalogue (which knows its audience and content) or new."""
    if not doc.may_edit():
        return
    with st.expander(t("ed.add_title"), icon=":material/playlist_add:", key="ed_add_box"):
        if "ed_error" in st.session_state:
            _refused(st.session_state.pop("ed_error"))
        source = st.radio(t("ed.source"), ["catalogue", "new"], key="svc_source", horizontal=True,
                          format_func=labels(["catalogue", "new"], lambda s: t(f"ed.source.{s}")))
        start = max(campaign.planning_start, dt.date.today())
        if source == "catalogue":
            cat = {k: v for k, v in catalogue().items() if all(e.key != k for e in campaign.e_services)}
            if not cat:
                st.caption(t("ed.catalogue_done"))
                return
            c = st.columns(2)
            key = c[0].selectbox(t("ed.from_catalogue"), list(cat), key="svc_cat", format_func=cat.get)
            go_live = c[1].date_input(t("ed.go_live"), value=proposed_day(region, start + dt.timedelta(weeks=10)),
                                      key="svc_cat_go_live",
                                      format="YYYY-MM-DD")
            st.button(t("ed.add"), type="primary", key="svc_add_cat", on_click=_submit, args=(
                lambda: add_service(campaign, region, catalogue_service(key, region, go_live)), "svc_cat"))
            return
        c = st.columns(2)
        name = c[0].text_input(t("ed.service_name"), key="svc_name", max_chars=120)
        link = c[1].text_input(t("ed.link"), key="svc_link", placeholder="https://", max_chars=300)
        description = st.text_input(t("ed.description"), key="svc_desc", max_chars=400)
        c = st.columns(2)
        go_live = c[0].date_input(t("ed.go_live"), value=proposed_day(region, start + dt.timedelta(weeks=10)),
                                  key="svc_go_live",
                                  format="YYYY-MM-DD")
        members = [m.name for m in region.municipalities]
        later = c[1].multiselect(t("ed.local_members"), members, key="svc_local", placeholder=t("ed.pick_members"))
        local = {m: st.date_input(t("ed.local_date", muni=m), value=go_live, key=f"svc_local_{m}",
                                  format="YYYY-MM-DD") for m in later}
        st.markdown(f"**{t('ed.audience_title')}**")
        audience = _audience("svc_aud")
        st.markdown(f"**{t('ed.content_title')}**")
        content = _content("svc_block")
        fields = {"key": new_key(name or "e", [e.key for e in campaign.e_services]), "name": name.strip(),
                  "description": description.strip(), "link": link.strip(), "go_live": go_live,
                  "audience": audience, **({"content": content} if content else {}),
                  **({"local_go_live": local} if local else {})}
        st.button(t("ed.add"), type="primary", key="svc_add_new", disabled=not name.strip(), on_click=_submit,
                  args=(lambda: add_service(campaign, region, make_service(**fields)), "svc_"))


def yaml_io(campaign: Campaign) -> None:
    """The campaign as a YAML file (the schema of data/campaigns/), and a file read back in."""
    with st.expander(t("ed.yaml_title"), icon=":material/description:", key="ed_yaml_box"):
        st.download_button(t("ed.yaml_download"), data=dump_yaml(campaign).encode("utf-8"),
                           file_name=f"kampanj-{file_stem(campaign.key)}.yaml", mime="application/x-yaml",
                           key="ed_yaml_dl", icon=":material/download:", on_click="ignore")
        if not doc.may_edit():
            return
        upload = st.file_uploader(t("ed.yaml_upload"), type=["yaml", "yml"], key="ed_yaml_up")
        if upload is not None and st.button(t("ed.yaml_apply"), key="ed_yaml_apply"):
            try:
                text = upload.getvalue().decode("utf-8")
                imported = doc.import_yaml(text, upload.name)
            except UnicodeDecodeError:
                st.error(t("ed.yaml_not_text"))
                return
            except InputError as err:
                _refused(err)
                return
            st.session_state["ed_flash"] = t("ed.imported", campaign=imported.name)
            st.rerun()


def conflict_box() -> None:
    """Someone saved the campaign while this session had unsaved changes: the officer decides."""
    who = doc.conflict_who()
    if who is None:
        return
    with st.container(border=True, key="ed_conflict"):
        st.warning(t("ed.conflict", who=who), icon=":material/sync_problem:")
        c = st.columns(2)
        c[0].button(t("ed.conflict_merge"), key="ed_merge", on_click=doc.resolve, args=(True,), type="primary")
        c[1].button(t("ed.conflict_theirs", who=who), key="ed_theirs", on_click=doc.resolve, args=(False,))


def undo_button() -> None:
    last = doc.doc_session().last_change()
    if last is not None:
        st.button(t("ed.undo"), key="ed_undo", on_click=doc.undo, icon=":material/undo:", help=tr(last))
