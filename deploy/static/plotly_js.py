"""Which plotly.js the static edition ships: the partial bundle in vendor/plotly/, or the installed plotly package's.

The full plotly.min.js (every trace type, 4.8 MB) takes a fresh browser longer to evaluate than the whole rest of a
page; the partial bundle holds plotly.js's core and only the trace types the charts draw (bundle.json lists them;
build.mjs beside it rebuilds it). It is used only when it is the same plotly.js as the installed plotly package's
(so a chart draws as the app draws it) and knows every trace type the edition's figures use. Otherwise the full
bundle is shipped and the reason said in one line: a chart never goes undrawn for a missing trace type.
"""
from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

import plotly
from plotly.offline import get_plotlyjs_version

VENDOR = Path(__file__).resolve().parent / "vendor" / "plotly"
FULL = Path(plotly.__file__).resolve().parent / "package_data" / "plotly.min.js"


@dataclass(frozen=True)
class Partial:
    """The vendored bundle as bundle.json records it."""
    path: Path
    version: str                 # plotly.js version it was built from
    traces: frozenset[str]       # trace types registered in it
    sha256: str


@dataclass(frozen=True)
class Choice:
    path: Path
    partial: bool
    reason: str                  # why the full bundle is shipped ("" when the partial one is)

    def describe(self) -> str:
        size = f"{self.path.stat().st_size / 1e6:.1f} MB"
        if self.partial:
            return f"plotly.js: the partial bundle ({size}, only the trace types the charts use)"
        return f"plotly.js: the installed plotly package's full bundle ({size}), because {self.reason}"


def partial(folder: Path = VENDOR) -> Partial | None:
    """The vendored bundle, or None when its record is missing or unreadable."""
    try:
        record = json.loads((folder / "bundle.json").read_text(encoding="utf-8"))
        return Partial(folder / record["file"], str(record["plotly.js"]), frozenset(record["traces"]),
                       str(record["sha256"]))
    except (OSError, ValueError, KeyError, TypeError):
        return None


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def trace_types(figure: dict) -> set[str]:
    """The trace types of a figure as JSON (a trace without a type is a scatter, as plotly.js reads it)."""
    return {trace.get("type", "scatter") for trace in figure.get("data", [])}


# Each check says why the partial bundle cannot serve, or "" when it can; the first reason found is said.
Check = Callable[[Partial, str, set[str]], str]


def _same_version(bundle: Partial, installed: str, used: set[str]) -> str:
    return "" if bundle.version == installed else (
        f"the partial bundle is of plotly.js {bundle.version} and the plotly package ships {installed} "
        "(rebuild it: deploy/static/vendor/plotly/build.mjs)")


def _intact(bundle: Partial, installed: str, used: set[str]) -> str:
    if not bundle.path.is_file():
        return f"the partial bundle {bundle.path.name} is missing"
    return "" if sha256(bundle.path) == bundle.sha256 else (
        f"the partial bundle {bundle.path.name} does not match the sha256 recorded in bundle.json")


def _every_trace(bundle: Partial, installed: str, used: set[str]) -> str:
    missing = sorted(used - bundle.traces)
    return f"the charts use trace types the partial bundle lacks: {', '.join(missing)}" if missing else ""


CHECKS: tuple[Check, ...] = (_same_version, _intact, _every_trace)


def choose(used: Iterable[str], bundle: Partial | None, installed: str, full: Path = FULL) -> Choice:
    """The partial bundle if every check passes for the trace types ``used``, else the full one and why."""
    if bundle is None:
        return Choice(full, False, "the partial bundle's record (vendor/plotly/bundle.json) is missing or unreadable")
    used = set(used)
    reason = next((found for check in CHECKS if (found := check(bundle, installed, used))), "")
    return Choice(full, False, reason) if reason else Choice(bundle.path, True, "")


def choose_installed(used: Iterable[str]) -> Choice:
    """The choice for this installation: the vendored bundle against the installed plotly package."""
    return choose(used, partial(), get_plotlyjs_version())
