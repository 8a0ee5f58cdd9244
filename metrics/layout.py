"""What a case page shows, as its case file declares it: ``sections:`` and ``calculators:``.

The build carries both into ``cases.parquet`` (column ``layout``, JSON text) and checks them (``check``). ``blocks``
resolves a case's sections, in the reader's language, into plain blocks (metrics/blocks.py documents every block
type and field): ui/ draws them with Streamlit, deploy/ as static HTML. A case file that declares no sections gets
``DEFAULT_SECTIONS``. No streamlit here.

Section types (``type:``; titles are ``title_zh``/``title_en``, texts ``text_zh``/``text_en``; ids are fact ids or
derived indicator ids of the same case; ``id:`` names a chart (its PNG/CSV file name) and defaults to a made-up one):

- ``headline``                 the case file's headline facts as cards              [columns: 3]
- ``heading``                  a section heading                                    title
- ``note``                     a line of text                                       text, [style: caption|info|strong]
- ``figures``                  cards of facts and/or indicators                     ids, [columns: 3]
- ``indicators``               every derived indicator of the case, as cards        [columns: 3]
- ``ledger``                   a treemap of a total and its parts (an identity)     title, total, parts, [unit]
- ``bars``                     a bar chart of chosen facts/indicators               title, ids (an id or
                               {id, label_zh, label_en}), [unit, height]
- ``target_vs_result``         results and targets as bars, results first           title, results, targets, [unit]
- ``before_after``             a figure and its implied earlier value               title, after, before (each an id
                               or {id, label_zh, label_en})
- ``money``                    every money figure of the case, log scale            [title, height]
- ``columns``                  sections side by side                                columns: [[sections], …]
- ``calculator``               one of the case's ``calculators:`` (by id)           id
- ``practices``, ``timeline``, ``all_figures`` [expanded: false]

Example::

    sections:
      - {type: headline}
      - {type: heading, title_zh: 公物仓, title_en: Public property warehouse}
      - type: columns
        columns:
          - - {type: ledger, id: xt_ledger, title_zh: …, title_en: …, total: xt_ledger_total, parts: [xt_a, xt_b]}
          - - {type: figures, ids: [xt_share_a, xt_share_b], columns: 1}
      - {type: calculator, id: fee}
      - {type: practices}
"""
from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass

import pandas as pd

from . import blocks, calculators, numbers, views
from .catalog import text
from .charts import ChartSpec
from .problems import Problem

LAYOUT_KEYS = ("sections", "calculators")


def layout_of(document: dict) -> dict:
    """The layout blocks of a case file as one plain mapping (empty lists when absent)."""
    return {key: list(document.get(key) or []) for key in LAYOUT_KEYS}


def to_json(layout: dict) -> str:
    return json.dumps(layout, ensure_ascii=False, sort_keys=True)


def from_json(text_: str) -> dict:
    return json.loads(text_) if text_ else {key: [] for key in LAYOUT_KEYS}


# --- the case a page shows -----------------------------------------------------------------------------------------
@dataclass(frozen=True)
class CaseView:
    """One case's rows and what the reader chose (language, money unit): what every section reads."""
    case: dict                    # its row of the cases table
    facts: pd.DataFrame
    indicators: pd.DataFrame
    events: pd.DataFrame
    practices: pd.DataFrame
    cases: pd.DataFrame           # every case (names for charts)
    sources: pd.DataFrame
    lang: str
    unit: str

    @property
    def case_id(self) -> str:
        return str(self.case["case_id"])

    @property
    def source_ids(self) -> list[str]:
        return [str(self.case["source_id"])]

    def as_of(self, source_id: str) -> str:
        """What 截至目前 means in this source (its own article's date, not the first article's)."""
        found = self.sources.loc[self.sources["source_id"] == source_id, "current_as_of"]
        return str(found.iloc[0]) if len(found) else ""

    def tr(self, section: dict, stem: str, default: str = "") -> str:
        return str(section.get(f"{stem}_{self.lang}") or section.get(f"{stem}_zh") or default)

    def fact(self, fact_id: str) -> pd.Series | None:
        rows = views.by_id(self.facts, "fact_id")
        return rows.loc[fact_id] if fact_id in rows.index else None

    def indicator(self, indicator_id: str) -> pd.Series | None:
        rows = views.by_id(self.indicators, "indicator_id")
        return rows.loc[indicator_id] if indicator_id in rows.index else None

    def card(self, figure_id: str) -> dict | None:
        fact = self.fact(figure_id)
        if fact is not None:
            return blocks.fact_card(fact, self.lang, self.unit, self.as_of(fact["source_id"]))
        indicator = self.indicator(figure_id)
        return None if indicator is None else blocks.indicator_card(indicator, self.lang)

    def chart(self, spec: ChartSpec) -> dict:
        return blocks.chart(spec, self.source_ids)

    def chart_id(self, section: dict, stem: str) -> str:
        return str(section.get("id") or f"{self.case_id}_{stem}")


