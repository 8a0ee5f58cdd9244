"""Scoring the figure extractor against hand-made answer keys, one article or the whole development corpus.

Strict on (value, unit as printed, qualifier): each key figure pairs with at most one proposed figure of the same
triple, the one nearest to where the key's quote stands. Two key formats are read:

* a corpus key (``data/corpus/NN_name.facts.yaml``): ``figures`` with value as printed, unit, qualifier, quote,
  ``measures`` (what it measures), period as words, and optionally ``kind``; ``not_figures`` for the record;
* curated case files (``data/sources/cases/*.yaml``): ``facts`` with value, unit, qualifier, quote, indicator_zh,
  an ISO period and a kind. The seed article is scored this way.

Corpus keys leave counts written in Chinese numerals (五次, 三方) out while the project counts them, so against a
corpus key a proposed Chinese-numeral count is neither right nor wrong (listed as "neutral"). Besides recall and
precision the report gives quote length, kind agreement (where the key or a curated case says a kind), period
coverage (proposed for figures whose period the text states) and how close proposed names are to the key's words.
"""
from __future__ import annotations

import re
import statistics
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from .reading import parse_printed
from .units import ALIASES

ROOT = Path(__file__).resolve().parent.parent
CORPUS_DIR = ROOT / "data" / "corpus"
ARTICLES_DIR = ROOT / "data" / "sources" / "articles"
CASES_DIR = ROOT / "data" / "sources" / "cases"
ARABIC = re.compile(r"[\d.,]+")
# A key period in words is "stated" when it names a time; 未印出 (not printed) and bare criteria are not.
STATED_WORDS = ("今年", "目前", "截至", "以来", "年度", "半年", "季度", "当年", "current")
UNSTATED_WORDS = ("未印出", "not printed")


class KeyError_(ValueError):
    """An answer key that cannot be read or holds no figure: one line naming the file."""


@dataclass
class KeyFigure:
    value: float
    printed: str
    unit: str
    qualifier: str
    quote: str
    name: str = ""
    period: str = ""      # as the key writes it; "" when the text states none
    kind: str = ""        # "" when neither the key nor a curated case says one
    from_case: bool = False  # read from a curated case file (which counts Chinese-numeral figures)

    @property
    def triple(self) -> tuple:
        return fact_key(self.value, self.unit, self.qualifier)


@dataclass
class Article:
    name: str
    text: str
    figures: list[KeyFigure]
    furniture: list[str] = field(default_factory=list)
    published: str = ""
    counts_chinese: bool = False   # the key counts Chinese-numeral figures (case files do, corpus keys do not)


@dataclass
class Score:
    recall: float
    precision: float
    matched: int
    key_total: int
    extracted_total: int
    missed: list[tuple]
    extra: list[tuple]


class Rates:
    """Recall and precision from counts of matched, key and proposed figures (an article's or the corpus's)."""

    @property
    def recall(self) -> float:
        return self.matched / self.key_total if self.key_total else 1.0

    @property
    def precision(self) -> float:
        return self.matched / self.proposed if self.proposed else 1.0


@dataclass
class ArticleScore(Rates):
    name: str
    key_total: int
    proposed: int            # proposed figures that count (neutral ones left out)
    matched: int
    missed: list[KeyFigure]
    extra: list = field(default_factory=list)
    neutral: list = field(default_factory=list)
    quote_lengths: list[int] = field(default_factory=list)
    kinds: list[tuple[str, str]] = field(default_factory=list)      # (key kind, proposed kind)
    periods: list[tuple[str, str]] = field(default_factory=list)    # (key period, proposed period), stated ones
    names: list[float] = field(default_factory=list)                # similarity of proposed name to the key's
    seconds: float = 0.0



# ---------------------------------------------------------------------------------------------- the simple score

def fact_key(value, unit: str, qualifier: str) -> tuple:
    """What scoring compares: value (rounded against float noise), unit (％ = %, 件（套） = 件(套)), qualifier."""
    return round(float(value), 6), ALIASES.get(str(unit), str(unit)), qualifier


