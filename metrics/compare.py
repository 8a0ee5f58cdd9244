"""Comparable indicators across localities: the practice families and the codelist (data/sources/*.yaml), the build
check that every code and family a case file names exists and that a code's facts share one unit family, and the
shaping of the compare page and the family overview (pure pandas; no streamlit).
"""
from __future__ import annotations

import functools
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlencode

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import yaml

from . import numbers, periods, units
from .catalog import text
from .charts import axis_scale
from .problems import Problem
from .store import plain

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
    cases_table = tables["cases"]
    for source_file, case_id, family in zip(*(cases_table[c].tolist() for c in ("source_file", "case_id", "family"))):
        if family not in families:
            said = f"family {family!r} is not in {FAMILIES_FILE}" if family else "the case: block names no family"
            problems.append(Problem(source_file, case_id, f"{said} (one of {', '.join(families)})"))
    facts = tables["facts"]
    coded = facts[facts["code"] != ""]   # plain columns, not itertuples(): a collection may hold 10^5 coded figures
    for source_file, fact_id, code_id, unit in zip(*(coded[c].tolist() for c in ("source_file", "fact_id", "code", "unit"))):
        code = codes.get(code_id)
        if code is None:
            problems.append(Problem(source_file, fact_id, f"code {code_id!r} is not in {CODES_FILE}"))
        elif unit in units.UNITS and units.family(unit) != code.unit_family:
            problems.append(Problem(source_file, fact_id, f"code {code_id!r} takes {code.unit_family} units but fact "
                                                          f"{fact_id} is in {unit} ({units.family(unit)})"))
    return problems


# --- Shape: one code across localities (the compare page and the family overview) -----------------------------
# What makes two figures comparable besides their code: the same kind of period and the same kind of figure.
# A year's result and a running total "since 2022" are not drawn side by side; they are listed and flagged.
PERIOD_KINDS = ("year", "month", "day", "span", "since", "unknown_end", "current")
COMPARISON_PERIODS = ("year", "month", "span", "unknown_end", "to_date", "in_force")
KIND_GROUPS = {"actual": "result", "cumulative": "result", "stock": "stock", "target": "target",
               "policy_parameter": "rule", "threshold": "rule", "record": "record", "growth_rate": "growth",
               "count": "count"}
FLAGS = ("period_kind", "kind", "period", "scope", "unit")   # in the order a row's flags are read out
_ZH_SCALES = ((1e8, "亿元"), (1e4, "万元"), (0.0, "元"))


def period_kind(text: str) -> str:
    """'2022' year, '2022-06' month, '2022-06-30' day, '2022-06/2023-03' span, '2022/..' since (open, to writing),
    '2020/' unknown_end (started then, end not stated), 'current' as of writing."""
    if text == "current":
        return "current"
    start, slash, end = text.partition("/")
    if slash:
        return {"..": "since", "": "unknown_end"}.get(end, "span")
    return ("year", "month", "day")[start.count("-")]


# Which periods make values comparable, by kind of figure. A rule (a fee rate, a waiver line) is compared whatever
# the years it is in force; a running total or balance is "to a date" whether the date is written, is the time of
# writing, or follows "since"; a flow is compared only with flows over the same kind of period (year, month, span).
_TO_DATE = {"current": "to_date", "since": "to_date", "day": "to_date"}


def comparison_period(kind: str, kind_group: str) -> str:
    """The kind of period a value is compared under (period_kind of its period, and the group of its kind)."""
    if kind_group == "rule":
        return "in_force"
    return _TO_DATE.get(kind, kind)


def money_scale(values_base) -> str:
    """The one money unit a comparison is shown in: the largest of 亿元 / 万元 / 元 its largest amount reaches."""
    top = max((abs(v) for v in values_base), default=0.0)
    return next(unit for floor, unit in _ZH_SCALES if top >= floor)


