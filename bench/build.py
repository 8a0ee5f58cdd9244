"""The build at national scale: a synthetic source collection of 10^5 figures, built in full, then rebuilt unchanged
and after a one-case edit (incremental), and the one-case result compared byte for byte with a full build.

    python -m bench.build                   # 10^5 figures (about 3 minutes on 2 cores)
    python -m bench.build --sizes 10000     # other sizes

The collection is made of case files: each synthetic case is a whole real case file cloned under a new case id, every
id in it (figures, events, practices, identities, derived indicators) prefixed, so it keeps the real case's size
(about 17 figures), its real quotes in the real article, its formulas, sections and calculators. 10^5 figures are
about 5,900 cases: the shape of a collection of every county's published practice, not a few huge cases.
"""
from __future__ import annotations

import argparse
import hashlib
import json
import os
import re
import shutil
import tempfile
import time
from pathlib import Path

import yaml

from metrics import build

from .common import log

ROOT = Path(__file__).resolve().parent.parent
SOURCES = ROOT / "data" / "sources"
SIZES = [10**5]
UNCHANGED_S, ONE_CASE_S = 2.0, 10.0   # the targets at 10^5 figures
ID_KEYS = ("fact_id", "event_id", "practice_id", "identity_id", "indicator_id")


# --- A synthetic source collection -----------------------------------------------------------------------------
class Template:
    """One real case file, ready to be cloned: its text, and one pattern matching every id it declares."""

    def __init__(self, path: Path):
        self.text = path.read_text(encoding="utf-8")
        doc = yaml.load(self.text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
        ids = {str(doc["case"]["case_id"])}
        ids |= {str(r[key]) for section in doc.values() if isinstance(section, list)
                for r in section if isinstance(r, dict) for key in ID_KEYS if key in r}
        self.facts = len(doc.get("facts") or [])
        # Longest first, and only whole ids (an id followed or preceded by [a-z0-9_] is another id).
        alternatives = "|".join(sorted(map(re.escape, ids), key=len, reverse=True))
        self.pattern = re.compile(rf"(?<![A-Za-z0-9_])({alternatives})(?![A-Za-z0-9_])")

    def clone(self, prefix: str) -> str:
        return self.pattern.sub(lambda m: prefix + m.group(1), self.text)


def write_sources(n_facts: int, out: Path) -> Path:
    """A sources folder: the real articles, shared files and cases, plus clones of the real cases until the
    collection holds at least ``n_facts`` figures. Clone k is ``c<k>_<case id>.yaml``."""
    if out.exists():
        shutil.rmtree(out)
    shutil.copytree(SOURCES, out)
    templates = [Template(p) for p in sorted((SOURCES / "cases").glob("*.yaml"))]
    total, k = sum(t.facts for t in templates), 0
    while total < n_facts:
        template = templates[k % len(templates)]
        prefix = f"c{k:05d}_"
        text = template.clone(prefix)
        case_id = re.search(r"^\s+case_id:\s*\"?([a-z0-9_]+)", text, re.M).group(1)
        (out / "cases" / f"{case_id}.yaml").write_text(text, encoding="utf-8")
        total, k = total + template.facts, k + 1
    return out


def facts_built(manifest: dict) -> int:
    return sum(v["rows"] for rel, v in manifest["outputs"].items() if rel.endswith("facts.parquet"))


def digest_tree(folder: Path) -> dict[str, str]:
    """Every file the build writes (parquet files and the manifest), by path."""
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file() and "sources" not in p.relative_to(folder).parts
            and (p.suffix == ".parquet" or p.name == "manifest.json")}


