"""`make demo` ends with commands to try: each runs as printed, from where make ran it."""
from __future__ import annotations

import shlex
import subprocess
import sys
from pathlib import Path

PROGRAM = Path(sys.executable).parent / "lifecycle"


def test_every_suggested_command_of_the_demo_runs_as_printed(tmp_path):
    # as `make demo` runs it: the venv's program by its path, not on PATH, a database relative to the folder
    env = {"PATH": "/usr/bin:/bin", "HOME": str(tmp_path), "LANG": "C.UTF-8"}
    program = str(PROGRAM)
    done = subprocess.run([program, "--db", "sqlite:///demo.db", "init", "--demo"], cwd=tmp_path, env=env,
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    hints = done.stdout.split("Try next:", 1)[1].strip().splitlines()
    assert len(hints) >= 8
    for line in hints:
        words = shlex.split(line)
        assert words[0] == program, line     # not a bare `lifecycle` the shell would not find
        ran = subprocess.run(words, cwd=tmp_path, env=env, capture_output=True, text=True, timeout=120)
        assert ran.returncode == 0, f"{line}: exit {ran.returncode}: {ran.stderr}"
        assert ran.stdout.strip(), line