def case_view(tables, case_id: str, lang: str, unit: str = numbers.AS_PUBLISHED) -> CaseView:
    def of_case(name: str) -> pd.DataFrame:
        table = tables[name]
        return table[table["case_id"] == case_id]
    case = tables["cases"].set_index("case_id", drop=False).loc[case_id].to_dict()
    return CaseView(case, of_case("facts"), of_case("indicators"), of_case("events"), of_case("practices"),
                    tables["cases"], tables["sources"], lang, unit)


# --- the section types ---------------------------------------------------------------------------------------------
def _ids(section: dict, key: str = "ids") -> list[str]:
    items = section.get(key) or []
    items = items if isinstance(items, list) else [items]
    return [str(i["id"]) if isinstance(i, dict) else str(i) for i in items]


def _values(view: CaseView, items: list) -> pd.DataFrame:
    """Chart rows (label / value / shown / qualifier / quote / id) of facts and indicators, in order, with any
    declared label."""
    frames = []
    for item in items:
        figure_id = str(item["id"]) if isinstance(item, dict) else str(item)
        is_fact = view.fact(figure_id) is not None
        rows = (views.values(view.facts, [figure_id], view.lang) if is_fact
                else views.indicator_values(view.indicators, [figure_id], view.lang))
        if isinstance(item, dict) and view.tr(item, "label"):
            rows = rows.assign(label=view.tr(item, "label"))
        frames.append(rows)
    return views.stack(*frames) if frames else pd.DataFrame(columns=["label", "value", "shown"])


def _has_indicator(view: CaseView, items: list) -> bool:
    return any(view.fact(i) is None for i in _ids({"ids": items}))


def _unit(view: CaseView, section: dict, first_id: str) -> str:
    fact = view.fact(first_id)
    return str(section.get("unit") or (fact["unit"] if fact is not None else ""))


def headline(view: CaseView, section: dict) -> list[dict]:
    ids = view.facts.loc[view.facts["headline"], "fact_id"].tolist()
    return [blocks.cards([view.card(i) for i in ids], int(section.get("columns", 3)))] if ids else []


def heading(view: CaseView, section: dict) -> list[dict]:
    return [blocks.heading(view.tr(section, "title"))]


def note(view: CaseView, section: dict) -> list[dict]:
    style = str(section.get("style", "caption"))
    return [blocks.note(view.tr(section, "text"), style, ":material/info:" if style == "info" else "")]


def figures(view: CaseView, section: dict) -> list[dict]:
    cards = [c for c in (view.card(i) for i in _ids(section)) if c is not None]
    return [blocks.cards(cards, int(section.get("columns", 3)))] if cards else []


def indicators(view: CaseView, section: dict) -> list[dict]:
    ids = view.indicators["indicator_id"].tolist()
    if not ids:
        return []
    return [blocks.heading(view.tr(section, "title", text("case.indicators", view.lang))),
            blocks.cards([view.card(i) for i in ids], int(section.get("columns", 3)))]


def ledger(view: CaseView, section: dict) -> list[dict]:
    rows = views.tree(view.facts, str(section["total"]), _ids(section, "parts"), view.lang)
    return [view.chart(ChartSpec(view.chart_id(section, "ledger"), "treemap", rows, view.tr(section, "title"),
                                 unit=_unit(view, section, str(section["total"])),
                                 height=int(section.get("height", 380))))]


def bars(view: CaseView, section: dict, items: list | None = None) -> list[dict]:
    items = (section.get("ids") or []) if items is None else items
    ids = _ids({"ids": items})
    return [view.chart(ChartSpec(view.chart_id(section, "bars"), "bar", _values(view, items), view.tr(section, "title"),
                                 unit=_unit(view, section, ids[0]), derived=_has_indicator(view, items),
                                 height=int(section.get("height", 380))))]


def target_vs_result(view: CaseView, section: dict) -> list[dict]:
    return bars(view, section, [*(section.get("results") or []), *(section.get("targets") or [])])


def before_after(view: CaseView, section: dict) -> list[dict]:
    # The later figure first: horizontal bars stack upwards, so the earlier one reads first, from the top.
    items = [section["after"], section["before"]]
    return bars(view, {"height": 240, **section, "unit": _unit(view, section, _ids({"ids": items})[0])}, items)


def money(view: CaseView, section: dict) -> list[dict]:
    rows = views.money_facts(view.facts, view.cases, view.lang)
    if rows.empty:
        return []
    return [view.chart(ChartSpec(view.chart_id(section, "money"), "bar", rows,
                                 view.tr(section, "title", text("overview.money.title", view.lang)), log=True, unit="元",
                                 value_title=text("chart.axis.log_yuan", view.lang),
                                 height=int(section.get("height", max(300, 28 * len(rows))))))]


