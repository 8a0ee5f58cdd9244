"""deploy/nginx.conf, run as is (only its listen port and upstream rewritten) in front of the app in hosted mode:
the app works through it (health, page, static files, WebSocket), the security headers are there, a cold page load
shrinks to at most 40 % of its bytes, the page renders its charts under the Content-Security-Policy without a single
violation, and nothing leaves the machine.

nginx runs as an ordinary process: its own prefix, pid, logs and temp paths in a temporary folder, on a free
127.0.0.1 port. Without nginx (or its brotli module) the tests are skipped with how to install them, unless
REQUIRE_NGINX=1 (CI), which makes that a failure.
"""
from __future__ import annotations

import base64
import contextlib
import gzip
import hashlib
import http.client
import os
import re
import shutil
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
import streamlit

from deploy import hosted

from .support.server import ROOT, free_port, running_app, serving
from .test_hosted import FINISHED_OK, OutboundTrap, browser, run_page, websocket_status  # noqa: F401 (fixture)

pytestmark = pytest.mark.proxy

SITE = ROOT / "deploy" / "nginx.conf"
INSTALL = "sudo apt-get install -y --no-install-recommends nginx libnginx-mod-http-brotli-filter"
BROTLI_MODULES = [Path("/usr/lib/nginx/modules/ngx_http_brotli_filter_module.so"),
                  Path("/usr/share/nginx/modules/ngx_http_brotli_filter_module.so"),
                  Path("/usr/lib64/nginx/modules/ngx_http_brotli_filter_module.so")]
TEMPLATE_LINES = {"listen 80;": "listen 127.0.0.1:{listen};",
                  "server 127.0.0.1:8501 ": "server 127.0.0.1:{app1} ", "server 127.0.0.1:8502 ": "server 127.0.0.1:{app2} "}
MAX_RATIO = 0.40
SECURITY_HEADERS = {  # header → what its value must contain
    "Content-Security-Policy": ["default-src 'self'", "frame-ancestors 'self'", "object-src 'none'"],
    "X-Frame-Options": ["SAMEORIGIN"],
    "X-Content-Type-Options": ["nosniff"],
    "Referrer-Policy": ["same-origin"],
}
MAIN_CONFIG = """\
{user}load_module {brotli};
worker_processes 1;
daemon off;
pid {prefix}/nginx.pid;
error_log {prefix}/error.log warn;
events {{ worker_connections 1024; }}
http {{
    # Which process served each request, and for which route cookie: what the affinity tests read.
    log_format routes '$request_uri|$status|$upstream_addr|$dashboard_route';
    access_log {prefix}/access.log routes;
    client_body_temp_path {prefix}/client_body;
    proxy_temp_path {prefix}/proxy;
    fastcgi_temp_path {prefix}/fastcgi;
    uwsgi_temp_path {prefix}/uwsgi;
    scgi_temp_path {prefix}/scgi;
    include {prefix}/dashboard.conf;
}}
"""


def nginx_or_skip() -> tuple[str, Path]:
    binary = shutil.which("nginx", path=os.pathsep.join([os.environ.get("PATH", ""), "/usr/sbin", "/sbin"]))
    brotli = next((p for p in BROTLI_MODULES if p.exists()), None)
    if binary and brotli:
        return binary, brotli
    missing = " and ".join(name for name, found in (("nginx", binary), ("its brotli module", brotli)) if not found)
    message = f"{missing} not found; install with: {INSTALL}"
    if os.environ.get("REQUIRE_NGINX") == "1":
        pytest.fail(message)
    pytest.skip(message)


def port_of(url: str) -> int:
    return int(url.rsplit(":", 1)[1])


def render_site(listen: int, app1: int, app2: int) -> str:
    """deploy/nginx.conf with its template lines (listen, the two app processes) pointed at this test's ports;
    nothing else changes."""
    text = SITE.read_text(encoding="utf-8")
    for line, replacement in TEMPLATE_LINES.items():
        assert text.count(line) == 1, f"deploy/nginx.conf must contain '{line}' exactly once"
        text = text.replace(line, replacement.format(listen=listen, app1=app1, app2=app2))
    return text


@contextlib.contextmanager
def running_nginx(prefix: Path, app_urls: list[str]) -> Iterator[str]:
    """nginx on a free port in front of two app processes (the same URL twice for one)."""
    binary, brotli = nginx_or_skip()
    prefix.mkdir(parents=True, exist_ok=True)
    listen = free_port()
    first, second = app_urls if len(app_urls) == 2 else (app_urls[0], app_urls[0])
    (prefix / "dashboard.conf").write_text(render_site(listen, port_of(first), port_of(second)), encoding="utf-8")
    # As root, nginx would hand its workers to "nobody", who cannot enter a private temporary folder.
    user = "user root;\n" if os.geteuid() == 0 else ""
    (prefix / "nginx.conf").write_text(MAIN_CONFIG.format(user=user, brotli=brotli, prefix=prefix), encoding="utf-8")
    command = [binary, "-p", str(prefix), "-c", str(prefix / "nginx.conf"), "-e", str(prefix / "error.log")]
    check = subprocess.run([*command, "-t"], capture_output=True, text=True)
    assert check.returncode == 0, check.stderr
    with serving(command, f"http://127.0.0.1:{listen}", log=prefix / "nginx.out", timeout=30):
        yield f"http://127.0.0.1:{listen}"


