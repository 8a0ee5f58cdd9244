"""Hosted mode, observed from running servers: the settings of .streamlit/hosted.toml (as ``python -m deploy.hosted``
hands them to Streamlit) are in force, local mode keeps showing errors, and no request leaves the machine; the
optional access code (ui/access.py).

Shared with tests/test_proxy.py: ``OutboundTrap`` (stands in for the internet), ``run_page`` (a page over the
WebSocket), ``websocket_status`` and the ``browser`` fixture (Debian's chromium through Playwright, in a thread of
its own so that it can live beside the e2e suite's browser).
"""
from __future__ import annotations

import contextlib
import hmac
import json
import os
import shutil
import socket
import subprocess
import sys
import threading
import time
import tomllib
import urllib.error
import urllib.request
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
import streamlit as st
import websocket
from streamlit import config as st_config
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from streamlit.runtime.secrets import Secrets
from streamlit.testing.v1 import AppTest

from deploy import hosted
from metrics.catalog import text
from ui import access

from .conftest import ENTRY
from .support.server import ROOT, free_port, running_app, serving

CONFIG = ROOT / ".streamlit" / "config.toml"
ALLOWED_HOST = "dash.example.test"
CHROMIUM_FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                  "--disable-sync", "--no-first-run", "--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1"]
REQUIRED_HOSTED = {  # option → value hosted mode must have (the list)
    "client.showErrorDetails": "none",
    "client.toolbarMode": "viewer",
    "server.enableXsrfProtection": True,
    "server.enableCORS": True,
    "server.maxUploadSize": 1,
    "browser.gatherUsageStats": False,
    "server.headless": True,
    "global.developmentMode": False,
}
FINISHED_OK, EARLY_FOR_RERUN = 0, 2  # ScriptFinishedStatus
RAISING_SCRIPT = '''import streamlit as st
st.title("Before the error")
def fail():
    raise RuntimeError("secret-detail-4711 at " + __file__)
fail()
'''


# --- shared helpers ----------------------------------------------------------------------------------------------
class OutboundTrap:
    """Stands in for the internet. The app's HTTP(S)_PROXY points here: any request it makes off the machine (the
    ``requests`` library honours these variables) arrives here instead, is recorded and refused."""

    def __init__(self) -> None:
        self.requests: list[str] = []
        self._server = socket.create_server(("127.0.0.1", 0))
        self._server.settimeout(0.2)
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self._thread.start()

    @property
    def env(self) -> dict[str, str]:
        url = f"http://127.0.0.1:{self._server.getsockname()[1]}"
        return {"HTTP_PROXY": url, "HTTPS_PROXY": url, "http_proxy": url, "https_proxy": url, "ALL_PROXY": url,
                "all_proxy": url, "NO_PROXY": "", "no_proxy": ""}

    def _serve(self) -> None:
        while not self._stop.is_set():
            try:
                conn, _ = self._server.accept()
            except TimeoutError:
                continue
            with conn:
                conn.settimeout(2)
                with contextlib.suppress(OSError):
                    self.requests.append(conn.recv(4096).split(b"\r\n", 1)[0].decode("latin-1"))

    def close(self) -> None:
        self._stop.set()
        self._thread.join(timeout=5)
        self._server.close()


@contextlib.contextmanager
def streamlit_script(folder: Path, script: str, args: list[str], env: dict[str, str],
                     config: str | None = None) -> Iterator[tuple[str, Path]]:
    """Serve ``script`` from ``folder`` (with ``config`` as its .streamlit/config.toml, HOME isolated so no user
    config applies); yield (base URL, log file). The log holds everything Streamlit printed."""
    (folder / "home").mkdir(parents=True, exist_ok=True)
    (folder / "app.py").write_text(script, encoding="utf-8")
    if config is not None:
        (folder / ".streamlit").mkdir(exist_ok=True)
        (folder / ".streamlit" / "config.toml").write_text(config, encoding="utf-8")
    port, log = free_port(), folder / "streamlit.log"
    command = [sys.executable, "-m", "streamlit", "run", "app.py", f"--server.port={port}", *args]
    url = f"http://127.0.0.1:{port}"
    with serving(command, url, cwd=folder, env={"HOME": str(folder / "home"), **env}, log=log):
        yield url, log


def wait_for_text(path: Path, text: str, timeout: float = 30) -> str:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        content = path.read_text(encoding="utf-8", errors="replace")
        if text in content:
            return content
        time.sleep(0.1)
    raise TimeoutError(f"{text!r} not in {path} within {timeout} s:\n{path.read_text(errors='replace')}")


