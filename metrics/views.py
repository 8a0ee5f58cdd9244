"""Shaping the built tables for what a page shows: selections, labels and display strings per language.

Pure pandas; the pages call these and lay out the result. Nothing here computes a new figure: derived
numbers come from the build's indicators table.
"""
from __future__ import annotations

import functools
import threading
import weakref
from collections import Counter, OrderedDict

import pandas as pd

from . import numbers, periods
from .catalog import text

_MEMO_SIZE = 512


def memo(func):
    """Remember ``func``'s result for the same input frames (by identity) and the same other arguments.

    Pages pass the dataset's tables (and per-case slices of them), which are read-only and live as long as the
    dataset: what is shaped from them for a language is the same on every run, so it is made once. A frame is
    remembered by a weak reference, so a new frame that reuses a dead one's id is never mistaken for it, and
    nothing is kept alive. Callers get a shallow copy (copy-on-write): changing it never changes the memo.
    """
    cache: OrderedDict = OrderedDict()
    lock = threading.Lock()

    @functools.wraps(func)
    def remembered(*args, **kwargs):
        frames = [a for a in (*args, *kwargs.values()) if isinstance(a, (pd.DataFrame, pd.Series))]
        try:
            key = (tuple(id(a) if isinstance(a, (pd.DataFrame, pd.Series)) else _frozen(a) for a in args),
                   tuple(sorted((k, id(v) if isinstance(v, (pd.DataFrame, pd.Series)) else _frozen(v))
                                for k, v in kwargs.items())))
            hash(key)
        except TypeError:
            return func(*args, **kwargs)
        with lock:
            hit = cache.get(key)
            if hit is not None and all(ref() is frame for ref, frame in zip(hit[0], frames)):
                cache.move_to_end(key)
                return _copy(hit[1])
        result = func(*args, **kwargs)
        with lock:
            cache[key] = ([weakref.ref(f) for f in frames], result)
            while len(cache) > _MEMO_SIZE:
                cache.popitem(last=False)
        return _copy(result)
    return remembered


def _frozen(value):
    if isinstance(value, dict):   # in order: a dict's order is part of what it means here (a chart's bars)
        return ("__dict__", tuple(value.items()))
    return tuple(value) if isinstance(value, list) else value


def _copy(value):
    return value.copy(deep=False) if isinstance(value, (pd.DataFrame, pd.Series)) else value


def col(lang: str, stem: str) -> str:
    """The language column of a bilingual field: col('en', 'indicator') → 'indicator_en'."""
    return f"{stem}_{lang}"


@memo
def by_id(df: pd.DataFrame, id_column: str) -> pd.DataFrame:
    return df.set_index(id_column, drop=False)


# What the per-row helpers below read: rows are made of these columns only (pandas builds every column of
# every row otherwise, which cost more than the formatting itself).
_ROW_FIELDS = ("value", "unit", "qualifier", "printed", "indicator_zh", "indicator_en", "scope_zh", "scope_en",
               "source_id")


def _rows(df: pd.DataFrame) -> list[dict]:
    """Rows as plain dicts of the fields the helpers read (faster than iterrows() or to_dict("records"))."""
    fields = [c for c in _ROW_FIELDS if c in df.columns]
    return [dict(zip(fields, values)) for values in zip(*(df[c].tolist() for c in fields))]


def distinct_labels(labels: list[str], cases: list[str]) -> list[str]:
    """Axis labels that never merge two bars: a label that more than one row carries gets its case added ("… ·
    湘潭"), and one still repeated within a case gets a running number. Unique labels stay as they are."""
    counts = Counter(labels)
    labelled = [f"{label} · {case}" if counts[label] > 1 else label for label, case in zip(labels, cases)]
    again, seen = Counter(labelled), Counter()
    out = []
    for label in labelled:
        seen[label] += 1
        out.append(f"{label} ({seen[label]})" if again[label] > 1 else label)
    return out


