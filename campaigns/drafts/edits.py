"""Officers' edits of drafts, and how a regional edit reaches the members.

An edit is stored per campaign × municipality × e-service × segment × channel (× headline
variant). A draft of a joint e-service edited by the leading municipality is the region's text:
it flows to every member that has no edit of its own. So that it can, the leader's text is kept
with its municipality-specific values — name, phone, e-mail, address, dates, the help venue —
replaced by fields (`[[telefon]]`), and each member reads it with its own values filled in.
"""

from __future__ import annotations

import datetime as dt
import difflib
import hashlib
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Literal

__all__ = ["DraftEdit", "DraftKey", "EditSet", "Origin", "abstract", "fill", "FIELD", "merge_start"]

FIELD = re.compile(r"\[\[([^\[\]]+)\]\]")
Origin = Literal["template", "local", "regional"]
STAFF = -1  # the segment stored for drafts that address staff, not a segment


@dataclass(frozen=True)
class DraftKey:
    campaign: str
    municipality: str  # kommunkod
    e_service: str
    segment: int | None
    channel: str
    variant: str = ""  # "a" or "b"; "" for drafts without variants

    @property
    def stored_segment(self) -> int:
        return STAFF if self.segment is None else self.segment


@dataclass(frozen=True)
class DraftEdit:
    key: DraftKey
    text: str  # with [[fields]] where the municipality's own values stood
    version: int
    updated_by: str
    updated_at: dt.datetime


def abstract(text: str, values: Mapping[str, str]) -> str:
    """Replace each municipality-specific value (longest first, whole words) by its [[field]]."""
    for field, value in sorted(values.items(), key=lambda kv: len(kv[1]), reverse=True):
        if len(value) < 2:
            continue
        # a name may take a genitive s ("Kils"), which stays after the field
        text = re.sub(rf"(?<![\w@.-]){re.escape(value)}(?=s?(?![\w@-]))", f"[[{field}]]", text)
    return text


def fill(text: str, values: Mapping[str, str]) -> str:
    """Put a municipality's values into a text's [[fields]] (an unknown field stays visible)."""
    return FIELD.sub(lambda m: values.get(m.group(1), m.group(0)), text)


def merge_start(yours: str, theirs: str) -> str:
    """A text to start a merge from: the lines both texts share once, and where they differ your
    lines then theirs (nothing of either is lost; the officer edits it down)."""
    a, b = yours.splitlines(), theirs.splitlines()
    out: list[str] = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        out += a[i1:i2]
        if op != "equal":
            out += b[j1:j2]
    return "\n".join(out) + ("\n" if yours.endswith("\n") or theirs.endswith("\n") else "")


@dataclass(frozen=True)
class EditSet:
    """Every stored edit of one campaign, looked up the way drafts need them."""

    edits: tuple[DraftEdit, ...] = ()

    @classmethod
    def of(cls, edits: Iterable[DraftEdit]) -> EditSet:
        return cls(tuple(sorted(edits, key=lambda e: (e.key.municipality, e.key.e_service, e.key.stored_segment,
                                                      e.key.channel, e.key.variant))))

    def get(self, key: DraftKey) -> DraftEdit | None:
        return next((e for e in self.edits if e.key == key), None)

    def find(self, key: DraftKey, leader: str, shared: bool) -> tuple[DraftEdit | None, Origin]:
        """The edit a draft shows: its municipality's own, else (for a joint e-service) the
        leading municipality's, else none (the template's text)."""
        own = self.get(key)
        if own is not None:
            return own, ("regional" if shared and key.municipality == leader else "local")
        if shared and key.municipality != leader:
            theirs = self.get(DraftKey(key.campaign, leader, key.e_service, key.segment, key.channel, key.variant))
            if theirs is not None:
                return theirs, "regional"
        return None, "template"

    @property
    def stamp(self) -> str:
        """Changes whenever any edit does: a cache key made from the edits themselves (the text too: two
        databases, or a database made anew, can hold the same version number of different texts)."""
        return ";".join(f"{e.key.municipality}:{e.key.e_service}:{e.key.stored_segment}:{e.key.channel}:"
                        f"{e.key.variant}:{e.version}:{hashlib.sha1(e.text.encode('utf-8')).hexdigest()[:12]}"
                        for e in self.edits)

    def __len__(self) -> int:
        return len(self.edits)
