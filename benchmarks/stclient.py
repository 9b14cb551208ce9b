"""A browser-less Streamlit client for load tests: it speaks Streamlit 1.67's websocket protocol
(``BackMsg`` out, ``ForwardMsg`` in, over ``/_stcore/stream``) the way the frontend does.

What it copies from the frontend (read from the 1.67 bundle, ``static/js/index.*.js``):
- Before the websocket it loads the page and ``/_stcore/health`` with a cookie jar, like a
  browser: that gets the XSRF cookie (sent back as the second websocket subprotocol) and,
  behind ``./run serve``, HAProxy's ``SERVERID`` cookie that pins the session to one replica.
- The first ``rerun_script`` carries the query string; later ones carry the query string the
  server last set (``page_info_changed``) and the page's script hash (``new_session``).
- A button press is a ``rerun_script`` whose widget states hold ``trigger_value=True`` for
  the button's widget id (found in the deltas, ``$$ID-<hash>-<key>``), with the fragment id of
  the button's fragment, if any.
- ``auto_rerun`` (a fragment with ``run_every``): a plain ``setInterval(interval)`` that sends
  ``rerun_script(fragment_id, is_auto_rerun=True)``, whether or not the last run finished (the
  server folds pending fragment reruns into one). A second ``auto_rerun`` with the same interval
  for the same fragment changes nothing; a new interval replaces the timer; ``stop_auto_rerun``
  and every full-app run (a ``new_session`` without fragment ids) clear timers.
- The live page's pull clock (``playground/twod/ticker.py``, a custom component): when a run
  mounts it with ``{"delay", "seq", "watchdog"}``, its timers are replaced by a rerun of its
  fragment ``delay`` ms later (and a watchdog one ``watchdog`` ms after that), each sending the
  component's trigger aggregator widget (``$$STREAMLIT_INTERNAL_KEY_<id>__events``) a
  ``json_trigger_value`` of ``[{"event": "tick", "value": seq}]``, as its JavaScript does.
- The ForwardMsg cache: cacheable messages are kept by hash and their hashes sent with each
  rerun; ``ref_hash`` messages are resolved from it; entries expire after
  ``maxCachedMessageAge`` script runs, as in the frontend.
What it does not copy: it sends only trigger values, not every widget's current value (the
server keeps the values it has), and it draws nothing.

It watches the page for the load benchmark: the live frame (an ``st.html`` block with
``data-testid="pg-metric-value"`` metrics, the first one "Epoch"), errors (exception elements,
"could not be drawn", a dropped connection) and "busy"/"queue" messages (info or warning
alerts, or the frame's HTML).
"""

from __future__ import annotations

import asyncio
import contextlib
import http.cookiejar
import json
import re
import time
import urllib.parse
import urllib.request
from dataclasses import dataclass, field

import websockets
from streamlit.proto.Alert_pb2 import Alert
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

FRAME_MARK = 'data-testid="pg-metric-value"'
TICKER = "pg_ticker"  # the live page's pull clock (a custom component; see Session._pull)
METRIC_VALUE = re.compile(r'data-testid="pg-metric-value"[^>]*>([^<]*)<')
VIEW_FAILED = "could not be drawn"
BUSY = re.compile(r"\b(busy|queue[ds]?)\b", re.IGNORECASE)
XSRF_COOKIE = "_streamlit_xsrf"


@dataclass
class Frame:
    """One live frame that arrived: when, and the epoch it shows (None if unreadable)."""

    t: float
    epoch: int | None


@dataclass
class SessionLog:
    """What one session saw. Times are ``time.monotonic()``."""

    name: str
    frames: list[Frame] = field(default_factory=list)  # live frames whose HTML changed
    fragment_run_times: list[float] = field(default_factory=list)  # finished runs of the live frame's fragment
    errors: list[str] = field(default_factory=list)
    busy: list[tuple[float, str]] = field(default_factory=list)  # (time, text) of busy/queue messages
    cookies: dict[str, str] = field(default_factory=dict)
    session_id: str = ""
    played_at: float | None = None

    def window(self, start: float, end: float) -> tuple[float, float | None]:
        """(refreshes/s, epochs/s) between ``start`` and ``end``: frames that arrived in it, and the
        epoch shown at ``end`` minus the one shown at ``start`` (None without a frame before
        ``start`` and one in the window)."""
        inside = [f for f in self.frames if start <= f.t < end]
        before = [f.epoch for f in self.frames if f.t < start and f.epoch is not None]
        last = [f.epoch for f in inside if f.epoch is not None]
        span = end - start
        epochs = (last[-1] - before[-1]) / span if before and last else None
        return len(inside) / span, epochs

    def first_frame(self) -> float | None:
        """Seconds from pressing Play to the first live frame (None: none yet)."""
        if self.played_at is None:
            return None
        return next((f.t - self.played_at for f in self.frames if f.t >= self.played_at), None)

    def busy_in(self, start: float, end: float) -> bool:
        return any(start <= t < end for t, _ in self.busy)


