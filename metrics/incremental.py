"""The incremental build: what changed since the last build, and the collection's tables with only that read again.

The manifest's input hashes say which case files and articles changed, were added or were removed. Only those case
files (and the cases citing a changed article) are read, built into rows, checked record by record and derived
again; every other case keeps its rows from the last build. Checks across cases (ids, references, identities) run on
the whole collection as always (``checks.run_all``), so a change is refused with the very lines a full build gives.
A change to anything else (units, families, code list, the build's code or libraries) means a full build.

What the last build leaves for the next one, in ``data/.incremental/`` (not committed; without it the build is full):
- ``tables/*.arrow``: the whole collection's tables (cases, facts, events, practices, indicators, sources), one
  Arrow file each: read in well under a second, where reading back 4 parquet files per case would take minutes at
  10^4 cases;
- ``declarations.json``: per case file, what checks across cases read from it and no table holds (the case's
  headline list, its identities, its indicators' declared ids);
- ``state.json`` (written last): which manifest these belong to, the build's fingerprint (code and library
  versions), and each source and output file's size and modification time, so an unchanged collection is confirmed
  by stat-ing files, without reading them. A source file whose stat differs (or that was modified just before the
  last build) is hashed and compared with the manifest's hash; an output whose stat differs is checked against the
  manifest's hash: a damaged or missing case file is built again, a damaged shared file is written again. (A tool
  that edits a file without changing its size and then sets its old modification time back goes unseen: ``--full``.)
"""
from __future__ import annotations

import hashlib
import json
import os
import sys
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.feather as feather

from . import fields
from .sources import CaseFile, sha256_file
from .tables import NO_QUOTE, SORT_KEYS

STATE_DIR = ".incremental"
TABLES = ("cases", "facts", "events", "practices", "indicators", "sources")
CODE = Path(__file__).resolve().parent


class FullBuild(Exception):
    """The incremental path cannot vouch for its result here: build everything (the message says why)."""


# --- What the build depends on -------------------------------------------------------------------------------
RACY_NS = 2_000_000_000   # a file modified this close before the state was written is hashed again (a stat may
                          # not tell two writes within one clock tick apart)


def input_hashes(sources_dir: Path, known: dict | None = None) -> dict[str, str]:
    """Every source file (the README aside) by its path under data/, with its SHA-256: the manifest's inputs.

    ``known`` (the last build's ``input_stats``): a file whose size and modification time are as they were then,
    and not modified just before, keeps its hash without being read (10^5 figures are about 100 MB of YAML)."""
    stats, before = (known or {}).get("files", {}), (known or {}).get("written_ns", 0) - RACY_NS
    hashes = {}
    for path in sorted(sources_dir.rglob("*")):
        if path.name == "README.md" or not path.is_file():
            continue
        rel, stat = "sources/" + path.relative_to(sources_dir).as_posix(), path.stat()
        cached = stats.get(rel)
        same = cached and cached[:2] == [stat.st_size, stat.st_mtime_ns] and stat.st_mtime_ns < before
        hashes[rel] = cached[2] if same else sha256_file(path)
    return hashes


def input_stats(sources_dir: Path, hashes: dict[str, str], written_ns: int) -> dict:
    files = {}
    for rel, sha in hashes.items():
        stat = (sources_dir / rel.removeprefix("sources/")).stat()
        files[rel] = [stat.st_size, stat.st_mtime_ns, sha]
    return {"files": files, "written_ns": written_ns}


