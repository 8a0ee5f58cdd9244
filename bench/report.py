"""The targets (met / missed, from one run's numbers) and the short markdown report."""
from __future__ import annotations

import math

from . import build as incremental_build
from .scale import targets as issue_targets

SCRIPT_RATIO, BROWSER_RATIO, LOAD_P95_RATIO, MEMORY_MB, SCALE_RATIO = 1.25, 1.15, 1.25, 100, 1.5
PROCESSES_P95_RATIO, STATIC_RATIO = 0.65, 0.35   # issue "Scale" (several processes); issue "Offline" (static edition)


def _num(value) -> bool:
    return isinstance(value, (int, float)) and not math.isnan(value)


def _target(name: str, goal: str, value, met) -> dict:
    return {"name": name, "target": goal, "value": value, "met": met}


def server_targets(e: dict) -> list[dict]:
    return [_target(f"script time · {page}", f"≤ {SCRIPT_RATIO}× floor", x["ratio"],
                    x["ratio"] <= SCRIPT_RATIO if _num(x["ratio"]) else None) for page, x in e.items()]


def browser_targets(e: dict) -> list[dict]:
    out = []
    for page, x in e.items():
        for mode in ("fresh", "warm"):
            value = x[mode]["ratio"]
            out.append(_target(f"browser time to charts ({mode}) · {page}", f"≤ {BROWSER_RATIO}× floor", value,
                               value <= BROWSER_RATIO if _num(value) else None))
    return out


def concurrency_targets(e: dict) -> list[dict]:
    ws = e.get("websocket", {})
    if "50" not in ws:
        return []
    e = ws["50"]
    success = e["real"].get("success_all_rounds", e["real"]["success"])   # every round, not just the median one
    growth = round(e["real"]["rss_after_mb"] - e["real"]["rss_before_mb"], 1)
    return [_target("50 sessions · success", "100 %", success, success == 1.0),
            _target("50 sessions · p95 vs floor p95", f"≤ {LOAD_P95_RATIO}×", e["p95_ratio"],
                    e["p95_ratio"] <= LOAD_P95_RATIO if _num(e["p95_ratio"]) else None),
            _target("50 sessions · server memory growth (MB)", f"≤ {MEMORY_MB}", growth, growth <= MEMORY_MB)]


def scale_targets(e: dict) -> list[dict]:
    out = []
    sizes = e.get("sizes", {})
    if "100000" in sizes and "pages" in sizes["100000"]:
        for page, x in sizes["100000"]["pages"].items():
            if not page.startswith("_"):
                value = x.get("vs_today")
                out.append(_target(f"10^5 figures · {page} vs today", f"≤ {SCALE_RATIO}×", value,
                                   value <= SCALE_RATIO if _num(value) else False))
    if "1000000" in sizes:
        x = sizes["1000000"]
        data = x.get("pages", {}).get("data", {})
        server_ok = bool(data.get("ok") and data.get("filter", {}).get("ok"))
        out.append(_target("10^6 figures · data page opens and filters (server)", "yes",
                           f"open {data.get('first_ms')} ms, filter {data.get('filter', {}).get('ms')} ms", server_ok))
        at = x.get("apptest_data_page")
        if at:
            out.append(_target("10^6 figures · data page opens and filters (AppTest)", "yes",
                               f"open {at['open_ms']} ms, filter {at['filter_ms']} ms",
                               bool(at["open_ok"] and at["filter_ok"])))
    return out + issue_targets(e)   # issue 18's targets at 10^6 figures / 20,000 cases (bench/scale.py)


def wait_ratio(wait: dict) -> float:
    """deploy.serve's warm rerun against plain ``streamlit run``'s: the geometric mean over the pages."""
    ratios = [x["deploy_serve_ms"] / x["streamlit_run_ms"] for x in wait.values() if x["streamlit_run_ms"]]
    return round(math.prod(ratios) ** (1 / len(ratios)), 3) if ratios else float("nan")


def processes_targets(e: dict) -> list[dict]:
    p, f = e["processes"], e["failover"]
    n = p["sessions"]
    success = p["success_two_all_rounds"]
    out = [_target(f"{n} sessions · 2 processes · success (every round)", "100 %", success, success == 1.0),
           _target(f"{n} sessions · p95 with 2 processes vs 1", f"≤ {PROCESSES_P95_RATIO}×", p["p95_ratio"],
                   p["p95_ratio"] <= PROCESSES_P95_RATIO if _num(p["p95_ratio"]) else None),
           _target("a process killed under load · its readers get their page again from the live one, no error",
                   "all", f"{f['recovered']}/{f['on_killed']}",
                   f["on_killed"] > 0 and f["recovered"] == f["on_killed"] and not f["errors"]),
           _target("a process killed under load · the other readers unaffected", "all",
                   f"{f['others_ok']}/{f['others']}", f["others_ok"] == f["others"])]
    value = wait_ratio(e["wait"])
    out.append(_target("warm rerun · deploy.serve vs streamlit run (geometric mean over pages)", "< 1× (wait gone)",
                       value, value < 1 if _num(value) else None))
    return out


