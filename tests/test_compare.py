"""Codes and families as data: the build refuses an unknown code or family and a code whose facts have units of
another family, naming file, record and reason, every problem in one run."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from metrics import build, compare
from metrics.problems import BuildError

ROOT = Path(__file__).resolve().parent.parent
SOURCES = ROOT / "data" / "sources"
XT, HLJ, FCG = "cases/xiangtan.yaml", "cases/heilongjiang.yaml", "cases/fangchenggang.yaml"
CODES, FAMILIES = "codelist.yaml", "families.yaml"


@pytest.fixture
def sources(tmp_path: Path) -> Path:
    shutil.copytree(SOURCES, tmp_path / "sources")
    return tmp_path / "sources"


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"test setup: {old!r} not in {path.name}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def _problems(sources: Path) -> list[str]:
    with pytest.raises(BuildError) as refused:
        build.load_and_validate(sources)
    return [str(p) for p in refused.value.problems]


BROKEN = [  # (id, file, old text, new text, the one expected problem line)
    ("unknown-code", HLJ, "code: guarantee_fee_rate", "code: guarantee_fee",
     "heilongjiang.yaml: hlj_guarantee_fee_rate: code 'guarantee_fee' is not in codelist.yaml"),
    ("unit-of-another-family", HLJ, "code: guarantee_fee_rate", "code: guaranteed_loans_count",
     "heilongjiang.yaml: hlj_guarantee_fee_rate: code 'guaranteed_loans_count' takes count units but fact "
     "hlj_guarantee_fee_rate is in % (percent)"),
    ("money-code-on-a-count", FCG, "code: vat_refund_taxpayers", "code: vat_refund_amount",
     "fangchenggang.yaml: fcg_vat_refund_taxpayers_2022: code 'vat_refund_amount' takes money units but fact "
     "fcg_vat_refund_taxpayers_2022 is in 户 (count)"),
    ("unknown-family", XT, "family: assets", "family: asset",
     "xiangtan.yaml: xiangtan: family 'asset' is not in families.yaml (one of assets, guarantees, tax_trade)"),
    ("no-family", XT, "  family: assets\n", "",
     "xiangtan.yaml: xiangtan: the case: block names no family (one of assets, guarantees, tax_trade)"),
    ("unquoted-comma-in-a-name", CODES, '"Amount of state-owned resources, assets and funds revitalized"',
     "Amount of state-owned resources, assets and funds revitalized",
     "codelist.yaml: revitalized_amount: unknown keys ['assets and funds revitalized'] (quote a name with a comma)"),
    ("code-in-unknown-family", CODES, "{code: ledger_total, family: assets", "{code: ledger_total, family: asset",
     "codelist.yaml: ledger_total: family 'asset' is not in families.yaml"),
    ("unknown-unit-family", CODES, "{code: land_parcels, family: assets, unit_family: count",
     "{code: land_parcels, family: assets, unit_family: lots",
     "codelist.yaml: land_parcels: unit_family 'lots' is not one of money, count, percent, percentage_point, "
     "multiple, ratio_part"),
    ("duplicate-code", CODES, "{code: land_parcels,", "{code: ledger_total,", "codelist.yaml: ledger_total: duplicate code"),
    ("family-without-name", FAMILIES, "    name_en: Tax refunds, receivables and trade finance and settlement\n", "",
     "families.yaml: tax_trade: missing name_en (quote a name with a comma)"),
    ("unreadable-list", FAMILIES, "- family: assets", "- family: [assets", "families.yaml: -: cannot be read"),
]


@pytest.mark.parametrize("rel,old,new,expected", [b[1:] for b in BROKEN], ids=[b[0] for b in BROKEN])
def test_bad_code_or_family_is_refused_with_one_clear_line(sources, rel, old, new, expected):
    _edit(sources / rel, old, new)
    problems = _problems(sources)
    assert any(p.startswith(expected) for p in problems), f"{expected!r} not in {problems}"


def test_every_code_problem_in_one_run(sources):
    for rel, old, new, _ in [b[1:] for b in BROKEN[:4]]:
        if rel == HLJ and "guarantee_fee_rate" in old and "code: guaranteed_loans_count" in new:
            continue   # the same line as the first edit
        _edit(sources / rel, old, new)
    found = " ".join(_problems(sources))
    for fact_or_case in ("hlj_guarantee_fee_rate", "fcg_vat_refund_taxpayers_2022", "xiangtan: family 'asset'"):
        assert fact_or_case in found, found


def test_committed_lists_load_clean():
    problems = []
    families = compare.read_families(SOURCES / FAMILIES, problems)
    codes = compare.read_codes(SOURCES / CODES, families, problems)
    assert problems == []
    assert list(families) == ["assets", "guarantees", "tax_trade"]
    assert {c.family for c in codes.values()} == set(families)
    assert all(c.name_en and c.name_zh for c in codes.values())


@pytest.mark.parametrize("case_id,family,coded", [("xiangtan", "assets", 9), ("heilongjiang", "guarantees", 6),
                                                  ("fangchenggang", "tax_trade", 11)])
def test_seed_cases_carry_family_and_codes(case_id, family, coded):
    tables = build.load_and_validate(SOURCES)
    assert tables["cases"].set_index("case_id").at[case_id, "family"] == family
    facts = tables["facts"]
    assert int((facts["case_id"].eq(case_id) & facts["code"].ne("")).sum()) == coded
