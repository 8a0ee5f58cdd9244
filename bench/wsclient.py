"""A minimal client for Streamlit's websocket protocol (what the browser's JS does, minus the drawing).

One ``Session`` = one browser tab: it connects to ``/_stcore/stream``, asks for a page (a ``rerun_script``
BackMsg naming the page's URL path, as the frontend does on load), and collects every ForwardMsg until the
server says the script finished. Used to record pages, to time script runs on a real server, and to put many
sessions on a server at once. Loopback only.
"""
from __future__ import annotations

import socket
import time
from dataclasses import dataclass, field
from urllib.parse import urlsplit

import websocket
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

FINISHED_OK, COMPILE_ERROR, EARLY_FOR_RERUN, FRAGMENT_OK = 0, 1, 2, 3  # ScriptFinishedStatus


@dataclass
class Run:
    """What one page run sent: every message, bytes on the wire, and when it finished."""
    messages: list[ForwardMsg] = field(default_factory=list)
    wire_bytes: int = 0
    seconds: float = float("nan")       # request sent → script_finished received
    finished: int | None = None         # ScriptFinishedStatus, None if it never came
    exceptions: int = 0                 # exception elements in the page (a page that raised)

    def elements(self, kind: str) -> list:
        """The elements of one type (e.g. "text_input", "dataframe") this run sent."""
        return [getattr(m.delta.new_element, kind) for m in self.messages
                if m.WhichOneof("type") == "delta" and m.delta.WhichOneof("type") == "new_element"
                and m.delta.new_element.WhichOneof("type") == kind]

    @property
    def ok(self) -> bool:
        return self.finished == FINISHED_OK and self.exceptions == 0


class Session:
    def __init__(self, base_url: str, timeout: float = 120.0, cookie: str | None = None, source: str | None = None):
        self.base_url = base_url.rstrip("/")
        self.timeout = timeout
        ws_url = self.base_url.replace("http://", "ws://") + "/_stcore/stream"
        # ``source``: the client's own loopback address (any of 127.0.0.0/8), so that many sessions look like many
        # readers to a proxy that limits connections per address (deploy/nginx.conf's limit_conn).
        sock = None
        if source:
            target = urlsplit(self.base_url)
            sock = socket.create_connection((target.hostname, target.port), timeout, source_address=(source, 0))
        # ``cookie``: what a browser would send, e.g. the proxy's route cookie (deploy/nginx.conf).
        self.ws = websocket.create_connection(ws_url, timeout=timeout, subprotocols=["streamlit"],
                                              origin=self.base_url, enable_multithread=True, cookie=cookie,
                                              socket=sock)

    def close(self) -> None:
        try:
            self.ws.close()
        except Exception:  # already gone: nothing to release
            pass

    def __enter__(self) -> Session:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def run(self, page: str, query: str = "", keep: bool = True, widgets: dict[str, str] | None = None) -> Run:
        """Open ``page`` (its URL path, "" for the default page; "path?query" carries its query) and wait for the
        script to finish.

        ``widgets`` (widget id → text) sends text-input values, as the browser does after typing."""
        page, _, in_path = page.partition("?")
        query = query or in_path
        msg = BackMsg()
        state = msg.rerun_script
        state.query_string = query
        state.page_name = page
        for widget_id, value in (widgets or {}).items():
            widget = state.widget_states.widgets.add()
            widget.id = widget_id
            widget.string_value = value
        state.context_info.timezone = "UTC"
        state.context_info.locale = "zh-CN"
        state.context_info.url = f"{self.base_url}/{page}" + (f"?{query}" if query else "")
        run = Run()
        deadline = time.monotonic() + self.timeout
        start = time.perf_counter()
        self.ws.send_binary(msg.SerializeToString())
        while time.monotonic() < deadline:
            data = self.ws.recv()
            if isinstance(data, str):
                continue
            run.wire_bytes += len(data)
            fwd = ForwardMsg.FromString(data)
            kind = fwd.WhichOneof("type")
            if kind == "delta" and fwd.delta.WhichOneof("type") == "new_element" \
                    and fwd.delta.new_element.WhichOneof("type") == "exception":
                run.exceptions += 1
            if keep:
                run.messages.append(fwd)
            if kind == "script_finished":
                # A rerun requested by the script itself (st.rerun, e.g. ui/__init__.py) finishes with
                # FINISHED_EARLY_FOR_RERUN and is followed by the real run: keep waiting for that one.
                status = fwd.script_finished
                if status != EARLY_FOR_RERUN:
                    run.finished = status
                    run.seconds = time.perf_counter() - start
                    break
        return run
