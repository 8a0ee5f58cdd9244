"""Illustrative calculators for the 双稳基金 page, driven by the published policy parameters.

Inputs arrive already bounded by their widgets (and by ui.state for URLs). All amounts are in yuan.
"""
from __future__ import annotations

from dataclasses import dataclass


def risk_sharing(loss: float, shares: dict[str, float]) -> dict[str, float]:
    """Split a non-performing amount among the parties in proportion to their ratio terms (7:2:1)."""
    total = sum(shares.values())
    return {party: loss * part / total for party, part in shares.items()}


@dataclass(frozen=True)
class FeeResult:
    fee: float          # the guarantee fee at the published annual rate
    waived: bool        # loan at or below the threshold (inclusive)
    paid_by_firm: float
    paid_by_government: float


def guarantee_fee(loan: float, years: float, annual_rate: float, waiver_threshold: float) -> FeeResult:
    """Fee = loan × rate × years; loans ≤ threshold (含) are fully waived and the same-level government pays it."""
    fee = loan * annual_rate * years
    waived = loan <= waiver_threshold
    return FeeResult(fee, waived, 0.0 if waived else fee, fee if waived else 0.0)


def fund_exposure(volumes: dict[str, float], npl_rate: float, fund_share: float) -> dict[str, float]:
    """What the risk compensation fund would bear if each round's lending defaulted at ``npl_rate``."""
    return {name: volume * npl_rate * fund_share for name, volume in volumes.items()}
