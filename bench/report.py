"""The targets (met / missed, from one run's numbers) and the short markdown report."""
from __future__ import annotations

import math

from .scale import targets as scale_targets

SCRIPT_RATIO, BROWSER_RATIO, LOAD_P95_RATIO, MEMORY_MB, SCALE_RATIO = 1.25, 1.15, 1.25, 100, 1.5


def _num(value) -> bool:
    return isinstance(value, (int, float)) and not math.isnan(value)


def _target(name: str, goal: str, value, met) -> dict:
    return {"name": name, "target": goal, "value": value, "met": met}


def targets(r: dict) -> list[dict]:
    out = []
    for page, e in r.get("server_time", {}).items():
        out.append(_target(f"script time · {page}", f"≤ {SCRIPT_RATIO}× floor", e["ratio"],
                           e["ratio"] <= SCRIPT_RATIO if _num(e["ratio"]) else None))
    for page, e in r.get("browser", {}).items():
        for mode in ("fresh", "warm"):
            value = e[mode]["ratio"]
            out.append(_target(f"browser time to charts ({mode}) · {page}", f"≤ {BROWSER_RATIO}× floor", value,
                               value <= BROWSER_RATIO if _num(value) else None))
    ws = r.get("concurrency", {}).get("websocket", {})
    if "50" in ws:
        e = ws["50"]
        success = e["real"].get("success_all_rounds", e["real"]["success"])   # every round, not just the median one
        out.append(_target("50 sessions · success", "100 %", success, success == 1.0))
        out.append(_target("50 sessions · p95 vs floor p95", f"≤ {LOAD_P95_RATIO}×", e["p95_ratio"],
                           e["p95_ratio"] <= LOAD_P95_RATIO if _num(e["p95_ratio"]) else None))
        growth = round(e["real"]["rss_after_mb"] - e["real"]["rss_before_mb"], 1)
        out.append(_target("50 sessions · server memory growth (MB)", f"≤ {MEMORY_MB}", growth, growth <= MEMORY_MB))
    sizes = r.get("scale", {}).get("sizes", {})
    if "100000" in sizes and "pages" in sizes["100000"]:
        for page, e in sizes["100000"]["pages"].items():
            if not page.startswith("_"):
                value = e.get("vs_today")
                out.append(_target(f"10^5 figures · {page} vs today", f"≤ {SCALE_RATIO}×", value,
                                   value <= SCALE_RATIO if _num(value) else False))
    if "1000000" in sizes:
        e = sizes["1000000"]
        data = e.get("pages", {}).get("data", {})
        server_ok = bool(data.get("ok") and data.get("filter", {}).get("ok"))
        out.append(_target("10^6 figures · data page opens and filters (server)", "yes",
                           f"open {data.get('first_ms')} ms, filter {data.get('filter', {}).get('ms')} ms", server_ok))
        at = e.get("apptest_data_page")
        if at:
            out.append(_target("10^6 figures · data page opens and filters (AppTest)", "yes",
                               f"open {at['open_ms']} ms, filter {at['filter_ms']} ms",
                               bool(at["open_ok"] and at["filter_ok"])))
    out += scale_targets(r.get("scale", {}))   # issue 18's targets at 10^6 figures / 20,000 cases (bench/scale.py)
    return out


def _fmt(value, unit: str = "") -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "—"
    if isinstance(value, float):
        return f"{value:,.3g}{unit}" if abs(value) < 10 else f"{value:,.0f}{unit}"
    if isinstance(value, int):
        return f"{value:,}{unit}"
    return f"{value}{unit}"


def _row(*cells) -> str:
    return "| " + " | ".join(str(c) for c in cells) + " |"


def _transport_changed(before: dict, after: dict) -> str:
    if before.get("nodelay", False) == after.get("nodelay", False):
        return ""
    return (" The two runs differ in transport (before: " + ("TCP_NODELAY" if before.get("nodelay") else "as shipped") +
            ", after: " + ("TCP_NODELAY" if after.get("nodelay") else "as shipped") + "): script-time ratios as "
            "shipped include the same 40 ms wait on both sides, which pulls them towards 1.")


def before_after(before: dict, after: dict) -> list[str]:
    """Each target's value in an earlier run (``before``) beside this run's: what a change did."""
    earlier = {t["name"]: t for t in before.get("targets", [])}
    meta = before.get("meta", {})
    lines = ["", "## Before and after", "",
             f"Before = the run of {meta.get('started', '?')} (commit {meta.get('machine', {}).get('commit', '?')}; "
             "bench/results/before.json), after = this run. The changes between them are listed in bench/README.md." +
             _transport_changed(meta, after.get("meta", {})), "",
             _row("target", "goal", "before", "after", "met before", "met after"), _row(*["---"] * 6)]
    mark = {True: "✅", False: "❌", None: "—"}
    for t in after.get("targets", []):
        b = earlier.get(t["name"], {})
        lines.append(_row(t["name"], t["target"], _fmt(b.get("value")), _fmt(t["value"]), mark[b.get("met")],
                          mark[t["met"]]))
    return lines


