"""Shared fixtures: synthetic citizens in every format the reader must accept."""

from __future__ import annotations

import os
from pathlib import Path

import pandas as pd
import pytest

from segments.synthetic import generate_citizens, generate_planted

# Every message rendered during the tests must exist in the catalogue of its language.
os.environ["KAMPANJ_STRICT_I18N"] = "1"

ROOT = Path(__file__).resolve().parent.parent

DATA = ROOT / "data"

# Seconds an AppTest run may take before it counts as hung. Generous on purpose: a page that is
# slow on a loaded machine is not broken (the Export page took over 120 s under load); figures
# for speed come from benchmarks/, not from this bound. KAMPANJ_APP_TIMEOUT overrides it.
APP_TIMEOUT = float(os.environ.get("KAMPANJ_APP_TIMEOUT", 900))


@pytest.fixture(autouse=True, scope="session")
def _shared_results_in_tmp(tmp_path_factory):
    """Results the app shares between server processes (app_pages/sharedcache.py) go to one
    temporary folder for the whole run: never the user's, and the sample fits are made once."""
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("KAMPANJ_CACHE_DIR", str(tmp_path_factory.mktemp("shared-results")))
        yield


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


@pytest.fixture(scope="session")
def varmland():
    """The Värmland sample campaign, its region and segments computed from its sample citizens."""
    from campaigns.campaign_files import load_campaign
    from campaigns.sources import segments_for

    path = DATA / "campaigns" / "varmland_2027.yaml"
    campaign, region = load_campaign(path)
    return campaign, region, segments_for(campaign, region, path)


@pytest.fixture(scope="session")
def varmland_plan(varmland):
    from campaigns.schedule import plan_campaign

    return plan_campaign(*varmland)


def store_backends(env) -> list[str]:
    """SQLite always; PostgreSQL when TEST_DATABASE_URL is set. CI (`CI=true`, or .ci/run's
    KAMPANJ_REQUIRE_POSTGRES=1) without a PostgreSQL URL is an error, not a quiet SQLite-only run."""
    if env.get("TEST_DATABASE_URL"):
        return ["sqlite", "postgresql"]
    if env.get("CI") == "true" or env.get("KAMPANJ_REQUIRE_POSTGRES") == "1":
        raise RuntimeError("CI must run the store tests against PostgreSQL: set TEST_DATABASE_URL (.ci/run does)")
    return ["sqlite"]


BACKENDS = store_backends(os.environ)


@pytest.fixture(params=BACKENDS)
def store(request, tmp_path):
    """The shared database, empty: a new SQLite file, or the PostgreSQL one of TEST_DATABASE_URL with
    every table's rows removed (the migrations' record kept). The one store fixture of the suite."""
    from sqlalchemy import inspect, text

    from campaigns.store import Store

    if request.param == "sqlite":
        s = Store(f"sqlite:///{tmp_path / 'shared.sqlite'}")
    else:
        s = Store(os.environ["TEST_DATABASE_URL"])
        with s.engine.begin() as con:  # a clean slate for every test
            for name in inspect(con).get_table_names():
                if name != "schema_version":
                    con.execute(text(f'DELETE FROM "{name}"'))
    try:
        yield s
    finally:
        s.engine.dispose()
