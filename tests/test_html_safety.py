"""No data-derived HTML: ``unsafe_allow_html`` and ``st.html`` only ever with a constant string literal.

Every text the dashboard shows comes from the data or the URL and is escaped for markdown (ui.show.md); raw HTML
would bypass that. The scan reads every .py file of the project (tests excepted) with ``ast``, so a comment or a
string that merely mentions the names does not count, and an f-string, a variable or a call does.
"""
from __future__ import annotations

import ast
import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SKIP_DIRS = {"tests", ".git", ".venv", "venv", "node_modules", "__pycache__", ".pytest_cache", ".hypothesis"}
HTML_MODULES = ("streamlit", "streamlit.components.v1")
# (file, the flag's or the body's expression as written) → why it is safe. Keep this short; each entry needs a reason.
_REPLAY = "the benchmark's floor app replays elements recorded from the dashboard itself, never served to users"
ALLOWED = {
    ("bench/floor_app.py", "m.allow_html"): _REPLAY,
    ("bench/floor_app.py", "el.html.body"): _REPLAY,
}


def project_files() -> list[Path]:
    found = []
    for folder, dirs, files in os.walk(ROOT):
        dirs[:] = [d for d in dirs if d not in SKIP_DIRS]  # prune: never walk node_modules and the like
        found += [Path(folder) / name for name in files if name.endswith(".py")]
    return sorted(found)


def is_literal(node: ast.expr | None) -> bool:
    return isinstance(node, ast.Constant) and isinstance(node.value, str)


def body_of(call: ast.Call) -> ast.expr | None:
    if call.args:
        return call.args[0]
    return next((kw.value for kw in call.keywords if kw.arg == "body"), None)


def html_names(tree: ast.Module) -> set[str]:
    """Names bound to an ``html`` function by ``from streamlit[.components.v1] import html [as x]``."""
    return {alias.asname or alias.name for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)
            and node.module in HTML_MODULES for alias in node.names if alias.name == "html"}


def violations(source: str, rel: str = "<snippet>") -> list[str]:
    tree = ast.parse(source)
    local_html = html_names(tree)
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Dict) and any(is_literal(k) and k.value == "unsafe_allow_html" for k in node.keys):
            found.append(f"{rel}:{node.lineno}: unsafe_allow_html passed through a dict")
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        if (isinstance(func, ast.Attribute) and func.attr == "html") or (
                isinstance(func, ast.Name) and func.id in local_html):
            if not is_literal(body_of(node)) and (rel, ast.unparse(body_of(node) or func)) not in ALLOWED:
                found.append(f"{rel}:{node.lineno}: {ast.unparse(func)}() with {ast.unparse(body_of(node) or func)}")
        for kw in node.keywords:
            if kw.arg != "unsafe_allow_html" or (isinstance(kw.value, ast.Constant) and kw.value.value is False):
                continue
            if (rel, ast.unparse(kw.value)) in ALLOWED or is_literal(body_of(node)):
                continue
            found.append(f"{rel}:{node.lineno}: unsafe_allow_html={ast.unparse(kw.value)} with "
                         f"{ast.unparse(body_of(node)) if body_of(node) else 'no body'}")
    return found


def test_the_project_never_renders_data_as_html():
    files = project_files()
    assert any(p.name == "dashboard.py" for p in files) and len(files) > 20  # the scan really sees the project
    found = [v for p in files for v in violations(p.read_text(encoding="utf-8"), p.relative_to(ROOT).as_posix())]
    assert found == [], "\n".join(found)


@pytest.mark.parametrize("source,count", [
    ('st.markdown("<b>fixed</b>", unsafe_allow_html=True)', 0),
    ('st.markdown("a" "b", unsafe_allow_html=True)', 0),
    ('st.markdown(name, unsafe_allow_html=False)', 0),
    ('st.markdown(name)', 0),
    ('st.html("<hr>")', 0),
    ('# st.html(x) in a comment\ns = "st.markdown(x, unsafe_allow_html=True)"', 0),
    ('fig.to_html(full_html=False)', 0),
    ('st.markdown(name, unsafe_allow_html=True)', 1),
    ('st.markdown(f"<b>{name}</b>", unsafe_allow_html=True)', 1),
    ('st.caption("<b>" + name + "</b>", unsafe_allow_html=True)', 1),
    ('st.markdown(body=text, unsafe_allow_html=True)', 1),
    ('st.write(name, unsafe_allow_html=flag)', 1),
    ('st.sidebar.markdown("<i>%s</i>" % name, unsafe_allow_html=True)', 1),
    ('st.html(name)', 1),
    ('st.html(f"<p>{name}</p>")', 1),
    ('col.html(name)', 1),
    ('import streamlit.components.v1 as components\ncomponents.html(page)', 1),
    ('from streamlit import html\nhtml(name)', 1),
    ('from streamlit import html as raw\nraw(name)', 1),
    ('st.markdown(name, **{"unsafe_allow_html": True})', 1),
])
def test_the_scan_flags_what_it_should(source, count):
    assert len(violations(source)) == count, violations(source)
