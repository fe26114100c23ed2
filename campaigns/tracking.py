"""Tracked links: every draft's link says which channel and segment brought the visitor.

The usual UTM parameters are added to the e-service link, so the portal's statistics can be split
by channel and segment afterwards. The values are short, because a Facebook post shows only its
first ~125 characters.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

__all__ = ["Tag", "tag_for", "tracked_link", "parse_tag", "MEDIUM"]

MEDIUM = {"digital": "social", "print": "print", "in_person": "event"}
SOURCE = {"web": "web", "facebook": "facebook", "flyer": "flyer", "training": "drop-in", "intranet": "intranet"}


@dataclass(frozen=True)
class Tag:
    source: str  # utm_source: the channel
    medium: str  # utm_medium: social, print, event, website
    campaign: str  # utm_campaign: the e-service key
    content: str  # utm_content: <kommunkod>-s<segment id>

    def query(self) -> dict[str, str]:
        return {"utm_source": self.source, "utm_medium": self.medium, "utm_campaign": self.campaign,
                "utm_content": self.content}


def tag_for(channel_key: str, channel_kind: str, e_service: str, municipality_code: str,
            segment: int | None) -> Tag:
    medium = "website" if channel_key == "web" else MEDIUM.get(channel_kind, "other")
    content = f"{municipality_code}-s{segment}" if segment is not None else f"{municipality_code}-staff"
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