@dataclass
class Response:
    status: int
    headers: http.client.HTTPMessage
    body: bytes          # as transferred (still compressed)

    def decoded(self) -> bytes:
        encoding = self.headers.get("Content-Encoding", "identity")
        assert encoding in ("identity", "gzip"), f"decode {encoding} yourself"  # brotli: the browser test reads it
        return gzip.decompress(self.body) if encoding == "gzip" else self.body


def fetch(base: str, path: str, headers: dict[str, str] | None = None) -> Response:
    host, port = base.removeprefix("http://").split(":")
    connection = http.client.HTTPConnection(host, int(port), timeout=30)
    try:
        connection.request("GET", path, headers=headers or {})
        answer = connection.getresponse()
        return Response(answer.status, answer.headers, answer.read())
    except OSError:
        return Response(0, http.client.HTTPMessage(), b"")
    finally:
        connection.close()


def assets(index_html: str) -> list[str]:
    """Every JS and CSS file the page references (scripts, module preloads, stylesheets)."""
    return [ref.removeprefix(".") for ref in re.findall(r'(?:src|href)="(\./static/[^"]+\.(?:js|css))"', index_html)]


@dataclass
class Stack:
    direct: str
    proxied: str
    trap: OutboundTrap


@pytest.fixture(scope="module")
def stack(tmp_path_factory) -> Iterator[Stack]:
    nginx_or_skip()
    trap = OutboundTrap()
    try:
        with running_app(env={**hosted.hosted_environment(), **trap.env}) as direct, \
                running_nginx(tmp_path_factory.mktemp("nginx"), [direct]) as proxied:
            yield Stack(direct, proxied, trap)
    finally:
        trap.close()


# --- the app works through the proxy -------------------------------------------------------------------------
def test_health_and_page_through_the_proxy(stack):
    health, index = fetch(stack.proxied, "/_stcore/health"), fetch(stack.proxied, "/")
    assert (health.status, health.decoded()) == (200, b"ok")
    assert index.status == 200 and b'<div id="root">' in index.decoded()


def test_a_static_file_arrives_intact(stack):
    first = assets(fetch(stack.direct, "/").body.decode())[0]
    direct = fetch(stack.direct, first)
    proxied = fetch(stack.proxied, first, {"Accept-Encoding": "gzip"})
    assert proxied.status == 200 and proxied.headers["Content-Encoding"] == "gzip"
    assert proxied.decoded() == direct.body
    assert "javascript" in proxied.headers["Content-Type"]


def test_the_websocket_runs_a_page_through_the_proxy(stack):
    messages = run_page(stack.proxied, "lang=en")
    kinds = [message.WhichOneof("type") for message in messages]
    assert kinds[0] == "new_session" and "delta" in kinds and messages[-1].script_finished == FINISHED_OK


@pytest.mark.parametrize("origin,status", [
    ("{proxied}", 101),                       # the page's own origin
    (None, 101),                              # no Origin: a non-browser client, as Streamlit allows
    ("https://evil.example", 403),            # another site's page (cross-site WebSocket hijacking)
    ("{proxied}.evil.example", 403),
])
def test_the_proxy_refuses_websockets_from_other_sites(stack, origin, status):
    before = len(stack.trap.requests)
    assert websocket_status(stack.proxied, origin=origin and origin.format(proxied=stack.proxied)) == status
    assert stack.trap.requests[before:] == []  # refused by nginx, before Streamlit would look up its external IP


def test_a_foreign_host_header_is_refused_through_the_proxy(stack):
    assert websocket_status(stack.proxied, host="evil.example", origin="http://evil.example") == 403


# --- headers ------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("path", ["/", "/_stcore/health", "STATIC", "/no/such/page", "/_stcore/stream"])
def test_security_headers_on_every_response(stack, path):
    if path == "STATIC":
        path = assets(fetch(stack.direct, "/").body.decode())[0]
    response = fetch(stack.proxied, path)
    for header, parts in SECURITY_HEADERS.items():
        value = response.headers.get(header, "")
        assert all(part in value for part in parts), (path, response.status, header, value)
    assert response.headers.get("Server") == "nginx"  # no version number


def test_hsts_is_documented_for_tls_only():
    text = SITE.read_text(encoding="utf-8")
    lines = [line.strip() for line in text.splitlines() if "Strict-Transport-Security" in line]
    active = [line for line in lines if not line.startswith("#")]
    assert active == [] and "Strict-Transport-Security" in text


