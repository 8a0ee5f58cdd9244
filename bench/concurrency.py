"""Many sessions at once: N clients open pages at the same moment, against the real app and against its floor.

Each session is a client speaking Streamlit's websocket protocol (bench/wsclient.py): it connects and asks for a
page (sessions cycle through the five pages), and is done when the server says the script finished. Time to
complete = from the common start signal to that message. Server memory (RSS of the server process, psutil) is
read before, sampled during, after every session has finished (still connected), and after they disconnect.
A level can be repeated (rounds); the round with the median p95 stands for the app, and every round's p95 is kept.
Only loopback traffic; every session has a deadline, so the loop always ends.
"""
from __future__ import annotations

import threading
import time

import psutil

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
             hold: threading.Event, source: str | None) -> None:
    start.wait()
    t0 = time.perf_counter()
    result = {"ok": False, "seconds": float("nan"), "error": ""}
    session = None
    try:
        session = Session(url, timeout=timeout, source=source)
        run = session.run(path, keep=False)
        result.update(ok=run.ok, seconds=time.perf_counter() - t0,
                      error="" if run.ok else f"status {run.finished}, {run.exceptions} exception(s)")
    except Exception as exc:  # a refused or dropped connection is a failed session, not a crashed benchmark
        result["error"] = f"{type(exc).__name__}: {str(exc)[:120]}"
    out[i] = result
    hold.wait(timeout)          # stay connected until every session has been measured
    if session:
        session.close()


def reader_address(i: int) -> str:
    """A loopback address of its own for session ``i`` (127.0.1.1, 127.0.1.2, …): many readers, not one."""
    return f"127.0.{1 + i // 250}.{1 + i % 250}"


def run_sessions(server: Server, pages: dict[str, str], n: int, timeout: float = 180, readers: bool = False) -> dict:
    """``readers``: each session from a loopback address of its own, as separate readers reach a proxy (nginx
    limits WebSocket connections per client address; from one address the 65th session would be refused)."""
    paths = list(pages.values())
    start, hold = threading.Event(), threading.Event()
    out: list = [None] * n
    threads = [threading.Thread(target=_session, args=(server.url, paths[i % len(paths)], start, timeout, out, i, hold,
                                                       reader_address(i) if readers else None),
                                daemon=True) for i in range(n)]
    for t in threads:
        t.start()
    time.sleep(0.2)
    rss_before, cpu_before = server.rss_mb(), server.cpu_seconds()
    client_before = sum(psutil.Process().cpu_times()[:2])   # this process: every session's client
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
    client_cpu = sum(psutil.Process().cpu_times()[:2]) - client_before
    hold.set()
    for t in threads:
        t.join(timeout=10)
    time.sleep(2.0)
    rss_closed = server.rss_mb()
    results = [r or {"ok": False, "seconds": float("nan"), "error": "no answer before the deadline"} for r in out]
    times = [r["seconds"] for r in results if r["ok"]]
    return {"sessions": n, "success": round(sum(r["ok"] for r in results) / n, 4), "p50_ms": ms(median(times)),
            "p95_ms": ms(percentile(times, 95)), "max_ms": ms(max(times)) if times else None, "wall_ms": ms(wall),
            "server_cpu_s": round(cpu, 2), "client_cpu_s": round(client_cpu, 2), "rss_before_mb": round(rss_before, 1), "rss_peak_mb": round(peak, 1),
            "rss_after_mb": round(rss_after, 1), "rss_after_disconnect_mb": round(rss_closed, 1),
            "rss_per_session_mb": round((rss_after - rss_before) / n, 2),
            "errors": sorted({r["error"] for r in results if not r["ok"]})[:3]}


def _median_round(rounds: list[dict]) -> dict:
    """The round with the median p95 stands for the app (one burst's p95 is one sample of a tail: noisy)."""
    ranked = sorted(rounds, key=lambda r: (r["p95_ms"] is None, r["p95_ms"] or 0.0))
    chosen = dict(ranked[(len(ranked) - 1) // 2])
    chosen["p95_rounds_ms"] = [r["p95_ms"] for r in rounds]
    chosen["success_all_rounds"] = min(r["success"] for r in rounds)
    chosen["rss_first_mb"], chosen["rss_last_mb"] = rounds[0]["rss_before_mb"], rounds[-1]["rss_after_disconnect_mb"]
    return chosen


def measure(real: Server, floor: Server, pages: dict[str, str], levels=(1, 10, 50), timeout: float = 180,
            rounds: dict[int, int] | None = None) -> dict:
    """Each level ``rounds[n]`` times per app (default once), real and floor alternating, on the same two servers
    (so the last rounds also show whether a long-lived server slows down)."""
    out = {}
    for n in levels:
        runs: dict[str, list[dict]] = {"real": [], "floor": []}
        for i in range((rounds or {}).get(n, 1)):
            order = (("real", real), ("floor", floor)) if (n + i) % 2 == 0 else (("floor", floor), ("real", real))
            for label, server in order:
                runs[label].append(run_sessions(server, pages, n, timeout))
        entry = {label: _median_round(results) for label, results in runs.items()}
        entry["rounds"] = len(runs["real"])
        entry["p95_ratio"] = round(entry["real"]["p95_ms"] / entry["floor"]["p95_ms"], 3) \
            if entry["real"]["p95_ms"] and entry["floor"]["p95_ms"] else None
        out[str(n)] = entry
        log(f"concurrency {n} ({entry['rounds']} round(s)): real ok {entry['real']['success_all_rounds']:.0%} p95 "
            f"{entry['real']['p95_rounds_ms']} ms (+{entry['real']['rss_after_mb'] - entry['real']['rss_before_mb']:.0f}"
            f" MB); floor ok {entry['floor']['success_all_rounds']:.0%} p95 {entry['floor']['p95_rounds_ms']} ms "
            f"(+{entry['floor']['rss_after_mb'] - entry['floor']['rss_before_mb']:.0f} MB)")
    return out
