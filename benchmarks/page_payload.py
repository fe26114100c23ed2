"""Benchmark: how many bytes the server sends for one view of a page (default: Kalender).

    python benchmarks/page_payload.py [--pages kalender start ...] [--port 8765]

Starts the app with `streamlit run` on a free local port, opens each page in Debian's Chromium
(Playwright) after a first warm-up visit, and sums what the server sends until the page is ready:
websocket frames, and the large messages Streamlit sends by reference (fetched from
/_stcore/message). Prints kB per page view. Needs Chromium (apt-get install chromium).
"""

from __future__ import annotations

import argparse
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--no-first-run"]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait(url: str) -> None:
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2):
                return
        except OSError:
            time.sleep(0.5)
    raise SystemExit("the server did not start")


def _view(page, url: str) -> int:  # noqa: ANN001 - a Playwright page
    """Bytes the server sends over the websocket for one view of `url`, until it has been quiet for 3 s."""
    received: list[int] = []
    last = [time.monotonic()]

    def on_ws(ws) -> None:  # noqa: ANN001
        def frame(payload) -> None:  # noqa: ANN001
            received.append(len(payload))
            last[0] = time.monotonic()
        ws.on("framereceived", frame)

    def on_response(response) -> None:  # noqa: ANN001 - large messages come over HTTP by reference
        if "/_stcore/message" in response.url:
            received.append(len(response.body()))
            last[0] = time.monotonic()

    page.on("websocket", on_ws)
    page.on("response", on_response)
    page.goto(url)
    page.wait_for_selector("h1", timeout=120_000)
    while time.monotonic() - last[0] < 3:
        page.wait_for_timeout(250)
    page.remove_listener("websocket", on_ws)
    page.remove_listener("response", on_response)
    return sum(received)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--pages", nargs="*", default=["kalender"])
    parser.add_argument("--port", type=int, default=0)
    args = parser.parse_args()
    port = args.port or _free_port()
    url = f"http://127.0.0.1:{port}"
    with tempfile.TemporaryDirectory() as data:
        env = {**os.environ, "KAMPANJ_DATA_DIR": data, "STREAMLIT_BROWSER_GATHER_USAGE_STATS": "false"}
        server = subprocess.Popen([sys.executable, "-m", "streamlit", "run", "app.py", "--server.port", str(port),
                                   "--server.headless", "true", "--server.address", "127.0.0.1"], cwd=ROOT, env=env,
                                  stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            _wait(url)
            from playwright.sync_api import sync_playwright

            with sync_playwright() as p:
                browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
                page = browser.new_page(viewport={"width": 1400, "height": 1000})
                for name in args.pages:
                    _view(page, f"{url}/{name}")  # warm-up: fits and plans are cached after this
                    size = _view(page, f"{url}/{name}")
                    print(f"{name}: {size / 1000:.1f} kB per view")
                browser.close()
        finally:
            server.terminate()
            server.wait(timeout=10)


if __name__ == "__main__":
    main()
