"""Synthetic fact bases of any size with the real schema, for the scale benchmark.

Two generators, both cloning today's reviewed cases (so every synthetic figure carries a real quote that exists in
the real article, its real printed number, unit, qualifier and period):

* ``write_tables``: the built tables directly (vectorized, seconds even at 10^6 figures), written with
  ``metrics.build.save`` (parquet per case + manifest with checksums) — what the dashboard reads.
* ``write_sources``: synthetic case YAML files beside the real article, for timing the full validated build
  (``metrics.build.build``: load → validate → derive → save) where that is feasible.

The three real cases stay as they are (their pages show exactly what they show today); the extra figures belong to
synthetic cases of ``case_size`` figures each (default 10 000: 10^6 figures = the 3 real cases + 100 synthetic
ones), each with events, practices and derived indicators in today's proportions.
"""
from __future__ import annotations

import copy
import math
import shutil
from pathlib import Path

import numpy as np
import pandas as pd
import yaml

from metrics import build
from metrics.store import load

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "data"
CASE_SIZE = 10_000
RELATED = {"events": "event_id", "practices": "practice_id", "indicators": "indicator_id"}


def real_tables(data_dir: Path = DATA) -> dict[str, pd.DataFrame]:
    ds = load(data_dir)
    if ds.problems:
        raise RuntimeError(f"the real data has problems: {ds.problems}")
    tables = dict(ds.tables)
    tables["cases"] = tables["cases"].drop(columns=["available"])
    return tables


def case_sizes(n_facts: int, n_real: int, case_size: int = CASE_SIZE) -> list[int]:
    extra = max(0, n_facts - n_real)
    full, rest = divmod(extra, case_size)
    return [case_size] * full + ([rest] if rest else [])


def _labels(prefix: str, n: int) -> pd.Series:
    return pd.Series(np.arange(n)).map(lambda i: f"{prefix}{i:06d}")


def _clone(template: pd.DataFrame, n: int) -> pd.DataFrame:
    return template.iloc[np.arange(n) % len(template)].reset_index(drop=True)


def synthetic_case(real: dict[str, pd.DataFrame], k: int, size: int) -> dict[str, pd.DataFrame]:
    case_id = f"syn{k:04d}"
    facts = _clone(real["facts"], size)
    first = {fid: f"{case_id}_f{i:06d}" for i, fid in enumerate(real["facts"]["fact_id"][:size])}
    ids = _labels(f"{case_id}_f", size)
    facts = facts.assign(case_id=case_id, fact_id=ids.to_numpy(),
                         indicator_zh=facts["indicator_zh"] + "（样本" + ids.str[-6:] + "）",
                         indicator_en=facts["indicator_en"] + " (sample " + ids.str[-6:] + ")",
                         headline=np.arange(size) < 4, source_file=f"{case_id}.yaml")
    out = {"facts": facts}
    n_real = len(real["facts"])
    for name, id_col in RELATED.items():
        n = max(1, round(size * len(real[name]) / n_real))
        part = _clone(real[name], n).assign(case_id=case_id)
        part[id_col] = _labels(f"{case_id}_{name[0]}", n).to_numpy()
        if "source_file" in part:
            part["source_file"] = f"{case_id}.yaml"
        remap = lambda ids: ",".join(first.get(i, i) for i in ids.split(",") if i)  # noqa: E731
        for column in ("result_fact_ids", "inputs"):
            if column in part:
                part[column] = part[column].map(remap).astype(real[name][column].dtype)
        out[name] = part
    template = real["cases"].iloc[k % len(real["cases"])]
    row = template.to_dict()
    row.update(case_id=case_id, order=len(real["cases"]) + k, short_zh=f"样本案例 {k}", short_en=f"Sample case {k}",
               title_zh=f"样本案例 {k}（仿{template['title_zh']}）", title_en=f"Sample case {k} (after {template['title_en']})",
               source_file=f"{case_id}.yaml")
    out["cases"] = pd.DataFrame([row]).astype(real["cases"].dtypes.to_dict())
    return out


def generate(real: dict[str, pd.DataFrame], n_facts: int, case_size: int = CASE_SIZE) -> dict[str, pd.DataFrame]:
    parts = [synthetic_case(real, k, size) for k, size in enumerate(case_sizes(n_facts, len(real["facts"]), case_size))]
    tables = {"sources": real["sources"]}
    for name in ("cases", "facts", *RELATED):
        frames = [real[name], *(p[name] for p in parts)]
        tables[name] = pd.concat(frames, ignore_index=True).astype(real[name].dtypes.to_dict())
    return tables


def write_tables(n_facts: int, out: Path, case_size: int = CASE_SIZE, real: dict | None = None) -> dict:
    """Generate and save a fact base of ``n_facts`` figures into ``out``; the manifest is returned."""
    tables = generate(real or real_tables(), n_facts, case_size)
    if out.exists():
        shutil.rmtree(out)
    out.mkdir(parents=True)
    return build.save(tables, out, DATA / "sources")


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
    manifest = yaml.safe_load((folder / "manifest.json").read_text(encoding="utf-8"))
    return sum(v["rows"] for k, v in manifest["outputs"].items() if k.endswith("facts.parquet"))


def expected_cases(n_facts: int, case_size: int = CASE_SIZE, n_real: int = 53) -> int:
    return 3 + math.ceil(max(0, n_facts - n_real) / case_size)
