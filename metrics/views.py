"""Shaping the built tables for what a page shows: selections, labels and display strings per language.

Pure pandas; the pages call these and lay out the result. Nothing here computes a new figure: derived
numbers come from the build's indicators table.
"""
from __future__ import annotations

import pandas as pd

from . import numbers, periods, units
from .catalog import text


def col(lang: str, stem: str) -> str:
    """The language column of a bilingual field: col('en', 'indicator') → 'indicator_en'."""
    return f"{stem}_{lang}"


def by_id(df: pd.DataFrame, id_column: str) -> pd.DataFrame:
    return df.set_index(id_column, drop=False)


def fact_display(row: pd.Series, lang: str, display: str = numbers.AS_PUBLISHED) -> str:
    return numbers.quantity(row["value"], row["unit"], row["qualifier"], lang, display)


def indicator_display(row: pd.Series, lang: str) -> str:
    return numbers.quantity(row["value"], row["unit"], row["qualifier"], lang)


def fact_label(row: pd.Series, lang: str) -> str:
    return f"{row[col(lang, 'indicator')]}（{row[col(lang, 'scope')]}）" if lang == "zh" else \
        f"{row['indicator_en']} ({row['scope_en']})"


def with_display(facts: pd.DataFrame, lang: str, display: str, current_as_of: str) -> pd.DataFrame:
    """Facts with the columns a table shows: label, shown value, as-published value, period in words."""
    return facts.assign(
        label=[fact_label(r, lang) for _, r in facts.iterrows()],
        shown=[fact_display(r, lang, display) for _, r in facts.iterrows()],
        as_published=[numbers.as_published(r["printed"], r["unit"], r["qualifier"]) for _, r in facts.iterrows()],
        period_text=[periods.format_period(p, lang, current_as_of) for p in facts["period"]],
        kind_text=[text(f"kind.{k}", lang) for k in facts["kind"]],
    )


def per_beneficiary(indicators: pd.DataFrame, cases: pd.DataFrame, lang: str) -> pd.DataFrame:
    """Derived averages per loan / firm / household across cases, in 万元, with the beneficiary unit spelled out."""
    rows = indicators[indicators["per_beneficiary"].fillna("") != ""]
    short = cases.set_index("case_id")[col(lang, "short")]
    return pd.DataFrame({
        "label": rows[col(lang, "name")].to_numpy(),
        "value": rows["value_base"].to_numpy(),
        "shown": [indicator_display(r, lang) for _, r in rows.iterrows()],
        "beneficiary": [text(f"unit.per.{u}", lang) for u in rows["per_beneficiary"]],
        "case": rows["case_id"].map(short).to_numpy(),
        "qualifier": rows["qualifier"].to_numpy(),
    })


def money_facts(facts: pd.DataFrame, cases: pd.DataFrame, lang: str) -> pd.DataFrame:
    """Every money figure in yuan, labelled, for a log-scale comparison across cases."""
    money = facts[facts["base_unit"] == "CNY"]
    short = cases.set_index("case_id")[col(lang, "short")]
    return pd.DataFrame({
        "label": [fact_label(r, lang) for _, r in money.iterrows()],
        "value": money["value_base"].to_numpy(),
        "shown": [fact_display(r, lang) for _, r in money.iterrows()],
        "case": money["case_id"].map(short).to_numpy(),
        "quote": money["quote"].to_numpy(),
    }).sort_values("value", ascending=True, kind="stable")


def timeline(events: pd.DataFrame, cases: pd.DataFrame, lang: str, current_as_of: str = "") -> pd.DataFrame:
    short = cases.set_index("case_id")[col(lang, "short")]
    return pd.DataFrame({
        "date": pd.to_datetime(events["date_sort"]).to_numpy(),
        "when": [periods.format_period(d, lang, current_as_of) for d in events["date"]],
        "shown": [periods.format_period(d, lang, current_as_of) for d in events["date"]],
        "label": events[col(lang, "label")].to_numpy(),
        "case": events["case_id"].map(short).to_numpy(),
        "quote": events["quote"].to_numpy(),
    }).sort_values("date", kind="stable")


def practices_table(practices: pd.DataFrame, facts: pd.DataFrame, lang: str) -> pd.DataFrame:
    """Model → applied to → result (the linked facts, shown with unit and qualifier) → source text."""
    fact_rows = by_id(facts, "fact_id")
    def results(ids: str) -> str:
        found = [fid for fid in ids.split(",") if fid in fact_rows.index]
        return "；".join(f"{fact_rows.at[f, col(lang, 'indicator')]} {fact_display(fact_rows.loc[f], lang)}" for f in found)
    return pd.DataFrame({
        text("col.practice", lang): practices[col(lang, "name")].to_numpy(),
        text("col.model", lang): practices[col(lang, "model")].to_numpy(),
        text("col.applied_to", lang): practices[col(lang, "applied_to")].to_numpy(),
        text("col.result", lang): [results(ids) for ids in practices["result_fact_ids"]],
        text("col.quote", lang): practices["quote"].to_numpy(),
    })


def values(facts: pd.DataFrame, ids: list[str], lang: str, label_keys: list[str] | None = None) -> pd.DataFrame:
    """Chosen facts (in the given order) as label / value (base units) / shown, for a chart."""
    rows = by_id(facts, "fact_id").loc[[i for i in ids if i in set(facts["fact_id"])]]
    labels = [text(k, lang) for k in label_keys] if label_keys else [fact_label(r, lang) for _, r in rows.iterrows()]
    return pd.DataFrame({"label": labels[:len(rows)], "value": rows["value_base"].to_numpy(),
                         "shown": [fact_display(r, lang) for _, r in rows.iterrows()],
                         "qualifier": rows["qualifier"].to_numpy(), "quote": rows["quote"].to_numpy(),
                         "id": rows["fact_id"].to_numpy()})


def case_counts(tables: dict[str, pd.DataFrame]) -> dict[str, int]:
    return {name: len(tables[name]) for name in ("facts", "events", "practices", "indicators", "cases", "sources")}


def indicator_values(indicators: pd.DataFrame, ids: list[str], lang: str) -> pd.DataFrame:
    """Chosen derived indicators in the same shape as :func:`values` (quote = the formula in words)."""
    rows = by_id(indicators, "indicator_id").loc[[i for i in ids if i in set(indicators["indicator_id"])]]
    return pd.DataFrame({"label": rows[col(lang, "name")].to_numpy(), "value": rows["value_base"].to_numpy(),
                         "shown": [indicator_display(r, lang) for _, r in rows.iterrows()],
                         "qualifier": rows["qualifier"].to_numpy(), "quote": rows[col(lang, "formula")].to_numpy(),
                         "id": rows["indicator_id"].to_numpy()})


def tree(facts: pd.DataFrame, total_id: str, part_ids: list[str], lang: str) -> pd.DataFrame:
    """A total and its parts (an identity the build checked) as treemap rows: label / parent / value / shown."""
    rows = values(facts, [total_id, *part_ids], lang)
    names = by_id(facts, "fact_id")[col(lang, "indicator")]
    rows["label"] = [names[i] for i in rows["id"]]
    rows["parent"] = [""] + [rows["label"].iloc[0]] * (len(rows) - 1)
    return rows


def stack(*frames: pd.DataFrame) -> pd.DataFrame:
    return pd.concat(frames, ignore_index=True)


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
