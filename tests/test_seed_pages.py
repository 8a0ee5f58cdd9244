"""The seed cases show exactly what they showed when each had a page of its own (tests/fixtures/seed_pages.json,
recorded from pages/xiangtan.py, heilongjiang.py and fangchenggang.py before they were replaced by the one case page
and the sections declared in their case files), except for the reviewed changes listed in EXCEPTIONS.

The fixture was recorded again once since, from the one case page, after the reviewed corrections of the seed data
(issue "A comparable collection": round-one scopes, mixed-scope flags, 三资 in English, added practices and notes,
the portfolio scenario's round-one note); git history holds the recording from the old pages.

Compared as a reader sees them: markdown escapes removed, the data version (it changes with every rebuild) masked.
"""
from __future__ import annotations

import copy
import json
import re

import pytest

from metrics.catalog import text
from metrics.store import load

from .conftest import ROOT, open_page
from .support.snapshot import FIXTURE, SEED_CASES, snapshot

BEFORE = json.loads((ROOT / FIXTURE).read_text(encoding="utf-8"))
DATA = load(ROOT / "data")
CASES = DATA["cases"].set_index("case_id")


def seen(value):
    """What a reader sees: no markdown escapes, no data version."""
    if isinstance(value, str):
        return re.sub(r"(数据版本|Data version) [0-9a-f]{8}", r"\1 …", re.sub(r"\\(.)", r"\1", value))
    if isinstance(value, list):
        return [seen(v) for v in value]
    if isinstance(value, dict):
        return {k: seen(v) for k, v in value.items()}
    return value


# --- the reviewed changes -------------------------------------------------------------------------------------------
def footer_names_only_this_case(page: dict, case_id: str, lang: str) -> None:
    """The footer named every case's author on every case page; it names the authors of what the page shows."""
    authors = "、".join if lang == "zh" else "; ".join
    every = authors(dict.fromkeys(CASES.loc[list(SEED_CASES), f"author_{lang}"]))   # the three cases of the recording
    page["caption"] = [c.replace(f"（{every}）" if lang == "zh" else f"({every})",
                                 f"（{CASES.at[case_id, f'author_{lang}']}）" if lang == "zh"
                                 else f"({CASES.at[case_id, f'author_{lang}']})") for c in page["caption"]]


def practices_show_as_published(page: dict, case_id: str, lang: str) -> list[str]:
    """The practices table gains a column with each result as published (the "Result" column shows it converted in
    English). Removed here before comparing; returned for its own check."""
    name = text("col.as_published", lang)
    table = next(t for t in page["tables"] if t[0][:2] == [text("col.practice", lang), text("col.model", lang)])
    if name not in table[0]:   # the recording from the old pages has no such column
        return []
    at = table[0].index(name)
    column = [row.pop(at) for row in table]
    return column[1:]


def glossary_ledger_title(page: dict, case_id: str, lang: str) -> None:
    """The glossary forbids "three capitals" for 三资: the ledger chart's English title says what it is."""
    if (case_id, lang) == ("xiangtan", "en"):
        for chart in page["charts"]:
            if chart["title"] == "The 'three capitals' ledger (city-level)":
                chart["title"] = "City-level ledger: state assets, resources, funds"


EXCEPTIONS_BEFORE = (footer_names_only_this_case, glossary_ledger_title)   # applied to what the old pages showed


VIEWS = [(case, lang) for case in SEED_CASES for lang in ("zh", "en")]


@pytest.fixture(scope="module")
def shown():
    return {key: seen(snapshot(open_page(key[0], lang=key[1]))) for key in VIEWS}


@pytest.mark.parametrize("case_id,lang", VIEWS)
def test_seed_case_shows_what_it_showed(shown, case_id, lang):
    before = seen(copy.deepcopy(BEFORE[f"{case_id}/{lang}"]))
    for change in EXCEPTIONS_BEFORE:
        change(before, case_id, lang)
    practices_show_as_published(before, case_id, lang)
    now = copy.deepcopy(shown[(case_id, lang)])
    practices_show_as_published(now, case_id, lang)
    for field in before:
        assert now[field] == before[field], (case_id, lang, field)
    assert set(now) == set(before)


@pytest.mark.parametrize("case_id,lang", VIEWS)
def test_practices_column_holds_each_result_as_published(shown, case_id, lang):
    column = practices_show_as_published(copy.deepcopy(shown[(case_id, lang)]), case_id, lang)
    facts = DATA["facts"].set_index("fact_id")
    practices = DATA["practices"][DATA["practices"]["case_id"] == case_id]
    expected = ["；".join(f"{'≥' if facts.at[f, 'qualifier'] == 'at_least' else '≤' if facts.at[f, 'qualifier'] == 'at_most' else '≈' if facts.at[f, 'qualifier'] == 'approx' else ''}"
                         f"{facts.at[f, 'printed']}{facts.at[f, 'unit']}" for f in filter(None, ids.split(",")))
                for ids in practices["result_fact_ids"]]
    assert column == expected
