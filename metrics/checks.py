"""Our own checks beyond the schema: quotes, printed numbers, qualifiers, dates, references, identities.

Each check takes the built tables and returns Problems; ``run_all`` runs every one so a single build reports
everything that is wrong.
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
    source_id is reported once (``check_references``), not as one "quote not found" per record."""
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


def check_unique_ids(tables: Tables, _cases) -> list[Problem]:
    """Ids are unique across facts, events and practices of every case (links and tooltips use them)."""
    seen: dict[str, str] = {}
    problems = []
    for name, column in ID_COLUMNS.items():
        for row in tables[name].itertuples():
            record_id = getattr(row, column)
            if record_id in seen:
                problems.append(Problem(row.source_file, record_id, f"duplicate id (also in {seen[record_id]})"))
            seen.setdefault(record_id, row.source_file)
    return problems


def check_references(tables: Tables, cases: list[CaseFile]) -> list[Problem]:
    fact_ids = set(tables["facts"]["fact_id"])
    sources = set(tables["sources"]["source_id"])
    problems = [Problem(r.source_file, r.case_id, f"source_id {r.source_id!r} names no article: there is no "
                        f"data/sources/articles/{r.source_id}.yaml; correct the id or add the article",
                        fields=("source_id",))
                for r in tables["cases"].itertuples() if r.source_id and r.source_id not in sources]
    for row in tables["practices"].itertuples():
        problems += [Problem(row.source_file, row.practice_id, f"result fact {fid!r} does not exist")
                     for fid in filter(None, row.result_fact_ids.split(",")) if fid not in fact_ids]
    for case in cases:
        problems += [Problem(case.path.name, "headline", f"headline fact {fid!r} does not exist")
                     for fid in case.case.get("headline") or [] if fid not in fact_ids]
    return problems


def check_identities(tables: Tables, cases: list[CaseFile]) -> list[Problem]:
    """Declared arithmetic holds: total = sum of parts (in base units, to 1e-9 relative)."""
    base = tables["facts"].set_index("fact_id")["value_base"]
    problems = []
    for case in cases:
        for identity in case.identities:
            name = str(identity.get("identity_id", "-"))
            ids = [identity.get("total"), *(identity.get("parts") or [])]
            missing = [i for i in ids if i not in base.index]
            if missing:
                problems.append(Problem(case.path.name, name, f"identity names unknown facts {missing}"))
                continue
            total, parts = base[ids[0]], sum(base[i] for i in ids[1:])
            if not math.isclose(total, parts, rel_tol=1e-9):
                problems.append(Problem(case.path.name, name, f"identity broken: {ids[0]} = {total:g} but the parts "
                                                              f"{ids[1:]} add up to {parts:g}"))
    return problems


CHECKS: tuple[Callable[[Tables, list[CaseFile]], list[Problem]], ...] = (
    check_unique_ids, check_quotes_found, check_printed_in_quote, check_printed_value, check_qualifiers,
    check_dates, check_references, check_identities, indicators.check, layout.check, compare.check_codes,
)


def run_all(tables: Tables, cases: list[CaseFile]) -> list[Problem]:
    return [problem for check in CHECKS for problem in check(tables, cases)]
