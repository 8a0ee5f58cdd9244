"""The incremental build: after each kind of edit, what it writes is byte-identical (every parquet file and the
manifest) to a full build from scratch of the same sources into another folder; a refused edit is refused with the
very lines a full build prints, and leaves data/ as it was."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from bench.build import Template
from metrics import build, incremental

from .test_build import DATA, digest_tree

XT, HLJ, GANSU = "cases/xiangtan.yaml", "cases/heilongjiang.yaml", "cases/gansu.yaml"
SEED = "articles/000_91693168b2346fd9.txt"


def _replace(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"test setup: {old!r} not in {path.name}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def change_a_name(sources: Path) -> None:
    _replace(sources / XT, 'indicator_en: "Key areas: categories of resources"',
             'indicator_en: "Key areas: resource categories"')


def same_size_edit(sources: Path) -> None:   # right after the build: its size and time alone would not tell
    _replace(sources / XT, 'period: "2022/.."', 'period: "2021/.."')


def change_a_period(sources: Path) -> None:   # moves the fact in the events/facts order of its own case
    _replace(sources / HLJ, 'period: "2022-06/2023-03"', 'period: "2022-06/2023-04"')


def add_a_case(sources: Path) -> None:
    (sources / "cases/c00000_gansu.yaml").write_text(Template(sources / GANSU).clone("c00000_"), encoding="utf-8")


def remove_a_case(sources: Path) -> None:
    (sources / GANSU).unlink()


def rename_a_case_file(sources: Path) -> None:
    (sources / GANSU).rename(sources / "cases/zz_gansu.yaml")


def change_an_article(sources: Path) -> None:   # every quote of the seed's three cases moves
    _replace(sources / SEED, "湘潭", "编者按：本文有删节。湘潭")


def change_units(sources: Path) -> None:
    (sources / "units.yaml").write_text((sources / "units.yaml").read_text(encoding="utf-8") + "# reviewed\n",
                                        encoding="utf-8")


def two_edits(sources: Path) -> None:
    change_a_name(sources)
    add_a_case(sources)


EDITS = [  # (id, edit, how the incremental build goes)
    ("one value in one case", change_a_name, "incremental"),
    ("a period, so the order within a case", change_a_period, "incremental"),
    ("same size, at once", same_size_edit, "incremental"),
    ("a case added", add_a_case, "incremental"),
    ("a case removed", remove_a_case, "incremental"),
    ("a case file renamed", rename_a_case_file, "incremental"),
    ("an article's text", change_an_article, "incremental"),
    ("units.yaml", change_units, "full"),
    ("two edits at once", two_edits, "incremental"),
]


@pytest.fixture(scope="module")
def first_build(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("first") / "data"
    shutil.copytree(DATA / "sources", folder / "sources")
    assert build.main(["--data-dir", str(folder), "--full"]) == 0
    return folder


@pytest.fixture
def built(first_build: Path, tmp_path: Path) -> Path:
    """A copy of the sources with a completed build (and its incremental state) beside them."""
    return shutil.copytree(first_build, tmp_path / "data")   # copy2: times kept, so the state's stats still hold


def full_build_of(sources: Path, folder: Path) -> Path:
    shutil.copytree(sources, folder / "sources")
    assert build.main(["--data-dir", str(folder), "--full"]) == 0
    return folder


@pytest.mark.parametrize("name,edit,mode", EDITS, ids=[e[0] for e in EDITS])
def test_incremental_equals_full(built, tmp_path, name, edit, mode):
    edit(built / "sources")
    result = build.build(built)
    assert result["run"]["mode"] == mode, result["run"]
    assert digest_tree(built) == digest_tree(full_build_of(built / "sources", tmp_path / "full"))


def test_unchanged_collection_is_left_as_it_is(built, capsys):
    capsys.readouterr()
    before = {p: p.stat().st_mtime_ns for p in built.rglob("*.parquet")}
    assert build.main(["--data-dir", str(built)]) == 0
    assert capsys.readouterr().out.startswith("Up to date: data version ")
    assert {p: p.stat().st_mtime_ns for p in built.rglob("*.parquet")} == before


@pytest.mark.parametrize("damage", ["delete", "overwrite"])
def test_a_damaged_output_is_built_again(built, tmp_path, damage):
    reference = digest_tree(built)
    target = built / "heilongjiang" / "facts.parquet"
    target.unlink() if damage == "delete" else target.write_bytes(b"not parquet")
    result = build.build(built)
    assert result["run"]["mode"] == "incremental"
    assert digest_tree(built) == reference


def test_state_left_by_other_code_means_a_full_build(built, monkeypatch):
    monkeypatch.setattr(incremental, "CODE", DATA)   # another "code": the fingerprint differs
    change_a_name(built / "sources")
    assert build.build(built)["run"]["mode"] == "full"


REFUSED = [  # (id, file, old, new): edits a full build refuses, several of them through a rule across cases
    ("duplicate id with another case", HLJ, "fact_id: hlj_round1_loans", "fact_id: xt_ledger_total"),
    ("duplicate indicator id with another case", HLJ, "indicator_id: hlj_round1_avg_per_loan",
     "indicator_id: xt_ledger_share_assets"),
    ("duplicate case id", GANSU, "case_id: gansu", "case_id: xiangtan"),
    ("a record's own fault", XT, "value: 602", "value: 603"),
    ("quote no longer in the changed article", SEED, "国有资源 602", "国有资源 603"),
]


def _refusal(data_dir: Path, capsys) -> str:
    capsys.readouterr()
    assert build.main(["--data-dir", str(data_dir)]) == 1
    return capsys.readouterr().err


@pytest.mark.parametrize("name,rel,old,new", REFUSED, ids=[r[0] for r in REFUSED])
def test_refused_edit_gives_the_full_builds_lines_and_touches_nothing(built, tmp_path, capsys, name, rel, old, new):
    before = digest_tree(built)
    _replace(built / "sources" / rel, old, new)
    message = _refusal(built, capsys)
    assert digest_tree(built) == before
    assert not list(built.glob(".build-*")), "staging folder left behind"
    fresh = tmp_path / "fresh"
    shutil.copytree(built / "sources", fresh / "sources")
    assert message == _refusal(fresh, capsys)
    # Fixed again, the next build is incremental from the state the refusal left alone.
    _replace(built / "sources" / rel, new, old)
    assert build.build(built)["run"]["mode"] == "up to date"


def test_removing_a_case_another_references_is_refused(built, tmp_path, capsys):
    # Another case names one of gansu's figures as a practice's result: only a check across cases can see it.
    _replace(built / "sources" / HLJ, "result_fact_ids: [", "result_fact_ids: [gansu_banks_on_platform, ")
    assert build.main(["--data-dir", str(built)]) == 0
    (built / "sources" / GANSU).unlink()
    message = _refusal(built, capsys)
    assert "result fact 'gansu_banks_on_platform' does not exist" in message
    fresh = tmp_path / "fresh"
    shutil.copytree(built / "sources", fresh / "sources")
    assert message == _refusal(fresh, capsys)
