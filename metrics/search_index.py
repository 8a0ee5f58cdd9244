"""A character n-gram index of a collection table's searched text, so a search looks up its characters instead of
reading every quote (at 10^6 figures a scan of the quotes and names took about 1.4 s and touched every text page).

Chinese has no spaces, so words are no unit: the index lists, for every character and every pair of adjacent
characters (unigrams and bigrams), the distinct texts that hold it. A query of one or two characters is answered by
one lookup; a longer one by intersecting its bigrams' lists, then matching the query in the few texts left with the
same kernel a plain scan uses. The answer is the plain scan's, exactly (tests/test_search_index.py compares them):

* a query without letters that have a case (Chinese, digits, punctuation) matches as typed; the index folds only
  ASCII letters (and the two signs Unicode folds into them, KELVIN SIGN and LONG S), which such a query cannot
  hold, so its characters are looked up as they are;
* a query whose cased letters are ASCII matches case-insensitively, as the scan's engine (RE2) does: A–Z fold to
  a–z, K (U+212A) to k and ſ (U+017F) to s, which are exactly the characters RE2 matches for an ASCII letter;
* any other query (Greek, Cyrillic, full-width or accented letters) is not answered here: the caller scans.

Texts are indexed once per distinct value: a row refers to its texts by number (one int32 column per searched
column), so a match becomes rows through a lookup table, never through the text itself.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

# What the data page's search box searches, per collection table (the index covers exactly these columns).
SEARCH_COLUMNS = {
    "facts": ["indicator_zh", "indicator_en", "scope_zh", "scope_en", "quote", "fact_id", "printed"],
    "events": ["label_zh", "label_en", "quote", "event_id", "date"],
    "practices": ["name_zh", "name_en", "model_zh", "model_en", "applied_to_zh", "applied_to_en", "quote"],
    "indicators": ["name_zh", "name_en", "formula", "caveat_zh", "caveat_en", "indicator_id"],
}
_ONE = 0x1FFFFF           # a unigram's second half: above every code point, so never a real character
_FOLD = {0x212A: ord("k"), 0x17F: ord("s")}   # non-ASCII characters RE2 folds into an ASCII letter


@dataclass(frozen=True)
class Index:
    """``docs``: the distinct texts; ``gram_keys`` (sorted) with ``gram_starts`` delimit each gram's list of text
    numbers in ``postings``; ``ids``: per searched column, each row's text number (``len(docs)`` for no text);
    ``ascii``: the searched columns that hold ASCII only."""

    columns: tuple[str, ...]
    docs: pa.Array
    gram_keys: np.ndarray
    gram_starts: np.ndarray
    postings: np.ndarray
    ids: np.ndarray
    ascii: frozenset

    def rows(self, query: str, positions: np.ndarray | None = None) -> np.ndarray | None:
        """A boolean mask of the rows (or of the rows at ``positions``) that contain ``query`` in a searched
        column, as a plain scan finds them; None when the query is one the index does not answer."""
        folded = fold_query(query)
        if folded is None:
            return None
        docs = self._docs_containing(folded, query)
        hit = np.zeros(len(self.docs) + 1, dtype=bool)
        hit[docs] = True
        wanted = [n for n, c in enumerate(self.columns) if query.isascii() or c not in self.ascii]
        found = np.zeros(self.ids.shape[1] if positions is None else len(positions), dtype=bool)
        for n in wanted:
            column = self.ids[n] if positions is None else self.ids[n][positions]
            found |= hit[column]
        return found

    def _docs_containing(self, folded: np.ndarray, query: str) -> np.ndarray:
        keys = [_key(folded[0], _ONE)] if len(folded) == 1 else sorted({_key(a, b) for a, b in zip(folded, folded[1:])})
        found = None
        for key in keys:
            at = np.searchsorted(self.gram_keys, key)
            if at == len(self.gram_keys) or self.gram_keys[at] != key:
                return np.array([], dtype=np.int32)
            docs = self.postings[self.gram_starts[at]:self.gram_starts[at + 1]]
            found = docs if found is None else np.intersect1d(found, docs, assume_unique=True)
        if len(folded) <= 2:   # the grams are the query: every text listed holds it (see the module's docstring)
            return found
        texts = self.docs.take(pa.array(found))
        matched = pc.fill_null(pc.match_substring(texts, query, ignore_case=query.lower() != query.upper()), False)
        return found[np.asarray(matched.to_numpy(zero_copy_only=False), dtype=bool)]


def _key(a, b) -> np.uint64:
    return np.uint64((int(a) << 21) | int(b))


def fold_query(query: str) -> np.ndarray | None:
    """The query's code points as the index folds them, or None when the index cannot answer it exactly."""
    if not query:
        return None
    if query.lower() != query.upper() and any(c.lower() != c.upper() and not (c.isascii() and c.isalpha())
                                              for c in query):
        return None
    try:
        points = np.frombuffer(query.encode("utf-32-le"), dtype=np.uint32).astype(np.int64)
    except UnicodeEncodeError:   # a lone surrogate: let the scan decide
        return None
    return _folded(points)


