"""A validation problem: which file, which record, what is wrong. The build reports all of them at once."""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Problem:
    file: str
    record_id: str
    reason: str

    def __str__(self) -> str:
        return f"{self.file}: {self.record_id}: {self.reason}"


class BuildError(Exception):
    """Raised with every problem found, so one run reports them all."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))
