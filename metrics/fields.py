"""The field dictionary: every column of every built table, once (name, type, unit, meaning in zh/en, required).

Everything else about columns is generated from it: the column lists the build writes and the store requires
(``columns``), the pandera schemas (``schema.py``), and the data dictionary table that the build writes to
``data/dictionary.parquet`` and every download carries (``dictionary``).

``origin`` says who fills a field: the curator in a case file (``case``), in an article's metadata (``article``),
or the build (``build``). Only curated fields are checked value by value; a built field is checked by its type.
``rule`` names a value check in ``schema.RULES``. ``unique`` is "table" when pandera checks it within the table and
"ids" when ``checks.check_unique_ids`` / ``indicators.check_ids`` check it across every record of every case.
"""
from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

TABLES = ("cases", "sources", "facts", "events", "practices", "indicators")


@dataclass(frozen=True)
class Field:
    table: str
    name: str
    dtype: str            # string | float64 | int64 | bool
    description_zh: str
    description_en: str
    required: bool = False
    unit: str = ""
    origin: str = "case"  # case | article | build
    rule: str = ""        # a value check of schema.RULES
    unique: str = ""      # "" | table | ids


def _fields(table: str, origin: str, *rows: tuple) -> list[Field]:
    """Rows of (name, dtype, zh, en, required[, unit[, rule[, unique[, origin]]]]) as Fields of one table."""
    out = []
    for name, dtype, zh, en, required, *rest in rows:
        unit, rule, unique, own_origin = (*rest, "", "", "", "")[:4]
        out.append(Field(table, name, dtype, zh, en, required, unit, own_origin or origin, rule, unique))
    return out


S, F, INT, B = "string", "float64", "int64", "bool"
BUILD = "build"
_SOURCE_FILE = ("source_file", S, "记录所在的源文件名", "Source file the record comes from", True, "", "", "", BUILD)
_CASE_ID = ("case_id", S, "案例编号", "Case id", True, "", "id", "", BUILD)
_SOURCE_ID = ("source_id", S, "来源文章编号", "Id of the source article", True, "", "", "", BUILD)
_QUOTE = ("quote", S, "原文引文（规范化后原文的子串）", "Quote: a substring of the normalized article", True)
_QUOTE_START = ("quote_start", INT, "引文在规范化原文中的起始位置", "Where the quote starts in the normalized article", True,
                "字符 characters", "", "", BUILD)