def one_case(sources: Path) -> tuple[Path, str, str]:
    """A case file in the middle of the collection, and a curator's edit of it (a figure's English name)."""
    clones = sorted((sources / "cases").glob("c*_*.yaml"))
    path = clones[len(clones) // 2] if clones else sorted((sources / "cases").glob("*.yaml"))[0]
    text = path.read_text(encoding="utf-8")
    line = re.search(r"^ +indicator_en: .*$", text, re.M).group(0)
    edited = line[:-1] + ' (revised)"' if line.endswith('"') else line + " (revised)"
    return path, text, text.replace(line, edited, 1)


class Progress(build.Progress):
    """The build's own stage lines, in the bench's log."""

    def __init__(self):
        super().__init__()
        self.loud = True

    def __call__(self, message: str) -> None:
        log(f"    {message}")


def timed(label: str, data_dir: Path, sources: Path, full: bool = False) -> tuple[float, dict]:
    log(f"  {label} …")
    start = time.perf_counter()
    result = build.build(data_dir, sources, full=full, say=Progress())
    seconds = time.perf_counter() - start
    log(f"  {label}: {seconds:.2f} s ({result['run']['mode']})")
    return seconds, result


def measure_size(n: int, work: Path) -> dict:
    """One full build, of the sources with one case already edited (its digest is the reference); the edit undone
    (a one-case rebuild), an unchanged rebuild, the edit made again (a one-case rebuild): byte-identical to the
    reference? One full build instead of two, on a machine where one takes minutes at 10^5."""
    log(f"build · {n:,} figures: writing the synthetic sources")
    sources, data = write_sources(n, work / f"build-sources-{n}"), work / f"build-{n}"
    shutil.rmtree(data, ignore_errors=True)
    path, original, edited = one_case(sources)
    path.write_text(edited, encoding="utf-8")
    full_s, result = timed("full build", data, sources, full=True)
    reference = digest_tree(data)
    path.write_text(original, encoding="utf-8")
    undo_s, undo = timed(f"one case changed ({path.name}, edit undone)", data, sources)
    unchanged_s, unchanged = timed("unchanged rebuild", data, sources)
    path.write_text(edited, encoding="utf-8")
    redo_s, redo = timed(f"one case changed ({path.name}, edit made again)", data, sources)
    identical = digest_tree(data) == reference
    log(f"  after the one-case rebuild, every file byte-identical to the full build's: {identical}")
    return {"figures": facts_built(result), "case_files": len(list((sources / "cases").glob("*.yaml"))),
            "output_files": len(result["outputs"]), "full_s": round(full_s, 2),
            "unchanged_s": round(unchanged_s, 2), "unchanged_mode": unchanged["run"]["mode"],
            "one_case_s": round(max(undo_s, redo_s), 2), "one_case_runs_s": [round(undo_s, 2), round(redo_s, 2)],
            "one_case_modes": [undo["run"]["mode"], redo["run"]["mode"]], "one_case_written": redo["run"]["written"],
            "identical": identical}


def measure(work: Path, sizes=tuple(SIZES)) -> dict:
    """Per size: full build, unchanged rebuild, one-case rebuild (the slower of two), byte-identity."""
    start = os.getloadavg()
    out = {"load_average_at_start": [round(x, 2) for x in start], "sizes": {}}
    for n in sizes:
        out["sizes"][str(n)] = measure_size(n, work)
    out["load_average_at_end"] = [round(x, 2) for x in os.getloadavg()]
    return out


def targets(result: dict) -> list[dict]:
    """The issue's targets, at 10^5 figures (shaped as bench/report.py's targets)."""
    e = result.get("sizes", {}).get(str(10**5))
    if not e:
        return []
    incremental = e["unchanged_mode"] == "up to date" and set(e["one_case_modes"]) == {"incremental"}
    return [
        _target("10^5 figures · unchanged rebuild (s)", f"≤ {UNCHANGED_S}", e["unchanged_s"],
                e["unchanged_s"] <= UNCHANGED_S and e["unchanged_mode"] == "up to date"),
        _target("10^5 figures · one case changed, rebuild (s)", f"≤ {ONE_CASE_S}", e["one_case_s"],
                e["one_case_s"] <= ONE_CASE_S and incremental),
        _target("10^5 figures · one-case rebuild byte-identical to a full build", "yes", e["identical"],
                e["identical"]),
    ]


def _target(name: str, goal: str, value, met) -> dict:
    return {"name": name, "target": goal, "value": value, "met": met}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.build", description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="", help="comma-separated figure counts (default: 100000)")
    parser.add_argument("--work", default="", help="folder for the generated sources and builds (default: temporary)")
    args = parser.parse_args(argv)
    sizes = [int(float(n)) for n in args.sizes.split(",")] if args.sizes else SIZES
    work = Path(args.work) if args.work else Path(tempfile.mkdtemp(prefix="dashboard-bench-build-"))
    try:
        result = measure(work, sizes)
    finally:
        if not args.work:
            shutil.rmtree(work, ignore_errors=True)
    print(json.dumps({"build": result, "targets": targets(result)}, ensure_ascii=False, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
