"""python -m bench.static: the static edition's fresh time-to-charts next to the same page served by the app.

Each sample is a new browser context (empty cache: a first visit) timed from navigation until every chart of the
page is a .js-plotly-plot with marks (bench/browser.py's READY, with its closed-network flags). The static page is
opened from file:// and from a local static HTTP server; the app's page from a running dashboard. Also reported:
the bytes each static page loads (its HTML plus the shared assets it references) and the whole site's size.
Results go to bench/results/static.json; bench/README.md keeps the last run's figures.

As a section of ``python -m bench``: ``measure(runs, work)`` returns the result dict (also what
bench/results/static.json holds) and ``targets(result)`` its rows for bench/report.py (name, target, value, met).
"""
from __future__ import annotations

import argparse
import asyncio
import functools
import http.server
import json
import re
import shutil
import threading
from contextlib import contextmanager
from pathlib import Path

from . import browser
from .common import ROOT, log, median, ms
from .server import running

WORK = ROOT / "bench" / ".work" / "static"
RESULTS = ROOT / "bench" / "results" / "static.json"
GOAL = 0.35   # the static page's median fresh time-to-charts, at most this share of the app's
# page → (the app's path, the static page in the language folder). Both editions draw the same sections (the
# static case page is the app's blocks, deploy/static/sections.py), so both wait for the static page's charts.
PAGES = {"overview": ("", "index.html"), "xiangtan": ("xiangtan", "case/xiangtan.html")}


def build_site(work: Path) -> tuple[Path, dict]:
    """The edition, and which plotly.js it ships (the partial bundle, or the full one and why)."""
    from deploy.static.site import build

    out = work / "site"
    chosen = build(out, ROOT / "data").plotly
    return out, {"bundle": "partial" if chosen.partial else "full", "reason": chosen.reason}


def charts_in(page: Path) -> int:
    return page.read_text(encoding="utf-8").count('data-chart="')


def page_bytes(site: Path, page: Path) -> dict:
    """The HTML and every local file it references (stylesheet, scripts, icon): what a first visit reads."""
    html = page.read_text(encoding="utf-8")
    refs = {(page.parent / ref).resolve() for ref in re.findall(r'(?:src|href)="([^"#]+\.(?:js|css|svg))"', html)}
    assets = sum(p.stat().st_size for p in refs if p.is_file())
    return {"html": page.stat().st_size, "assets": assets, "total": page.stat().st_size + assets}


@contextmanager
def static_server(folder: Path):
    handler = functools.partial(_Quiet, directory=str(folder))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args) -> None:
        pass


async def _samples(targets: dict[str, tuple[str, browser.Expected]], runs: int) -> dict[str, list[float]]:
    """``runs`` rounds; in each, every target once in a fresh context, in alternating order (a busy machine then
    slows every side alike)."""
    from playwright.async_api import async_playwright

    out = {name: [] for name in targets}
    async with async_playwright() as p:
        chromium = await browser.launch(p)
        try:
            for i in range(runs):
                order = list(targets) if i % 2 == 0 else list(targets)[::-1]
                for name in order:
                    url, expected = targets[name]
                    context = await chromium.new_context(viewport=browser.VIEWPORT, locale="zh-CN")
                    result = await browser.load(context, url, expected)
                    await context.close()
                    out[name].append(result["seconds"])
                    log(f"  {name}: {result['seconds'] * 1000:.0f} ms", verbose=True)
        finally:
            await chromium.close()
    return out


