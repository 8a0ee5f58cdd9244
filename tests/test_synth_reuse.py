"""The bench's synthetic fact bases are reused when their stamp says they were made from today's data and code
(bench/synth.py: generating 10^6 figures writes 80,000 files), and made again otherwise."""
from __future__ import annotations

import json

import pytest

from bench import synth

CASE_SIZE = 25


@pytest.fixture(scope="module")
def real():
    return synth.real_tables()


def generate(real, folder, extra_cases: int) -> dict:
    return synth.write_tables(len(real["facts"]) + extra_cases * CASE_SIZE, folder, CASE_SIZE, real)


def mark(folder):
    (folder / "left-by-the-last-run").write_text("x", encoding="utf-8")


def kept(folder) -> bool:
    return (folder / "left-by-the-last-run").exists()


@pytest.mark.parametrize("change,reused", [
    ("nothing", True),
    ("another size", False),
    ("a stamp from other data", False),
    ("no stamp (an interrupted run)", False),
    ("no manifest", False),
])
def test_a_generated_base_is_reused_only_when_its_stamp_matches(real, tmp_path, change, reused):
    folder = tmp_path / "facts"
    first = generate(real, folder, 4)
    mark(folder)
    extra = 4
    if change == "another size":
        extra = 5
    elif change == "a stamp from other data":
        (folder / synth.STAMP).write_text("0" * 64 + "\n", encoding="utf-8")
    elif change == "no stamp (an interrupted run)":
        (folder / synth.STAMP).unlink()
    elif change == "no manifest":
        (folder / "manifest.json").unlink()
    again = generate(real, folder, extra)
    assert kept(folder) == reused
    assert (again == first) == (extra == 4)
    assert json.loads((folder / "manifest.json").read_text(encoding="utf-8")) == again
    assert (folder / synth.STAMP).read_text(encoding="utf-8").strip() == synth.stamp(
        len(real["facts"]) + extra * CASE_SIZE, CASE_SIZE)
