"""Start a Streamlit app (the dashboard or the floor app) on a free loopback port; yield its URL and pid."""
from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import psutil

ROOT = Path(__file__).resolve().parent.parent
DASHBOARD = ROOT / "dashboard.py"
FLOOR_APP = Path(__file__).resolve().parent / "floor_app.py"


@dataclass
class Server:
    url: str
    pid: int

    def rss_mb(self) -> float:
        return psutil.Process(self.pid).memory_info().rss / 2**20

    def cpu_seconds(self) -> float:
        times = psutil.Process(self.pid).cpu_times()
        return times.user + times.system


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _wait_healthy(url: str, process: subprocess.Popen, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"the app exited with status {process.returncode} before it was healthy")
        with contextlib.suppress(OSError):
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as response:
                if response.status == 200:
                    return
        time.sleep(0.2)
    raise TimeoutError(f"the app at {url} did not become healthy within {timeout:.0f} s")


@contextlib.contextmanager
def running(script: Path = DASHBOARD, env: dict[str, str] | None = None, log: Path | None = None,
            extra_args: list[str] | None = None) -> Iterator[Server]:
    """``streamlit run script`` on 127.0.0.1 with the repo's .streamlit/config.toml (cwd = repo root)."""
    port = _free_port()
    command = [sys.executable, "-m", "streamlit", "run", str(script), "--server.headless=true",
               "--server.address=127.0.0.1", f"--server.port={port}", "--browser.gatherUsageStats=false",
               "--server.fileWatcherType=none", "--server.runOnSave=false", *(extra_args or [])]
    output = open(log, "ab") if log else subprocess.DEVNULL
    process = subprocess.Popen(command, cwd=ROOT, env={**os.environ, **(env or {})}, stdout=output,
                               stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        _wait_healthy(url, process)
        yield Server(url, process.pid)
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)
        if log:
            output.close()
