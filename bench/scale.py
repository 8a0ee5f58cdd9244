"""Scale: the cost curve from today's fact base to 10^6 figures in 20,000 cases, against issue 18's targets.

Targets at 10^6 figures (``TARGETS``, checked by ``targets``): server memory ≤ 600 MB after every page has been
opened; the data page's first open ≤ 1.5 s and a search ≤ 0.5 s on the server; every page's warm script time ≤ 1.5×
its time on today's data. Cases hold ``synth.CASE_SIZE`` (50) figures, so 10^6 figures are about 20,000 cases.

For each size a synthetic fact base is generated (bench/synth.py: the built tables directly, written with
metrics.build's ``save``), then: load time (``metrics.store.load``, in this process), each page's script time on a
real server pointed at it (env DASHBOARD_DATA_DIR; the first open includes the server loading the data, later
runs are warm reruns), the server's memory, and the bytes each page sends. The full validated build
(``metrics.build.build`` from synthetic YAML case files) is timed where it fits in the time budget.
The pages timed against today's are ``SCALE_PAGES`` (the five recorded pages and the compare page on each family);
the pages only a large collection has (``EXTRA_PAGES``) follow on the same server, whose memory is read last. The
data page is also filtered (a search), over the websocket protocol on a real server and, at one size, with AppTest.
"""
from __future__ import annotations

import gc
import math
import os
import re
import time
from pathlib import Path

from metrics import build
from metrics.catalog import text
from metrics.finder import LISTED_CASES
from metrics.store import load

from . import synth
from .common import log, median, ms, ratio
from .record import PAGES
from .server import Server, running
from .wsclient import Session

SEARCH = "担保"     # a search term that matches part of every case's figures
TARGETS = {"memory_mb": 600, "data_first_ms": 1500, "filter_ms": 500, "page_ratio": 1.5}
TARGET_SIZE = 10**6
# Pages timed against today's data: the five recorded pages, and the compare page on each practice family (its first
# view and two links), where a large collection draws every indicator, ranked, with a page of rows each.
SCALE_PAGES = {**PAGES, "compare": "compare", "compare guarantees": "compare?family=guarantees",
               "compare tax_trade": "compare?family=tax_trade"}
# Pages of a large collection without a counterpart on today's data (timed, no ratio): the finder and a deep link
# to the last synthetic case. Opened on the same server after the others: its memory is taken after every page.
EXTRA_PAGES = {"finder": "cases", "synthetic case": "syn{last:05d}"}


def load_time(folder: Path, repeats: int) -> dict:
    """Median in-process ``load`` time. The first load of a large collection after a build also makes the mapped
    copy of its tables and their search index (metrics/collection_cache.py): timed apart, as ``first_load_ms``."""
    gc.collect()
    start = time.perf_counter()
    load(folder).collection["facts"]
    first = time.perf_counter() - start
    times = []
    for _ in range(repeats):
        gc.collect()
        start = time.perf_counter()
        ds = load(folder)
        times.append(time.perf_counter() - start)
        problems = len(ds.problems)
        facts = ds.counts()["facts"]
        del ds
    return {"load_ms": ms(median(times)), "first_load_ms": ms(first), "facts": facts, "problems": problems}


def rss_parts(pid: int) -> dict:
    """The server's resident memory in MB, whole and split (/proc/PID/status): RssAnon is the process's own heap;
    RssFile the pages of mapped files it has touched (libraries, and the collection's mapped tables), which the
    system can drop and read again."""
    fields_ = {}
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            key, _, value = line.partition(":")
            if key in ("VmRSS", "RssAnon", "RssFile"):
                fields_[key] = round(int(value.split()[0]) / 1024, 1)
    except OSError:   # not Linux: the whole RSS only (rss_mb)
        pass
    return {"anon": fields_.get("RssAnon"), "file": fields_.get("RssFile")}


