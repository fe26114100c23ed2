"""Tracked links: every draft's link says which channel and segment brought the visitor.

The usual UTM parameters are added to the e-service link, so the portal's statistics can be split
by channel, segment and headline variant afterwards. The values are short, because a Facebook post shows only its
first ~125 characters.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

__all__ = ["Tag", "tag_for", "tracked_link", "parse_tag", "MEDIUM", "VARIANTS"]

MEDIUM = {"digital": "social", "print": "print", "in_person": "event"}
VARIANTS = ("a", "b")  # two headline/opening variants per citizen draft, compared by the evaluation
SOURCE = {"web": "web", "facebook": "facebook", "flyer": "flyer", "training": "drop-in", "intranet": "intranet"}


@dataclass(frozen=True)
class Tag:
    source: str  # utm_source: the channel
    medium: str  # utm_medium: social, print, event, website
    campaign: str  # utm_campaign: the e-service key
    content: str  # utm_content: <kommunkod>-s<segment id>[-<variant>], e.g. 1763-s2-a

    @property
    def variant(self) -> str | None:
        """The headline/opening variant ('a' or 'b') the visitor saw, when the link carries one."""
        last = self.content.rsplit("-", 1)[-1] if "-" in self.content else ""
        return last if last in VARIANTS else None

    @property
    def segment(self) -> int | None:
        """The segment id in utm_content, None for staff material or an untagged link."""
        for part in self.content.split("-")[1:]:
            if part[:1] == "s" and part[1:].isdigit():
                return int(part[1:])
        return None

    def query(self) -> dict[str, str]:
        return {"utm_source": self.source, "utm_medium": self.medium, "utm_campaign": self.campaign,
                "utm_content": self.content}


def tag_for(channel_key: str, channel_kind: str, e_service: str, municipality_code: str,
            segment: int | None, variant: str = "") -> Tag:
    """The tag for one draft; `variant` ('a'/'b') says which headline and opening it carries."""
    medium = "website" if channel_key == "web" else MEDIUM.get(channel_kind, "other")
    content = f"{municipality_code}-s{segment}" if segment is not None else f"{municipality_code}-staff"
    if variant:
        content += f"-{variant}"
    return Tag(SOURCE.get(channel_key, channel_key), medium, e_service, content)


def tracked_link(link: str, tag: Tag) -> str:
    """The link with UTM parameters added (existing query parameters are kept)."""
    parts = urlsplit(link)
    query = dict(parse_qsl(parts.query, keep_blank_values=True))
    query.update(tag.query())
    return urlunsplit((parts.scheme, parts.netloc, parts.path, urlencode(query), parts.fragment))


def parse_tag(link: str) -> Tag | None:
    """The tag in a tracked link, or None when it carries none."""
    q = dict(parse_qsl(urlsplit(link).query))
    if "utm_source" not in q:
        return None
    return Tag(q.get("utm_source", ""), q.get("utm_medium", ""), q.get("utm_campaign", ""), q.get("utm_content", ""))
