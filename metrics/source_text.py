"""The one documented normalization of a source document.

Typeset articles break lines mid-word, space out characters for justification ("全 市 累 计") and put a
running column header ("地方实践") wherever a page ends. Quotes in the case files are checked against the
text after this normalization:

1. drop every line that is exactly one of the article's furniture lines (running headers, editor credits);
2. delete all whitespace (spaces, full-width spaces, tabs, line breaks).

Nothing else changes: punctuation, full-width brackets and quotation marks stay as printed.
"""
from __future__ import annotations

import re
from collections.abc import Iterable

_WHITESPACE = re.compile(r"\s+")


def normalize(text: str, furniture: Iterable[str] = ()) -> str:
    """Return the article as one line without whitespace and without furniture lines."""
    drop = {line.strip() for line in furniture}
    kept = (line for line in text.splitlines() if line.strip() not in drop)
    return _WHITESPACE.sub("", "".join(kept))


def find_quote(normalized: str, quote: str) -> int:
    """Offset of ``quote`` in the normalized text, or -1 (whitespace in the quote is ignored)."""
    return normalized.find(_WHITESPACE.sub("", quote))
