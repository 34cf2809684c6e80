"""The README's command section and the CLI agree: every command is documented, every documented one exists."""
from __future__ import annotations

import re
from pathlib import Path

import click
import pytest

from cli import cli

README = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
GROUP_OPTIONS = {"--db", "--actor", "--help", "-h", "--version"}


def cli_commands(group: click.Group = cli, prefix: tuple[str, ...] = ()) -> dict[str, click.Command]:
    """Every command path, recursively through groups; a group that runs on its own counts too."""
    out: dict[str, click.Command] = {}
    ctx = click.Context(group)
    for name in group.list_commands(ctx):
        command = group.get_command(ctx, name)
        path = (*prefix, name)
        if isinstance(command, click.Group):
            if command.invoke_without_command:
                out[" ".join(path)] = command
            out.update(cli_commands(command, path))
        else:
            out[" ".join(path)] = command
    return out


def section(title: str) -> str:
    match = re.search(rf"^## {re.escape(title)}\n(.*?)(?=^## )", README, re.S | re.M)
    assert match, f"README has no section '## {title}'"
    return match.group(1)


def documented_lines(text: str) -> list[str]:
    """`lifecycle ...` lines of the code blocks in `text` (comments and a leading `$ ` dropped)."""
    blocks = re.findall(r"^```[a-z]*\n(.*?)^```", text, re.S | re.M)
    lines = [line.removeprefix("$ ").split("  #")[0].strip() for block in blocks for line in block.splitlines()]
    return [line for line in lines if line.startswith("lifecycle ")]


def resolve(line: str) -> tuple[str, click.Command]:
    """The command a documented line runs, skipping group options: ('station add', <Command>)."""
    tokens = line.split()[1:]
    while tokens and tokens[0] in ("--db", "--actor"):
        tokens = tokens[2:]
    group: click.Group = cli
    path: list[str] = []
    command: click.Command = cli
    while tokens and isinstance(command, click.Group):
        found = command.get_command(click.Context(command), tokens[0])
        if found is None:
            break
        command, path = found, [*path, tokens.pop(0)]
    assert path, f"{line!r} names no command"
    if isinstance(command, click.Group):
        assert command.invoke_without_command, f"{line!r} stops at group {' '.join(path)}"
    return " ".join(path), command


def options_of(command: click.Command) -> set[str]:
    return {opt for p in command.params if isinstance(p, click.Option) for opt in p.opts + p.secondary_opts}


COMMANDS = cli_commands()
LISTED = documented_lines(section("Commands"))


def test_the_cli_has_the_commands_of_cli_md_and_the_extras():
    assert {"init", "station add", "station import", "station list", "contractor add", "contractor list",
            "rules list", "rules show", "project open", "project list", "advance", "status", "deadlines",
            "history", "replay", "diagram", "recompute"} <= set(COMMANDS)


@pytest.mark.parametrize("path", sorted(COMMANDS))
def test_every_cli_command_is_listed_in_the_readme_command_section(path):
    assert any(resolve(line)[0] == path for line in LISTED), f"`lifecycle {path}` is not in README's ## Commands"


@pytest.mark.parametrize("line", LISTED)
def test_every_command_the_readme_lists_exists_with_the_options_it_shows(line):
    path, command = resolve(line)
    shown = {re.sub(r"[^\w-].*$", "", t.lstrip("[(|")) for t in line.split() if t.lstrip("[(|").startswith("--")}
    unknown = shown - options_of(command) - GROUP_OPTIONS
    assert not unknown, f"`lifecycle {path}` has no option(s) {sorted(unknown)}"


def test_every_command_in_the_walkthrough_and_elsewhere_in_the_readme_exists():
    for line in documented_lines(README):
        resolve(line)


def test_the_readme_documents_the_exit_statuses_and_the_postgresql_url():
    statuses = section("Exit statuses")
    assert all(f"| `{n}` |" in statuses for n in (0, 1, 2))
    assert "postgresql+psycopg://user@127.0.0.1:5432/lifecycle" in README
    assert "## 简介" in README and "LIFECYCLE_HOLIDAYS" in README