def score(facts: Iterable, key: list[tuple]) -> Score:
    """Multiset match: each key fact pairs with at most one extracted fact of the same (value, unit, qualifier)."""
    got, want = Counter(fact_key(f.value, f.unit, f.qualifier) for f in facts), Counter(key)
    matched = sum((got & want).values())
    n_got, n_want = sum(got.values()), sum(want.values())
    return Score(matched / n_want if n_want else 1.0, matched / n_got if n_got else 1.0, matched, n_want, n_got,
                 sorted((want - got).elements()), sorted((got - want).elements()))


def format_score(result: Score) -> str:
    lines = [f"recall    {result.recall:.1%} ({result.matched}/{result.key_total} key facts found)",
             f"precision {result.precision:.1%} ({result.matched}/{result.extracted_total} extracted facts in the key)"]
    lines += [f"  missed {item}" for item in result.missed] + [f"  extra  {item}" for item in result.extra]
    return "\n".join(lines)


# ---------------------------------------------------------------------------------------------- reading keys

def _read_yaml(path: Path) -> dict:
    try:
        data = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        raise KeyError_(f"{path}: cannot be read ({type(exc).__name__}: not YAML or not UTF-8)") from exc
    if not isinstance(data, dict):
        raise KeyError_(f"{path}: empty or not a mapping; an answer key needs 'figures:' or 'facts:'")
    return data


def _figure(entry, path: Path, i: int, curated: bool) -> KeyFigure:
    try:
        printed = str(entry.get("printed", entry["value"]) if curated else entry["value"])
        return KeyFigure(float(entry["value"]) if curated else parse_printed(printed), printed, str(entry["unit"]),
                         str(entry["qualifier"]), str(entry.get("quote") or ""),
                         str(entry.get("indicator_zh" if curated else "measures") or ""),
                         str(entry.get("period") or ""), str(entry.get("kind") or ""), curated)
    except (AttributeError, KeyError, TypeError, ValueError) as exc:
        raise KeyError_(f"{path}: figure {i + 1} needs value, unit and qualifier ({exc})") from exc


def _resolve_same(figures: list[KeyFigure]) -> None:
    """A corpus key writes 同上 ("as above") for a period: take the figure before's."""
    for before, figure in zip(figures, figures[1:]):
        if figure.period.startswith("同上"):
            figure.period = before.period


def load_figures(paths: Iterable[str | Path]) -> list[KeyFigure]:
    """The figures of one or more keys (corpus keys or curated case files); fails loudly on an empty key."""
    figures: list[KeyFigure] = []
    for path in map(Path, paths):
        data = _read_yaml(path)
        curated = "facts" in data
        entries = data.get("facts" if curated else "figures")
        if not isinstance(entries, list) or not entries:
            raise KeyError_(f"{path}: no figures in the key ('figures:' or 'facts:' is missing or empty)")
        found = [_figure(entry, path, i, curated) for i, entry in enumerate(entries)]
        _resolve_same(found)
        figures += found
    return figures


def load_key(paths: Iterable[str | Path]) -> list[tuple]:
    """The answer key as (value, unit, qualifier) triples: the union of the given keys."""
    return [figure.triple for figure in load_figures(paths)]


# ---------------------------------------------------------------------------------------------- the corpus

def _curated_by_source() -> dict[str, list[Path]]:
    found: dict[str, list[Path]] = {}
    for path in sorted(CASES_DIR.glob("*.yaml")):
        source = str((_read_yaml(path).get("case") or {}).get("source_id") or "")
        found.setdefault(source, []).append(path)
    return found


def _article_meta(source_id: str) -> dict:
    path = ARTICLES_DIR / f"{source_id}.yaml"
    return _read_yaml(path) if path.exists() else {}


def _url_to_source() -> dict[str, str]:
    return {str(_read_yaml(p).get("url") or ""): p.stem for p in sorted(ARTICLES_DIR.glob("*.yaml"))}


def _curated_kinds(figures: list[KeyFigure], case_paths: list[Path]) -> None:
    """Kinds from the curated case files of the same article, matched on (value, unit, qualifier) and quote."""
    curated = load_figures(case_paths) if case_paths else []
    for figure in (f for f in figures if not f.kind):
        same = [c for c in curated if c.triple == figure.triple]
        best = next((c for c in same if c.quote in figure.quote or figure.quote in c.quote), same[0] if same else None)
        figure.kind = best.kind if best else ""


