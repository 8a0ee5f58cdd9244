"""The one list of units a figure may be printed in, with its base unit and English labels.

A unit not listed here fails the build: add it here (with a test case) rather than anywhere else.
"""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Unit:
    unit: str            # as printed in the source
    base_unit: str       # CNY | count | ratio | ratio_part
    factor: float        # value * factor = value in base unit
    en_one: str          # English noun, singular ("" for money and percentages)
    en_many: str         # English noun, plural


UNITS: dict[str, Unit] = {u.unit: u for u in (
    Unit("亿元", "CNY", 1e8, "", ""),
    Unit("万元", "CNY", 1e4, "", ""),
    Unit("元", "CNY", 1.0, "", ""),
    Unit("%", "ratio", 0.01, "", ""),
    Unit("份", "ratio_part", 1.0, "part", "parts"),
    Unit("笔", "count", 1.0, "deal", "deals"),
    Unit("家", "count", 1.0, "firm", "firms"),
    Unit("户", "count", 1.0, "household", "households"),
    Unit("件", "count", 1.0, "item", "items"),
    Unit("个", "count", 1.0, "", ""),
    Unit("项", "count", 1.0, "item", "items"),
    Unit("次", "count", 1.0, "time", "times"),
    Unit("类", "count", 1.0, "category", "categories"),
    Unit("部门", "count", 1.0, "department", "departments"),
    Unit("方", "count", 1.0, "party", "parties"),
    Unit("字", "count", 1.0, "character", "characters"),
)}

BASE_UNITS = ("CNY", "count", "ratio", "ratio_part")
MONEY_UNITS = tuple(u for u, spec in UNITS.items() if spec.base_unit == "CNY")


def to_base(value: float, unit: str) -> float:
    """Value in the unit's base unit (yuan, count, ratio)."""
    return value * UNITS[unit].factor


def from_base(value_base: float, unit: str) -> float:
    """Inverse of :func:`to_base`."""
    return value_base / UNITS[unit].factor


def base_unit(unit: str) -> str:
    return UNITS[unit].base_unit


def is_money(unit: str) -> bool:
    return unit in MONEY_UNITS
