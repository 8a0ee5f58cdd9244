"""Profile one page's script run with cProfile (warm cache), to find where its time goes.

    python -m bench.profile xiangtan [--runs 10] [--sort tottime] [--limit 40] [--data-dir DIR]

The page runs under AppTest (in-process). Streamlit runs scripts in a thread of its own, so the profiler is
switched on inside that thread, around the script's execution only: AppTest's own bookkeeping is not counted.
"""
from __future__ import annotations

import argparse
import contextlib
import cProfile
import io
import os
import pstats
import time
from pathlib import Path

from .common import ROOT

# Every case is pages/case.py under the case's url_path: a case is opened by its id (tests/conftest.open_case).
PAGE_FILES = {"overview": None, "xiangtan": None, "heilongjiang": None, "fangchenggang": None, "data": "pages/data.py",
              "compare": "pages/compare.py", "finder": "pages/cases.py"}


def page_file(name: str) -> str | None:
    if name == "overview" or name not in PAGE_FILES or PAGE_FILES[name] is None:
        return None
    candidates = [PAGE_FILES.get(name), f"pages/{name}.py", "pages/data_sources.py" if name == "data" else None]
    return next(c for c in candidates if c and (ROOT / c).exists())


@contextlib.contextmanager
def profiled_scripts(profiler: cProfile.Profile, seconds: list[float]):
    """Switch the profiler on around every script execution (in the script thread)."""
    from streamlit.runtime.scriptrunner import exec_code, script_runner

    original = exec_code.exec_func_with_error_handling

    def wrapped(func, ctx):
        def run():
            start = time.perf_counter()
            profiler.enable()
            try:
                return func()
            finally:
                profiler.disable()
                seconds.append(time.perf_counter() - start)
        return original(run, ctx)

    exec_code.exec_func_with_error_handling = wrapped
    script_runner.exec_func_with_error_handling = wrapped
    try:
        yield
    finally:
        exec_code.exec_func_with_error_handling = original
        script_runner.exec_func_with_error_handling = original


def open_app(page: str, data_dir: Path | None = None, timeout: float = 600):
    from streamlit.testing.v1 import AppTest

    if data_dir:
        os.environ["DASHBOARD_DATA_DIR"] = str(data_dir)
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=timeout)
    at.run()
    target = page_file(page)
    if target:
        at.switch_page(target)
        at.run()
    elif page != "overview":
        from tests.conftest import open_case
        open_case(at, page)
    if at.exception:
        raise RuntimeError(f"{page}: {at.exception}")
    return at


def profile(page: str, runs: int = 10, data_dir: Path | None = None) -> tuple[pstats.Stats, list[float]]:
    at = open_app(page, data_dir)
    at.run()  # warm
    profiler, seconds = cProfile.Profile(), []
    with profiled_scripts(profiler, seconds):
        for _ in range(runs):
            at.run()
    return pstats.Stats(profiler), seconds


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.profile", description=__doc__.splitlines()[0])
    parser.add_argument("page", choices=sorted(PAGE_FILES))
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--sort", default="cumulative")
    parser.add_argument("--limit", type=int, default=40)
    parser.add_argument("--data-dir", type=Path, default=None)
    args = parser.parse_args(argv)
    stats, seconds = profile(args.page, args.runs, args.data_dir)
    out = io.StringIO()
    stats.stream = out
    stats.sort_stats(args.sort).print_stats(args.limit)
    seconds.sort()
    print(f"{args.page}: {len(seconds)} script runs, median {seconds[len(seconds) // 2] * 1000:.1f} ms (profiled)")
    print(out.getvalue())
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