def _common(row: dict, family: str, scale: str, lang: str) -> tuple[float, str]:
    """(value in the comparison's unit, the value shown in it with its qualifier)."""
    base, unit, qualifier = row["value_base"], row["unit"], row["qualifier"]
    if family == "money":
        return base, numbers.money_fixed(base, scale, qualifier, lang)
    if family == "percent":
        return base * 100, numbers.quantity(base * 100, "%", qualifier, lang)
    plain = unit[1:] if unit.startswith("万") and unit[1:] in units.UNITS else unit   # 万户 → 户
    return base, numbers.quantity(base, plain if plain in units.UNITS else unit, qualifier, lang)


ROW_COLUMNS = ["fact_id", "case_id", "locality", "case", "value", "shown", "as_published", "period_text", "period_kind",
               "scope", "kind_text", "flags", "flag_text", "charted", "quote", "qualifier", "unit_family", "scale"]
# What ranking and flagging one code reads of each coded fact: a few short columns (the quote and names are read
# only for the rows shown). ``index_columns`` takes them from the collection's Arrow table.
INDEX_COLUMNS = ["case_id", "fact_id", "code", "period", "period_sort", "kind", "unit", "scope_zh", "value_base",
                 "qualifier"]
# What describing a row reads besides its index entry (``describe``).
SHOWN_COLUMNS = ["fact_id", "case_id", "value_base", "unit", "qualifier", "printed", "period", "source_id", "scope_zh",
                 "scope_en", "kind", "quote"]
_BIT = {name: 1 << i for i, name in enumerate(FLAGS)}
_FLAG_SETS = {bits: ",".join(n for n in FLAGS if bits & _BIT[n]) for bits in range(1 << len(FLAGS))}
_NOT_CHARTED = _BIT["period_kind"] | _BIT["kind"]   # a row differing in either is listed, not drawn


def _encoded(table: pa.Table, name: str) -> pa.DictionaryArray:
    """A text column as one dictionary array (the mapped collection copy is encoded already): numbers per row."""
    column = table[name].combine_chunks() if table.num_rows else pa.array([], pa.string())
    return column if pa.types.is_dictionary(column.type) else pc.dictionary_encode(pc.cast(column, pa.string()))


def code_positions(table: pa.Table) -> dict[str, np.ndarray]:
    """Code → the positions (ascending) of its facts in a collection table (Arrow): all a page keeps of the coded
    facts (4 bytes a figure). A code's other columns are read from the table when it is shown (``index_columns``)."""
    column = _encoded(table, "code")
    codes = pc.fill_null(column.indices, -1).to_numpy(zero_copy_only=False)
    names = column.dictionary.to_pylist()
    order = np.argsort(codes, kind="stable").astype(np.uint32)   # stable: each code's positions stay ascending
    bounds = np.searchsorted(codes[order], np.arange(len(names) + 1))
    return {name: order[start:end] for name, start, end in zip(names, bounds[:-1], bounds[1:]) if name and end > start}


def index_columns(table: pa.Table, positions: np.ndarray) -> pd.DataFrame:
    """``INDEX_COLUMNS`` of the facts at ``positions`` in a collection table, with ``row``: each one's position."""
    part = plain(table.select(INDEX_COLUMNS).take(pa.array(positions, pa.uint32())))
    return part.to_pandas().assign(row=positions.astype(np.int64))


def reporting_at(table: pa.Table, positions: dict[str, np.ndarray], cases) -> dict[str, int]:
    """``reporting`` of a collection table from its ``code_positions``: whole integer columns (a national collection
    has 10^5 coded figures; a frame of their case ids as text held tens of MB for a moment)."""
    column = _encoded(table, "case_id")
    locality = cases.set_index("case_id")["locality_zh"]
    # Each distinct case id → a number per locality (two cases of one locality share it).
    numbered, _ = pd.factorize(pd.Series(column.dictionary.to_pylist(), dtype=object).map(locality))
    indices = pc.fill_null(column.indices, -1).to_numpy(zero_copy_only=False)
    of_row = np.where(indices >= 0, numbered[indices], -1)   # -1: no case id, or one not in the cases table
    return {code: int(len(np.unique(found[found >= 0]))) for code, at in positions.items() for found in [of_row[at]]}


def code_index(facts, cases, code: str) -> pd.DataFrame:
    """``index_rows`` of every fact under ``code`` in ``facts`` (a frame; ``row``: the fact's position in it)."""
    mask = (facts["code"] == code).fillna(False).to_numpy(dtype=bool)
    return index_rows(facts.loc[mask, INDEX_COLUMNS].reset_index(drop=True).assign(row=np.flatnonzero(mask)), cases)


