"""Web links from files and kits, checked before they reach a draft's `href` or a QR code.

A link must be an absolute http(s) URL with a host, no user name or password (the `@` trick:
`https://www.karlstad.se@evil.example/` goes to evil.example), and no spaces or control
characters. `link_problem(url, host=…)` also requires the link to stay on a given host — a kit's
links must point to the importing municipality's own site.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

__all__ = ["link_problem"]

_UNSAFE = re.compile(r"[\x00-\x20\x7f\\]")


def link_problem(url: str, *, host: str | None = None) -> str | None:
    """None for a safe link, else a catalogue code saying what is wrong (`link.scheme`, …)."""
    if not isinstance(url, str) or _UNSAFE.search(url):
        return "link.characters"
    try:
        parts = urlsplit(url)
        hostname, _ = parts.hostname, parts.port  # .port raises ValueError for a port that is not one
    except ValueError:
        return "link.unreadable"
    if parts.scheme not in ("http", "https"):
        return "link.scheme"
    if parts.username is not None or parts.password is not None or "@" in parts.netloc:
        return "link.userinfo"
    if not hostname:
        return "link.no_host"
    if host is not None and hostname != host.lower():
        return "link.other_host"
    return None