def page_times(today: Server, folder: Path, pages: dict[str, str], runs: int, budget_s: float, log_dir: Path,
               extra: dict[str, str] | None = None) -> dict:
    """Each page on a server reading ``folder`` against the same page on the server reading today's data, then the
    ``extra`` pages (no counterpart: timed alone, under "_extra") on the same server; its memory is read last.

    Runs alternate between the two servers (as real and floor do for the server time), so the ratio compares
    samples taken under the same conditions. The first open of each page on the big server is timed alone."""
    out = {}
    with running(env={"DASHBOARD_DATA_DIR": str(folder)}, log=log_dir / f"scale-{folder.name}.log") as server:
        rss_start = server.rss_mb()
        for name, path in pages.items():
            with Session(server.url, timeout=900) as session, Session(today.url) as base:
                first = session.run(path, keep=True)
                entry = {"first_ms": ms(first.seconds), "ok": first.ok, "bytes": first.wire_bytes}
                base.run(path, keep=False)
                samples, baseline, cpu, base_cpu = [], [], [], []
                if first.ok and first.seconds < budget_s:
                    for i in range(runs):
                        for label in ("big", "today") if i % 2 == 0 else ("today", "big"):
                            srv, sess, times, cpus = ((server, session, samples, cpu) if label == "big"
                                                      else (today, base, baseline, base_cpu))
                            before = srv.cpu_seconds()
                            times.append(sess.run(path, keep=False).seconds)
                            cpus.append(srv.cpu_seconds() - before)
                else:
                    samples = [first.seconds]
                    baseline = [base.run(path, keep=False).seconds]
                entry.update(median_ms=ms(median(samples)), today_ms=ms(median(baseline)), runs=len(samples),
                             vs_today=ratio(median(samples), median(baseline)),
                             cpu_vs_today=ratio(sum(cpu), sum(base_cpu)) if cpu else None)
                if name == "data" and first.ok:
                    entry["filter"] = _filter(session, path, first)
            out[name] = entry
        if extra:
            out["_extra"] = extra_page_times(server, extra, runs)
        out["_server_rss_mb"] = {"start": round(rss_start, 1), "end": round(server.rss_mb(), 1),
                                 **{f"end_{k}": v for k, v in rss_parts(server.pid).items()}}
    return out


def _filter(session: Session, path: str, first) -> dict:
    """Type a search into the data page's search box; the filtered table must come back."""
    boxes = [w for w in first.elements("text_input") if w.id.endswith("-q")] or first.elements("text_input")
    if not boxes:
        return {"ok": False, "error": "no search box"}
    run = session.run(path, keep=True, widgets={boxes[0].id: SEARCH})
    frames = run.elements("dataframe")
    rows = frames[0].lazy_data.row_count if frames and frames[0].HasField("lazy_data") else None
    return {"ok": run.ok and bool(frames), "ms": ms(run.seconds), "bytes": run.wire_bytes,
            "lazy": bool(frames and frames[0].HasField("lazy_data")), "rows_if_lazy": rows}


def _shown(at) -> tuple[int, int]:
    """(matching rows, all rows) as the data page's caption states them (the grid itself shows one page of rows)."""
    pattern = re.escape(text("data.shown", "zh", shown="\x00", total="\x01"))
    pattern = pattern.replace("\x00", r"([\d,]+)").replace("\x01", r"([\d,]+)")
    for caption in at.caption:
        found = re.fullmatch(pattern, caption.value)
        if found:
            return int(found.group(1).replace(",", "")), int(found.group(2).replace(",", ""))
    return -1, -1


def apptest_data_page(folder: Path) -> dict:
    """AppTest, env DASHBOARD_DATA_DIR set: the data page opens without an exception and its search filters."""
    from streamlit.testing.v1 import AppTest

    from .profile import page_file
    previous = os.environ.get("DASHBOARD_DATA_DIR")
    os.environ["DASHBOARD_DATA_DIR"] = str(folder)
    try:
        start = time.perf_counter()
        at = AppTest.from_file(str(synth.ROOT / "dashboard.py"), default_timeout=900)
        at.run()
        at.switch_page(page_file("data"))
        at.run()
        opened = time.perf_counter() - start
        total, _ = _shown(at)
        grid = len(at.dataframe[0].value) if len(at.dataframe) else 0
        ok_open = not at.exception and total > 0 and grid > 0
        start = time.perf_counter()
        at.text_input(key="q").set_value(SEARCH).run()
        filtered, _ = _shown(at)
        return {"open_ok": ok_open, "open_ms": ms(opened), "rows": total, "grid_rows": grid,
                "filter_ok": not at.exception and 0 < filtered < total, "filter_ms": ms(time.perf_counter() - start),
                "rows_filtered": filtered, "exception": str(at.exception[0].value)[:200] if at.exception else ""}
    finally:
        if previous is None:
            os.environ.pop("DASHBOARD_DATA_DIR", None)
        else:
            os.environ["DASHBOARD_DATA_DIR"] = previous


def extra_page_times(server: Server, pages: dict[str, str], runs: int) -> dict:
    """First open and median warm script time of pages only a large collection has (no ratio: nothing to compare)."""
    out = {}
    with Session(server.url, timeout=900) as session:
        for name, path in pages.items():
            first = session.run(path, keep=True)
            warm = [session.run(path, keep=False).seconds for _ in range(runs)]
            out[name] = {"path": path, "ok": first.ok, "first_ms": ms(first.seconds), "median_ms": ms(median(warm))}
    return out


