"""Write the static edition: pages in zh/ and en/, one shared copy of plotly.js, downloads with the dictionary.

The whole site is written into a new folder next to the target and moved into place at the end, so a failed
build leaves the previous edition as it was. A folder that is not a previous edition is never overwritten.
"""
from __future__ import annotations

import shutil
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from markupsafe import Markup

from metrics import exports, fields
from metrics.catalog import LANGS, text
from metrics.store import DataProblem, Dataset, load

from . import blocks as b
from . import pages, plotly_js
from .render import CSP, ENV, Renderer, safe_url
from .texts import say

MARKER = ".static-edition"                       # marks a folder this command wrote (and may replace)
ASSETS = Path(__file__).resolve().parent / "assets"
HTML_LANG = {"zh": "zh-CN", "en": "en"}
DOWNLOAD_TABLES = ("facts", "events", "practices", "indicators", "cases", "sources")
FORMAT_LABELS = {"csv": "CSV (zip)", "xlsx": "Excel", "parquet": "Parquet"}


class EditionError(Exception):
    """Something the reader must fix before an edition can be written (said in one line)."""


def _note(ds: Dataset) -> str:
    """The source note every download carries (both languages: one set of files serves both editions)."""
    return " / ".join(text("data.note", lg, title=pages.Context(ds, lg).source_title, version=ds.data_version,
                           licence=ds["sources"][f"licence_{lg}"].iloc[0] if len(ds["sources"]) else "")
                      for lg in LANGS)


def write_downloads(ds: Dataset, folder: Path) -> dict[str, list[tuple[str, str]]]:
    """Every table (and the dictionary) in every export format; returns table → [(format, path in the site)]."""
    folder.mkdir(parents=True)
    note = _note(ds)
    frames = {name: ds[name].drop(columns=["source_file"], errors="ignore") for name in DOWNLOAD_TABLES}
    frames["dictionary"] = ds["dictionary"]
    files = {}
    for name, frame in frames.items():
        # Each table carries the dictionary of its own columns (the app's downloads do the same: pages/data.py).
        described = fields.select(ds["dictionary"], name, list(frame.columns)) if name != "dictionary" else None
        files[name] = []
        for fmt, (builder, ext, _mime) in exports.FORMATS.items():
            (folder / f"{name}.{ext}").write_bytes(builder(frame, note, described))
            files[name].append((FORMAT_LABELS[fmt], f"downloads/{name}.{ext}"))
    return files


def downloads_block(files: dict, lang: str) -> b.Downloads:
    label = {name: text(f"data.tab.{name}", lang) for name in ("facts", "events", "practices", "indicators")}
    label |= {"cases": text("nav.cases", lang), "sources": say("nav.sources", lang),
              "dictionary": text("data.tab.dictionary", lang)}
    return b.Downloads(say("downloads", lang), say("downloads.intro", lang),
                       [(label[name], [(fmt, "../" + href) for fmt, href in entries]) for name, entries in files.items()])


def footer(ds: Dataset, lang: str) -> str:
    """The app's footer line (ui/frame.py): source, authors, licence, data version, offline note."""
    ctx = pages.Context(ds, lang)
    names = dict.fromkeys(ds["cases"][f"author_{lang}"])
    authors = "、".join(names) if lang == "zh" else "; ".join(names)
    licence = ds["sources"][f"licence_{lang}"].iloc[0] if len(ds["sources"]) else ""
    return (text("app.source_line", lang, title=ctx.source_title, author=authors, licence=licence) + " · "
            + text("app.data_version", lang, version=ds.data_version) + " · " + text("app.offline_note", lang))


def navigation(ds: Dataset, lang: str, extra: list[tuple[str, str, str]]) -> list[tuple[str, str, str]]:
    """(key, href inside the language folder, label): overview, every case, the extra pages (compare, data…)."""
    cases = [(row["case_id"], pages.case_path(row["case_id"]), row[f"short_{lang}"])
             for row in pages.Context(ds, lang).cases.to_dict("records")]
    return [("overview", "index.html", text("nav.overview", lang)), *cases, *extra]


# Pages besides the overview and the cases: key → (file, title key, builder). compare joins when it exists.
def site_pages(ctx: pages.Context, files: dict) -> list[pages.Page]:
    out = [pages.overview_page(ctx), *pages.case_pages(ctx)]
    out += [builder(ctx) for builder in EXTRA_PAGES]
    out += [pages.data_page(ctx, [downloads_block(files, ctx.lang)]),
            pages.sources_page(ctx, pages.article_blocks(ctx))]
    return out


