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