FIELDS: tuple[Field, ...] = (
    *_fields(
        "cases", "case",
        ("case_id", S, "案例编号（小写字母、数字、下划线）", "Case id (lower-case letters, digits, _)", True, "", "id", "table"),
        ("order", INT, "案例顺序（按文章中出现的先后）", "Order of the case (as its article prints them)", True, "", "", "", BUILD),
        ("source_id", S, "来源文章编号", "Id of the source article", True),
        ("family", S, "实践类别（families.yaml）", "Practice family (families.yaml)", False),
        ("title_zh", S, "案例标题（中文）", "Case title (Chinese)", True),
        ("title_en", S, "案例标题（英文）", "Case title (English)", True),
        ("short_zh", S, "导航短名（中文）", "Short name for navigation (Chinese)", True),
        ("short_en", S, "导航短名（英文）", "Short name for navigation (English)", True),
        ("locality_zh", S, "地区（中文）", "Locality (Chinese)", True),
        ("locality_en", S, "地区（英文）", "Locality (English)", True),
        ("province_zh", S, "省份（中文）", "Province (Chinese)", False),
        ("province_en", S, "省份（英文）", "Province (English)", False),
        ("division_code", S, "行政区划代码（GB/T 2260，6位）", "Administrative division code (GB/T 2260, 6 digits)", True, "",
         "division_code"),
        ("author_zh", S, "署名作者（中文）", "Author as printed (Chinese)", False),
        ("author_en", S, "署名作者（英文）", "Author as printed (English)", False),
        ("layout", S, "案例页版面（sections、calculators，JSON）", "Case page layout (sections, calculators; JSON)", True, "", "",
         "", BUILD),
        _SOURCE_FILE,
    ),
    *_fields(
        "sources", "article",
        ("source_id", S, "来源文章编号", "Source article id", True, "", "", "table"),
        ("title_zh", S, "文章标题（中文）", "Article title (Chinese)", True),
        ("title_en", S, "文章标题（英文）", "Article title (English)", True),
        ("url", S, "原文网址（不知道时留空）", "Address of the article (empty when unknown)", False, "", "url"),
        ("publisher_zh", S, "发布者或刊物（中文）", "Publisher or periodical (Chinese)", False),
        ("publisher_en", S, "发布者或刊物（英文）", "Publisher or periodical (English)", False),
        ("column_zh", S, "栏目（中文）", "Column (Chinese)", False),
        ("column_en", S, "栏目（英文）", "Column (English)", False),
        ("published", S, "发表日期（ISO：2022、2022-10 或 2022-10-26）", "Publication date (ISO: 2022, 2022-10 or 2022-10-26)",
         False, "", "date"),
        ("published_note_zh", S, "发表日期从何得知（中文）", "How the publication date is known (Chinese)", False),
        ("published_note_en", S, "发表日期从何得知（英文）", "How the publication date is known (English)", False),
        ("licence_zh", S, "版权与使用说明（中文）", "Licence and terms of use (Chinese)", True),
        ("licence_en", S, "版权与使用说明（英文）", "Licence and terms of use (English)", True),
        ("current_as_of", S, "本文“截至目前”所指的时间（ISO）", "What 'as of now' (截至目前) means in this article (ISO)", False,
         "", "date"),
        ("completeness", S, "原文是否完整：complete 或 truncated", "Whether the text is whole: complete or truncated", False, "",
         "completeness"),
        ("completeness_note_zh", S, "完整性说明（缺了什么，中文）", "What is missing, if anything (Chinese)", False),
        ("completeness_note_en", S, "完整性说明（英文）", "What is missing, if anything (English)", False),
        ("file", S, "原文文件名", "File name of the article text", True, "", "", "", BUILD),
        ("sha256", S, "原文文件的 SHA-256", "SHA-256 of the article text file", True, "", "", "", BUILD),
        ("text", S, "原文（按收到时原样）", "The article text exactly as received", True, "", "", "", BUILD),
        ("normalized", S, "规范化原文（引文据此核对）", "The normalized text quotes are checked against", True, "", "", "", BUILD),
        _SOURCE_FILE,
    ),
    *_fields(
        "facts", "case",
        _CASE_ID,
        ("fact_id", S, "数字编号（所有案例中唯一）", "Figure id (unique across every case)", True, "", "id", "ids"),
        ("indicator_zh", S, "指标名称（中文）", "Indicator name (Chinese)", True),
        ("indicator_en", S, "指标名称（英文）", "Indicator name (English)", True),
        ("scope_zh", S, "口径（全市、市本级……）", "Scope (city-wide, city-level …), Chinese", True),
        ("scope_en", S, "口径（英文）", "Scope (English)", True),
        ("period", S, "时期（ISO 文本，或 current 表示截至目前）", "Period (ISO text, or current for 'as of now')", True),
        ("kind", S, "类型（actual、cumulative、target……）", "Kind (actual, cumulative, target …)", True, "", "kind"),
        ("printed", S, "原文所印数字", "The number exactly as printed", True),
        ("value", F, "数值（与所印相同）", "Value, as printed", True, "见 unit see unit", "nonneg"),
        ("unit", S, "单位（原文所印，units.yaml）", "Unit as printed (units.yaml)", True, "", "unit"),
        ("qualifier", S, "限定（exact、at_least ≥、at_most ≤、approx ≈）", "Qualifier (exact, at_least ≥, at_most ≤, approx ≈)",
         True, "", "qualifier"),
        ("value_base", F, "换算为基本单位的数值", "Value in the base unit", True, "见 base_unit see base_unit", "", "", BUILD),
        ("base_unit", S, "基本单位（CNY、count、ratio……）", "Base unit (CNY, count, ratio …)", True, "", "", "", BUILD),
        _QUOTE,
        _SOURCE_ID,
        ("note_zh", S, "读者须知（中文）", "What a reader must know (Chinese)", False),
        ("note_en", S, "读者须知（英文）", "What a reader must know (English)", False),
        ("code", S, "可比指标代码（codelist.yaml）", "Comparable indicator code (codelist.yaml)", False),
        ("headline", B, "是否为案例的核心数字", "Whether the case shows it as a headline figure", True, "", "", "", BUILD),
        _QUOTE_START,
        ("printed_start", INT, "所印数字在规范化原文中的起点", "Where the printed number starts in the normalized article", True,
         "字符 characters", "", "", BUILD),
        ("printed_end", INT, "所印数字在规范化原文中的终点", "Where the printed number ends in the normalized article", True,
         "字符 characters", "", "", BUILD),
        ("period_sort", S, "时期排序键", "Sort key of the period", True, "", "", "", BUILD),
        _SOURCE_FILE,
    ),
    *_fields(
        "events", "case",
        _CASE_ID,
        ("event_id", S, "事件编号", "Event id", True, "", "id", "ids"),
        ("date", S, "日期（ISO：2022、2022-06、2023-05-31 或区间）", "Date (ISO: 2022, 2022-06, 2023-05-31 or an interval)", True),
        ("label_zh", S, "事件说明（中文）", "What happened (Chinese)", True),
        ("label_en", S, "事件说明（英文）", "What happened (English)", True),
        _QUOTE,
        _SOURCE_ID,
        _QUOTE_START,
        ("date_sort", S, "日期排序键", "Sort key of the date", True, "", "", "", BUILD),
        _SOURCE_FILE,
    ),
    *_fields(
        "practices", "case",
        _CASE_ID,
        ("practice_id", S, "做法编号", "Practice id", True, "", "id", "ids"),
        ("name_zh", S, "做法名称（中文）", "Practice name (Chinese)", True),
        ("name_en", S, "做法名称（英文）", "Practice name (English)", True),
        ("model_zh", S, "原文所述模式（中文）", "Model as printed (Chinese)", False),
        ("model_en", S, "模式（英文）", "Model (English)", False),
        ("applied_to_zh", S, "适用对象（中文）", "What it was applied to (Chinese)", False),
        ("applied_to_en", S, "适用对象（英文）", "What it was applied to (English)", False),
        ("result_fact_ids", S, "成果数字编号（逗号分隔）", "Ids of the figures reporting its results (comma-separated)", False,
         "", "", "", BUILD),
        _QUOTE,
        ("note_zh", S, "读者须知（中文）", "What a reader must know (Chinese)", False),
        ("note_en", S, "读者须知（英文）", "What a reader must know (English)", False),
        _SOURCE_ID,
        _QUOTE_START,
        _SOURCE_FILE,
    ),
    *_fields(
        "indicators", "case",
        _CASE_ID,
        ("indicator_id", S, "派生指标编号", "Derived indicator id", True, "", "id", "ids"),
        ("name_zh", S, "派生指标名称（中文）", "Derived indicator name (Chinese)", True),
        ("name_en", S, "派生指标名称（英文）", "Derived indicator name (English)", True),
        ("formula", S, "公式（数字编号与 + − × ÷）", "Formula over figure ids (+ − × ÷)", True),
        ("formula_zh", S, "公式的文字表述（中文）", "The formula in words (Chinese)", True, "", "", "", BUILD),
        ("formula_en", S, "公式的文字表述（英文）", "The formula in words (English)", True, "", "", "", BUILD),
        ("inputs", S, "公式所用数字编号（逗号分隔）", "Figure ids the formula reads (comma-separated)", True, "", "", "", BUILD),
        ("value", F, "计算结果（按 unit）", "Result, in unit", True, "见 unit see unit", "finite", "", BUILD),
        ("unit", S, "显示单位（units.yaml）", "Display unit (units.yaml)", True, "", "unit"),
        ("qualifier", S, "限定（由区间运算得出）", "Qualifier (from interval arithmetic)", True, "", "qualifier", "", BUILD),
        ("value_base", F, "基本单位下的结果", "Result in the base unit", True, "见 base_unit see base_unit", "", "", BUILD),
        ("base_unit", S, "基本单位", "Base unit", True, "", "", "", BUILD),
        ("lo_base", F, "区间下限（基本单位；空为无下限）", "Lower bound in the base unit (empty: unbounded)", False,
         "见 base_unit see base_unit", "", "", BUILD),
        ("hi_base", F, "区间上限（基本单位；空为无上限）", "Upper bound in the base unit (empty: unbounded)", False,
         "见 base_unit see base_unit", "", "", BUILD),
        ("caveat_zh", S, "可比性提示（中文）", "Caveat on what the figure can mean (Chinese)", False),
        ("caveat_en", S, "可比性提示（英文）", "Caveat on what the figure can mean (English)", False),
        ("mixes_scopes", B, "是否混合不同口径", "Whether it mixes scopes", True),
        ("per_beneficiary", S, "按受益对象平均时的计数单位（笔、家、户）", "Count unit when an average per beneficiary (笔, 家, 户)",
         False),
        ("derived", B, "派生数字（恒为真）", "Derived by us (always true)", True, "", "", "", BUILD),
        _SOURCE_FILE,
    ),
)

