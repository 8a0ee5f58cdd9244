"""Languages and links: the catalog is complete in both languages, a copied link reproduces the exact view, and no
URL, however malformed, breaks a page."""
from __future__ import annotations

import json
import re
from urllib.parse import parse_qs, urlsplit

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from metrics.catalog import CATALOG, text

from .conftest import PAGES, ROOT, open_page

DATA_VERSION = json.loads((ROOT / "data" / "manifest.json").read_text(encoding="utf-8"))["data_version"]

CJK = re.compile(r"[\u4e00-\u9fff]+")
# Chinese the English UI keeps on purpose: units named beside their translation, the language switch itself, and
# the qualifier markers a reader will meet in the quoted source text.
KEPT_IN_ENGLISH = {"万元", "亿元", "元", "笔", "家", "户", "语言", "余", "多", "超", "以上", "三资"}  # 三资: the glossary keeps the term


def test_every_key_has_both_languages():
    for key, pair in CATALOG.items():
        assert len(pair) == 2 and all(isinstance(s, str) and s.strip() for s in pair), key


def test_placeholders_match_between_languages():
    for key, (zh, en) in CATALOG.items():
        assert set(re.findall(r"{(\w+)}", zh)) == set(re.findall(r"{(\w+)}", en)), key


def test_no_chinese_left_in_english_strings():
    for key, (_, en) in CATALOG.items():
        words = set(CJK.findall(en))
        assert words <= KEPT_IN_ENGLISH, (key, words - KEPT_IN_ENGLISH)


def test_every_key_used_in_code_exists():
    from pathlib import Path

    root = Path(__file__).resolve().parent.parent
    used = set()
    for path in [*root.glob("pages/*.py"), *root.glob("ui/*.py"), root / "dashboard.py"]:
        used |= set(re.findall(r"""\bt\(\s*["']([a-z_]+\.[\w.]+)["']""", path.read_text(encoding="utf-8")))
    used = {key for key in used if not key.endswith(".")}  # prefixes of keys built at run time: checked below
    assert used and used <= set(CATALOG), used - set(CATALOG)


def test_keys_built_at_run_time_exist():
    from metrics.numbers import DISPLAY_UNITS
    from metrics.units import UNITS
    from metrics.vocab import KINDS, QUALIFIERS

    families = {"kind": KINDS, "app.unit": DISPLAY_UNITS, "data.tab": ("facts", "events", "practices", "indicators",
                "dictionary", "article"), "data.download": ("csv", "xlsx", "parquet"), "unit.per": ("笔", "家", "户"),
                "fig.qualifier": [q for q in QUALIFIERS if q != "exact"]}
    missing = [f"{prefix}.{name}" for prefix, names in families.items() for name in names
               if f"{prefix}.{name}" not in CATALOG]
    assert not missing and "笔" in UNITS


def view(at) -> dict:
    """What a reader sees: every metric, every chart's data, every caption."""
    return {"metrics": [(m.label, m.value) for m in at.metric],
            "charts": [json.loads(c.proto.spec)["data"] for c in at.get("plotly_chart")],
            "captions": [c.value for c in at.caption if "?" not in c.value]}


def shared_link(at) -> dict[str, list[str]]:
    code = [c.value for c in at.get("code")]
    assert len(code) == 1, code
    return parse_qs(urlsplit(code[0]).query)


ROUND_TRIPS = [  # (page, [(widget kind, key, value)])
    ("pages/overview.py", [("radio", "lang", "en"), ("selectbox", "unit", "万元")]),
    ("xiangtan", [("selectbox", "unit", "元")]),
    ("heilongjiang", [("radio", "lang", "en"), ("number_input", "loan", 650.0), ("number_input", "term", 2.5),
                               ("number_input", "npl", 4321.0), ("slider", "rate", 7.5)]),
    ("fangchenggang", [("radio", "lang", "en"), ("selectbox", "unit", "亿元")]),
    ("pages/data.py", [("multiselect", "case", ["heilongjiang", "fangchenggang"]), ("multiselect", "kind", ["actual"]),
                       ("text_input", "q", "担保")]),
]


@pytest.mark.parametrize("page,inputs", ROUND_TRIPS, ids=[r[0] for r in ROUND_TRIPS])
def test_link_reproduces_the_view(page, inputs):
    at = open_page(page)
    for kind, key, value in inputs:
        getattr(at, kind)(key=key).set_value(value)
        at.run()
    link = shared_link(at)
    for _, key, value in inputs:
        expected = value if isinstance(value, list) else [str(int(value)) if isinstance(value, float) and value.is_integer()
                                                          else str(value)]
        assert link[key] == expected, (key, link)
    assert link["v"] == [DATA_VERSION]
    fresh = open_page(page, **{key: values if len(values) > 1 else values[0] for key, values in link.items()})
    assert not fresh.exception
    for kind, key, value in inputs:
        assert getattr(fresh, kind)(key=key).value == value, key
    assert view(fresh) == view(at)
    assert not [c for c in fresh.warning if "数据版本" in c.value or "data version" in c.value]


def test_stale_link_says_the_numbers_may_differ():
    at = open_page("pages/overview.py", v="00000000")
    assert any(text("link.stale", "zh", shared="00000000", current="")[:12] in w.value for w in at.warning)


HOSTILE = st.one_of(
    st.text(max_size=300), st.sampled_from(["<script>alert(1)</script>", "NaN", "nan", "inf", "-inf", "1e308", "-1",
                                            "0", "1e-300", "", " ", "zh", "en", "xx", "万元", "javascript:alert(1)",
                                            "%00", "../../etc/passwd", "9" * 400]),
    st.floats(allow_nan=True, allow_infinity=True).map(str),
)
KEYS = ["lang", "unit", "loan", "term", "npl", "rate", "case", "kind", "q", "tab", "v", "unknown"]


@pytest.mark.parametrize("page", list(PAGES))
@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(params=st.dictionaries(st.sampled_from(KEYS), st.one_of(HOSTILE, st.lists(HOSTILE, min_size=2, max_size=3)),
                              max_size=5))
def test_hostile_urls_never_break_a_page(page, params):
    at = open_page(page, **params)
    assert not at.exception, (params, [e.value for e in at.exception])
    assert not at.error, (params, [e.value for e in at.error])
