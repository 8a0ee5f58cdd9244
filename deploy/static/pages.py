"""The pages of the static edition, as lists of blocks: overview, one page per case, data, articles.

Each page is built from the same metrics/ helpers and catalog texts as the app's page of the same name. Links
inside blocks are relative to the language folder (``case/xiangtan.html``, ``sources.html#f-…``); the renderer
makes them relative to the page that shows them.
"""
from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import pandas as pd

from metrics import compare, periods, views
from metrics.catalog import text
from metrics.charts import ChartSpec
from metrics.store import Dataset

from . import blocks as b
from . import sections
from .texts import say


@dataclass
class Context:
    ds: Dataset
    lang: str
    app_url: str = ""      # the live app's address, for links to its calculators ("" when there is none)

    @property
    def current_as_of(self) -> str:
        """The first article's "as of now" (what the app's shared charts use)."""
        sources = self.ds["sources"]
        return str(sources["current_as_of"].iloc[0]) if len(sources) else ""

    def as_of(self, source_id: str) -> str:
        """What 截至目前 means in one article: a case's figures are dated by their own article."""
        sources = self.ds["sources"]
        found = sources.loc[sources["source_id"] == source_id, "current_as_of"]
        return str(found.iloc[0]) if len(found) else self.current_as_of

    @property
    def source_title(self) -> str:
        sources = self.ds["sources"]
        return "；".join(sources[f"title_{self.lang}"]) if len(sources) else "—"

    @property
    def cases(self) -> pd.DataFrame:
        """The cases whose data loaded (a damaged case is left out of the edition, never shown half)."""
        cases = self.ds["cases"]
        return cases[cases["available"]] if "available" in cases else cases

    def of_case(self, table: str, case_id: str) -> pd.DataFrame:
        df = self.ds[table]
        return df[df["case_id"] == case_id]


@dataclass
class Page:
    path: str              # inside the language folder
    title: str
    blocks: list
    nav: str               # which navigation entry is current


def case_path(case_id: str) -> str:
    return f"case/{case_id}.html"


# --- case page ---------------------------------------------------------------------------------------------------

def case_pages(ctx: Context) -> Iterator[Page]:
    """One page per case: the app's own blocks for it (sections.py adapts metrics.layout.blocks_of)."""
    for case_id in ctx.cases["case_id"]:
        title, made = sections.case_page_blocks(ctx, case_id)
        yield Page(case_path(case_id), title, made, nav=case_id)


# --- overview -----------------------------------------------------------------------------------------------------

def _capped(rows: pd.DataFrame, by: str) -> tuple[pd.DataFrame, bool]:
    return views.cap_per_case(rows, views.PER_CASE, by)


def overview_page(ctx: Context) -> Page:
    """pages/overview.py's content, organised by practice family as the app is (metrics.compare.family_sections):
    each family's case cards and list, charts of one comparable indicator at a time, one timeline, what the data is.
    The static edition has no compare page, so the app's links to it are left out."""
    lg, ds = ctx.lang, ctx.ds
    asof = views.as_of_by_source(ds["sources"])   # each row dated by its own article, as the app does
    records = ctx.cases.set_index("case_id")
    out: list = [b.Text(text("overview.intro", lg))]
    shown: list[str] = []
    for section in compare.family_sections(ds["facts"], ds["cases"], ds["sources"], lg):
        out += [b.Text(getattr(section.family, f"name_{lg}"), heading=True),
                b.Text(text("overview.family.cases", lg, n=len(section.featured) + len(section.more)))]
        for case_id in section.featured:
            if case_id not in records.index:   # a damaged case is left out of the edition (and said)
                continue
            out.append(b.Figures(records.at[case_id, f"short_{lg}"], sections.headline_figures(ctx, case_id),
                                 link=(case_path(case_id), text("overview.open_case", lg))))
        if section.more:
            out.append(b.Links(text("overview.family.more", lg, n=len(section.more)),
                               [(case_path(c), records.at[c, f"short_{lg}"]) for c in section.more if c in records.index]))
        for block in section.blocks:
            spec = ChartSpec(f"family_{block.code.code}", "bar", block.chart, block.chart_title, unit=block.unit,
                             height=120 + 40 * len(block.chart))
            out.append(b.Chart(spec, sections.chart_caption(spec, sources_of(ctx, block.rows["case_id"].unique()), lg)))
            if block.not_charted:
                out.append(b.Text(text("compare.not_charted", lg, rows=block.not_charted)))
        if not section.blocks and not section.linked:
            out.append(b.Text(text("overview.family.none", lg)))
        shown += section.featured
    events, capped = _capped(views.timeline(views.of_cases(ds["events"], shown), ds["cases"], lg, asof), "date")
    out.append(b.Text(text("overview.timeline.title", lg), heading=True))
    if capped:
        out.append(b.Text(text("overview.capped", lg, n=views.PER_CASE)))
    spec = ChartSpec("timeline", "timeline", events, text("overview.timeline.title", lg), height=320)
    out += [b.Chart(spec, sections.chart_caption(spec, sources_of(ctx, shown), lg)),
            b.Text(text("overview.about.title", lg), heading=True),
            b.Text(text("overview.about.body", lg, **views.case_counts(ds.tables)))]
    return Page("index.html", text("app.title", lg), out, nav="overview")