def index_rows(rows: pd.DataFrame, cases) -> pd.DataFrame:
    """One code's facts (``INDEX_COLUMNS`` and ``row``), one row each, in the cases' order: ``row``, case and
    province, the value in the comparison's one unit, its qualifier, the kind of period it is compared under, what
    differs from the reference row (the first row of the largest group sharing a period kind and kind of figure) and
    whether it is ``charted`` (a row of that group). Whole columns at a time: a code of a national collection has
    tens of thousands of figures; ``describe`` puts into words only the rows shown."""
    order = pd.Series(range(len(cases)), index=cases["case_id"].to_numpy())
    rows = rows.assign(order=rows["case_id"].map(order)).sort_values(["order", "period_sort", "fact_id"], kind="stable")
    if rows.empty:
        return pd.DataFrame(columns=["row", "case_id", "province", "value", "qualifier", "period_kind", "flags",
                                     "charted", "unit_family", "scale"]).astype({"charted": bool, "value": float, "row": "int64"})
    group = rows["kind"].map(KIND_GROUPS).fillna(rows["kind"])
    kinds = rows["period"].map({p: period_kind(p) for p in rows["period"].unique()})
    compared = kinds.where(group != "rule", "in_force").replace(_TO_DATE)
    # Groups numbered in first-seen order, so argmax (the first of the largest) is the earliest of the largest.
    groups, _ = pd.factorize(compared + "|" + group)
    reference = groups == np.bincount(groups).argmax()
    ref = rows.iloc[int(np.argmax(reference))]
    bits = sum(np.where(differs, _BIT[name], 0) for name, differs in (
        ("period_kind", compared.to_numpy() != compared.iloc[int(np.argmax(reference))]),
        ("kind", group.to_numpy() != group.iloc[int(np.argmax(reference))]),
        ("period", rows["period"] != ref["period"]), ("scope", rows["scope_zh"] != ref["scope_zh"]),
        ("unit", rows["unit"] != ref["unit"])))
    family = units.family(rows["unit"].iloc[0])
    scale = money_scale(rows["value_base"])
    provinces = cases.set_index("case_id")["province_zh"]
    # Text that repeats down the rows is kept as categories: a page keeps every code's index it has shown.
    return pd.DataFrame({
        "row": rows["row"].to_numpy(), "case_id": pd.Categorical(rows["case_id"].to_numpy()),
        "province": pd.Categorical(rows["case_id"].map(provinces).to_numpy()),
        "value": rows["value_base"].to_numpy() * (100 if family == "percent" else 1),
        "qualifier": pd.Categorical(rows["qualifier"].to_numpy()), "period_kind": pd.Categorical(compared.to_numpy()),
        "flags": pd.Categorical(pd.Series(bits).map(_FLAG_SETS).to_numpy()), "charted": (bits & _NOT_CHARTED) == 0,
        "unit_family": pd.Categorical([family] * len(rows)),
        "scale": pd.Categorical([scale if family == "money" else ""] * len(rows))})


