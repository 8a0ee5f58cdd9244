"""The curation workbench's logic (metrics/curation.py): local only, safe ids, article in, drafts with revisions,
live validation with the build's checks, and a publish that writes everything or nothing."""
from __future__ import annotations

import hashlib
import io
import json
import math
import shutil
from pathlib import Path

import pandas as pd
import pytest
import yaml

from metrics import curation as cur

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "data" / "corpus"
MIANYANG = CORPUS / "06_mianyang_zhencun_gongyou_zichan.txt"   # 4 figures: a small real article


def body(path: Path) -> tuple[str, str, str]:
    """(url, title, text) of a corpus file (line 1 URL, line 2 title, body from line 3)."""
    lines = path.read_text(encoding="utf-8").splitlines()
    return lines[0], lines[1], "\n".join(lines[2:])


@pytest.fixture
def local(monkeypatch):
    monkeypatch.delenv(cur.MODE_VAR, raising=False)
    monkeypatch.delenv(cur.ADDRESS_VAR, raising=False)


@pytest.fixture
def data_copy(tmp_path, local) -> Path:
    """A copy of data/ (built tables and sources, no corpus) to publish into."""
    target = tmp_path / "data"
    shutil.copytree(ROOT / "data", target, ignore=shutil.ignore_patterns("corpus", "drafts", ".build-*"))
    return target


def tree_digest(folder: Path) -> dict[str, str]:
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file() and "drafts" not in p.parts}


def filled(case_id: str = "mianyang_cun") -> dict:
    """A draft of the Mianyang article with what a curator must type: the case's place, code and default scope, a
    period for each figure the text dates only by the article, and one wrong qualifier fixed."""
    url, title, text = body(MIANYANG)
    draft = cur.new_draft(case_id, text, {"title_zh": title, "url": url, "published": "2021-12-10",
                                          "publisher_zh": "绵阳日报"})
    draft["case"].update(locality_zh="绵阳市", division_code="510700", scope_zh="绵阳市", family="assets")
    for fact in draft["facts"]:
        fact["period"] = fact["period"] or "2021"
    return draft


# --- local only ---------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("environ,address,allowed", [
    ({}, "127.0.0.1", True),
    ({}, "::1", True),
    ({}, "localhost", True),
    ({"DASHBOARD_MODE": "local"}, "127.0.0.1", True),
    ({"DASHBOARD_MODE": "hosted"}, "127.0.0.1", False),       # hosted behind a proxy listens on the loopback too
    ({"DASHBOARD_MODE": "Hosted "}, "127.0.0.1", False),
    ({"DASHBOARD_MODE": "prod"}, "127.0.0.1", False),         # anything but local is hosted: fail closed
    ({}, "0.0.0.0", False),                                    # the whole network
    ({}, None, False),                                         # not set: Streamlit listens on every interface
    ({}, "192.168.1.5", False),
    ({"STREAMLIT_SERVER_ADDRESS": "0.0.0.0"}, "127.0.0.1", False),
])
def test_the_workbench_exists_only_on_a_local_loopback_run(environ, address, allowed):
    assert cur.writes_allowed(environ, address) is allowed


def test_the_hosted_launcher_sets_the_marker_over_any_environment():
    from deploy import hosted
    assert hosted.hosted_environment()[cur.MODE_VAR] == "hosted"
    assert hosted.environment({cur.MODE_VAR: "local"})[cur.MODE_VAR] == "hosted"
    assert not cur.writes_allowed(hosted.environment({}), "127.0.0.1")


@pytest.mark.parametrize("write", ["save", "publish"])
def test_every_write_refuses_when_hosted(monkeypatch, data_copy, write):
    before = tree_digest(data_copy)
    draft = filled()
    monkeypatch.setenv(cur.MODE_VAR, "hosted")
    with pytest.raises(cur.NotLocal):
        if write == "save":
            cur.save_draft(draft, data_copy)
        else:
            cur.publish(draft, data_copy)
    assert tree_digest(data_copy) == before
    assert not (data_copy / "drafts").exists()


