"""What a template gets: the e-service's content blocks framed for the segment, the headline and
opening of a variant, and the municipality's ways to act and to ask.

Everything citizen-facing here is Swedish copy; sentences are built so that names keep their
case (an e-service called "Boka vigsel" is never written "boka vigsel") and every sentence ends
with its full stop.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from babel.dates import format_date
from jinja2 import Environment, FileSystemLoader, StrictUndefined, Template

from common.catalogue import render
from common.formatting import fmt_pct
from segments.segmentset import Segment, SegmentSet

from ..definitions import Campaign, EService, Municipality, Region
from ..relevance import relevance
from ..services import ServiceContent
from .wording import Wording, wording_for

__all__ = ["Blocks", "TEMPLATES", "capfirst", "contact_text", "context", "environment", "join_sv", "lower_first",
           "swedish_date", "website_display"]

TEMPLATES = Path(__file__).resolve().parents[2] / "templates"
DRAFT_LANG = "sv"  # drafts are Swedish copy for citizens, whatever language the app shows


@lru_cache(maxsize=1024)
def swedish_date(day: dt.date, pattern: str = "d MMMM yyyy") -> str:
    """'16 mars 2027' (Swedish copy, whatever the app's language)."""
    return format_date(day, pattern, locale="sv_SE")


def lower_first(text: str) -> str:
    """'Biblioteket i Kil' -> 'biblioteket i Kil'; acronyms ('BankID', 'KC') stay."""
    return text[:1].lower() + text[1:] if text and not text[:2].isupper() else text


def capfirst(text: str) -> str:
    return text[:1].upper() + text[1:]


def join_sv(items: Any) -> str:
    """'a', 'b', 'c' -> 'a, b och c' ('a, b samt c' when an item has its own 'och')."""
    items = [str(i) for i in items if str(i)]
    if len(items) < 2:
        return items[0] if items else ""
    last = " samt " if any(" och " in i for i in items) else " och "
    return ", ".join(items[:-1]) + last + items[-1]


@lru_cache(maxsize=1)
def environment() -> Environment:
    """Markdown and text templates: no autoescape (layouts escape when they make HTML)."""
    env = Environment(loader=FileSystemLoader(str(TEMPLATES)), undefined=StrictUndefined,
                      autoescape=lambda name: bool(name and name.endswith(".html.j2")),
                      trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True)
    env.filters["lower_first"] = lower_first
    env.filters["capfirst"] = capfirst
    env.filters["join_sv"] = join_sv
    env.tests["search"] = lambda value, word: word.lower() in str(value).lower()
    return env


@lru_cache(maxsize=512)
def _snippet(source: str) -> Template:
    return environment().from_string(source)


def website_display(url: str) -> str:
    """'https://www.kil.se/' -> 'kil.se/'-less 'kil.se': an address as people write it."""
    return re.sub(r"^https?://(www\.)?", "", url).rstrip("/")


def contact_text(m: Municipality, *, question: bool = True) -> str:
    """'Frågor? Ring oss på … (vardagar 8–16.30) eller mejla …. Besöksadress: ….' — whatever the
    region file has; never 'ring oss' without a number."""
    hours = f" ({m.opening_hours})" if m.opening_hours else ""
    if m.phone and m.email:
        ask = f"Ring oss på {m.phone}{hours} eller mejla {m.email}."
    elif m.phone:
        ask = f"Ring oss på {m.phone}{hours}."
    elif m.email:
        ask = f"Mejla oss på {m.email}."
    else:
        ask = f"Kontakta oss via {website_display(m.website)}."
    visit = f" Besöksadress: {m.visiting_address}." if m.visiting_address else ""
    return f"Frågor? {ask}{visit}" if question else f"{ask}{visit}"


def _reach(m: Municipality) -> str:
    """How to reach the municipality, to follow 'Du kan också …': never a call without a number."""
    if m.phone:
        return f"ring oss på {m.phone}"
    if m.email:
        return f"mejla oss på {m.email}"
    return f"kontakta oss via {website_display(m.website)}"


def _contact_short(m: Municipality) -> str:
    return f"Frågor? {capfirst(_reach(m))}."


@dataclass(frozen=True)
class Blocks:
    """The content a template arranges: the e-service's own blocks framed for one segment."""

    action: str
    what: str
    what_short: str  # its first sentence, for short channels
    cost: str
    benefit: str
    needs: tuple[str, ...]
    needs_heading: str
    steps: tuple[str, ...]
    duration: str
    when: str
    after: str
    help: str
    paper: str


def _steps(s: ServiceContent, link_display: str, print_channel: bool) -> tuple[str, ...]:
    go = f"Gå till {link_display}" + (" eller skanna QR-koden." if print_channel else ".")
    steps = [go]
    if any("bankid" in n.lower() for n in s.needs):
        steps.append("Logga in med BankID.")
    steps.append(f"{s.action} och skicka in." if s.action else "Fyll i och skicka in.")
    if s.after:
        steps.append(s.after.split(". ")[0].rstrip(".") + ".")
    return tuple(steps)


def _blocks(s: ServiceContent, w: Wording, m: Municipality, values: dict[str, Any], link_display: str,
            print_channel: bool) -> Blocks:
    def say(snippet: str) -> str:
        return " ".join(_snippet(snippet).render(**values).split()) if snippet else ""

    venue = (f" Välkommen till {lower_first(m.help_venue)}{', ' + m.help_times if m.help_times else ''}."
             if w.offer_venue and m.help_venue else "")
    return Blocks(
        action=s.action or "Gå till e-tjänsten", what=s.what, what_short=s.what.split(". ")[0].rstrip(".") + "."
        if s.what else "", cost=s.cost,
        benefit=" ".join(x for x in (s.paper_way, say(w.benefit)) if x),
        needs=s.needs, needs_heading=w.needs_heading, steps=_steps(s, link_display, print_channel),
        duration=s.duration, when=s.opens, after=s.after, help=say(w.help) + venue, paper=say(w.paper_note))


def _glossary(region: Region) -> tuple[Any, Any]:
    glossary = {g.term.lower(): g for g in region.glossary}

    def term(key: str) -> str:
        return glossary[key.lower()].term if key.lower() in glossary else key

    def definition(key: str) -> str:
        return glossary[key.lower()].definition if key.lower() in glossary else ""
    return term, definition


def _session_when(muni: Municipality, session_day: dt.date | None) -> str:
    if session_day is None:
        return muni.help_times or "se kommunens webbplats"
    when = swedish_date(session_day, "EEEE d MMMM")
    return when + (f", {muni.help_times.split('klockan')[-1].strip()}" if muni.help_times else "")


def _staff_segments(e: EService, segment_set: SegmentSet, values: dict[str, Any]
                    ) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """(segments the service concerns, those it leaves out) with what the briefing says of each:
    the headline their drafts lead with, the help they are offered, or why they get none."""
    kept: list[dict[str, Any]] = []
    left_out: list[dict[str, Any]] = []
    for s in segment_set.segments:
        r = relevance(e, s)
        w = wording_for(s, segment_set)
        row = {"name": s.name, "share": fmt_pct(s.profile.share),
               "headline": " ".join(_snippet(w.headlines[0]).render(**values).split()),
               "help": " ".join(_snippet(w.help).render(**values).split()),
               "why": render(r.reason, DRAFT_LANG).rstrip(".")}
        (kept if r.relevant else left_out).append(row)
    return kept, left_out


def context(*, region: Region, campaign: Campaign, e_service: EService, municipality: Municipality,
            segment: Segment | None, wording: Wording, go_live: dt.date, segment_set: SegmentSet,
            session_day: dt.date | None, link: str, variant: str, print_channel: bool) -> dict[str, Any]:
    """Everything a channel template may use (keyword-only: twelve values, several of one type)."""
    e, muni, seg = e_service, municipality, segment
    term, definition = _glossary(region)
    own = e.service_content()  # blocks it lacks get a plain stand-in (and the draft a warning)
    s = own.model_copy(update={"task": own.task or "göra ärendet", "action": own.action or "Gå till e-tjänsten"})
    link_display = website_display(e.link)
    go_live_text = swedish_date(go_live)
    values = {"e": e, "s": s, "m": muni, "go_live": go_live_text, "term": term, "link_display": link_display,
              "named": f"{term('e-tjänst')}en {e.name}", "reach": _reach(muni)}
    pick = 1 if variant == "b" else 0
    headline = " ".join(_snippet(wording.headlines[pick]).render(**values).split())
    opening = " ".join(_snippet(wording.openings[pick]).render(**values).split())
    kept, left_out = _staff_segments(e, segment_set, values) if seg is None else ([], [])
    audience = e.target_audience()
    return {
        "municipality": muni, "e_service": e, "campaign": campaign, "region": region, "w": wording, "s": s,
        "named": values["named"],
        "segment": seg, "link": link, "link_display": link_display, "headline": headline, "opening": opening,
        "order": list(wording.order), "c": _blocks(s, wording, muni, values, link_display, print_channel),
        "contact": contact_text(muni), "contact_body": contact_text(muni, question=False),
        "contact_short": _contact_short(muni),
        "go_live": go_live_text, "go_live_short": swedish_date(go_live, "d MMMM"),
        "help_venue": muni.help_venue, "help_times": muni.help_times,
        "session_when": _session_when(muni, session_day), "term": term, "definition": definition,
        "segments": kept, "excluded": left_out,
        "audience_note": audience.note or ("Alla invånare." if audience.is_everyone else ""),
    }