def _transport(meta: dict) -> str:
    if meta.get("nodelay", False):
        return ("Both servers run with TCP_NODELAY (bench/nodelay.py): without it every rerun of any Streamlit 1.67 "
                "page waits about 40 ms for a delayed acknowledgement, the same for real and floor.")
    return "Servers as shipped (Nagle on: every rerun includes a delayed-acknowledgement wait of about 40 ms)."


def markdown(r: dict, before: dict | None = None) -> str:
    meta = r["meta"]
    m = meta["machine"]
    lines = ["# Benchmark results", "",
             f"`python -m bench{' --quick' if meta['quick'] else ''}{'' if meta.get('nodelay', True) else ' --as-shipped'}` · {meta['started']} · wall {meta['wall_s']:.0f} s · "
             f"commit {m['commit']} · {m['cpus']} cores, {m['memory_gb']} GB · Streamlit {m['streamlit']}, plotly "
             f"{m['plotly']}, pandas {m['pandas']}, pyarrow {m['pyarrow']}",
             f"CPU used by other processes during the run: {meta['other_cpu_load_at_start']} → "
             f"{meta.get('other_cpu_load_at_end')} cores (0 on a quiet machine; real and floor samples alternate so "
             f"both see the same noise). Floor = the same page's elements replayed with the same st.* calls and no "
             f"data work (bench/floor_app.py). " + _transport(meta), ""]
    lines += ["## Targets", "", _row("target", "goal", "value", "met"), _row("---", "---", "---", "---")]
    for t in r.get("targets", []):
        lines.append(_row(t["name"], t["target"], _fmt(t["value"]),
                          "✅" if t["met"] else ("❌" if t["met"] is False else "—")))
    if before:
        lines += before_after(before, r)
    if "server_time" in r:
        lines += ["", "## Page times (ms, median)", "",
                  "Script = websocket rerun on a warm server (request → script_finished); server CPU = the server "
                  "process's CPU time per run (mean). "
                  f"{r['meta']['plan']['server_runs']} runs each. Browser = navigation until every chart is drawn "
                  "(no-chart page: its table grid). Main thread = the browser tab's main-thread CPU time until then (fresh "
                  "loads; barely affected by other processes, unlike wall time).", "",
                  _row("page", "script real", "script floor", "×", "server CPU real", "CPU floor", "×",
                       "browser fresh real", "fresh floor", "×", "browser warm real", "warm floor", "×",
                       "main thread real", "main thread floor", "×"),
                  _row(*["---"] * 16)]
        for page, e in r["server_time"].items():
            b = r.get("browser", {}).get(page, {})
            fresh, warm = b.get("fresh", {}), b.get("warm", {})
            lines.append(_row(page, _fmt(e["real"]["median_ms"]), _fmt(e["floor"]["median_ms"]), _fmt(e["ratio"]),
                              _fmt(e["real"].get("cpu_ms")), _fmt(e["floor"].get("cpu_ms")), _fmt(e.get("cpu_ratio")),
                              _fmt(fresh.get("real", {}).get("median_ms")), _fmt(fresh.get("floor", {}).get("median_ms")),
                              _fmt(fresh.get("ratio")), _fmt(warm.get("real", {}).get("median_ms")),
                              _fmt(warm.get("floor", {}).get("median_ms")), _fmt(warm.get("ratio")),
                              _fmt(fresh.get("real", {}).get("main_thread_ms")),
                              _fmt(fresh.get("floor", {}).get("main_thread_ms")), _fmt(fresh.get("main_thread_ratio"))))
    if "browser" in r:
        lines += ["", "## Bytes per cold page load (fresh context)", "",
                  _row("page", "HTTP real", "HTTP floor", "websocket real", "websocket floor", "requests"),
                  _row(*["---"] * 6)]
        for page, e in r["browser"].items():
            real, floor = e["bytes"].get("real") or {}, e["bytes"].get("floor") or {}
            lines.append(_row(page, _fmt(real.get("http")), _fmt(floor.get("http")), _fmt(real.get("ws")),
                              _fmt(floor.get("ws")), _fmt(real.get("requests"))))
    if "concurrency" in r:
        lines += ["", "## Sessions at once", "",
                  "Websocket clients (Streamlit's protocol) open pages at the same moment, cycling through the five "
                  "pages; time = start signal → script finished. RSS = server process. A level runs in rounds, real "
                  "and floor alternating on the same two servers; the round with the median p95 is shown, with every "
                  "round's p95 (in order: a long-lived server that slows down shows here) and the server's RSS before "
                  "the first round and after the last.", "",
                  _row("sessions", "app", "success", "p50 ms", "p95 ms", "p95 ×floor", "p95 each round ms",
                       "RSS before MB", "RSS peak MB", "RSS after MB", "MB/session", "after disconnect MB",
                       "RSS first → last round MB"), _row(*["---"] * 13)]
        for n, e in r["concurrency"].get("websocket", {}).items():
            for app in ("real", "floor"):
                x = e[app]
                each = ", ".join(_fmt(v) for v in x.get("p95_rounds_ms", [x["p95_ms"]]))
                drift = f"{_fmt(x['rss_first_mb'])} → {_fmt(x['rss_last_mb'])}" if "rss_first_mb" in x else ""
                lines.append(_row(n, app, f"{x.get('success_all_rounds', x['success']):.0%}", _fmt(x["p50_ms"]),
                                  _fmt(x["p95_ms"]), _fmt(e["p95_ratio"]) if app == "real" else "", each,
                                  _fmt(x["rss_before_mb"]), _fmt(x["rss_peak_mb"]), _fmt(x["rss_after_mb"]),
                                  _fmt(x["rss_per_session_mb"]), _fmt(x["rss_after_disconnect_mb"]), drift))
        browser_levels = r["concurrency"].get("browser", {})
        if browser_levels:
            lines += ["", "Real browser contexts (fresh, one chromium), time until charts drawn:", "",
                      _row("sessions", "app", "success", "p50 ms", "p95 ms"), _row(*["---"] * 5)]
            for n, e in browser_levels.items():
                for app in ("real", "floor"):
                    x = e[app]
                    lines.append(_row(n, app, f"{x['success']:.0%}", _fmt(x["p50_ms"]), _fmt(x["p95_ms"])))
    if "scale" in r:
        s = r["scale"]
        page_names = list(s["today"]["pages"])
        page_names = [p for p in page_names if not p.startswith("_")]
        lines += ["", "## Scale", "",
                  f"Synthetic fact bases: the 3 real cases + synthetic cases of {s['case_size']:,} figures cloned from "
                  "them (real quotes, units, qualifiers), written with metrics.build.save. Page = median warm script "
                  "time (ms) on a server reading that base, runs alternating with the same page on a server reading "
                  "today's data (× = ratio to it, same window); first = first open on a fresh server (includes "
                  "loading the data); build = full validated build from synthetic YAML sources.", "",
                  _row("figures", "cases", "build ms", "load ms", "server RSS MB", *page_names, "data first ms",
                       "data filter ms"), _row(*["---"] * (7 + len(page_names)))]
        first_size = next((e for e in s["sizes"].values() if e.get("pages")), {})
        today_pages = {p: {"median_ms": v.get("today_ms")} for p, v in first_size.get("pages", {}).items()
                       if not p.startswith("_")}
        today_pages["_server_rss_mb"] = s["today"]["pages"].get("_server_rss_mb", {})
        rows = [("today", {**s["today"], "pages": today_pages})] + list(s["sizes"].items())
        for label, e in rows:
            pages = e.get("pages", {})
            build = e.get("build", {}).get("build_ms") or s.get("build_estimate_ms", {}).get(label)
            build_text = _fmt(build) if e.get("build") else (f"≈{_fmt(build)} (est.)" if build else "—")
            cells = [_fmt(pages.get(p, {}).get("median_ms")) + (f" ({_fmt(pages[p]['vs_today'])}×)"
                                                                 if pages.get(p, {}).get("vs_today") else "")
                     for p in page_names]
            data = pages.get("data", {})
            lines.append(_row(_fmt(e.get("facts", int(label) if label.isdigit() else label)), _fmt(e.get("cases", 3)),
                              build_text, _fmt(e.get("load_ms")), _fmt(pages.get("_server_rss_mb", {}).get("end")),
                              *cells, _fmt(data.get("first_ms")), _fmt(data.get("filter", {}).get("ms"))))
        for label, e in s["sizes"].items():
            if e.get("apptest_data_page"):
                a = e["apptest_data_page"]
                lines.append("")
                lines.append(f"AppTest at {int(label):,} figures (DASHBOARD_DATA_DIR): data page opened "
                             f"{'✅' if a['open_ok'] else '❌'} in {_fmt(a['open_ms'])} ms with {a['rows']:,} rows; "
                             f"search filtered {'✅' if a['filter_ok'] else '❌'} to {a['rows_filtered']:,} rows in "
                             f"{_fmt(a['filter_ms'])} ms. {a['exception']}")
    if "fidelity" in r:
        lines += ["", "## Floor fidelity", "",
                  "Deltas the floor sends that are byte-identical to the real page's (ids, media URLs and the "
                  "link box's host aside; plotly JSON compared as parsed):", "",
                  ", ".join(f"{k} {v['identical']}/{v['deltas']}" for k, v in r["fidelity"].items())]
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    """Write RESULTS.md again from a results file (and the earlier run to compare with), without running anything."""
    import argparse
    import json
    from pathlib import Path

    here = Path(__file__).resolve().parent
    parser = argparse.ArgumentParser(prog="python -m bench.report", description=main.__doc__)
    parser.add_argument("--results", type=Path, default=here / "results" / "latest.json")
    parser.add_argument("--before", type=Path, default=here / "results" / "before.json")
    parser.add_argument("--markdown", type=Path, default=here / "RESULTS.md")
    args = parser.parse_args(argv)
    results = json.loads(args.results.read_text(encoding="utf-8"))
    before = json.loads(args.before.read_text(encoding="utf-8")) if args.before.exists() else None
    args.markdown.write_text(markdown(results, before), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
