"""Synthetic fact bases of any size with the real schema, for the scale benchmark.

Two generators, both cloning today's reviewed cases (so every synthetic figure carries a real quote that exists in
the real article, its real printed number, unit, qualifier and period):

* ``write_tables``: the built tables directly (vectorized, seconds even at 10^6 figures), written with
  ``metrics.build.save`` (parquet per case + manifest with checksums) — what the dashboard reads.
* ``write_sources``: synthetic case YAML files beside the real article, for timing the full validated build
  (``metrics.build.build``: load → validate → derive → save) where that is feasible.

The real cases stay as they are (their pages show exactly what they show today); the extra figures belong to
synthetic cases of ``case_size`` figures each (default 50: 10^6 figures = the 18 real cases + 19,996 synthetic
ones). Synthetic case k clones real case k mod 18 whole: its figures cycle through that case's figures, its events,
practices and derived indicators follow in that case's proportions, and its layout names its own renamed ids, so its
page draws like the real one's.
"""
from __future__ import annotations

import copy
import hashlib
import inspect
import json
import re
import shutil
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import yaml

from metrics import build
from metrics.store import CASE_TABLES, SHARED_TABLES, load

from .common import log

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "data"
CASE_SIZE = 50   # figures per synthetic case: 10^6 figures are 20,000 cases (a national collection: ~2,800 counties, several practices each)
RELATED = {"events": "event_id", "practices": "practice_id", "indicators": "indicator_id"}


def real_tables(data_dir: Path = DATA) -> dict[str, pd.DataFrame]:
    ds = load(data_dir)
    if ds.problems:
        raise RuntimeError(f"the real data has problems: {ds.problems}")
    tables = {name: ds[name] for name in (*CASE_TABLES, *SHARED_TABLES)}
    tables["cases"] = tables["cases"].drop(columns=["available"])
    return tables


def case_sizes(n_facts: int, n_real: int, case_size: int = CASE_SIZE) -> list[int]:
    extra = max(0, n_facts - n_real)
    full, rest = divmod(extra, case_size)
    return [case_size] * full + ([rest] if rest else [])


def _padded(numbers: np.ndarray, width: int) -> pd.Series:
    return pd.Series(numbers).astype(str).str.zfill(width)


def _case_ids(n_cases: int) -> pd.Series:
    return "syn" + _padded(np.arange(n_cases), 5)


def _owners(sizes: list[int]) -> tuple[np.ndarray, np.ndarray]:
    """For rows laid out case after case: each row's case number and its position within its case."""
    owner = np.repeat(np.arange(len(sizes)), sizes)
    starts = np.repeat(np.cumsum([0, *sizes[:-1]]), sizes)
    return owner, np.arange(len(owner)) - starts


def _template_rows(real: pd.DataFrame, templates: np.ndarray, sizes: list[int], template_ids: list[str]):
    """Row positions in ``real`` for synthetic cases cloned from ``templates`` (index into ``template_ids``): each
    synthetic case's rows cycle through its template case's rows. Returns (positions, owner, within)."""
    where = real.groupby("case_id", sort=False).indices
    rows = [where.get(c, np.array([], dtype=np.int64)) for c in template_ids]
    owner, within = _owners(sizes)
    counts = np.array([len(r) for r in rows])[templates[owner]]
    starts = np.cumsum([0, *[len(r) for r in rows]])[:-1]
    flat = np.concatenate(rows) if rows else np.array([], dtype=np.int64)
    return flat[starts[templates[owner]] + within % np.maximum(counts, 1)], owner, within


def _renamed(ids: list[str], case_id: str, letter: str) -> dict[str, str]:
    return {old: f"{case_id}_{letter}{j:06d}" for j, old in enumerate(ids)}


