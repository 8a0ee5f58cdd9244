"""Articles published from the development corpus keep exactly the corpus body, so the two copies cannot drift.

A corpus file (data/corpus/NN_name.txt) is line 1 the URL, line 2 the title, the body from line 3; a published
article (data/sources/articles/<source_id>.txt) is the text exactly as received. Where an article's metadata names
the URL of a corpus file, its text must be that file's body, byte for byte.
"""
from __future__ import annotations

from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "data" / "corpus"
ARTICLES = ROOT / "data" / "sources" / "articles"

# The six articles of the first corpus are published under their corpus stem; later ones may be added.
FIRST_SIX = ["01_liling_panhuo_sanzi", "02_wujin_gongwucang_panhuo", "03_hefei_danbao_fengxian_buchang_2017",
             "04_hefei_zhengfuxing_danbao_jixiao_2025", "05_yulin_caizheng_tiexi", "06_mianyang_zhencun_gongyou_zichan"]


def corpus_by_url() -> dict[str, Path]:
    return {path.read_text(encoding="utf-8").split("\n", 1)[0].strip(): path for path in sorted(CORPUS.glob("*.txt"))}


def corpus_body(path: Path) -> str:
    """Everything from line 3 on, exactly as stored."""
    return "\n".join(path.read_text(encoding="utf-8").split("\n")[2:])


def published_from_corpus() -> list[tuple[Path, Path]]:
    """(article metadata, corpus file) for every article whose URL is a corpus file's."""
    corpus = corpus_by_url()
    pairs = []
    for meta_path in sorted(ARTICLES.glob("*.yaml")):
        url = str((yaml.safe_load(meta_path.read_text(encoding="utf-8")) or {}).get("url", "")).strip()
        if url in corpus:
            pairs.append((meta_path, corpus[url]))
    return pairs


def test_the_first_six_corpus_articles_are_published():
    published = {meta.stem: corpus.stem for meta, corpus in published_from_corpus()}
    for stem in FIRST_SIX:
        assert published.get(stem) == stem, f"{stem}: no article in data/sources/articles with its corpus URL"


@pytest.mark.parametrize("meta_path,corpus_path", published_from_corpus(), ids=lambda p: p.stem)
def test_article_text_is_the_corpus_body(meta_path: Path, corpus_path: Path):
    text = meta_path.with_suffix(".txt").read_text(encoding="utf-8")
    assert text == corpus_body(corpus_path), (
        f"{meta_path.with_suffix('.txt').name} differs from the body (line 3 on) of data/corpus/{corpus_path.name}")


@pytest.mark.parametrize("meta_path,corpus_path", published_from_corpus(), ids=lambda p: p.stem)
def test_article_metadata_matches_its_corpus_file(meta_path: Path, corpus_path: Path):
    meta = yaml.safe_load(meta_path.read_text(encoding="utf-8"))
    assert meta["source_id"] == meta_path.stem
    assert meta["completeness"] in ("complete", "truncated")
    assert meta.get("licence_zh") and meta.get("licence_en") and meta.get("publisher_zh") and meta.get("publisher_en")
