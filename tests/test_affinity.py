"""Several app processes behind deploy/nginx.conf: every request of a reader reaches the same process (a Streamlit
session lives in one), new readers spread over all of them, a forged route cookie is ignored, and when a process
dies its readers reconnect to a live one and see the same view again (the URL holds it), without error text.

Runs the very nginx site file (only its ports rewritten) in front of two hosted-mode app processes, as
tests/test_proxy.py does for one.
"""
from __future__ import annotations

import contextlib
import re
import secrets
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from bench.wsclient import Session
from deploy import hosted

from .e2e.browser import SCREENSHOTS, metrics, wait_ready
from .e2e.expected import footer_marker
from .support.server import free_port, serving
from .test_hosted import browser  # noqa: F401 (fixture)
from .test_proxy import fetch, nginx_or_skip, running_nginx

pytestmark = pytest.mark.proxy

ROUTE = re.compile(r"dashboard_route=([0-9a-f]{32});")
CASE_TITLE_EN = "Xiangtan, Hunan"   # the start of the case's English title (data/sources/cases/xiangtan.yaml)


@dataclass
class Pair:
    proxied: str
    apps: dict[str, object]     # "127.0.0.1:PORT" → its process
    log: Path                   # nginx's access log: uri|status|upstream(s)|route

    def upstreams(self, route: str) -> list[str]:
        """The processes nginx handed the requests of ``route`` to, in order (the last one that answered)."""
        rows = [line.split("|") for line in self.log.read_text(encoding="utf-8").splitlines()]
        # $upstream_addr lists every process tried ("A, B" when A failed): the last one answered.
        return [row[2].split(",")[-1].strip() for row in rows if len(row) == 4 and row[3] == route]

    def kill(self, upstream: str) -> None:
        process = self.apps.pop(upstream)
        process.kill()
        process.wait(timeout=10)


@contextlib.contextmanager
def two_processes(tmp: Path) -> Iterator[Pair]:
    nginx_or_skip()
    ports = [free_port(), free_port()]
    with contextlib.ExitStack() as stack:
        # Each process started as a host starts it (python -m deploy.hosted --server.port=PORT).
        apps = {f"127.0.0.1:{port}": stack.enter_context(serving(
                    hosted.command([f"--server.port={port}"]), f"http://127.0.0.1:{port}",
                    env=hosted.hosted_environment(), log=tmp / f"app{port}.log")) for port in ports}
        proxied = stack.enter_context(running_nginx(tmp / "nginx", [f"http://{a}" for a in apps]))
        yield Pair(proxied, apps, tmp / "nginx" / "access.log")


@pytest.fixture(scope="module")
def pair(tmp_path_factory) -> Iterator[Pair]:
    with two_processes(tmp_path_factory.mktemp("pair")) as running:
        yield running


def new_route(base: str) -> str:
    response = fetch(base, "/")
    assert response.status == 200
    found = ROUTE.search(response.headers.get("Set-Cookie", ""))
    assert found, response.headers.get("Set-Cookie")
    return found.group(1)


def test_a_new_reader_gets_a_route_cookie_once(pair):
    route = new_route(pair.proxied)
    again = fetch(pair.proxied, "/", {"Cookie": f"dashboard_route={route}"})
    assert again.status == 200 and "Set-Cookie" not in again.headers


def test_every_request_of_a_reader_reaches_one_process(pair):
    route = new_route(pair.proxied)
    cookie = f"dashboard_route={route}"
    for path in ["/", "/_stcore/health", "/_stcore/host-config", "/xiangtan?lang=en", "/data"] * 2:
        assert fetch(pair.proxied, path, {"Cookie": cookie}).status == 200
    with Session(pair.proxied, cookie=cookie) as session:
        assert session.run("xiangtan", "lang=en").ok
    time.sleep(0.2)   # nginx writes its access log line when a request ends
    served_by = pair.upstreams(route)
    assert len(served_by) >= 12 and len(set(served_by)) == 1, served_by


def test_new_readers_spread_over_both_processes(pair):
    routes = [new_route(pair.proxied) for _ in range(40)]
    time.sleep(0.2)
    used = {upstream for route in routes for upstream in pair.upstreams(route)}
    assert used == set(pair.apps), used   # 40 random routes all on one of two processes: chance 2^-39


@pytest.mark.parametrize("forged", ["../../etc/passwd", "0" * 31, "A" * 32, "f" * 5000, "1234abcd" * 4 + "x"])
def test_a_forged_route_cookie_is_replaced(pair, forged):
    response = fetch(pair.proxied, "/", {"Cookie": f"dashboard_route={forged}"})
    assert response.status == 200
    found = ROUTE.search(response.headers.get("Set-Cookie", ""))
    assert found and found.group(1) != forged


def test_a_killed_process_s_readers_run_their_page_on_the_other(tmp_path):
    with two_processes(tmp_path) as running:
        route = new_route(running.proxied)
        cookie = f"dashboard_route={route}"
        with Session(running.proxied, cookie=cookie) as session:
            assert session.run("xiangtan", "lang=en").ok
        time.sleep(0.2)
        first = running.upstreams(route)[-1]
        running.kill(first)
        with Session(running.proxied, cookie=cookie) as session:
            run = session.run("xiangtan", "lang=en")
        assert run.ok and run.exceptions == 0
        time.sleep(0.2)
        assert running.upstreams(route)[-1] == next(iter(running.apps))   # the live one
        assert fetch(running.proxied, "/", {"Cookie": cookie}).status == 200


