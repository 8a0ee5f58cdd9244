"""Build the curated datasets: Load → Validate → Derive → Save (atomically) + manifest.

    python -m metrics.build                 # data/sources → data/
    python -m metrics.build --check         # validate only, write nothing

Exit status 0 on success; 1 with one line per problem (file: record: reason) when the sources are refused,
in which case nothing under data/ is touched.
"""
from __future__ import annotations

import argparse
import hashlib
import json
import os
import shutil
import sys
import tempfile
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from . import checks, fields, indicators, schema
from .problems import BuildError, Problem, report
from .sources import load_articles, load_cases, sha256_file
from .store import COLLECTION_PREFIX  # all_facts.parquet …: a case table of every case in one file
from .tables import build_tables

BUILD_VERSION = "1"
ROOT = Path(__file__).resolve().parent.parent
DATA_DIR = ROOT / "data"
CASE_TABLES = ("facts", "events", "practices", "indicators")
SHARED_TABLES = ("cases", "sources", "dictionary")   # dictionary: the field dictionary, shipped with every download


# --- Load + Validate -------------------------------------------------------------------------------------------
def load_and_validate(sources_dir: Path) -> tuple[dict[str, pd.DataFrame], list]:
    problems: list[Problem] = []
    articles = load_articles(sources_dir / "articles", problems)
    cases = load_cases(sources_dir / "cases", problems)
    if not cases and not problems:
        problems.append(Problem(str(sources_dir / "cases"), "-", "no case files (*.yaml) found"))
    tables = build_tables(cases, articles)
    for name in ("sources", "cases", "facts", "events", "practices"):
        problems += schema.validate(name, tables[name])
    problems += checks.run_all(tables, cases)
    if problems:
        raise BuildError(problems)
    return tables, cases


# --- Derive ----------------------------------------------------------------------------------------------------
def derive(tables: dict[str, pd.DataFrame], cases: list) -> dict[str, pd.DataFrame]:
    derived = indicators.derive(tables["facts"], indicators.specs_of(cases))
    problems = schema.validate("indicators", derived)
    if problems:
        raise BuildError(problems)
    return {**tables, "indicators": derived, "dictionary": fields.dictionary()}


# --- Save ------------------------------------------------------------------------------------------------------
def output_files(tables: dict[str, pd.DataFrame]) -> dict[str, pd.DataFrame]:
    """Relative path → table: one folder per case study, plus the shared files: the cases, sources and dictionary
    tables and each case table of the whole collection in one file (all_facts.parquet …), which the data page
    queries without opening every case's files."""
    files = {f"{name}.parquet": tables[name] for name in SHARED_TABLES}
    files.update({f"{COLLECTION_PREFIX}{name}.parquet": tables[name] for name in CASE_TABLES})
    # One pass per table (groupby keeps the rows' order), not one boolean mask per case: the same parts, without
    # the cost growing as cases × rows.
    parts = {name: dict(tuple(tables[name].groupby("case_id", sort=False))) for name in CASE_TABLES}
    for case_id in tables["cases"]["case_id"]:
        for name in CASE_TABLES:
            part = parts[name].get(case_id, tables[name].iloc[0:0])
            files[f"{case_id}/{name}.parquet"] = part.reset_index(drop=True)
    return files


# Fixed writer options so that the same table always gives the same bytes.
PARQUET_OPTIONS = {"compression": "zstd", "write_statistics": False, "store_schema": True}


def write_parquet(df: pd.DataFrame, path: Path) -> None:
    pq.write_table(pa.Table.from_pandas(df, preserve_index=False), path, **PARQUET_OPTIONS)


def manifest_for(files: dict[str, pd.DataFrame], staged: Path, sources_dir: Path) -> dict:
    inputs = {"sources/" + p.relative_to(sources_dir).as_posix(): sha256_file(p)
              for p in sorted(sources_dir.rglob("*")) if p.is_file() and p.name != "README.md"}
    outputs = {rel: {"sha256": sha256_file(staged / rel), "rows": len(df)} for rel, df in sorted(files.items())}
    digest = hashlib.sha256(json.dumps(outputs, sort_keys=True).encode()).hexdigest()
    return {"build_version": BUILD_VERSION, "data_version": digest[:8], "inputs": inputs, "outputs": outputs}


def save(tables: dict[str, pd.DataFrame], data_dir: Path, sources_dir: Path) -> dict:
    """Write every file into a staging folder, then move each into place; the manifest moves last.

    A failure before the moves leaves the previous datasets untouched.
    """
    files = output_files(tables)
    staged = Path(tempfile.mkdtemp(prefix=".build-", dir=data_dir))
    try:
        for rel, df in files.items():
            (staged / rel).parent.mkdir(parents=True, exist_ok=True)
            write_parquet(df, staged / rel)
        manifest = manifest_for(files, staged, sources_dir)
        (staged / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False, indent=1, sort_keys=True) + "\n",
                                              encoding="utf-8")
        for rel in [*files, "manifest.json"]:
            (data_dir / rel).parent.mkdir(parents=True, exist_ok=True)
            os.replace(staged / rel, data_dir / rel)
        _remove_stale_cases(data_dir, set(tables["cases"]["case_id"]))
    finally:
        shutil.rmtree(staged, ignore_errors=True)
    return manifest


def _remove_stale_cases(data_dir: Path, case_ids: set[str]) -> None:
    for folder in data_dir.iterdir():
        if folder.is_dir() and (folder / "facts.parquet").exists() and folder.name not in case_ids:
            shutil.rmtree(folder)


def build(data_dir: Path = DATA_DIR, sources_dir: Path | None = None, write: bool = True) -> dict:
    sources_dir = sources_dir or data_dir / "sources"
    tables = derive(*load_and_validate(sources_dir))
    if not write:
        return {"rows": {name: len(df) for name, df in tables.items()}}
    data_dir.mkdir(parents=True, exist_ok=True)
    return save(tables, data_dir, sources_dir)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m metrics.build", description=__doc__.splitlines()[0])
    parser.add_argument("--data-dir", type=Path, default=DATA_DIR, help="where the datasets are written")
    parser.add_argument("--sources", type=Path, default=None, help="sources folder (default: DATA_DIR/sources)")
    parser.add_argument("--check", action="store_true", help="validate only, write nothing")
    args = parser.parse_args(argv)
    try:
        result = build(args.data_dir, args.sources, write=not args.check)
    except BuildError as err:
        print("\n".join(report(err.problems)), file=sys.stderr)
        return 1
    if args.check:
        print("Sources valid:", ", ".join(f"{k} {v}" for k, v in result["rows"].items()))
    else:
        rows = sum(entry["rows"] for rel, entry in result["outputs"].items() if rel.endswith("/facts.parquet"))
        print(f"Built data version {result['data_version']}: {len(result['outputs'])} files, {rows} facts.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
