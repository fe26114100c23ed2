"""The production entry point: the app of `app.py`, warmed up when the server process starts.

    streamlit run server.py        # what `make run` and `make serve` start
    streamlit run app.py           # the same app without the warm-up (AppTest and development)

Serving fails closed: without usable login, the process refuses to start (before its port opens)
when it, or the proxy in front of it, listens beyond loopback (docs/working-together.md).

Before the process accepts connections it imports the pages' modules and fits the bundled
sample citizens (app_pages/warmup.py, shared between processes through the cache directory).
Once the port is open, one thin client visits every page once (deploy/client.py), so this
process's own caches hold the sample region's plan, charts and drafts before the first officer
arrives. `st.App` with a lifespan is Streamlit's hook for work at server start. What is loaded
by then is frozen out of the garbage collector's full passes (`gc.freeze`).
"""

from __future__ import annotations

import asyncio
import contextlib
import gc
import logging
import os
from collections.abc import AsyncIterator
from pathlib import Path

import streamlit as st

LOG = logging.getLogger("kampanjplaneraren.warmup")


async def _visit_pages() -> None:
    from streamlit import config

    from deploy.client import visit_all_pages

    address = config.get_option("server.address") or "127.0.0.1"
    host = "127.0.0.1" if address in ("0.0.0.0", "::", "localhost") else address
    url = f"http://{host}:{config.get_option('server.port')}"
    try:
        for _ in range(60):  # the port opens right after the lifespan's start-up part
            await asyncio.sleep(0.5)
            samples = await visit_all_pages(url)
            if samples and samples[0].label != "connect":
                failed = [f"{s.label}: {s.error}" for s in samples if not s.ok]
                LOG.warning("visited %d pages in %.1f s%s", len(samples), sum(s.seconds for s in samples),
                            f"; failed: {failed}" if failed else "")
                _freeze()
                break
    finally:
        ready = os.environ.get("KAMPANJ_READY_FILE")  # deploy/serve.py waits for it
        if ready:
            Path(ready).write_text("warm\n", encoding="utf-8")


def _freeze() -> None:
    """Move everything loaded so far out of the collector's way: with the post-run collection off
    (.streamlit/config.toml), Python's own full collections then only walk what sessions made."""
    gc.collect()
    gc.freeze()


def _refusal() -> str | None:
    """Fail closed before the port opens: a login configuration the app would refuse, or local mode
    on an address (this server's, or the proxy's in front: KAMPANJ_PUBLIC_ADDRESS) beyond loopback."""
    from streamlit import config

    from campaigns.login_setup import read_login_setup, region_municipalities, serving_refusal

    setup = read_login_setup(list(config.get_option("secrets.files") or []),
                             region_municipalities(Path(__file__).resolve().parent / "data" / "regions"))
    return serving_refusal(setup, [config.get_option("server.address"),
                                   os.environ.get("KAMPANJ_PUBLIC_ADDRESS", "127.0.0.1")])


@contextlib.asynccontextmanager
async def lifespan(app: st.App) -> AsyncIterator[None]:
    refused = _refusal()
    if refused:
        LOG.error(refused)
        raise SystemExit(2)
    # Imported here, once the runtime exists, so the page caches attach to it.
    from app_pages.warmup import warm_up

    await asyncio.to_thread(warm_up)
    _freeze()
    visit = asyncio.create_task(_visit_pages())
    yield
    visit.cancel()


app = st.App("app.py", lifespan=lifespan)
