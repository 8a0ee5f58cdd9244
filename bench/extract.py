"""Speed of the figure extractor, and whether two libraries would help it (cn2an, jieba).

    python -m bench.extract               # time a 10 KB article (target: under 0.5 s) and a 50 KB one
    python -m bench.extract --libraries   # also measure cn2an and jieba against what the extractor does now

The article is real text: the development corpus's bodies (data/corpus) joined until the size is reached, so the
mix of figures, dates and punctuation is the one the extractor meets. Times are the median of warm runs in this
process, plus one cold run in a fresh interpreter (imports included), which is what `python -m metrics.extract`
costs a curator. Not part of the test suite: nothing here passes or fails a build.
"""
from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "data" / "corpus"
TARGET_S = 0.5


def article_of(size_bytes: int) -> str:
    """Corpus bodies joined (repeated if need be) until ``size_bytes`` of UTF-8 is reached."""
    from metrics.extract_score import split_corpus_file

    bodies = [split_corpus_file(p.read_text(encoding="utf-8"))[1] for p in sorted(CORPUS.glob("*.txt"))]
    text, i = "", 0
    while len(text.encode("utf-8")) < size_bytes:
        text += bodies[i % len(bodies)] + "\n"
        i += 1
    return text


def warm_seconds(text: str, runs: int = 15) -> float:
    from metrics.extract import extract

    extract(text)  # first call pays for the compiled patterns
    times = []
    for _ in range(runs):
        began = time.perf_counter()
        extract(text)
        times.append(time.perf_counter() - began)
    return statistics.median(times)


def cold_seconds(size_bytes: int) -> float:
    """One extraction in a fresh interpreter, imports included (what one command-line draft costs)."""
    code = ("import time; t = time.perf_counter(); from bench.extract import article_of; "
            f"text = article_of({size_bytes}); t0 = time.perf_counter(); from metrics.extract import extract; "
            "extract(text); print(time.perf_counter() - t0)")
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    return float(out.stdout.strip())


def speed() -> dict:
    out = {}
    for size in (10_000, 50_000):
        text = article_of(size)
        out[f"{size // 1000}KB"] = {"chars": len(text), "warm_s": round(warm_seconds(text), 4),
                                    "cold_s_with_imports": round(cold_seconds(size), 4)}
    out["target_s"] = TARGET_S
    out["within_target"] = out["10KB"]["cold_s_with_imports"] < TARGET_S
    return out


# ---------------------------------------------------------------------------------------------- libraries

def _import_seconds(module: str) -> float:
    code = f"import time; t = time.perf_counter(); import {module}; print(time.perf_counter() - t)"
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True)
    return float(out.stdout.strip()) if out.returncode == 0 else float("nan")


def measure_cn2an() -> dict:
    """Does cn2an read the Chinese numerals the extractor accepts (二…九十九) as metrics.reading does?"""
    try:
        import cn2an
    except ImportError:
        return {"installed": False}
    from metrics.reading import parse_printed

    digits = "一二三四五六七八九"
    numerals = [d for d in "两三四五六七八九"] + ["十"] + [f"{t}十{o}" for t in ["", *digits[1:]] for o in ["", *digits]]
    disagree = [n for n in numerals if float(cn2an.cn2an(n, "smart")) != parse_printed(n)]
    began = time.perf_counter()
    for _ in range(100):
        for n in numerals:
            cn2an.cn2an(n, "smart")
    per_call = (time.perf_counter() - began) / (100 * len(numerals))
    began = time.perf_counter()
    for _ in range(100):
        for n in numerals:
            parse_printed(n)
    ours = (time.perf_counter() - began) / (100 * len(numerals))
    return {"installed": True, "numerals": len(numerals), "disagree": disagree,
            "import_s": round(_import_seconds("cn2an"), 3), "per_call_us": round(per_call * 1e6, 1),
            "ours_per_call_us": round(ours * 1e6, 1)}


def _jieba_name(name: str, posseg) -> str:
    """The proposed name with leading function words (prepositions, conjunctions, adverbs, pronouns) cut by POS."""
    words = list(posseg.cut(name))
    while words and words[0].flag[:1] in ("p", "c", "d", "r", "u"):
        words.pop(0)
    return "".join(w.word for w in words)


def measure_jieba() -> dict:
    """Name quality (character Dice against the keys' words) with and without a jieba clean-up, and its cost."""
    try:
        import jieba
        import jieba.posseg as posseg
    except ImportError:
        return {"installed": False}
    from metrics.extract import extract_for_scoring
    from metrics.extract_score import load_corpus, similarity

    jieba.setLogLevel(60)
    began = time.perf_counter()
    jieba.initialize()  # loads the bundled dictionary from the package: no network
    load_s = time.perf_counter() - began
    plain, cut, seconds = [], [], 0.0
    for article in load_corpus():
        facts, _ = extract_for_scoring(article.text, article.furniture, article.published)
        for figure in article.figures:
            fact = next((f for f in facts if f.quote and figure.printed == f.printed and figure.unit == f.unit), None)
            if fact is None or not figure.name:
                continue
            began = time.perf_counter()
            alternative = _jieba_name(fact.name, posseg)
            seconds += time.perf_counter() - began
            plain.append(similarity(fact.name, figure.name))
            cut.append(similarity(alternative, figure.name))
    return {"installed": True, "names": len(plain), "dice_rules": round(statistics.fmean(plain), 3),
            "dice_rules_plus_jieba": round(statistics.fmean(cut), 3), "import_s": round(_import_seconds("jieba"), 3),
            "dictionary_load_s": round(load_s, 3), "tagging_s_total": round(seconds, 3)}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.extract", description=__doc__.splitlines()[0])
    parser.add_argument("--libraries", action="store_true", help="also measure cn2an and jieba if installed")
    args = parser.parse_args(argv)
    result = {"speed": speed()}
    if args.libraries:
        result["cn2an"] = measure_cn2an()
        result["jieba"] = measure_jieba()
    print(json.dumps(result, ensure_ascii=False, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
