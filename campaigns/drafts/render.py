"""Drafts per municipality × e-service × segment × channel × headline variant.

A channel's template (`templates/<channel>/`) writes the draft's text in Markdown from the
e-service's content blocks (`campaigns.services`) framed for the segment (`wording.yaml`); an
officer's stored edit, when there is one, takes its place; the channel's layout makes what is
published (web HTML, the A5 flyer, the Facebook post with its link apart), and the checks say
what to look at. Only segments the e-service concerns (`campaigns.relevance`) get drafts.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Collection, Iterable, Iterator
from dataclasses import dataclass, replace
from functools import lru_cache

from jinja2 import meta

from common.catalogue import Msg, Raw
from common.errors import InputError, problem
from segments.segmentset import Segment, SegmentSet

from ..definitions import Campaign, Channel, EService, Municipality, Region
from ..readability import Readability, analyse
from ..relevance import relevant_segments
from ..schedule import CampaignPlan
from ..tracking import VARIANTS, tag_for, tracked_link
from . import checks
from .context import context, environment, lower_first, swedish_date, website_display
from .edits import DraftKey, EditSet, Origin, abstract, fill
from .layout import flyer_html, plain_text, web_html
from .wording import Wording, wording_by_key, wording_for

__all__ = ["Draft", "TEMPLATE_BY_KEY", "TEMPLATE_BY_KIND", "check_text", "draft_groups", "drafts_for_plan",
           "field_values",
           "preview", "render_draft", "template_for"]

TEMPLATE_BY_KEY = {"web": "web/news.md.j2", "facebook": "facebook/post.txt.j2", "flyer": "flyer/flyer.md.j2",
                   "training": "training/invitation.md.j2", "intranet": "intranet/briefing.md.j2",
                   "staff_training": "intranet/briefing.md.j2"}
TEMPLATE_BY_KIND = {"digital": "generic/message.md.j2", "print": "flyer/flyer.md.j2",
                    "in_person": "training/invitation.md.j2"}


@dataclass(frozen=True, kw_only=True)
class Draft:
    """One draft as rendered (keyword-only construction: 29 fields, many of them strings)."""

    municipality: str
    municipality_code: str
    e_service: str
    e_service_name: str
    segment: int | None
    segment_name: str | None
    channel: str
    channel_name: str
    format: str  # what `body` is: "html", "txt" or "md"
    body: str  # what is published (HTML for web and flyer)
    text: str  # plain text, as a reader reads it
    readability: Readability
    lix_target: float
    warnings: tuple[Msg, ...]
    link: str = ""  # the tracked link this draft uses (utm_content names the variant)
    variant: str = ""  # "a" or "b" (headline and opening); "" for drafts without variants
    source: str = ""  # the editable text: Markdown, plain text for Facebook
    template_source: str = ""  # what the template wrote: "back to the template"
    campaign: str = ""
    link_display: str = ""  # the address as printed: e-tjanster.varmland.se/vigsel
    headline: str = ""
    image: str = ""  # image suggestion (web, Facebook) and its alternative text
    image_alt: str = ""
    origin: Origin = "template"  # the template's text, this municipality's edit, or the region's
    edited_by: str = ""
    edit_version: int = 0  # of this municipality's own edit (what a save is based on)
    source_version: int = 0  # of the edit the text comes from, own or the region's (what a sign-off checks)
    municipality_official: str = ""  # "Karlstads kommun": headers and signatures
    shared: bool = False  # a joint e-service: the leading municipality's edit flows to the members
    fields: tuple[tuple[str, str], ...] = ()  # this municipality's values ([[telefon]] …), for storing an edit
    go_live: dt.date | None = None

    def storable(self, text: str) -> str:
        """An officer's text as it is stored: this municipality's values made [[fields]], so that a
        leading municipality's edit reads right in every member."""
        return abstract(text, dict(self.fields))

    @property
    def chars(self) -> int:
        return len(self.text)

    @property
    def key(self) -> DraftKey:
        return DraftKey(self.campaign, self.municipality_code, self.e_service, self.segment, self.channel,
                        self.variant)

    @property
    def edited(self) -> bool:
        return self.origin != "template"

    def summary(self, length: int = 140) -> str:
        """The first words of the draft, for calendar descriptions."""
        flat = " ".join(self.text.split())
        return flat if len(flat) <= length else flat[: length - 1].rsplit(" ", 1)[0] + " …"


def template_for(channel: Channel) -> str:
    return channel.template or TEMPLATE_BY_KEY.get(channel.key) or TEMPLATE_BY_KIND[channel.kind]


@lru_cache(maxsize=32)
def _has_variants(name: str) -> bool:
    """A template that writes a headline and an opening gets two variants of them."""
    env = environment()
    source = env.loader.get_source(env, name)[0]  # type: ignore[union-attr]
    return {"headline", "opening"} <= meta.find_undeclared_variables(env.parse(source))


