"""The build: committed datasets equal a fresh build; broken sources are refused with clear messages and
nothing already built is touched."""
from __future__ import annotations

import hashlib
import json
import shutil
from pathlib import Path

import pandas as pd
import pytest

from metrics import build
from metrics.store import load

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "data"


def digest_tree(folder: Path) -> dict[str, str]:
    """What the build writes (every parquet file and the manifest), by path: not the sources, not the corpus."""
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file() and "sources" not in p.parts
            and (p.suffix == ".parquet" or p.name == "manifest.json")}


@pytest.fixture
def workspace(tmp_path: Path) -> Path:
    """A copy of the sources with a completed build beside them."""
    shutil.copytree(DATA / "sources", tmp_path / "sources")
    assert build.main(["--data-dir", str(tmp_path)]) == 0
    return tmp_path


def test_fresh_build_equals_committed_data(workspace: Path):
    assert digest_tree(workspace) == digest_tree(DATA)


@pytest.mark.parametrize("flags", [[], ["--full"]], ids=["incremental", "full"])
def test_rebuild_is_byte_identical(workspace: Path, flags):
    before = digest_tree(workspace)
    assert build.main(["--data-dir", str(workspace), *flags]) == 0
    assert digest_tree(workspace) == before


def test_manifest_lists_every_input_and_output(workspace: Path):
    manifest = json.loads((workspace / "manifest.json").read_text(encoding="utf-8"))
    outputs = {p.relative_to(workspace).as_posix() for p in workspace.rglob("*.parquet")}
    assert set(manifest["outputs"]) == outputs
    inputs = {"sources/" + p.relative_to(workspace / "sources").as_posix() for p in (workspace / "sources").rglob("*")
              if p.is_file() and p.name != "README.md"}
    assert set(manifest["inputs"]) == inputs
    for rel, entry in manifest["outputs"].items():
        assert entry["rows"] == len(pd.read_parquet(workspace / rel)), rel
    assert manifest["build_version"] == build.BUILD_VERSION and len(manifest["data_version"]) == 8


def test_one_dataset_per_case(workspace: Path):
    dataset = load(workspace)
    assert dataset.problems == []
    # Every case file, ordered by source and within an article as it prints them (the seed's three first).
    assert sorted(dataset.case_ids()) == sorted(p.stem for p in (DATA / "sources" / "cases").glob("*.yaml"))
    assert dataset.case_ids()[:3] == ["xiangtan", "heilongjiang", "fangchenggang"]
    for case_id in dataset.case_ids():
        for table in ("facts", "events", "practices", "indicators"):
            part = pd.read_parquet(workspace / case_id / f"{table}.parquet")
            assert set(part["case_id"]) <= {case_id}, (case_id, table)   # a case may have no events, say


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"test setup: {old!r} not in {path.name}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


XT, HLJ = "cases/xiangtan.yaml", "cases/heilongjiang.yaml"
BROKEN_SOURCES = [  # (id, file, old text, new text, expected pieces of the message)
    ("yaml-syntax", XT, "facts:", "facts: [unclosed", ["xiangtan.yaml", "YAML syntax error at line"]),
    ("duplicate-id", XT, "fact_id: xt_ledger_assets", "fact_id: xt_ledger_total", ["xiangtan.yaml", "xt_ledger_total", "duplicate id"]),
    ("quote-not-in-document", XT, "3966亿元", "3967亿元", ["xiangtan.yaml", "xt_ledger_total", "quote not found in the article"]),
    ("number-missing-from-quote", XT, 'printed: "3039"', 'printed: "3038"', ["xiangtan.yaml", "xt_ledger_assets", "is not in its quote"]),
    ("unknown-unit", HLJ, "unit: 笔", "unit: 张", ["heilongjiang.yaml", "hlj_round1_loans", "unit", "张"]),
    ("value-differs-from-printed", XT, "value: 602", "value: 603", ["xiangtan.yaml", "xt_ledger_resources", "differs from printed"]),
    ("wrong-qualifier", XT, "qualifier: at_least", "qualifier: exact", ["xiangtan.yaml", "qualifier 'exact' but the text says"]),
    ("invalid-period", HLJ, 'period: "2022-06/2023-03"', 'period: "2022-13"', ["heilongjiang.yaml", "period '2022-13'"]),
    ("invalid-event-date", HLJ, 'date: "2024-01-31"', 'date: "2024-02-30"', ["heilongjiang.yaml", "date '2024-02-30'"]),
]


@pytest.mark.parametrize("case_id,rel,old,new,expected", BROKEN_SOURCES, ids=[b[0] for b in BROKEN_SOURCES])
def test_broken_source_is_refused_and_nothing_touched(workspace, capsys, case_id, rel, old, new, expected):
    before = digest_tree(workspace)
    _edit(workspace / "sources" / rel, old, new)
    assert build.main(["--data-dir", str(workspace)]) == 1
    message = capsys.readouterr().err
    assert "nothing was written" in message
    for piece in expected:
        assert piece in message, f"{piece!r} missing from:\n{message}"
    assert digest_tree(workspace) == before
    assert not list(workspace.glob(".build-*")), "staging folder left behind"


def test_identity_check_reports_the_sum(workspace, capsys):
    # Change a part and its quote consistently (the document says 602) so only the identity can catch it.
    sources = workspace / "sources"
    _edit(sources / "articles/000_91693168b2346fd9.txt", "国有资源 602", "国有资源 603")
    _edit(sources / XT, "国有资源602亿元", "国有资源603亿元")
    _edit(sources / XT, 'printed: "602"', 'printed: "603"')
    _edit(sources / XT, "value: 602", "value: 603")
    assert build.main(["--data-dir", str(workspace)]) == 1
    message = capsys.readouterr().err
    assert "xt_ledger_sum" in message and "identity broken" in message


def test_every_problem_reported_in_one_run(workspace, capsys):
    _edit(workspace / "sources" / XT, "3966亿元", "3967亿元")
    _edit(workspace / "sources" / HLJ, "unit: 笔", "unit: 张")
    assert build.main(["--data-dir", str(workspace)]) == 1
    message = capsys.readouterr().err
    assert "xt_ledger_total" in message and "hlj_round1_loans" in message


@pytest.mark.parametrize("full", [False, True], ids=["incremental", "full"])
def test_interrupted_save_leaves_previous_data(workspace, monkeypatch, full):
    before = digest_tree(workspace)
    _edit(workspace / "sources" / XT, 'indicator_en: "Key areas: categories of resources"',
          'indicator_en: "Key areas: resource categories"')

    def fail(*_args, **_kwargs):
        raise OSError("disk full")
    monkeypatch.setattr(build, "manifest_for", fail)
    with pytest.raises(OSError):
        build.build(workspace, full=full)
    assert digest_tree(workspace) == before
    assert not list(workspace.glob(".build-*"))
    monkeypatch.undo()   # the state the last build left still serves: the next build is incremental
    assert build.build(workspace)["run"]["mode"] == "incremental"


def test_check_mode_writes_nothing(workspace, capsys):
    before = digest_tree(workspace)
    assert build.main(["--data-dir", str(workspace), "--check"]) == 0
    assert "Sources valid" in capsys.readouterr().out
    assert digest_tree(workspace) == before