# --- ids and paths -----------------------------------------------------------------------------------------------
@pytest.mark.parametrize("case_id", ["liling_2022", "ab", "x9", "a" * 40])
def test_a_slug_is_a_case_id(case_id):
    assert cur.check_case_id(case_id) == case_id


@pytest.mark.parametrize("case_id", [
    "", "a", "a" * 41, "9lives", "_x", "Liling", "li-ling", "li ling", "../etc", "..", "a/../../x", "/etc/passwd",
    "a/b", "a\\b", "liling\n", "liling\x00", "ｌｉｌｉｎｇ",        # full-width letters (NFKC folds them to ASCII)
    "lіling",                                                      # a Cyrillic і
    "li\u200bling",                                                # a zero-width space
    "醴陵", None, 42,
])
def test_no_case_id_escapes_the_sources_folder(case_id):
    with pytest.raises(cur.CurationError):
        cur.check_case_id(case_id)


@pytest.mark.parametrize("name", ["../x.yaml", "/etc/passwd", "cases/../../x"])
def test_paths_outside_the_folder_are_refused(tmp_path, name):
    with pytest.raises(cur.CurationError):
        cur.inside(tmp_path / "sources", name)


def test_a_hostile_draft_id_writes_nothing(data_copy):
    draft = {**filled(), "case_id": "../../evil"}
    with pytest.raises(cur.CurationError):
        cur.save_draft(draft, data_copy)
    with pytest.raises(cur.CurationError):
        cur.publish(draft, data_copy)
    assert not list(data_copy.parent.glob("evil*"))


# --- article in -------------------------------------------------------------------------------------------------
def docx_bytes(paragraphs: list[str]) -> bytes:
    import docx
    document = docx.Document()
    for paragraph in paragraphs:
        document.add_paragraph(paragraph)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


@pytest.mark.parametrize("name,data,text", [
    ("a.txt", "全市盘活资产1.88亿元。".encode(), "全市盘活资产1.88亿元。"),
    ("a.TXT", "全市盘活资产1.88亿元。".encode("utf-8-sig"), "全市盘活资产1.88亿元。"),
    ("a.txt", "全市盘活资产1.88亿元。".encode("gb18030"), "全市盘活资产1.88亿元。"),
    ("a.txt", "第一行\r\n第二行".encode(), "第一行\n第二行"),
    ("a.docx", docx_bytes(["醴陵财政", "全市盘活资产1.88亿元。"]), "醴陵财政\n全市盘活资产1.88亿元。"),
])
def test_uploads_give_the_article_text(name, data, text):
    assert cur.read_upload(name, data) == text


@pytest.mark.parametrize("name,data,says", [
    ("a.pdf", b"%PDF-1.4", "only .txt and .docx"),
    ("a.exe", b"MZ", "only .txt and .docx"),
    ("a.docx", b"not a zip file", "cannot be read as a Word document"),
    ("a.txt", b"", "empty"),
    ("a.txt", b"   \n ", "empty"),
    ("a.txt", ("字" * 70_000).encode("utf-8"), "at most 200 KB"),
    ("a.txt", b"\x00\x01\x02binary", "binary"),
    ("a.txt", b"\xff\xfe\xfd\x80\x81", "neither UTF-8 nor GB18030"),
    ("a.txt", b"x" * 6_000_000, "a file may have"),
])
def test_bad_uploads_are_refused_with_a_clear_message(name, data, says):
    with pytest.raises(cur.CurationError, match=says):
        cur.read_upload(name, data)


# --- the draft ---------------------------------------------------------------------------------------------------
def test_a_new_draft_proposes_every_figure_with_its_quote():
    url, title, text = body(MIANYANG)
    draft = cur.new_draft("mianyang_cun", text, {"title_zh": title})
    key = yaml.safe_load((CORPUS / "06_mianyang_zhencun_gongyou_zichan.facts.yaml").read_text(encoding="utf-8"))
    wanted = {(float(f["value"]), f["unit"]) for f in key["figures"]}
    got = {(float(f["value"]), f["unit"]) for f in draft["facts"]}
    assert wanted <= got
    normalized = cur.normalize(text)
    assert all(cur.find_quote(normalized, f["quote"]) >= 0 for f in draft["facts"])
    assert draft["case"]["title_zh"] == title and draft["rev"] == 0


