"""Benchmarks: speed, concurrency, memory and scale, measured against Streamlit's own floor.

    python -m bench             # the full run (about 10 minutes on 2 quiet cores)
    python -m bench --quick     # a smoke run (about 2–3 minutes): fewer browser loads, sizes up to 10^4
    python -m bench --only server,browser      # some sections (record is always run)
    python -m bench --sizes 100000             # the scale section at other sizes
    python -m bench --as-shipped               # servers without bench/nodelay.py (each rerun +40 ms, both apps)
    python -m bench.profile xiangtan           # cProfile of one page's script runs (AppTest, warm)

Needs Debian's chromium on the PATH for the browser sections (the others run without it).

Writes bench/results/latest.json and bench/RESULTS.md. Generated data (recordings, synthetic fact bases, server
logs) goes to a temporary folder outside the repository (or --work DIR), removed at the end unless --keep.
Not part of the pytest suite.
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
import signal
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

from . import browser, concurrency, report, scale, server_time
from . import build as incremental_build
from . import server as servers
from .common import log, machine, other_load
from .record import PAGES, compare, record, visible_counts
from .server import FLOOR_APP, running
from .wsclient import Session

HERE = Path(__file__).resolve().parent
SECTIONS = ("server", "browser", "concurrency", "scale", "build")
FULL = {"server_runs": 20, "fresh": 2, "warm": 2, "browser_budget_s": 200, "browser_pages": list(PAGES),
        "levels": (1, 10, 50), "rounds": {10: 3, 50: 5}, "browser_levels": (10,),
        "sizes": [10**3, 10**4, 10**5, 10**6], "build_sizes": [10**3, 10**4], "scale_runs": 9, "apptest_at": 10**6}
QUICK = {"server_runs": 20, "fresh": 1, "warm": 1, "browser_budget_s": 60, "browser_pages": ["overview", "data"],
         "levels": (1, 10, 50), "rounds": {50: 2}, "browser_levels": (),
         "sizes": [10**3, 10**4], "build_sizes": [10**3], "scale_runs": 3, "apptest_at": 10**4}


def fidelity(rec, floor_url: str) -> dict:
    out = {}
    for name, path in PAGES.items():
        with Session(floor_url) as session:
            run = session.run(path)
        out[name] = compare(rec.pages[name].messages, [m.SerializeToString() for m in run.messages])
        out[name]["floor_ok"] = run.ok
    return out


def run(args) -> dict:
    plan = dict(QUICK if args.quick else FULL)
    if args.sizes:
        plan["sizes"] = [int(float(n)) for n in args.sizes.split(",")]
        plan["build_sizes"] = [n for n in plan["build_sizes"] if n in plan["sizes"]]
        plan["apptest_at"] = plan["apptest_at"] if plan["apptest_at"] in plan["sizes"] else None
    sections = set(args.only.split(",")) if args.only else set(SECTIONS)
    work = Path(args.work) if args.work else Path(tempfile.mkdtemp(prefix="dashboard-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    started = time.monotonic()
    servers.NODELAY = not args.as_shipped
    results = {"meta": {"started": datetime.now(UTC).isoformat(timespec="seconds"), "quick": args.quick,
                        "nodelay": servers.NODELAY,
                        "machine": machine(), "other_cpu_load_at_start": other_load(), "plan": {
                            k: list(v) if isinstance(v, tuple) else v for k, v in plan.items()}}}
    log(f"work folder: {work}")
    try:
        with running(log=work / "real.log") as real:
            log("recording the real pages")
            rec = record(real.url)
            rec.save(work / "recording.pkl")
            expected = {name: browser.Expected(*visible_counts(page.main)) for name, page in rec.pages.items()}
            results["meta"]["recorded"] = {name: {"charts": e.charts, "visible_tables": e.grids,
                                                  "wire_bytes": rec.pages[name].wire_bytes}
                                           for name, e in expected.items()}
            with running(FLOOR_APP, env={"BENCH_RECORDING": str(work / "recording.pkl")}, log=work / "floor.log") as floor:
                results["fidelity"] = fidelity(rec, floor.url)
                log("floor fidelity: " + ", ".join(f"{k} {v['identical']}/{v['deltas']}" for k, v in
                                                    results["fidelity"].items()))
                if "server" in sections:
                    results["server_time"] = server_time.measure(real, floor, plan["server_runs"])
                if "browser" in sections:
                    pages = {name: PAGES[name] for name in plan["browser_pages"]}
                    results["browser"] = browser.measure(real.url, floor.url, pages, expected, plan["fresh"],
                                                         plan["warm"], plan["browser_budget_s"])
        if "concurrency" in sections:
            results["concurrency"] = {}
            with running(log=work / "real-load.log") as real, \
                    running(FLOOR_APP, env={"BENCH_RECORDING": str(work / "recording.pkl")},
                            log=work / "floor-load.log") as floor:
                for server in (real, floor):     # every page once, as the server-time runs did
                    with Session(server.url) as session:
                        for path in PAGES.values():
                            session.run(path, keep=False)
                results["concurrency"]["websocket"] = concurrency.measure(real, floor, PAGES, plan["levels"],
                                                                          rounds=plan["rounds"])
                if plan["browser_levels"]:
                    results["concurrency"]["browser"] = {}
                    for n in plan["browser_levels"]:
                        entry = {"real": browser.concurrent(real.url, PAGES, expected, n),
                                 "floor": browser.concurrent(floor.url, PAGES, expected, n)}
                        results["concurrency"]["browser"][str(n)] = entry
                        log(f"browser sessions {n}: real p95 {entry['real']['p95_ms']} ms, floor p95 "
                            f"{entry['floor']['p95_ms']} ms")
        if "build" in sections:   # the incremental build at 10^5 figures (--quick: 10^4)
            results["build"] = incremental_build.measure(work, [10**4] if args.quick else incremental_build.SIZES)
        if "scale" in sections:
            results["scale"] = scale.measure(work, plan["sizes"], plan["build_sizes"], plan["scale_runs"],
                                             plan["apptest_at"])
    finally:
        results["meta"]["wall_s"] = round(time.monotonic() - started, 1)
        results["meta"]["other_cpu_load_at_end"] = other_load()
        results["meta"]["load_average_at_end"] = [round(x, 2) for x in os.getloadavg()]
        if not args.keep and not args.work:
            shutil.rmtree(work, ignore_errors=True)
    return results


def _stop(signum, _frame) -> None:
    raise SystemExit(f"stopped by signal {signum}")   # so that every server and browser is shut down


def main(argv: list[str] | None = None) -> int:
    signal.signal(signal.SIGTERM, _stop)
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="a smoke run: fewer repetitions, smaller sizes")
    parser.add_argument("--only", default="", help=f"comma-separated sections: {','.join(SECTIONS)}")
    parser.add_argument("--work", default="", help="folder for generated data (default: a temporary folder)")
    parser.add_argument("--keep", action="store_true", help="keep the temporary work folder")
    parser.add_argument("--as-shipped", action="store_true",
                        help="servers as `streamlit run` starts them (Nagle on; see bench/nodelay.py)")
    parser.add_argument("--sizes", default="", help="scale: comma-separated fact counts (default: the plan's)")
    parser.add_argument("--out", type=Path, default=HERE / "results" / "latest.json")
    parser.add_argument("--markdown", type=Path, default=HERE / "RESULTS.md")
    args = parser.parse_args(argv)
    results = run(args)
    results["targets"] = report.targets(results)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(results, ensure_ascii=False, indent=1, allow_nan=True) + "\n", encoding="utf-8")
    before = args.out.parent / "before.json"
    args.markdown.write_text(report.markdown(results, json.loads(before.read_text(encoding="utf-8"))
                                             if before.exists() else None), encoding="utf-8")
    log(f"wrote {args.out} and {args.markdown} in {results['meta']['wall_s']} s")
    missed = [t["name"] for t in results["targets"] if t["met"] is False]
    log("targets missed: " + (", ".join(missed) if missed else "none"))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