EXTRA_PAGES: list[Callable[[pages.Context], pages.Page]] = []


def extra_nav(lang: str, built: list[pages.Page]) -> list[tuple[str, str, str]]:
    fixed = {"data": text("nav.data", lang), "sources": say("nav.sources", lang)}
    extra = [(p.nav, p.path, p.title) for p in built if p.nav not in fixed and p.nav != "overview"
             and not p.path.startswith("case/")]
    return extra + [("data", "data.html", fixed["data"]), ("sources", "sources.html", fixed["sources"])]


def render_page(page: pages.Page, lang: str, nav: list, footer_text: str, traces: set[str]) -> str:
    """The page's HTML; the trace types its charts use are added to ``traces``."""
    depth = page.path.count("/")
    base = "../" * depth
    renderer = Renderer(lang, base)
    content = Markup("\n").join(renderer.block(block) for block in page.blocks)
    traces |= renderer.traces
    other = "en" if lang == "zh" else "zh"
    return ENV.get_template("page.html").render(
        page=page, content=content, lang=lang, html_lang=HTML_LANG[lang], csp=CSP, root="../" + base, base=base,
        app_title=text("app.title", lang), charts=renderer.charts > 0, nav=nav, footer=footer_text,
        other_href=f"{base}../{other}/{page.path}", other_html_lang=HTML_LANG[other], say=say)


def write_site(ds: Dataset, out: Path, app_url: str = "",
               progress: Callable[[str], None] = lambda line: None) -> tuple[list[Path], plotly_js.Choice]:
    """Every page, the assets and the downloads; plotly.js is chosen once every chart is known (plotly_js.py)."""
    assets = out / "assets"
    assets.mkdir(parents=True)
    for name in ("charts.js", "style.css", "favicon.svg"):
        shutil.copyfile(ASSETS / name, assets / name)
    files = write_downloads(ds, out / "downloads")
    written, traces = [], set()
    for lang in LANGS:
        ctx = pages.Context(ds, lang, app_url)
        built = site_pages(ctx, files)
        nav = navigation(ds, lang, extra_nav(lang, built))
        footer_text = footer(ds, lang)
        for n, page in enumerate(built, 1):
            path = out / lang / page.path
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(render_page(page, lang, nav, footer_text, traces), encoding="utf-8")
            written.append(path)
            progress(f"  {lang}: {n}/{len(built)} {page.path}")
    index = ENV.get_template("index.html").render(
        csp=CSP, title_zh=say("index.title", "zh"), title_en=say("index.title", "en"),
        choose_zh=say("index.choose", "zh"), choose_en=say("index.choose", "en"))
    (out / "index.html").write_text(index, encoding="utf-8")
    choice = plotly_js.choose_installed(traces)
    shutil.copyfile(choice.path, assets / "plotly.min.js")   # one name either way: the pages need not know
    (out / MARKER).write_text(ds.data_version + "\n", encoding="utf-8")
    return [out / "index.html", *written], choice


@dataclass
class Edition:
    pages: list[Path]
    left_out: list[DataProblem]     # damaged case files: those cases are not in the edition
    plotly: plotly_js.Choice        # which plotly.js it ships, and why


def build(out: Path, data_dir: Path, app_url: str = "", progress: Callable[[str], None] = lambda line: None) -> Edition:
    """Load the built data, refuse damaged shared files, write the edition atomically into ``out``. ``app_url``:
    the live app's address (http or https), for links to its calculators; "" when there is none."""
    if app_url and not safe_url(app_url):
        raise EditionError(f"--app-url must be an http(s) address such as https://dash.example.org, not {app_url!r}")
    ds = load(data_dir)
    shared = ds.broken()
    if shared:
        raise EditionError("the data cannot be used: " + "; ".join(f"{p.file}: {p.reason}" for p in shared)
                           + " (run python -m metrics.build)")
    out = out.resolve()
    if out.exists() and any(out.iterdir()) and not (out / MARKER).exists():
        raise EditionError(f"{out} exists and is not a static edition: choose an empty or new folder")
    out.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{out.name}-", dir=out.parent))
    try:
        pages_written, choice = write_site(ds, staging, app_url, progress)
        if out.exists():
            old = out.with_name(f".{out.name}-old")
            shutil.rmtree(old, ignore_errors=True)
            out.rename(old)
            staging.rename(out)
            shutil.rmtree(old)
        else:
            staging.rename(out)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return Edition([out / p.relative_to(staging) for p in pages_written], ds.problems, choice)
