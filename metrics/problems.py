"""A validation problem: which file, which record, what is wrong and how to fix it. The build reports all of them at
once, grouped by file and record (``report``), so a curator reads one block per record they must edit."""
from __future__ import annotations

from dataclasses import dataclass

EMPTY = "fields left empty"


@dataclass(frozen=True)
class Problem:
    file: str
    record_id: str
    reason: str
    fields: tuple[str, ...] = ()   # the fields the reason is about, when it is about fields

    def __str__(self) -> str:
        return f"{self.file}: {self.record_id}: {self.reason}"


class BuildError(Exception):
    """Raised with every problem found, so one run reports them all."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))


def group(problems: list[Problem]) -> dict[str, dict[str, list[str]]]:
    """file → record id → its reasons, in the order found. A field reported as left empty is not reported again by
    another check (an empty period is "left empty", not also "not an ISO period")."""
    empty = {(p.file, p.record_id): set(p.fields) for p in problems if p.reason.startswith(EMPTY)}
    grouped: dict[str, dict[str, list[str]]] = {}
    for p in problems:
        blank = empty.get((p.file, p.record_id), set())
        if p.fields and not p.reason.startswith(EMPTY) and set(p.fields) <= blank:
            continue
        reasons = grouped.setdefault(p.file, {}).setdefault(p.record_id, [])
        if p.reason not in reasons:
            reasons.append(p.reason)
    return grouped


def report(problems: list[Problem]) -> list[str]:
    """The lines a curator reads: a heading per file, then one line per record (its reasons joined by "; ")."""
    grouped = group(problems)
    records = sum(len(r) for r in grouped.values())
    lines = [f"Build refused: {records} record(s) in {len(grouped)} file(s) need a fix; nothing was written."]
    for file, by_record in grouped.items():
        lines.append(f"{file}:")
        lines += [f"  {record_id}: {'; '.join(reasons)}" for record_id, reasons in by_record.items()]
    return lines
