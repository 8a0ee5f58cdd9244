"""Qualified numbers as intervals, so that "at least" and "at most" survive arithmetic.

A figure printed as "超47亿元" is the interval [47, ∞); "500万元以下" is (−∞, 500]; an exact figure is [v, v].
Operations act on the bounds (all quantities here are positive). The result's qualifier follows ARCHITECTURE.md:
both bounds closed and equal → exact; one side open → at_least / at_most; both open → approx, reported at the
point estimate computed from the printed values. An approximate input makes the result approximate.
"""
from __future__ import annotations

import math
from dataclasses import dataclass

OPEN = None  # an unbounded side


@dataclass(frozen=True)
class Interval:
    lo: float | None
    hi: float | None
    point: float          # the value computed from the printed numbers alone
    approx: bool = False  # some input was "约 / 近 / 左右"

    @classmethod
    def of(cls, value: float, qualifier: str) -> Interval:
        bounds = {
            "exact": (value, value), "approx": (value, value),
            "at_least": (value, OPEN), "at_most": (OPEN, value),
        }[qualifier]
        return cls(*bounds, point=value, approx=qualifier == "approx")

    @classmethod
    def const(cls, value: float) -> Interval:
        return cls(value, value, value)

    # --- arithmetic on the bounds (positive quantities) ---
    def __add__(self, other: Interval) -> Interval:
        return self._combine(other, _add(self.lo, other.lo), _add(self.hi, other.hi), self.point + other.point)

    def __sub__(self, other: Interval) -> Interval:
        return self._combine(other, _sub(self.lo, other.hi), _sub(self.hi, other.lo), self.point - other.point)

    def __mul__(self, other: Interval) -> Interval:
        return self._combine(other, _mul(self.lo, other.lo), _mul(self.hi, other.hi), self.point * other.point)

    def __truediv__(self, other: Interval) -> Interval:
        return self._combine(other, _div(self.lo, other.hi), _div(self.hi, other.lo), self.point / other.point)

    def _combine(self, other: Interval, lo, hi, point) -> Interval:
        return Interval(lo, hi, point, self.approx or other.approx)

    # --- reading the result back as one qualified number ---
    @property
    def qualifier(self) -> str:
        if self.approx or (self.lo is OPEN and self.hi is OPEN):
            return "approx"
        if self.hi is OPEN:
            return "at_least"
        if self.lo is OPEN:
            return "at_most"
        return "exact" if math.isclose(self.lo, self.hi, rel_tol=1e-12) else "approx"

    @property
    def value(self) -> float:
        return {"at_least": self.lo, "at_most": self.hi}.get(self.qualifier, self.point)


def _add(a, b):
    return OPEN if a is OPEN or b is OPEN else a + b


def _sub(a, b):
    return OPEN if a is OPEN or b is OPEN else a - b


def _mul(a, b):
    return OPEN if a is OPEN or b is OPEN else a * b


def _div(a, b):
    # Dividing by an unbounded side, or an unbounded side by anything, leaves that side open.
    return OPEN if a is OPEN or b is OPEN or b == 0 else a / b
