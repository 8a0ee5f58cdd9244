"""The import rules of ARCHITECTURE.md, read from the source (every import, including those inside functions):
metrics/ never imports streamlit, ui/ never imports pages/, and no module depends on itself through others."""
from __future__ import annotations

import ast
import graphlib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("metrics", "ui", "pages", "deploy")


def module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imports_of(path: Path) -> set[str]:
    """Every module a file imports, with relative imports resolved to absolute names."""
    package = module_name(path).rsplit(".", 1)[0] if path.name != "__init__.py" else module_name(path)
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*anchor, base] if base else anchor)
            found.add(base)
            found |= {f"{base}.{alias.name}" for alias in node.names}   # `from . import x` imports module x
    return found


FILES = sorted(p for pkg in PACKAGES for p in (ROOT / pkg).rglob("*.py")) + [ROOT / "dashboard.py"]
GRAPH = {module_name(p): imports_of(p) for p in FILES}


def offenders(package: str, forbidden: str) -> list[str]:
    return sorted(f"{name} imports {target}" for name, targets in GRAPH.items() if name.split(".")[0] == package
                  for target in targets if target == forbidden or target.startswith(forbidden + "."))


@pytest.mark.parametrize("package,forbidden", [("metrics", "streamlit"), ("metrics", "ui"), ("metrics", "pages"),
                                               ("ui", "pages")])
def test_layer_never_imports_upwards(package, forbidden):
    assert offenders(package, forbidden) == []


def test_no_import_cycles():
    internal = {name: {t for t in targets if t in GRAPH and t != name} for name, targets in GRAPH.items()}
    try:
        graphlib.TopologicalSorter(internal).prepare()
    except graphlib.CycleError as err:
        pytest.fail(f"import cycle: {' → '.join(err.args[1])}")


def test_the_graph_sees_the_imports():
    # Guards the test itself: a resolver that found nothing would pass every rule above.
    assert "metrics.units" in GRAPH["metrics.indicators"] and "ui.i18n" in GRAPH["ui.state"]