def static_targets(e: dict) -> list[dict]:
    out = []
    for page, x in e.get("timing", {}).items():
        for kind, label in (("static_file", "file://"), ("static_http", "HTTP")):
            value = x.get(kind, {}).get("ratio_to_app")
            out.append(_target(f"static page vs app, fresh time to charts ({label}) · {page}", f"≤ {STATIC_RATIO}×",
                               value, value <= STATIC_RATIO if _num(value) else None))
    return out


# results key → its section's targets (bench/__main__.py's SECTIONS names the sections that write each key)
TARGETS = {"server_time": server_targets, "browser": browser_targets, "concurrency": concurrency_targets,
           "scale": scale_targets, "processes": processes_targets, "static": static_targets,
           "build": incremental_build.targets}


def targets(r: dict) -> list[dict]:
    out = []
    for key, of in TARGETS.items():
        if key in r and "error" in r[key]:   # the section failed: say so, in place of its targets
            out.append(_target(f"{key} · the section ran", "yes", r[key]["error"], False))
        elif key in r:
            out += of(r[key])
    return out


def _rss(rss: dict) -> str:
    """The server's RSS after every page, with its own memory and its mapped files' pages apart when measured."""
    split = f" ({_fmt(rss['end_anon'])} + {_fmt(rss['end_file'])})" if rss.get("end_anon") is not None else ""
    return _fmt(rss.get("end")) + split


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


def _command(meta: dict) -> str:
    if "command" in meta:
        return meta["command"]
    return f"python -m bench{' --quick' if meta['quick'] else ''}{'' if meta.get('nodelay', True) else ' --as-shipped'}"


def markdown(r: dict, before: dict | None = None) -> str:
    # A section that failed has only its error, shown among the targets; it has no table.
    r = {key: value for key, value in r.items() if not (isinstance(value, dict) and "error" in value)}
    meta = r["meta"]
    m = meta["machine"]
    lines = ["# Benchmark results", "",
             f"`{_command(meta)}` · {meta['started']} · wall {meta['wall_s']:.0f} s · "
             f"commit {m['commit']} · {m['cpus']} cores, {m['memory_gb']} GB · Streamlit {m['streamlit']}, plotly "
             f"{m['plotly']}, pandas {m['pandas']}, pyarrow {m['pyarrow']}",
             f"CPU used by other processes during the run: {meta['other_cpu_load_at_start']} → "
             f"{meta.get('other_cpu_load_at_end')} cores (0 on a quiet machine; real and floor samples alternate so "
             f"both see the same noise). Floor = the same page's elements replayed with the same st.* calls and no "
             f"data work (bench/floor_app.py). " + _transport(meta), ""]
    if meta.get("measured"):
        lines += ["Sections, each as last measured: " + "; ".join(
            f"{name} {m.get('started')}{' (quick)' if m.get('quick') else ''}, commit {m.get('commit')}"
            + (f", other processes' CPU {m['other_cpu_load'][0]} → {m['other_cpu_load'][1]} cores"
               if m.get("other_cpu_load") else "") for name, m in meta["measured"].items()) + ".", ""]
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
                  f"{r['meta']['plan'].get('server_runs', '?')} runs each. Browser = navigation until every chart is drawn "
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
                  _row("figures", "cases", "build ms", "load ms", "server RSS MB (anon + file)", *page_names, "data first ms",
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
                              build_text, _fmt(e.get("load_ms")), _rss(pages.get("_server_rss_mb", {})),
                              *cells, _fmt(data.get("first_ms")), _fmt(data.get("filter", {}).get("ms"))))
        for label, e in s["sizes"].items():
            if e.get("apptest_data_page"):
                a = e["apptest_data_page"]
                lines.append("")
                lines.append(f"AppTest at {int(label):,} figures (DASHBOARD_DATA_DIR): data page opened "
                             f"{'✅' if a['open_ok'] else '❌'} in {_fmt(a['open_ms'])} ms with {a['rows']:,} rows; "
                             f"search filtered {'✅' if a['filter_ok'] else '❌'} to {a['rows_filtered']:,} rows in "
                             f"{_fmt(a['filter_ms'])} ms. {a['exception']}")
    for key, table in TABLES.items():
        if key in r:
            lines += table(r[key])
    if "fidelity" in r:
        lines += ["", "## Floor fidelity", "",
                  "Deltas the floor sends that are byte-identical to the real page's (ids, media URLs and the "
                  "link box's host aside; plotly JSON compared as parsed):", "",
                  ", ".join(f"{k} {v['identical']}/{v['deltas']}" for k, v in r["fidelity"].items())]
    return "\n".join(lines) + "\n"


