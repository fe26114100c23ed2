"""Warm-up when a server process starts, so that the first officer does not wait for a fit.

Fitting the Värmland sample takes 5–10 s; imports take another 2–3 s. `warm_up()` imports what
the pages use and fits every bundled campaign's sample citizens with a fresh session's default
choices, through the shared cache: the first process to start computes each fit, the others read
it. `server.py` calls it before the process accepts connections.
"""

from __future__ import annotations

import importlib
import logging
import time
from pathlib import Path

from campaigns.campaign_files import load_campaign, region_path_for
from segments.io import load_citizens

from . import _cached

__all__ = ["DEFAULT_SEGMENT_CHOICES", "warm_up"]

# What a fresh session asks for (state.segment_params without any choice made): k, min size, rules.
DEFAULT_SEGMENT_CHOICES: tuple[int | str, float, tuple] = ("auto", 30.0, ())
MODULES = ("altair", "babel.dates", "app_pages.charts", "app_pages.state", "app_pages.downloads",
           "app_pages.auth", "campaigns.channels", "campaigns.readability", "app_pages.power",
           "campaigns.evaluation", "campaigns.evaluation_report", "campaigns.usage", "campaigns.survey_answers")
LOG = logging.getLogger("kampanjplaneraren.warmup")


def warm_up() -> list[str]:
    """Import the pages' modules and fit each bundled campaign's sample; returns what was warmed."""
    t0 = time.perf_counter()
    for name in MODULES:
        importlib.import_module(name)
    warmed = []
    k, min_size, rules = DEFAULT_SEGMENT_CHOICES
    for path in _cached.campaign_files.__wrapped__():  # the plain function: no session here
        try:
            campaign, region = load_campaign(path)
            if not region.sample_citizens:
                continue
            sample = region_path_for(campaign, Path(path)).parent / region.sample_citizens
            table = load_citizens(sample).table
            _cached.fit_shared(table, "sample:" + path, k, min_size, rules)
            warmed.append(Path(path).name)
        except Exception:  # noqa: BLE001 - a broken sample file shows on its page, not at start
            LOG.exception("warm-up of %s failed", path)
    LOG.warning("warm-up done in %.1f s: %s", time.perf_counter() - t0, ", ".join(warmed) or "nothing")
    return warmed
