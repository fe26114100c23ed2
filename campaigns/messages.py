"""Message drafts per segment × channel: jinja2 templates, segment wording as data, readability.

One template per channel (`templates/<channel>/`); what differs between segments — the benefit
argument, the help offered, the tone and the reading level — lives in `templates/wording.yaml`
and is chosen from each segment's own profile. Every draft comes with its LIX, its band and
klarspråk and channel-limit warnings.
"""

from __future__ import annotations

import base64
import datetime as dt
import html
import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import segno
import yaml
from babel.dates import format_date
from jinja2 import Environment, FileSystemLoader, StrictUndefined

from common.formatting import fmt_pct
from segments.segmentset import Segment, SegmentSet

from .definitions import Campaign, Channel, EService, Municipality, Region
from .readability import Readability, analyse
from .schedule import CampaignPlan
from .tracking import tag_for, tracked_link

__all__ = [
    "CHANNEL_LIMITS", "TEMPLATES", "Draft", "drafts_for_plan", "environment", "flyer_pdf", "load_wordings",
    "preview", "render_draft", "template_for", "Wording", "wording_for"
]

TEMPLATES = Path(__file__).resolve().parent.parent / "templates"
TEMPLATE_BY_KEY = {"web": "web/news.html.j2", "facebook": "facebook/post.txt.j2", "flyer": "flyer/flyer.html.j2",
                   "training": "training/invitation.md.j2", "intranet": "intranet/briefing.md.j2",
                   "staff_training": "intranet/briefing.md.j2"}
TEMPLATE_BY_KIND = {"digital": "generic/message.md.j2", "print": "flyer/flyer.html.j2",
                    "in_person": "training/invitation.md.j2"}
# (max characters of plain text, or None) and channel-specific checks in _channel_warnings
CHANNEL_LIMITS = {"web": 1500, "facebook": 500, "flyer": 900, "training": 1200}
FACEBOOK_PREVIEW = 125
VAGUE_LINK_TEXTS = ("klicka här", "läs mer här", "här", "länk", "klicka")


@dataclass(frozen=True)
class Wording:
    key: str
    label: str
    lix_target: float
    tone: str
    greeting: str
    benefit: str
    help: str
    cta: str
    paper_note: str
    when: dict[str, float]
    offer_venue: bool = False
    survey_questions: tuple[str, ...] = ()  # point to the help venue (library drop-in) in every channel


@dataclass(frozen=True)
class Draft:
    municipality: str
    municipality_code: str
    e_service: str
    e_service_name: str
    segment: int | None
    segment_name: str | None
    channel: str
    channel_name: str
    format: str  # "html", "txt" or "md"
    body: str  # what the template rendered (HTML for web and flyer)
    text: str  # plain text, as a reader reads it
    readability: Readability
    lix_target: float
    warnings: tuple[str, ...]
    link: str = ""  # the tracked link this draft uses

    @property
    def chars(self) -> int:
        return len(self.text)

    def summary(self, length: int = 140) -> str:
        """The first words of the draft, for calendar descriptions."""
        flat = " ".join(self.text.split())
        return flat if len(flat) <= length else flat[: length - 1].rsplit(" ", 1)[0] + " …"


@lru_cache(maxsize=4)
def load_wordings(path: Path = TEMPLATES / "wording.yaml") -> tuple[Wording, ...]:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    return tuple(Wording(**{**p, "when": p.get("when") or {},
                            "survey_questions": tuple(p.get("survey_questions", ()))}) for p in data["profiles"])


def _matches(w: Wording, seg: Segment, population_eservice: float | None) -> bool:
    h, p = seg.profile.habits, seg.profile
    family = p.shares.get("household", {})
    checks = {
        "daily_internet_below": lambda v: h.daily_internet is not None and h.daily_internet < v,
        "bankid_below": lambda v: h.bankid is not None and h.bankid < v,
        "median_age_from": lambda v: p.age_median >= v,
        "median_age_below": lambda v: p.age_median < v,
        "eservice_below_population": lambda v: (h.eservice_mean is not None and population_eservice is not None
                                                and h.eservice_mean < v * population_eservice),
        "family_share_from": lambda v: family.get("family_with_children", 0) + family.get("single_parent", 0) >= v,
    }
    return all(checks[k](v) for k, v in w.when.items())


def wording_for(seg: Segment, segment_set: SegmentSet) -> Wording:
    """The first wording profile whose conditions the segment's habits meet."""
    pop = segment_set.population.eservice_mean
    return next(w for w in load_wordings() if _matches(w, seg, pop))


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:] if text and not text[:2].isupper() else text


