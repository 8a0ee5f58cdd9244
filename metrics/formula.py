"""Evaluate a derived indicator's formula ("hlj_round1_amount / hlj_round1_loans") over qualified facts.

The formula is the single source of the computation and of its description: it is parsed with ``ast`` (only
numbers, fact ids, + - * / and parentheses are allowed), evaluated on intervals, and rendered in words. Before any
of that the build checks it (``parse``, ``dimension``, ``zero_divisors``), each failure as one plain sentence.
"""
from __future__ import annotations

import ast
import re
from collections.abc import Callable, Mapping

from .intervals import OPEN, Interval

_OPS: dict[type, Callable[[Interval, Interval], Interval]] = {
    ast.Add: Interval.__add__, ast.Sub: Interval.__sub__, ast.Mult: Interval.__mul__, ast.Div: Interval.__truediv__,
}
_SYMBOLS = {ast.Add: " + ", ast.Sub: " − ", ast.Mult: " × ", ast.Div: " ÷ "}
_ALLOWED = (ast.Expression, ast.Name, ast.Load)


class FormulaError(ValueError):
    """A formula the build refuses; the message is one sentence a curator can act on."""


def parse(formula: str) -> ast.Expression:
    """The formula's syntax tree, or FormulaError naming what is not plain arithmetic over ids and numbers."""
    try:
        tree = ast.parse(str(formula), mode="eval")
    except SyntaxError as exc:
        raise FormulaError(f"formula {formula!r} is not valid arithmetic ({exc.msg}); write fact ids and numbers "
                           "joined by + - * / and parentheses") from exc
    for node in ast.walk(tree):
        if _allowed(node):
            continue
        raise FormulaError(f"formula {formula!r} uses {ast.unparse(node)!r}, which is not allowed: write fact ids and numbers "
                           "joined by + - * / and parentheses")
    return tree


def _allowed(node: ast.AST) -> bool:
    if isinstance(node, ast.Constant):
        return type(node.value) in (int, float)
    if isinstance(node, ast.BinOp):
        return type(node.op) in _OPS   # a forbidden operator is reported with its operands
    return isinstance(node, _ALLOWED) or type(node) in _OPS


def inputs(formula: str) -> list[str]:
    """Fact ids a formula reads, in order of first appearance."""
    names = [n.id for n in ast.walk(parse(formula)) if isinstance(n, ast.Name)]
    return list(dict.fromkeys(names))


def evaluate(formula: str, facts: Mapping[str, Interval]) -> Interval:
    return _eval(parse(formula).body, facts)


def _eval(node: ast.AST, facts: Mapping[str, Interval]) -> Interval:
    if isinstance(node, ast.BinOp) and type(node.op) in _OPS:
        return _OPS[type(node.op)](_eval(node.left, facts), _eval(node.right, facts))
    if isinstance(node, ast.Name):
        return facts[node.id]
    if isinstance(node, ast.Constant) and isinstance(node.value, (int, float)):
        return Interval.const(float(node.value))
    raise ValueError(f"unsupported formula element: {ast.dump(node)}")


def in_words(formula: str, names: Mapping[str, str]) -> str:
    """The formula with each fact id replaced by its name: '累计盘活（全市，2022） ÷ 盘活目标（2022）'."""
    return _words(parse(formula).body, names, top=True)


def _words(node: ast.AST, names: Mapping[str, str], top: bool = False) -> str:
    if isinstance(node, ast.BinOp):
        text = _words(node.left, names) + _SYMBOLS[type(node.op)] + _words(node.right, names)
        return text if top else f"({text})"
    if isinstance(node, ast.Name):
        return names[node.id]
    return re.sub(r"\.0$", "", repr(node.value))