def describe(index, facts, cases, lang: str, as_of: dict[str, str]) -> pd.DataFrame:
    """Rows of ``code_index`` in words (``ROW_COLUMNS``): locality, the value in the comparison's one unit (qualifier
    kept), as published, period and scope in words, what differs from the reference row. ``facts``: their facts
    (``SHOWN_COLUMNS``), in the same order."""
    if index.empty:
        return pd.DataFrame(columns=ROW_COLUMNS).astype({"charted": bool})
    facts = facts.reset_index(drop=True)
    info = cases.set_index("case_id")
    family, scale = index["unit_family"].iloc[0], index["scale"].iloc[0] or "元"
    # Each distinct figure, period and flag set is put into words once (a code repeats them across cases).
    figures = list(zip(facts["value_base"], facts["unit"], facts["qualifier"]))
    shown = {f: _common(dict(zip(("value_base", "unit", "qualifier"), f)), family, scale, lang)[1] for f in set(figures)}
    periods_ = list(zip(facts["period"], facts["source_id"]))
    period_text = {p: periods.format_period(p[0], lang, as_of.get(p[1], "")) for p in set(periods_)}
    flag_text = {f: ("；" if lang == "zh" else "; ").join(text(f"compare.flag.{n}", lang) for n in f.split(",") if n)
                 or text("compare.flag.none", lang) for f in set(index["flags"])}
    return pd.DataFrame({
        "fact_id": facts["fact_id"].to_numpy(), "case_id": facts["case_id"].to_numpy(),
        "locality": facts["case_id"].map(info[f"locality_{lang}"]).to_numpy(),
        "case": facts["case_id"].map(info[f"short_{lang}"]).to_numpy(), "value": index["value"].to_numpy(),
        "shown": [shown[f] for f in figures],
        "as_published": [numbers.as_published(p, u, q) for p, u, q in zip(facts["printed"], facts["unit"], facts["qualifier"])],
        "period_text": [period_text[p] for p in periods_],
        "period_kind": [text(f"compare.period.{k}", lang) for k in index["period_kind"]],
        "scope": facts[f"scope_{lang}"].to_numpy(), "kind_text": [text(f"kind.{k}", lang) for k in facts["kind"]],
        "flags": index["flags"].to_numpy(), "flag_text": [flag_text[f] for f in index["flags"]],
        "charted": index["charted"].to_numpy(dtype=bool), "quote": facts["quote"].to_numpy(),
        "qualifier": index["qualifier"].to_numpy(), "unit_family": family, "scale": index["scale"].to_numpy()})


def code_rows(facts, cases, code: str, lang: str, as_of: dict[str, str]):
    """Every fact under ``code`` in words (``describe`` of its ``code_index``), in the cases' order."""
    index = code_index(facts, cases, code)
    return describe(index, facts.iloc[index["row"].to_numpy()], cases, lang, as_of)


def _added(labels: list[str], extras: list[str], needed) -> list[str]:
    """Each label with `` · extra`` when ``needed(the extras of every row carrying that label)``."""
    of: dict[str, list] = {}
    for label, extra in zip(labels, extras):
        of.setdefault(label, []).append(extra)
    return [f"{label} · {extra}" if needed(of[label]) else label for label, extra in zip(labels, extras)]


def chart_rows(rows, lang: str):
    """The charted rows as bars: label 'locality · period', value in the comparison's unit, shown with its qualifier
    (an at-least value is drawn open-ended by the chart builder). A label two rows share gets its scope; one that
    cases of one place still share (a large collection) becomes 'case · period', the case first, where a cut label
    keeps it; one still repeated (two figures of one case) gets a number."""
    part = rows[rows["charted"].astype(bool)]
    # "Xiangtan City, Hunan Province" → "Xiangtan City": an axis label has room for ~34 characters (full name in the table)
    labels = [f"{loc.split(',')[0]} · {period}" for loc, period in zip(part["locality"], part["period_text"])]
    scoped = _added(labels, part["scope"].tolist(), lambda extras: len(extras) > 1)
    cases_of: dict[str, set] = {}
    for label, case in zip(scoped, part["case"]):
        cases_of.setdefault(label, set()).add(case)
    cased = [f"{case} · {period}" if len(cases_of[label]) > 1 else label
             for label, case, period in zip(scoped, part["case"], part["period_text"])]
    again, seen = Counter(cased), Counter()
    numbered = []
    for label in cased:   # still repeated (two figures of one case): a running number
        seen[label] += 1
        numbered.append(f"{label} ({seen[label]})" if again[label] > 1 else label)
    return part.assign(label=numbered)[
        ["label", "value", "shown", "qualifier", "quote", "case", "fact_id"]].iloc[::-1]


def reporting(facts, cases) -> dict[str, int]:
    """Code → how many localities report it (two cases of one locality count once)."""
    coded = facts[facts["code"].fillna("") != ""]
    locality = coded["case_id"].map(cases.set_index("case_id")["locality_zh"])
    return locality.groupby(coded["code"]).nunique().to_dict()


