"""``python -m bench.processes``: more readers through several app processes, and the per-interaction wait.

1. **Processes**: ``N`` sessions at once through ``deploy/nginx.conf`` (the very file, ports rewritten, as
   tests/test_proxy.py runs it) in front of one app process and in front of two, each started as hosting starts it
   (``python -m deploy.hosted``). Rounds alternate one/two; the round with the median p95 stands for each. Target
   (issue "Scale"): with 2 processes, 100 % success and p95 ≤ 0.65× of one process's.
2. **Wait**: the warm rerun time of each page under plain ``streamlit run`` (Nagle's algorithm on every connection)
   and under ``python -m deploy.serve`` (the project's launcher: Nagle off, public APIs only).

Loopback only; every session has a deadline. Results: bench/results/processes.json and a section of bench/README.md
(written by hand from the printed table).
"""
from __future__ import annotations

import argparse
import contextlib
import json
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import psutil

from deploy import hosted
from tests.support.server import free_port, serving, streamlit_command
from tests.test_proxy import running_nginx

from .common import log, median, ms, ratio
from .concurrency import run_sessions
from .wsclient import Session

HERE = Path(__file__).resolve().parent
PAGES = {"overview": "", "xiangtan": "xiangtan", "heilongjiang": "heilongjiang", "fangchenggang": "fangchenggang",
         "data": "data"}


@dataclass
class Group:
    """Several app processes behind one URL, measured together (the interface bench/concurrency.py reads)."""
    url: str
    pids: list[int]

    def rss_mb(self) -> float:
        return sum(psutil.Process(pid).memory_info().rss for pid in self.pids) / 2**20

    def cpu_seconds(self) -> float:
        return sum(sum(psutil.Process(pid).cpu_times()[:2]) for pid in self.pids)


@contextlib.contextmanager
def behind_nginx(processes: int, work: Path) -> Iterator[Group]:
    with contextlib.ExitStack() as stack:
        urls, pids = [], []
        for i in range(processes):
            port = free_port()
            url = f"http://127.0.0.1:{port}"
            process = stack.enter_context(serving(hosted.command([f"--server.port={port}"]), url,
                                                  env=hosted.hosted_environment(), log=work / f"app{processes}-{i}.log"))
            urls.append(url)
            pids.append(process.pid)
        proxied = stack.enter_context(running_nginx(work / f"nginx{processes}", urls))
        for path in PAGES.values():   # warm every page once in every process (new routes spread the sessions)
            for _ in range(processes * 3):
                with Session(proxied) as session:
                    session.run(path, keep=False)
        yield Group(proxied, pids)


def measure_processes(n: int, rounds: int, work: Path) -> dict:
    results: dict[str, list[dict]] = {"1": [], "2": []}
    with behind_nginx(1, work) as one, behind_nginx(2, work) as two:
        for i in range(rounds):
            for label, group in ((("1", one), ("2", two)) if i % 2 == 0 else (("2", two), ("1", one))):
                result = run_sessions(group, PAGES, n)
                results[label].append(result)
                log(f"{n} sessions, {label} process(es), round {i + 1}: ok {result['success']:.0%}, "
                    f"p95 {result['p95_ms']} ms")
    chosen = {label: sorted(rs, key=lambda r: r["p95_ms"])[(len(rs) - 1) // 2] for label, rs in results.items()}
    return {"sessions": n, "rounds": rounds,
            "one": {**chosen["1"], "p95_rounds_ms": [r["p95_ms"] for r in results["1"]]},
            "two": {**chosen["2"], "p95_rounds_ms": [r["p95_ms"] for r in results["2"]]},
            "success_two_all_rounds": min(r["success"] for r in results["2"]),
            "p95_ratio": ratio(chosen["2"]["p95_ms"], chosen["1"]["p95_ms"])}


@contextlib.contextmanager
def launched(command: list[str], url: str, work: Path, name: str) -> Iterator[str]:
    with serving(command, url, env=hosted.hosted_environment(), log=work / f"{name}.log"):
        yield url


def rerun_ms(url: str, path: str, runs: int) -> float:
    with Session(url) as session:
        session.run(path, keep=False)
        times = [session.run(path, keep=False).seconds for _ in range(runs)]
    return ms(median(times))


def measure_wait(runs: int, work: Path) -> dict:
    shipped_port, serve_port = free_port(), free_port()
    shipped = streamlit_command(hosted.ENTRY, shipped_port)
    served = hosted.command([f"--server.port={serve_port}"])
    out = {}
    with launched(shipped, f"http://127.0.0.1:{shipped_port}", work, "shipped") as a, \
            launched(served, f"http://127.0.0.1:{serve_port}", work, "serve") as b:
        for name, path in PAGES.items():
            plain, ours = rerun_ms(a, path, runs), rerun_ms(b, path, runs)
            out[name] = {"streamlit_run_ms": plain, "deploy_serve_ms": ours, "saved_ms": round(plain - ours, 1)}
            log(f"rerun {name}: streamlit run {plain} ms, deploy.serve {ours} ms")
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.processes", description=__doc__.splitlines()[0])
    parser.add_argument("--sessions", type=int, default=100)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--runs", type=int, default=15, help="warm reruns per page for the wait")
    parser.add_argument("--out", type=Path, default=HERE / "results" / "processes.json")
    args = parser.parse_args(argv)
    started = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="bench-processes-") as folder:
        work = Path(folder)
        result = {"wait": measure_wait(args.runs, work),
                  "processes": measure_processes(args.sessions, args.rounds, work)}
    result["seconds"] = round(time.monotonic() - started, 1)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    p = result["processes"]
    print(f"{p['sessions']} sessions: p95 one process {p['one']['p95_ms']} ms, two {p['two']['p95_ms']} ms "
          f"(ratio {p['p95_ratio']}, target ≤ 0.65); success with two {p['success_two_all_rounds']:.0%}")
    for name, row in result["wait"].items():
        print(f"rerun {name}: streamlit run {row['streamlit_run_ms']} ms → deploy.serve {row['deploy_serve_ms']} ms")
    return 0


if __name__ == "__main__":
    sys.exit(main())
