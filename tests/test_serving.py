"""Serving a region: the shared result cache, the warm-up, and several processes behind nginx."""

from __future__ import annotations

import asyncio
import concurrent.futures
import os
import random
import subprocess
import sys
import time
from pathlib import Path

import pytest

from app_pages import _cached
from app_pages.sharedcache import SharedCache, file_digest
from deploy import serve
from deploy.client import Officer, Sample, visit_all_pages
from segments.io import load_citizens
from tests.conftest import APP_TIMEOUT, DATA, ROOT


def _slow_square(directory: str, marker: str, x: int) -> int:
    def compute() -> int:
        with open(marker, "a") as f:
            f.write("computed\n")
        time.sleep(0.5)
        return x * x
    return SharedCache(directory).get_or_compute("square", (x,), compute)


def test_two_processes_compute_a_shared_result_once(tmp_path):
    marker = tmp_path / "calls.txt"
    with concurrent.futures.ProcessPoolExecutor(2) as pool:
        results = list(pool.map(_slow_square, [str(tmp_path / "c")] * 2, [str(marker)] * 2, [7, 7]))
    assert results == [49, 49]
    assert marker.read_text().count("computed") == 1


def test_shared_results_are_keyed_by_their_inputs_and_survive_a_damaged_file(tmp_path):
    cache = SharedCache(tmp_path)
    calls = []
    assert cache.get_or_compute("f", (1, "a"), lambda: calls.append(1) or "one") == "one"
    assert cache.get_or_compute("f", (1, "a"), lambda: calls.append(1) or "again") == "one"
    assert cache.get_or_compute("f", (2, "a"), lambda: calls.append(1) or "two") == "two"
    assert len(calls) == 2
    for path in tmp_path.glob("*.pickle"):
        path.write_bytes(b"not a pickle")
    assert cache.get_or_compute("f", (1, "a"), lambda: "recomputed") == "recomputed"


def test_file_digest_follows_the_content(tmp_path):
    path = tmp_path / "x.csv"
    path.write_text("a\n1\n")
    first = file_digest(path)
    path.write_text("a\n2\n")
    os.utime(path, ns=(time.time_ns() + 10**9, time.time_ns() + 10**9))
    assert file_digest(path) != first


def test_fits_on_sample_data_are_shared_and_fits_on_uploads_are_not(tmp_path, monkeypatch):
    monkeypatch.setenv("KAMPANJ_CACHE_DIR", str(tmp_path))
    table = load_citizens(DATA / "citizens" / "atvidaberg_excel.csv").table
    first = _cached.fit_shared(table, "upload:abc:False", 3, 30.0, ())
    assert not list(tmp_path.glob("*.pickle")), "a fit on uploaded data must stay in memory"
    shared = _cached.fit_shared(table, "sample:x", 3, 30.0, ())
    assert len(list(tmp_path.glob("*.pickle"))) == 1
    monkeypatch.setattr(_cached, "fit_segments", lambda *a, **k: pytest.fail("fitted again"))
    again = _cached.fit_shared(table, "sample:x", 3, 30.0, ())
    assert again.segment_set == shared.segment_set == first.segment_set
    # Different data, same choices: a new key, so a new fit.
    with pytest.raises(pytest.fail.Exception):
        _cached.fit_shared(table.iloc[:-1], "sample:x", 3, 30.0, ())


@pytest.fixture(scope="module")
def warm_cache():
    """The shared cache directory after one warm-up (the fits take a while: done once)."""
    from app_pages.warmup import warm_up

    return Path(os.environ["KAMPANJ_CACHE_DIR"]), warm_up()  # the session's folder (conftest.py)


@pytest.mark.slow
def test_warm_up_fits_what_a_fresh_session_asks_for(warm_cache, tmp_path, monkeypatch):
    """After the warm-up a new session's Segment page fits nothing: the keys match."""
    import streamlit as st
    from streamlit.testing.v1 import AppTest

    directory, warmed = warm_cache
    assert {"varmland_2027.yaml", "atvidaberg_2027.yaml"} <= set(warmed)
    assert len(list(directory.glob("fit-*.pickle"))) >= 2
    monkeypatch.setenv("KAMPANJ_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("KAMPANJ_CACHE_DIR", str(directory))
    st.cache_data.clear()
    monkeypatch.setattr(_cached, "fit_segments", lambda *a, **k: pytest.fail("the session fitted again"))
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=APP_TIMEOUT).run()
    at.switch_page("app_pages/segments_page.py").run()
    assert not at.exception and not at.error
    assert len(at.get("vega_lite_chart")) >= 1