DICTIONARY_COLUMNS = ["table", "name", "dtype", "unit", "description_zh", "description_en", "required", "origin"]


def of(table: str) -> list[Field]:
    return [f for f in FIELDS if f.table == table]


def columns(table: str) -> list[str]:
    """The table's columns, in the order the build writes them."""
    return [f.name for f in of(table)]


def dictionary(table: str | None = None, names: list[str] | None = None) -> pd.DataFrame:
    """The data dictionary (optionally one table's, for the given columns in their order) as a table."""
    chosen = [f for f in FIELDS if table in (None, f.table)]
    if names is not None:
        by_name = {f.name: f for f in chosen}
        chosen = [by_name[n] for n in names if n in by_name]
    df = pd.DataFrame([{c: getattr(f, c) for c in DICTIONARY_COLUMNS} for f in chosen], columns=DICTIONARY_COLUMNS)
    return df.astype({c: "string" for c in DICTIONARY_COLUMNS if c != "required"}).astype({"required": bool})


def select(dictionary: pd.DataFrame, table: str, names: list[str]) -> pd.DataFrame:
    """The rows of a built dictionary (``data/dictionary.parquet``) that describe ``names`` of ``table``, in order."""
    rows = dictionary[dictionary["table"] == table].set_index("name")
    return rows.reindex([n for n in names if n in rows.index]).reset_index()[DICTIONARY_COLUMNS]


FACT_COLUMNS = columns("facts")
EVENT_COLUMNS = columns("events")
PRACTICE_COLUMNS = columns("practices")
CASE_COLUMNS = columns("cases")
SOURCE_COLUMNS = columns("sources")
INDICATOR_COLUMNS = columns("indicators")
