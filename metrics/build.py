"""Build the curated datasets: Load → Validate → Derive → Save (atomically) + manifest.

    python -m metrics.build                 # data/sources → data/, reading again only what changed
    python -m metrics.build --full          # everything, from scratch
    python -m metrics.build --check         # validate only, write nothing

Incremental by default (``incremental.py``): the manifest's input hashes say which case files and articles changed;
only those cases are read, checked record by record and derived again, every other case keeps its stored rows, the
checks across cases run on the whole collection, and the shared files are written again. The result is byte-
identical to a full build (tests/test_incremental.py). An unchanged collection is confirmed and left as it is. A
change to a shared source file (units, families, code list), to the build's code or to its libraries means a full
build, and so does a missing ``data/.incremental/`` (a fresh clone).

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
import time
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from . import checks, fields, incremental, indicators, schema
from .problems import BuildError, Problem, report
from .sources import Article, CaseFile, load_article, load_articles, load_case, sha256_file
from .store import COLLECTION_PREFIX
from .tables import build_tables

BUILD_VERSION = "1"
ROOT = Path(__file__).resolve().parent.parent
DATA_DIR = ROOT / "data"
CASE_TABLES = ("facts", "events", "practices", "indicators")
SHARED_TABLES = ("cases", "sources", "dictionary")   # dictionary: the field dictionary, shipped with every download
SCHEMA_TABLES = ("sources", "cases", "facts", "events", "practices")
LOUD_FROM = 200   # case files: a build this large says what it is doing as it goes
PROGRESS_EVERY = 5000   # files written between two progress lines


class Progress:
    """Stage lines for a large build (a command of more than a few seconds shows progress); a small one is quiet."""

    def __init__(self, out=None):
        self.out, self.loud, self.start = out, False, time.monotonic()

    def __call__(self, message: str) -> None:
        if self.out is not None and self.loud:
            print(f"[{time.monotonic() - self.start:6.1f} s] {message}", file=self.out, flush=True)


QUIET = Progress()


# --- Load + Validate -------------------------------------------------------------------------------------------
def load_cases(paths: list[Path], problems: list[Problem], say: Progress = QUIET) -> list[CaseFile]:
    loaded = []
    for n, path in enumerate(paths, 1):
        case = load_case(path, problems)
        if case is not None:
            loaded.append(case)
        if n % 1000 == 0:
            say(f"read {n:,} of {len(paths):,} case files")
    return loaded


def validate(tables: dict[str, pd.DataFrame], cases: list[CaseFile], changed: set[str] | None = None) -> list[Problem]:
    """Schema and checks. ``changed``: the case files whose records are checked one by one (None: all), see
    ``checks.run_all``; the sources table is always validated whole (few rows; ids unique per table)."""
    scoped = tables if changed is None else checks.only_files(tables, changed)
    if changed is not None:   # the changed cases, and any that shares a case id (unique per table) with another
        every = tables["cases"]
        scoped["cases"] = every[every["source_file"].isin(changed) | every["case_id"].duplicated(keep=False)]
    # An incremental build's empty slices are left out: nothing in them to fail, and pandera takes a tenth of a
    # second even for no rows.
    problems = [p for name in SCHEMA_TABLES if changed is None or len(scoped[name])
                for p in schema.validate(name, scoped[name])]
    return problems + checks.run_all(tables, cases, changed)


def load_and_validate(sources_dir: Path, say: Progress = QUIET) -> tuple[dict[str, pd.DataFrame], list]:
    problems: list[Problem] = []
    articles = load_articles(sources_dir / "articles", problems)
    paths = sorted((sources_dir / "cases").glob("*.yaml"))
    say(f"reading {len(paths):,} case files")
    cases = load_cases(paths, problems, say)
    if not cases and not problems:
        problems.append(Problem(str(sources_dir / "cases"), "-", "no case files (*.yaml) found"))
    say("building the tables")
    tables = build_tables(cases, articles)
    say(f"checking {len(tables['facts']):,} figures")
    problems += validate(tables, cases)
    if problems:
        raise BuildError(problems)
    return tables, cases


# --- Derive ----------------------------------------------------------------------------------------------------
def derived_indicators(facts: pd.DataFrame, cases: list[CaseFile]) -> pd.DataFrame:
    derived = indicators.derive(facts, indicators.specs_of(cases))
    problems = schema.validate("indicators", derived)
    if problems:
        raise BuildError(problems)
    return derived


def derive(tables: dict[str, pd.DataFrame], cases: list) -> dict[str, pd.DataFrame]:
    return {**tables, "indicators": derived_indicators(tables["facts"], cases), "dictionary": fields.dictionary()}


# --- Incremental: only what changed is read, checked record by record and derived again ------------------------
def _text(value) -> str:
    return "" if value is None else str(value)


def update(plan: incremental.Plan, sources_dir: Path, data_dir: Path, say: Progress = QUIET):
    """The whole collection's tables from the last build's and the changed files; as ``load_and_validate`` +
    ``derive`` would give them, refused with the same problems. Returns the tables, every case file's declarations,
    the case ids whose folders must be written and the manifest entries kept for the others."""
    say(f"{plan.summary()}: reading the last build's tables")
    previous, declared = incremental.read_tables(data_dir), incremental.read_declarations(data_dir)
    problems: list[Problem] = []
    article_dir, case_dir = sources_dir / "articles", sources_dir / "cases"
    # Articles: the changed ones are read again; the others keep their rows of the sources table.
    old_sources = previous["sources"]
    gone = old_sources["source_file"].isin(plan.article_files)
    fresh_articles = load_articles(article_dir, problems, [article_dir / name for name in sorted(plan.article_files)
                                                          if (article_dir / name).exists()])
    kept_sources = old_sources[~gone]
    if set(fresh_articles) & set(kept_sources["source_id"]):
        raise incremental.FullBuild("a changed article shares its source_id with another")
    touched = set(old_sources.loc[gone, "source_id"]) | set(fresh_articles)
    # Case files: the changed ones and those citing a changed article are read again.
    present = sorted(p.name for p in case_dir.glob("*.yaml"))
    old_cases = previous["cases"]
    changed = (plan.case_files | set(old_cases.loc[old_cases["source_id"].isin(touched), "source_file"])) & set(present)
    clean = [name for name in present if name not in changed]
    if any(name not in declared for name in clean):
        raise incremental.FullBuild("the last build's declarations miss a case file")
    loaded = load_cases([case_dir / name for name in sorted(changed)], problems)
    articles = {**_articles_cited(loaded, kept_sources, article_dir), **fresh_articles}
    fresh = build_tables(loaded, articles)

    kept = {name: df[df["source_file"].isin(clean)] for name, df in previous.items()}
    case_rows = pd.concat([kept["cases"], fresh["cases"]], ignore_index=True)
    order = incremental.case_order(case_rows, pd.concat([kept["facts"], fresh["facts"]], ignore_index=True))
    rank = {name: n for n, name in enumerate(order)}
    tables = {"cases": incremental.merge("cases", *(df.assign(order=df["source_file"].map(rank))
                                                    for df in (kept["cases"], fresh["cases"])), rank),
              "sources": incremental.merge("sources", kept_sources, fresh["sources"][
                  fresh["sources"]["source_id"].isin(fresh_articles)], {})}
    for name in ("facts", "events", "practices"):
        tables[name] = incremental.merge(name, kept[name], fresh[name], rank)
    by_name = {case.path.name: case for case in loaded}
    cases = [by_name[name] if name in by_name else incremental.light_case(case_dir / name, declared[name])
             for name in present if name in by_name or name in declared and name not in changed]
    if not cases:
        raise incremental.FullBuild("no case file left")
    say(f"checking {len(changed)} case file(s) record by record, {len(tables['facts']):,} figures across cases")
    problems += validate(tables, cases, changed)
    if problems:
        raise BuildError(problems)
    derived = derived_indicators(tables["facts"][tables["facts"]["source_file"].isin(changed)], loaded)
    tables["indicators"] = incremental.merge("indicators", kept["indicators"], derived,
                                             {name: n for n, name in enumerate(present)})
    tables["dictionary"] = fields.dictionary()
    clean_ids = set(kept["cases"]["case_id"])
    reused = {rel: entry for rel, entry in plan.manifest["outputs"].items()
              if "/" in rel and rel.split("/")[0] in clean_ids}
    declared = {**{name: declared[name] for name in clean}, **{c.path.name: incremental.declarations(c) for c in loaded}}
    return tables, declared, set(fresh["cases"]["case_id"]), reused


def _articles_cited(cases: list[CaseFile], sources: pd.DataFrame, article_dir: Path) -> dict[str, Article]:
    """The unchanged articles that the changed cases cite (their quotes are found in them)."""
    files = dict(zip(sources["source_id"].tolist(), sources["source_file"].tolist()))
    cited = {_text(case.case.get("source_id")) for case in cases} & set(files)
    scratch: list[Problem] = []   # unchanged since they were built without a problem
    return {sid: article for sid in sorted(cited) if (article := load_article(article_dir / files[sid], scratch))}


# --- Save ------------------------------------------------------------------------------------------------------
def output_files(tables: dict[str, pd.DataFrame], cases: set[str] | None = None) -> dict[str, pd.DataFrame | pa.Table]:
    """Relative path → table: the shared (whole-collection) files, then one folder per case study. ``cases``: only
    these cases' folders (an incremental build keeps the others'); every shared file is always listed.

    A case's table is the Arrow slice of the collection's table (the same bytes as its DataFrame written alone, a
    test checks): converting each of 4 × 10^4 small DataFrames to Arrow took most of a large build's time.
    """
    files: dict[str, pd.DataFrame | pa.Table] = {f"{name}.parquet": tables[name] for name in SHARED_TABLES}
    # Each case table of the whole collection in one file too (all_facts.parquet …): the app's data page queries it
    # without opening every case's files (metrics/store.py).
    # Rows in the cases table's order (stable within a case), as the app showed them when it joined the per-case files.
    order = tables["cases"]["case_id"].tolist()
    files.update({f"{COLLECTION_PREFIX}{name}.parquet": in_case_order(tables[name], order) for name in CASE_TABLES})
    case_ids = [c for c in tables["cases"]["case_id"].tolist() if cases is None or c in cases]
    for name in CASE_TABLES:
        df = tables[name]
        if cases is not None:
            df = df[df["case_id"].isin(cases)]
        rows: dict[str, list[int]] = {}
        for n, case_id in enumerate(df["case_id"].tolist()):
            rows.setdefault(case_id, []).append(n)
        # One chunk per column: a take from a chunked column joins its chunks first, every time (at 10^6 figures
        # 80,000 takes of 25 ms to 250 ms each: hours), from one chunk it reads only the rows taken.
        whole = pa.Table.from_pandas(df.reset_index(drop=True), preserve_index=False).combine_chunks()
        for case_id in case_ids:
            files[f"{case_id}/{name}.parquet"] = whole.take(pa.array(rows.get(case_id, []), type=pa.int64()))
    return files


def in_case_order(df: pd.DataFrame, case_ids: list[str]) -> pd.DataFrame:
    """``df``'s rows grouped by case in the order of ``case_ids``, each case's rows in their own order."""
    rank = df["case_id"].map({case_id: n for n, case_id in enumerate(case_ids)})
    return df.iloc[rank.to_numpy().argsort(kind="stable")].reset_index(drop=True)


def write_parquet(df: pd.DataFrame | pa.Table, path: Path) -> None:
    # Fixed writer options so that the same table always gives the same bytes.
    table = df if isinstance(df, pa.Table) else pa.Table.from_pandas(df, preserve_index=False)
    pq.write_table(table, path, compression="zstd", write_statistics=False, store_schema=True)


def manifest_for(outputs: dict[str, dict], inputs: dict[str, str]) -> dict:
    outputs = dict(sorted(outputs.items()))
    digest = hashlib.sha256(json.dumps(outputs, sort_keys=True).encode()).hexdigest()
    return {"build_version": BUILD_VERSION, "data_version": digest[:8], "inputs": inputs, "outputs": outputs}


def save(tables: dict[str, pd.DataFrame], data_dir: Path, sources_dir: Path, *, cases: set[str] | None = None,
         reused: dict[str, dict] | None = None, inputs: dict[str, str] | None = None, say: Progress = QUIET) -> dict:
    """Write every file into a staging folder, then move each into place; the manifest moves last.

    ``cases`` and ``reused`` (incremental): only those cases' folders are written; ``reused`` are the manifest
    entries of the files kept as they are. A failure before the moves leaves the previous datasets untouched.
    """
    files = output_files(tables, cases)
    say(f"writing {len(files):,} files")
    staged = Path(tempfile.mkdtemp(prefix=".build-", dir=data_dir))
    try:
        for n, (rel, df) in enumerate(files.items(), 1):
            (staged / rel).parent.mkdir(parents=True, exist_ok=True)
            write_parquet(df, staged / rel)
            if n % PROGRESS_EVERY == 0:   # a large collection takes minutes to write: say how far it is
                say(f"wrote {n:,} of {len(files):,} files")
        outputs = {rel: {"sha256": sha256_file(staged / rel), "rows": len(df)} for rel, df in files.items()}
        manifest = manifest_for({**(reused or {}), **outputs}, inputs or incremental.input_hashes(sources_dir))
        (staged / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False, indent=1, sort_keys=True) + "\n",
                                              encoding="utf-8")
        incremental.remove_state(data_dir)   # from here on the stored tables no longer match the data
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


# --- The build -------------------------------------------------------------------------------------------------
def build(data_dir: Path = DATA_DIR, sources_dir: Path | None = None, write: bool = True, full: bool = False,
          say: Progress = QUIET) -> dict:
    """Build ``data_dir`` from ``sources_dir``: incrementally when the last build left its state there (see
    ``incremental.py``), else (or with ``full``) from scratch. Returns the manifest, with ``run`` saying how."""
    sources_dir = sources_dir or data_dir / "sources"
    say.loud = say.loud or sum(1 for _ in (sources_dir / "cases").glob("*.yaml")) >= LOUD_FROM
    started_ns = time.time_ns()
    state = incremental.read_state(data_dir)
    inputs = incremental.input_hashes(sources_dir, (state or {}).get("inputs"))
    fingerprint = incremental.fingerprint(BUILD_VERSION)
    try:
        if full:
            raise incremental.FullBuild("asked for (--full)")
        plan = incremental.plan(data_dir, inputs, fingerprint, state)
        if plan.up_to_date:
            return {**plan.manifest, "run": {"mode": "up to date", "rows": plan.state["rows"]}}
        tables, declared, cases, reused = update(plan, sources_dir, data_dir, say)
        run = {"mode": "incremental", "why": plan.summary()}
    except incremental.FullBuild as why:
        say(f"full build: {why}")
        tables, loaded = load_and_validate(sources_dir, say)
        tables = derive(tables, loaded)
        declared = {case.path.name: incremental.declarations(case) for case in loaded}
        cases, reused, run = None, None, {"mode": "full", "why": str(why)}
    run["rows"] = {name: len(df) for name, df in tables.items()}
    if not write:
        return {"run": run}
    data_dir.mkdir(parents=True, exist_ok=True)
    manifest = save(tables, data_dir, sources_dir, cases=cases, reused=reused, inputs=inputs, say=say)
    run["written"] = len(manifest["outputs"]) - len(reused or {})
    kept_stats = {rel: plan.state["stats"][rel] for rel in reused or {} if rel in plan.state["stats"]} if reused else {}
    incremental.save_state(data_dir, tables, declared, sha256_file(data_dir / "manifest.json"), fingerprint,
                           dict(zip(tables["cases"]["case_id"], tables["cases"]["source_file"])),
                           list(manifest["outputs"]), incremental.input_stats(sources_dir, inputs, started_ns), kept_stats)
    return {**manifest, "run": run}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m metrics.build", description=__doc__.splitlines()[0])
    parser.add_argument("--data-dir", type=Path, default=DATA_DIR, help="where the datasets are written")
    parser.add_argument("--sources", type=Path, default=None, help="sources folder (default: DATA_DIR/sources)")
    parser.add_argument("--check", action="store_true", help="validate only, write nothing")
    parser.add_argument("--full", action="store_true", help="build everything from scratch, not only what changed")
    args = parser.parse_args(argv)
    try:
        result = build(args.data_dir, args.sources, write=not args.check, full=args.full, say=Progress(sys.stdout))
    except BuildError as err:
        print("\n".join(report(err.problems)), file=sys.stderr)
        return 1
    run = result["run"]
    if args.check:
        print("Sources valid:", ", ".join(f"{k} {v}" for k, v in run["rows"].items()))
    elif run["mode"] == "up to date":
        print(f"Up to date: data version {result['data_version']} ({len(result['inputs'])} source files unchanged).")
    else:
        rows = sum(entry["rows"] for rel, entry in result["outputs"].items() if rel.endswith("/facts.parquet"))
        print(f"Built data version {result['data_version']}: {len(result['outputs'])} files, {rows} facts "
              f"({run['mode']}: {run['why']}; {run['written']} files written).")
    return 0


if __name__ == "__main__":
    sys.exit(main())
