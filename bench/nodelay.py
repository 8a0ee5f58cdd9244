"""``python -m bench.nodelay run APP [flags]``: ``streamlit run`` with Nagle's algorithm off on its connections.

Why the bench starts both servers (the dashboard and its floor) this way: asyncio turns Nagle off (TCP_NODELAY)
only for sockets whose protocol number is IPPROTO_TCP, and Streamlit 1.67 binds its listening socket with
protocol 0, so every accepted connection keeps Nagle on. A run's messages then wait for the client's delayed
acknowledgement: about 40 ms on every rerun on Linux, whatever the page does (a one-line page: 48 ms, with
TCP_NODELAY 6.5 ms). That stall is the same for the real page and its floor; left in, it would hide our own
per-run cost inside a constant. `python -m bench --as-shipped` measures without this launcher.
"""
from __future__ import annotations

import asyncio.base_events
import socket
import sys


def _set_nodelay(sock: socket.socket) -> None:
    # asyncio's own check, without the protocol-number condition.
    if sock.family in (socket.AF_INET, socket.AF_INET6) and sock.type == socket.SOCK_STREAM:
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)


def main() -> None:
    asyncio.base_events._set_nodelay = _set_nodelay   # looked up at call time by the socket transports
    from streamlit.web.cli import main as streamlit_main

    sys.argv[0] = "streamlit"
    streamlit_main(prog_name="streamlit")


if __name__ == "__main__":
    main()
