"""Many sessions at once: N clients open pages at the same moment, against the real app and against its floor.

Each session is a client speaking Streamlit's websocket protocol (bench/wsclient.py): it connects and asks for a
page (sessions cycle through the five pages), and is done when the server says the script finished. Time to
complete = from the common start signal to that message. Server memory (RSS of the server process, psutil) is
read before, sampled during, after every session has finished (still connected), and after they disconnect.
Only loopback traffic; every session has a deadline, so the loop always ends.
"""
from __future__ import annotations

import threading
import time

from .common import log, median, ms, percentile
from .server import Server
from .wsclient import Session


class RssSampler(threading.Thread):
    def __init__(self, server: Server, every: float = 0.05):
        super().__init__(daemon=True)
        self.server, self.every, self.peak = server, every, 0.0
        self._stop_event = threading.Event()

    def run(self) -> None:
        while not self._stop_event.is_set():
            try:
                self.peak = max(self.peak, self.server.rss_mb())
            except Exception:  # the process is gone: nothing more to sample
                return
            self._stop_event.wait(self.every)

    def stop(self) -> float:
        self._stop_event.set()
        self.join(timeout=2)
        return self.peak


def _session(url: str, path: str, start: threading.Event, timeout: float, out: list, i: int,
             hold: threading.Event) -> None:
    start.wait()
    t0 = time.perf_counter()
    result = {"ok": False, "seconds": float("nan"), "error": ""}
    session = None
    try:
        session = Session(url, timeout=timeout)
        run = session.run(path, keep=False)
        result.update(ok=run.ok, seconds=time.perf_counter() - t0,
                      error="" if run.ok else f"status {run.finished}, {run.exceptions} exception(s)")
    except Exception as exc:  # a refused or dropped connection is a failed session, not a crashed benchmark
        result["error"] = f"{type(exc).__name__}: {str(exc)[:120]}"
    out[i] = result
    hold.wait(timeout)          # stay connected until every session has been measured
    if session:
        session.close()


def run_sessions(server: Server, pages: dict[str, str], n: int, timeout: float = 180) -> dict:
    paths = list(pages.values())
    start, hold = threading.Event(), threading.Event()
    out: list = [None] * n
    threads = [threading.Thread(target=_session, args=(server.url, paths[i % len(paths)], start, timeout, out, i, hold),
                                daemon=True) for i in range(n)]
    for t in threads:
        t.start()
    time.sleep(0.2)
    rss_before, cpu_before = server.rss_mb(), server.cpu_seconds()
    sampler = RssSampler(server)
    sampler.start()
    t0 = time.perf_counter()
    start.set()
    deadline = time.monotonic() + timeout + 10
    while any(r is None for r in out) and time.monotonic() < deadline:
        time.sleep(0.05)
    wall = time.perf_counter() - t0
    rss_after = server.rss_mb()
    peak = sampler.stop()
    cpu = server.cpu_seconds() - cpu_before
    hold.set()
    for t in threads:
        t.join(timeout=10)
    time.sleep(2.0)
    rss_closed = server.rss_mb()
    results = [r or {"ok": False, "seconds": float("nan"), "error": "no answer before the deadline"} for r in out]
    times = [r["seconds"] for r in results if r["ok"]]
    return {"sessions": n, "success": round(sum(r["ok"] for r in results) / n, 4), "p50_ms": ms(median(times)),
            "p95_ms": ms(percentile(times, 95)), "max_ms": ms(max(times)) if times else None, "wall_ms": ms(wall),
            "server_cpu_s": round(cpu, 2), "rss_before_mb": round(rss_before, 1), "rss_peak_mb": round(peak, 1),
            "rss_after_mb": round(rss_after, 1), "rss_after_disconnect_mb": round(rss_closed, 1),
            "rss_per_session_mb": round((rss_after - rss_before) / n, 2),
            "errors": sorted({r["error"] for r in results if not r["ok"]})[:3]}


def measure(real: Server, floor: Server, pages: dict[str, str], levels=(1, 10, 50), timeout: float = 180) -> dict:
    out = {}
    for n in levels:
        entry = {}
        for label, server in (("real", real), ("floor", floor)) if n % 2 == 0 else (("floor", floor), ("real", real)):
            entry[label] = run_sessions(server, pages, n, timeout)
        entry["p95_ratio"] = round(entry["real"]["p95_ms"] / entry["floor"]["p95_ms"], 3) \
            if entry["real"]["p95_ms"] and entry["floor"]["p95_ms"] else None
        out[str(n)] = entry
        log(f"concurrency {n}: real ok {entry['real']['success']:.0%} p95 {entry['real']['p95_ms']} ms "
            f"(+{entry['real']['rss_after_mb'] - entry['real']['rss_before_mb']:.0f} MB); floor ok "
            f"{entry['floor']['success']:.0%} p95 {entry['floor']['p95_ms']} ms "
            f"(+{entry['floor']['rss_after_mb'] - entry['floor']['rss_before_mb']:.0f} MB)")
    return out
