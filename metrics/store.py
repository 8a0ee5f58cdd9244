"""Read the built datasets back, checking them against the manifest, and say exactly what is wrong.

A damaged file (missing, truncated, corrupted, columns drifted, checksum mismatch) never stops the whole
dashboard: it is reported as a DataProblem naming the file and the rebuild command, the case it belongs to
is marked unavailable, and every other case loads normally. Nothing damaged is ever returned as data.
"""
from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
import pyarrow.parquet as pq

from . import fields

REBUILD = "python -m metrics.build"
# Every column of the field dictionary is required: a file without one is from an older build or damaged.
REQUIRED_COLUMNS = {**{table: fields.columns(table) for table in fields.TABLES}, "dictionary": fields.DICTIONARY_COLUMNS}
CASE_TABLES = ("facts", "events", "practices", "indicators")
SHARED_TABLES = ("cases", "sources", "dictionary")


@dataclass(frozen=True)
class DataProblem:
    file: str
    reason: str
    case_id: str = ""   # "" when the problem affects every case


@dataclass
class Dataset:
    tables: dict[str, pd.DataFrame]
    manifest: dict
    problems: list[DataProblem] = field(default_factory=list)
    # Read-only views derived from these tables (per-case slices, display tables), made once per loaded dataset
    # by the UI layer and dropped with it: see ``derived``.
    views: dict = field(default_factory=dict, repr=False, compare=False)

    def derived(self, key: tuple, make: Callable[[], object]) -> object:
        """``make()`` once per dataset and ``key``; callers must not modify what they get."""
        if key not in self.views:
            self.views[key] = make()
        return self.views[key]

    @property
    def data_version(self) -> str:
        return str(self.manifest.get("data_version", ""))

    def broken(self, case_id: str = "") -> list[DataProblem]:
        """Problems that affect ``case_id`` (or, with no case, that affect everything)."""
        return [p for p in self.problems if p.case_id in ("", case_id)]

    def case_ids(self) -> list[str]:
        return self.tables["cases"]["case_id"].tolist()

    def __getitem__(self, name: str) -> pd.DataFrame:
        return self.tables[name]


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def read_manifest(data_dir: Path) -> tuple[dict, list[DataProblem]]:
    path = data_dir / "manifest.json"
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
        if not isinstance(manifest.get("outputs"), dict):
            raise ValueError("no 'outputs' section")
        return manifest, []
    except FileNotFoundError:
        return {"outputs": {}}, [DataProblem("manifest.json", "missing")]
    except (ValueError, UnicodeDecodeError, AttributeError) as exc:
        return {"outputs": {}}, [DataProblem("manifest.json", f"unreadable ({exc})")]


def read_table(data_dir: Path, rel: str, manifest: dict) -> tuple[pd.DataFrame | None, str]:
    """One parquet file, verified against its manifest checksum and the contract's columns; (df, '') or (None, why)."""
    path = data_dir / rel
    expected = manifest["outputs"].get(rel, {}).get("sha256")
    if not path.exists():
        return None, "missing"
    if expected is None:
        return None, "not listed in manifest.json"
    if _sha256(path) != expected:
        return None, "checksum does not match manifest.json (file changed or damaged)"
    try:
        df = pq.read_table(path).to_pandas()
    except Exception as exc:  # pyarrow raises several types for damaged files; all mean "unreadable"
        return None, f"unreadable parquet ({type(exc).__name__})"
    name = Path(rel).stem
    missing = [c for c in REQUIRED_COLUMNS[name] if c not in df.columns]
    return (None, f"columns missing: {', '.join(missing)}") if missing else (df, "")


def load(data_dir: Path) -> Dataset:
    manifest, problems = read_manifest(data_dir)
    tables: dict[str, pd.DataFrame] = {}
    for name in SHARED_TABLES:
        df, why = read_table(data_dir, f"{name}.parquet", manifest)
        if why:
            problems.append(DataProblem(f"{name}.parquet", why))
        tables[name] = df if df is not None else pd.DataFrame(columns=REQUIRED_COLUMNS[name])
    parts: dict[str, list[pd.DataFrame]] = {name: [] for name in CASE_TABLES}
    healthy = []
    for case_id in tables["cases"]["case_id"]:
        loaded, case_problems = _load_case(data_dir, case_id, manifest)
        problems += case_problems
        if not case_problems:
            healthy.append(case_id)
            for name, df in loaded.items():
                parts[name].append(df)
    for name in CASE_TABLES:
        tables[name] = (pd.concat(parts[name], ignore_index=True) if parts[name]
                        else pd.DataFrame(columns=REQUIRED_COLUMNS[name]))
    tables["cases"] = tables["cases"].assign(available=tables["cases"]["case_id"].isin(healthy))
    return Dataset(tables, manifest, problems)


def _load_case(data_dir: Path, case_id: str, manifest: dict) -> tuple[dict[str, pd.DataFrame], list[DataProblem]]:
    loaded, problems = {}, []
    for name in CASE_TABLES:
        rel = f"{case_id}/{name}.parquet"
        df, why = read_table(data_dir, rel, manifest)
        if why:
            problems.append(DataProblem(rel, why, case_id))
        else:
            loaded[name] = df
    return loaded, problems
