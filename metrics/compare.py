"""Comparable indicators across localities: the practice families and the codelist (data/sources/*.yaml), the build
check that every code and family a case file names exists and that a code's facts share one unit family, and the
shaping of the compare page and the family overview (pure pandas; no streamlit).
"""
from __future__ import annotations

import functools
from dataclasses import dataclass
from pathlib import Path

import yaml

from . import units
from .problems import Problem

SOURCES_DIR = Path(__file__).resolve().parent.parent / "data" / "sources"
FAMILIES_FILE, CODES_FILE = "families.yaml", "codelist.yaml"


@dataclass(frozen=True)
class Family:
    family: str
    name_zh: str
    name_en: str


@dataclass(frozen=True)
class Code:
    code: str
    family: str
    unit_family: str     # one of units.FAMILIES: every fact under the code has a unit of this family
    name_zh: str
    name_en: str


# --- Load: the two lists, every problem at once ----------------------------------------------------------------
def _entries(path: Path, key: str, problems: list[Problem]) -> list[dict]:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        problems.append(Problem(path.name, "-", f"cannot be read ({exc})".replace("\n", " ")))
        return []
    entries = data.get(key) if isinstance(data, dict) else None
    if not isinstance(entries, list) or not all(isinstance(e, dict) for e in entries):
        problems.append(Problem(path.name, "-", f"expected a top-level '{key}:' list of mappings"))
        return []
    return entries


def _fields(entry: dict, cls, where: str, problems: list[Problem]) -> dict | None:
    """The entry's fields for ``cls``: each present and non-empty, nothing else (a comma left unquoted in a
    flow mapping turns half a name into a stray key: that is refused, not silently dropped)."""
    wanted = list(cls.__dataclass_fields__)
    missing = [f for f in wanted if not str(entry.get(f) or "").strip()]
    stray = [str(k) for k in entry if k not in wanted]
    if missing or stray:
        said = ([f"missing {', '.join(missing)}"] if missing else []) + ([f"unknown keys {stray}"] if stray else [])
        problems.append(Problem(where, str(entry.get(wanted[0], "-")), "; ".join(said) + " (quote a name with a comma)"))
        return None
    return {f: str(entry[f]) for f in wanted}


def _unique(items: list, key: str, file: str, problems: list[Problem]) -> dict:
    out = {}
    for item in items:
        name = getattr(item, key)
        if name in out:
            problems.append(Problem(file, name, f"duplicate {key}"))
        out.setdefault(name, item)
    return out


def read_families(path: Path, problems: list[Problem]) -> dict[str, Family]:
    fields = (_fields(e, Family, path.name, problems) for e in _entries(path, "families", problems))
    return _unique([Family(**f) for f in fields if f], "family", path.name, problems)


def read_codes(path: Path, families: dict[str, Family], problems: list[Problem]) -> dict[str, Code]:
    fields = (_fields(e, Code, path.name, problems) for e in _entries(path, "codes", problems))
    codes = _unique([Code(**f) for f in fields if f], "code", path.name, problems)
    for code in codes.values():
        if code.family not in families:
            problems.append(Problem(path.name, code.code, f"family {code.family!r} is not in {FAMILIES_FILE}"))
        if code.unit_family not in units.FAMILIES:
            problems.append(Problem(path.name, code.code, f"unit_family {code.unit_family!r} is not one of "
                                                          f"{', '.join(units.FAMILIES)}"))
    return codes


@functools.lru_cache(maxsize=4)
def lists(folder: Path = SOURCES_DIR) -> tuple[dict[str, Family], dict[str, Code]]:
    """(families, codes) for the pages; the build has refused any problem in them, so none is expected here."""
    problems: list[Problem] = []
    families = read_families(folder / FAMILIES_FILE, problems)
    return families, read_codes(folder / CODES_FILE, families, problems)


# --- Validate: the build check (metrics.checks.CHECKS) ---------------------------------------------------------
def _sources_folder(cases) -> Path:
    """The lists sit beside the cases/ folder the case files came from (a test's copy of the sources too)."""
    return cases[0].path.parent.parent if cases else SOURCES_DIR


def check_codes(tables, cases) -> list[Problem]:
    """Every family a case names and every code a fact carries is listed, and a code's facts are in units of the
    code's unit family (one line per fact, naming code, fact and unit)."""
    folder = _sources_folder(cases)
    problems: list[Problem] = []
    families = read_families(folder / FAMILIES_FILE, problems)
    codes = read_codes(folder / CODES_FILE, families, problems)
    for row in tables["cases"].itertuples():
        if row.family not in families:
            said = f"family {row.family!r} is not in {FAMILIES_FILE}" if row.family else "the case: block names no family"
            problems.append(Problem(row.source_file, row.case_id, f"{said} (one of {', '.join(families)})"))
    for row in tables["facts"].itertuples():
        if not row.code:
            continue
        code = codes.get(row.code)
        if code is None:
            problems.append(Problem(row.source_file, row.fact_id, f"code {row.code!r} is not in {CODES_FILE}"))
        elif row.unit in units.UNITS and units.family(row.unit) != code.unit_family:
            problems.append(Problem(row.source_file, row.fact_id,
                                    f"code {row.code!r} takes {code.unit_family} units but fact {row.fact_id} is in "
                                    f"{row.unit} ({units.family(row.unit)})"))
    return problems
