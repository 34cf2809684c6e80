"""`lifecycle`: the entry point of the command line. It assembles the command modules, nothing else.

The group and what every command shares live in `lifecycle.commands.base`;
the commands in `lifecycle.commands.setup`, `.projects`, `.districts`, `.audit`, `.notices`,
`.overview`, `.witness` and `.access`.
"""
from __future__ import annotations

import gc

from lifecycle import GC_THRESHOLD
from lifecycle.commands import access, audit, districts, letters, notices, overview, projects, setup, witness
from lifecycle.commands.base import cli

for _module in (setup, projects, districts, audit, notices, letters, overview, witness, access):
    for _command in _module.COMMANDS:
        cli.add_command(_command)


def main() -> None:
    gc.set_threshold(*GC_THRESHOLD)   # the collector a hundredth as often (lifecycle.GC_THRESHOLD)
    cli(prog_name="lifecycle")


if __name__ == "__main__":
    main()