def _format(channel: Channel, name: str) -> str:
    if name.endswith(".html.j2") or channel.key == "web" or channel.kind == "print":
        return "html"
    return "txt" if name.endswith(".txt.j2") else "md"


def field_values(muni: Municipality, go_live: dt.date, session_when: str = "") -> dict[str, str]:
    """A municipality's own values in a draft, by field name ([[telefon]] …)."""
    values = {"kommun": muni.name, "telefon": muni.phone or "", "epost": muni.email or "",
              "öppettider": muni.opening_hours or "", "besöksadress": muni.visiting_address or "",
              "Hjälpställe": muni.help_venue or "", "hjälpställe": lower_first(muni.help_venue or ""),
              "hjälptider": muni.help_times or "", "webbplats": website_display(muni.website),
              "datum": swedish_date(go_live),
              "datum_kort": swedish_date(go_live, "d MMMM"), "visning": session_when}
    return {k: v for k, v in values.items() if v}


def _normalise(source: str) -> str:
    lines = [line.rstrip() for line in source.strip().splitlines()]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip() + "\n"


def _facebook_body(source: str, link: str, image: str, image_alt: str) -> str:
    return (source.rstrip() + "\n\n-----\nLänk (i inläggets länkfält, inte i texten): " + link
            + (f"\nBildförslag: {image}\nAlternativtext: {image_alt}" if image_alt else "") + "\n")


def _finish(d: Draft, region: Region, e: EService, muni: Municipality, channel: Channel, who: Msg | Raw) -> Draft:
    """Layout, plain text, readability and warnings for the draft's source."""
    source = d.source
    if d.format == "html" and not template_for(channel).endswith(".html.j2"):
        body = (flyer_html(source, d.link, d.link_display, muni.official(), f"{e.name} – {muni.name}")
                if channel.kind == "print" else
                web_html(source, d.link, d.link_display, e.key, d.image, d.image_alt))
        text = plain_text(source, "md")
    elif d.format == "html":  # a region's own HTML template: published as it is
        body, text = source, plain_text(source, "html")
    elif d.format == "txt":
        body, text = _facebook_body(source, d.link, d.image, d.image_alt), plain_text(source, "txt")
    else:
        body, text = source, plain_text(source, "md")
    readability = analyse(text)
    warnings = checks.readability_warnings(readability, d.lix_target, who)
    warnings += checks.channel_warnings(channel.key, channel.name, text, source, d.link, d.link_display, d.image_alt)
    warnings += checks.contact_warnings(channel.key, muni, text)
    if d.variant:
        warnings += checks.content_warnings(e, e.service_content())
    warnings += checks.glossary_warnings(region, text)
    warnings += checks.grammar_problems(source, [e.name], [muni.name], first_line_is_headline=d.format == "txt")
    return replace(d, body=body, text=text, readability=readability, warnings=tuple(dict.fromkeys(warnings)))


def render_draft(region: Region, campaign: Campaign, *, e_service: EService, municipality: Municipality,
                 channel: Channel, segment: Segment | None, segment_set: SegmentSet, go_live: dt.date,
                 session_day: dt.date | None = None, variant: str = "a", edits: EditSet | None = None,
                 text: str | None = None) -> Draft:
    """One draft. `segment` is None for staff material (the briefing covers every segment); `edits`
    are the campaign's stored edits; `text`, when given, is an officer's unsaved text to check."""
    e, muni, seg = e_service, municipality, segment
    wording: Wording = wording_for(seg, segment_set) if seg is not None else wording_by_key("default")
    name = template_for(channel)
    variant = variant if _has_variants(name) else ""
    link = tracked_link(e.link, tag_for(channel.key, channel.kind, e.key, muni.code, seg.id if seg else None, variant))
    ctx = context(region=region, campaign=campaign, e_service=e, municipality=muni, segment=seg, wording=wording,
                  go_live=go_live, segment_set=segment_set, session_day=session_day, link=link, variant=variant,
                  print_channel=channel.kind == "print")
    template_source = _normalise(environment().get_template(name).render(**ctx))
    s = e.service_content()
    shared = e.go_live is not None
    values = field_values(muni, go_live, ctx["session_when"])
    draft = Draft(municipality=muni.name, municipality_code=muni.code, e_service=e.key, e_service_name=e.name,
                  segment=seg.id if seg else None, segment_name=seg.name if seg else None, channel=channel.key,
                  channel_name=channel.name, format=_format(channel, name), body="", text="", readability=analyse(""),
                  lix_target=wording.lix_target, warnings=(), link=link, variant=variant, source=template_source,
                  template_source=template_source, campaign=campaign.key, link_display=ctx["link_display"],
                  headline=ctx["headline"], image=s.image, image_alt=s.image_alt or s.image, shared=shared,
                  fields=tuple(sorted(values.items())), go_live=go_live,
                  municipality_official=muni.official())
    if text is not None:
        draft = replace(draft, source=_normalise(text))
    elif edits:
        edit, origin = edits.find(draft.key, region.leader, shared)
        if edit is not None:
            draft = replace(draft, source=_normalise(fill(edit.text, values)), origin=origin,
                            edited_by=edit.updated_by, edit_version=edit.version if origin != "regional"
                            or muni.code == region.leader else 0, source_version=edit.version)
    who: Msg | Raw = Raw(seg.name) if seg else Msg("draft.staff")
    return _finish(draft, region, e, muni, channel, who)


