"""Feedback items from citizens and staff, kept in a small SQLite file so nothing entered is lost.

Officers write down what they hear (at the library drop-in, in the contact centre, in comments)
with the channel, date, municipality and e-service; the evaluation shows it beside the figures.
"""

from __future__ import annotations

import datetime as dt
import os
import sqlite3
from dataclasses import dataclass
from pathlib import Path

__all__ = ["CATEGORIES", "FeedbackItem", "FeedbackStore", "default_store_path"]

CATEGORIES = {"praise": "Beröm", "problem": "Problem", "question": "Fråga", "idea": "Förslag"}
_SCHEMA = """
CREATE TABLE IF NOT EXISTS feedback (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    campaign TEXT NOT NULL,
    day TEXT NOT NULL,
    municipality TEXT NOT NULL,
    e_service TEXT NOT NULL,
    channel TEXT NOT NULL,
    category TEXT NOT NULL,
    text TEXT NOT NULL,
    created TEXT NOT NULL
)
"""


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


def default_store_path() -> Path:
    """$KAMPANJ_DATA_DIR/feedback.sqlite, else in the user's data folder (never inside the repository)."""
    base = os.environ.get("KAMPANJ_DATA_DIR") or os.path.join(
        os.environ.get("XDG_DATA_HOME") or os.path.expanduser("~/.local/share"), "kampanjplaneraren")
    return Path(base) / "feedback.sqlite"


class FeedbackStore:
    """Append-only store: every item is committed as soon as it is added."""

    def __init__(self, path: str | Path):
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with self._connect() as con:
            con.execute(_SCHEMA)

    def _connect(self) -> sqlite3.Connection:
        return sqlite3.connect(self.path, timeout=10)

    def add(self, item: FeedbackItem) -> int:
        text = item.text.strip()
        if not text:
            raise ValueError("Skriv vad som sades innan du sparar.")
        if item.category not in CATEGORIES:
            raise ValueError(f"Okänd kategori: {item.category}")
        with self._connect() as con:
            cur = con.execute(
                "INSERT INTO feedback (campaign, day, municipality, e_service, channel, category, text, created) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (item.campaign, item.day.isoformat(), item.municipality, item.e_service, item.channel,
                 item.category, text, dt.datetime.now(dt.UTC).isoformat(timespec="seconds")))
            return int(cur.lastrowid or 0)

    def items(self, campaign: str, e_service: str | None = None) -> list[FeedbackItem]:
        sql = "SELECT id, campaign, day, municipality, e_service, channel, category, text FROM feedback " \
              "WHERE campaign = ?" + (" AND e_service = ?" if e_service else "") + " ORDER BY day, id"
        args = (campaign, e_service) if e_service else (campaign,)
        with self._connect() as con:
            rows = con.execute(sql, args).fetchall()
        return [FeedbackItem(r[1], dt.date.fromisoformat(r[2]), r[3], r[4], r[5], r[6], r[7], r[0]) for r in rows]