def fact_display(row: pd.Series, lang: str, display: str = numbers.AS_PUBLISHED) -> str:
    """A published figure as shown: in the unit switch's unit, with every decimal the article printed."""
    keep = numbers.printed_digits(row["printed"]) if "printed" in row else 0
    return numbers.quantity(row["value"], row["unit"], row["qualifier"], lang, display, keep)


def indicator_display(row: pd.Series, lang: str) -> str:
    return numbers.quantity(row["value"], row["unit"], row["qualifier"], lang)


def fact_label(row: pd.Series, lang: str) -> str:
    return f"{row[col(lang, 'indicator')]}（{row[col(lang, 'scope')]}）" if lang == "zh" else \
        f"{row['indicator_en']} ({row['scope_en']})"


def as_of_by_source(sources: pd.DataFrame) -> tuple[tuple[str, str], ...]:
    """(source_id, current_as_of) of every source: what 截至目前 means differs from article to article."""
    return tuple(zip(sources["source_id"].astype(str), sources["current_as_of"].astype(str)))


def as_of_of_rows(df: pd.DataFrame, as_of) -> list[str]:
    """Each row's "as of now" date: its own source's (``as_of`` from :func:`as_of_by_source`), or one date for all."""
    if isinstance(as_of, str):
        return [as_of] * len(df)
    dates = dict(as_of)
    ids = df["source_id"].tolist() if "source_id" in df.columns else [""] * len(df)
    return [dates.get(str(i), "") for i in ids]


@memo
def with_display(facts: pd.DataFrame, lang: str, display: str, current_as_of) -> pd.DataFrame:
    """Facts with the columns a table shows: label, shown value, as-published value, period in words (截至目前
    dated by each figure's own source when ``current_as_of`` is per source)."""
    # Rows as plain dicts (_rows), not iterrows(): building a Series per row cost more than the formatting.
    return facts.assign(
        label=[fact_label(r, lang) for r in _rows(facts)],
        shown=[fact_display(r, lang, display) for r in _rows(facts)],
        as_published=[numbers.as_published(r["printed"], r["unit"], r["qualifier"]) for r in _rows(facts)],
        period_text=[periods.format_period(p, lang, a) for p, a in zip(facts["period"], as_of_of_rows(facts, current_as_of))],
        kind_text=[text(f"kind.{k}", lang) for k in facts["kind"]],
    )


FEATURED_CASES = 6      # the overview compares at most this many cases: its size stays the same as the base grows
PER_CASE = 12           # … and at most this many rows of each in a chart (today's cases have at most 11)
TABLE_PAGE_ROWS = 100   # rows of a data table sent to the browser at a time: as fast at a million rows as at fifty


@memo
def featured(cases: pd.DataFrame, limit: int = FEATURED_CASES) -> pd.DataFrame:
    """The cases the overview shows as cards and compares in its charts: the first ``limit`` in the cases table."""
    return cases.head(limit)


def of_cases(df: pd.DataFrame, case_ids: list[str]) -> pd.DataFrame:
    """A table's rows that belong to the given cases."""
    return df[df["case_id"].isin(case_ids)]


def cap_per_case(rows: pd.DataFrame, n: int, by: str) -> tuple[pd.DataFrame, bool]:
    """Chart rows (with a ``case`` column) keeping each case's ``n`` largest by ``by``, in their order; and whether
    any row was left out."""
    kept = rows.sort_values(by, kind="stable").groupby("case", sort=False).tail(n)
    return rows.loc[rows.index.isin(kept.index)], len(kept) < len(rows)


@memo
def case_names(cases: pd.DataFrame, lang: str) -> pd.Series:
    """Each case's short name in ``lang``, indexed by case_id."""
    return cases.set_index("case_id")[col(lang, "short")]