def split_corpus_file(text: str) -> tuple[str, str]:
    """A corpus file's web address (line 1) and body (from line 3: line 2 is the title); ('', text) otherwise."""
    lines = text.splitlines()
    if lines and re.match(r"https?://", lines[0].strip()):
        return lines[0].strip(), "\n".join(lines[2:])
    return "", text


def corpus_article(txt: Path, curated: dict[str, list[Path]], by_url: dict[str, str]) -> Article:
    """A corpus file (line 1 address, line 2 title, body from line 3) with its answer key beside it."""
    lines = txt.read_text(encoding="utf-8").splitlines()
    key_path = txt.with_name(txt.stem + ".facts.yaml")
    figures = load_figures([key_path])
    source_id = by_url.get(lines[0].strip(), txt.stem)
    _curated_kinds(figures, curated.get(source_id, []))
    meta = _article_meta(source_id)
    return Article(txt.stem, "\n".join(lines[2:]), figures, list(meta.get("furniture") or []),
                   str(meta.get("published") or lines[0].strip()))


def seed_articles(corpus_urls: set[str], curated: dict[str, list[Path]]) -> list[Article]:
    """Articles curated as cases that the corpus does not hold (the seed article): their case files are the key."""
    found = []
    for source_id, case_paths in curated.items():
        meta, txt = _article_meta(source_id), ARTICLES_DIR / f"{source_id}.txt"
        if not txt.exists() or str(meta.get("url") or "") in corpus_urls and meta.get("url"):
            continue
        found.append(Article(source_id, txt.read_text(encoding="utf-8"), load_figures(case_paths),
                             list(meta.get("furniture") or []), str(meta.get("published") or ""), True))
    return found


def load_corpus(directory: Path = CORPUS_DIR, with_seed: bool = True) -> list[Article]:
    curated, by_url = _curated_by_source(), _url_to_source()
    texts = sorted(Path(directory).glob("*.txt"))
    if not texts:
        raise KeyError_(f"{directory}: no corpus articles (NN_name.txt with NN_name.facts.yaml)")
    articles = [corpus_article(txt, curated, by_url) for txt in texts]
    urls = {txt.read_text(encoding="utf-8").splitlines()[0].strip() for txt in texts}
    return (seed_articles(urls, curated) if with_seed else []) + articles


# ---------------------------------------------------------------------------------------------- matching

def _is_chinese(printed: str) -> bool:
    return not ARABIC.fullmatch(printed)


def _where(text: str, figure: KeyFigure) -> int:
    at = text.find(re.sub(r"\s+", "", figure.quote))
    return at + max(0, figure.quote.find(figure.printed)) if at >= 0 else -1


def similarity(a: str, b: str) -> float:
    """Dice coefficient of the two names' characters: 1 when the same characters, 0 when none shared."""
    common = sum((Counter(a) & Counter(b)).values())
    return 2 * common / (len(a) + len(b)) if a or b else 1.0


def _stated(period: str) -> bool:
    if not period or period.startswith(UNSTATED_WORDS):
        return False
    return bool(re.search(r"\d", period)) or any(word in period for word in STATED_WORDS)


def score_article(article: Article, facts: list, normalized: str) -> ArticleScore:
    """Pair key figures with proposed facts (same triple, nearest position) and measure what the pairs share."""
    free = list(facts)
    result = ArticleScore(article.name, len(article.figures), 0, 0, [])
    for figure in article.figures:
        where = _where(normalized, figure)
        same = [f for f in free if fact_key(f.value, f.unit, f.qualifier) == figure.triple]
        if not same:
            result.missed.append(figure)
            continue
        fact = min(same, key=lambda f: abs(f.start - where))
        free.remove(fact)
        result.matched += 1
        if figure.kind:
            result.kinds.append((figure.kind, fact.kind))
        if _stated(figure.period):
            result.periods.append((figure.period, fact.period))
        if figure.name:
            result.names.append(similarity(fact.name, figure.name))
    for fact in free:
        neutral = not article.counts_chinese and _is_chinese(fact.printed)
        (result.neutral if neutral else result.extra).append(fact)
    result.proposed = len(facts) - len(result.neutral)
    result.quote_lengths = [len(f.quote) for f in facts]
    return result