def fingerprint(build_version: str) -> str:
    """The build's code and the libraries that shape its bytes: any change means a full build, so that no stored
    output made by older code is kept (no version number to remember to bump)."""
    import pandera
    import yaml
    digest = hashlib.sha256(f"{build_version} {sys.version_info[:2]} {pd.__version__} {pa.__version__} "
                            f"{pandera.__version__} {yaml.__version__}".encode())
    for path in sorted(CODE.glob("*.py")):
        digest.update(path.name.encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


# --- What changed ----------------------------------------------------------------------------------------------
@dataclass
class Plan:
    manifest: dict                                       # the last build's
    state: dict
    case_files: set[str] = field(default_factory=set)     # case files changed, added, removed or with damaged outputs
    article_files: set[str] = field(default_factory=set)  # article metadata files (<stem>.yaml) changed, added, removed
    shared_damaged: bool = False                          # a shared output differs from the manifest

    @property
    def up_to_date(self) -> bool:
        return not (self.case_files or self.article_files or self.shared_damaged)

    def summary(self) -> str:
        parts = [f"{len(self.case_files)} case file(s)", f"{len(self.article_files)} article(s)"]
        return " and ".join(parts) + " changed" + (", shared files written again" if self.shared_damaged else "")


def plan(data_dir: Path, inputs: dict[str, str], build_fingerprint: str, state: dict | None) -> Plan:
    """What changed since the last build in ``data_dir`` (``state``: what it left, ``read_state``); raises
    FullBuild when the incremental path cannot say."""
    manifest_path = data_dir / "manifest.json"
    if state is None or not manifest_path.exists():
        raise FullBuild("no earlier build here to start from")
    if state["manifest_sha256"] != sha256_file(manifest_path):
        raise FullBuild("the data was written by something else since the last build")
    if state["fingerprint"] != build_fingerprint:
        raise FullBuild("the build's code or libraries changed")
    manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    result = Plan(manifest, state)
    old = manifest["inputs"]
    for rel in sorted(set(old) | set(inputs)):
        if old.get(rel) != inputs.get(rel):
            _classify(rel, result)
    _check_outputs(data_dir, result)
    return result


def _classify(rel: str, result: Plan) -> None:
    parts = rel.split("/")
    if len(parts) == 3 and parts[1] == "cases" and parts[2].endswith(".yaml"):
        result.case_files.add(parts[2])
    elif len(parts) == 3 and parts[1] == "articles" and parts[2].endswith((".yaml", ".txt")):
        result.article_files.add(parts[2].rsplit(".", 1)[0] + ".yaml")
    else:
        raise FullBuild(f"{rel} changed (a file every case depends on)")


def _check_outputs(data_dir: Path, result: Plan) -> None:
    """Each output as the manifest lists it: same size and time as written (a stat), else same hash (a read)."""
    stats, case_files = result.state["stats"], result.state["case_files"]
    for rel, entry in result.manifest["outputs"].items():
        path = data_dir / rel
        try:
            stat = path.stat()
        except OSError:
            intact = False
        else:
            intact = stats.get(rel) == [stat.st_size, stat.st_mtime_ns] or sha256_file(path) == entry["sha256"]
        if intact:
            continue
        case_id = rel.split("/")[0] if "/" in rel else ""
        if case_id in case_files:
            result.case_files.add(case_files[case_id])
        else:
            result.shared_damaged = True


# --- The last build's tables and declarations ------------------------------------------------------------------
def read_state(data_dir: Path) -> dict | None:
    try:
        return json.loads((data_dir / STATE_DIR / "state.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def read_tables(data_dir: Path) -> dict[str, pd.DataFrame]:
    folder = data_dir / STATE_DIR / "tables"
    return {name: _typed(feather.read_table(folder / f"{name}.arrow").to_pandas(), name) for name in TABLES}


def read_declarations(data_dir: Path) -> dict[str, dict]:
    return json.loads((data_dir / STATE_DIR / "declarations.json").read_text(encoding="utf-8"))


def declarations(case: CaseFile) -> dict:
    """What the checks across cases read from a case file and no table holds."""
    return {"case": {"case_id": case.case["case_id"], "headline": list(case.case.get("headline") or [])},
            "identities": case.identities,
            "indicators": [{key: record.get(key) for key in record if key in _DECLARED} for record in case.indicators]}


_DECLARED = ("indicator_id", "name_zh", "name_en", "formula", "unit")   # indicators.REQUIRED: what check_ids reads


def light_case(path: Path, declared: dict) -> CaseFile:
    """An unchanged case file as the checks across cases see it (its records are in the stored tables)."""
    return CaseFile(path=path, case=declared["case"], identities=declared["identities"],
                    indicators=declared["indicators"])


def save_state(data_dir: Path, tables: dict[str, pd.DataFrame], declared: dict[str, dict], manifest_sha256: str,
               build_fingerprint: str, case_files: dict[str, str], outputs: list[str], inputs: dict,
               stats: dict[str, list[int]] | None = None) -> None:
    """Written after the data; state.json goes last and is removed first, so a half-written state is never used.
    ``stats``: the outputs' stats still valid (of files not written again), the others are taken."""
    folder = data_dir / STATE_DIR
    (folder / "tables").mkdir(parents=True, exist_ok=True)
    (folder / "state.json").unlink(missing_ok=True)
    for name in TABLES:
        feather.write_feather(tables[name], folder / "tables" / f"{name}.arrow", compression="lz4")
    (folder / "declarations.json").write_text(json.dumps(declared, ensure_ascii=False), encoding="utf-8")
    stats = dict(stats or {})
    for rel in outputs:
        if rel not in stats:
            stat = (data_dir / rel).stat()
            stats[rel] = [stat.st_size, stat.st_mtime_ns]
    state = {"manifest_sha256": manifest_sha256, "fingerprint": build_fingerprint, "case_files": case_files,
             "stats": {rel: stats[rel] for rel in outputs}, "inputs": inputs,
             "rows": {name: len(tables[name]) for name in TABLES}}
    staged = folder / "state.json.tmp"
    staged.write_text(json.dumps(state), encoding="utf-8")
    os.replace(staged, folder / "state.json")


def remove_state(data_dir: Path) -> None:
    (data_dir / STATE_DIR / "state.json").unlink(missing_ok=True)


# --- Putting stored and fresh rows together, in the order a full build gives -----------------------------------
def _typed(df: pd.DataFrame, table: str) -> pd.DataFrame:
    return df[fields.columns(table)].astype({f.name: f.dtype for f in fields.of(table)}).reset_index(drop=True)


def case_order(cases: pd.DataFrame, facts: pd.DataFrame) -> list[str]:
    """The case files in the order a full build gives them (``tables.build_tables``): by article, then by the
    first found quote, then by file name."""
    found = facts[facts["quote_start"] >= 0]
    first = dict(zip(*(found.groupby("source_file", sort=False)["quote_start"].min().reset_index()[c].tolist()
                       for c in ("source_file", "quote_start"))))
    keys = zip(cases["source_id"].tolist(), cases["source_file"].tolist())
    return [file for _sid, _first, file in sorted((sid, first.get(file, NO_QUOTE), file) for sid, file in keys)]


def merge(table: str, kept: pd.DataFrame, fresh: pd.DataFrame, rank: dict[str, int]) -> pd.DataFrame:
    """Stored rows of unchanged case files and fresh rows of changed ones, ordered as a full build orders them:
    by the table's keys, ties in case order and then in file order (both inputs are already in that order)."""
    both = pd.concat([kept, fresh], ignore_index=True)
    keys = [_sortable(both[key]) for key in SORT_KEYS.get(table, [])]
    keys += [both["source_file"].map(rank).fillna(-1).to_numpy(), np.r_[np.arange(len(kept)), np.arange(len(fresh))]]
    return _typed(both.take(np.lexsort(keys[::-1])), table)   # lexsort: the last key is the first, and it is stable


def _sortable(column: pd.Series) -> np.ndarray:
    """Integers in the column's order (strings by code point, as pandas sorts them): a sort over 10^5 rows of text
    keys takes milliseconds this way, seconds through sort_values."""
    if column.dtype.kind in "iufb":
        return column.to_numpy()
    return pd.factorize(column, sort=True)[0]
