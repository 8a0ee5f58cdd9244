"""Derived indicators, as each case file declares them in its ``indicators:`` block: check, evaluate, describe.

A declaration is curated content (names, formula over the case's fact ids, unit, caveats, flags); this module only
checks it and evaluates it. Each formula is evaluated on intervals (``intervals.py``) so that "at least" and "at
most" carry through; its description in words is generated from the facts' names.
"""
from __future__ import annotations

import math
import re
from dataclasses import dataclass

import pandas as pd

from . import fields, units
from . import formula as formulas
from .intervals import Interval
from .problems import EMPTY, Problem
from .vocab import ID_PATTERN

UNITS_FILE = "data/sources/units.yaml"
REQUIRED = ("indicator_id", "name_zh", "name_en", "formula", "unit")


@dataclass(frozen=True)
class Spec:
    indicator_id: str
    case_id: str
    name_zh: str
    name_en: str
    formula: str
    unit: str                 # display unit: %, 万元, 亿元, 笔 …
    caveat_zh: str = ""
    caveat_en: str = ""
    mixes_scopes: bool = False
    per_beneficiary: str = ""  # for the cross-case chart: the beneficiary unit (笔 / 家 / 户), else ""
    source_file: str = ""


def _text(record: dict, key: str) -> str:
    value = record.get(key)
    return "" if value is None else str(value)


def spec_of(case, record: dict) -> Spec:
    """One declaration of a loaded case file (``sources.CaseFile``) as a Spec."""
    return Spec(**{key: _text(record, key) for key in REQUIRED}, case_id=case.case["case_id"],
                caveat_zh=_text(record, "caveat_zh"), caveat_en=_text(record, "caveat_en"),
                mixes_scopes=record.get("mixes_scopes") is True, per_beneficiary=_text(record, "per_beneficiary"),
                source_file=case.path.name)


def specs_of(cases) -> list[Spec]:
    """Every declared indicator of the loaded case files, in file order."""
    return [spec_of(case, record) for case in cases for record in case.indicators]


# --- Check -----------------------------------------------------------------------------------------------------
def check(tables: dict[str, pd.DataFrame], cases) -> list[Problem]:
    """One line per problem with a declaration: fields, id, unit, formula syntax, fact ids, unit families, zero
    divisors. Registered in ``checks.CHECKS``; a duplicate id is ``check_ids``'s (it looks across cases)."""
    by_case = _facts_by_case(tables["facts"])
    problems = []
    for case in cases:
        known = by_case.get(case.case["case_id"], _NO_FACTS)
        for record in case.indicators:
            spec = spec_of(case, record)
            problems += [Problem(case.path.name, spec.indicator_id or "indicators", reason)
                         for reason in _problems(spec, record, known)]
    return problems


def check_ids(tables: dict[str, pd.DataFrame], cases) -> list[Problem]:
    """An indicator id used twice, by indicators of any case or by a figure of its own case."""
    fact_ids: dict[str, set[str]] = {}
    for case_id, fact_id in zip(tables["facts"]["case_id"].tolist(), tables["facts"]["fact_id"].tolist()):
        fact_ids.setdefault(case_id, set()).add(fact_id)
    seen: set[str] = set()
    problems = []
    for case in cases:
        own = fact_ids.get(case.case["case_id"], set())
        for record in case.indicators:
            indicator_id = _text(record, "indicator_id")
            if _filled(record) and (indicator_id in seen or indicator_id in own):
                problems.append(Problem(case.path.name, indicator_id, f"duplicate id {indicator_id!r}: give the "
                                                                      "indicator an id of its own"))
            seen.add(indicator_id)
    return problems


_NO_FACTS: dict[str, tuple[str, float, str]] = {}


def _facts_by_case(facts: pd.DataFrame) -> dict[str, dict[str, tuple[str, float, str]]]:
    """case id → fact id → (unit, value in base units, qualifier): split once, as plain values, not one scan of the
    whole table per case and one pandas lookup per formula (minutes at 10^4 cases)."""
    out: dict[str, dict[str, tuple[str, float, str]]] = {}
    for case_id, fact_id, *values in _columns(facts, "case_id", "fact_id", "unit", "value_base", "qualifier"):
        out.setdefault(case_id, {})[fact_id] = tuple(values)
    return out


def _filled(record: dict) -> bool:
    return all(_text(record, key).strip() for key in REQUIRED)


def _problems(spec: Spec, record: dict, known: dict[str, tuple[str, float, str]]) -> list[str]:
    empty = [key for key in REQUIRED if not _text(record, key).strip()]
    if empty:
        return [f"{EMPTY}: {', '.join(empty)} — fill them"]
    reasons = []
    if not re.fullmatch(ID_PATTERN, spec.indicator_id):
        reasons.append(f"indicator_id {spec.indicator_id!r} is not a valid id: use lower-case letters, digits and _")
    if spec.unit not in units.UNITS:
        reasons.append(_unknown_unit("unit", spec.unit))
    if spec.per_beneficiary and (spec.per_beneficiary not in units.UNITS or units.family(spec.per_beneficiary) != "count"):
        reasons.append(f"per_beneficiary {spec.per_beneficiary!r} must be a count unit of {UNITS_FILE} (笔, 家, 户 …)")
    if "mixes_scopes" in record and not isinstance(record["mixes_scopes"], bool):
        reasons.append(f"mixes_scopes must be true or false, not {record['mixes_scopes']!r}")
    return reasons + _formula_problems(spec, known)