def key_article(name: str, text: str, key_paths: Iterable[str | Path], published: str = "") -> Article:
    """One article scored against the given keys (a corpus key or curated case files)."""
    figures = load_figures(key_paths)
    return Article(name, text, figures, [], published, any(f.from_case for f in figures))


def score_corpus(articles: list[Article], extractor: Callable) -> list[ArticleScore]:
    """``extractor(text, furniture, published) -> (facts, normalized text)`` run on each article and scored."""
    import time

    results = []
    for article in articles:
        began = time.perf_counter()
        facts, normalized = extractor(article.text, article.furniture, article.published)
        elapsed = time.perf_counter() - began
        result = score_article(article, facts, normalized)
        result.seconds = elapsed
        results.append(result)
    return results


# ---------------------------------------------------------------------------------------------- the report

@dataclass
class Totals(Rates):
    key_total: int
    proposed: int
    matched: int
    quote_median: float
    quote_max: int
    kind_agree: tuple[int, int]
    period_proposed: tuple[int, int]
    period_year_agrees: tuple[int, int]
    name_similarity: float



def _year_agrees(key: str, proposed: str) -> bool:
    years = re.findall(r"(?:19|20)\d{2}", key)
    return not years or proposed[:4] in years


def totals(results: list[ArticleScore]) -> Totals:
    quotes = [n for r in results for n in r.quote_lengths] or [0]
    kinds = [k for r in results for k in r.kinds]
    periods = [p for r in results for p in r.periods]
    names = [n for r in results for n in r.names]
    dated = [(k, p) for k, p in periods if p and p != "current"]
    return Totals(sum(r.key_total for r in results), sum(r.proposed for r in results),
                  sum(r.matched for r in results), statistics.median(quotes), max(quotes),
                  (sum(k == p for k, p in kinds), len(kinds)), (sum(bool(p) for _, p in periods), len(periods)),
                  (sum(_year_agrees(k, p) for k, p in dated), len(dated)),
                  statistics.fmean(names) if names else 0.0)


def _ratio(pair: tuple[int, int]) -> str:
    return f"{pair[0] / pair[1]:.0%} {pair[0]}/{pair[1]}" if pair[1] else "n/a"


def _row(name: str, recall: str, precision: str, quotes: str, kinds: str, periods: str) -> str:
    return f"{name:<44} {recall:<16} {precision:<16} {quotes:<10} {kinds:<12} {periods}"


def format_report(results: list[ArticleScore], details: bool = True) -> str:
    lines = [_row("article", "recall", "precision", "quote md/max", "kind", "period")]
    for r in results:
        lengths = r.quote_lengths or [0]
        lines.append(_row(r.name[:44], f"{r.recall:.1%} {r.matched}/{r.key_total}",
                          f"{r.precision:.1%} {r.matched}/{r.proposed}",
                          f"{statistics.median(lengths):.0f}/{max(lengths)}",
                          _ratio((sum(k == p for k, p in r.kinds), len(r.kinds))),
                          _ratio((sum(bool(p) for _, p in r.periods), len(r.periods)))))
    t = totals(results)
    lines.append(_row("overall", f"{t.recall:.1%} {t.matched}/{t.key_total}",
                      f"{t.precision:.1%} {t.matched}/{t.proposed}", f"{t.quote_median:.0f}/{t.quote_max}",
                      _ratio(t.kind_agree), _ratio(t.period_proposed)))
    lines.append(f"period year agrees with the key: {_ratio(t.period_year_agrees)}; "
                 f"proposed names vs the key's words (character Dice): {t.name_similarity:.2f}; "
                 f"extraction time: {sum(r.seconds for r in results):.2f} s")
    if details:
        for r in results:
            lines += [f"  {r.name}: missed {f.printed}{f.unit} {f.qualifier} in {f.quote}" for f in r.missed]
            lines += [f"  {r.name}: extra  {f.printed}{f.unit} {f.qualifier} in {f.quote}" for f in r.extra]
            lines += [f"  {r.name}: neutral {f.printed}{f.unit} in {f.quote}" for f in r.neutral]
    return "\n".join(lines)
