"""Every Streamlit cache wrapper lives here; the core functions stay plain and testable."""

from __future__ import annotations

from pathlib import Path

import streamlit as st

from segments.io import LoadResult, load_citizens
from segments.model import FitResult, fit_segments

DATA = Path(__file__).resolve().parent.parent / "data"
SAMPLE_FILES = {
    "Värmland (16 kommuner, gemensamt e-kontor)": DATA / "citizens" / "varmland.csv",
    "Åtvidabergs IT-förbund (6 kommuner)": DATA / "citizens" / "atvidaberg_excel.csv",
}


@st.cache_data(show_spinner=False, max_entries=4)
def load_sample(name: str) -> LoadResult:
    """Bundled synthetic citizens (in memory only; nothing about them is written)."""
    return load_citizens(SAMPLE_FILES[name])


@st.cache_data(show_spinner=False, max_entries=8)
def fit_sample(name: str, k: int | str, min_size: float, seed: int) -> FitResult:
    return fit_segments(load_sample(name).table, k, min_size=min_size, seed=seed)
