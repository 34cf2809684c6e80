"""The domain never imports the adapters' libraries, and never reads the clock (STYLE.md)."""
from __future__ import annotations

import ast
from pathlib import Path

import pytest

import lifecycle

PACKAGE = Path(lifecycle.__file__).parent
DOMAIN = ["calendar", "rulebook", "states", "states.guards", "project", "obligations", "events", "roster",
          "creditcode", "eventdata"]
FORBIDDEN = {"sqlalchemy", "apscheduler", "jinja2", "click"}
CLOCK_CALLS = {("date", "today"), ("datetime", "now"), ("datetime", "utcnow"), ("datetime", "today"),
               ("time", "time"), ("time", "monotonic"), ("time", "localtime")}


def source_of(module: str) -> Path:
    path = PACKAGE.joinpath(*module.split("."))
    return path / "__init__.py" if path.is_dir() else path.with_suffix(".py")


def imports_of(module: str) -> set[str]:
    """Every module `module` imports, at the top or inside a function, resolved to absolute names."""
    tree = ast.parse(source_of(module).read_text(encoding="utf-8"))
    package = ["lifecycle", *module.split(".")][: -1 if not source_of(module).name == "__init__.py" else None]
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                base = ".".join(package[: len(package) - node.level + 1] + ([base] if base else []))
            found.add(base)
            found |= {f"{base}.{alias.name}" for alias in node.names}
    return found


def closure(module: str) -> dict[str, str]:
    """Every module reachable from `module` through lifecycle's own modules: {imported: importer}."""
    seen: dict[str, str] = {}
    todo = [module]
    visited = set()
    while todo:
        current = todo.pop()
        if current in visited:
            continue
        visited.add(current)
        for name in imports_of(current):
            seen.setdefault(name, current)
            if name.startswith("lifecycle."):
                inner = name[len("lifecycle."):]
                if source_of(inner).exists():
                    todo.append(inner)
    return seen


@pytest.mark.parametrize("module", DOMAIN)
def test_a_domain_module_never_imports_the_database_scheduler_templates_or_cli(module):
    reached = closure(module)
    bad = {name: via for name, via in reached.items() if name.split(".")[0] in FORBIDDEN}
    assert not bad, f"lifecycle.{module} reaches {sorted(bad)} (via {sorted(set(bad.values()))})"


@pytest.mark.parametrize("module", DOMAIN)
def test_a_domain_module_never_reads_the_clock(module):
    tree = ast.parse(source_of(module).read_text(encoding="utf-8"))
    calls = {(n.func.value.id, n.func.attr) for n in ast.walk(tree)
             if isinstance(n, ast.Call) and isinstance(n.func, ast.Attribute) and isinstance(n.func.value, ast.Name)}
    assert not calls & CLOCK_CALLS, f"lifecycle.{module} calls {sorted(calls & CLOCK_CALLS)}"


def test_the_import_scan_sees_imports_inside_functions():
    # the states module imports `transitions` only inside build_machine; the scan must find it
    assert "transitions" in imports_of("states")
    assert "lifecycle.store" in imports_of("services")
    assert "sqlalchemy" in {n.split(".")[0] for n in closure("services")}
