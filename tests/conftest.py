"""Shared fixtures: synthetic citizens in every format the reader must accept."""

from __future__ import annotations

import sys
from pathlib import Path

import pandas as pd
import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from segments.synthetic import generate_citizens, generate_planted  # noqa: E402

DATA = ROOT / "data"


@pytest.fixture(scope="session")
def citizens() -> pd.DataFrame:
    """600 survey-like rows from the Åtvidaberg federation, municipalities as kommunkod."""
    return generate_citizens("atvidaberg", 600, seed=11, use_codes=True)


@pytest.fixture(scope="session")
def planted() -> tuple[pd.DataFrame, object]:
    return generate_planted(6000, seed=3)


@pytest.fixture
def write_csv(tmp_path):
    """Write a frame as CSV with a given separator/encoding and return the path."""
    def _write(df: pd.DataFrame, name: str = "in.csv", sep: str = ",", encoding: str = "utf-8") -> Path:
        path = tmp_path / name
        df.to_csv(path, sep=sep, index=False, encoding=encoding)
        return path
    return _write