VISIBLE_TEXT = "document.body.innerText"
XIANGTAN_CHARTS = 4   # tests/e2e/expected.py's PageSpec for /xiangtan
ERROR_TEXTS = ("Connection error", "Traceback", "Error", "错误", "Bad message format", "Page not found")


@contextlib.contextmanager
def other_readers(base: str, n: int = 6) -> Iterator[None]:
    """Load while the process dies: ``n`` readers (each its own route) rerunning pages over the WebSocket. What
    happens to them is bench/processes.py's business (and the test above's); here they only keep the processes busy."""
    stop = threading.Event()

    def read(i: int) -> None:
        while not stop.is_set():
            with contextlib.suppress(Exception):   # a reader of the killed process drops; it simply starts again
                with Session(base, timeout=30, cookie=f"dashboard_route={secrets.token_hex(16)}") as session:
                    while not stop.is_set():
                        session.run(["", "xiangtan", "data"][i % 3], "lang=en", keep=False)

    threads = [threading.Thread(target=read, args=(i,), daemon=True) for i in range(n)]
    for thread in threads:
        thread.start()
    try:
        yield
    finally:
        stop.set()
        for thread in threads:
            thread.join(timeout=60)


# Every connection state the page goes through (Streamlit's stApp element carries it), in order.
CONNECTION_WATCH = """
window.__connection = [];
new MutationObserver(() => {
  const state = document.querySelector('[data-testid="stApp"]')?.getAttribute('data-test-connection-state');
  if (state && window.__connection[window.__connection.length - 1] !== state) window.__connection.push(state);
}).observe(document, {subtree: true, attributes: true, childList: true});
"""
RECONNECTED = """() => { const s = window.__connection; const lost = s.findIndex(x => x !== 'CONNECTED');
                       return lost >= 0 && s[s.length - 1] === 'CONNECTED'; }"""


def reconnect_after_kill(chromium, running: Pair) -> dict:
    """Open a case page through nginx; under load, kill the process serving it. Read the page once Streamlit's
    frontend has reconnected (through nginx, to the live process), then again after the reader reloads it."""
    context = chromium.new_context()
    page = context.new_page()
    page.add_init_script(CONNECTION_WATCH)
    footer = footer_marker(None, "en")
    try:
        page.goto(running.proxied + "/xiangtan?lang=en")
        wait_ready(page, footer, XIANGTAN_CHARTS)
        before = {"metrics": metrics(page), "url": page.url}
        route = next(c["value"] for c in context.cookies() if c["name"] == "dashboard_route")
        served = upstream_of(running, route)
        with other_readers(running.proxied):
            time.sleep(1.0)
            running.kill(served)
            page.wait_for_function(RECONNECTED, timeout=90_000, polling=200)
            # An idle page that reconnects keeps what it shows (Streamlit reruns only a page that was running).
            page.wait_for_timeout(2000)
            reconnected = {"states": page.evaluate("window.__connection"), "text": page.evaluate(VISIBLE_TEXT),
                           "metrics": metrics(page), "url": page.url}
            page.reload()
            wait_ready(page, footer, XIANGTAN_CHARTS)
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SCREENSHOTS / "affinity-after-kill-xiangtan-en.png"), full_page=True)
        return {"url": page.url, "text": page.evaluate(VISIBLE_TEXT), "served_before": served,
                "served_after": upstream_of(running, route), "before": before, "reconnected": reconnected,
                "metrics": metrics(page), "exceptions": page.locator('[data-testid="stException"]').count()}
    finally:
        context.close()


def upstream_of(running: Pair, route: str) -> str:
    """The process nginx hands ``route`` to now (a WebSocket's log line is written only when it closes: ask with
    a plain request under the same cookie, hashed the same way)."""
    assert fetch(running.proxied, "/_stcore/health", {"Cookie": f"dashboard_route={route}"}).status == 200
    time.sleep(0.2)
    return running.upstreams(route)[-1]


@pytest.mark.browser
def test_a_reader_of_a_killed_process_sees_the_same_view_again(tmp_path, browser):  # noqa: F811
    with two_processes(tmp_path) as running:
        seen = browser.run(reconnect_after_kill, running)
    assert seen["served_after"] != seen["served_before"]
    again = seen["reconnected"]
    assert again["states"][-1] == "CONNECTED" and len(again["states"]) > 2, again["states"]   # it did lose it
    assert seen["before"]["metrics"]
    for view in (again, seen):   # after the reconnection, and after the reader reloads the page
        assert view["url"] == seen["before"]["url"] and view["url"].endswith("/xiangtan?lang=en")
        assert view["metrics"] == seen["before"]["metrics"]   # the same view, every figure
        assert CASE_TITLE_EN in view["text"]
        for error_text in ERROR_TEXTS:
            assert error_text not in view["text"], error_text
    assert seen["exceptions"] == 0
