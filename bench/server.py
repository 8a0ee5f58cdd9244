"""Start a Streamlit app (the dashboard or the floor app) on a free loopback port; yield its URL and pid."""
from __future__ import annotations

import contextlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import psutil

from tests.support.server import free_port, serving, streamlit_command

ROOT = Path(__file__).resolve().parent.parent
DASHBOARD = ROOT / "dashboard.py"
FLOOR_APP = Path(__file__).resolve().parent / "floor_app.py"
NODELAY = True   # start servers through bench/nodelay.py (python -m bench --as-shipped sets this to False)


@dataclass
class Server:
    url: str
    pid: int

    def rss_mb(self) -> float:
        return psutil.Process(self.pid).memory_info().rss / 2**20

    def cpu_seconds(self) -> float:
        times = psutil.Process(self.pid).cpu_times()
        return times.user + times.system


@contextlib.contextmanager
def running(script: Path = DASHBOARD, env: dict[str, str] | None = None, log: Path | None = None,
            extra_args: list[str] | None = None) -> Iterator[Server]:
    """``streamlit run script`` on 127.0.0.1 with the repo's .streamlit/config.toml (cwd = repo root), through
    bench/nodelay.py unless NODELAY is off."""
    port = free_port()
    command = streamlit_command(script, port, ["--server.fileWatcherType=none", "--server.runOnSave=false",
                                               *(extra_args or [])])
    if NODELAY:
        command[1:3] = ["-m", "bench.nodelay"]
    url = f"http://127.0.0.1:{port}"
    with serving(command, url, env=env, log=log, append=True) as process:
        yield Server(url, process.pid)