def _folded(points: np.ndarray) -> np.ndarray:
    points = points.copy()
    upper = (points >= ord("A")) & (points <= ord("Z"))
    points[upper] += 32
    for sign, letter in _FOLD.items():
        points[points == sign] = letter
    return points


def _text(column: pa.ChunkedArray) -> pa.Array:
    column = column.combine_chunks() if isinstance(column, pa.ChunkedArray) else column
    if pa.types.is_dictionary(column.type):
        column = column.dictionary_decode()
    return pc.cast(column, pa.large_string())


def build(table: pa.Table, columns: list[str]) -> Index:
    """The index of ``columns`` of ``table`` (vectorized: seconds at 10^6 rows)."""
    texts = [_text(table[c]) for c in columns]
    docs = pc.unique(pa.concat_arrays([pc.drop_null(pc.unique(t)) for t in texts]).cast(pa.large_string()))
    ids = np.stack([pc.fill_null(pc.index_in(t, value_set=docs), len(docs)).to_numpy().astype(np.int32)
                    for t in texts]) if texts else np.zeros((0, table.num_rows), dtype=np.int32)
    keys, postings = _grams(docs)
    first = _firsts(keys)
    gram_keys = keys[first]
    ascii_ = frozenset(c for c, t in zip(columns, texts) if pc.all(pc.fill_null(pc.string_is_ascii(t), True)).as_py())
    return Index(tuple(columns), docs, gram_keys, np.append(first, len(keys)).astype(np.int64), postings, ids, ascii_)


def _grams(docs: pa.Array) -> tuple[np.ndarray, np.ndarray]:
    """Every (gram, text number) pair once, sorted by gram then text."""
    lengths = pc.utf8_length(docs).to_numpy(zero_copy_only=False).astype(np.int64)
    points = _folded(np.frombuffer("".join(docs.to_pylist()).encode("utf-32-le"), dtype=np.uint32).astype(np.int64))
    owner = np.repeat(np.arange(len(docs), dtype=np.int64), lengths)
    same = owner[:-1] == owner[1:]
    keys = np.concatenate([(points << 21) | _ONE, ((points[:-1] << 21) | points[1:])[same]])
    owners = np.concatenate([owner, owner[:-1][same]])
    bits = max(1, int(len(docs)).bit_length())
    if 42 + bits <= 64:   # one sort of gram and text packed together
        pairs = (keys.astype(np.uint64) << np.uint64(bits)) | owners.astype(np.uint64)
        del keys, owners
        pairs.sort()   # then drop repeats (np.unique hashes here: 7 times slower at 10^6 figures)
        pairs = pairs[_firsts(pairs)]
        return pairs >> np.uint64(bits), (pairs & np.uint64((1 << bits) - 1)).astype(np.int32)
    order = np.lexsort((owners, keys))
    keys, owners = keys[order], owners[order]
    kept = np.ones(len(keys), dtype=bool)
    kept[1:] = (keys[1:] != keys[:-1]) | (owners[1:] != owners[:-1])
    return keys[kept].astype(np.uint64), owners[kept].astype(np.int32)


def _firsts(ordered: np.ndarray) -> np.ndarray:
    """Where each run of equal values starts in a sorted array."""
    if not len(ordered):
        return np.array([], dtype=np.int64)
    return np.flatnonzero(np.concatenate(([True], ordered[1:] != ordered[:-1])))


def arrays(index: Index) -> dict[str, np.ndarray]:
    """The index's numeric parts by name (what the cache writes; ``docs`` is written as Arrow)."""
    return {"gram_keys": index.gram_keys, "gram_starts": index.gram_starts, "postings": index.postings, "ids": index.ids}