class Session:
    """One browser tab's worth of protocol. ``await connect()``, then ``run()`` as a task;
    ``press(key)`` clicks the button with that key; ``close()`` ends it."""

    def __init__(self, base_url: str, query: str = "", name: str = "session", polite: bool = False) -> None:
        parts = urllib.parse.urlsplit(base_url)
        self.origin = f"{parts.scheme}://{parts.netloc}"
        self.path = parts.path.strip("/")  # "" for the root page, "digits" for /digits
        self.query = query
        self.log = SessionLog(name)
        self._ws = None
        self._page_hash = ""
        self._widgets: dict[str, tuple[str, str]] = {}  # user key -> (widget id, fragment id)
        self._timers: dict[str, tuple[float, asyncio.Task]] = {}
        self._cache: dict[str, list] = {}  # hash -> [encoded msg, run count, fragment id]
        self._runs = 0
        self._max_age = 2
        self._last_frame_body: dict[tuple, str] = {}
        self._frame_fragment = ""  # the fragment that draws the live frame
        self._closing = False
        self._paused_until = 0.0
        # polite: unlike the 1.67 frontend, a timer skips its turn while the fragment's last run is
        # unfinished (what a "next tick after the last one arrived" scheduler would do)
        self._polite = polite
        self._in_flight: dict[str, float] = {}  # fragment id -> when its timer rerun was sent

    # ---- connecting -----------------------------------------------------------------------
    async def connect(self) -> None:
        """Load the page and the health check (cookies), open the websocket, ask for the page."""
        self.log.cookies = await asyncio.to_thread(self._http_cookies)
        ws_url = self.origin.replace("http", "ws", 1) + "/_stcore/stream"
        cookie = "; ".join(f"{k}={v}" for k, v in self.log.cookies.items())
        self._ws = await websockets.connect(
            ws_url, subprotocols=["streamlit", self.log.cookies.get(XSRF_COOKIE, "")],
            additional_headers={"Cookie": cookie} if cookie else None, origin=self.origin,
            max_size=None, compression=None, open_timeout=30)
        await self._rerun(page_name=self.path)

    def _http_cookies(self) -> dict[str, str]:
        jar = http.cookiejar.CookieJar()
        opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
        page = f"{self.origin}/{self.path}" + (f"?{self.query}" if self.query else "")
        for url in (page, f"{self.origin}/_stcore/health"):
            with opener.open(url, timeout=30) as resp:
                resp.read()
        return {c.name: c.value for c in jar}

    # ---- talking --------------------------------------------------------------------------
    async def _rerun(self, fragment_id: str = "", auto: bool = False, triggers: tuple[str, ...] = (),
                     page_name: str = "", json_triggers: dict[str, str] | None = None) -> None:
        msg = BackMsg()
        rs = msg.rerun_script
        rs.query_string = self.query
        rs.page_script_hash = self._page_hash
        rs.page_name = page_name
        rs.fragment_id = fragment_id
        rs.is_auto_rerun = auto
        rs.cached_message_hashes.extend(self._cache)
        for widget_id in triggers:
            rs.widget_states.widgets.add(id=widget_id, trigger_value=True)
        for widget_id, value in (json_triggers or {}).items():
            rs.widget_states.widgets.add(id=widget_id, json_trigger_value=value)
        ci = rs.context_info
        ci.timezone, ci.timezone_offset, ci.locale = "UTC", 0, "en-US"
        ci.url = f"{self.origin}/{self.path}" + (f"?{self.query}" if self.query else "")
        with contextlib.suppress(websockets.ConnectionClosed):
            await self._ws.send(msg.SerializeToString())

    async def press(self, key: str, timeout: float = 30.0) -> None:
        """Click the button whose ``key`` is ``key`` (waits until the page has drawn it)."""
        deadline = time.monotonic() + timeout
        while key not in self._widgets:
            if time.monotonic() > deadline:
                raise TimeoutError(f"{self.log.name}: no widget with key {key!r} within {timeout} s")
            await asyncio.sleep(0.05)
        widget_id, fragment_id = self._widgets[key]
        await self._rerun(fragment_id=fragment_id, triggers=(widget_id,))

    def stall(self, seconds: float) -> None:
        """Stop answering the fragment timers for ``seconds``, as a hidden or frozen tab does."""
        self._paused_until = time.monotonic() + seconds

    async def run(self) -> None:
        """Read ForwardMsgs until closed; a connection the server drops is an error."""
        try:
            async for data in self._ws:
                self._handle(data)
        except websockets.ConnectionClosed as err:
            if not self._closing:
                self.log.errors.append(f"disconnected: {err}")
        else:
            if not self._closing:
                self.log.errors.append("disconnected by the server")
        finally:
            self._stop_timers()

    async def close(self) -> None:
        self._closing = True
        self._stop_timers()
        if self._ws is not None:
            with contextlib.suppress(Exception):
                await asyncio.wait_for(self._ws.close(), 10)

    # ---- fragment timers ------------------------------------------------------------------
    def _set_timer(self, fragment_id: str, interval: float) -> None:
        old = self._timers.get(fragment_id)
        if old is not None and old[0] == interval:
            return
        if old is not None:
            old[1].cancel()
        self._timers[fragment_id] = (interval, asyncio.create_task(self._tick(fragment_id, interval)))

    async def _tick(self, fragment_id: str, interval: float) -> None:
        """setInterval: a rerun every ``interval`` s, not waiting for the previous one."""
        due = time.monotonic()
        while True:
            due += interval
            await asyncio.sleep(max(0.0, due - time.monotonic()))
            due = max(due, time.monotonic() - interval)  # late timers do not catch up in bursts
            if time.monotonic() < self._paused_until:
                continue
            if self._polite and time.monotonic() - self._in_flight.get(fragment_id, -1e9) < 30:
                continue
            self._in_flight[fragment_id] = time.monotonic()
            await self._rerun(fragment_id=fragment_id, auto=True)

    def _pull(self, component_id: str, fragment_id: str, payload: str) -> None:
        """The page's pull clock (``playground/twod/ticker.py``), as its JavaScript does: when a
        run mounts it, replace its timers with a rerun of its fragment after ``delay`` ms and a
        watchdog ``watchdog`` ms later, each sending the ``tick`` trigger with ``seq``."""
        data = json.loads(payload or "{}")
        trigger_id = f"$$STREAMLIT_INTERNAL_KEY_{component_id}__events"
        value = json.dumps([{"event": "tick", "value": data.get("seq")}])
        self._stop_timers([component_id])
        delays = (data.get("delay", 0) / 1000, (data.get("delay", 0) + data.get("watchdog", 3000)) / 1000)
        task = asyncio.ensure_future(self._pull_after(delays, fragment_id, {trigger_id: value}))
        self._timers[component_id] = (delays[0], task)

    async def _pull_after(self, delays: tuple[float, ...], fragment_id: str, triggers: dict[str, str]) -> None:
        start = time.monotonic()
        for delay in delays:
            await asyncio.sleep(max(0.0, start + delay - time.monotonic()))
            while time.monotonic() < self._paused_until:  # a frozen tab runs no timers; they fire when it is back
                await asyncio.sleep(self._paused_until - time.monotonic())
            await self._rerun(fragment_id=fragment_id, json_triggers=triggers)

    def _stop_timers(self, fragment_ids=None) -> None:
        for fid in list(self._timers if fragment_ids is None else fragment_ids):
            entry = self._timers.pop(fid, None)
            if entry is not None:
                entry[1].cancel()

    # ---- reading --------------------------------------------------------------------------
    def _handle(self, data: bytes) -> None:
        msg = ForwardMsg()
        msg.ParseFromString(data)
        kind = msg.WhichOneof("type")
        if kind == "ref_hash":
            cached = self._cache.get(msg.ref_hash)
            if cached is None:
                self.log.errors.append(f"ForwardMsg cache miss {msg.ref_hash}")
                return
            cached[1] = self._runs
            full = ForwardMsg()
            full.ParseFromString(cached[0])
            full.metadata.CopyFrom(msg.metadata)
            msg, kind = full, full.WhichOneof("type")
        elif msg.metadata.cacheable and msg.hash:
            if msg.hash in self._cache:
                self._cache[msg.hash][1] = self._runs
            else:
                fragment = msg.delta.fragment_id if kind == "delta" else ""
                self._cache[msg.hash] = [data, self._runs, fragment]
        if kind == "new_session":
            self._page_hash = msg.new_session.page_script_hash
            if msg.new_session.initialize.session_id:
                self.log.session_id = msg.new_session.initialize.session_id
            self._max_age = msg.new_session.config.max_cached_message_age or 2
            if not msg.metadata.run.fragment_ids:
                self._stop_timers()  # a full-app run: the frontend clears every auto-rerun timer
        elif kind == "page_info_changed":
            self.query = msg.page_info_changed.query_string
        elif kind == "auto_rerun":
            if msg.auto_rerun.fragment_id:
                self._set_timer(msg.auto_rerun.fragment_id, msg.auto_rerun.interval)
        elif kind == "stop_auto_rerun":
            self._stop_timers(msg.stop_auto_rerun.fragment_ids)
        elif kind == "delta":
            self._delta(msg)
        elif kind == "script_finished":
            fragments = list(msg.metadata.run.fragment_ids)
            for fragment in fragments:
                self._in_flight.pop(fragment, None)
            live = self._frame_fragment or self._first_fragment(fragments)
            if live and live in fragments:  # the live frame's fragment (or, before its first frame, the fastest timer's)
                self.log.fragment_run_times.append(time.monotonic())
            if msg.script_finished == ForwardMsg.FINISHED_WITH_COMPILE_ERROR:
                self.log.errors.append("script compile error")
            if msg.script_finished != ForwardMsg.FINISHED_EARLY_FOR_RERUN:
                self._expire_cache(fragments)
        elif kind == "page_not_found":
            self.log.errors.append(f"page not found: {msg.page_not_found.page_name}")

    def _first_fragment(self, fragments: list[str]) -> str:
        """Before the first live frame: the first fragment that ran (the live view's)."""
        if fragments and not self._frame_fragment:
            self._frame_fragment = fragments[0]
        return self._frame_fragment

    def _expire_cache(self, fragments: list[str]) -> None:
        """The frontend's ``incrementRunCount``: after a fragment run only that fragment's
        messages age."""
        self._runs += 1
        for key, (_, runs, fragment) in list(self._cache.items()):
            if fragments and (not fragment or fragment not in fragments):
                continue
            if self._runs - runs > self._max_age:
                del self._cache[key]

    def _delta(self, msg: ForwardMsg) -> None:
        delta = msg.delta
        if delta.WhichOneof("type") != "new_element":
            return
        element = delta.new_element
        kind = element.WhichOneof("type")
        now = time.monotonic()
        text = ""
        if kind == "button":
            key = element.button.id.rsplit("-", 1)[-1]
            self._widgets[key] = (element.button.id, delta.fragment_id)
        elif kind == "exception":
            self.log.errors.append(f"exception: {element.exception.type}: {element.exception.message[:200]}")
        elif kind == "alert":
            text = element.alert.body
            if element.alert.format in (Alert.INFO, Alert.WARNING) and BUSY.search(text):
                self.log.busy.append((now, text[:200]))
        elif kind == "markdown":
            text = element.markdown.body
        elif kind == "bidi_component" and element.bidi_component.component_name == TICKER:
            self._pull(element.bidi_component.id, delta.fragment_id, element.bidi_component.json)
        elif kind == "html":
            text = element.html.body
            if FRAME_MARK in text:
                self._frame_fragment = delta.fragment_id or self._frame_fragment
                self._frame(tuple(msg.metadata.delta_path), text, now)
        if VIEW_FAILED in text:
            self.log.errors.append(f"{kind}: {text[:200]}")

    def _frame(self, path: tuple, body: str, now: float) -> None:
        if self._last_frame_body.get(path) == body:
            return  # the same frame again: the tick found nothing newer
        self._last_frame_body[path] = body
        values = METRIC_VALUE.findall(body)
        try:
            epoch = int(values[0].strip().replace(",", "")) if values else None
        except ValueError:
            epoch = None
        self.log.frames.append(Frame(now, epoch))
        # Busy text inside the frame itself (without the images' base64, which could match by chance).
        visible = re.sub(r'src="data:[^"]*"', "", body)
        if BUSY.search(re.sub(r"<[^>]+>", " ", visible)):
            self.log.busy.append((now, "frame html"))