class Chromium:
    """Debian's chromium through Playwright, driven from a thread of its own: Playwright's sync API allows one
    instance per thread, and the e2e suite's session browser may already hold the main thread's. ``run(fn, ...)``
    calls ``fn(browser, ...)`` in that thread and returns its result."""

    def __init__(self, executable: str) -> None:
        self._thread = ThreadPoolExecutor(max_workers=1, thread_name_prefix="chromium")
        self._playwright, self._browser = self._thread.submit(self._start, executable).result()

    @staticmethod
    def _start(executable: str):
        from playwright.sync_api import sync_playwright

        playwright = sync_playwright().start()
        return playwright, playwright.chromium.launch(executable_path=executable, args=CHROMIUM_FLAGS, headless=True)

    def run(self, fn, *args):
        return self._thread.submit(fn, self._browser, *args).result()

    def close(self) -> None:
        self._thread.submit(lambda: (self._browser.close(), self._playwright.stop())).result()
        self._thread.shutdown()


@pytest.fixture(scope="module")
def browser() -> Iterator[Chromium]:
    executable = shutil.which("chromium")
    if not executable:
        message = "chromium not found: sudo apt-get install -y --no-install-recommends chromium fonts-noto-cjk"
        if os.environ.get("REQUIRE_BROWSER") == "1":
            pytest.fail(message)
        pytest.skip(message)
    chromium = Chromium(executable)
    yield chromium
    chromium.close()