def sources_of(ctx: Context, case_ids) -> str:
    """The titles of these cases' articles only (a caption names the sources of what it shows)."""
    known = ctx.cases.set_index("case_id")
    return sections.source_titles(ctx, known.loc[[c for c in case_ids if c in known.index], "source_id"].unique())


# --- data & sources -----------------------------------------------------------------------------------------------

TABLE_ROWS = 2000   # rows of each table written into the page; every row is in the downloads


def _capped_table(ctx: Context, title: str, frame: pd.DataFrame, **kw) -> list:
    out = [b.Text(title, heading=True)]
    if len(frame) > TABLE_ROWS:
        out.append(b.Text(say("rows.more", ctx.lang, shown=TABLE_ROWS, total=len(frame))))
    return out + [b.Table("", frame.head(TABLE_ROWS).reset_index(drop=True), **kw)]


def data_tables(ctx: Context) -> list:
    """Every fact, event, practice and indicator, in the reader's language, each figure linked to its mark."""
    lg, ds = ctx.lang, ctx.ds
    names = views.case_names(ds["cases"], lg)
    facts = views.with_display(ds["facts"], lg, "as_published", ctx.current_as_of)
    facts = facts.assign(period_text=[periods.format_period(p, lg, ctx.as_of(s))   # each article's own "now"
                                      for p, s in zip(facts["period"], facts["source_id"])])
    fact_cols = {"case": text("col.case", lg), "label": text("col.indicator", lg), "shown": text("col.value", lg),
                 "as_published": text("col.as_published", lg), "period_text": text("col.period", lg),
                 "kind_text": text("col.kind", lg), "quote": text("col.quote", lg), "fact_id": text("col.id", lg)}
    facts = facts.assign(case=facts["case_id"].map(names), _anchor=[b.anchor(f) for f in facts["fact_id"]])
    events = views.timeline(ds["events"], ds["cases"], lg, ctx.current_as_of)
    indicators = ds["indicators"]
    return [
        *_capped_table(ctx, text("data.tab.facts", lg), facts[[*fact_cols, "_anchor"]].rename(columns=fact_cols),
                       links={text("col.value", lg): "_anchor"}, table_id="facts"),
        *_capped_table(ctx, text("data.tab.events", lg), events[["case", "when", "label", "quote"]].rename(columns={
            "case": text("col.case", lg), "when": text("col.date", lg), "label": text("col.event", lg),
            "quote": text("col.quote", lg)}), table_id="events"),
        *_capped_table(ctx, text("data.tab.practices", lg), views.practices_table(ds["practices"], ds["facts"], lg)
                       .assign(**{text("col.case", lg): ds["practices"]["case_id"].map(names).to_numpy()}),
                       table_id="practices"),
        *_capped_table(ctx, text("data.tab.indicators", lg), pd.DataFrame({
            text("col.case", lg): indicators["case_id"].map(names).to_numpy(),
            text("col.indicator", lg): indicators[f"name_{lg}"].to_numpy(),
            text("col.value", lg): [views.indicator_display(r, lg) for _, r in indicators.iterrows()],
            text("col.formula", lg): indicators[f"formula_{lg}"].to_numpy(),
            text("col.caveat", lg): indicators[f"caveat_{lg}"].to_numpy(),
            text("col.id", lg): indicators["indicator_id"].to_numpy()}), table_id="indicators"),
        *dictionary_table(ctx),
    ]


def dictionary_table(ctx: Context) -> list:
    """The data dictionary (the build's, from metrics/fields.py): what every column of every table means."""
    lg, dictionary = ctx.lang, ctx.ds.tables.get("dictionary")
    if dictionary is None or dictionary.empty:
        return []
    frame = dictionary[["table", "name", "dtype", "unit", f"description_{lg}"]].rename(columns={
        "table": say("dictionary.table", lg), "name": say("dictionary.column", lg), "dtype": say("dictionary.type", lg),
        "unit": text("col.unit", lg), f"description_{lg}": say("dictionary.meaning", lg)})
    return _capped_table(ctx, text("data.tab.dictionary", lg), frame, table_id="dictionary")


def data_page(ctx: Context, downloads: list) -> Page:
    lg = ctx.lang
    return Page("data.html", text("nav.data", lg),
                [b.Text(text("data.intro", lg)), *downloads, *data_tables(ctx)], nav="data")


def sources_page(ctx: Context, articles: list) -> Page:
    return Page("sources.html", say("nav.sources", ctx.lang), articles, nav="sources")


def article_blocks(ctx: Context) -> list:
    lg, facts = ctx.lang, ctx.ds["facts"]
    out = [b.Text(text("data.article.legend", lg))]
    for source in ctx.ds["sources"].to_dict("records"):
        marks, unplaced = b.article_marks(source["normalized"], facts[facts["source_id"] == source["source_id"]])
        meta = [text("data.article.meta", lg, title=source["file"], published=source["published"]),
                *(str(source.get(f"{key}_{lg}") or "") for key in ("publisher", "published_note", "completeness_note",
                                                                    "licence"))]
        out.append(b.Article(source[f"title_{lg}"], [m for m in meta if m], str(source.get("url") or ""), marks,
                             unplaced))
    return out
