"""The case finder of a large collection: search the cases by name or place, narrowed by province and practice
family, results grouped by province then family (pure pandas; the finder page lays it out).

With a few dozen cases the navigation lists every case; with thousands a list is useless and costly (building one
navigation entry per case took about 2 s a run at 20,000 cases), so the navigation lists none and this finds them.
"""
from __future__ import annotations

import pandas as pd

from .views import memo

LISTED_CASES = 30   # up to this many cases the navigation lists every case (18 today); above it, this finder
SHOWN = 60        # cases listed at once: enough to scan, a narrower search finds the rest
SEARCHED = ("short_zh", "short_en", "title_zh", "title_en", "locality_zh", "locality_en", "case_id")


@memo
def index(cases: pd.DataFrame, families: dict[str, str], lang: str) -> pd.DataFrame:
    """One row per case: id, name, locality, province and family (keys: the Chinese province name and the family
    code, stable in links; labels in ``lang``) and the lower-cased text searched."""
    text = cases[list(SEARCHED)].astype("string").fillna("")
    searched = text.iloc[:, 0].str.cat(text.iloc[:, 1:], sep=" ").str.lower()
    return pd.DataFrame({
        "case_id": cases["case_id"].to_numpy(), "name": cases[f"short_{lang}"].to_numpy(),
        "locality": cases[f"locality_{lang}"].to_numpy(), "province_key": cases["province_zh"].to_numpy(),
        "province": cases[f"province_{lang}"].to_numpy(), "family_key": cases["family"].to_numpy(),
        "family": [families.get(f, f) for f in cases["family"]], "text": searched.to_numpy(),
    })


def find(index: pd.DataFrame, query: str = "", province: str = "", family: str = "") -> pd.DataFrame:
    """The cases whose name, title, locality or id contains ``query`` (case-insensitive, plain text), in the chosen
    province and family (their keys; empty: any)."""
    rows = index
    if province:
        rows = rows[rows["province_key"] == province]
    if family:
        rows = rows[rows["family_key"] == family]
    query = query.strip().lower()
    if query:
        rows = rows[rows["text"].str.contains(query, regex=False)]
    return rows


def groups(found: pd.DataFrame, limit: int = SHOWN) -> list[tuple[str, list[tuple[str, pd.DataFrame]]]]:
    """The first ``limit`` found cases as [(province, [(family, rows), …]), …], provinces and families in the order
    they first appear (the collection's order)."""
    shown = found.iloc[:limit]
    return [(province, list(by_province.groupby("family", sort=False)))
            for province, by_province in shown.groupby("province", sort=False)]


@memo
def summary(index: pd.DataFrame) -> pd.DataFrame:
    """Cases per province (rows, most cases first) and family (columns): the collection at a glance."""
    table = pd.crosstab(index["province"], index["family"])
    return table.loc[table.sum(axis=1).sort_values(ascending=False, kind="stable").index]


@memo
def options(index: pd.DataFrame, key: str, label: str) -> dict[str, str]:
    """Key → label of the provinces or families, most cases first (ties in the collection's order)."""
    labels = dict(zip(index[key], index[label]))
    return {k: labels[k] for k in index[key].value_counts(sort=True).index}
