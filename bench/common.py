"""Small shared helpers: statistics, timing, machine facts, progress output."""
from __future__ import annotations

import math
import os
import platform
import statistics
import subprocess
import sys
import time
from pathlib import Path

import psutil

ROOT = Path(__file__).resolve().parent.parent
_T0 = time.monotonic()


VERBOSE = bool(os.environ.get("BENCH_VERBOSE"))


def log(message: str, verbose: bool = False) -> None:
    if verbose and not VERBOSE:
        return
    print(f"[{time.monotonic() - _T0:6.1f}s] {message}", file=sys.stderr, flush=True)


def median(values) -> float:
    values = [v for v in values if v == v]
    return statistics.median(values) if values else float("nan")


def percentile(values, q: float) -> float:
    """Nearest-rank percentile (q in 0..100) of the finite values."""
    values = sorted(v for v in values if v == v)
    if not values:
        return float("nan")
    rank = max(1, math.ceil(q / 100 * len(values)))
    return values[rank - 1]


def ms(seconds: float) -> float:
    return round(seconds * 1000, 1) if seconds == seconds else float("nan")


def ratio(a: float, b: float) -> float:
    return round(a / b, 3) if b and a == a and b == b else float("nan")


def machine() -> dict:
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True).stdout.strip()
    dirty = bool(subprocess.run(["git", "status", "--porcelain", "--untracked-files=no"], cwd=ROOT, capture_output=True,
                                text=True).stdout.strip())
    import pandas
    import plotly
    import pyarrow
    import streamlit
    return {"cpus": os.cpu_count(), "memory_gb": round(psutil.virtual_memory().total / 2**30, 1),
            "python": platform.python_version(), "streamlit": streamlit.__version__, "plotly": plotly.__version__,
            "pandas": pandas.__version__, "pyarrow": pyarrow.__version__, "commit": commit + ("+dirty" if dirty else ""),
            "load_average_at_start": [round(x, 2) for x in os.getloadavg()]}


def other_load() -> float:
    """CPU seconds per second used by processes that are not ours, sampled over 1 s (the machine may be shared)."""
    mine = {os.getpid(), *(c.pid for c in psutil.Process().children(recursive=True))}
    procs = [p for p in psutil.process_iter() if p.pid not in mine]
    before = {}
    for p in procs:
        try:
            t = p.cpu_times()
            before[p.pid] = (p, t.user + t.system)
        except psutil.Error:
            pass
    time.sleep(1.0)
    used = 0.0
    for p, start in before.values():
        try:
            t = p.cpu_times()
            used += t.user + t.system - start
        except psutil.Error:
            pass
    return round(used, 2)
