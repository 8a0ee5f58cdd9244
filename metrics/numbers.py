"""The one helper for showing a number: value, unit and qualifier, per language, with babel's CLDR data.

Chinese: 81.86亿元, ≥130万元, 8,626笔, 102.3%.   English: CNY 8.19 bn, ≥ CNY 1.3 m, 8,626 deals, 102.3%.
The display unit can be switched (as published / 万元 / 亿元 / 元) for money; the as-published form is always
available through :func:`as_published`.
"""
from __future__ import annotations

import functools
import math

from babel import Locale
from babel.numbers import format_compact_decimal, format_decimal

from . import units
from .vocab import QUALIFIER_SYMBOLS

LOCALES = {"zh": "zh_CN", "en": "en"}
# Parsed once: babel re-parses a locale given as text on every call, which dominated a page's number formatting.
LOCALE = {lang: Locale.parse(code) for lang, code in LOCALES.items()}
AS_PUBLISHED = "as_published"
DISPLAY_UNITS = (AS_PUBLISHED, "万元", "亿元", "元")   # the unit switch
_EN_SUFFIX = {"K": " k", "M": " m", "B": " bn", "T": " tn"}


@functools.lru_cache(maxsize=65536)   # pure and called for every figure on every run: format each value once
def decimal(value: float, lang: str, digits: int = 2, keep: int = 0) -> str:
    """A plain number with grouping and up to ``digits`` decimals, at least ``keep`` of them: 8,626 / 235.47 / 1.50."""
    digits = max(digits, keep)
    pattern = "#,##0." + "0" * keep + "#" * (digits - keep) if digits else "#,##0"
    return format_decimal(value, format=pattern, locale=LOCALE[lang])


def printed_digits(printed: object) -> int:
    """How many decimals the article printed: '0.64' → 2, '3966' → 0 (a number shown in its printed unit keeps
    them all, so 0.64% never becomes 0.6%)."""
    text = str(printed or "")
    return len(text.rsplit(".", 1)[1]) if "." in text else 0


def _symbol(qualifier: str, lang: str) -> str:
    symbol = QUALIFIER_SYMBOLS[qualifier]
    return symbol + " " if symbol and lang == "en" else symbol


def _en_money(yuan: float) -> str:
    if abs(yuan) < 1e6:
        return "CNY " + decimal(yuan, "en", 0)
    compact = format_compact_decimal(yuan, format_type="short", locale=LOCALE["en"], fraction_digits=2)
    return "CNY " + compact[:-1] + _EN_SUFFIX.get(compact[-1], compact[-1])


def _en_count(value: float, unit: str, keep: int = 0) -> str:
    spec = units.UNITS[unit]
    plain = unit.lstrip("万亿")   # 2.6万户 → 26,000 recipients: English has no noun for "ten thousand recipients"
    if spec.factor != 1 and plain in units.UNITS and units.UNITS[plain].factor == 1:
        value, spec = value * spec.factor, units.UNITS[plain]
    noun = spec.en_one if math.isclose(value, 1) else spec.en_many
    return decimal(value, "en", 2, keep) + (" " + noun if noun else "")


def money(value_base: float, lang: str, unit: str = "亿元", qualifier: str = "exact", keep: int = 0) -> str:
    """Yuan shown in ``unit`` (Chinese, with at least ``keep`` decimals) or compact CNY (English)."""
    if lang == "en":
        return _symbol(qualifier, lang) + _en_money(value_base)
    return _symbol(qualifier, lang) + decimal(units.from_base(value_base, unit), lang, 2, keep) + unit


_EN_SCALES = {"亿元": (1e9, " bn"), "万元": (1e6, " m"), "元": (1.0, "")}


def money_fixed(value_base: float, unit: str, qualifier: str, lang: str) -> str:
    """Yuan in one given scale, so that a column of amounts reads alike (a comparison across localities):
    0.136亿元 / CNY 0.0136 bn. English uses the matching CNY scale (亿元 → bn, 万元 → m)."""
    if lang == "en":
        divisor, suffix = _EN_SCALES[unit]
        return _symbol(qualifier, lang) + "CNY " + decimal(value_base / divisor, lang, 4) + suffix
    return _symbol(qualifier, lang) + decimal(units.from_base(value_base, unit), lang, 4) + unit


def _auto_money_unit(value_base: float) -> str:
    return "亿元" if abs(value_base) >= 1e8 else "万元" if abs(value_base) >= 1e4 else "元"


@functools.lru_cache(maxsize=65536)
def quantity(value: float, unit: str, qualifier: str, lang: str, display: str = AS_PUBLISHED, keep: int = 0) -> str:
    """A qualified number in its unit; money follows the unit switch (``display``). ``keep``: the decimals the
    article printed (:func:`printed_digits`), kept whenever the number is shown in the unit it was printed in."""
    if units.is_money(unit):
        shown = unit if display in (AS_PUBLISHED, unit) else display
        return money(units.to_base(value, unit), lang, shown, qualifier, keep if shown == unit else 0)
    if unit == "%":
        return _symbol(qualifier, lang) + decimal(value, lang, 1, keep) + "%"
    if lang == "en":
        return _symbol(qualifier, lang) + _en_count(value, unit, keep)
    return _symbol(qualifier, lang) + decimal(value, lang, 2, keep) + unit


def as_published(printed: str, unit: str, qualifier: str) -> str:
    """The figure as the article prints it, with the qualifier as a symbol: ≥130万元 (for an English reader too)."""
    return QUALIFIER_SYMBOLS[qualifier] + printed + unit


def auto_money(value_base: float, qualifier: str, lang: str) -> str:
    """Yuan in the natural unit (亿元 ≥ 1e8, else 万元, else 元) / compact CNY."""
    return money(value_base, lang, _auto_money_unit(value_base), qualifier)
