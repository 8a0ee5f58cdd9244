"""The units a figure may be printed in, read from ``data/sources/units.yaml`` (the one list; no code per unit).

Each unit has a family (money, count, percent …), a base unit and a factor to it, and its English nouns. The
build refuses a unit that is not in the file, naming the file; the extractor proposes only units listed there.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import yaml

UNITS_FILE = Path(__file__).resolve().parent.parent / "data" / "sources" / "units.yaml"
FAMILIES = ("money", "count", "percent", "percentage_point", "multiple", "ratio_part")


@dataclass(frozen=True)
class Unit:
    unit: str            # as printed in the source
    family: str          # one of FAMILIES: only units of one family add up or compare
    base_unit: str       # CNY | count | ratio | pp | times | ratio_part
    factor: float        # value * factor = value in base unit
    en_one: str          # English noun, singular ("" for money and percentages)
    en_many: str         # English noun, plural
    aliases: tuple[str, ...] = field(default=())


class UnitsFileError(ValueError):
    """The units file itself is unreadable or malformed: one line that names the file and the entry."""


def _unit(entry: dict, where: str) -> Unit:
    try:
        en = list(entry.get("en") or [])
        family = str(entry["family"])
        if family not in FAMILIES:
            raise UnitsFileError(f"{where}: family {family!r} is not one of {', '.join(FAMILIES)}")
        return Unit(unit=str(entry["unit"]), family=family, base_unit=str(entry["base"]), factor=float(entry["factor"]),
                    en_one=str(en[0]) if en else "", en_many=str(en[-1]) if en else "",
                    aliases=tuple(str(a) for a in entry.get("aliases") or ()))
    except (KeyError, TypeError, ValueError) as exc:
        if isinstance(exc, UnitsFileError):
            raise
        raise UnitsFileError(f"{where}: needs unit, family, base and a numeric factor ({exc})") from exc


def load(path: Path = UNITS_FILE) -> dict[str, Unit]:
    """Every unit of the file, by the unit as printed."""
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise UnitsFileError(f"{path.name}: cannot be read ({exc})") from exc
    entries = data.get("units") if isinstance(data, dict) else None
    if not isinstance(entries, list):
        raise UnitsFileError(f"{path.name}: expected a top-level 'units:' list")
    loaded = [_unit(entry, f"{path.name}: units[{i}]") for i, entry in enumerate(entries)]
    return {u.unit: u for u in loaded}


UNITS: dict[str, Unit] = load()
ALIASES: dict[str, str] = {alias: u.unit for u in UNITS.values() for alias in u.aliases}
BASE_UNITS = tuple(dict.fromkeys(u.base_unit for u in UNITS.values()))
MONEY_UNITS = tuple(u for u, spec in UNITS.items() if spec.family == "money")


def to_base(value: float, unit: str) -> float:
    """Value in the unit's base unit (yuan, count, ratio)."""
    return value * UNITS[unit].factor


def from_base(value_base: float, unit: str) -> float:
    """Inverse of :func:`to_base`."""
    return value_base / UNITS[unit].factor


def base_unit(unit: str) -> str:
    return UNITS[unit].base_unit


def family(unit: str) -> str:
    return UNITS[unit].family


def is_money(unit: str) -> bool:
    return unit in MONEY_UNITS