nginx = serve.find_nginx()
needs_nginx = pytest.mark.skipif(nginx is None and not os.environ.get("CI"),
                                 reason="nginx is not installed (Debian: apt-get install nginx-light)")


@needs_nginx
def test_the_generated_nginx_configuration_is_valid(tmp_path):
    stack = serve.Stack(tmp_path, port=18501, backend_port=18511, workers=3)
    conf = tmp_path / "nginx.conf"
    conf.write_text(stack.nginx_conf())
    (tmp_path / "nginx-tmp").mkdir()
    text = conf.read_text()
    assert text.count("server 127.0.0.1:185") == 3 and "hash $kampanj_route consistent" in text
    check = subprocess.run([nginx, "-t", "-p", str(tmp_path), "-c", str(conf)], capture_output=True, text=True)
    assert check.returncode == 0, check.stderr


def _established(port: int) -> int:
    """Open TCP connections whose server side is `port` on this machine."""
    count = 0
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        for line in Path(table).read_text().splitlines()[1:]:
            fields = line.split()
            if int(fields[1].rsplit(":", 1)[1], 16) == port and fields[3] == "01":
                count += 1
    return count


async def _hold_sessions(url: str, cookies: list[str], ports: list[int]) -> list[list[int]]:
    """Open one session per cookie (all at once) and report how many connections each process got."""
    before = [_established(p) for p in ports]
    officers = []
    for cookie in cookies:
        o = Officer(url, [])
        o._cookie_header = lambda cookie=cookie: {"Cookie": f"kampanj_route={cookie}"}  # type: ignore[method-assign]
        await o.connect()
        officers.append(o)
    await asyncio.sleep(0.5)
    after = [_established(p) for p in ports]
    for o in officers:
        await o.close()
    return [[b, a] for b, a in zip(before, after)]


@pytest.mark.slow
@needs_nginx
def test_serve_runs_several_processes_behind_a_sticky_proxy(warm_cache, tmp_path):
    if nginx is None:
        pytest.fail("nginx is required in CI (.ci/run installs it)")
    ports = [serve_port() for _ in range(3)]
    stack = serve.Stack(tmp_path / "run", port=ports[0], backend_port=ports[1], workers=2)
    stack.backend_ports = ports[1:]
    env = {"KAMPANJ_DATA_DIR": str(tmp_path / "data"), "KAMPANJ_CACHE_DIR": str(warm_cache[0])}
    old = {k: os.environ.get(k) for k in env}
    os.environ.update(env)
    try:
        stack.start()
        assert len(serve.running_pids(stack.run_dir)) == 3
        samples: list[Sample] = asyncio.run(visit_all_pages(stack.url))
        assert [s.label for s in samples] == ["start", "segment", "kanaler", "kalender", "budskap", "export"]
        assert all(s.ok for s in samples), [s.error for s in samples if not s.ok]
        # One browser (one cookie) stays on one process; many browsers spread over both.
        same = asyncio.run(_hold_sessions(stack.url, ["a1b2c3"] * 4, stack.backend_ports))
        gained = sorted(a - b for b, a in same)  # (an idle proxy connection may carry one of them)
        assert gained[0] <= 0 and gained[1] >= 3, same
        spread = asyncio.run(_hold_sessions(stack.url, [f"{random.getrandbits(64):x}" for _ in range(16)],
                                            stack.backend_ports))
        assert all(a - b >= 1 for b, a in spread), spread
    finally:
        stack.stop()
        for k, v in old.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v
    assert serve.running_pids(stack.run_dir) == []