def columns(view: CaseView, section: dict) -> list[dict]:
    return [blocks.row(*[resolve(view, list(column)) for column in section.get("columns") or []])]


def calculator(view: CaseView, section: dict) -> list[dict]:
    declared = {str(c.get("id")): c for c in _layout(view)["calculators"]}
    decl = declared[str(section["id"])]
    bound = {i for ids in calculators.bound_ids(decl).values() for i in ids}
    facts = {i: _plain_fact(view.fact(i)) for i in bound}
    intro = figures(view, {"ids": decl.get("figures") or [], "columns": len(decl.get("figures") or []) or 1})
    return [calculators.prepare(decl, facts, view.lang, intro, view.source_ids)]


def practices(view: CaseView, section: dict) -> list[dict]:
    if view.practices.empty:
        return []
    title = text("case.practices", view.lang)
    return [blocks.heading(title), blocks.table(views.practices_table(view.practices, view.facts, view.lang), title)]


def timeline(view: CaseView, section: dict) -> list[dict]:
    if view.events.empty:
        return []
    lang = view.lang
    data = views.timeline(view.events, view.cases, lang, views.as_of_by_source(view.sources))
    rows = data[["when", "label", "quote"]].rename(columns={"when": text("col.date", lang), "label": text("col.event", lang),
                                                            "quote": text("col.quote", lang)})
    return [view.chart(ChartSpec(f"timeline_{view.case_id}", "timeline", data, text("case.timeline", lang), height=260)),
            blocks.table(rows)]


_FIGURE_COLUMNS = {"label": "col.indicator", "shown": "col.value", "as_published": "col.as_published",
                   "period_text": "col.period", "quote": "col.quote", "fact_id": "col.id"}


def all_figures(view: CaseView, section: dict) -> list[dict]:
    lang = view.lang
    facts = views.with_display(view.facts, lang, view.unit, views.as_of_by_source(view.sources))
    names = {column: text(key, lang) for column, key in _FIGURE_COLUMNS.items()}
    parts = []
    for kind, part in facts.groupby("kind_text", sort=False):
        parts += [blocks.note(kind, "strong"), blocks.table(part[list(names)].rename(columns=names))]
    return [blocks.group(text("case.all_figures", lang), parts, bool(section.get("expanded", False)),
                         ":material/format_list_numbered:")]


@dataclass(frozen=True)
class SectionType:
    make: Callable[[CaseView, dict], list[dict]]
    refs: tuple[str, ...] = ()      # keys whose values name facts or indicators (checked by the build)
    required: tuple[str, ...] = ()


SECTIONS: dict[str, SectionType] = {
    "headline": SectionType(headline),
    "heading": SectionType(heading, required=("title_zh", "title_en")),
    "note": SectionType(note, required=("text_zh", "text_en")),
    "figures": SectionType(figures, refs=("ids",), required=("ids",)),
    "indicators": SectionType(indicators),
    "ledger": SectionType(ledger, refs=("total", "parts"), required=("title_zh", "title_en", "total", "parts")),
    "bars": SectionType(bars, refs=("ids",), required=("title_zh", "title_en", "ids")),
    "target_vs_result": SectionType(target_vs_result, refs=("results", "targets"),
                                    required=("title_zh", "title_en", "results", "targets")),
    "before_after": SectionType(before_after, refs=("after", "before"), required=("title_zh", "title_en", "after", "before")),
    "money": SectionType(money),
    "columns": SectionType(columns, required=("columns",)),
    "calculator": SectionType(calculator, required=("id",)),
    "practices": SectionType(practices),
    "timeline": SectionType(timeline),
    "all_figures": SectionType(all_figures),
}

# A case file without sections: its headline, money figures, derived indicators, calculators, every figure.
DEFAULT_SECTIONS = [{"type": "headline"}, {"type": "money"}, {"type": "indicators"},
                    {"type": "all_figures", "expanded": True}, {"type": "timeline"}, {"type": "practices"}]


def _layout(view: CaseView) -> dict:
    return from_json(view.case.get("layout") or "")


def sections_of(layout: dict) -> list[dict]:
    """The declared sections (or the default ones), with every declared calculator no section places added after
    the derived indicators (the default) or at the end."""
    declared = list(layout.get("sections") or [])
    sections = declared or list(DEFAULT_SECTIONS)
    placed = {str(s.get("id")) for s in _walk(sections) if s.get("type") == "calculator"}
    extra = [{"type": "calculator", "id": c.get("id")} for c in layout.get("calculators") or [] if str(c.get("id")) not in placed]
    at = len(sections) if declared else 3
    return sections[:at] + extra + sections[at:]


