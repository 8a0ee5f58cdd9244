"""Several app processes behind deploy/nginx.conf: every request of a reader reaches the same process (a Streamlit
session lives in one), new readers spread over all of them, a forged route cookie is ignored, and when a process
dies its readers reconnect to a live one and see the same view again (the URL holds it), without error text.

Runs the very nginx site file (only its ports rewritten) in front of two hosted-mode app processes, as
tests/test_proxy.py does for one.
"""
from __future__ import annotations

import contextlib
import re
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from bench.wsclient import Session
from deploy import hosted

from .e2e.browser import SCREENSHOTS
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
PAGE_DRAWN = '[data-testid="stHeading"] h1, h1'


def reconnect_after_kill(chromium, running: Pair) -> dict:
    """Open a case page through nginx, kill the process serving it, and read the page once it has recovered."""
    context = chromium.new_context()
    page = context.new_page()
    try:
        page.goto(running.proxied + "/xiangtan?lang=en")
        page.locator(PAGE_DRAWN).filter(has_text=CASE_TITLE_EN).first.wait_for(timeout=90_000)
        route = next(c["value"] for c in context.cookies() if c["name"] == "dashboard_route")
        time.sleep(0.3)
        served = running.upstreams(route)[-1]
        running.kill(served)
        # The page's WebSocket closes; Streamlit's frontend reconnects (through nginx, to the live process) and
        # reruns the page from its URL. Wait for a run on the other process, then for the page to settle.
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline and served in running.upstreams(route)[-1:]:
            time.sleep(0.5)
        page.locator(PAGE_DRAWN).filter(has_text=CASE_TITLE_EN).first.wait_for(timeout=90_000)
        page.wait_for_timeout(3000)
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SCREENSHOTS / "affinity-after-kill-xiangtan-en.png"), full_page=False)
        return {"url": page.url, "text": page.evaluate(VISIBLE_TEXT), "served_before": served,
                "served_after": running.upstreams(route)[-1],
                "exceptions": page.locator('[data-testid="stException"]').count()}
    finally:
        context.close()


@pytest.mark.browser
def test_a_reader_of_a_killed_process_sees_the_same_view_again(tmp_path, browser):  # noqa: F811
    with two_processes(tmp_path) as running:
        seen = browser.run(reconnect_after_kill, running)
    assert seen["served_after"] != seen["served_before"]
    assert seen["url"].endswith("/xiangtan?lang=en")
    assert CASE_TITLE_EN in seen["text"]
    assert seen["exceptions"] == 0
    for error_text in ("Connection error", "Traceback", "Error", "错误"):
        assert error_text not in seen["text"], error_text