class _Clones:
    """The synthetic cases: case k is a clone of real case k mod 18, its figures cycling through that case's figures
    (so its layout, calculators, identities and derived indicators name facts it has), renamed into the case."""

    def __init__(self, real: dict[str, pd.DataFrame], sizes: list[int]) -> None:
        self.real, self.sizes = real, sizes
        self.template_ids = real["cases"]["case_id"].tolist()
        self.ids = _case_ids(len(sizes))
        self.templates = np.arange(len(sizes)) % len(self.template_ids)
        per_case = {name: real[name].groupby("case_id", sort=False)["fact_id" if name == "facts" else RELATED[name]]
                    .apply(list).to_dict() for name in ("facts", *RELATED)}
        largest = max(len(v) for v in per_case["facts"].values())
        if min(sizes, default=largest) < largest:
            raise ValueError(f"case_size must be at least {largest} (the largest real case's figures): a synthetic case "
                             "clones a whole real case")
        self.per_case = per_case

    def mapping(self, k: int) -> dict[str, str]:
        """Real id → this synthetic case's id, for every fact, event, practice and indicator of its template."""
        template, case_id = self.template_ids[self.templates[k]], self.ids.iloc[k]
        out = {}
        for name, letter in (("facts", "f"), ("events", "e"), ("practices", "p"), ("indicators", "i")):
            out.update(_renamed(self.per_case[name].get(template, []), case_id, letter))
        return out

    def counts(self, name: str) -> list[int]:
        """Rows of ``name`` per synthetic case: its template's, scaled with the case's figures."""
        facts = self.per_case["facts"]
        rows = self.per_case["facts" if name == "facts" else name]
        return [size if name == "facts" else
                round(size * len(rows.get(self.template_ids[t], [])) / max(1, len(facts.get(self.template_ids[t], []))))
                for size, t in zip(self.sizes, self.templates)]

    def table(self, name: str) -> pd.DataFrame:
        counts = self.counts(name)
        positions, owner, within = _template_rows(self.real[name], self.templates, counts, self.template_ids)
        part = self.real[name].iloc[positions].reset_index(drop=True)
        case_id = self.ids.iloc[owner].reset_index(drop=True)
        letter = "f" if name == "facts" else name[0]
        id_column = "fact_id" if name == "facts" else RELATED[name]
        part = part.assign(case_id=case_id.to_numpy())
        part[id_column] = (case_id + f"_{letter}" + _padded(within, 6)).to_numpy()
        if "source_file" in part:
            part["source_file"] = (case_id + ".yaml").to_numpy()
        if name == "facts":
            number = _padded(within, 6)
            part["indicator_zh"] = part["indicator_zh"] + "（样本" + number + "）"
            part["indicator_en"] = part["indicator_en"] + " (sample " + number + ")"
            first = within < np.array([len(self.per_case["facts"].get(self.template_ids[t], []))
                                       for t in self.templates])[owner]
            part["headline"] = part["headline"].to_numpy() & first   # a cycled clone is never a headline again
        for column in ("result_fact_ids", "inputs", "formula"):
            if column in part:
                part[column] = self._remapped(part[column], owner)
        return part

    def _remapped(self, column: pd.Series, owner: np.ndarray) -> pd.Series:
        maps = {}
        out = []
        for text_, k in zip(column.tolist(), owner.tolist()):
            if k not in maps:
                maps[k] = self.mapping(k)
            out.append(_IDS.sub(lambda m, ids=maps[k]: ids.get(m.group(0), m.group(0)), text_) if isinstance(text_, str)
                       else text_)
        return pd.Series(out, dtype=column.dtype)

    def layouts(self) -> list[str]:
        """Each synthetic case's layout: its template's, with every id it names renamed into the case."""
        layouts = self.real["cases"]["layout"].tolist()
        return [_QUOTED.sub(lambda m, ids=self.mapping(k): '"' + ids.get(m.group(1), m.group(1)) + '"',
                            layouts[self.templates[k]] or "") for k in range(len(self.sizes))]


_IDS = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_QUOTED = re.compile(r'"([A-Za-z_][A-Za-z0-9_]*)"')


def _synthetic_cases(real: pd.DataFrame, ids: pd.Series, layouts: list[str]) -> pd.DataFrame:
    """One row per synthetic case, cloned in turn from the real cases (their family, province, layout)."""
    k = np.arange(len(ids))
    template = real.iloc[k % len(real)].reset_index(drop=True).assign(layout=layouts)
    number = pd.Series(k).astype(str)
    return template.assign(case_id=ids.to_numpy(), order=len(real) + k, short_zh="样本案例 " + number,
                           short_en="Sample case " + number,
                           title_zh="样本案例 " + number + "（仿" + template["title_zh"] + "）",
                           title_en="Sample case " + number + " (after " + template["title_en"] + ")",
                           source_file=ids.to_numpy() + ".yaml").astype(real.dtypes.to_dict())


def generate(real: dict[str, pd.DataFrame], n_facts: int, case_size: int = CASE_SIZE) -> dict[str, pd.DataFrame]:
    """The real tables plus synthetic cases of ``case_size`` figures, vectorized (seconds for 20,000 cases)."""
    sizes = case_sizes(n_facts, len(real["facts"]), case_size)
    clones = _Clones(real, sizes)
    made = {"cases": _synthetic_cases(real["cases"], clones.ids, clones.layouts()),
            **{name: clones.table(name) for name in ("facts", *RELATED)}}
    tables = {"sources": real["sources"], "dictionary": real["dictionary"]}
    for name, part in made.items():
        tables[name] = pd.concat([real[name], part], ignore_index=True).astype(real[name].dtypes.to_dict())
    return tables


STAMP = ".synthetic-stamp"   # in a generated folder: what it was generated from (see ``stamp``)


def _generator_code() -> list:
    """The code whose output a generated folder is: this module's generator and the build's writer."""
    return [case_sizes, _padded, _case_ids, _owners, _template_rows, _renamed, _Clones, _synthetic_cases, generate,
            build.output_files, build.in_case_order, build.write_parquet, build.manifest_for, build.save]


def stamp(n_facts: int, case_size: int, data_dir: Path = DATA) -> str:
    """What a fact base of ``n_facts`` figures generated now would be made of: its size, the case size, today's
    data (its manifest names every file's checksum), the generating and writing code and pyarrow's version (the
    writer's bytes depend on it). Equal stamps: the folder can be reused as it is."""
    digest = hashlib.sha256(f"{n_facts}\n{case_size}\n{pa.__version__}\n".encode())
    digest.update((data_dir / "manifest.json").read_bytes())
    for code in _generator_code():
        digest.update(inspect.getsource(code).encode())
    return digest.hexdigest()


