"""Our own checks beyond the schema: quotes, printed numbers, qualifiers, dates, references, identities.

Each check takes the built tables and returns Problems; ``run_all`` runs every one so a single build reports
everything that is wrong. Each is registered with its reach: a RECORD check judges a record by its own case file, its
article and the shared files alone, so an incremental build runs it on the changed case files only (the others
passed it unchanged); a COLLECTION check looks across cases (ids, references, identities) and always runs on every
record, reading only cheap columns.
"""
from __future__ import annotations

import math
from collections.abc import Callable

import pandas as pd

from . import compare, indicators, layout, periods
from .problems import Problem
from .reading import detect_qualifier, parse_printed
from .sources import CaseFile

Tables = dict[str, pd.DataFrame]
ID_COLUMNS = {"facts": "fact_id", "events": "event_id", "practices": "practice_id"}


def check_quotes_found(tables: Tables, _cases) -> list[Problem]:
    """A quote the article does not contain. Records whose case names no existing article are left out: the wrong
    source_id is reported once (``check_sources_named``), not as one "quote not found" per record."""
    articles = set(tables["sources"]["source_id"])
    return [Problem(row.source_file, getattr(row, ID_COLUMNS[name]),
                    f"quote not found in the article {row.source_id}: copy it from the text exactly "
                    f"(whitespace does not matter): {row.quote!r}", fields=("quote",))
            for name in ID_COLUMNS for row in tables[name].itertuples()
            if row.quote_start < 0 and row.source_id in articles]


def check_printed_in_quote(tables: Tables, _cases) -> list[Problem]:
    return [Problem(row.source_file, row.fact_id, f"printed number {row.printed!r} is not in its quote {row.quote!r}",
                    fields=("printed", "quote"))
            for row in tables["facts"].itertuples() if row.printed not in row.quote.replace(" ", "")]


def check_printed_value(tables: Tables, _cases) -> list[Problem]:
    problems = []
    for row in tables["facts"].itertuples():
        if not row.printed or math.isnan(row.value):
            continue   # left empty: the schema says so, once
        try:
            printed = parse_printed(row.printed)
        except ValueError:
            problems.append(Problem(row.source_file, row.fact_id, f"printed {row.printed!r} is not a number",
                                    fields=("printed",)))
            continue
        if not math.isclose(printed, row.value, rel_tol=1e-9):
            problems.append(Problem(row.source_file, row.fact_id, f"value {row.value} differs from printed {row.printed!r}",
                                    fields=("value",)))
    return problems


def check_qualifiers(tables: Tables, _cases) -> list[Problem]:
    """The curated qualifier must agree with the marker beside the number (余/多/超/以上/以下/约…).

    A threshold ("500万元（含）以下") is an exact number used as a limit, so its limit marker is allowed.
    """
    problems = []
    for row in tables["facts"].itertuples():
        detected, marker = detect_qualifier(row.quote.replace(" ", ""), row.printed, row.unit)
        if detected == row.qualifier or (row.kind == "threshold" and row.qualifier == "exact"):
            continue
        said = f"the text says {marker!r} beside the number" if marker else "no qualifier marker beside the number"
        problems.append(Problem(row.source_file, row.fact_id, f"qualifier {row.qualifier!r} but {said} ({detected})",
                                fields=("qualifier",)))
    return problems


def check_dates(tables: Tables, _cases) -> list[Problem]:
    bad_periods = [Problem(r.source_file, r.fact_id, f"period {r.period!r} is not ISO-8601 text or 'current'",
                           fields=("period",))
                   for r in tables["facts"].itertuples() if not periods.is_valid_period(r.period)]
    bad_dates = [Problem(r.source_file, r.event_id, f"date {r.date!r} is not a valid ISO-8601 date or interval",
                         fields=("date",))
                 for r in tables["events"].itertuples() if not periods.is_valid_date(r.date)]
    return bad_periods + bad_dates


def _columns(df: pd.DataFrame, *names: str) -> zip:
    """Rows of a few columns as plain tuples: across a whole collection, far cheaper than itertuples() over all."""
    return zip(*(df[name].tolist() for name in names))


