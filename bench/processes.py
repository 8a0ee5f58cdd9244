"""The ``processes`` section (``python -m bench --only processes``, or alone: ``python -m bench.processes``): more
readers through several app processes, a process killed under load, and the per-interaction wait.

1. **Processes**: ``N`` sessions at once through ``deploy/nginx.conf`` (the very file, ports rewritten, as
   tests/test_proxy.py runs it) in front of one app process and in front of two, each started as hosting starts it
   (``python -m deploy.hosted``). Every session comes from a loopback address of its own, as readers do (nginx
   limits WebSocket connections per address). Rounds alternate one/two; the round with the median p95 stands for
   each. Target (issue "Scale"): with 2 processes, 100 % success and p95 ≤ 0.65× of one process's.
2. **Failover**: readers (each with its own route cookie and address) rerun their pages on two processes; one
   process is killed while they do. Each reader whose connection drops reconnects with the same cookie, as
   Streamlit's page does, and asks for the same page and query again. Target: every one of them gets its page
   from the live process without an exception.
3. **Wait**: the warm rerun time of each page under plain ``streamlit run`` (Nagle's algorithm on every connection)
   and under ``python -m deploy.serve`` (the project's launcher: Nagle off, public APIs only), runs alternating.

Loopback only; every session has a deadline.
"""
from __future__ import annotations

import argparse
import contextlib
import json
import secrets
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import psutil

from deploy import hosted
from tests.support.server import free_port, serving, streamlit_command
from tests.test_proxy import fetch, running_nginx

from .common import log, median, ms, other_load, percentile, ratio
from .concurrency import reader_address, run_sessions
from .wsclient import Session

HERE = Path(__file__).resolve().parent
PAGES = {"overview": "", "xiangtan": "xiangtan", "heilongjiang": "heilongjiang", "fangchenggang": "fangchenggang",
         "data": "data"}
# The plan (python -m bench --quick: one round, fewer readers and reruns; still 100 sessions, the load).
FULL = {"process_sessions": 100, "process_rounds": 3, "failover_readers": 20, "wait_runs": 15}
QUICK = {"process_sessions": 100, "process_rounds": 1, "failover_readers": 10, "wait_runs": 7}


@dataclass
class Group:
    """Several app processes behind one URL, measured together (the interface bench/concurrency.py reads)."""
    url: str
    apps: dict[str, object]            # "127.0.0.1:PORT" → its process
    access_log: Path                   # nginx: uri|status|upstream(s)|route (tests/test_proxy.py's format)
    pids: list[int] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.pids = [process.pid for process in self.apps.values()]

    def rss_mb(self) -> float:
        return sum(psutil.Process(pid).memory_info().rss for pid in self.pids) / 2**20

    def cpu_seconds(self) -> float:
        return sum(sum(psutil.Process(pid).cpu_times()[:2]) for pid in self.pids)

    def served(self, route: str) -> list[str]:
        """The processes that answered the requests of ``route``, in order ("A, B" in the log: A failed, B answered)."""
        rows = [line.split("|") for line in self.access_log.read_text(encoding="utf-8").splitlines()]
        return [row[2].split(",")[-1].strip() for row in rows if len(row) == 4 and row[3] == route]


@contextlib.contextmanager
def behind_nginx(processes: int, work: Path) -> Iterator[Group]:
    with contextlib.ExitStack() as stack:
        apps = {}
        for i in range(processes):
            port = free_port()
            apps[f"127.0.0.1:{port}"] = stack.enter_context(serving(
                hosted.command([f"--server.port={port}"]), f"http://127.0.0.1:{port}", env=hosted.hosted_environment(),
                log=work / f"app{processes}-{i}.log"))
        prefix = work / f"nginx{processes}"
        proxied = stack.enter_context(running_nginx(prefix, [f"http://{a}" for a in apps]))
        for path in PAGES.values():   # warm every page once in every process (new routes spread the sessions)
            for _ in range(processes * 3):
                with Session(proxied) as session:
                    session.run(path, keep=False)
        yield Group(proxied, apps, prefix / "access.log")


