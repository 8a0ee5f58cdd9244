"""A hostile dataset for the static edition's tests: every text a reader sees carries markup, a closing
</textarea> and a javascript: URL, and a spreadsheet formula; the figures themselves are ordinary."""
from __future__ import annotations

import functools
import shutil
from pathlib import Path

from metrics import build

ROOT = Path(__file__).resolve().parent.parent
# No whitespace: the build's quote check compares text with all whitespace removed.
EVIL = "<script>window.__pwned=1</script></textarea><svg/onload=window.__pwned=2>javascript:window.__pwned=3"
EVIL_URL = "javascript:window.__pwned=4"   # the build refuses it; a damaged or older build could still carry it
# A web address the build accepts, made to break out of an attribute: it must stay one inert href.
EVIL_HTTP_URL = 'https://example.org/x"onmouseover="window.__pwned=5"><script>window.__pwned=6</script>'


ARTICLE = f""" {EVIL}某市：
试点直达机制
某市财政局

2023 年，{EVIL}全市累计下达直达资金 12.5 亿元，
惠及市场主体 3400 余家。
"""
ARTICLE_META = f"""source_id: "900_hostile"
title_zh: '{EVIL}合成文章'
title_en: '{EVIL} synthetic article'
column_zh: '{EVIL}'
column_en: '{EVIL}'
url: '{EVIL_HTTP_URL}'
published: "2023"
licence_zh: '{EVIL}'
licence_en: '{EVIL}'
furniture: []
current_as_of: "2023"
"""
CASE = f"""case:
  case_id: hostile
  source_id: "900_hostile"
  family: assets
  title_zh: '{EVIL}某市'
  title_en: '{EVIL} a city'
  short_zh: '{EVIL}短'
  short_en: '{EVIL} short'
  headline: [hx_funds, hx_entities]
  locality_zh: '{EVIL}'
  locality_en: '{EVIL}'
  province_zh: 浙江省
  province_en: Zhejiang
  division_code: "330100"
  author_zh: '{EVIL}'
  author_en: '{EVIL}'
facts:
  - {{fact_id: hx_funds, indicator_zh: '={EVIL}', indicator_en: '={EVIL}', scope_zh: '{EVIL}', scope_en: '{EVIL}',
     period: "2023", kind: cumulative, printed: "12.5", value: 12.5, unit: 亿元, qualifier: exact,
     quote: '{EVIL}全市累计下达直达资金12.5亿元', note_zh: '{EVIL}', note_en: '{EVIL}'}}
  - {{fact_id: hx_entities, indicator_zh: '{EVIL}', indicator_en: '{EVIL}', scope_zh: 全市, scope_en: city-wide,
     period: "2023", kind: actual, printed: "3400", value: 3400, unit: 家, qualifier: at_least,
     quote: 惠及市场主体3400余家}}
events:
  - {{event_id: hx_2023, date: "2023", label_zh: '{EVIL}', label_en: '{EVIL}', quote: '{EVIL}全市累计下达直达资金'}}
practices:
  - {{practice_id: hx_mechanism, name_zh: '{EVIL}', name_en: '{EVIL}', model_zh: '{EVIL}', model_en: '{EVIL}',
     applied_to_zh: '{EVIL}', applied_to_en: '{EVIL}', result_fact_ids: [hx_entities], quote: 试点直达机制}}
"""


SEED_ARTICLE = "000_91693168b2346fd9"   # the first article: its three cases come along


def hostile_data(folder: Path) -> Path:
    """Build the first article and its cases plus one hostile article and case (a build with no derived indicator
    at all is refused today, so the seed cases come along; the other articles would only make it slower)."""
    sources = folder / "sources"
    shutil.copytree(ROOT / "data" / "sources", sources)
    for path in (sources / "articles").glob("*"):
        if not path.name.startswith(SEED_ARTICLE):
            path.unlink()
    for path in (sources / "cases").glob("*.yaml"):
        if f'source_id: "{SEED_ARTICLE}"' not in path.read_text(encoding="utf-8"):
            path.unlink()
    (sources / "articles/900_hostile.txt").write_text(ARTICLE, encoding="utf-8")
    (sources / "articles/900_hostile.yaml").write_text(ARTICLE_META, encoding="utf-8")
    (sources / "cases/hostile.yaml").write_text(CASE, encoding="utf-8")
    assert build.main(["--data-dir", str(folder)]) == 0, "the hostile fixture must build"
    return folder


# One build of each edition per test session, shared by tests/test_static.py and tests/e2e/test_static.py (each
# build takes tens of seconds on 2 cores). Keyed by the session's temporary folder; tests only read them.
@functools.cache
def built_site(base: Path) -> Path:
    from deploy.static.site import build as build_edition
    out = base / "static-site" / "site"
    build_edition(out, ROOT / "data")
    return out


@functools.cache
def built_hostile_site(base: Path) -> Path:
    from deploy.static.site import write_site
    from metrics.store import load
    data = hostile_data(base / "hostile-data")
    out = base / "hostile-site" / "site"
    write_site(load(data), out)
    return out
