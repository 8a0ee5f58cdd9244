"""The curation workbench's logic: from an article to a published case, with nothing lost (no streamlit here).

The workbench (pages/curate.py, ui/curate.py) exists only when the app runs locally: ``writes_allowed`` is the one
test, and every function here that writes a file asks it again (``require_local``), so a hosted process refuses
even if a page were reached some other way. Hosted mode is explicit: ``python -m deploy.hosted`` sets
DASHBOARD_MODE=hosted in the server's environment; local also needs the server to listen on the loopback only.

A draft is one JSON document under data/drafts/<case_id>/ (git-ignored) with a revision number: every save names
the revision it was made from, and a save from an older one is refused (two tabs never overwrite each other).
Publishing validates the case with the build's own checks on a copy of the sources, then writes the article, its
metadata and the case file (temp files + os.replace) and runs the build; a refused publish writes nothing.
"""
from __future__ import annotations

import contextlib
import copy
import fcntl
import io
import json
import os
import re
import shutil
import tempfile
import unicodedata
from collections.abc import Iterator, Mapping
from pathlib import Path

import yaml

from . import build
from .extract import extract
from .problems import BuildError, group
from .source_text import find_quote, normalize  # noqa: F401  (the tests read them here too)

ROOT = Path(__file__).resolve().parent.parent
DATA_DIR = ROOT / "data"

# --- local only ------------------------------------------------------------------------------------------------
MODE_VAR = "DASHBOARD_MODE"          # deploy.hosted sets it to "hosted"; unset or "local" is a local run
LOCAL_MODES = ("", "local")          # anything else (a typo included) counts as hosted: fail closed
LOOPBACK = ("127.0.0.1", "::1", "localhost")
ADDRESS_VAR = "STREAMLIT_SERVER_ADDRESS"


class NotLocal(PermissionError):
    """The app is hosted (or not on the loopback): the workbench does not exist and nothing may be written."""


def writes_allowed(environ: Mapping[str, str] = os.environ, address: str | None = None) -> bool:
    """True only for a local run listening on the loopback. ``address`` is the server's ``server.address``; None
    (not set: Streamlit then listens on every interface) is not the loopback."""
    mode_ok = environ.get(MODE_VAR, "").strip().lower() in LOCAL_MODES
    env_address = environ.get(ADDRESS_VAR)
    return mode_ok and str(address or "") in LOOPBACK and (env_address is None or env_address in LOOPBACK)


def require_local(environ: Mapping[str, str] = os.environ) -> None:
    """Every write below calls this first (defence in depth: the page is not the only guard)."""
    if environ.get(MODE_VAR, "").strip().lower() not in LOCAL_MODES:
        raise NotLocal("the curation workbench writes files only when the dashboard runs locally")
    address = environ.get(ADDRESS_VAR)
    if address is not None and address not in LOOPBACK:
        raise NotLocal("the curation workbench writes files only when the server listens on the loopback")


# --- ids and paths ---------------------------------------------------------------------------------------------
CASE_ID = re.compile(r"[a-z][a-z0-9_]{1,39}", re.ASCII)


class CurationError(ValueError):
    """A refusal the curator reads: the message says what to do."""


def check_case_id(case_id: object) -> str:
    """The id if it is a safe slug ([a-z][a-z0-9_]*, 2-40 ASCII characters), else a CurationError. A slug has no
    dot, slash or non-ASCII character, so no id can name a path outside the folders it is joined to."""
    if not isinstance(case_id, str) or unicodedata.normalize("NFKC", case_id) != case_id \
            or not CASE_ID.fullmatch(case_id):
        raise CurationError(f"case id {case_id!r}: use 2-40 lower-case letters, digits and _, starting with a letter "
                            "(e.g. liling_2022)")
    return case_id


def inside(folder: Path, name: str) -> Path:
    """folder/name, refused unless it resolves inside folder (the slug check is the first guard, this the second)."""
    path = (folder / name).resolve()
    if not path.is_relative_to(folder.resolve()):
        raise CurationError(f"{name!r} is not a file name inside {folder.name}/")
    return path


