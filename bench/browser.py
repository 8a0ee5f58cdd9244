"""Browser time per page: from navigation until every chart is drawn, real vs floor, fresh and warm contexts.

Debian's chromium driven by Playwright (never a downloaded browser), with the closed-network flags: only
loopback is reachable. "Drawn" = every plotly chart the page sends is a ``.js-plotly-plot`` with marks in it
(bars / points / treemap slices); a page with no chart is drawn when its visible tables' grids are on screen.
A fresh context has an empty HTTP cache (a first visit); a warm context has loaded the app before (a return
visit). The network log of fresh loads gives the bytes a cold page load transfers (HTTP + websocket).
"""
from __future__ import annotations

import asyncio
import base64
import shutil
import time
from dataclasses import dataclass

from .common import log, median, ms, percentile, ratio

FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
         "--disable-sync", "--no-first-run", "--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1"]
VIEWPORT = {"width": 1400, "height": 1000}

# JS: true when `charts` plotly charts have marks and `grids` data grids are drawn.
READY = """([charts, grids]) => {
  const plots = [...document.querySelectorAll('.js-plotly-plot')];
  if (plots.length < charts) return false;
  if (!plots.every(p => p.querySelector('.point, g.slice, .bars path'))) return false;
  const drawn = document.querySelectorAll('[data-testid="stDataFrame"] canvas, [data-testid="stDataFrameResizable"] canvas');
  return drawn.length >= grids;
}"""


@dataclass
class Expected:
    charts: int
    grids: int


def chromium() -> str:
    path = shutil.which("chromium") or shutil.which("chromium-browser")
    if not path:
        raise RuntimeError("no chromium on PATH (sudo apt-get install -y --no-install-recommends chromium fonts-noto-cjk)")
    return path


async def launch(playwright):
    return await playwright.chromium.launch(executable_path=chromium(), args=FLAGS, headless=True)


class NetLog:
    """Bytes received by one page: HTTP (encoded, with headers) and websocket frames, from the CDP network log."""

    def __init__(self) -> None:
        self.http = 0
        self.ws = 0
        self.requests = 0

    async def attach(self, context, page) -> None:
        self.cdp = await context.new_cdp_session(page)
        self.cdp.on("Network.loadingFinished", self._finished)
        self.cdp.on("Network.webSocketFrameReceived", self._frame)
        await self.cdp.send("Network.enable")
        await self.cdp.send("Performance.enable")

    async def main_thread_seconds(self) -> float:
        """CPU time the page's main thread spent on tasks so far (scripts, layout, paint): unlike wall time,
        hardly affected by other processes competing for the cores."""
        metrics = (await self.cdp.send("Performance.getMetrics"))["metrics"]
        return next((m["value"] for m in metrics if m["name"] == "TaskDuration"), float("nan"))

    def _finished(self, event: dict) -> None:
        self.http += int(event.get("encodedDataLength", 0))
        self.requests += 1

    def _frame(self, event: dict) -> None:
        response = event.get("response", {})
        payload = response.get("payloadData", "")
        self.ws += len(base64.b64decode(payload)) if response.get("opcode") == 2 else len(payload.encode())


async def load(context, url: str, expected: Expected, net: bool = False, timeout_s: float = 120) -> dict:
    """Open ``url`` in a new tab of ``context``; seconds until drawn (nan if it never was)."""
    page = await context.new_page()
    netlog = NetLog()
    try:
        await netlog.attach(context, page)
        start = time.perf_counter()
        await page.goto(url, wait_until="commit", timeout=timeout_s * 1000)
        await page.wait_for_function(READY, arg=[expected.charts, expected.grids], polling="raf",
                                     timeout=timeout_s * 1000)
        seconds = time.perf_counter() - start
        cpu = await netlog.main_thread_seconds()
        if net:
            await page.wait_for_timeout(300)   # late requests of the same load (fonts, icons)
        return {"seconds": seconds, "main_thread_s": cpu, "ok": True, "http_bytes": netlog.http, "ws_bytes": netlog.ws,
                "requests": netlog.requests}
    except Exception as exc:  # a page that never draws is a failed sample, not a crashed benchmark
        return {"seconds": float("nan"), "ok": False, "error": f"{type(exc).__name__}: {str(exc)[:200]}"}
    finally:
        await page.close()