def measure(runs: int = 5, work: Path = WORK) -> dict:
    """Build the edition in ``work``, size it, and time each page of PAGES fresh: app, static file://, static HTTP."""
    log("static edition: building it")
    site, plotly_js = build_site(work)
    total = sum(p.stat().st_size for p in site.rglob("*") if p.is_file())
    pages = {p.relative_to(site).as_posix(): page_bytes(site, p) for p in sorted(site.rglob("*.html"))}
    totals = sorted(e["total"] for e in pages.values())
    results = {"runs": runs, "site_bytes": total, "plotly_js_bytes": (site / "assets/plotly.min.js").stat().st_size,
               "plotly_js": plotly_js,
               "downloads_bytes": sum(p.stat().st_size for p in (site / "downloads").iterdir()),
               "page_bytes": {"pages": len(pages), "median": totals[len(totals) // 2], "max": totals[-1],
                              "html_max": max(e["html"] for e in pages.values())},
               "pages": pages, "timing": {}}
    with running() as app, static_server(site) as http_url:
        for name, (app_path, static_path) in PAGES.items():
            page = site / "zh" / static_path
            count = charts_in(page)
            targets_ = {"app": (f"{app.url}/{app_path}", browser.Expected(count, 0)),
                        "static_file": (page.as_uri(), browser.Expected(count, 0)),
                        "static_http": (f"{http_url}/zh/{static_path}", browser.Expected(count, 0))}
            log(f"static edition · {name}: {runs} rounds of fresh loads of {', '.join(targets_)}")
            times = asyncio.run(_samples(targets_, runs))
            entry = {kind: {"median_ms": ms(median(t)), "max_ms": ms(max(t)), "runs": len(t)} for kind, t in times.items()}
            for kind in ("static_file", "static_http"):
                entry[kind]["ratio_to_app"] = round(median(times[kind]) / median(times["app"]), 3)
            entry["charts"] = count
            results["timing"][name] = entry
            log(f"static edition · {name}: app {entry['app']['median_ms']} ms, static file:// "
                f"{entry['static_file']['median_ms']} ms (× {entry['static_file']['ratio_to_app']}), static http "
                f"{entry['static_http']['median_ms']} ms (× {entry['static_http']['ratio_to_app']}); goal ≤ {GOAL}")
    shutil.rmtree(site, ignore_errors=True)
    return results


def _ratio_met(value) -> bool | None:
    return value <= GOAL if isinstance(value, (int, float)) and value == value else None


def targets(result: dict) -> list[dict]:
    """The section's rows for bench/report.py: each page's fresh time-to-charts against the app's (file:// and
    HTTP), and the sizes the issue asks to report (met: None, there is no goal for them)."""
    out = []
    for page, entry in result.get("timing", {}).items():
        for kind, how in (("static_file", "file://"), ("static_http", "HTTP")):
            value = entry[kind]["ratio_to_app"]
            out.append({"name": f"static edition · {page} fresh time to charts ({how}) vs the app's",
                        "target": f"≤ {GOAL}×", "value": value, "met": _ratio_met(value)})
    sizes = result.get("page_bytes")
    if sizes:
        out.append({"name": "static edition · bytes per page, HTML + assets (median / largest)", "target": "reported",
                    "value": f"{sizes['median'] / 1e6:.2f} / {sizes['max'] / 1e6:.2f} MB", "met": None})
    if "site_bytes" in result:
        bundle = result.get("plotly_js", {}).get("bundle")
        out.append({"name": "static edition · whole site", "target": "reported",
                    "value": f"{result['site_bytes'] / 1e6:.1f} MB (plotly.js {result['plotly_js_bytes'] / 1e6:.1f} MB"
                             + (f", {bundle} bundle)" if bundle else ")"), "met": None})
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.static", description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5, help="fresh loads per page and side (default 5)")
    args = parser.parse_args(argv)
    if not browser.shutil.which("chromium"):
        raise SystemExit("no chromium on PATH (sudo apt-get install -y --no-install-recommends chromium fonts-noto-cjk)")
    results = measure(args.runs, WORK)
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(results, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    log(f"site {results['site_bytes'] / 1e6:.2f} MB (plotly.js {results['plotly_js_bytes'] / 1e6:.2f} MB, "
        f"{results['plotly_js']['bundle']} bundle{' because ' + results['plotly_js']['reason'] if results['plotly_js']['reason'] else ''}, downloads "
        f"{results['downloads_bytes'] / 1e6:.2f} MB); written {RESULTS.relative_to(ROOT)}")
    for row in targets(results):
        log(f"  {row['name']}: {row['value']} (goal {row['target']}, met {row['met']})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
