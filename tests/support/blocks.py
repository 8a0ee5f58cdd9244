"""What a case page must show, read from its blocks (metrics/layout.py) rather than typed into a test."""
from __future__ import annotations

from metrics import calculators, layout


def walk(blocks: list[dict], inputs: dict | None = None) -> list[dict]:
    """Every block, those inside rows and groups included, and each calculator's output at ``inputs`` (defaults)."""
    out = []
    for block in blocks:
        out.append(block)
        if block["type"] == "row":
            out += [b for column in block["columns"] for b in walk(column, inputs)]
        elif block["type"] == "group":
            out += walk(block["blocks"], inputs)
        elif block["type"] == "calculator":
            out += walk(block["intro"], inputs) + walk(calculators.result(block, inputs or {}), inputs)
    return out


def chart_titles(tables, case_id: str, lang: str) -> list[str]:
    return [b["spec"].title for b in walk(layout.blocks_of(tables, case_id, lang)) if b["type"] == "chart"]


def calculator(tables, case_id: str, calc_id: str, lang: str) -> dict:
    return next(b for b in walk(layout.blocks_of(tables, case_id, lang)) if b["type"] == "calculator" and b["id"] == calc_id)