@lru_cache(maxsize=1)
def environment() -> Environment:
    env = Environment(loader=FileSystemLoader(str(TEMPLATES)), undefined=StrictUndefined,
                      autoescape=lambda name: bool(name and name.endswith(".html.j2")),
                      trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True)
    env.filters["lower_first"] = _lower_first
    return env


@lru_cache(maxsize=32)
def _template_variables(name: str) -> frozenset[str]:
    from jinja2 import meta

    env = environment()
    source = env.loader.get_source(env, name)[0]  # type: ignore[union-attr]
    return frozenset(meta.find_undeclared_variables(env.parse(source)))


def template_for(channel: Channel) -> str:
    return channel.template or TEMPLATE_BY_KEY.get(channel.key) or TEMPLATE_BY_KIND[channel.kind]


def _plain(body: str, fmt: str) -> str:
    """What a reader reads: tags removed (blocks become lines), markdown marks dropped."""
    if fmt == "html":
        body = re.sub(r"(?is)<(style|title|head)[^>]*>.*?</\1>", " ", body)
        body = re.sub(r"(?i)<img[^>]*alt=\"([^\"]*)\"[^>]*>", "", body)
        body = re.sub(r"(?i)</?(h\d|p|div|li|br|article|ul)[^>]*>", "\n", body)
        body = html.unescape(re.sub(r"<[^>]+>", "", body))
    else:
        body = re.sub(r"(?m)^#+\s*", "", body)
        body = re.sub(r"\*\*|__", "", body)
    lines = [" ".join(line.split()) for line in body.splitlines()]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


@lru_cache(maxsize=256)
def _qr_data_uri(link: str) -> str:
    svg = segno.make(link, error="m").svg_inline(scale=4, border=2)
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode("utf-8")).decode("ascii")


def _glossary_warnings(region: Region, text: str) -> list[str]:
    out = []
    lowered = text.lower()
    for g in region.glossary:
        for word in g.discouraged:
            if re.search(rf"(?<!\w){re.escape(word.lower())}(?!\w)", lowered):
                out.append(f"Ordet \"{word}\" avråds i regionens ordlista; skriv \"{g.term}\".")
    return out


def _channel_warnings(channel: str, body: str, text: str, link: str) -> list[str]:
    out = []
    limit = CHANNEL_LIMITS.get(channel)
    if limit and len(text) > limit:
        out.append(f"Texten har {len(text)} tecken; håll den under {limit} för {channel}.")
    if channel == "facebook":
        start = text.find(link)
        if start < 0 or start > FACEBOOK_PREVIEW - 30:
            out.append(f"Länken börjar inte inom de första {FACEBOOK_PREVIEW} tecknen, som Facebook visar utan "
                       "\"Visa mer\".")
    if channel == "web":
        m = re.search(r"<h1>(.*?)</h1>", body, re.S)
        if m and len(html.unescape(m.group(1)).strip()) > 70:
            out.append("Rubriken är längre än 70 tecken.")
        for a in re.findall(r"<a [^>]*>(.*?)</a>", body, re.S):
            if html.unescape(a).strip().lower() in VAGUE_LINK_TEXTS:
                out.append("Länktexten säger inte vart länken leder (undvik \"klicka här\").")
        if re.search(r"<img(?![^>]*alt=\"[^\"]+\")", body):
            out.append("Bilden saknar alternativtext.")
    return out


def _context(region: Region, campaign: Campaign, e: EService, muni: Municipality, seg: Segment | None,
             wording: Wording, go_live: dt.date, segment_set: SegmentSet, session_day: dt.date | None,
             segments: list[Segment] | None, link: str) -> dict[str, Any]:
    glossary = {g.term.lower(): g for g in region.glossary}
    display = re.sub(r"^https?://(www\.)?", "", e.link).rstrip("/")
    return {
        "municipality": muni, "e_service": e, "campaign": campaign, "region": region, "w": wording,
        "segment": seg, "link": link, "link_display": display,
        "link_text": f"{e.name} – {e.description.rstrip('.').lower() if e.description else 'till e-tjänsten'}"
        if len(e.description) < 60 else f"Gå till e-tjänsten {e.name.lower()}",
        "image_alt": f"En person använder {e.name.lower()} i mobilen hemma vid köksbordet.",
        "go_live": format_date(go_live, "d MMMM yyyy", locale="sv_SE"),
        "go_live_short": format_date(go_live, "d MMMM", locale="sv_SE"),
        "help_venue": muni.help_venue, "help_times": muni.help_times,
        "session_when": (format_date(session_day, "EEEE d MMMM", locale="sv_SE") + (
            f", {muni.help_times.split('klockan')[-1].strip()}" if muni.help_times else "")
            if session_day else (muni.help_times or "se kommunens webbplats")),
        "term": lambda key: glossary[key.lower()].term if key.lower() in glossary else key,
        "definition": lambda key: glossary[key.lower()].definition if key.lower() in glossary else "",
        "segments": [{"name": s.name, "share": fmt_pct(s.profile.share), "wording": wording_for(s, segment_set)}
                     for s in (segments or [])],
    }