def test_every_drafted_figure_is_marked_in_the_article():
    draft = filled()
    marked = {fid for _, fid in cur.segments(draft["text"], draft["facts"]) if fid}
    assert marked == {f["fact_id"] for f in draft["facts"]}
    assert "".join(piece for piece, _ in cur.segments(draft["text"], draft["facts"])) == cur.normalize(draft["text"])


def test_a_figure_is_added_by_choosing_its_text():
    draft = cur.new_draft("ab", "截至2022年，全市盘活资产1.88亿元，其中130余万元用于补短板。")
    clauses = cur.find_in_text(draft["text"], "130")
    assert clauses == ["其中130余万元用于补短板。"]
    fact = cur.add_fact(draft, clauses[0], "130")
    assert (fact["fact_id"], fact["value"], fact["unit"], fact["qualifier"]) == ("ab_f003", 130, "万元", "at_least")
    with pytest.raises(cur.CurationError, match="not in the chosen quote"):
        cur.add_fact(draft, clauses[0], "131")
    assert cur.sentence_of(draft["text"], "全市盘活资产1.88亿元") == "截至2022年，全市盘活资产1.88亿元，其中130余万元用于补短板。"


@pytest.mark.parametrize("delta,ids,changed", [
    ({"edited_rows": {"0": {"indicator_zh": "盘活资产"}}}, ["ab_f001", "ab_f002"], {"ab_f001": "盘活资产"}),
    ({"deleted_rows": [1]}, ["ab_f001"], {}),
    ({"added_rows": [{"indicator_zh": "新数字", "printed": "7"}]}, ["ab_f001", "ab_f002", "ab_f003"],
     {"ab_f003": "新数字"}),
    ({"edited_rows": {"0": {"fact_id": "../x"}}}, ["ab_f001", "ab_f002"], {}),   # the id column is not editable
    ({"edited_rows": {"7": {"indicator_zh": "x"}}}, ["ab_f001", "ab_f002"], {}),  # a row that is not there
])
def test_table_edits_apply_to_the_draft(delta, ids, changed):
    draft = cur.new_draft("ab", "截至2022年，全市盘活资产1.88亿元，其中130余万元用于补短板。")
    edited = cur.apply_edits(draft, "facts", delta)
    assert [f["fact_id"] for f in edited["facts"]] == ids
    for fact_id, name in changed.items():
        assert next(f for f in edited["facts"] if f["fact_id"] == fact_id)["indicator_zh"] == name


# --- drafts on disk ----------------------------------------------------------------------------------------------
def test_a_saved_draft_comes_back_exactly(data_copy):
    draft = filled()
    draft["facts"][0]["value"] = float("nan")       # an emptied cell
    saved = cur.save_draft(draft, data_copy)
    again = cur.load_draft("mianyang_cun", data_copy)
    assert again == json.loads(json.dumps(cur._plain(saved), ensure_ascii=False))
    assert again["rev"] == 1 and again["facts"][0]["value"] is None
    assert cur.list_drafts(data_copy) == ["mianyang_cun"]


def test_two_tabs_never_overwrite_each_other(data_copy):
    first = cur.save_draft(filled(), data_copy)                      # both tabs open revision 1
    tab_a = {**first, "case": {**first["case"], "locality_zh": "甲"}}
    tab_b = {**first, "case": {**first["case"], "locality_zh": "乙"}}
    cur.save_draft(tab_a, data_copy)
    with pytest.raises(cur.StaleDraft, match="revision 2, yours 1"):
        cur.save_draft(tab_b, data_copy)
    assert cur.load_draft("mianyang_cun", data_copy)["case"]["locality_zh"] == "甲"