def _unknown_unit(field: str, unit: str) -> str:
    return (f"{field} {unit!r} is not declared in {UNITS_FILE}: add one line for it there "
            "(unit, family, base, factor) and rebuild")


def _formula_problems(spec: Spec, known: dict[str, tuple[str, float, str]]) -> list[str]:
    """``known``: the case's facts, fact id → (unit, value in base units, qualifier)."""
    try:
        ids = formulas.inputs(spec.formula)
    except formulas.FormulaError as exc:
        return [str(exc)]
    missing = [i for i in ids if i not in known]
    if missing:
        return [f"formula uses fact {i!r}, which {spec.source_file} does not declare (check the spelling)" for i in missing]
    used = {i: known[i] for i in ids}
    if any(unit not in units.UNITS or math.isnan(base) for unit, base, _q in used.values()):
        return []   # the facts' own problems are reported by the schema
    reasons = []
    try:
        unit_of = {i: unit for i, (unit, _b, _q) in used.items()}
        result = formulas.dimension(spec.formula, {i: units.family(u) for i, u in unit_of.items()}, unit_of)
        if spec.unit in units.UNITS and units.family(spec.unit) not in formulas.DECLARABLE[result]:
            allowed = " or ".join(u for u, f in units.UNITS.items() if f.family in formulas.DECLARABLE[result])
            reasons.append(f"formula gives {result} but unit {spec.unit!r} is {units.family(spec.unit)}: "
                           f"declare {_shorten(allowed)}")
    except formulas.FormulaError as exc:
        reasons.append(str(exc))
    intervals = {i: Interval.of(base, qualifier) for i, (_u, base, qualifier) in used.items()}
    reasons += [f"formula divides by {text!r}, which may be zero ({_interval(i)}): a derived figure needs a divisor "
                "that cannot be zero" for text, i in formulas.zero_divisors(spec.formula, intervals)]
    return reasons


def _shorten(allowed: str, most: int = 4) -> str:
    names = allowed.split(" or ")
    return " or ".join(names[:most]) + (" …" if len(names) > most else "")


def _interval(interval: Interval) -> str:
    lo = "−∞" if interval.lo is None else f"{interval.lo:g}"
    hi = "∞" if interval.hi is None else f"{interval.hi:g}"
    return f"between {lo} and {hi} in base units"


# --- Derive ----------------------------------------------------------------------------------------------------
def _columns(facts: pd.DataFrame, *names: str) -> zip:
    return zip(*(facts[name].tolist() for name in names))   # far cheaper than itertuples() over every column


def fact_intervals(facts: pd.DataFrame) -> dict[str, Interval]:
    """Each fact as an interval in base units (yuan, count, ratio)."""
    return {fid: Interval.of(value, qualifier) for fid, value, qualifier in _columns(facts, "fact_id", "value_base",
                                                                                       "qualifier")}


def fact_names(facts: pd.DataFrame, lang: str) -> dict[str, str]:
    rows = _columns(facts, "fact_id", f"indicator_{lang}", f"scope_{lang}", "period")
    if lang == "zh":
        return {fid: f"{name}（{scope}，{period}）" for fid, name, scope, period in rows}
    return {fid: f"{name} ({scope}, {period})" for fid, name, scope, period in rows}


def row(spec: Spec, result: Interval, names: dict[str, dict[str, str]]) -> dict:
    """One row of the indicators table."""
    lo, hi = result.lo, result.hi
    return {
        "case_id": spec.case_id, "indicator_id": spec.indicator_id, "name_zh": spec.name_zh, "name_en": spec.name_en,
        "formula": spec.formula,
        "formula_zh": formulas.in_words(spec.formula, names["zh"]),
        "formula_en": formulas.in_words(spec.formula, names["en"]),
        "inputs": ",".join(formulas.inputs(spec.formula)),
        "value": units.from_base(result.value, spec.unit), "unit": spec.unit, "qualifier": result.qualifier,
        "value_base": result.value, "base_unit": units.base_unit(spec.unit),
        "lo_base": float("nan") if lo is None else lo, "hi_base": float("nan") if hi is None else hi,
        "caveat_zh": spec.caveat_zh, "caveat_en": spec.caveat_en,
        "mixes_scopes": spec.mixes_scopes, "per_beneficiary": spec.per_beneficiary, "derived": True,
        "source_file": spec.source_file,
    }


def derive(facts: pd.DataFrame, specs: list[Spec]) -> pd.DataFrame:
    """The indicators table, one row per declared indicator (the build has checked every declaration)."""
    intervals = fact_intervals(facts)
    names = {lang: fact_names(facts, lang) for lang in ("zh", "en")}
    rows = [row(spec, formulas.evaluate(spec.formula, intervals), names) for spec in specs]
    return pd.DataFrame(rows, columns=fields.INDICATOR_COLUMNS).astype({f.name: f.dtype for f in fields.of("indicators")})