async def open_playing(base_url: str, query: str, n: int, connect_gap: float = 0.05, press_timeout: float = 60.0,
                       polite: bool = False) -> list[tuple[Session, asyncio.Task]]:
    """``n`` sessions that open ``base_url?query`` and press Play (key ``pg_play``), a little
    apart as a class arriving would be (``polite``: see ``Session``). Returns (session, its reader task). A session that
    cannot connect or finds no Play button within ``press_timeout`` s keeps the reason in its
    log's errors (and shows no frames)."""
    out = []
    for i in range(n):
        session = Session(base_url, query, name=f"s{i + 1}", polite=polite)
        try:
            await session.connect()
        except (OSError, websockets.InvalidHandshake, TimeoutError) as err:
            session.log.errors.append(f"could not connect: {err}")
            out.append((session, asyncio.create_task(asyncio.sleep(0))))
            continue
        out.append((session, asyncio.create_task(session.run())))
        await asyncio.sleep(connect_gap)

    async def play(session: Session) -> None:
        if session._ws is None:
            return
        try:
            await session.press("pg_play", timeout=press_timeout)
            session.log.played_at = time.monotonic()
        except TimeoutError as err:
            session.log.errors.append(str(err))

    await asyncio.gather(*(play(s) for s, _ in out))
    return out


async def close_all(sessions: list[tuple[Session, asyncio.Task]]) -> None:
    for session, task in sessions:
        await session.close()
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError, Exception):
            await task