def data_link(fact_id: str, case_id: str, lang: str) -> str:
    """The data page filtered to this one fact (its sentence, its neighbours in the article one tab away)."""
    return "data?" + urlencode({"lang": lang, "case": case_id, "q": fact_id})


ALL = "all"   # the compare page's "every indicator of the family"
TABLE_COLUMNS = {"locality": "col.locality", "shown": "col.value", "period_text": "col.period", "scope": "col.scope",
                 "flag_text": "col.flags", "quote": "col.quote", "link": "col.link", "as_published": "col.as_published",
                 "period_kind": "col.period_kind", "kind_text": "col.kind"}


def table(rows, lang: str) -> pd.DataFrame:
    """Described rows as the page's table: translated headers and a link to each fact on the data page."""
    linked = rows.assign(link=[data_link(f, c, lang) for f, c in zip(rows["fact_id"], rows["case_id"])])
    return linked[list(TABLE_COLUMNS)].rename(columns={k: text(v, lang) for k, v in TABLE_COLUMNS.items()})


def listed(rows) -> str:
    """'locality · period, …' of described rows (those left out of a chart)."""
    return ", ".join(f"{loc} · {p}" for loc, p in zip(rows["locality"], rows["period_text"]))


def listed_once(rows, limit: int) -> tuple[str, int]:
    """('locality · period, …' of the first ``limit`` distinct ones among described rows, how many rows they name):
    in a large collection many rows left out of a chart read alike."""
    names = [f"{loc} · {p}" for loc, p in zip(rows["locality"], rows["period_text"])]
    kept = list(dict.fromkeys(names))[:limit]
    return ", ".join(kept), sum(name in set(kept) for name in names)


def chart_unit(code: Code, scale: str) -> str:
    """The ChartSpec unit: the money scale, "%" or "" (counts)."""
    return scale if code.unit_family == "money" else "%" if code.unit_family == "percent" else ""


def unit_text(unit: str, lang: str) -> str:
    """The common unit in words ("亿元", "CNY bn", "counts …")."""
    return axis_scale(unit, lang)[1] if unit else text("compare.unit.count", lang)


def chart_title(code: Code, index, lang: str) -> str:
    """The indicator's name and the kind of period its chart shares."""
    charted = index.loc[index["charted"].astype(bool), "period_kind"]
    kind = text(f"compare.period.{charted.iloc[0]}", lang) if len(charted) else ""
    return text("compare.chart.title", lang, name=getattr(code, f"name_{lang}"), period_kind=kind)


@dataclass(eq=False)   # compared by identity: it holds frames
class Block:
    """What the compare page (and a family section of the overview) shows for one code."""
    code: Code
    localities: int
    rows: pd.DataFrame        # code_rows
    table: pd.DataFrame       # the rows with translated headers and a link to each fact on the data page
    chart: pd.DataFrame       # chart_rows
    unit: str                 # the ChartSpec unit: the money scale, "%" or "" (counts)
    not_charted: str          # "locality · period, …" of the rows left out of the chart
    at_least: bool            # a charted value is a lower bound
    unit_text: str            # the common unit in words ("亿元", "CNY bn", "counts …")
    chart_title: str          # the indicator's name and the kind of period its chart shares


def as_of(sources: pd.DataFrame) -> dict[str, str]:
    """source_id → what 'current' means in that article."""
    return dict(zip(sources["source_id"], sources["current_as_of"].fillna("")))


def block(facts, cases, sources, code: Code, lang: str) -> Block:
    """Every row of one code at once: the overview's family sections (a few cases each); the compare page shows a
    large collection a part at a time (``View``)."""
    index = code_index(facts, cases, code.code)
    rows = describe(index, facts.iloc[index["row"].to_numpy()], cases, lang, as_of(sources))
    chart = chart_rows(rows, lang)
    unit = chart_unit(code, rows["scale"].iloc[0] if len(rows) else "")
    return Block(code, reporting(facts[facts["code"] == code.code], cases).get(code.code, 0), rows, table(rows, lang),
                 chart, unit, listed(rows[~rows["charted"].astype(bool)]), bool(chart["qualifier"].eq("at_least").any()),
                 unit_text(unit, lang), chart_title(code, index, lang))


