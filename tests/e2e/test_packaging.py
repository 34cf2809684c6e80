"""The wheel carries everything the installed command needs: cli.py, every module, rulebook and template."""
from __future__ import annotations

import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SKIP = shutil.ignore_patterns(".venv", ".git", "__pycache__", "*.pyc", "*.egg-info", "build", "dist", "*.db",
                              ".pytest_cache", ".hypothesis", "tests", "bench", "outbox")


def source_files() -> dict[str, str]:
    """Each file the package ships, as its path inside the wheel: {wheel path: source path}."""
    out = {"cli.py": "cli.py"}
    for folder, inside in (("lifecycle", "lifecycle"), ("templates", "lifecycle/templates")):
        for path in sorted((ROOT / folder).rglob("*")):
            if path.is_file() and "__pycache__" not in path.parts and path.suffix != ".pyc":
                rel = path.relative_to(ROOT / folder).as_posix()
                out[f"{inside}/{rel}"] = f"{folder}/{rel}"
    return out


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> zipfile.ZipFile:
    tmp = tmp_path_factory.mktemp("wheel")
    # build from a copy, so the build leaves no build/ or egg-info behind in the working tree
    tree = tmp / "src"
    shutil.copytree(ROOT, tree, ignore=SKIP)
    try:
        import setuptools  # noqa: F401 - --no-build-isolation builds with the venv's own setuptools
    except ImportError:
        pytest.fail("setuptools is not installed in the venv: `pip install setuptools wheel` (make install does)")
    done = subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "--quiet",
                           "-w", str(tmp / "dist"), str(tree)], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    (built,) = (tmp / "dist").glob("lifecycle-*.whl")
    return zipfile.ZipFile(built)


def test_the_wheel_holds_cli_py_the_rulebooks_and_the_templates(wheel: zipfile.ZipFile):
    names = set(wheel.namelist())
    assert "cli.py" in names
    rulebooks = {f"lifecycle/rulebooks/{p.name}" for p in (ROOT / "lifecycle" / "rulebooks").glob("*.toml")}
    assert {"lifecycle/rulebooks/jinan.toml", "lifecycle/rulebooks/dongying.toml"} <= rulebooks <= names
    templates = {n for n in source_files() if n.startswith("lifecycle/templates/") and not n.endswith(".py")}
    assert templates <= names, sorted(templates - names)


def test_the_wheel_holds_every_file_of_the_source_tree(wheel: zipfile.ZipFile):
    missing = sorted(set(source_files()) - set(wheel.namelist()))
    assert not missing, f"not in the wheel (add the package or data to pyproject.toml): {missing}"


def test_the_wheel_installs_the_lifecycle_command(wheel: zipfile.ZipFile):
    (entry_points,) = [n for n in wheel.namelist() if n.endswith(".dist-info/entry_points.txt")]
    assert "lifecycle = cli:main" in wheel.read(entry_points).decode()