@memo
def per_beneficiary(indicators: pd.DataFrame, cases: pd.DataFrame, lang: str) -> pd.DataFrame:
    """Derived averages per loan / firm / household across cases, in 万元, with the beneficiary unit spelled out."""
    rows = indicators[indicators["per_beneficiary"].fillna("") != ""]
    short = case_names(cases, lang)
    names = rows["case_id"].map(short).tolist()
    return pd.DataFrame({
        "label": distinct_labels(rows[col(lang, "name")].tolist(), names),
        "value": rows["value_base"].to_numpy(),
        "shown": [indicator_display(r, lang) for r in _rows(rows)],
        "beneficiary": [text(f"unit.per.{u}", lang) for u in rows["per_beneficiary"]],
        "case": rows["case_id"].map(short).to_numpy(),
        "qualifier": rows["qualifier"].to_numpy(),
    })


@memo
def money_facts(facts: pd.DataFrame, cases: pd.DataFrame, lang: str) -> pd.DataFrame:
    """Every money figure in yuan, labelled, for a log-scale comparison across cases."""
    money = facts[facts["base_unit"] == "CNY"]
    short = case_names(cases, lang)
    return pd.DataFrame({
        "label": distinct_labels([fact_label(r, lang) for r in _rows(money)], money["case_id"].map(short).tolist()),
        "value": money["value_base"].to_numpy(),
        "shown": [fact_display(r, lang) for r in _rows(money)],
        "case": money["case_id"].map(short).to_numpy(),
        "quote": money["quote"].to_numpy(),
    }).sort_values("value", ascending=True, kind="stable")


@memo
def timeline(events: pd.DataFrame, cases: pd.DataFrame, lang: str, current_as_of="") -> pd.DataFrame:
    short = case_names(cases, lang)
    when = [periods.format_period(d, lang, a) for d, a in zip(events["date"], as_of_of_rows(events, current_as_of))]
    return pd.DataFrame({
        "date": pd.to_datetime(events["date_sort"]).to_numpy(),
        "when": when,
        "shown": when,
        "label": events[col(lang, "label")].to_numpy(),
        "case": events["case_id"].map(short).to_numpy(),
        "quote": events["quote"].to_numpy(),
    }).sort_values("date", kind="stable")


@memo
def practices_table(practices: pd.DataFrame, facts: pd.DataFrame, lang: str) -> pd.DataFrame:
    """Model → applied to → result (the linked facts, shown with unit, qualifier and every printed decimal) → the
    results as published → source text."""
    fact_rows = by_id(facts, "fact_id")

    def found(ids: str) -> list[str]:
        return [fid for fid in ids.split(",") if fid in fact_rows.index]

    def results(ids: str) -> str:
        return "；".join(f"{fact_rows.at[f, col(lang, 'indicator')]} {fact_display(fact_rows.loc[f], lang)}" for f in found(ids))

    def printed(ids: str) -> str:
        return "；".join(numbers.as_published(*fact_rows.loc[f, ["printed", "unit", "qualifier"]]) for f in found(ids))
    return pd.DataFrame({
        text("col.practice", lang): practices[col(lang, "name")].to_numpy(),
        text("col.model", lang): practices[col(lang, "model")].to_numpy(),
        text("col.applied_to", lang): practices[col(lang, "applied_to")].to_numpy(),
        text("col.result", lang): [results(ids) for ids in practices["result_fact_ids"]],
        text("col.as_published", lang): [printed(ids) for ids in practices["result_fact_ids"]],
        text("col.quote", lang): practices["quote"].to_numpy(),
        text("col.note", lang): practices[col(lang, "note")].fillna("").to_numpy(),   # e.g. whose results these are
    })


@memo
def values(facts: pd.DataFrame, ids: list[str], lang: str, label_keys: list[str] | None = None) -> pd.DataFrame:
    """Chosen facts (in the given order) as label / value (base units) / shown, for a chart."""
    known = set(facts["fact_id"].tolist())   # once, not once per id
    rows = by_id(facts, "fact_id").loc[[i for i in ids if i in known]]
    labels = [text(k, lang) for k in label_keys] if label_keys else [fact_label(r, lang) for r in _rows(rows)]
    return pd.DataFrame({"label": labels[:len(rows)], "value": rows["value_base"].to_numpy(),
                         "shown": [fact_display(r, lang) for r in _rows(rows)],
                         "qualifier": rows["qualifier"].to_numpy(), "quote": rows["quote"].to_numpy(),
                         "id": rows["fact_id"].to_numpy()})