# --- The compare page of a large collection: a part of one code's rows at a time --------------------------------
CHART_BARS = 20        # bars a compare chart draws at most: beyond that, the largest (or smallest) values
NOT_CHARTED_LISTED = 10  # rows left out of a chart that its note names (the table flags every one)
NOT_CHARTED_SCANNED = 200   # rows left out of a chart read for the distinct ones the note names
FAMILY_TABLE_ROWS = 20   # rows each grid holds at a time when a whole family is shown (one indicator: a data page's)
RANKS = ("largest", "smallest")


@dataclass(eq=False)
class View:
    """Which rows of one code the compare page shows under the reader's choices: positions in its ``code_index``."""
    matching: pd.DataFrame    # the code's index rows in the chosen provinces (every row when none is chosen)
    charted: int              # of those, the rows on one chart (one kind of period and of figure)
    charted_cases: int        # the cases they come from
    bars: pd.DataFrame        # the index rows drawn: all charted rows up to CHART_BARS, in the cases' order; else the
                              # CHART_BARS largest (or smallest), largest first
    left_out: pd.DataFrame    # the first NOT_CHARTED_SCANNED rows not charted (their note names the distinct ones)
    not_charted: int          # how many rows are not charted


def view(index, provinces: list[str], rank: str = RANKS[0], bars: int | None = None) -> View:
    """The rows of a code to show: in ``provinces`` (all when empty), its chart's bars ranked by value when they
    are more than ``bars`` (CHART_BARS when None), ties in the cases' order."""
    bars = CHART_BARS if bars is None else bars
    matching = index[index["province"].isin(provinces).to_numpy()] if provinces else index
    charted = matching[matching["charted"].to_numpy(dtype=bool)]
    drawn = charted
    if len(charted) > bars:
        ranked = charted.sort_values("value", ascending=rank != RANKS[0], kind="stable")
        drawn = ranked.iloc[:bars]
    left_out = matching[~matching["charted"].to_numpy(dtype=bool)]
    return View(matching, len(charted), charted["case_id"].nunique(), drawn, left_out.iloc[:NOT_CHARTED_SCANNED],
                len(left_out))


def family_codes(family: str, codes: dict[str, Code]) -> list[Code]:
    return [c for c in codes.values() if c.family == family]


def comparable_codes(facts, cases, family: str, codes: dict[str, Code], least: int = 2) -> list[Code]:
    """The family's codes reported by at least ``least`` localities (the overview charts only these)."""
    counts = reporting(facts, cases)
    return [c for c in family_codes(family, codes) if counts.get(c.code, 0) >= least]


# --- The overview, organised by practice family ------------------------------------------------------------------
CASES_PER_FAMILY = 3    # cards per family: the overview stays the same size however many cases a family gathers
CHARTS_PER_FAMILY = 4   # charts per family (codes reported by the most localities first); the rest are linked


@dataclass
class FamilySection:
    family: Family
    featured: list[str]       # case ids shown as cards
    more: list[str]           # the family's other cases, listed
    blocks: list[Block]       # comparable codes charted side by side (like measures only)
    linked: list[Code]        # comparable codes not charted here (too few shared values, or over the limit)


def family_sections(facts, cases, sources, lang: str, per_family: int | None = None,
                    charts: int | None = None) -> list[FamilySection]:
    """One section per family that has cases, in families.yaml's order (limits: the module's, read at call time)."""
    per_family = CASES_PER_FAMILY if per_family is None else per_family
    charts = CHARTS_PER_FAMILY if charts is None else charts
    families, codes = lists()
    counts = reporting(facts, cases)
    sections = []
    for family in families.values():
        ids = cases.loc[cases["family"] == family.family, "case_id"].tolist()
        if not ids:
            continue
        comparable = sorted(comparable_codes(facts, cases, family.family, codes), key=lambda c: -counts[c.code])
        blocks = [block(facts, cases, sources, c, lang) for c in comparable]
        drawn = [b for b in blocks if len(b.chart) >= 2][:charts]
        sections.append(FamilySection(family, ids[:per_family], ids[per_family:], drawn,
                                      [b.code for b in blocks if b not in drawn]))
    return sections
