"""Damaged data never breaks the dashboard: the affected page names the wrong file and the rebuild command, the
other pages keep working, nothing damaged is shown as data, and no traceback appears.

Each variant copies data/ to a temporary folder, damages it and points the app at it (DASHBOARD_DATA_DIR). Files
are damaged in ways a disk, a copy or a hand edit can: missing, truncated, overwritten, with a column dropped,
swapped for another valid file, without the manifest.
"""
from __future__ import annotations

import hashlib
import json
import random
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from metrics.store import REBUILD

from .conftest import PAGES, ROOT, open_page

DATA = ROOT / "data"
CASE_OF_PAGE = {"xiangtan": "xiangtan", "heilongjiang": "heilongjiang",
                "fangchenggang": "fangchenggang"}


def update_checksum(data: Path, rel: str) -> None:
    """Make the manifest agree with the file, so that only the damage inside the file can be detected."""
    manifest = json.loads((data / "manifest.json").read_text(encoding="utf-8"))
    manifest["outputs"][rel]["sha256"] = hashlib.sha256((data / rel).read_bytes()).hexdigest()
    (data / "manifest.json").write_text(json.dumps(manifest, indent=1), encoding="utf-8")


def remove(rel: str) -> Callable[[Path], None]:
    return lambda data: (data / rel).unlink()


def truncate(rel: str) -> Callable[[Path], None]:
    def damage(data: Path) -> None:
        path = data / rel
        path.write_bytes(path.read_bytes()[: path.stat().st_size // 2])
        update_checksum(data, rel)
    return damage


def random_bytes(rel: str, checksum_updated: bool = True) -> Callable[[Path], None]:
    def damage(data: Path) -> None:
        path = data / rel
        path.write_bytes(random.Random(rel).randbytes(path.stat().st_size))
        if checksum_updated:
            update_checksum(data, rel)
    return damage


def drop_column(rel: str, column: str) -> Callable[[Path], None]:
    def damage(data: Path) -> None:
        table = pq.read_table(data / rel)
        pq.write_table(table.drop_columns([column]), data / rel)
        update_checksum(data, rel)
    return damage


def swap_with(rel: str, other: str) -> Callable[[Path], None]:
    """A valid parquet file of another case in its place: only the manifest checksum can tell."""
    return lambda data: shutil.copyfile(data / other, data / rel)


@dataclass(frozen=True)
class Damage:
    damage: Callable[[Path], None]
    file: str           # the file the app must name
    reason: str         # what it must say about it
    case_id: str = ""   # the case it breaks; "" = a file every page relies on
    cases_listed: bool = True  # whether cases.parquet can still be read (so case pages are in the navigation)


VARIANTS = {
    "case file missing": Damage(remove("heilongjiang/facts.parquet"), "heilongjiang/facts.parquet", "missing",
                                "heilongjiang"),
    "truncated parquet": Damage(truncate("xiangtan/facts.parquet"), "xiangtan/facts.parquet",
                                "unreadable parquet", "xiangtan"),
    "random bytes": Damage(random_bytes("fangchenggang/indicators.parquet"), "fangchenggang/indicators.parquet",
                           "unreadable parquet", "fangchenggang"),
    "columns drifted": Damage(drop_column("xiangtan/facts.parquet", "value"), "xiangtan/facts.parquet",
                              "columns missing: value", "xiangtan"),
    "checksum mismatch": Damage(swap_with("fangchenggang/events.parquet", "heilongjiang/events.parquet"),
                                "fangchenggang/events.parquet", "checksum does not match", "fangchenggang"),
    "manifest missing": Damage(remove("manifest.json"), "manifest.json", "missing", cases_listed=False),
    "shared file overwritten": Damage(random_bytes("sources.parquet", checksum_updated=False), "sources.parquet",
                                      "checksum does not match"),
}


@pytest.fixture(params=list(VARIANTS))
def damaged(request, tmp_path, monkeypatch) -> Damage:
    data = tmp_path / "data"
    shutil.copytree(DATA, data, ignore=shutil.ignore_patterns("sources"))
    variant = VARIANTS[request.param]
    variant.damage(data)
    monkeypatch.setenv("DASHBOARD_DATA_DIR", str(data))
    return variant


def plain(markdown: str) -> str:
    """Markdown as read: without the escapes ui.show.md adds."""
    return markdown.replace("\\", "")


def facts_of(case_id: str) -> set[str]:
    return set(pq.read_table(DATA / case_id / "facts.parquet", columns=["fact_id"]).column("fact_id").to_pylist())


def shown_data(at) -> dict[str, int]:
    return {"metrics": len(at.metric), "tables": len(at.dataframe), "charts": len(at.get("plotly_chart"))}


def assert_names_the_problem(at, damage: Damage) -> None:
    errors = [plain(e.value) for e in at.error]
    assert any(damage.file in e and damage.reason in e and REBUILD in e for e in errors), errors


def assert_no_traceback(at) -> None:
    assert not at.exception, [e.value for e in at.exception]
    assert not any("Traceback" in e.value for e in at.error)


@pytest.mark.parametrize("page", list(PAGES))
def test_every_page_survives_damage(damaged: Damage, page: str):
    if page in CASE_OF_PAGE and not damaged.cases_listed:
        with pytest.raises(ValueError, match="Could not find a navigation page"):
            open_page(page)  # without a readable cases.parquet no case page is offered
        return
    at = open_page(page)
    assert_no_traceback(at)
    if not damaged.case_id:  # a shared file: every page says so and shows nothing else
        assert_names_the_problem(at, damaged)
        assert shown_data(at) == {"metrics": 0, "tables": 0, "charts": 0}
    elif CASE_OF_PAGE.get(page) == damaged.case_id:
        assert_names_the_problem(at, damaged)
        assert shown_data(at) == {"metrics": 0, "tables": 0, "charts": 0}
    elif page in CASE_OF_PAGE:  # another case: untouched
        assert not at.error, [e.value for e in at.error]
        assert at.metric and at.get("plotly_chart")
    else:  # overview, data & sources: the problem is named, the healthy cases are shown, the broken one is not
        assert_names_the_problem(at, damaged)
        assert at.metric or at.dataframe
        broken_facts = facts_of(damaged.case_id)
        assert not [m.label for m in at.metric if any(f in plain(m.help or "") for f in broken_facts)]
        for table in at.dataframe:
            if "case_id" in table.value.columns:
                assert damaged.case_id not in set(table.value["case_id"]), table.value["case_id"].unique()


def test_pristine_copy_has_no_problems(tmp_path, monkeypatch):
    """The control: the copy itself (without damage) loads cleanly, so every problem above comes from the damage."""
    shutil.copytree(DATA, tmp_path / "data", ignore=shutil.ignore_patterns("sources"))
    monkeypatch.setenv("DASHBOARD_DATA_DIR", str(tmp_path / "data"))
    for page in PAGES:
        at = open_page(page)
        assert_no_traceback(at)
        assert not at.error, (page, [e.value for e in at.error])
