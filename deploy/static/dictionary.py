"""The data dictionary shipped with the downloads: every column of every table, its type and an example."""
from __future__ import annotations

import pandas as pd

from metrics.store import Dataset

TABLES = ("facts", "events", "practices", "indicators", "cases", "sources")
LONG_TEXT = 80   # examples are cut to this many characters (the sources table holds whole articles)


def _example(series: pd.Series) -> str:
    values = series.dropna()
    values = values[values.astype(str) != ""]
    if values.empty:
        return ""
    value = str(values.iloc[0])
    return value if len(value) <= LONG_TEXT else value[:LONG_TEXT - 1] + "…"


def data_dictionary(ds: Dataset) -> pd.DataFrame:
    rows = [{"table": name, "column": column, "type": str(ds[name][column].dtype), "example": _example(ds[name][column])}
            for name in TABLES for column in ds[name].columns if column != "source_file"]
    return pd.DataFrame(rows, columns=["table", "column", "type", "example"])
