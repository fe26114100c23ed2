"""A thin Streamlit client: one websocket session that asks for pages like a browser tab does.

It speaks Streamlit's protocol (protobuf `BackMsg` up, `ForwardMsg` down) and renders nothing,
so many of them fit in one process. `benchmarks/load.py` runs dozens at once; `server.py` uses
one to visit every page of a fresh server process so that the first officer finds it warm.
A page is *ready* when the server has sent all of it and says the script finished.
"""

from __future__ import annotations

import asyncio
import random
import time
from dataclasses import dataclass, field

import websockets
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

__all__ = ["EVERY_PAGE", "PAGE_TIMEOUT", "ROUTE_COOKIE", "TOUR", "Officer", "PageFailed", "Sample", "Widget",
           "visit_all_pages"]

ROUTE_COOKIE = "kampanj_route"  # the proxy's sticky-session cookie (deploy/nginx.conf.template)
TOUR = ("", "segment", "kanaler", "kalender", "budskap", "export")  # "" is the default page (Start)
# Every page of app.py's navigation: what server.py visits at start, so no first visit waits.
EVERY_PAGE = ("", "data", "segment", "kanaler", "kalender", "budskap", "utvardering", "samarbete", "export")
FINISHED = ForwardMsg.ScriptFinishedStatus
PAGE_TIMEOUT = 60.0  # seconds one page may take before it counts as failed


class PageFailed(ConnectionError):
    """A page did not become ready (its sample is already recorded)."""


@dataclass
class Sample:
    label: str
    seconds: float
    nbytes: int
    ok: bool
    error: str = ""


@dataclass
class Widget:
    kind: str
    id: str
    form_id: str
    proto: object


@dataclass
class Officer:
    """One simulated user: one websocket session, like one browser tab."""

    url: str
    samples: list[Sample]
    widgets: dict[str, Widget] = field(default_factory=dict)
    states: dict[str, object] = field(default_factory=dict)
    page: str = ""
    ws: object = None

    async def connect(self) -> None:
        ws_url = self.url.replace("http://", "ws://").rstrip("/") + "/_stcore/stream"
        # Keep the proxy's routing cookie like a browser would (the first HTTP response sets it).
        self.ws = await asyncio.wait_for(websockets.connect(
            ws_url, subprotocols=["streamlit"], max_size=None, open_timeout=PAGE_TIMEOUT,
            additional_headers=self._cookie_header(), ping_interval=None), PAGE_TIMEOUT)

    def _cookie_header(self) -> dict[str, str]:
        return {"Cookie": f"{ROUTE_COOKIE}={random.getrandbits(64):016x}"}

    async def close(self) -> None:
        if self.ws is not None:
            await self.ws.close()

    async def view(self, page: str, label: str | None = None, changes: dict[str, object] | None = None) -> None:
        """Ask for a page (with widget changes) and wait until the server has sent all of it."""
        self.page = page
        msg = BackMsg()
        cs = msg.rerun_script
        cs.page_name = page
        cs.context_info.timezone = "Europe/Stockholm"
        cs.context_info.locale = "sv-SE"
        cs.context_info.url = self.url + "/" + page
        for wid, value in {**self.states, **(changes or {})}.items():
            _set_state(cs.widget_states.widgets.add(), wid, value)
        t0 = time.perf_counter()
        nbytes, error = 0, ""
        try:
            await self.ws.send(msg.SerializeToString())
            nbytes, error = await asyncio.wait_for(self._until_finished(), PAGE_TIMEOUT)
        except TimeoutError:
            error = "timeout"
        except websockets.ConnectionClosed:
            error = "connection closed"
        self.samples.append(Sample(label or page or "start", time.perf_counter() - t0, nbytes, not error, error))
        if error:
            raise PageFailed(error)

    async def _until_finished(self) -> tuple[int, str]:
        nbytes, error = 0, ""
        self.widgets = {}
        while True:
            data = await self.ws.recv()
            nbytes += len(data)
            fm = ForwardMsg()
            fm.ParseFromString(data)
            kind = fm.WhichOneof("type")
            if kind == "delta" and fm.delta.WhichOneof("type") == "new_element":
                error = error or self._note_element(fm.delta.new_element)
            elif kind == "script_finished":
                if fm.script_finished in (FINISHED.FINISHED_SUCCESSFULLY, FINISHED.FINISHED_WITH_COMPILE_ERROR):
                    if fm.script_finished == FINISHED.FINISHED_WITH_COMPILE_ERROR:
                        error = "compile error"
                    return nbytes, error
            elif kind == "page_not_found":
                return nbytes, "page not found"

    def _note_element(self, element) -> str:
        kind = element.WhichOneof("type")
        if kind == "exception":
            return "exception: " + element.exception.type
        if kind == "alert" and element.alert.format == element.alert.ERROR:
            return "error shown: " + element.alert.body[:80]
        proto = getattr(element, kind)
        wid = getattr(proto, "id", "")
        if isinstance(wid, str) and wid.startswith("$$ID"):
            self.widgets[wid] = Widget(kind, wid, getattr(proto, "form_id", ""), proto)
        return ""

    def find(self, key_part: str, kinds: tuple[str, ...]) -> Widget | None:
        """A widget on the current page whose user key contains `key_part`."""
        for w in self.widgets.values():
            if w.kind in kinds and key_part in w.id.split("-", 2)[-1]:
                return w
        return None

    async def change_budget(self, value: int) -> None:
        """Type a new budget on Kanaler and apply it, whatever control the page uses for it
        (a typed text or number with Enter, a number in a form with its submit button, a slider)."""
        kinds = ("text_input", "number_input", "slider")
        if self.page != "kanaler" or self.find("budget", kinds) is None:
            await self.view("kanaler")
        field_ = self.find("budget", kinds)
        if field_ is None:
            raise ConnectionError("no budget field on Kanaler")
        changes: dict[str, object] = {field_.id: _typed(field_, value)}
        apply = next((w for w in self.widgets.values() if w.kind == "button" and (
            (field_.form_id and w.form_id == field_.form_id and w.proto.is_form_submitter)
            or "budget" in w.id.split("-", 2)[-1])), None)
        if apply is not None:
            changes[apply.id] = ("trigger", True)
        self.states[field_.id] = changes[field_.id]
        await self.view("kanaler", "budget change", changes)


def _typed(widget: Widget, value: int) -> tuple[str, object]:
    if widget.kind == "slider":
        return ("slider", value)
    if widget.kind == "text_input":
        return ("text", str(value))
    return ("int" if widget.proto.data_type == widget.proto.INT else "float", value)


def _set_state(ws, wid: str, value: object) -> None:
    ws.id = wid
    kind, v = value  # type: ignore[misc]
    if kind == "trigger":
        ws.trigger_value = bool(v)
    elif kind == "int":
        ws.int_value = int(v)
    elif kind == "float":
        ws.double_value = float(v)
    elif kind == "text":
        ws.string_value = str(v)
    elif kind == "slider":
        ws.double_array_value.data.append(float(v))


async def visit_all_pages(url: str, pages: tuple[str, ...] = TOUR) -> list[Sample]:
    """Open every page once in one session; the samples say how long each took and what failed."""
    samples: list[Sample] = []
    officer = Officer(url, samples)
    try:
        await officer.connect()
        for page in pages:
            await officer.view(page)
    except PageFailed:
        pass
    except (ConnectionError, OSError, TimeoutError, websockets.WebSocketException) as exc:
        samples.append(Sample("connect", 0, 0, False, str(exc)[:80]))
    finally:
        await officer.close()
    return samples
