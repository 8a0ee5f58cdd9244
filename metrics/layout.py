"""What a case page shows, as its case file declares it: ``sections:`` and ``calculators:``.

The build carries both into ``cases.parquet`` (column ``layout``, JSON text) and checks every fact or
indicator id they name (``check``); the one case page renders them from the registry of section and
calculator types. A case file that declares neither gets the default layout.
"""
from __future__ import annotations

import json

from .problems import Problem

LAYOUT_KEYS = ("sections", "calculators")


def layout_of(document: dict) -> dict:
    """The layout blocks of a case file as one plain mapping (empty lists when absent)."""
    return {key: list(document.get(key) or []) for key in LAYOUT_KEYS}


def to_json(layout: dict) -> str:
    return json.dumps(layout, ensure_ascii=False, sort_keys=True)


def from_json(text: str) -> dict:
    return json.loads(text) if text else {key: [] for key in LAYOUT_KEYS}


def check(tables, cases) -> list[Problem]:
    """Every id a section or calculator names must exist (filled in by the sections registry)."""
    return []
