"""The whole curation flow in a real browser, on a real corpus article that is not a case: upload it, review the
drafted figures beside the text, fix what the checks report, publish, and find the new case on its page, on the
overview and on the data page.

The app runs on a copy of the repository (tmp_path), with the Mianyang article's case and article removed from the
copy's sources and the copy rebuilt: the real data/ is never touched.
"""
from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from tests.support.server import free_port, serving

from . import browser as b

pytestmark = pytest.mark.browser

ARTICLE = b.ROOT / "data" / "corpus" / "06_mianyang_zhencun_gongyou_zichan.txt"
REMOVED = ("cases/mianyang.yaml", "articles/06_mianyang_zhencun_gongyou_zichan.txt",
           "articles/06_mianyang_zhencun_gongyou_zichan.yaml")
CASE_ID = "mianyang_cun"
COPIED = ("dashboard.py", "pages", "ui", "metrics", "deploy", "data", ".streamlit")


@pytest.fixture(scope="module")
def repo_copy(tmp_path_factory) -> Path:
    """The app and its data in a temp folder, without the Mianyang case, rebuilt."""
    root = tmp_path_factory.mktemp("repo")
    for name in COPIED:
        source = b.ROOT / name
        if source.is_dir():
            shutil.copytree(source, root / name, ignore=shutil.ignore_patterns("__pycache__", "drafts", ".build-*",
                                                                                "corpus"))
        else:
            shutil.copy2(source, root / name)
    for rel in REMOVED:
        (root / "data" / "sources" / rel).unlink()
    subprocess.run([sys.executable, "-m", "metrics.build"], cwd=root, check=True, capture_output=True)
    return root


@pytest.fixture(scope="module")
def app(repo_copy, chromium):
    port = free_port()
    command = [sys.executable, "-m", "streamlit", "run", "dashboard.py", "--server.headless=true",
               "--server.address=127.0.0.1", f"--server.port={port}", "--browser.gatherUsageStats=false"]
    b.ARTIFACTS.mkdir(exist_ok=True)
    with serving(command, f"http://127.0.0.1:{port}", cwd=repo_copy, log=b.ARTIFACTS / "e2e-curate.log",
                 env={"DASHBOARD_DATA_DIR": str(repo_copy / "data")}):
        yield f"http://127.0.0.1:{port}"


def settle(page, text: str) -> None:
    """Until the script has finished and ``text`` is on the page."""
    b.wait_ready(page, text)


def commit(page, label: str, value: str, revision: int) -> None:
    """Type into the text input labelled ``label`` and press Enter; wait until the draft is saved as ``revision``."""
    field = page.get_by_label(label, exact=True)
    field.fill(value)
    field.press("Enter")
    settle(page, f"第 {revision} 版")


def checks_text(page) -> str:
    return page.locator('[data-testid="stMain"]').inner_text()


def test_an_article_becomes_a_published_case(app, browser, repo_copy, tmp_path):
    lines = ARTICLE.read_text(encoding="utf-8").splitlines()
    upload = tmp_path / "mianyang.txt"
    upload.write_text("\n".join(lines[2:]), encoding="utf-8")
    context = browser.new_context(viewport=b.VIEWPORT, locale="zh-CN")
    requests = b.Requests().attach(context)
    page = context.new_page()
    page.goto(f"{app}/curate")
    settle(page, "新建草稿")

    # 1. the article in: an id, the file, the title and date from the article's page
    page.get_by_label("案例编号（小写字母、数字、下划线）").fill(CASE_ID)
    page.locator('[data-testid="stFileUploaderDropzoneInput"]').set_input_files(str(upload))
    page.get_by_label("标题 Title (zh)").fill(lines[1])
    page.get_by_label("发表日期 Published (2022-10-26 / 2022-10 / 2022)").fill("2021-12-10")
    page.get_by_label("网址 URL (http/https)").fill(lines[0])
    page.get_by_role("button", name="起草").click()
    settle(page, "第 1 版")
    assert f"draft={CASE_ID}" in page.url

    # 2. review: every drafted figure is marked in the article; choosing one shows its sentence
    marks = page.locator('.st-key-cur_article .stMarkdownColoredBackground')
    draft = yaml.safe_load((repo_copy / "data" / "drafts" / CASE_ID / "draft.json").read_text(encoding="utf-8"))
    assert marks.count() == len(draft["facts"]) >= 4
    assert "2309" in marks.all_inner_texts()
    b.screenshot(page, "curate_1_drafted")
    assert "fields left empty" in checks_text(page)
    assert page.get_by_role("button", name="发布").is_disabled()

    # 3. fix what the checks report: the place, its division code, the figures' scope
    commit(page, "地区 Locality (zh)", "绵阳市", 2)
    commit(page, "行政区划代码 Division code (6 digits)", "510700", 3)
    page.get_by_label("实践类别 Family").click()
    page.get_by_role("option", name="assets", exact=True).click()
    settle(page, "第 4 版")
    commit(page, "默认口径 Default scope of figures (zh)", "绵阳市", 5)
    settle(page, "全部检查通过")
    b.screenshot(page, "curate_2_checked")

    # 4. a refresh brings the same draft back
    page.reload()
    settle(page, "第 5 版")
    assert page.get_by_label("地区 Locality (zh)").input_value() == "绵阳市"

    # 5. publish: the three files are written, the build runs
    page.get_by_role("button", name="发布").click()
    settle(page, "已发布")
    b.screenshot(page, "curate_3_published")
    sources = repo_copy / "data" / "sources"
    assert (sources / "cases" / f"{CASE_ID}.yaml").exists() and (sources / "articles" / f"{CASE_ID}.txt").exists()

    # 6. the new case on its page (both languages), the overview and the data page
    page.goto(f"{app}/{CASE_ID}")
    settle(page, "全部数字")
    main = checks_text(page)
    assert lines[1] in main and "绵阳市" in main
    b.screenshot(page, "curate_4_case_page")
    page.goto(f"{app}/{CASE_ID}?lang=en")
    settle(page, "[untranslated]")
    b.screenshot(page, "curate_5_case_page_en")
    page.goto(f"{app}/")
    settle(page, "绵阳市")           # the short name: the locality, as no short name was typed
    assert page.get_by_role("link", name="绵阳市").count() or "绵阳市" in checks_text(page)
    b.screenshot(page, "curate_6_overview")
    page.goto(f"{app}/data?case={CASE_ID}")
    settle(page, f"显示 {len(draft['facts'])} / ")
    b.screenshot(page, "curate_7_data_page")
    requests.assert_offline()
    context.close()
