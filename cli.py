"""`lifecycle`: the entry point of the command line. It assembles the command modules, nothing else.

The group and what every command shares live in `lifecycle.commands.base`;
the commands in `lifecycle.commands.setup`, `.projects`, `.districts`, `.audit`, `.notices`,
`.overview`, `.witness` and `.access`.
"""
from __future__ import annotations

import gc

from lifecycle.commands import access, audit, districts, letters, notices, overview, projects, setup, witness
from lifecycle.commands.base import cli

for _module in (setup, projects, districts, audit, notices, letters, overview, witness, access):
    for _command in _module.COMMANDS:
        cli.add_command(_command)


def main() -> None:
    # A command makes its objects and frees them by reference counting: the cyclic collector's passes
    # over the young ones, at its default threshold (700), were a seventh of a national sweep's time
    # and two fifths of reading a log. It runs a hundredth as often (lifecycle.audit.verify.fewer_collections).
    gc.set_threshold(100_000, 50, 100)
    cli(prog_name="lifecycle")


if __name__ == "__main__":
    main()
