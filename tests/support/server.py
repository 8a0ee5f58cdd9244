"""Start servers (the dashboard, any Streamlit script, nginx) on free loopback ports and stop them afterwards: for
the browser, proxy and hosted-mode tests, and for the benchmarks."""
from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_healthy(url: str, timeout: float = 60.0, process: subprocess.Popen | None = None) -> None:
    """Until ``url``'s Streamlit health check answers 200; fail early if ``process`` has exited."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process is not None and process.poll() is not None:
            raise RuntimeError(f"the server exited with status {process.returncode} before {url} was healthy")
        with contextlib.suppress(OSError):
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as response:
                if response.status == 200:
                    return
        time.sleep(0.2)
    raise TimeoutError(f"the app at {url} did not become healthy within {timeout:.0f} s")


@contextlib.contextmanager
def serving(command: list[str], url: str, cwd: Path = ROOT, env: dict[str, str] | None = None,
            log: Path | None = None, timeout: float = 60.0, append: bool = False) -> Iterator[subprocess.Popen]:
    """Run ``command`` (its output to ``log``), wait until ``url`` is healthy, yield the process; stop it."""
    output = open(log, "ab" if append else "wb") if log else subprocess.DEVNULL
    process = subprocess.Popen(command, cwd=cwd, env={**os.environ, **(env or {})}, stdout=output,
                               stderr=subprocess.STDOUT)
    try:
        wait_healthy(url, timeout, process)
        yield process
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)
        if log:
            output.close()


def streamlit_command(script: Path | str, port: int, extra_args: list[str] | None = None) -> list[str]:
    return [sys.executable, "-m", "streamlit", "run", str(script), "--server.headless=true",
            "--server.address=127.0.0.1", f"--server.port={port}", "--browser.gatherUsageStats=false",
            *(extra_args or [])]


@contextlib.contextmanager
def running_app(extra_args: list[str] | None = None, env: dict[str, str] | None = None,
                log: Path | None = None, script: Path = ROOT / "dashboard.py", warm: bool = True) -> Iterator[str]:
    """Yield the base URL of a fresh ``streamlit run dashboard.py`` (or ``script``) on 127.0.0.1, warmed up."""
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    with serving(streamlit_command(script, port, extra_args), url, env=env, log=log):
        if warm and Path(script).name == "dashboard.py":
            warm_up(url)
        yield url


def warm_up(url: str) -> None:
    """One session on the overview first: a known limitation of plain ``streamlit run``, not a check. Until the
    first script run of a process, Streamlit resolves a URL against the files in pages/ (its legacy multipage
    mode); a case has no file of its own (every case is pages/case.py), so the very first request after a start,
    if it is a deep link to a case, gets Streamlit's "Page not found" notice before ui.ensure_entry_script reruns
    it onto the right case page (``python -m deploy.serve`` has no such first request; tests/test_deep_links.py
    shows both). Warmed up, the tests do not depend on which page they open first."""
    from bench.wsclient import Session

    with Session(url) as session:
        session.run("")