def measure_processes(n: int, rounds: int, work: Path) -> dict:
    results: dict[str, list[dict]] = {"1": [], "2": []}
    with behind_nginx(1, work) as one, behind_nginx(2, work) as two:
        for i in range(rounds):
            for label, group in ((("1", one), ("2", two)) if i % 2 == 0 else (("2", two), ("1", one))):
                result = run_sessions(group, PAGES, n, readers=True)
                results[label].append(result)
                log(f"{n} sessions, {label} process(es), round {i + 1}: ok {result['success']:.0%}, "
                    f"p50 {result['p50_ms']} ms, p95 {result['p95_ms']} ms {result['errors'] or ''}")
    chosen = {label: sorted(rs, key=lambda r: r["p95_ms"])[(len(rs) - 1) // 2] for label, rs in results.items()}
    return {"sessions": n, "rounds": rounds,
            "one": {**chosen["1"], "p95_rounds_ms": [r["p95_ms"] for r in results["1"]]},
            "two": {**chosen["2"], "p95_rounds_ms": [r["p95_ms"] for r in results["2"]]},
            "success_one_all_rounds": min(r["success"] for r in results["1"]),
            "success_two_all_rounds": min(r["success"] for r in results["2"]),
            "p95_ratio": ratio(chosen["2"]["p95_ms"], chosen["1"]["p95_ms"]),
            # round by round (each pair ran back to back): how steady the ratio is
            "p95_ratio_rounds": [ratio(b["p95_ms"], a["p95_ms"]) for a, b in zip(results["1"], results["2"])]}


# --- a process killed under load -----------------------------------------------------------------------------
class Kill(threading.Event):
    """Set when the process is killed; ``at`` is when."""
    at = float("nan")

    def now(self) -> None:
        self.at = time.monotonic()
        self.set()


@dataclass
class Reader:
    """One reader: a route cookie, an address, a page with its query, and what happened to it."""
    QUERY = "lang=en"

    index: int
    path: str
    url: str = ""
    route: str = field(default_factory=lambda: secrets.token_hex(16))
    runs: int = 0
    dropped_at: float | None = None
    recovered_ms: float | None = None
    recovered_ok: bool = False
    exceptions: int = 0
    error: str = ""

    @property
    def cookie(self) -> str:
        return f"dashboard_route={self.route}"

    def session(self) -> Session:
        return Session(self.url, timeout=60, cookie=self.cookie, source=reader_address(self.index))

    def read(self, url: str, killed: Kill, stop: threading.Event, ready: threading.Barrier) -> None:
        """Rerun the page until told to stop; if the connection drops, reconnect once and ask for it again."""
        self.url = url
        try:
            with self.session() as session:
                self.exceptions += session.run(self.path, self.QUERY, keep=False).exceptions
                ready.wait(timeout=120)
                while not stop.is_set():
                    run = session.run(self.path, self.QUERY, keep=False)
                    self.exceptions += run.exceptions
                    if run.finished is None:
                        raise ConnectionError("no script_finished")
                    self.runs += 1
        except Exception as dropped:   # the process behind this reader was killed (or the reader failed before)
            if not killed.is_set():
                self.error = f"before the kill: {type(dropped).__name__}: {str(dropped)[:100]}"
                return
            self.dropped_at = time.monotonic()
            self.reconnect(killed)

    def reconnect(self, killed: Kill) -> None:
        """What Streamlit's page does when its connection drops: connect again, rerun the page from its URL."""
        try:
            with self.session() as again:
                run = again.run(self.path, self.QUERY, keep=False)
            self.recovered_ok, self.exceptions = run.ok, self.exceptions + run.exceptions
            self.recovered_ms = ms(time.monotonic() - killed.at)
        except Exception as failed:
            self.error = f"reconnect: {type(failed).__name__}: {str(failed)[:100]}"


def upstream_of(group: Group, reader: Reader) -> str:
    assert fetch(group.url, "/_stcore/health", {"Cookie": reader.cookie}).status == 200
    time.sleep(0.05)
    return group.served(reader.route)[-1]


def measure_failover(readers: int, work: Path, settle_s: float = 3.0) -> dict:
    (work / "failover").mkdir(exist_ok=True)
    with behind_nginx(2, work / "failover") as group:
        paths = list(PAGES.values())
        people = [Reader(i, paths[i % len(paths)]) for i in range(readers)]
        killed, stop = Kill(), threading.Event()
        ready = threading.Barrier(readers + 1)
        threads = [threading.Thread(target=r.read, args=(group.url, killed, stop, ready), daemon=True) for r in people]
        for t in threads:
            t.start()
        with contextlib.suppress(threading.BrokenBarrierError):   # a reader that failed first says so below
            ready.wait(timeout=180)
        time.sleep(1.0)           # under load: every reader rerunning its page
        # A WebSocket's log line is written when it closes: ask nginx once more with each reader's cookie (the
        # same hash, so the same process) to learn where each reader is.
        where = {r.index: upstream_of(group, r) for r in people}
        victim = where[0]
        on_victim = [r for r in people if where[r.index] == victim]
        process = group.apps.pop(victim)
        process.kill()
        killed.now()
        process.wait(timeout=10)
        log(f"failover: killed {victim} under {readers} readers ({len(on_victim)} on it)")
        time.sleep(settle_s)
        stop.set()
        for t in threads:
            t.join(timeout=90)
        time.sleep(0.3)           # nginx writes a request's log line when it ends
        live = next(iter(group.apps))
        moved = [r for r in on_victim if r.recovered_ok and r.exceptions == 0 and group.served(r.route)[-1] == live]
        others = [r for r in people if r not in on_victim]
        times = [r.recovered_ms for r in on_victim if r.recovered_ms is not None]
        result = {"readers": readers, "on_killed": len(on_victim), "recovered": len(moved),
                  "recovered_share": round(len(moved) / len(on_victim), 4) if on_victim else None,
                  "recovery_p50_ms": median(times) if times else None,
                  "recovery_max_ms": max(times) if times else None,
                  "others_ok": sum(not r.error and r.dropped_at is None and r.exceptions == 0 for r in others),
                  "others": len(others), "runs_during": sum(r.runs for r in people),
                  "errors": sorted({r.error for r in people if r.error})[:3]}
    log(f"failover: {result['recovered']}/{result['on_killed']} readers of the killed process got their page from "
        f"the live one (p50 {result['recovery_p50_ms']} ms after the kill); {result['others_ok']}/{result['others']} "
        "others unaffected")
    return result


# --- the per-interaction wait --------------------------------------------------------------------------------
def measure_wait(runs: int, work: Path) -> dict:
    """Warm reruns of each page on both launchers, alternating run by run (the same noise on both sides)."""
    shipped_port, serve_port = free_port(), free_port()
    out = {}
    with serving(streamlit_command(hosted.ENTRY, shipped_port), f"http://127.0.0.1:{shipped_port}",
                 env=hosted.hosted_environment(), log=work / "shipped.log"), \
            serving(hosted.command([f"--server.port={serve_port}"]), f"http://127.0.0.1:{serve_port}",
                    env=hosted.hosted_environment(), log=work / "serve.log"):
        for name, path in PAGES.items():
            with Session(f"http://127.0.0.1:{shipped_port}") as plain, \
                    Session(f"http://127.0.0.1:{serve_port}") as ours:
                times: dict[str, list[float]] = {"plain": [], "ours": []}
                for session in (plain, ours):   # warm: the page's first run in this session
                    session.run(path, keep=False)
                for i in range(runs):
                    order = (("plain", plain), ("ours", ours)) if i % 2 == 0 else (("ours", ours), ("plain", plain))
                    for label, session in order:
                        times[label].append(session.run(path, keep=False).seconds)
            a, b = ms(median(times["plain"])), ms(median(times["ours"]))
            out[name] = {"streamlit_run_ms": a, "deploy_serve_ms": b, "saved_ms": round(a - b, 1),
                         "streamlit_run_p25_ms": ms(percentile(times["plain"], 25)),
                         "deploy_serve_p25_ms": ms(percentile(times["ours"], 25))}
            log(f"rerun {name}: streamlit run {a} ms, deploy.serve {b} ms (median of {runs})")
    return out


def measure(work: Path, process_sessions: int, process_rounds: int, failover_readers: int, wait_runs: int) -> dict:
    """The whole section (its plan: FULL's keys); ``work`` holds the servers' and nginx's logs."""
    started = time.monotonic()
    result = {"other_cpu_load_at_start": other_load(), "wait": measure_wait(wait_runs, work),
              "processes": measure_processes(process_sessions, process_rounds, work),
              "failover": measure_failover(failover_readers, work)}
    result["other_cpu_load_at_end"] = other_load()
    result["seconds"] = round(time.monotonic() - started, 1)
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.processes", description=__doc__.splitlines()[0])
    parser.add_argument("--sessions", type=int, default=FULL["process_sessions"])
    parser.add_argument("--rounds", type=int, default=FULL["process_rounds"])
    parser.add_argument("--readers", type=int, default=FULL["failover_readers"], help="readers when a process dies")
    parser.add_argument("--runs", type=int, default=FULL["wait_runs"], help="warm reruns per page for the wait")
    parser.add_argument("--out", type=Path, default=HERE / "results" / "processes.json")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="bench-processes-") as folder:
        result = measure(Path(folder), args.sessions, args.rounds, args.readers, args.runs)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    p = result["processes"]
    print(f"{p['sessions']} sessions: p95 one process {p['one']['p95_ms']} ms, two {p['two']['p95_ms']} ms "
          f"(ratio {p['p95_ratio']}, target ≤ 0.65); success with two {p['success_two_all_rounds']:.0%}")
    f = result["failover"]
    print(f"kill under load: {f['recovered']}/{f['on_killed']} readers back on the live process")
    for name, row in result["wait"].items():
        print(f"rerun {name}: streamlit run {row['streamlit_run_ms']} ms → deploy.serve {row['deploy_serve_ms']} ms")
    print(f"other processes' CPU: {result['other_cpu_load_at_start']} → {result['other_cpu_load_at_end']} cores")
    return 0


if __name__ == "__main__":
    sys.exit(main())
