"""deploy/serve.py: the launcher reads settings as ``streamlit run`` does, and its connections have Nagle's
algorithm off (TCP_NODELAY), which is why it exists (plain ``streamlit run`` keeps Nagle on: a control shows it)."""
from __future__ import annotations

import asyncio
import socket
import sys
from concurrent.futures import ThreadPoolExecutor

import psutil
import pytest

from bench.wsclient import Session
from deploy import serve

from .support.server import free_port, serving


@pytest.mark.parametrize("args,environ,expected", [
    (["--server.port=8502"], {}, {"server_port": 8502}),
    (["--server.port", "8502"], {"STREAMLIT_SERVER_PORT": "9000"}, {"server_port": 8502}),        # flag wins
    ([], {"STREAMLIT_SERVER_PORT": "9000"}, {"server_port": 9000}),                               # then the variable
    (["--server.allowedHosts=a.example", "--server.allowedHosts=b.example"], {},
     {"server_allowedHosts": ("a.example", "b.example")}),                                       # repeated → list
    ([], {"STREAMLIT_SERVER_ALLOWED_HOSTS": "a.example b.example"},
     {"server_allowedHosts": ("a.example", "b.example")}),                                       # as the CLI splits it
    (["--server.headless=true", "--server.enableCORS=false"], {},
     {"server_headless": True, "server_enableCORS": False}),
    ([], {"UNRELATED": "1"}, {}),
])
def test_options_are_read_as_streamlit_run_reads_them(args, environ, expected):
    assert serve.streamlit_options(args, environ) == expected


@pytest.mark.parametrize("args,message", [
    (["--server.nonsense=1"], "unknown option(s): server.nonsense"),
    (["dashboard.py"], "not a --section.option flag"),
    (["--server.port"], "--server.port needs a value"),
    (["--server.headless=maybe"], "is not true or false"),
    (["--server.port=eighty"], "invalid literal"),
])
def test_bad_flags_are_refused_with_a_reason(args, message):
    with pytest.raises(ValueError, match=message.replace("(", r"\(").replace(")", r"\)")):
        serve.streamlit_options(args, {})


def test_a_bad_flag_stops_the_launcher_with_one_line(capsys):
    assert serve.serve(["--server.nonsense=1"], {}) == 2
    assert capsys.readouterr().err.strip() == "deploy.serve: unknown option(s): server.nonsense"


def accepted_nodelay(listener: socket.socket) -> int:
    """TCP_NODELAY of the connection an asyncio server accepts on ``listener`` (uvicorn serves through asyncio)."""
    async def probe() -> int:
        seen: asyncio.Future = asyncio.get_running_loop().create_future()

        class Probe(asyncio.Protocol):
            def connection_made(self, transport):
                sock = transport.get_extra_info("socket")
                seen.set_result(sock.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY))
                transport.close()

        server = await asyncio.get_running_loop().create_server(Probe, sock=listener)
        async with server:
            _, writer = await asyncio.open_connection(*listener.getsockname()[:2])
            value = await asyncio.wait_for(seen, 10)
            writer.close()
            return value
    # In a thread of its own: an earlier test in the same process may have left an event loop running here.
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, probe()).result(timeout=30)


def test_connections_of_the_launcher_s_socket_have_nagle_off():
    assert accepted_nodelay(serve.listening_socket("127.0.0.1", 0)) != 0


def test_control_a_socket_made_as_streamlit_makes_it_keeps_nagle_on():
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)   # protocol 0, as Streamlit 1.67 binds
    listener.bind(("127.0.0.1", 0))
    listener.listen()
    assert accepted_nodelay(listener) == 0


def test_the_launcher_serves_the_dashboard_on_the_loopback_only(tmp_path):
    """Started as a local user starts it (no address given): the page runs, and nobody else on the network sees it."""
    port = free_port()
    command = [sys.executable, "-m", "deploy.serve", f"--server.port={port}", "--server.headless=true"]
    with serving(command, f"http://127.0.0.1:{port}", log=tmp_path / "serve.log") as process:
        listening = {c.laddr for c in psutil.Process(process.pid).net_connections("tcp") if c.status == "LISTEN"}
        with Session(f"http://127.0.0.1:{port}") as session:
            run = session.run("heilongjiang", "lang=en")
    assert listening == {("127.0.0.1", port)}
    assert run.ok and run.elements("plotly_chart")