def http(url: str, method: str = "GET", headers: dict[str, str] | None = None):
    """(status, headers, body) without raising on 4xx/5xx."""
    request = urllib.request.Request(url, method=method, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, response.headers, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read()


def websocket_status(url: str, host: str | None = None, origin: str | None = None) -> int:
    """101 if the WebSocket handshake to ``url`` succeeds, else the HTTP status it was refused with."""
    ws_url = url.replace("http://", "ws://") + "/_stcore/stream"
    try:
        ws = websocket.create_connection(ws_url, timeout=10, host=host, origin=origin, subprotocols=["streamlit"],
                                         suppress_origin=origin is None)
    except websocket.WebSocketBadStatusException as refused:
        return refused.status_code
    ws.close()
    return 101


def run_page(url: str, query: str = "", page: str = "") -> list[ForwardMsg]:
    """Open a page over the WebSocket as the browser does; every message until the script has finished."""
    ws = websocket.create_connection(url.replace("http://", "ws://") + "/_stcore/stream", timeout=60, origin=url,
                                     subprotocols=["streamlit"])
    try:
        request = BackMsg()
        request.rerun_script.query_string = query
        request.rerun_script.page_name = page
        ws.send_binary(request.SerializeToString())
        messages = []
        while True:  # a run ended by st.rerun is followed by the real one
            messages.append(ForwardMsg.FromString(ws.recv()))
            if messages[-1].WhichOneof("type") == "script_finished" and messages[-1].script_finished != EARLY_FOR_RERUN:
                return messages
    finally:
        ws.close()


# --- the settings ---------------------------------------------------------------------------------------------
def test_every_hosted_setting_is_a_streamlit_option():
    options = st_config._config_options_template
    settings = hosted.settings()
    unknown = [key for key in settings if key not in options]
    assert unknown == [], f"not Streamlit options (typo?): {unknown}"
    for key in settings:
        assert hosted.env_name(key) == options[key].env_var


@pytest.mark.parametrize("key,value", list(REQUIRED_HOSTED.items()))
def test_hosted_settings_harden_the_app(key, value):
    assert hosted.settings()[key] == value


def test_hosted_settings_name_the_server_address_and_allowed_hosts():
    settings = hosted.settings()
    assert settings["browser.serverAddress"] and settings["server.allowedHosts"]


def test_the_launcher_keeps_what_the_environment_already_says():
    env = hosted.environment({"STREAMLIT_SERVER_ADDRESS": "0.0.0.0"})
    assert env["STREAMLIT_SERVER_ADDRESS"] == "0.0.0.0"
    assert env["STREAMLIT_CLIENT_SHOW_ERROR_DETAILS"] == "none"
    assert env["STREAMLIT_SERVER_ALLOWED_HOSTS"] == "localhost 127.0.0.1"


def test_local_mode_shows_errors_and_stays_offline():
    local = tomllib.loads(CONFIG.read_text(encoding="utf-8"))
    assert local.get("client", {}).get("showErrorDetails", "full") in ("full", True)
    assert local["browser"]["gatherUsageStats"] is False
    assert local["browser"]["serverAddress"]


# --- a hosted server ------------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def trap() -> Iterator[OutboundTrap]:
    outbound = OutboundTrap()
    yield outbound
    outbound.close()


@pytest.fixture(scope="module")
def hosted_app(trap, tmp_path_factory) -> Iterator[str]:
    """The README's one command, as a host runs it (plus a free port, and 127.0.0.1 for the tests themselves)."""
    port, log = free_port(), tmp_path_factory.mktemp("hosted") / "streamlit.log"
    command = [sys.executable, "-m", "deploy.hosted", f"--server.port={port}",
               f"--server.allowedHosts={ALLOWED_HOST}", "--server.allowedHosts=127.0.0.1"]
    with serving(command, f"http://127.0.0.1:{port}", env=trap.env, log=log):
        yield f"http://127.0.0.1:{port}"


def test_the_launcher_applies_the_hosted_settings(hosted_app):
    messages = run_page(hosted_app, "lang=en")
    config = messages[0].new_session.config
    assert config.toolbar_mode == config.ToolbarMode.VIEWER
    assert config.gather_usage_stats is False
    assert messages[-1].script_finished == FINISHED_OK


@pytest.mark.parametrize("host,accepted", [
    (ALLOWED_HOST, True),
    (f"{ALLOWED_HOST}:443", True),            # ports are ignored
    ("127.0.0.1:{port}", True),
    ("evil.example", False),                  # DNS rebinding: a foreign name that resolves to this machine
    (f"{ALLOWED_HOST}.evil.example", False),
    (f"evil-{ALLOWED_HOST}", False),
])
def test_websocket_refuses_foreign_host_headers(hosted_app, host, accepted):
    host = host.format(port=hosted_app.rsplit(":", 1)[1])
    status = websocket_status(hosted_app, host=host, origin=f"http://{host}")  # same-origin: only Host decides
    assert status == (101 if accepted else 403)


def test_host_config_reflects_the_settings(hosted_app):
    status, _, body = http(f"{hosted_app}/_stcore/host-config")
    assert status == 200
    assert json.loads(body)["allowedOrigins"] == hosted.settings()["client.allowedOrigins"]


def test_xsrf_cookie_is_set(hosted_app):
    _, headers, _ = http(f"{hosted_app}/_stcore/health")
    cookies = headers.get_all("Set-Cookie") or []
    assert any(c.startswith("_streamlit_xsrf=") and "SameSite=Lax" in c for c in cookies), cookies


@pytest.mark.parametrize("with_cookie,with_header,refused", [
    (False, False, True),
    (True, False, True),
    (True, True, False),    # a valid token passes the XSRF check (and then fails for want of a session)
])
def test_uploads_need_the_xsrf_token(hosted_app, with_cookie, with_header, refused):
    _, headers, _ = http(f"{hosted_app}/_stcore/health")
    token = next(c for c in headers.get_all("Set-Cookie") if c.startswith("_streamlit_xsrf=")).split(";")[0]
    sent = {"Content-Type": "multipart/form-data; boundary=x"}
    if with_cookie:
        sent["Cookie"] = token
    if with_header:
        sent["X-Xsrftoken"] = token.split("=", 1)[1]
    status, _, _ = http(f"{hosted_app}/_stcore/upload_file/no-session/no-file", "PUT", sent)
    assert (status == 403) is refused, status


def test_cors_stays_closed_to_other_sites(hosted_app):
    _, headers, _ = http(f"{hosted_app}/_stcore/health", headers={"Origin": "https://evil.example"})
    assert headers.get("Access-Control-Allow-Origin") in (None, ""), headers.get("Access-Control-Allow-Origin")


@pytest.mark.xfail(strict=True, reason="Streamlit 1.67 looks up the external IP (checkip.amazonaws.com) before "
                                       "refusing a cross-origin WebSocket; deploy/nginx.conf refuses those first")
def test_cross_origin_websocket_sends_nothing_off_the_machine(hosted_app, trap):
    before = len(trap.requests)
    assert websocket_status(hosted_app, origin="https://evil.example") == 403
    assert trap.requests[before:] == []


# --- no request off the machine at start-up -------------------------------------------------------------------
def without_server_address(config: str) -> str:
    return "\n".join(line for line in config.splitlines() if not line.startswith("serverAddress"))


@pytest.mark.parametrize("name,make_config,use_hosted,lookups", [
    ("local mode (config.toml)", lambda c: c, False, False),
    ("hosted mode, all interfaces (a container)", lambda c: c, True, False),
    ("control: config.toml without browser.serverAddress", without_server_address, False, True),
])
def test_a_headless_start_asks_nobody_for_the_external_ip(tmp_path, name, make_config, use_hosted, lookups):
    trap = OutboundTrap()
    env = {**(hosted.hosted_environment() if use_hosted else {}), **trap.env}
    # Listening on every interface is the case in which Streamlit looks the external IP up.
    args = ["--server.headless=true", "--server.address=0.0.0.0"]
    try:
        with streamlit_script(tmp_path, "import streamlit as st\nst.write('ok')\n", args, env,
                              make_config(CONFIG.read_text(encoding="utf-8"))) as (_, log):
            printed = wait_for_text(log, "You can now view your Streamlit app")  # printed after any lookup
    finally:
        trap.close()
    asked = [line for line in trap.requests if "checkip.amazonaws.com" in line]
    if lookups:  # the control proves the trap sees the lookup
        assert asked and "Did not auto detect external IP" in printed, (trap.requests, printed)
    else:
        assert trap.requests == [], trap.requests
        assert "external IP" not in printed, printed


# --- errors in the browser ------------------------------------------------------------------------------------
@pytest.mark.browser
@pytest.mark.parametrize("mode,details_shown", [("local", True), ("hosted", False)])
def test_a_failing_page_shows_a_traceback_only_locally(tmp_path, browser, mode, details_shown):
    env = hosted.hosted_environment() if mode == "hosted" else {}
    args = ["--server.headless=true", "--server.address=127.0.0.1"]
    def failed_page(chromium, url: str) -> str:
        page = chromium.new_page()
        try:
            page.goto(url)
            page.get_by_text("Before the error").wait_for(timeout=60_000)
            page.locator('[data-testid="stException"]').wait_for(timeout=60_000)
            return page.content()
        finally:
            page.close()

    with streamlit_script(tmp_path, RAISING_SCRIPT, args, env, CONFIG.read_text(encoding="utf-8")) as (url, _):
        html = browser.run(failed_page, url)
    details = ["secret-detail-4711", "RuntimeError", str(tmp_path), "fail()"]
    if details_shown:  # the control: locally the traceback, its message and server paths are on the page
        assert all(detail in html for detail in details), [d for d in details if d not in html]
    else:
        assert [detail for detail in details if detail in html] == []


# --- the optional access code ---------------------------------------------------------------------------------
CODE = "open-sesame-码"


@pytest.fixture
def no_waiting(monkeypatch) -> list[float]:
    """Record the delays the gate asks for instead of sleeping; start with no recent failures server-wide."""
    waited: list[float] = []
    monkeypatch.setattr(access, "pause", waited.append)
    monkeypatch.setattr(access, "_recent_failures", [])
    return waited


def open_with_secrets(secrets: dict, lang: str = "zh") -> AppTest:
    at = AppTest.from_file(ENTRY, default_timeout=60)
    at.secrets.update(secrets)
    at.query_params["lang"] = lang
    at.run()
    return at


def submit(at: AppTest, code: str) -> AppTest:
    at.text_input(key=access.INPUT_KEY).input(code)
    at.get("form_submit_button")[0].click()
    return at.run()


def page_text(at: AppTest) -> str:
    return "\n".join(str(getattr(e, "value", "")) for e in at.main if hasattr(e, "value"))


@pytest.mark.parametrize("secrets", [{"other": {"key": "x"}}, {"access": {}}, {"access": {"code": ""}}])
def test_no_access_code_means_no_gate(secrets):
    at = open_with_secrets(secrets)
    assert not at.exception
    assert at.title[0].value == text("app.title", "zh") and at.metric
    assert access.INPUT_KEY not in [w.key for w in at.text_input]


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_gate_shows_the_form_and_nothing_else(no_waiting, lang):
    at = open_with_secrets({"access": {"code": CODE}}, lang)
    assert not at.exception
    assert [t.value for t in at.title] == [text("access.title", lang)]
    assert (len(at.metric), len(at.dataframe), len(at.get("plotly_chart"))) == (0, 0, 0)
    assert at.text_input(key=access.INPUT_KEY).proto.type == at.text_input(key=access.INPUT_KEY).proto.PASSWORD
    assert CODE not in page_text(at)


def test_wrong_codes_wait_longer_and_longer(no_waiting):
    at = open_with_secrets({"access": {"code": CODE}}, "en")
    for attempt in ["", "open-sesame", CODE.upper(), CODE + " ", "x" * 300, "1234"]:
        submit(at, attempt)
        assert [e.value for e in at.error] == [text("access.wrong", "en")]
        assert not at.metric
    assert no_waiting == [0.5, 1.0, 2.0, 4.0, 8.0, 8.0]


def test_the_right_code_opens_the_dashboard(no_waiting):
    at = submit(submit(open_with_secrets({"access": {"code": CODE}}, "en"), "wrong"), CODE)
    assert not at.exception and not at.error
    assert at.title[0].value == text("app.title", "en") and at.metric
    assert no_waiting == [0.5]  # the right code is answered at once
    assert at.session_state[access.GRANTED_KEY] != CODE  # the session keeps a fingerprint, not the code


def test_a_changed_code_asks_again(no_waiting):
    at = submit(open_with_secrets({"access": {"code": CODE}}), CODE)
    assert at.metric
    at.secrets["access"] = {"code": "rotated"}
    at.run()
    assert [t.value for t in at.title] == [text("access.title", "zh")] and not at.metric


def test_unreadable_secrets_keep_the_gate_closed(monkeypatch):
    monkeypatch.setattr(access, "configured_code", lambda: None)
    at = open_with_secrets({"other": {"key": "x"}}, "en")
    assert [e.value for e in at.error] == [text("access.unreadable", "en")] and not at.metric


def test_a_secrets_file_that_does_not_parse_reads_as_unreadable(tmp_path, monkeypatch):
    broken = tmp_path / "secrets.toml"
    broken.write_text('[access]\ncode = "unterminated\n', encoding="utf-8")
    saved = st.get_option("secrets.files")
    st_config.set_option("secrets.files", [str(broken)])
    monkeypatch.setattr(st, "secrets", Secrets())
    try:
        assert access.configured_code() is None
        broken.unlink()
        monkeypatch.setattr(st, "secrets", Secrets())
        assert access.configured_code() == ""  # no file at all: no gate
    finally:
        st_config.set_option("secrets.files", saved)


@pytest.mark.parametrize("entered,expected", [(CODE, True), (CODE + "x", False), ("", False), (CODE[:-1], False),
                                              (CODE.upper(), False)])
def test_codes_are_compared_in_constant_time(monkeypatch, entered, expected):
    calls = []
    real = hmac.compare_digest
    monkeypatch.setattr(access.hmac, "compare_digest", lambda a, b: calls.append((a, b)) or real(a, b))
    assert access.matches(entered, CODE) is expected
    assert calls == [(entered.encode(), CODE.encode())]


@pytest.mark.parametrize("failures,seconds", [(0, 0.0), (1, 0.5), (2, 1.0), (3, 2.0), (4, 4.0), (5, 8.0), (6, 8.0),
                                              (1000, 8.0)])
def test_delay_doubles_up_to_a_cap(failures, seconds):
    assert access.delay(failures) == seconds


def test_failures_count_server_wide_within_a_window(no_waiting):
    assert [access.record_failure(now) for now in (0.0, 1.0, 2.0)] == [1, 2, 3]
    assert access.record_failure(2.0 + access.RECENT_WINDOW) == 1  # the older ones have expired


def test_the_code_lives_only_in_git_ignored_secrets():
    assert ".streamlit/secrets.toml" in (ROOT / ".gitignore").read_text(encoding="utf-8").splitlines()
    tracked = subprocess.run(["git", "ls-files", ".streamlit"], cwd=ROOT, capture_output=True, text=True).stdout
    assert "secrets.toml" not in tracked


@pytest.mark.browser
def test_a_shared_link_survives_the_gate(tmp_path, browser):
    """An analyst opens a deep link, enters the code and lands on that very view."""
    secrets = tmp_path / "secrets.toml"
    secrets.write_text(f'[access]\ncode = "{CODE}"\n', encoding="utf-8")
    def enter_code(chromium, url: str) -> None:
        page = chromium.new_page()
        try:
            page.goto(f"{url}/heilongjiang?lang=en&npl=5")
            page.get_by_text(text("access.title", "en")).wait_for(timeout=60_000)
            assert page.locator(".js-plotly-plot").count() == 0
            page.locator("input[type=password]").fill(CODE)
            page.get_by_role("button", name=text("access.submit", "en")).click()
            page.locator(".js-plotly-plot").first.wait_for(timeout=60_000)
            assert page.url == f"{url}/heilongjiang?lang=en&npl=5"
            assert page.locator("input[type=number]").first.input_value() == "5.00"
            assert CODE not in page.content()
        finally:
            page.close()

    with running_app(env={"STREAMLIT_SECRETS_FILES": str(secrets)}) as url:
        browser.run(enter_code, url)
