"""Load: read the article metadata and the curated case files into plain records.

Only reading and shape-checking happens here; what the figures must satisfy is in ``checks.py``.
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from .layout import layout_of
from .problems import Problem
from .source_text import normalize

# libyaml's safe loader when PyYAML has it (same documents, same errors with line and column, ~3× faster on big
# case files); the pure-Python one otherwise.
_SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
SECTIONS = {"facts": "fact_id", "events": "event_id", "practices": "practice_id", "identities": "identity_id",
            "indicators": "indicator_id"}


@dataclass
class Article:
    source_id: str
    meta: dict
    text: str
    normalized: str
    path: Path


@dataclass
class CaseFile:
    path: Path
    case: dict
    facts: list[dict] = field(default_factory=list)
    events: list[dict] = field(default_factory=list)
    practices: list[dict] = field(default_factory=list)
    identities: list[dict] = field(default_factory=list)
    indicators: list[dict] = field(default_factory=list)   # derived indicators declared (metrics/indicators.py)
    layout: dict = field(default_factory=dict)   # sections: and calculators: (metrics/layout.py)


def sha256_file(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def read_yaml(path: Path, problems: list[Problem]) -> dict | None:
    """Parse one YAML file; a syntax error becomes a Problem naming the line."""
    try:
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=_SAFE_LOADER)
    except UnicodeDecodeError as exc:
        problems.append(Problem(path.name, "-", f"not UTF-8 text ({exc.reason} at byte {exc.start})"))
        return None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"line {mark.line + 1}, column {mark.column + 1}" if mark else "unknown position"
        problems.append(Problem(path.name, "-", f"YAML syntax error at {where}: {getattr(exc, 'problem', exc)}"))
        return None
    if not isinstance(data, dict):
        problems.append(Problem(path.name, "-", "expected a mapping at the top of the file"))
        return None
    return data


def load_article(meta_path: Path, problems: list[Problem]) -> Article | None:
    """One article: its metadata file and, beside it, the document it describes."""
    meta = read_yaml(meta_path, problems)
    text_path = meta_path.with_suffix(".txt")
    if meta is None:
        return None
    if not text_path.exists():
        problems.append(Problem(meta_path.name, meta.get("source_id", "-"), f"document {text_path.name} is missing"))
        return None
    text = text_path.read_text(encoding="utf-8")
    source_id = str(meta.get("source_id", meta_path.stem))
    return Article(source_id, meta, text, normalize(text, meta.get("furniture", [])), text_path)


def load_articles(folder: Path, problems: list[Problem], paths: list[Path] | None = None) -> dict[str, Article]:
    """Every article of the folder (or the metadata files ``paths``) by source id; a later file wins an id."""
    articles = {}
    for meta_path in sorted(folder.glob("*.yaml")) if paths is None else paths:
        article = load_article(meta_path, problems)
        if article is not None:
            articles[article.source_id] = article
    return articles


def load_case(path: Path, problems: list[Problem]) -> CaseFile | None:
    data = read_yaml(path, problems)
    if data is None:
        return None
    case = data.get("case")
    if not isinstance(case, dict) or "case_id" not in case:
        problems.append(Problem(path.name, "case", "missing 'case:' block with a case_id"))
        return None
    loaded = CaseFile(path=path, case=case, layout=layout_of(data))
    for section in SECTIONS:
        records = data.get(section) or []
        if not isinstance(records, list) or not all(isinstance(r, dict) for r in records):
            problems.append(Problem(path.name, section, f"'{section}' must be a list of mappings"))
            continue
        setattr(loaded, section, records)
    return loaded


def load_cases(folder: Path, problems: list[Problem]) -> list[CaseFile]:
    loaded = (load_case(path, problems) for path in sorted(folder.glob("*.yaml")))
    return [case for case in loaded if case is not None]