# --- Dimensions: which unit families combine (the rule is stated in data/sources/README.md) --------------------
# Percentages, multiples and plain numbers are all dimensionless ratios in base units (31.8% is stored as 0.318), so
# "1 + growth" is sound; percentage points are not (5个百分点 is stored as 5) and stay a family of their own.
RATIO = "ratio"
PER_BENEFICIARY = "money per beneficiary"
COUNT_AVERAGE = "a count per count of something else"   # 件 ÷ 批次: items per batch (or a share: % / 倍)
_AS_RATIO = {"percent", "multiple", "number"}
# What a result may be declared as: result dimension → unit families allowed for the declared unit.
DECLARABLE = {RATIO: ("percent", "multiple"), PER_BENEFICIARY: ("money",), COUNT_AVERAGE: ("count", "percent", "multiple"),
              "money": ("money",),
              "count": ("count",), "ratio_part": ("ratio_part",), "percentage_point": ("percentage_point",)}


def dimension(formula: str, families: Mapping[str, str], units_of: Mapping[str, str] | None = None) -> str:
    """The unit family of the formula's result, given each fact id's family (and unit); FormulaError when units do
    not combine."""
    return _dim(parse(formula).body, families, units_of or {})


def _dim(node: ast.AST, families: Mapping[str, str], units_of: Mapping[str, str]) -> str:
    if isinstance(node, ast.Name):
        family = families[node.id]
        return RATIO if family in _AS_RATIO else family
    if isinstance(node, ast.Constant):
        return RATIO
    left, right = _dim(node.left, families, units_of), _dim(node.right, families, units_of)
    combined = _COMBINE[type(node.op)](left, right)
    if combined is None:
        verb = {ast.Add: "adds", ast.Sub: "subtracts", ast.Mult: "multiplies", ast.Div: "divides"}[type(node.op)]
        raise FormulaError(f"units do not combine: {ast.unparse(node)!r} {verb} {left} and {right}"
                           f" ({_RULES[type(node.op)]})")
    if isinstance(node.op, ast.Div) and left == right == "count":
        # 件 ÷ 件 is a share; 件 ÷ 批次 counts different things, so it may be an average per batch as well.
        above, below = _unit(node.left, units_of), _unit(node.right, units_of)
        return COUNT_AVERAGE if above and below and above != below else RATIO
    return combined


def _unit(node: ast.AST, units_of: Mapping[str, str]) -> str | None:
    """The one unit every figure of a sum is in, else None."""
    if isinstance(node, ast.Name):
        return units_of.get(node.id)
    if isinstance(node, ast.BinOp) and isinstance(node.op, (ast.Add, ast.Sub)):
        left = _unit(node.left, units_of)
        return left if left == _unit(node.right, units_of) else None
    return None


def _add(left: str, right: str) -> str | None:
    return left if left == right else None


def _mul(left: str, right: str) -> str | None:
    return right if left == RATIO else left if right == RATIO else None


def _div(left: str, right: str) -> str | None:
    if right == RATIO:
        return left
    if left == right:
        return RATIO
    return PER_BENEFICIARY if (left, right) == ("money", "count") else None


_COMBINE = {ast.Add: _add, ast.Sub: _add, ast.Mult: _mul, ast.Div: _div}
_RULES = {ast.Add: "+ and − need figures of one unit family", ast.Sub: "+ and − need figures of one unit family",
          ast.Mult: "only a ratio or a number may multiply a figure",
          ast.Div: "divide like by like, money by a count, or anything by a ratio or number"}


# --- Divisors that may be zero ----------------------------------------------------------------------------------
def zero_divisors(formula: str, facts: Mapping[str, Interval]) -> list[tuple[str, Interval]]:
    """(divisor text, its interval) for every division whose divisor's interval contains zero.

    Quantities are positive, so an open lower side (a figure printed as "at most") reaches down to zero too.
    """
    found = []
    for node in ast.walk(parse(formula)):
        if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Div):
            divisor = _eval(node.right, facts)
            if divisor.lo is OPEN or divisor.lo <= 0 <= (float("inf") if divisor.hi is OPEN else divisor.hi):
                found.append((ast.unparse(node.right), divisor))
    return found