# --- article in --------------------------------------------------------------------------------------------------
MAX_TEXT_BYTES = 200_000
MAX_UPLOAD_BYTES = 5_000_000       # a .docx with pictures is bigger than its text
TEXT_TYPES = (".txt", ".docx")
ENCODINGS = ("utf-8-sig", "gb18030")   # Chinese text files are UTF-8 or GBK/GB18030


def _docx_text(data: bytes) -> str:
    import docx  # python-docx: only needed for Word files
    try:
        document = docx.Document(io.BytesIO(data))
    except Exception as bad:   # a damaged file fails in zipfile, lxml or python-docx: each is "cannot be read"
        raise CurationError(f"this .docx file cannot be read as a Word document ({bad.__class__.__name__}); "
                            "save it again from Word, or paste its text") from None
    paragraphs = [p.text for p in document.paragraphs]
    cells = [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    return "\n".join(paragraphs + cells)


def _plain_text(data: bytes) -> str:
    for encoding in ENCODINGS:
        with contextlib.suppress(UnicodeDecodeError):
            return data.decode(encoding)
    raise CurationError("this text file is neither UTF-8 nor GB18030 text: save it as UTF-8, or paste its text")


def read_upload(name: str, data: bytes) -> str:
    """The article text of an uploaded .txt or .docx file, or a CurationError saying what is wrong."""
    suffix = Path(name).suffix.lower()
    if suffix not in TEXT_TYPES:
        raise CurationError(f"{name}: only .txt and .docx files can be read (save other formats as one of these)")
    if len(data) > MAX_UPLOAD_BYTES:
        raise CurationError(f"{name}: {len(data) // 1000} KB is more than the {MAX_UPLOAD_BYTES // 1_000_000} MB "
                            "a file may have")
    return check_text(_docx_text(data) if suffix == ".docx" else _plain_text(data))


def check_text(text: str) -> str:
    """Line ends made \\n; refused when empty, binary or larger than MAX_TEXT_BYTES."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    size = len(text.encode("utf-8"))
    if not text.strip():
        raise CurationError("the article is empty: paste its text or upload a .txt or .docx file")
    if size > MAX_TEXT_BYTES:
        raise CurationError(f"the article has {size // 1000} KB of text; at most {MAX_TEXT_BYTES // 1000} KB "
                            "(one article, not a collection)")
    if "\x00" in text:
        raise CurationError("the text contains binary data: paste the article's text itself")
    return text


# --- the draft ---------------------------------------------------------------------------------------------------
META_FIELDS = ("title_zh", "title_en", "publisher_zh", "publisher_en", "url", "published", "licence_zh",
               "licence_en", "completeness", "completeness_note_zh", "completeness_note_en")
COMPLETENESS = ("complete", "truncated")
CASE_FIELDS = ("title_zh", "title_en", "short_zh", "short_en", "locality_zh", "locality_en", "province_zh",
               "province_en", "division_code", "family", "scope_zh", "scope_en")
FACT_FIELDS = ("fact_id", "indicator_zh", "indicator_en", "scope_zh", "scope_en", "period", "kind", "printed",
               "value", "unit", "qualifier", "quote")
EVENT_FIELDS = ("event_id", "date", "label_zh", "label_en", "quote")
PRACTICE_FIELDS = ("practice_id", "name_zh", "name_en", "quote")
RECORDS = {"facts": FACT_FIELDS, "events": EVENT_FIELDS, "practices": PRACTICE_FIELDS}
LICENCE_ZH = "原文版权归原发布者所有；本看板仅为研究与核对目的摘录数字并注明出处。"
LICENCE_EN = ("The article's copyright stays with its publisher; figures are excerpted with attribution for research "
              "and verification.")
# A numbered point of a report ("一是…", "一、…", "（一）…"): each is proposed as a practice.
PRACTICE_LEAD = re.compile(r"(?:^|[。；\n])\s*(?:[一二三四五六七八九十]+[是、]|（[一二三四五六七八九十]+）)([^，。；：:\n]{2,30})")


def propose_practices(text: str, case_id: str) -> list[dict]:
    """A practice per numbered point of the text, named by its first clause; the quote is that clause."""
    found = []
    for match in PRACTICE_LEAD.finditer(text):
        name = match.group(1).strip()
        if name and name not in (p["name_zh"] for p in found):
            found.append({"practice_id": "", "name_zh": name, "name_en": "", "quote": match.group(1)})
    for n, practice in enumerate(found, 1):
        practice["practice_id"] = f"{case_id}_p{n:02d}"
    return found


def event_label(quote: str, limit: int = 40) -> str:
    return quote if len(quote) <= limit else quote[:limit] + "…"


def new_draft(case_id: str, text: str, meta: Mapping[str, str] | None = None) -> dict:
    """A draft pre-filled by the extractor: every figure, dated event and numbered point of the text."""
    check_case_id(case_id)
    text = check_text(text)
    meta = {**{name: "" for name in META_FIELDS}, "licence_zh": LICENCE_ZH, "licence_en": LICENCE_EN,
            "completeness": "complete", **(meta or {})}
    drafted = extract(text, case_id=case_id, published=meta.get("published", ""))
    facts = [{"fact_id": f.fact_id, "indicator_zh": f.name, "indicator_en": "", "scope_zh": "", "scope_en": "",
              "period": f.period, "kind": f.kind, "printed": f.printed, "value": f.value, "unit": f.unit,
              "qualifier": f.qualifier, "quote": f.quote} for f in drafted.facts]
    events = [{"event_id": e.event_id, "date": e.date, "label_zh": event_label(e.quote), "label_en": "",
               "quote": e.quote} for e in drafted.events if e.quote]
    case = {name: "" for name in CASE_FIELDS}
    case["title_zh"] = meta.get("title_zh", "")
    return {"rev": 0, "case_id": case_id, "text": text, "meta": meta, "case": case, "facts": facts,
            "events": events, "practices": propose_practices(text, case_id)}


# --- highlighting ------------------------------------------------------------------------------------------------
def spans(normalized: str, facts: list[dict]) -> list[tuple[int, int, str]]:
    """(start, end, fact_id) of each figure's printed number inside its quote in the normalized text."""
    found = []
    for fact in facts:
        start = find_quote(normalized, str(fact.get("quote") or "")) if fact.get("quote") else -1
        printed = str(fact.get("printed") or "")
        at = normalized.find(printed, start) if start >= 0 and printed else -1
        if at >= 0:
            found.append((at, at + len(printed), str(fact.get("fact_id") or "")))
    return sorted(found)


def segments(text: str, facts: list[dict]) -> list[tuple[str, str]]:
    """The normalized article as (text, fact_id) pieces; fact_id '' for plain text (overlaps keep the first)."""
    normalized = normalize(text)
    pieces, cursor = [], 0
    for start, end, fact_id in spans(normalized, facts):
        if start < cursor:
            continue
        pieces += [(normalized[cursor:start], ""), (normalized[start:end], fact_id)]
        cursor = end
    pieces.append((normalized[cursor:], ""))
    return [(t, f) for t, f in pieces if t]


def sentence_of(text: str, quote: str) -> str:
    """The sentence of the normalized article around ``quote`` ('' when the quote is not in the text)."""
    normalized = normalize(text)
    start = find_quote(normalized, quote) if quote else -1
    if start < 0:
        return ""
    left = max(normalized.rfind(mark, 0, start) for mark in "。；！？") + 1
    ends = [i for i in (normalized.find(mark, start + len(quote)) for mark in "。；！？") if i >= 0]
    return normalized[left:(min(ends) + 1 if ends else len(normalized))]


def find_in_text(text: str, needle: str, limit: int = 20) -> list[str]:
    """Clauses of the normalized article containing ``needle``: what a new figure's quote may be."""
    normalized, needle = normalize(text), normalize(needle)
    if not needle:
        return []
    clauses = re.split(r"(?<=[，。；：！？])", normalized)
    return [c for c in clauses if needle in c][:limit]


def add_fact(draft: dict, quote: str, printed: str) -> dict:
    """A new figure row from a chosen clause and the number printed in it (the curator picked both from the text)."""
    from .reading import detect_qualifier, parse_printed
    from .units import ALIASES, UNITS
    try:
        value = parse_printed(printed)
    except ValueError:
        raise CurationError(f"{printed!r} is not a number as printed (e.g. 1.88 or 8,626)") from None
    at = quote.find(printed)
    if not printed or at < 0:
        raise CurationError(f"{printed!r} is not in the chosen quote: pick the clause that prints it")
    after = quote[at + len(printed):].lstrip("余多")
    units = sorted((u for u in (*UNITS, *ALIASES) if after.startswith(u)), key=len, reverse=True)
    unit = ALIASES.get(units[0], units[0]) if units else ""
    qualifier, _ = detect_qualifier(quote, printed, units[0] if units else "")
    return {"fact_id": next_id(draft["case_id"], "facts", draft["facts"]), "indicator_zh": "", "indicator_en": "",
            "scope_zh": "", "scope_en": "", "period": "", "kind": "actual", "printed": printed, "value": value,
            "unit": unit, "qualifier": qualifier, "quote": quote}


def add_practice(draft: dict, quote: str) -> dict:
    """A new practice from a chosen clause: named by the clause (trimmed), quoting it."""
    quote = normalize(quote)
    if find_quote(normalize(draft["text"]), quote) < 0:
        raise CurationError("choose the practice's text from the article")
    return {"practice_id": next_id(draft["case_id"], "practices", draft["practices"]),
            "name_zh": quote.strip("，。；：、 ")[:30], "name_en": "", "quote": quote}


# --- drafts on disk -----------------------------------------------------------------------------------------------
class StaleDraft(CurationError):
    """The draft on disk is newer than the one being saved (another tab saved first)."""


def drafts_dir(data_dir: Path = DATA_DIR) -> Path:
    return data_dir / "drafts"


def _draft_file(data_dir: Path, case_id: str) -> Path:
    return inside(drafts_dir(data_dir), check_case_id(case_id)) / "draft.json"


@contextlib.contextmanager
def _locked(folder: Path) -> Iterator[None]:
    folder.mkdir(parents=True, exist_ok=True)
    with open(folder / ".lock", "a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def write_atomic(path: Path, text: str) -> None:
    """A temp file in the same folder, flushed to disk, then os.replace: a reader sees the old file or the new."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise


def load_draft(case_id: str, data_dir: Path = DATA_DIR) -> dict | None:
    path = _draft_file(data_dir, case_id)
    if not path.exists():
        return None
    return json.loads(path.read_text(encoding="utf-8"))


def list_drafts(data_dir: Path = DATA_DIR) -> list[str]:
    folder = drafts_dir(data_dir)
    return sorted(p.parent.name for p in folder.glob("*/draft.json") if CASE_ID.fullmatch(p.parent.name))


def save_draft(draft: dict, data_dir: Path = DATA_DIR) -> dict:
    """Save ``draft`` made from revision draft['rev']; returns it with the new revision. A draft saved meanwhile
    from the same revision (another tab) makes this a StaleDraft: nothing is overwritten."""
    require_local()
    path = _draft_file(data_dir, draft["case_id"])
    with _locked(path.parent):
        on_disk = json.loads(path.read_text(encoding="utf-8"))["rev"] if path.exists() else 0
        if on_disk != draft["rev"]:
            raise StaleDraft(f"this draft was saved meanwhile elsewhere (another tab?): revision {on_disk}, yours "
                             f"{draft['rev']}. Reload the draft to see that version; your change was not saved.")
        saved = {**draft, "rev": on_disk + 1}
        write_atomic(path, json.dumps(_plain(saved), ensure_ascii=False, indent=1))
    return saved


def _plain(value):
    """JSON-safe: NaN becomes None (an empty cell), numpy scalars become Python numbers."""
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, float) and value != value:
        return None
    if hasattr(value, "item") and not isinstance(value, (str, bytes)):
        return _plain(value.item())
    return value


# --- what publishing writes ---------------------------------------------------------------------------------------
UNTRANSLATED = "[untranslated] "   # an English field left empty shows the Chinese text behind this mark


def english(zh: str, en: str) -> str:
    """The English text, or the Chinese one marked untranslated (a case may be published in Chinese only)."""
    en, zh = (en or "").strip(), (zh or "").strip()
    return en if en else (UNTRANSLATED + zh if zh else "")


def _clean(value):
    if isinstance(value, str):
        return value.strip()
    if value is None or (isinstance(value, float) and value != value):
        return ""
    return value


def _bilingual(record: Mapping, stem_fields: tuple[str, ...]) -> dict:
    out = {k: _clean(v) for k, v in record.items()}
    for name in stem_fields:
        if name.endswith("_en"):
            out[name] = english(out.get(name[:-3] + "_zh", ""), out.get(name, ""))
    return out


def source_id(draft: dict) -> str:
    return check_case_id(draft["case_id"])


def article_meta(draft: dict) -> dict:
    meta = _bilingual(draft["meta"], META_FIELDS)
    # 截至目前 ("as of now") in an article means its publication date unless the curator says otherwise
    return {"source_id": source_id(draft), **{k: meta.get(k, "") for k in META_FIELDS}, "furniture": [],
            "current_as_of": meta.get("current_as_of") or meta.get("published", "")}


def case_document(draft: dict) -> dict:
    """The case file (data/sources/cases/<case_id>.yaml) as a mapping. The case's default scope fills every figure
    whose scope is empty; English left empty is the Chinese marked untranslated."""
    case = {k: _clean(v) for k, v in draft["case"].items()}
    scope_zh, scope_en = case.pop("scope_zh", ""), case.pop("scope_en", "")
    case["short_zh"] = case.get("short_zh") or case.get("locality_zh", "")
    case["short_en"] = case.get("short_en") or case.get("locality_en", "")
    head = {"case_id": draft["case_id"], "source_id": source_id(draft),
            **_bilingual(case, CASE_FIELDS), "headline": []}
    if not head.get("family"):
        head.pop("family", None)
    facts = []
    for fact in draft["facts"]:
        row = {k: _clean(fact.get(k)) for k in FACT_FIELDS}
        row["scope_zh"] = row["scope_zh"] or scope_zh
        row["scope_en"] = row["scope_en"] or scope_en
        row["value"] = _number(fact.get("value"))
        facts.append(_bilingual(row, FACT_FIELDS))
    records = {name: [_bilingual({k: _clean(r.get(k)) for k in fields}, fields) for r in draft[name]]
               for name, fields in RECORDS.items() if name != "facts"}
    return {"case": head, "facts": facts, **records}


def _number(value):
    if value in (None, ""):
        return None
    try:
        number = float(value)
    except (TypeError, ValueError):
        return value   # the schema reports it with the field's name
    if number != number:
        return None
    return int(number) if number.is_integer() else number


def dump(document: dict) -> str:
    return yaml.safe_dump(document, allow_unicode=True, sort_keys=False, width=120)


def files_of(draft: dict) -> dict[str, str]:
    """Relative path under data/sources → text: the article as received, its metadata, the case file."""
    sid = source_id(draft)
    return {f"articles/{sid}.txt": draft["text"], f"articles/{sid}.yaml": dump(article_meta(draft)),
            f"cases/{draft['case_id']}.yaml": dump(case_document(draft))}


# --- validation ---------------------------------------------------------------------------------------------------
Report = dict[str, dict[str, list[str]]]   # file → record id → reasons (metrics.problems.group)


def _stage(sources_dir: Path, target: Path, draft: dict, with_cases: bool) -> None:
    """A sources folder in ``target``: the shared files (units, codelist, families), optionally every published
    article and case, and this draft's three files."""
    target.mkdir(parents=True, exist_ok=True)
    for shared in sources_dir.glob("*.yaml"):
        shutil.copy2(shared, target / shared.name)
    for folder in ("articles", "cases"):
        (target / folder).mkdir(exist_ok=True)
        if with_cases and (sources_dir / folder).is_dir():
            shutil.copytree(sources_dir / folder, target / folder, dirs_exist_ok=True)
    for rel, text in files_of(draft).items():
        (target / rel).write_text(text, encoding="utf-8")


def validate(draft: dict, sources_dir: Path | None = None, with_cases: bool = False) -> Report:
    """The build's load-and-validate on this case alone (or with every published case: ids unique across all),
    in a temp folder. An empty report means the build accepts it."""
    sources_dir = sources_dir or DATA_DIR / "sources"
    try:
        files_of(draft)
    except CurationError as bad:
        return {"case": {draft.get("case_id", "-"): [str(bad)]}}
    with tempfile.TemporaryDirectory(prefix="curate-") as tmp:
        _stage(sources_dir, Path(tmp), draft, with_cases)
        try:
            build.load_and_validate(Path(tmp))
        except BuildError as err:
            return group(err.problems)
    return {}


def count(report: Report) -> int:
    return sum(len(reasons) for records in report.values() for reasons in records.values())


# --- publishing ----------------------------------------------------------------------------------------------------
def taken(draft: dict, sources_dir: Path) -> list[str]:
    """Why this case id cannot be published: another case or article already has it (a republish of the same
    draft may replace its own files)."""
    if draft.get("published"):
        return []
    paths = [f"cases/{draft['case_id']}.yaml", f"articles/{source_id(draft)}.yaml"]
    return [f"{p} already exists: choose another case id" for p in paths if (sources_dir / p).exists()]


def publish(draft: dict, data_dir: Path = DATA_DIR) -> dict:
    """Validate with every published case, write the three files atomically, rebuild. Returns the build's manifest.
    Raises CurationError (with the report) and writes nothing when anything is wrong."""
    require_local()
    sources_dir = data_dir / "sources"
    clash = taken(draft, sources_dir)
    if clash:
        raise CurationError("; ".join(clash))
    report = validate(draft, sources_dir, with_cases=True)
    if report:
        raise PublishRefused(report)
    files = {inside(sources_dir, rel): text for rel, text in files_of(draft).items()}
    before = {path: (path.read_bytes() if path.exists() else None) for path in files}
    try:
        for path, text in files.items():
            write_atomic(path, text)
        return build.build(data_dir)
    except BaseException:
        _restore(before)   # the build refused after all (or the disk failed): the sources as they were
        raise


def _restore(before: dict[Path, bytes | None]) -> None:
    for path, content in before.items():
        if content is None:
            with contextlib.suppress(FileNotFoundError):
                path.unlink()
        else:
            path.write_bytes(content)


class PublishRefused(CurationError):
    def __init__(self, report: Report):
        self.report = report
        super().__init__(f"not published: {count(report)} problem(s) to fix first")


def mark_published(draft: dict) -> dict:
    out = copy.deepcopy(draft)
    out["published"] = True
    return out


# --- edits from the page ------------------------------------------------------------------------------------------
def apply_edits(draft: dict, section: str, delta: Mapping) -> dict:
    """The draft with an editable table's changes applied (Streamlit's data_editor state: edited_rows {row: {col:
    value}}, added_rows [{col: value}], deleted_rows [row]). A new row gets the next free id of its section."""
    fields = RECORDS[section]
    rows = [dict(r) for r in draft[section]]
    for index, changes in (delta.get("edited_rows") or {}).items():
        i = int(index)
        if 0 <= i < len(rows):
            rows[i].update({k: v for k, v in changes.items() if k in fields and k != fields[0]})
    gone = {int(i) for i in delta.get("deleted_rows") or []}
    rows = [r for i, r in enumerate(rows) if i not in gone]
    for added in delta.get("added_rows") or []:
        row = {k: "" for k in fields} | {k: v for k, v in added.items() if k in fields}
        row[fields[0]] = next_id(draft["case_id"], section, rows)
        rows.append(row)
    return {**draft, section: rows}


ID_LETTERS = {"facts": "f", "events": "e", "practices": "p"}


def next_id(case_id: str, section: str, rows: list[dict]) -> str:
    ids = {r.get(RECORDS[section][0]) for r in rows}
    n = len(rows) + 1
    while f"{case_id}_{ID_LETTERS[section]}{n:03d}" in ids:
        n += 1
    return f"{case_id}_{ID_LETTERS[section]}{n:03d}"


def apply_fields(draft: dict, block: str, values: Mapping[str, object]) -> dict:
    """The draft with the metadata form's values (``block`` is meta or case)."""
    return {**draft, block: {**draft[block], **{k: v for k, v in values.items() if k in draft[block]}}}


def still_english(draft: dict) -> list[str]:
    """The English fields left empty (published as the Chinese text marked untranslated)."""
    out = [f"{block}.{name}" for block in ("meta", "case") for name, v in draft[block].items()
           if name.endswith("_en") and not str(v or "").strip() and str(draft[block].get(name[:-3] + "_zh") or "")]
    for section, fields in RECORDS.items():
        out += [f"{r[fields[0]]}.{name}" for r in draft[section] for name in fields
                if name.endswith("_en") and not str(r.get(name) or "").strip()]
    return out