def processes_table(e: dict) -> list[str]:
    p, f = e["processes"], e["failover"]
    lines = ["", "## Several app processes behind nginx", "",
             f"{p['sessions']} websocket sessions at once (each from a loopback address of its own, as readers come) "
             "through deploy/nginx.conf in front of one and of two app processes started as hosting starts them "
             f"(deploy.hosted). {p['rounds']} round(s) each, one/two alternating; the round with the median p95 "
             "stands. Server CPU = the app processes' CPU time in that round; cores the app got = that over the wall "
             "time: at most 1 per process, and less when other work holds the cores. Two processes can only beat one "
             f"when a second core is free (CPU used by other processes: {e.get('other_cpu_load_at_start')} → "
             f"{e.get('other_cpu_load_at_end')} cores).", "",
             _row("processes", "success (every round)", "p50 ms", "p95 ms", "p95 each round ms", "wall ms",
                  "server CPU s", "cores the app got", "client CPU s", "RSS after MB"), _row(*["---"] * 10)]
    for label, x, success in (("1", p["one"], p.get("success_one_all_rounds", p["one"]["success"])),
                              ("2", p["two"], p["success_two_all_rounds"])):
        lines.append(_row(label, f"{success:.0%}", _fmt(x["p50_ms"]), _fmt(x["p95_ms"]),
                          ", ".join(_fmt(v) for v in x["p95_rounds_ms"]), _fmt(x["wall_ms"]), _fmt(x["server_cpu_s"]),
                          _fmt(round(x["server_cpu_s"] / x["wall_ms"] * 1000, 2) if x["wall_ms"] else None),
                          _fmt(x.get("client_cpu_s")), _fmt(x["rss_after_mb"])))
    if p.get("p95_ratio_rounds"):
        lines += ["", f"p95 two / one: {_fmt(p['p95_ratio'])} (median rounds); round by round "
                  + ", ".join(_fmt(v) for v in p["p95_ratio_rounds"]) + "."]
    lines += ["", f"A process killed under load: {f['readers']} readers rerunning their pages on two processes, one "
              f"killed; {f['recovered']} of its {f['on_killed']} readers reconnected (same route cookie, same page "
              f"and query) and got their page from the live process with no exception, "
              f"{_fmt(f['recovery_p50_ms'])} ms after the kill (median; slowest {_fmt(f['recovery_max_ms'])} ms); "
              f"{f['others_ok']} of the other {f['others']} readers went on undisturbed. "
              + (f"Errors: {'; '.join(f['errors'])}" if f["errors"] else ""),
              "", "### The per-interaction wait: plain `streamlit run` against `python -m deploy.serve`", "",
              "Warm reruns of each page in one session per launcher, runs alternating (median; p25 beside it).", "",
              _row("page", "streamlit run ms", "deploy.serve ms", "saved ms", "p25 streamlit run", "p25 deploy.serve"),
              _row(*["---"] * 6)]
    for page, x in e["wait"].items():
        lines.append(_row(page, _fmt(x["streamlit_run_ms"]), _fmt(x["deploy_serve_ms"]), _fmt(x["saved_ms"]),
                          _fmt(x.get("streamlit_run_p25_ms")), _fmt(x.get("deploy_serve_p25_ms"))))
    return lines


def static_table(e: dict) -> list[str]:
    lines = ["", "## The static edition against the app", "",
             f"Fresh time to charts (a new browser context per load), {e['runs']} rounds, median ms. Site "
             f"{e['site_bytes'] / 1e6:.2f} MB (plotly.js {e['plotly_js_bytes'] / 1e6:.2f} MB"
             f"{', the ' + e['plotly_js']['bundle'] + ' bundle' if 'plotly_js' in e else ''}, downloads "
             f"{e['downloads_bytes'] / 1e6:.2f} MB).", "",
             _row("page", "app", "static file://", "×", "static HTTP", "×"), _row(*["---"] * 6)]
    for page, x in e.get("timing", {}).items():
        lines.append(_row(page, _fmt(x["app"]["median_ms"]), _fmt(x["static_file"]["median_ms"]),
                          _fmt(x["static_file"]["ratio_to_app"]), _fmt(x["static_http"]["median_ms"]),
                          _fmt(x["static_http"]["ratio_to_app"])))
    sizes = sorted(v["total"] for v in e.get("pages", {}).values())
    html = sorted(v["html"] for v in e.get("pages", {}).values())
    if sizes:
        lines += ["", f"Bytes per page ({len(sizes)} pages): HTML {_fmt(html[0])}–{_fmt(html[-1])} (median "
                  f"{_fmt(html[len(html) // 2])}); with the files it references {_fmt(sizes[0])}–{_fmt(sizes[-1])} "
                  f"(median {_fmt(sizes[len(sizes) // 2])})."]
    return lines


# results key → its section's own table in RESULTS.md (the older sections are written by markdown() itself)
TABLES = {"processes": processes_table, "static": static_table}


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