def check_unique_ids(tables: Tables, _cases) -> list[Problem]:
    """Ids are unique across facts, events and practices of every case (links and tooltips use them)."""
    seen: dict[str, str] = {}
    problems = []
    for name, column in ID_COLUMNS.items():
        for record_id, source_file in _columns(tables[name], column, "source_file"):
            if record_id in seen:
                problems.append(Problem(source_file, record_id, f"duplicate id (also in {seen[record_id]})"))
            seen.setdefault(record_id, source_file)
    return problems


def check_sources_named(tables: Tables, _cases) -> list[Problem]:
    sources = set(tables["sources"]["source_id"])
    return [Problem(r.source_file, r.case_id, f"source_id {r.source_id!r} names no article: there is no "
                    f"data/sources/articles/{r.source_id}.yaml; correct the id or add the article",
                    fields=("source_id",))
            for r in tables["cases"].itertuples() if r.source_id and r.source_id not in sources]


def check_fact_references(tables: Tables, cases: list[CaseFile]) -> list[Problem]:
    """Results and headlines name facts that exist (in any case: removing a case may break another's)."""
    fact_ids = set(tables["facts"]["fact_id"].tolist())
    problems = []
    for source_file, practice_id, results in _columns(tables["practices"], "source_file", "practice_id",
                                                      "result_fact_ids"):
        problems += [Problem(source_file, practice_id, f"result fact {fid!r} does not exist")
                     for fid in filter(None, results.split(",")) if fid not in fact_ids]
    for case in cases:
        problems += [Problem(case.path.name, "headline", f"headline fact {fid!r} does not exist")
                     for fid in case.case.get("headline") or [] if fid not in fact_ids]
    return problems


def check_identities(tables: Tables, cases: list[CaseFile]) -> list[Problem]:
    """Declared arithmetic holds: total = sum of parts (in base units, to 1e-9 relative)."""
    base = dict(_columns(tables["facts"], "fact_id", "value_base"))
    problems = []
    for case in cases:
        for identity in case.identities:
            name = str(identity.get("identity_id", "-"))
            ids = [identity.get("total"), *(identity.get("parts") or [])]
            missing = [i for i in ids if i not in base]
            if missing:
                problems.append(Problem(case.path.name, name, f"identity names unknown facts {missing}"))
                continue
            total, parts = base[ids[0]], sum(base[i] for i in ids[1:])
            if not math.isclose(total, parts, rel_tol=1e-9):
                problems.append(Problem(case.path.name, name, f"identity broken: {ids[0]} = {total:g} but the parts "
                                                              f"{ids[1:]} add up to {parts:g}"))
    return problems


RECORD, COLLECTION = "record", "collection"
Check = Callable[[Tables, list[CaseFile]], list[Problem]]
# In the order a curator reads their problems. A check that is both (a declaration's own faults and a duplicate of
# another case's id) is two checks, so that the record part can be skipped for unchanged case files.
CHECKS: tuple[tuple[Check, str], ...] = (
    (check_unique_ids, COLLECTION), (check_quotes_found, RECORD), (check_printed_in_quote, RECORD),
    (check_printed_value, RECORD), (check_qualifiers, RECORD), (check_dates, RECORD), (check_sources_named, RECORD),
    (check_fact_references, COLLECTION), (check_identities, COLLECTION), (indicators.check, RECORD),
    (indicators.check_ids, COLLECTION), (layout.check, RECORD), (compare.check_codes, COLLECTION),
)
PER_CASE_TABLES = ("cases", "facts", "events", "practices")


def only_files(tables: Tables, files: set[str]) -> Tables:
    """The rows of some case files (by ``source_file``); tables that are not per case (sources) whole."""
    return {name: df[df["source_file"].isin(files)] if name in PER_CASE_TABLES else df for name, df in tables.items()}


def run_all(tables: Tables, cases: list[CaseFile], changed: set[str] | None = None) -> list[Problem]:
    """Every check's problems, in CHECKS order. ``changed``: the case files whose records are checked one by one
    (None: every file); the unchanged ones passed the RECORD checks in an earlier build with the same inputs, so
    they cannot fail them now, and the problems listed are the ones a full run lists, in the same order."""
    scoped = {RECORD: (tables, cases), COLLECTION: (tables, cases)}
    if changed is not None:
        scoped[RECORD] = (only_files(tables, changed), [c for c in cases if c.path.name in changed])
    return [problem for check, reach in CHECKS for problem in check(*scoped[reach])]