def case_counts(tables: dict[str, pd.DataFrame]) -> dict[str, int]:
    return {name: len(tables[name]) for name in ("facts", "events", "practices", "indicators", "cases", "sources")}


@memo
def indicator_values(indicators: pd.DataFrame, ids: list[str], lang: str) -> pd.DataFrame:
    """Chosen derived indicators in the same shape as :func:`values` (quote = the formula in words)."""
    known = set(indicators["indicator_id"].tolist())   # once, not once per id
    rows = by_id(indicators, "indicator_id").loc[[i for i in ids if i in known]]
    return pd.DataFrame({"label": rows[col(lang, "name")].to_numpy(), "value": rows["value_base"].to_numpy(),
                         "shown": [indicator_display(r, lang) for r in _rows(rows)],
                         "qualifier": rows["qualifier"].to_numpy(), "quote": rows[col(lang, "formula")].to_numpy(),
                         "id": rows["indicator_id"].to_numpy()})


@memo
def tree(facts: pd.DataFrame, total_id: str, part_ids: list[str], lang: str) -> pd.DataFrame:
    """A total and its parts (an identity the build checked) as treemap rows: label / parent / value / shown."""
    rows = values(facts, [total_id, *part_ids], lang)
    names = by_id(facts, "fact_id")[col(lang, "indicator")]
    rows["label"] = [names[i] for i in rows["id"]]
    rows["parent"] = [""] + [rows["label"].iloc[0]] * (len(rows) - 1)
    return rows


def stack(*frames: pd.DataFrame) -> pd.DataFrame:
    return pd.concat(frames, ignore_index=True)


@memo   # calculator outputs: the same inputs give the same rows, so a rerun with unchanged inputs shapes nothing
def amounts(parts: dict[str, float], lang: str, bar: str = "") -> pd.DataFrame:
    """Computed amounts in yuan (calculator outputs) as chart rows: label / value / shown (/ bar for stacking)."""
    return pd.DataFrame({"label": list(parts), "value": list(parts.values()),
                         "shown": [numbers.auto_money(v, "exact", lang) for v in parts.values()], "bar": bar})


def search(df: pd.DataFrame, query: str, columns: list[str]) -> pd.DataFrame:
    """Rows where any of ``columns`` contains ``query`` (plain text, case-insensitive; no regex)."""
    query = query.strip()
    if not query:
        return df
    hits = pd.Series(False, index=df.index)
    for column in columns:
        hits |= df[column].astype("string").str.contains(query, case=False, regex=False, na=False)
    return df[hits]


def select(df: pd.DataFrame, case_ids: list[str], kinds: list[str] | None = None) -> pd.DataFrame:
    """Rows of the chosen cases (all if none chosen) and, where the table has kinds, of the chosen kinds."""
    if case_ids:
        df = df[df["case_id"].isin(case_ids)]
    if kinds and "kind" in df.columns:
        df = df[df["kind"].isin(kinds)]
    return df


def marked_article(normalized: str, facts: pd.DataFrame) -> list[tuple[str, str]]:
    """The normalized article as (text, fact_id) segments; fact_id is '' for plain text, else a marked figure."""
    spans = sorted((int(s), int(e), f) for s, e, f in zip(facts["printed_start"], facts["printed_end"], facts["fact_id"])
                   if s >= 0)
    segments, cursor = [], 0
    for start, end, fact_id in spans:
        if start < cursor:  # overlapping marks (a ratio's terms share one span): keep the first
            continue
        segments += [(normalized[cursor:start], ""), (normalized[start:end], fact_id)]
        cursor = end
    segments.append((normalized[cursor:], ""))
    return [(text_, fid) for text_, fid in segments if text_]
