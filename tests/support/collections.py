"""A large collection for tests: today's real cases plus synthetic cases cloned from them (bench/synth.py)."""
from __future__ import annotations

from pathlib import Path

from bench import synth


def large_collection(folder: Path, extra_cases: int, case_size: int) -> Path:
    """Write the built tables of today's cases plus ``extra_cases`` synthetic cases of ``case_size`` figures into
    ``folder``; returns it."""
    real = synth.real_tables()
    synth.write_tables(len(real["facts"]) + extra_cases * case_size, folder, case_size, real)
    return folder
