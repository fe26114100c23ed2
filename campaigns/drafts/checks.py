"""What a draft is told before it goes out: klarspråk and LIX, channel rules, the region's
glossary, a way to act and to ask, and plain grammar (no repeated closing line, names in their
own case, every sentence ended) — all as messages, worded at the edges.

The same checks run on the template's draft and on an officer's edit, as it is typed.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable
from functools import lru_cache

from common.catalogue import ListOf, Msg, Num, Raw

from ..definitions import EService, Municipality, Region
from ..readability import Readability
from ..services import ServiceContent

__all__ = ["CHANNEL_LIMITS", "CONTACT_FIELDS", "FACEBOOK_IDEAL", "FACEBOOK_PREVIEW", "channel_warnings",
           "contact_warnings", "content_warnings", "glossary_warnings", "grammar_problems", "likeness", "masked",
           "readability_warnings"]

# Most characters of plain text a channel's draft should have.
CHANNEL_LIMITS = {"web": 1800, "facebook": 400, "flyer": 1100, "training": 1400}
FACEBOOK_PREVIEW = 125  # characters Facebook shows before "Visa mer"
FACEBOOK_IDEAL = 250  # short posts get read; guidance shown beside the preview
HEADLINE_MAX = 70
VAGUE_LINK_TEXTS = ("klicka här", "läs mer här", "här", "länk", "klicka")
CONTACT_FIELDS = ("phone", "email", "opening_hours", "visiting_address")
_END = ".!?:…)"
_ADDRESS = re.compile(r"(\S+@\S+\.\w+|[\w.-]+\.[a-z]{2,}(/\S*)?)$", re.IGNORECASE)


def readability_warnings(r: Readability, lix_target: float, who: Msg | Raw) -> list[Msg]:
    out = list(r.hints)
    if r.lix > lix_target:
        out.append(Msg("draft.lix_over", lix=Num(r.lix, 1 if r.lix % 1 else 0), target=Num(lix_target), who=who))
    return out


def channel_warnings(channel: str, channel_name: str, text: str, source: str, link: str, link_display: str,
                     image_alt: str) -> list[Msg]:
    """Length, where the link goes, headline length, link text and image alternative text."""
    out = []
    limit = CHANNEL_LIMITS.get(channel)
    if limit and len(text) > limit:
        out.append(Msg("draft.too_long", chars=Num(len(text)), limit=Num(limit), channel=Raw(channel_name)))
    if channel == "facebook":
        first = text.split("\n\n", 1)[0]
        if len(first) > FACEBOOK_PREVIEW:
            out.append(Msg("draft.facebook_preview", limit=FACEBOOK_PREVIEW))
        if link_display in text or "http" in text:
            out.append(Msg("draft.facebook_link_in_text"))
        if not image_alt:
            out.append(Msg("draft.no_image_alt"))
    if channel in ("web", "flyer") and link_display not in text:
        out.append(Msg("draft.no_link", address=Raw(link_display)))
    if channel == "web":
        heading = next((line[2:].strip() for line in source.splitlines() if line.startswith("# ")), "")
        if len(heading) > HEADLINE_MAX:
            out.append(Msg("draft.headline_long", limit=HEADLINE_MAX))
        for label in re.findall(r"\[([^\]]*)\]\(", source):
            if label.strip().lower() in VAGUE_LINK_TEXTS:
                out.append(Msg("draft.vague_link"))
        if not image_alt:
            out.append(Msg("draft.no_image_alt"))
    return out


def contact_warnings(channel: str, muni: Municipality, text: str) -> list[Msg]:
    """Web and flyer drafts must let the reader ask: each field the region file lacks is named."""
    if channel not in ("web", "flyer"):
        return []
    out = [Msg("draft.missing_contact", field=Msg(f"contact.{f}"), municipality=Raw(muni.name))
           for f in CONTACT_FIELDS if not getattr(muni, f)]
    asks = [v for v in (muni.phone, muni.email) if v]
    if asks and not any(v in text for v in asks):
        out.append(Msg("draft.no_way_to_ask"))
    return out


def content_warnings(e: EService, s: ServiceContent) -> list[Msg]:
    missing = s.missing()
    if not missing:
        return []
    return [Msg("draft.missing_content", e_service=Raw(e.name), n=len(missing),
                blocks=ListOf(tuple(Msg(f"content.{b}") for b in missing)))]


@lru_cache(maxsize=256)
def _whole_word(word: str) -> re.Pattern[str]:
    return re.compile(rf"(?<!\w){re.escape(word.lower())}(?!\w)")


def glossary_warnings(region: Region, text: str) -> list[Msg]:
    out = []
    lowered = text.lower()
    for g in region.glossary:
        for word in g.discouraged:
            if word.lower() in lowered and _whole_word(word).search(lowered):
                out.append(Msg("draft.glossary", word=Raw(word), term=Raw(g.term)))
    return out


def _prose(line: str) -> str:
    return line.strip().rstrip("*_ ").strip()


def grammar_problems(source: str, names: Iterable[str] = (), places: Iterable[str] = (), *,
                     first_line_is_headline: bool = False) -> list[Msg]:
    """Repeated lines, a second 'Frågor?', sentences ending in a comma or not ended at all, and
    names written in another case than their own ('boka vigsel' for 'Boka vigsel'). `names` are
    e-service names, `places` municipality names (always in their own case)."""
    out: list[Msg] = []
    lines = [line for line in source.splitlines() if line.strip()]
    seen: set[str] = set()
    for line in lines:
        norm = " ".join(_prose(line).lower().split())
        if norm in seen and len(norm) > 3:
            out.append(Msg("draft.duplicate_line", line=Raw(_prose(line))))
        seen.add(norm)
    if len(re.findall(r"(?<!\w)Frågor\?", source)) > 1:
        out.append(Msg("draft.repeated_question"))
    for i, line in enumerate(lines):
        text = _prose(line)
        if re.search(r",\s*[.!?]|\s,|,$", text):
            out.append(Msg("draft.ends_in_comma", line=Raw(text[-40:])))
            continue
        structural = line.lstrip().startswith(("#", "- ", "* ", "|")) or re.match(r"\s*\d+\.\s", line)
        if structural or (first_line_is_headline and i == 0) or not text:
            continue
        if text[-1] not in _END and not _ADDRESS.search(text):
            out.append(Msg("draft.unfinished_sentence", line=Raw(text[-40:])))
    for name, always in [*((n, len(n.split()) > 1) for n in names), *((p, True) for p in places)]:
        wrong = _wrong_case(source, name, always=always) if name else None
        if wrong:
            out.append(Msg("draft.name_case", name=Raw(name), found=Raw(wrong)))
    return out


def _wrong_case(source: str, name: str, *, always: bool) -> str | None:
    """The first mention of `name` in another case. A one-word name may also be a common noun
    ('en felanmälan'), so it must keep its case only where it stands as a name ('e-tjänsten X')."""
    for m in re.finditer(rf"(?<![\w@./-]){re.escape(name)}(?![\w-]|\.\w)", source, re.IGNORECASE):
        found = m.group(0)
        as_name = always or source[max(0, m.start() - 11):m.start()].lower().endswith("e-tjänsten ")
        if found != name and as_name:
            return found
    return None


def masked(text: str, e: EService, *extra: str) -> str:
    """The text with the e-service's name, description and links masked, for likeness measures."""
    for value in sorted({e.name, e.description, e.link, *extra} - {""}, key=len, reverse=True):
        text = re.sub(re.escape(value), "▒", text, flags=re.IGNORECASE)
    return text


def likeness(a: str, b: str) -> float:
    """How alike two texts are, word by word (difflib's ratio, 0–1)."""
    return difflib.SequenceMatcher(None, a.split(), b.split(), autojunk=False).ratio()
