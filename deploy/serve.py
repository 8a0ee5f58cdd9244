"""``python -m deploy.serve [--section.option=value …]``: the dashboard with Nagle's algorithm off, on public APIs.

Why not plain ``streamlit run``: Streamlit 1.67 binds its listening socket with protocol number 0, and asyncio turns
Nagle's algorithm off (TCP_NODELAY) only on connections of sockets made with IPPROTO_TCP. Every accepted connection
then keeps Nagle on, and in each rerun the messages after the first small one wait for the browser's delayed
acknowledgement: about 40 ms per interaction on Linux, up to 200 ms on Windows (bench/README.md). Here the
listening socket is made with IPPROTO_TCP and Streamlit's documented ASGI app (``st.App``) runs on uvicorn's public
``Server`` API, so asyncio sets TCP_NODELAY on every connection. Nothing private of Streamlit or asyncio is touched.

Settings come from ``.streamlit/config.toml``, ``STREAMLIT_*`` environment variables and ``--section.option=value``
flags, exactly as ``streamlit run`` reads them (flags win over variables, variables over the files), and are laid
over the config files with the function ``streamlit run`` uses (``streamlit.web.bootstrap.load_config_options``). Unlike ``streamlit run``,
the default address is 127.0.0.1: a dashboard started on an official's machine is not served to the whole network
unless ``--server.address=0.0.0.0`` says so.
"""
from __future__ import annotations

import logging
import os
import socket
import sys
import threading
import urllib.request
import webbrowser
from collections.abc import Mapping

from deploy.hosted import ENTRY, ROOT

DEFAULT_ADDRESS = "127.0.0.1"
BACKLOG = 2048


def parse_flags(args: list[str]) -> dict[str, list[str]]:
    """``--server.port=8502 --server.allowedHosts a --server.allowedHosts=b`` → {"server.port": ["8502"], …}.
    Raises ValueError on a word that is not such a flag."""
    values: dict[str, list[str]] = {}
    words = iter(args)
    for word in words:
        if not word.startswith("--") or "." not in word:
            raise ValueError(f"not a --section.option flag: {word!r}")
        key, has_value, value = word[2:].partition("=")
        if not has_value:
            value = next(words, None)
            if value is None:
                raise ValueError(f"{word} needs a value")
        values.setdefault(key, []).append(value)
    return values


_TRUE, _FALSE = ("true", "1", "yes", "on"), ("false", "0", "no", "off")


def _typed(raw: str, kind: type) -> object:
    if kind is bool:
        if raw.lower() not in _TRUE + _FALSE:
            raise ValueError(f"{raw!r} is not true or false")
        return raw.lower() in _TRUE
    return kind(raw) if kind in (int, float) else raw


def streamlit_options(args: list[str], environ: Mapping[str, str]) -> dict[str, object]:
    """What ``streamlit run`` would take from these flags and from ``STREAMLIT_*`` variables (flags win), typed
    as Streamlit's command line types them, keyed as its flag options are (``server_port``)."""
    from streamlit import config

    known = config.get_config_options()
    flags = parse_flags(args)
    unknown = sorted(set(flags) - set(known))
    if unknown:
        raise ValueError(f"unknown option(s): {', '.join(unknown)}")
    options: dict[str, object] = {}
    for key, option in known.items():
        if key in flags:
            raw = flags[key]
        elif option.env_var in environ:
            raw = environ[option.env_var].split() if option.multiple else [environ[option.env_var]]
        else:
            continue
        values = [_typed(value, option.type) for value in raw]
        options[key.replace(".", "_")] = tuple(values) if option.multiple else values[-1]
    return options


def listening_socket(address: str, port: int) -> socket.socket:
    """A bound, listening TCP socket made with IPPROTO_TCP (the point of this module: see the docstring)."""
    family = socket.AF_INET6 if ":" in address else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    if os.name != "nt":   # on Windows SO_REUSEADDR would let two servers share a port
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind((address, port))
    sock.listen(BACKLOG)
    sock.set_inheritable(True)
    return sock


def uvicorn_settings(get_option) -> dict:
    """The WebSocket settings ``streamlit run`` gives uvicorn, from the same Streamlit options."""
    interval = get_option("server.websocketPingInterval")
    return {
        "ws": "websockets-sansio",
        "ws_max_size": int(get_option("server.maxMessageSize")) * 1024 * 1024,
        "ws_per_message_deflate": bool(get_option("server.enableWebsocketCompression")),
        **({"ws_ping_interval": int(interval), "ws_ping_timeout": int(interval)} if interval else {}),
        "lifespan": "on", "access_log": False, "use_colors": False, "log_level": "warning",
    }


def open_browser_when_ready(url: str) -> None:
    """Local use: open the dashboard in the browser once it answers (as ``streamlit run`` does when not headless)."""
    def wait_and_open() -> None:
        for _ in range(300):
            try:
                with urllib.request.urlopen(url + "/_stcore/health", timeout=1):
                    webbrowser.open(url)
                    return
            except OSError:
                threading.Event().wait(0.2)
    threading.Thread(target=wait_and_open, daemon=True).start()


def serve(args: list[str], environ: Mapping[str, str] = os.environ) -> int:
    os.chdir(ROOT)
    import streamlit as st
    import uvicorn
    from streamlit.web import bootstrap

    try:
        options = streamlit_options(args, environ)
    except ValueError as bad:
        print(f"deploy.serve: {bad}", file=sys.stderr)
        return 2
    # The function `streamlit run` itself calls to lay its flags over the config files (read from the working
    # folder, the entry script's), before the app is made, so that it starts with them.
    # Reading the option types above parsed the files once, so this second parse would warn that [server] options
    # changed and ask for a restart: nothing has started yet, so that warning is silenced for this call only.
    config_logger = logging.getLogger("streamlit.config")
    level = config_logger.level
    config_logger.setLevel(logging.ERROR)
    try:
        bootstrap.load_config_options(options)
    finally:
        config_logger.setLevel(level)
    # Every page is declared by st.navigation (dashboard.py): Streamlit's legacy pages/ resolution, which would
    # answer a first request for a case (/heilongjiang: no file of its own, every case is pages/case.py) with a
    # "Page not found" notice, is switched off before the first session rather than by it (ui.ensure_entry_script).
    from streamlit.runtime.pages_manager import PagesManager
    PagesManager.uses_pages_directory = False
    app = st.App(str(ENTRY))
    address = str(st.get_option("server.address") or DEFAULT_ADDRESS)
    port = int(st.get_option("server.port"))
    try:
        sock = listening_socket(address, port)
    except OSError as busy:
        print(f"deploy.serve: cannot listen on {address}:{port} ({busy.strerror}); "
              f"choose another port with --server.port=PORT", file=sys.stderr)
        return 1
    url = f"http://{'localhost' if address in ('127.0.0.1', '::1') else address}:{port}"
    print(f"Dashboard: {url}", flush=True)
    if not st.get_option("server.headless"):
        open_browser_when_ready(url)
    uvicorn.Server(uvicorn.Config(app, **uvicorn_settings(st.get_option))).run(sockets=[sock])
    return 0


def main(argv: list[str] | None = None) -> int:
    return serve(sys.argv[1:] if argv is None else argv)


if __name__ == "__main__":
    sys.exit(main())
