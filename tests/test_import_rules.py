"""The house's import rules, read from the source with ast (nothing is imported): metrics/ never imports streamlit,
ui/ never imports pages/, and no two project modules import each other, directly or round a longer loop (imports
inside functions count: a lazy import is still a dependency)."""
from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("metrics", "ui", "pages", "deploy", "bench")


def module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {module_name(p): p for pkg in PACKAGES for p in (ROOT / pkg).glob("*.py")} | {"dashboard": ROOT / "dashboard.py"}


def _resolve(name: str) -> str | None:
    """The project module an imported name lands in (a package's module, the package itself), or None."""
    while name:
        if name in MODULES:
            return name
        name = name.rpartition(".")[0]
    return None


def imports(module: str) -> set[str]:
    """Every name ``module`` imports (absolute, dotted), at any depth of its code."""
    path = MODULES[module]
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - (node.level - 1)]
                base = ".".join([*anchor, base] if base else anchor)
            found |= {base} | {f"{base}.{alias.name}" for alias in node.names}
    return found


def project_imports(module: str) -> set[str]:
    return {target for name in imports(module) if (target := _resolve(name)) and target != module}


RULES = [  # (modules the rule is about, what they must never import, why)
    ("metrics.", "streamlit", "metrics/ computes; only ui/ and pages/ draw"),
    ("ui.", "pages", "the helper layer never reaches up into the page layer"),
    ("metrics.", "ui", "metrics/ is pure: the UI depends on it, never the reverse"),
    ("metrics.", "pages", "metrics/ is pure"),
]


@pytest.mark.parametrize("prefix,banned,why", RULES, ids=[f"{r[0]}!{r[1]}" for r in RULES])
def test_layers_import_only_downwards(prefix, banned, why):
    wrong = {module: sorted(n for n in imports(module) if n == banned or n.startswith(banned + "."))
             for module in MODULES if module.startswith(prefix) or module == prefix.rstrip(".")}
    assert not {m: n for m, n in wrong.items() if n}, why


def cycles() -> list[list[str]]:
    """Every import loop among project modules (Tarjan's strongly connected components of more than one module)."""
    graph = {m: project_imports(m) for m in MODULES}
    index, low, stack, on_stack, found, counter = {}, {}, [], set(), [], [0]

    def visit(node: str) -> None:
        index[node] = low[node] = counter[0]
        counter[0] += 1
        stack.append(node)
        on_stack.add(node)
        for nxt in graph[node]:
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in on_stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in graph:
        if node not in index:
            visit(node)
    return found


def test_no_import_cycles():
    assert cycles() == []


def test_the_checker_sees_a_cycle_and_a_rule_break(tmp_path, monkeypatch):
    """The control: two modules importing each other, and a metrics module importing streamlit, are caught."""
    (tmp_path / "metrics").mkdir()
    (tmp_path / "metrics" / "a.py").write_text("from . import b\nimport streamlit as st\n", encoding="utf-8")
    (tmp_path / "metrics" / "b.py").write_text("def f():\n    from .a import g\n", encoding="utf-8")
    monkeypatch.setattr(__import__(__name__, fromlist=["x"]), "ROOT", tmp_path)
    fake = {"metrics.a": tmp_path / "metrics/a.py", "metrics.b": tmp_path / "metrics/b.py"}
    monkeypatch.setattr(__import__(__name__, fromlist=["x"]), "MODULES", fake)
    assert cycles() == [["metrics.a", "metrics.b"]]
    assert "streamlit" in imports("metrics.a")