def render_draft(region: Region, campaign: Campaign, e: EService, muni: Municipality, channel: Channel,
                 seg: Segment | None, segment_set: SegmentSet, go_live: dt.date,
                 session_day: dt.date | None = None) -> Draft:
    """One draft. `seg` is None for internal channels (the staff briefing covers every segment)."""
    wording = wording_for(seg, segment_set) if seg is not None else next(
        w for w in load_wordings() if w.key == "default")
    name = template_for(channel)
    link = tracked_link(e.link, tag_for(channel.key, channel.kind, e.key, muni.code, seg.id if seg else None))
    context = _context(region, campaign, e, muni, seg, wording, go_live, segment_set, session_day,
                       list(segment_set.segments) if seg is None else None, link)
    if "qr_data_uri" in _template_variables(name):
        context["qr_data_uri"] = _qr_data_uri(link)  # a distinct code per flyer variant
    body = environment().get_template(name).render(**context).strip() + "\n"
    fmt = "html" if name.endswith(".html.j2") else ("md" if name.endswith(".md.j2") else "txt")
    text = _plain(body, fmt)
    readability = analyse(text)
    warnings = list(readability.hints)
    if readability.lix > wording.lix_target:
        warnings.append(f"LIX {readability.lix:g} är över målet {wording.lix_target:g} för "
                        f"{seg.name if seg else 'personalen'}.".replace(".", ",", 1))
    warnings += _channel_warnings(channel.key, body, text, link)
    warnings += _glossary_warnings(region, text)
    return Draft(muni.name, muni.code, e.key, e.name, seg.id if seg else None, seg.name if seg else None,
                 channel.key, channel.name, fmt, body, text, readability, wording.lix_target, tuple(warnings), link)


def preview(region: Region, campaign: Campaign, segment_set: SegmentSet, municipality: str, e_service: str,
            channels: list[str] | None = None, go_live: dt.date | None = None) -> list[Draft]:
    """Every segment × citizen channel draft (plus the staff briefing) for one municipality and
    e-service, ready to show side by side."""
    muni = region.municipality(municipality)
    e = campaign.e_service(e_service)
    day = go_live or e.local_go_live.get(muni.name) or e.local_go_live.get(muni.code) or e.go_live
    if day is None or muni not in region.participants(e):
        raise ValueError(f"{muni.name} deltar inte i {e.name}.")
    keys = channels or e.channels
    drafts = []
    for key in keys:
        ch = region.channel(key)
        if ch.internal:
            continue
        for seg in segment_set.segments:
            drafts.append(render_draft(region, campaign, e, muni, ch, seg, segment_set, day))
    briefing = next((c for c in region.channels if c.internal and c.kind == "digital"), None)
    if briefing is not None and channels is None:
        drafts.append(render_draft(region, campaign, e, muni, briefing, None, segment_set, day))
    return drafts


def drafts_for_plan(plan: CampaignPlan, segment_set: SegmentSet) -> Iterator[Draft]:
    """One draft per municipality × e-service × segment × channel the plan uses, plus a staff
    briefing per municipality × e-service."""
    seen: set[tuple[str, str, int | None, str]] = set()
    go_live = {(a.municipality, a.e_service): a.start for a in plan.activities if a.kind == "go_live"}
    sessions: dict[tuple[str, str, int | None], dt.date] = {}
    for a in plan.activities:
        if a.kind == "session":
            sessions.setdefault((a.municipality, a.e_service, a.segment), a.start)
    segments = {s.id: s for s in segment_set.segments}
    for a in plan.activities:
        if a.channel is None or a.kind in ("flyer_order", "staff_training"):
            continue
        key = (a.municipality, a.e_service, a.segment, a.channel)
        if key in seen:
            continue
        seen.add(key)
        e = plan.campaign.e_service(a.e_service)
        yield render_draft(plan.region, plan.campaign, e, plan.region.municipality(a.municipality),
                           plan.region.channel(a.channel), segments.get(a.segment) if a.segment else None,
                           segment_set, go_live[(a.municipality, a.e_service)],
                           sessions.get((a.municipality, a.e_service, a.segment)))


def flyer_pdf(draft: Draft) -> bytes:
    """The A5 flyer as a printable PDF (WeasyPrint; fonts with å/ä/ö from the system)."""
    from weasyprint import HTML  # imported here: it loads system libraries (Pango)

    return HTML(string=draft.body, base_url=str(TEMPLATES)).write_pdf()
