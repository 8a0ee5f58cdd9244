"""The compare page in both languages: a family or one indicator across localities, the choice in the URL, a
hostile URL falling back with a message, each row one click from its figure on the data page."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from metrics import compare
from metrics.catalog import text
from metrics.store import load

from .conftest import open_page

PAGE = "pages/compare.py"
DATA = load(Path(__file__).resolve().parent.parent / "data")
FAMILIES, CODES = compare.lists()
COUNTS = compare.reporting(DATA["facts"], DATA["cases"])


def reported(family: str, lang: str) -> list[str]:
    return [getattr(c, f"name_{lang}") for c in compare.family_codes(family, CODES) if COUNTS.get(c.code)]


@pytest.mark.parametrize("lang", ("zh", "en"))
@pytest.mark.parametrize("family", list(FAMILIES))
def test_a_family_shows_every_indicator_it_reports(lang, family):
    at = open_page(PAGE, lang=lang, family=family)
    assert not at.exception, [e.value for e in at.exception]
    assert [t.value for t in at.title] == [text("nav.compare", lang)]
    assert [s.value for s in at.subheader] == reported(family, lang)
    assert len(at.dataframe) == len(reported(family, lang))


@pytest.mark.parametrize("lang", ("zh", "en"))
def test_one_indicator_from_the_link(lang):
    at = open_page(PAGE, lang=lang, code="guaranteed_loans_amount")
    assert not at.exception, [e.value for e in at.exception]
    assert [s.value for s in at.subheader] == [CODES["guaranteed_loans_amount"].__dict__[f"name_{lang}"]]
    assert at.selectbox(key="family").value == "guarantees"   # the indicator brings its family
    table = at.dataframe[0].value
    facts = DATA["facts"]
    assert len(table) == int(facts["code"].eq("guaranteed_loans_amount").sum())
    assert table[text("col.link", lang)].str.startswith(f"data?lang={lang}&case=").all()
    assert table[text("col.quote", lang)].tolist()[0] == "全省发放稳企稳岗基金担保贷款8626笔，合计203.12亿元"
    assert text("compare.flag.period_kind", lang) in table[text("col.flags", lang)].tolist()[1]


@pytest.mark.parametrize("params,ignored", [
    ({"code": "<script>alert(1)</script>"}, ["code"]),
    ({"family": "../../etc/passwd", "code": "x" * 500}, ["family", "code"]),
    ({"family": ["assets", "guarantees"]}, ["family"]),
])
def test_hostile_link_falls_back_with_a_message(params, ignored):
    at = open_page(PAGE, lang="en", **params)
    assert not at.exception, [e.value for e in at.exception]
    notice = text("link.ignored", "en", params=", ".join(ignored))
    assert notice in [c.value for c in at.caption]
    assert at.selectbox(key="family").value == next(iter(FAMILIES))
    assert at.selectbox(key="code").value == compare.ALL


def test_changing_family_resets_the_indicator():
    at = open_page(PAGE, lang="en", code="guaranteed_loans_amount")
    at.selectbox(key="family").set_value("tax_trade").run()
    assert not at.exception
    assert at.selectbox(key="code").value == compare.ALL
    assert [s.value for s in at.subheader] == reported("tax_trade", "en")


@pytest.mark.parametrize("code", list(CODES))
def test_every_code_renders_from_its_link(code):
    at = open_page(PAGE, lang="en", code=code)
    assert not at.exception, [e.value for e in at.exception]
    assert [s.value for s in at.subheader] == [CODES[code].name_en]
    assert len(at.dataframe[0].value) == int(DATA["facts"]["code"].eq(code).sum())


@pytest.mark.parametrize("family", list(FAMILIES))
def test_a_small_collection_shows_every_row_and_bar_without_large_collection_controls(family):
    """Today's 18 cases: every row in each grid and every comparable value on its chart, no province or ranking
    choice, no page picker and no extra download (the grid's own holds every row)."""
    at = open_page(PAGE, lang="zh", family=family)
    assert not at.exception, [e.value for e in at.exception]
    codes = [c for c in compare.family_codes(family, CODES) if COUNTS.get(c.code)]
    blocks = [compare.block(DATA["facts"], DATA["cases"], DATA["sources"], c, "zh") for c in codes]
    assert [len(d.value) for d in at.dataframe] == [len(b.table) for b in blocks]
    titles = [json.loads(c.proto.spec)["layout"]["title"]["text"] for c in at.get("plotly_chart")]
    assert titles == [b.chart_title for b in blocks if len(b.chart) >= 2]
    assert not at.multiselect and [r.key for r in at.radio] == ["lang"] and not at.number_input
    assert not [b for b in at.get("download_button") if "dl_rows" in b.proto.id]


def test_a_small_collection_ignores_provinces_in_a_link():
    """No province choice is drawn for 18 cases, so a link naming one shows every row, as the page says."""
    at = open_page(PAGE, lang="en", code="guaranteed_loans_amount", provinces="黑龙江省", rank="smallest")
    assert not at.exception, [e.value for e in at.exception]
    assert len(at.dataframe[0].value) == int(DATA["facts"]["code"].eq("guaranteed_loans_amount").sum()) == 5


@pytest.mark.parametrize("lang", ("zh", "en"))
@pytest.mark.parametrize("family", list(FAMILIES))
def test_each_indicator_says_its_localities_and_unit_above_its_grid(lang, family):
    """The caption above each grid: localities and common unit, then, when one locality reports it, that nothing
    compares with it yet (a paragraph of the same caption)."""
    at = open_page(PAGE, lang=lang, family=family)
    codes = [c for c in compare.family_codes(family, CODES) if COUNTS.get(c.code)]
    notes = [c.value for c in at.caption if c.value.startswith(text("compare.localities", lang, n="")[:4])]
    expected = []
    for code in codes:
        scale = compare.block(DATA["facts"], DATA["cases"], DATA["sources"], code, lang).unit
        lines = [text("compare.localities", lang, n=COUNTS[code.code]) + " · "
                 + text("compare.unit", lang, unit=compare.unit_text(scale, lang))]
        expected.append("\n\n".join(lines + ([text("compare.one_locality", lang)] if COUNTS[code.code] < 2 else [])))
    assert notes == expected
    assert any(COUNTS[c.code] < 2 for f in FAMILIES for c in compare.family_codes(f, CODES) if COUNTS.get(c.code))