def test_the_csp_allows_the_inline_script_of_streamlits_page(stack):
    """After a Streamlit upgrade, this names the hash to put in deploy/nginx.conf."""
    html = fetch(stack.direct, "/").body.decode()
    inline = re.findall(r"<script(?![^>]*\bsrc=)[^>]*>(.*?)</script>", html, re.S)
    hashes = {"'sha256-" + base64.b64encode(hashlib.sha256(s.encode()).digest()).decode() + "'" for s in inline}
    csp = fetch(stack.proxied, "/").headers["Content-Security-Policy"]
    script_src = next(d for d in csp.split(";") if d.strip().startswith("script-src")).split()
    assert hashes <= set(script_src), f"Streamlit {streamlit.__version__}: script-src needs {hashes}"
    assert "'unsafe-inline'" not in script_src and "'unsafe-eval'" not in script_src


# --- compression ----------------------------------------------------------------------------------------------
def cold_load_bytes(base: str, accept_encoding: str | None) -> tuple[int, set[str]]:
    """Bytes transferred for the page and every JS/CSS file it references; the content encodings seen."""
    headers = {"Accept-Encoding": accept_encoding} if accept_encoding else {}
    paths = ["/", *assets(fetch(base, "/").decoded().decode())]
    responses = [fetch(base, path, headers) for path in paths]
    assert all(r.status == 200 for r in responses)
    return sum(len(r.body) for r in responses), {r.headers.get("Content-Encoding", "identity") for r in responses}


@pytest.mark.parametrize("accept_encoding,encoding", [("gzip, deflate, br", "br"), ("gzip", "gzip")])
def test_a_cold_page_load_shrinks_to_at_most_40_percent(stack, accept_encoding, encoding, record_property):
    direct, direct_encodings = cold_load_bytes(stack.direct, accept_encoding)
    proxied, proxied_encodings = cold_load_bytes(stack.proxied, accept_encoding)
    record_property("cold_load_bytes", {"direct": direct, "proxied": proxied, "encoding": encoding})
    print(f"cold load ({accept_encoding}): direct {direct:,} B, through nginx {proxied:,} B = {proxied / direct:.1%}")
    assert direct_encodings == {"identity"}  # Streamlit itself compresses none of it
    assert encoding in proxied_encodings
    assert proxied <= MAX_RATIO * direct, f"{proxied:,} of {direct:,} bytes = {proxied / direct:.1%}"


# --- the page under the Content-Security-Policy, in a real browser --------------------------------------------
CSP_WATCH = """
window.__cspViolations = [];
document.addEventListener('securitypolicyviolation',
    e => window.__cspViolations.push(e.violatedDirective + ' ' + e.blockedURI + (e.sample ? ' ' + e.sample : '')));
"""
CHART_MARKS = ".js-plotly-plot .point path, .js-plotly-plot .slice path"  # bars, markers; treemap tiles
# dashboard.py sets page_icon=":material/account_balance:", for which Streamlit's frontend points the favicon at
# fonts.gstatic.com. The CSP blocks that request (as it should); tests/e2e/test_pages.py (no request leaves the
# machine) tracks the fix in dashboard.py. Until then this one, expected, violation is set aside here.
FAVICON_FROM_GOOGLE = "img-src https://fonts.gstatic.com/s/i/short-term/release/materialsymbolsrounded/"


@dataclass
class Visit:
    violations: list[str]
    console: list[str]
    transferred: int          # response body bytes as transferred (compressed)


def visit(chromium, url: str, path: str) -> Visit:
    """Open ``path`` in a fresh context (cold cache), wait until it has drawn, record what happened."""
    context = chromium.new_context()
    page = context.new_page()
    console: list[str] = []
    transferred = [0]
    page.on("console", lambda message: console.append(f"{message.type}: {message.text}"))
    page.on("requestfinished", lambda request: transferred.__setitem__(
        0, transferred[0] + max(request.sizes()["responseBodySize"], 0)))
    page.add_init_script(CSP_WATCH)
    try:
        page.goto(url + path)
        if path.startswith("/data"):
            page.locator('[data-testid="stDataFrame"] canvas').first.wait_for(timeout=90_000)
        else:
            page.locator(CHART_MARKS).first.wait_for(state="attached", timeout=90_000)  # (no eval under this CSP)
        page.wait_for_load_state("networkidle")
        result = Visit(page.evaluate("window.__cspViolations"), console, transferred[0])
    finally:
        context.close()
    print(f"{url}{path}: {result.transferred:,} bytes transferred")
    return result


@pytest.mark.browser
@pytest.mark.parametrize("path", ["/", "/xiangtan?lang=en", "/data"])
def test_pages_render_under_the_csp(stack, browser, path):  # noqa: F811  (browser: the imported fixture)
    seen = browser.run(visit, stack.proxied, path)
    assert [v for v in seen.violations if not v.startswith(FAVICON_FROM_GOOGLE)] == []
    refused = [line for line in seen.console if "Content Security Policy" in line or "Refused to" in line]
    assert [line for line in refused if "fonts.gstatic.com" not in line] == []
    assert stack.trap.requests == []