def reusable(out: Path, expected: str) -> bool:
    """``out`` holds a complete generated base with this stamp (the stamp is written last, after the manifest)."""
    try:
        return (out / STAMP).read_text(encoding="utf-8").strip() == expected and (out / "manifest.json").is_file()
    except OSError:
        return False


def write_tables(n_facts: int, out: Path, case_size: int = CASE_SIZE, real: dict | None = None) -> dict:
    """Generate and save a fact base of ``n_facts`` figures into ``out`` (``metrics.build.save``); the manifest.

    A folder already holding a base generated from the same data and code (``stamp``) is kept as it is: 10^6
    figures are 80,000 files and take more than 10 minutes to write."""
    expected = stamp(n_facts, case_size)
    if reusable(out, expected):
        log(f"synthetic fact base: {out} already holds {n_facts:,} figures made from today's data and code; reused")
        return json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    log(f"synthetic fact base: generating {n_facts:,} figures in cases of {case_size}")
    tables = generate(real or real_tables(), n_facts, case_size)
    log(f"synthetic fact base: {len(tables['cases']):,} cases generated; saving them")
    if out.exists():
        shutil.rmtree(out)
    out.mkdir(parents=True)
    manifest = build.save(tables, out, DATA / "sources", say=lambda message: log(f"synthetic fact base: {message}"))
    (out / STAMP).write_text(expected + "\n", encoding="utf-8")
    return manifest


# --- synthetic sources, for the full validated build -------------------------------------------------------------
def _rename(record: dict, key: str, new: str) -> dict:
    record = copy.deepcopy(record)
    record[key] = new
    return record


def synthetic_yaml(template: dict, k: int, size: int, real_facts: int) -> dict:
    case_id = f"syn{k:04d}"
    facts = template.get("facts") or []
    first = {f["fact_id"]: f"{case_id}_f{i:06d}" for i, f in enumerate(facts)}
    doc = copy.deepcopy(template)
    doc["case"].update(case_id=case_id, short_zh=f"样本案例 {k}", short_en=f"Sample case {k}",
                       headline=[first[f] for f in (template["case"].get("headline") or []) if f in first])
    doc["facts"] = [_rename(facts[i % len(facts)], "fact_id", f"{case_id}_f{i:06d}") for i in range(size)]
    for f in doc["facts"]:
        f["indicator_zh"] = f"{f['indicator_zh']}（样本{f['fact_id'][-6:]}）"
    for name, id_key in (("events", "event_id"), ("practices", "practice_id")):
        records = template.get(name) or []
        n = round(size * len(records) / max(1, len(facts))) if records else 0
        doc[name] = [_rename(records[i % len(records)], id_key, f"{case_id}_{name[0]}{i:06d}") for i in range(n)]
        for r in doc[name]:
            if "result_fact_ids" in r:
                r["result_fact_ids"] = [first.get(i, i) for i in r.get("result_fact_ids") or []]
    for identity in doc.get("identities") or []:
        identity["identity_id"] = f"{case_id}_{identity.get('identity_id', 'identity')}"
        identity["total"] = first.get(identity.get("total"), identity.get("total"))
        identity["parts"] = [first.get(p, p) for p in identity.get("parts") or []]
    return doc


def write_sources(n_facts: int, out: Path, case_size: int = CASE_SIZE) -> Path:
    """A sources folder: the real articles and cases plus synthetic case files, ``n_facts`` figures in all."""
    if out.exists():
        shutil.rmtree(out)
    shutil.copytree(DATA / "sources", out)
    templates = [yaml.load((p).read_text(encoding="utf-8"), Loader=yaml.CSafeLoader)
                 for p in sorted((DATA / "sources" / "cases").glob("*.yaml"))]
    n_real = sum(len(t.get("facts") or []) for t in templates)
    dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
    for k, size in enumerate(case_sizes(n_facts, n_real, case_size)):
        doc = synthetic_yaml(templates[k % len(templates)], k, size, n_real)
        (out / "cases" / f"syn{k:04d}.yaml").write_text(yaml.dump(doc, Dumper=dumper, allow_unicode=True, sort_keys=False),
                                                        encoding="utf-8")
    return out


def schema_matches(a: dict[str, pd.DataFrame], b: dict[str, pd.DataFrame]) -> list[str]:
    """Differences in columns or dtypes between two sets of tables (empty = same schema)."""
    problems = []
    for name in a:
        if name not in b:
            problems.append(f"{name}: missing")
            continue
        da, db = a[name].dtypes.astype(str).to_dict(), b[name].dtypes.astype(str).to_dict()
        if da != db:
            problems.append(f"{name}: {sorted(set(da.items()) ^ set(db.items()))}")
    return problems


def facts_count(folder: Path) -> int:
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    return sum(v["rows"] for k, v in manifest["outputs"].items() if k.endswith("/facts.parquet"))
