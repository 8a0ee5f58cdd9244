"""A case's page as blocks (metrics/layout.py), made once per dataset, language and money unit, and its inputs."""
from __future__ import annotations

from metrics import layout
from metrics.store import Dataset

from . import blocks
from .i18n import lang
from .show import unit_choice
from .state import Param


def page_blocks(ds: Dataset, case_id: str) -> list[dict]:
    """Everything the case page shows (read-only: blocks are shared by every session)."""
    lg, unit = lang(), unit_choice()
    return ds.derived_for(case_id, ("case_blocks", lg, unit), lambda: layout.blocks_of(_tables(ds, case_id), case_id, lg, unit))


def _tables(ds: Dataset, case_id: str):
    """The case's own tables (read when the case is first opened); callers have checked that it is not damaged."""
    return ds.case_tables(case_id) or ds.tables


def params(ds: Dataset, case_id: str) -> list[Param]:
    """The calculators' inputs as URL-bound parameters (their keys are the links' keys: npl, loan, term, rate)."""
    def make() -> list[Param]:
        cases = ds["cases"].set_index("case_id")
        if case_id not in cases.index:
            return []
        inputs = layout.calculator_inputs(layout.from_json(cases.at[case_id, "layout"]), "zh")
        return [Param(i.key, i.default, i.low, i.high) for i in inputs]
    return ds.derived_for(case_id, ("case_params",), make)


def headline(ds: Dataset, case_id: str, columns: int = 3) -> None:
    """The case's headline figures as cards (the overview's case cards)."""
    lg, unit = lang(), unit_choice()
    made = ds.derived_for(case_id, ("case_headline", lg, unit, columns), lambda: layout.resolve(
        layout.case_view(_tables(ds, case_id), case_id, lg, unit), [{"type": "headline", "columns": columns}]))
    blocks.draw(ds, made)
