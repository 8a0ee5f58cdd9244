"""Benchmarks: speed, concurrency, memory and scale, measured against Streamlit's own floor; several app processes
behind nginx; the static edition against the app.

    python -m bench             # the full run (about 15-20 minutes on 2 quiet cores)
    python -m bench --quick     # a smoke run: fewer repetitions, sizes up to 10^4
    python -m bench --only processes           # some sections (see SECTIONS), updated in the last results
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
import contextlib
import json
import os
import shutil
import signal
import tempfile
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from . import browser, concurrency, processes, report, scale, server_time, static
from . import build as incremental_build
from . import server as servers
from .common import log, machine, other_load
from .record import PAGES, Recording, compare, record, visible_counts
from .server import FLOOR_APP, Server, running
from .wsclient import Session

HERE = Path(__file__).resolve().parent


@dataclass
class Context:
    """What a section's adapter gets: the work folder, the plan, the command's options, and the recorded pages
    with their floor app (made on first use: only the sections that compare with the floor pay for them)."""
    work: Path
    plan: dict
    args: argparse.Namespace
    meta: dict
    results: dict
    _pair: contextlib.ExitStack | None = None
    _servers: tuple[Server, Server] | None = None
    _expected: dict | None = None

    @property
    def recording(self) -> Path:
        path = self.work / "recording.pkl"
        if not path.exists():
            with running(log=self.work / "real.log") as real:
                self._record(real)
        return path

    def _record(self, real: Server) -> None:
        log("recording the real pages")
        rec = record(real.url)
        rec.save(self.work / "recording.pkl")
        self._expected = {name: browser.Expected(*visible_counts(page.main)) for name, page in rec.pages.items()}
        self.meta["recorded"] = {name: {"charts": e.charts, "visible_tables": e.grids,
                                        "wire_bytes": rec.pages[name].wire_bytes} for name, e in self._expected.items()}

    @property
    def expected(self) -> dict:
        """Charts and tables each recorded page draws (what the browser waits for)."""
        if self._expected is None:
            rec = Recording.load(self.recording)
            self._expected = {name: browser.Expected(*visible_counts(p.main)) for name, p in rec.pages.items()}
        return self._expected

    def pair(self) -> tuple[Server, Server]:
        """The real app and its floor, running side by side until ``release`` (the server and browser sections)."""
        if self._servers is None:
            self._pair = contextlib.ExitStack()
            real = self._pair.enter_context(running(log=self.work / "real.log"))
            if not (self.work / "recording.pkl").exists():
                self._record(real)
            floor = self._pair.enter_context(running(FLOOR_APP, env=self.floor_env, log=self.work / "floor.log"))
            rec = Recording.load(self.recording)
            self.results["fidelity"] = fidelity(rec, floor.url)
            log("floor fidelity: " + ", ".join(f"{k} {v['identical']}/{v['deltas']}"
                                                for k, v in self.results["fidelity"].items()))
            self._servers = (real, floor)
        return self._servers

    @property
    def floor_env(self) -> dict[str, str]:
        return {"BENCH_RECORDING": str(self.recording)}

    def release(self) -> None:
        if self._pair is not None:
            self._pair.close()
        self._pair = self._servers = None


@dataclass(frozen=True)
class Section:
    """One section of the run: ``measure(context) -> dict`` is stored under ``key``; ``full`` and ``quick`` are its
    plan (keys unique across sections); its targets are bench/report.py's ``TARGETS[key]``. ``pair``: it runs on
    the real app and its floor started once for every such section (see ``Context.pair``)."""
    name: str
    measure: Callable[[Context], dict]
    full: dict = field(default_factory=dict)
    quick: dict = field(default_factory=dict)
    key: str = ""
    pair: bool = False

    @property
    def results_key(self) -> str:
        return self.key or self.name


def _server(ctx: Context) -> dict:
    return server_time.measure(*ctx.pair(), ctx.plan["server_runs"])


def _browser(ctx: Context) -> dict:
    real, floor = ctx.pair()
    pages = {name: PAGES[name] for name in ctx.plan["browser_pages"]}
    return browser.measure(real.url, floor.url, pages, ctx.expected, ctx.plan["fresh"], ctx.plan["warm"],
                           ctx.plan["browser_budget_s"])


def _concurrency(ctx: Context) -> dict:
    out = {}
    with running(log=ctx.work / "real-load.log") as real, \
            running(FLOOR_APP, env=ctx.floor_env, log=ctx.work / "floor-load.log") as floor:
        for server in (real, floor):     # every page once, as the server-time runs did
            with Session(server.url) as session:
                for path in PAGES.values():
                    session.run(path, keep=False)
        out["websocket"] = concurrency.measure(real, floor, PAGES, ctx.plan["levels"], rounds=ctx.plan["rounds"])
        if ctx.plan["browser_levels"]:
            out["browser"] = {}
            for n in ctx.plan["browser_levels"]:
                entry = {"real": browser.concurrent(real.url, PAGES, ctx.expected, n),
                         "floor": browser.concurrent(floor.url, PAGES, ctx.expected, n)}
                out["browser"][str(n)] = entry
                log(f"browser sessions {n}: real p95 {entry['real']['p95_ms']} ms, floor p95 "
                    f"{entry['floor']['p95_ms']} ms")
    return out


def _scale(ctx: Context) -> dict:
    return scale.measure(ctx.work, ctx.plan["sizes"], ctx.plan["build_sizes"], ctx.plan["scale_runs"],
                         ctx.plan["apptest_at"])


def _processes(ctx: Context) -> dict:
    return processes.measure(ctx.work, **{k: ctx.plan[k] for k in processes.FULL})


def _build(ctx: Context) -> dict:
    return incremental_build.measure(ctx.work, ctx.plan["incremental_sizes"])


def _static(ctx: Context) -> dict:
    # bench/static.py builds the static edition and serves the app itself; it keeps its own output file too.
    return static.measure(ctx.plan["static_runs"])


# The sections, in the order they run. A new section: its module with measure(...) -> dict, one line here, and its
# targets function in bench/report.py's TARGETS (and, for a table of its own, report.TABLES).
SECTIONS = [
    Section("server", _server, {"server_runs": 20}, {"server_runs": 20}, key="server_time", pair=True),
    Section("browser", _browser,
            {"fresh": 2, "warm": 2, "browser_budget_s": 200, "browser_pages": list(PAGES)},
            {"fresh": 1, "warm": 1, "browser_budget_s": 60, "browser_pages": ["overview", "data"]}, pair=True),
    Section("concurrency", _concurrency,
            {"levels": (1, 10, 50), "rounds": {10: 3, 50: 5}, "browser_levels": (10,)},
            {"levels": (1, 10, 50), "rounds": {50: 2}, "browser_levels": ()}),
    Section("scale", _scale,
            {"sizes": [10**3, 10**4, 10**5, 10**6], "build_sizes": [10**3, 10**4], "scale_runs": 9,
             "apptest_at": 10**6},
            {"sizes": [10**3, 10**4], "build_sizes": [10**3], "scale_runs": 3, "apptest_at": 10**4}),
    Section("processes", _processes, processes.FULL, processes.QUICK),
    Section("static", _static, {"static_runs": 7}, {"static_runs": 2}),
    Section("build", _build, {"incremental_sizes": incremental_build.SIZES}, {"incremental_sizes": [10**4]}),
]
BY_NAME = {s.name: s for s in SECTIONS}


def plan_for(sections: list[Section], quick: bool, sizes: str = "") -> dict:
    plan = {k: v for s in sections for k, v in (s.quick if quick else s.full).items()}
    if sizes and "sizes" in plan:
        plan["sizes"] = [int(float(n)) for n in sizes.split(",")]
        plan["build_sizes"] = [n for n in plan["build_sizes"] if n in plan["sizes"]]
        plan["apptest_at"] = plan["apptest_at"] if plan["apptest_at"] in plan["sizes"] else None
    return plan


def fidelity(rec, floor_url: str) -> dict:
    out = {}
    for name, path in PAGES.items():
        with Session(floor_url) as session:
            run = session.run(path)
        out[name] = compare(rec.pages[name].messages, [m.SerializeToString() for m in run.messages])
        out[name]["floor_ok"] = run.ok
    return out


def chosen(only: str) -> list[Section]:
    names = [n.strip() for n in only.split(",") if n.strip()] if only else [s.name for s in SECTIONS]
    unknown = [n for n in names if n not in BY_NAME]
    if unknown:
        raise SystemExit(f"unknown section(s): {', '.join(unknown)}; sections: {', '.join(BY_NAME)}")
    return [s for s in SECTIONS if s.name in names]


def run(args) -> dict:
    sections = chosen(args.only)
    plan = plan_for(sections, args.quick, args.sizes)
    work = Path(args.work) if args.work else Path(tempfile.mkdtemp(prefix="dashboard-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    started = time.monotonic()
    servers.NODELAY = not args.as_shipped
    command = ["python -m bench", "--quick" * args.quick, f"--only {args.only}" * bool(args.only),
               "--as-shipped" * args.as_shipped, f"--sizes {args.sizes}" * bool(args.sizes)]
    results = {"meta": {"command": " ".join(word for word in command if word),
                        "started": datetime.now(UTC).isoformat(timespec="seconds"), "quick": args.quick,
                        "sections": [s.name for s in sections], "nodelay": servers.NODELAY,
                        "machine": machine(), "other_cpu_load_at_start": other_load(), "plan": {
                            k: list(v) if isinstance(v, tuple) else v for k, v in plan.items()}}}
    ctx = Context(work, plan, args, results["meta"], results)
    log(f"work folder: {work}; sections: {', '.join(s.name for s in sections)}")
    measured = results["meta"]["measured"] = {}
    try:
        for i, section in enumerate(sections, 1):
            if not section.pair:
                ctx.release()    # the real app and its floor are not left running under other sections' load
            log(f"section {i}/{len(sections)}: {section.name}")
            t0, when, load = time.monotonic(), datetime.now(UTC).isoformat(timespec="seconds"), other_load()
            try:
                results[section.results_key] = section.measure(ctx)
            except Exception as failed:   # one broken section must not cost the others' figures
                log(f"section {section.name} failed: {traceback.format_exc()}")
                results[section.results_key] = {"error": f"{type(failed).__name__}: {failed}"[:300]}
            measured[section.name] = {"started": when, "wall_s": round(time.monotonic() - t0, 1),
                                      "quick": args.quick, "commit": results["meta"]["machine"]["commit"],
                                      "other_cpu_load": [load, other_load()]}
    finally:
        ctx.release()
        results["meta"]["wall_s"] = round(time.monotonic() - started, 1)
        results["meta"]["other_cpu_load_at_end"] = other_load()
        results["meta"]["load_average_at_end"] = [round(x, 2) for x in os.getloadavg()]
        if not args.keep and not args.work:
            shutil.rmtree(work, ignore_errors=True)
    return results


def merged(earlier: dict, now: dict) -> dict:
    """``--only``: this run's sections over an earlier run's results (each section says when it was measured)."""
    meta = earlier.get("meta", {})
    measured = meta.get("measured") or {      # results written before sections were recorded one by one
        s.name: {"started": meta.get("started"), "quick": meta.get("quick"), "commit": meta.get("machine", {}).get(
            "commit")} for s in SECTIONS if s.results_key in earlier}
    out = {key: value for key, value in earlier.items() if key not in ("meta", "targets")}
    out.update({key: value for key, value in now.items() if key != "meta"})
    out["meta"] = {**now["meta"], "measured": {**measured, **now["meta"]["measured"]},
                   "plan": {**meta.get("plan", {}), **now["meta"]["plan"]}}
    return out


def _stop(signum, _frame) -> None:
    raise SystemExit(f"stopped by signal {signum}")   # so that every server and browser is shut down


def main(argv: list[str] | None = None) -> int:
    signal.signal(signal.SIGTERM, _stop)
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="a smoke run: fewer repetitions, smaller sizes")
    parser.add_argument("--only", default="", help=f"comma-separated sections: {','.join(BY_NAME)}")
    parser.add_argument("--work", default="", help="folder for generated data (default: a temporary folder)")
    parser.add_argument("--keep", action="store_true", help="keep the temporary work folder")
    parser.add_argument("--as-shipped", action="store_true",
                        help="servers as `streamlit run` starts them (Nagle on; see bench/nodelay.py)")
    parser.add_argument("--sizes", default="", help="scale: comma-separated fact counts (default: the plan's)")
    parser.add_argument("--out", type=Path, default=HERE / "results" / "latest.json")
    parser.add_argument("--markdown", type=Path, default=HERE / "RESULTS.md")
    parser.add_argument("--alone", action="store_true",
                        help="with --only: write only these sections (default: update them in the last results)")
    args = parser.parse_args(argv)
    results = run(args)
    if args.only and not args.alone and args.out.exists():
        results = merged(json.loads(args.out.read_text(encoding="utf-8")), results)
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