async def _measure(urls: dict[str, str], pages: dict[str, str], expected: dict[str, Expected], fresh: int,
                   warm: int, budget_s: float) -> dict:
    from playwright.async_api import async_playwright

    samples = {name: {app: {"fresh": [], "warm": [], "net": []} for app in urls} for name in pages}
    async with async_playwright() as p:
        browser = await launch(p)
        try:
            warm_contexts = {app: await browser.new_context(viewport=VIEWPORT, locale="zh-CN") for app in urls}
            for app, url in urls.items():   # a first visit fills each warm context's HTTP cache
                name = next(iter(pages))
                result = await load(warm_contexts[app], f"{url}/{pages[name]}", expected[name])
                log(f"  browser {name} {app} first visit: {_short(result)}", verbose=True)
            deadline = time.monotonic() + budget_s
            for i in range(max(fresh, warm)):
                if i and time.monotonic() > deadline:
                    log(f"  browser: time budget ({budget_s:.0f} s) spent after {i} round(s)")
                    break
                apps = list(urls) if i % 2 == 0 else list(urls)[::-1]
                for name, path in pages.items():
                    for app in apps:
                        if i < fresh:
                            context = await browser.new_context(viewport=VIEWPORT, locale="zh-CN")
                            result = await load(context, f"{urls[app]}/{path}", expected[name], net=True)
                            await context.close()
                            samples[name][app]["fresh"].append(result)
                            log(f"  browser {name} {app} fresh: {_short(result)}", verbose=True)
                        if i < warm:
                            result = await load(warm_contexts[app], f"{urls[app]}/{path}", expected[name])
                            samples[name][app]["warm"].append(result)
                            log(f"  browser {name} {app} warm: {_short(result)}", verbose=True)
            for context in warm_contexts.values():
                await context.close()
        finally:
            await browser.close()
    return samples


def _short(result: dict) -> str:
    return f"{result['seconds'] * 1000:.0f} ms" if result["ok"] else result.get("error", "failed")


def summarize(samples: dict) -> dict:
    out = {}
    for name, apps in samples.items():
        entry = {}
        for mode in ("fresh", "warm"):
            times = {app: [s["seconds"] for s in runs[mode]] for app, runs in apps.items()}
            cpu = {app: [s.get("main_thread_s", float("nan")) for s in runs[mode]] for app, runs in apps.items()}
            entry[mode] = {app: {"median_ms": ms(median(t)), "max_ms": ms(max(t)) if t else None, "runs": len(t),
                                 "main_thread_ms": ms(median(cpu[app])),
                                 "failures": sum(1 for s in apps[app][mode] if not s["ok"])}
                           for app, t in times.items()}
            entry[mode]["ratio"] = ratio(median(times["real"]), median(times["floor"]))
            entry[mode]["main_thread_ratio"] = ratio(median(cpu["real"]), median(cpu["floor"]))
        entry["bytes"] = {app: {"http": int(median([s["http_bytes"] for s in runs["fresh"] if s["ok"]])),
                                "ws": int(median([s["ws_bytes"] for s in runs["fresh"] if s["ok"]])),
                                "requests": int(median([s["requests"] for s in runs["fresh"] if s["ok"]]))}
                          if any(s["ok"] for s in runs["fresh"]) else None
                          for app, runs in apps.items()}
        errors = [s.get("error") for runs in apps.values() for mode in ("fresh", "warm") for s in runs[mode] if not s["ok"]]
        if errors:
            entry["errors"] = errors[:3]
        out[name] = entry
        log(f"browser {name}: fresh real {entry['fresh']['real']['median_ms']} / floor "
            f"{entry['fresh']['floor']['median_ms']} ms (× {entry['fresh']['ratio']}); warm real "
            f"{entry['warm']['real']['median_ms']} / floor {entry['warm']['floor']['median_ms']} ms "
            f"(× {entry['warm']['ratio']})")
    return out


def measure(real_url: str, floor_url: str, pages: dict[str, str], expected: dict[str, Expected], fresh: int = 2,
            warm: int = 2, budget_s: float = 240) -> dict:
    """``fresh`` and ``warm`` loads per page and app, alternating apps; after the first round, rounds stop once
    ``budget_s`` is spent (a loaded machine makes every load slow)."""
    samples = asyncio.run(_measure({"real": real_url, "floor": floor_url}, pages, expected, fresh, warm, budget_s))
    return summarize(samples)


# --- many browser sessions at once --------------------------------------------------------------------------------
async def _concurrent(url: str, pages: dict[str, str], expected: dict[str, Expected], n: int, timeout_s: float) -> list:
    from playwright.async_api import async_playwright

    names = list(pages)
    async with async_playwright() as p:
        browser = await launch(p)
        try:
            contexts = [await browser.new_context(viewport=VIEWPORT, locale="zh-CN") for _ in range(n)]

            async def one(i: int) -> dict:
                name = names[i % len(names)]
                return await load(contexts[i], f"{url}/{pages[name]}", expected[name], timeout_s=timeout_s)

            results = await asyncio.gather(*(one(i) for i in range(n)))
            for context in contexts:
                await context.close()
            return list(results)
        finally:
            await browser.close()


def concurrent(url: str, pages: dict[str, str], expected: dict[str, Expected], n: int, timeout_s: float = 180) -> dict:
    """``n`` fresh browser contexts open pages (cycling through ``pages``) at the same moment."""
    results = asyncio.run(_concurrent(url, pages, expected, n, timeout_s))
    times = [r["seconds"] for r in results if r["ok"]]
    return {"sessions": n, "success": sum(r["ok"] for r in results) / n, "p50_ms": ms(median(times)),
            "p95_ms": ms(percentile(times, 95)), "errors": [r["error"] for r in results if not r["ok"]][:3]}