def serve_port() -> int:
    import socket
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_make_serve_is_documented_with_its_install_step():
    readme = (ROOT / "docs" / "operations.md").read_text(encoding="utf-8")  # linked from the README
    assert "make serve" in readme and "nginx-light" in readme
    assert "nginx-light" in (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert "serve-stop:" in (ROOT / "Makefile").read_text(encoding="utf-8")


@pytest.mark.slow
def test_the_power_figures_are_keyed_by_what_they_take_from_the_plan(varmland):
    """A new budget makes a new plan; the power figures (a simulation, ~0.4 s) depend on it only
    through each member's start month, so plans with the same start months share one result, and
    the shared result is the one each plan would have given."""
    from app_pages.power import starts_key
    from campaigns.mix import optimise_mix
    from campaigns.schedule import plan_campaign
    from campaigns.usage.power import minimum_detectable_effect

    campaign, region, segments = varmland
    plans = [plan_campaign(campaign, region, segments, optimise_mix(campaign, region, segments, b))
             for b in (10_000, 40_000, 120_000)]
    assert len({tuple(p.activities) for p in plans}) == 3  # the budget changed the plan ...
    keys = {starts_key(p, "vigsel") for p in plans}
    assert len(keys) == 1  # ... but not the start months: one power result for all three
    results = [minimum_detectable_effect(p, "vigsel") for p in plans]
    assert results[0] is not None and results[0] == results[1] == results[2]
    assert starts_key(plans[0], "vigsel") != starts_key(plans[0], "bygglov")


def _stack_with_secrets(tmp_path, monkeypatch, text, address):
    secrets_file = tmp_path / "secrets.toml"
    if text is not None:
        secrets_file.write_text(text, encoding="utf-8")
    monkeypatch.setattr(serve, "secrets_files", lambda: [tmp_path / "none.toml", secrets_file])
    return serve.Stack(tmp_path / "run", port=18601, backend_port=18611, workers=1, address=address)


@pytest.mark.parametrize("address", ["0.0.0.0", "::", "192.168.1.5", ""])
def test_make_serve_refuses_an_open_address_without_login(tmp_path, monkeypatch, address):
    """The reported defect: make serve ADDRESS=0.0.0.0 without login let anyone on the network save
    the regional plan as coordinator. Now start refuses before anything is spawned."""
    stack = _stack_with_secrets(tmp_path, monkeypatch, None, address)
    assert "without login" in (stack.refusal() or "")
    with pytest.raises(SystemExit) as stop:
        stack.start()
    assert "without login" in str(stop.value) and not (tmp_path / "run").exists()


def test_make_serve_refuses_a_login_configuration_the_app_would_refuse(tmp_path, monkeypatch):
    from .test_auth import COMPLETE

    weak = COMPLETE.replace("Qm7vX2pLr9TzK4wH8sYb3NcF6dJg1RuE5aVk0", "12345")
    refused = _stack_with_secrets(tmp_path, monkeypatch, weak, "0.0.0.0").refusal() or ""
    assert "cookie_secret" in refused and "12345" not in refused
    assert _stack_with_secrets(tmp_path, monkeypatch, weak, "127.0.0.1").refusal()  # broken is broken anywhere


def test_make_serve_allows_loopback_without_login_and_anything_with_login(tmp_path, monkeypatch):
    from .test_auth import COMPLETE

    assert _stack_with_secrets(tmp_path, monkeypatch, None, "127.0.0.1").refusal() is None
    assert _stack_with_secrets(tmp_path, monkeypatch, COMPLETE, "0.0.0.0").refusal() is None


def test_nginx_sets_the_browsers_address_itself(tmp_path):
    """X-Real-IP / X-Forwarded-For come from nginx only: a browser's own header is replaced, and
    the app processes learn where nginx listens (their own address is always 127.0.0.1)."""
    text = serve.Stack(tmp_path, address="0.0.0.0").nginx_conf()
    assert "proxy_set_header X-Real-IP $remote_addr;" in text
    assert "proxy_set_header X-Forwarded-For $remote_addr;" in text and "$proxy_add_x_forwarded_for" not in text
    source = (serve.ROOT / "deploy" / "serve.py").read_text(encoding="utf-8")
    assert '"KAMPANJ_PUBLIC_ADDRESS": self.address' in source


def test_the_server_process_refuses_to_start_in_local_mode_behind_an_open_proxy(tmp_path):
    """server.py fails closed before its port opens: here the process itself listens on 127.0.0.1
    (nothing is exposed even if the check failed), but says its proxy listens on 0.0.0.0."""
    port = serve_port()
    env = {**os.environ, "KAMPANJ_DATA_DIR": str(tmp_path), "KAMPANJ_PUBLIC_ADDRESS": "0.0.0.0",
           "STREAMLIT_BROWSER_GATHER_USAGE_STATS": "false"}
    done = subprocess.run([sys.executable, "-m", "streamlit", "run", "server.py", "--server.port", str(port),
                           "--server.address", "127.0.0.1", "--server.headless", "true",
                           "--secrets.files", str(tmp_path / "none.toml")],
                          cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode != 0 and "refusing to serve on 0.0.0.0 without login" in done.stdout + done.stderr


def test_the_serving_rule_in_one_place():
    from campaigns.login_setup import LoginSetup, serving_refusal

    local, login, broken = LoginSetup("local"), LoginSetup("login"), LoginSetup("broken")
    assert serving_refusal(local, ["127.0.0.1", "::1", "localhost"]) is None
    assert all(serving_refusal(local, ["127.0.0.1", a]) for a in ("0.0.0.0", "::", "10.1.2.3", None, ""))
    assert serving_refusal(login, ["0.0.0.0"]) is None
    assert serving_refusal(broken, ["127.0.0.1"])