# --- validation and publishing -------------------------------------------------------------------------------------
def test_a_fresh_draft_is_checked_record_by_record():
    url, title, text = body(MIANYANG)
    report = cur.validate(cur.new_draft("mianyang_cun", text, {"title_zh": title}))
    records = report["mianyang_cun.yaml"]
    assert "division_code" in records["mianyang_cun"][0]
    assert all("scope_zh" in " ".join(records[f"mianyang_cun_f00{n}"]) for n in range(1, 4))


def test_a_filled_draft_passes_the_builds_checks():
    assert cur.validate(filled()) == {}


def test_an_invalid_publish_writes_nothing(data_copy):
    before = tree_digest(data_copy)
    draft = filled()
    draft["case"]["division_code"] = "51"
    with pytest.raises(cur.PublishRefused) as refused:
        cur.publish(draft, data_copy)
    assert "division_code" in json.dumps(refused.value.report, ensure_ascii=False)
    assert tree_digest(data_copy) == before


def test_a_taken_case_id_is_refused(data_copy):
    before = tree_digest(data_copy)
    with pytest.raises(cur.CurationError, match="already exists"):
        cur.publish(filled("mianyang"), data_copy)
    assert tree_digest(data_copy) == before


def test_publishing_writes_the_three_files_and_rebuilds(data_copy):
    manifest = cur.publish(filled(), data_copy)
    sources = data_copy / "sources"
    assert (sources / "articles" / "mianyang_cun.txt").read_text(encoding="utf-8") == body(MIANYANG)[2]
    meta = yaml.safe_load((sources / "articles" / "mianyang_cun.yaml").read_text(encoding="utf-8"))
    assert meta["title_en"].startswith(cur.UNTRANSLATED) and meta["published"] == "2021-12-10"
    assert "cases/mianyang_cun.yaml" in "\n".join(manifest["inputs"])
    cases = pd.read_parquet(data_copy / "cases.parquet").set_index("case_id")
    assert cases.loc["mianyang_cun", "locality_en"] == cur.UNTRANSLATED + "绵阳市"
    facts = pd.read_parquet(data_copy / "mianyang_cun" / "facts.parquet")
    assert len(facts) == len(filled()["facts"]) and (facts["scope_zh"] == "绵阳市").all()
    assert not list(sources.rglob(".*.yaml.*"))       # no temp file left behind


def test_english_left_empty_is_the_chinese_marked_untranslated():
    assert cur.english("绵阳市", "") == "[untranslated] 绵阳市"
    assert cur.english("绵阳市", "Mianyang") == "Mianyang"
    assert cur.english("", "") == ""
    assert "facts" not in " ".join(cur.still_english(filled()))
    assert "mianyang_cun_f001.indicator_en" in cur.still_english(filled())


def test_numbers_survive_the_case_file():
    doc = cur.case_document(filled())
    assert all(isinstance(f["value"], (int, float)) and not math.isnan(f["value"]) for f in doc["facts"])


@pytest.mark.parametrize("article,names", [
    ("01_liling_panhuo_sanzi", ["织密“管理网”,“三资”盘活更规范", "摸清“家底数”,“三资”清理更高效", "完善“处置线”,“三资”处置更智慧"]),
    ("03_hefei_danbao_fengxian_buchang_2017", ["提升担保行业保障水平", "搭建企业续贷桥梁", "建立风险补偿机制", "积极对接省级政策"]),
    ("06_mianyang_zhencun_gongyou_zichan", []),
])
def test_numbered_points_are_proposed_as_practices(article, names):
    text = body(CORPUS / f"{article}.txt")[2]
    practices = cur.propose_practices(text, "x")
    assert [p["name_zh"] for p in practices] == names
    assert all(cur.find_quote(cur.normalize(text), p["quote"]) >= 0 for p in practices)


def test_a_practice_is_added_by_choosing_its_text():
    draft = filled()
    clause = cur.find_in_text(draft["text"], "两项改革")[0]
    practice = cur.add_practice(draft, clause)
    assert practice["practice_id"] == "mianyang_cun_p001" and practice["quote"] == clause
    with pytest.raises(cur.CurationError):
        cur.add_practice(draft, "文中没有的句子")