def resolve(view: CaseView, sections: list[dict]) -> list[dict]:
    return [block for section in sections for block in SECTIONS[section["type"]].make(view, section)]


def blocks_of(tables, case_id: str, lang: str, unit: str = numbers.AS_PUBLISHED) -> list[dict]:
    """Everything a case page shows, top to bottom, as blocks (its title first)."""
    view = case_view(tables, case_id, lang, unit)
    title = blocks.title(str(view.case[f"title_{lang}"]),
                         text("case.author", lang, author=view.case[f"author_{lang}"], locality=view.case[f"locality_{lang}"]))
    return [title, *resolve(view, sections_of(_layout(view)))]


def calculator_inputs(layout: dict, lang: str) -> list[calculators.Input]:
    """Every input of a case's calculators (the page binds them to the URL before drawing anything)."""
    return [i for decl in layout.get("calculators") or [] if decl.get("type") in calculators.CALCULATORS
            for i in calculators.inputs(decl, lang)]


def _plain_fact(row: pd.Series) -> dict:
    return {k: (v.item() if hasattr(v, "item") else v) for k, v in row.items()}


def _walk(sections: list) -> list[dict]:
    """Every section, those inside ``columns`` included."""
    out = []
    for section in sections:
        if isinstance(section, dict):
            out.append(section)
            for column in section.get("columns") or [] if section.get("type") == "columns" else []:
                out += _walk(column if isinstance(column, list) else [])
    return out


# --- the build's check ---------------------------------------------------------------------------------------------
def _declared_indicators(case_file) -> set[str]:
    """Indicator ids a case declares (its file's ``indicators:`` block)."""
    return {str(i.get("indicator_id")) for i in getattr(case_file, "indicators", None) or [] if isinstance(i, dict)}


def _section_problems(section, where: str, known: set[str], calc_ids: set[str]) -> list[str]:
    if not isinstance(section, dict) or section.get("type") not in SECTIONS:
        kind = section.get("type") if isinstance(section, dict) else section
        return [f"{where}: unknown section type {kind!r} (known: {', '.join(SECTIONS)})"]
    spec = SECTIONS[section["type"]]
    problems = [f"{where} ({section['type']}): needs {key!r}" for key in spec.required if key not in section]
    for key in spec.refs:
        problems += [f"{where} ({section['type']}): {key} names a missing fact or indicator {i!r}"
                     for i in _ids(section, key) if i not in known]
    if section["type"] == "calculator" and "id" in section and str(section["id"]) not in calc_ids:
        problems.append(f"{where}: no calculator {section['id']!r} is declared under calculators:")
    if section["type"] == "columns":
        for c, column in enumerate(section.get("columns") or []):
            for s, inner in enumerate(column if isinstance(column, list) else [column]):
                problems += _section_problems(inner, f"{where}.columns[{c}][{s}]", known, calc_ids)
    return problems


def _calculator_problems(layout: dict, fact_units: dict[str, str]) -> list[tuple[str, str]]:
    problems, keys = [], {}
    for n, decl in enumerate(layout["calculators"]):
        where = f"calculators[{n}]"
        if not isinstance(decl, dict) or not decl.get("id"):
            problems.append((where, "a calculator needs an id and a type"))
            continue
        problems += [(where, line) for line in calculators.check(decl, fact_units)]
        for name, spec in (decl.get("inputs") or {}).items():
            key = spec.get("key") if isinstance(spec, dict) else None
            if key in keys:
                problems.append((where, f"input key {key!r} is used twice ({keys[key]} and {name}): links would clash"))
            keys[key] = name
    return problems


def check(tables, cases) -> list[Problem]:
    """Every section type and calculator type is known; every id a section names is a fact or indicator of its case;
    every calculator is bound to facts of the right unit family. One line per problem."""
    problems = []
    units_by_case: dict[str, dict[str, str]] = {}   # split once, not one scan of every fact per case
    for case_id, fact_id, unit in zip(*(tables["facts"][c].tolist() for c in ("case_id", "fact_id", "unit"))):
        units_by_case.setdefault(case_id, {})[fact_id] = unit
    for case_file in cases:
        case_id = str(case_file.case.get("case_id", ""))
        fact_units = units_by_case.get(case_id, {})
        known = set(fact_units) | _declared_indicators(case_file)
        layout = {key: list((case_file.layout or {}).get(key) or []) for key in LAYOUT_KEYS}
        calc_ids = {str(c.get("id")) for c in layout["calculators"] if isinstance(c, dict)}
        name = case_file.path.name
        for n, section in enumerate(layout["sections"]):
            problems += [Problem(name, f"sections[{n}]", line) for line in _section_problems(section, "section", known, calc_ids)]
        problems += [Problem(name, where, line) for where, line in _calculator_problems(layout, fact_units)]
    return problems