def targets(scale: dict) -> list[dict]:
    """Issue 18's targets at 10^6 figures, each {name, target, value, met} (bench/report.py lists them)."""
    entry = scale.get("sizes", {}).get(str(TARGET_SIZE))
    if not entry:
        return []
    pages = entry.get("pages", {})
    data = pages.get("data", {})
    label = f"10^6 figures, {entry.get('cases', 0):,} cases"
    rss = pages.get("_server_rss_mb", {}).get("end")
    opened = [p for p in pages if not p.startswith("_")] + list(pages.get("_extra", {}))
    out = [_target(f"{label} · server memory after {len(opened)} pages: {', '.join(opened)} (MB)",
                   f"≤ {TARGETS['memory_mb']}", rss, rss is not None and rss <= TARGETS["memory_mb"]),
           _target(f"{label} · data page first open (ms)", f"≤ {TARGETS['data_first_ms']}", data.get("first_ms"),
                   bool(data.get("ok")) and data.get("first_ms", math.inf) <= TARGETS["data_first_ms"]),
           _target(f"{label} · data page search (ms)", f"≤ {TARGETS['filter_ms']}", data.get("filter", {}).get("ms"),
                   bool(data.get("filter", {}).get("ok")) and data.get("filter", {}).get("ms", math.inf) <= TARGETS["filter_ms"])]
    for page, e in pages.items():
        if not page.startswith("_"):
            ratio_ = e.get("vs_today")
            out.append(_target(f"{label} · {page} warm vs today", f"≤ {TARGETS['page_ratio']}×", ratio_,
                               ratio_ is not None and ratio_ <= TARGETS["page_ratio"]))
    return out


def _target(name: str, goal: str, value, met: bool) -> dict:
    return {"name": name, "target": goal, "value": value, "met": met}   # bench/report.py's shape


def build_time(n: int, work: Path) -> dict:
    sources = synth.write_sources(n, work / f"sources-{n}")
    start = time.perf_counter()
    manifest = build.build(work / f"built-{n}", sources)
    seconds = time.perf_counter() - start
    facts = sum(v["rows"] for k, v in manifest["outputs"].items() if k.endswith("/facts.parquet"))
    return {"build_ms": ms(seconds), "facts": facts, "per_1000_facts_ms": ms(seconds / n * 1000)}


def measure(work: Path, sizes: list[int], build_sizes: list[int], runs: int, apptest_at: int | None,
            case_size: int = synth.CASE_SIZE) -> dict:
    results: dict = {"case_size": case_size, "sizes": {}}
    with running(log=work / "scale-today.log") as today:
        with Session(today.url) as session:
            today_pages = {name: {"first_ms": ms(session.run(path, keep=False).seconds)} for name, path in SCALE_PAGES.items()}
        today_pages["_server_rss_mb"] = {"end": round(today.rss_mb(), 1)}
        results["today"] = {"facts": load(synth.DATA).counts()["facts"], **load_time(synth.DATA, 5),
                            "pages": today_pages}
        _sizes(results, today, work, sizes, runs, apptest_at, case_size)
    for n in build_sizes:
        log(f"scale {n}: full validated build")
        results["sizes"].setdefault(str(n), {})["build"] = build_time(n, work)
    per_fact = [results["sizes"][str(n)]["build"]["build_ms"] / n for n in build_sizes]
    if per_fact:
        results["build_estimate_ms"] = {str(n): round(per_fact[-1] * n) for n in sizes if n not in build_sizes}
    return results


def _sizes(results: dict, today: Server, work: Path, sizes: list[int], runs: int, apptest_at: int | None,
           case_size: int) -> None:
    real = synth.real_tables()
    for n in sizes:
        folder = work / f"facts-{n}"
        start = time.perf_counter()
        synth.write_tables(n, folder, case_size, real)
        entry = {"generate_ms": ms(time.perf_counter() - start),
                 "cases": len(real["cases"]) + len(synth.case_sizes(n, len(real["facts"]), case_size))}
        entry.update(load_time(folder, 1 if n >= 10**6 else 3))
        extra = ({name: path.format(last=entry["cases"] - len(real["cases"]) - 1) for name, path in EXTRA_PAGES.items()}
                 if entry["cases"] > LISTED_CASES else None)
        entry["pages"] = page_times(today, folder, SCALE_PAGES, runs, budget_s=30, log_dir=work, extra=extra)
        if apptest_at and n == apptest_at:
            log(f"scale {n}: AppTest data page")
            entry["apptest_data_page"] = apptest_data_page(folder)
        results["sizes"][str(n)] = entry
        log(f"scale {n}: load {entry['load_ms']} ms; pages " + ", ".join(
            f"{k} {v['median_ms']} ms (× {v['vs_today']})" for k, v in entry["pages"].items() if not k.startswith("_")))