def check_text(region: Region, campaign: Campaign, segment_set: SegmentSet, draft: Draft, text: str) -> Draft:
    """The draft as it would be with an officer's (unsaved) text: body, LIX, hints and warnings."""
    e = campaign.e_service(draft.e_service)
    muni = region.municipality(draft.municipality_code)
    seg = segment_set.segment(draft.segment) if draft.segment is not None else None
    found = replace(render_draft(region, campaign, e_service=e, municipality=muni,
                                 channel=region.channel(draft.channel), segment=seg, segment_set=segment_set,
                                 go_live=draft.go_live or _go_live_for(e, muni) or dt.date.today(),
                                 variant=draft.variant, text=text), origin=draft.origin, edited_by=draft.edited_by,
                    edit_version=draft.edit_version, source_version=draft.source_version, fields=draft.fields,
                    template_source=draft.template_source)
    return found


def _go_live_for(e: EService, muni: Municipality) -> dt.date | None:
    return e.local_go_live.get(muni.name) or e.local_go_live.get(muni.code) or e.go_live


def preview(region: Region, campaign: Campaign, segment_set: SegmentSet, municipality: str, e_service: str,
            channels: list[str] | None = None, go_live: dt.date | None = None, *, edits: EditSet | None = None,
            variants: Iterable[str] = VARIANTS) -> list[Draft]:
    """Every draft for one municipality and e-service: each citizen channel × each segment the
    service concerns × each variant, then the staff briefing."""
    muni = region.municipality(municipality)
    e = campaign.e_service(e_service)
    day = go_live or _go_live_for(e, muni)
    if day is None or muni not in region.participants(e):
        raise InputError([problem("drafts.not_taking_part", municipality=Raw(muni.name), e_service=Raw(e.name))])
    segments = relevant_segments(e, segment_set.segments)
    drafts = []
    for key in channels or e.channels:
        ch = region.channel(key)
        if ch.internal:
            continue
        for seg in segments:
            for v in variants:
                d = render_draft(region, campaign, e_service=e, municipality=muni, channel=ch, segment=seg,
                                 segment_set=segment_set, go_live=day, variant=v, edits=edits)
                drafts.append(d)
                if not d.variant:
                    break
    briefing = next((c for c in region.channels if c.internal and c.kind == "digital"), None)
    if briefing is not None and channels is None:
        drafts.append(render_draft(region, campaign, e_service=e, municipality=muni, channel=briefing, segment=None,
                                   segment_set=segment_set, go_live=day, edits=edits))
    return drafts


def draft_groups(plan: CampaignPlan) -> dict[tuple[str, str, int | None, str], int]:
    """The plan's drafts as groups (municipality, e-service, segment, channel) numbered in the
    order `drafts_for_plan` yields them: drafts made apart (per municipality, in parallel) are put
    back in this order."""
    groups: dict[tuple[str, str, int | None, str], int] = {}
    for a in plan.activities:
        if a.channel is None or a.kind in ("flyer_order", "staff_training"):
            continue
        groups.setdefault((a.municipality, a.e_service, a.segment, a.channel), len(groups))
    return groups


def drafts_for_plan(plan: CampaignPlan, segment_set: SegmentSet, edits: EditSet | None = None,
                    municipalities: Collection[str] | None = None) -> Iterator[Draft]:
    """Every draft the plan uses: per municipality × e-service × segment × channel (both variants
    for citizen channels), plus a staff briefing per municipality × e-service; stored edits applied.
    `municipalities` (kommunkoder): only theirs, in the same order."""
    go_live = {(a.municipality, a.e_service): a.start for a in plan.activities if a.kind == "go_live"}
    sessions: dict[tuple[str, str, int | None], dt.date] = {}
    for a in plan.activities:
        if a.kind == "session":
            sessions.setdefault((a.municipality, a.e_service, a.segment), a.start)
    segments = {s.id: s for s in segment_set.segments}
    members = {m.code: m for m in plan.region.municipalities}
    for muni_code, e_key, segment, channel in draft_groups(plan):
        if municipalities is not None and muni_code not in municipalities:
            continue
        e = plan.campaign.e_service(e_key)
        for v in VARIANTS:
            d = render_draft(plan.region, plan.campaign, e_service=e, municipality=members[muni_code],
                             channel=plan.region.channel(channel), segment=segments.get(segment) if segment else None,
                             segment_set=segment_set, go_live=go_live[(muni_code, e_key)],
                             session_day=sessions.get((muni_code, e_key, segment)), variant=v, edits=edits)
            yield d
            if not d.variant:
                break
