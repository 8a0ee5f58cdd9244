"""Downloads: CSV (UTF-8 with BOM so Excel shows Chinese), Excel and parquet, each with the source note and the data
dictionary of its columns (``fields.dictionary``): a second CSV in the zip, a "dictionary" sheet, parquet metadata.

Text cells that a spreadsheet would run as a formula (starting with = + - @, tab or carriage return) are
neutralized with a leading apostrophe; numbers are never touched.
"""
from __future__ import annotations

import io
import json
import zipfile

import pandas as pd

from .fields import DICTIONARY_COLUMNS

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralize_cell(value: object) -> object:
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def neutralize(df: pd.DataFrame) -> pd.DataFrame:
    """A copy in which every text cell is safe to open in a spreadsheet."""
    safe = df.copy()
    for col in safe.columns:
        if safe[col].dtype == object or pd.api.types.is_string_dtype(safe[col]):
            safe[col] = safe[col].map(neutralize_cell, na_action="ignore")
    safe.columns = [neutralize_cell(str(c)) for c in safe.columns]
    return safe


def to_csv(df: pd.DataFrame, note: str) -> bytes:
    """UTF-8 with BOM; the source note is the first line as a comment row."""
    body = neutralize(df).to_csv(index=False, lineterminator="\r\n")
    header = pd.DataFrame({"#": [neutralize_cell(note)]}).to_csv(index=False, header=False, lineterminator="\r\n")
    return ("\ufeff" + header + body).encode("utf-8")


def to_csv_zip(df: pd.DataFrame, note: str, dictionary: pd.DataFrame | None = None, name: str = "data") -> bytes:
    """A zip of the table as CSV (``to_csv``) and its data dictionary as ``dictionary.csv``, same note and encoding."""
    buffer = io.BytesIO()
    # A fixed timestamp, so the same table always gives the same bytes.
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for file, table in ((f"{name}.csv", df), ("dictionary.csv", _dictionary(dictionary))):
            archive.writestr(zipfile.ZipInfo(file, date_time=(2020, 1, 1, 0, 0, 0)), to_csv(table, note))
    return buffer.getvalue()


def to_xlsx(df: pd.DataFrame, note: str, dictionary: pd.DataFrame | None = None, sheet: str = "data") -> bytes:
    buffer = io.BytesIO()
    with pd.ExcelWriter(buffer, engine="openpyxl") as writer:
        neutralize(df).to_excel(writer, sheet_name=sheet[:31], index=False)
        pd.DataFrame({"source": [neutralize_cell(note)]}).to_excel(writer, sheet_name="source", index=False)
        neutralize(_dictionary(dictionary)).to_excel(writer, sheet_name="dictionary", index=False)
    return buffer.getvalue()


def to_parquet(df: pd.DataFrame, note: str, dictionary: pd.DataFrame | None = None) -> bytes:
    """Parquet keeps values exactly (no neutralization needed: no spreadsheet runs it). The note and the dictionary
    are metadata: the dictionary as JSON under b"dictionary", and each column's description on its field."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    table = pa.Table.from_pandas(df.reset_index(drop=True), preserve_index=False)
    described = _dictionary(dictionary).set_index("name") if dictionary is not None else None
    if described is not None:
        table = table.cast(pa.schema([_describe(f, described) for f in table.schema], metadata=table.schema.metadata))
    entries = _dictionary(dictionary).astype(object).to_dict("records")
    table = table.replace_schema_metadata({**(table.schema.metadata or {}), b"source_note": note.encode("utf-8"),
                                           b"dictionary": json.dumps(entries, ensure_ascii=False).encode("utf-8")})
    buffer = io.BytesIO()
    pq.write_table(table, buffer)
    return buffer.getvalue()


def _dictionary(dictionary: pd.DataFrame | None) -> pd.DataFrame:
    return dictionary.reset_index(drop=True) if dictionary is not None else pd.DataFrame(columns=DICTIONARY_COLUMNS)


def _describe(field, described: pd.DataFrame):
    if field.name not in described.index:
        return field
    row = described.loc[field.name]
    return field.with_metadata({b"description_zh": str(row["description_zh"]).encode("utf-8"),
                                b"description_en": str(row["description_en"]).encode("utf-8"),
                                b"unit": str(row["unit"]).encode("utf-8")})


FORMATS = {  # name → (builder(df, note, dictionary), extension, MIME type)
    "csv": (to_csv_zip, "zip", "application/zip"),
    "xlsx": (to_xlsx, "xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    "parquet": (to_parquet, "parquet", "application/vnd.apache.parquet"),
}
