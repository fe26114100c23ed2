"""Feedback items from citizens and staff, kept in the shared database so nothing entered is lost.

Officers write down what they hear (at the library drop-in, in the contact centre, in comments)
with the channel, date, municipality and e-service; the evaluation shows it beside the figures.
Categories are keys, worded through the catalogue (`feedback.category.*`). Adding goes through
`campaigns.shared_work.SharedWork.add_feedback`, which checks the writer's role first.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select

from common.catalogue import ListOf, Msg, Raw
from common.errors import InputError, problem

from .store import Store, feedback

__all__ = ["CATEGORIES", "FeedbackItem", "FeedbackStore", "category_name"]

CATEGORIES = ("praise", "problem", "question", "idea")
MAX_TEXT = 4000  # characters: a note of what was said, not a document


def category_name(category: str) -> Msg:
    """'Beröm' / 'Praise'."""
    return Msg(f"feedback.category.{category}")


@dataclass(frozen=True)
class FeedbackItem:
    campaign: str
    day: dt.date
    municipality: str
    e_service: str
    channel: str
    category: str
    text: str
    id: int | None = None


class FeedbackStore:
    """Append-only: every item is committed as soon as it is added."""

    def __init__(self, store: Store):
        self.store = store

    def add(self, item: FeedbackItem) -> int:
        text = item.text.strip()
        if not text:
            raise InputError([problem("feedback.empty")])
        if len(text) > MAX_TEXT:
            raise InputError([problem("feedback.too_long", limit=MAX_TEXT)])
        if item.category not in CATEGORIES:
            raise InputError([problem("feedback.unknown_category", category=Raw(item.category),
                                      known=ListOf(tuple(category_name(c) for c in CATEGORIES), "or"))])
        return self.store.append(feedback, campaign=item.campaign, day=item.day, municipality=item.municipality,
                                 e_service=item.e_service, channel=item.channel, category=item.category, text=text,
                                 created=dt.datetime.now(dt.UTC))

    def items(self, campaign: str, e_service: str | None = None) -> list[FeedbackItem]:
        query = select(feedback).where(feedback.c.campaign == campaign)
        if e_service:
            query = query.where(feedback.c.e_service == e_service)
        with self.store.engine.begin() as con:
            rows = con.execute(query.order_by(feedback.c.day, feedback.c.id)).all()
        return [FeedbackItem(r.campaign, r.day, r.municipality, r.e_service, r.channel, r.category, r.text, r.id)
                for r in rows]
