"""Every arrow points down (STYLE.md): commands → services → core; adapters depend on the core.

Checked by parsing imports, at the top of a module and inside its functions:
- the core (`lifecycle.core`) never imports SQLAlchemy, APScheduler, Jinja2 or click,
  nor any other part of `lifecycle`, and never reads the clock or the environment;
- the adapters (`store`, `notifications`, `audit`, `files`) never import the services or the commands;
- `wiring` imports only the core (and, by type, the store);
- nothing under `lifecycle/` imports the top-level `cli`.
"""
from __future__ import annotations

import ast
from pathlib import Path

import pytest

import lifecycle

PACKAGE = Path(lifecycle.__file__).parent
FORBIDDEN = {"sqlalchemy", "apscheduler", "jinja2", "click"}
CLOCK_CALLS = {("date", "today"), ("datetime", "now"), ("datetime", "utcnow"), ("datetime", "today"),
               ("time", "time"), ("time", "monotonic"), ("time", "localtime")}
ENVIRONMENT = {("os", "environ"), ("os", "getenv")}


def modules_under(folder: str) -> list[str]:
    """Every module of a sub-package, as dotted names below `lifecycle`."""
    base = PACKAGE / folder
    names = []
    for path in sorted(base.rglob("*.py")):
        parts = path.relative_to(PACKAGE).with_suffix("").parts
        names.append(".".join(parts[:-1] if parts[-1] == "__init__" else parts))
    return names


CORE = modules_under("core")
ADAPTERS = modules_under("store") + modules_under("notifications") + modules_under("audit") + modules_under("files")
EVERY = [".".join(p.relative_to(PACKAGE).with_suffix("").parts) for p in sorted(PACKAGE.rglob("*.py"))]


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


def lifecycle_parts(names: set[str]) -> set[str]:
    """The sub-packages (or top modules) of lifecycle that `names` reach: core, store, services, ..."""
    return {n.split(".")[1] for n in names if n.startswith("lifecycle.") and len(n.split(".")) > 1}


def test_the_core_holds_every_pure_module_of_the_domain():
    for name in ("calendar", "rulebook", "states", "guards", "events", "project", "obligations", "duties",
                 "roster", "eventdata", "names", "creditcode", "errors", "clock"):
        assert f"core.{name}" in CORE


@pytest.mark.parametrize("module", CORE)
def test_a_core_module_never_imports_the_database_scheduler_templates_or_cli(module):
    reached = closure(module)
    bad = {name: via for name, via in reached.items() if name.split(".")[0] in FORBIDDEN}
    assert not bad, f"lifecycle.{module} reaches {sorted(bad)} (via {sorted(set(bad.values()))})"


@pytest.mark.parametrize("module", CORE)
def test_a_core_module_imports_nothing_of_lifecycle_but_the_core(module):
    outside = lifecycle_parts(imports_of(module)) - {"core"}
    assert not outside, f"lifecycle.{module} imports lifecycle.{sorted(outside)}"


@pytest.mark.parametrize("module", CORE)
def test_a_core_module_never_reads_the_clock_or_the_environment(module):
    tree = ast.parse(source_of(module).read_text(encoding="utf-8"))
    calls = {(n.func.value.id, n.func.attr) for n in ast.walk(tree)
             if isinstance(n, ast.Call) and isinstance(n.func, ast.Attribute) and isinstance(n.func.value, ast.Name)}
    attrs = {(n.value.id, n.attr) for n in ast.walk(tree)
             if isinstance(n, ast.Attribute) and isinstance(n.value, ast.Name)}
    assert not calls & CLOCK_CALLS, f"lifecycle.{module} calls {sorted(calls & CLOCK_CALLS)}"
    assert not attrs & ENVIRONMENT, f"lifecycle.{module} reads {sorted(attrs & ENVIRONMENT)}"


@pytest.mark.parametrize("module", ADAPTERS)
def test_an_adapter_never_imports_the_services_or_the_commands(module):
    upward = lifecycle_parts(imports_of(module)) & {"services", "commands", "demo", "scheduler"}
    assert not upward, f"lifecycle.{module} imports lifecycle.{sorted(upward)}"


def test_wiring_depends_on_the_core_alone():
    assert lifecycle_parts(imports_of("wiring")) <= {"core", "store"}


@pytest.mark.parametrize("module", EVERY)
def test_nothing_in_the_package_imports_the_top_level_cli(module):
    reached = imports_of(module)
    assert "cli" not in reached and not any(n.startswith("cli.") for n in reached), module


@pytest.mark.parametrize("module", EVERY)
def test_no_module_is_over_400_lines(module):
    lines = source_of(module).read_text(encoding="utf-8").count("\n")
    assert lines <= 400, f"lifecycle.{module} has {lines} lines"


def test_the_import_scan_sees_imports_inside_functions():
    # the states module imports `transitions` only inside build_machine; the scan must find it
    assert "transitions" in imports_of("core.states")
    assert "lifecycle.store" in imports_of("services.projects")
    assert "sqlalchemy" in {n.split(".")[0] for n in closure("services.projects")}
    assert "lifecycle.core" in imports_of("core.guards") or "lifecycle.core.creditcode" in imports_of("core.guards")
