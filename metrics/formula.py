"""Evaluate a derived indicator's formula ("hlj_round1_amount / hlj_round1_loans") over qualified facts.

The formula is the single source of the computation and of its description: it is parsed with ``ast`` (only
numbers, fact ids, + - * / and parentheses are allowed), evaluated on intervals, and rendered in words.
"""
from __future__ import annotations

import ast
import re
from collections.abc import Callable, Mapping

from .intervals import Interval

_OPS: dict[type, Callable[[Interval, Interval], Interval]] = {
    ast.Add: Interval.__add__, ast.Sub: Interval.__sub__, ast.Mult: Interval.__mul__, ast.Div: Interval.__truediv__,
}
_SYMBOLS = {ast.Add: " + ", ast.Sub: " − ", ast.Mult: " × ", ast.Div: " ÷ "}


def inputs(formula: str) -> list[str]:
    """Fact ids a formula reads, in order of first appearance."""
    names = [n.id for n in ast.walk(ast.parse(formula, mode="eval")) if isinstance(n, ast.Name)]
    return list(dict.fromkeys(names))


def evaluate(formula: str, facts: Mapping[str, Interval]) -> Interval:
    return _eval(ast.parse(formula, mode="eval").body, facts)


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
    return _words(ast.parse(formula, mode="eval").body, names, top=True)


def _words(node: ast.AST, names: Mapping[str, str], top: bool = False) -> str:
    if isinstance(node, ast.BinOp):
        text = _words(node.left, names) + _SYMBOLS[type(node.op)] + _words(node.right, names)
        return text if top else f"({text})"
    if isinstance(node, ast.Name):
        return names[node.id]
    return re.sub(r"\.0$", "", repr(node.value))
