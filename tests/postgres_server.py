"""A throw-away PostgreSQL cluster for the tests: a temporary folder, 127.0.0.1, a free port, trust auth.

    with PostgresServer.start() as server:
        url = server.url("lifecycle")

Run as a script it starts a cluster, prints its URL and waits for a line on
stdin (or EOF) before stopping it; `scripts/test.sh` does not need that, the
test session starts one itself, but it is handy by hand.

initdb refuses to run as root, so as root the cluster belongs to the
`postgres` system user (created by Debian's package; made here if missing)
and its commands run through `runuser`.
"""
from __future__ import annotations

import getpass
import glob
import os
import pwd
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

SERVER_USER = "postgres"
READY_WITHIN_S = 60


def bin_dir() -> Path | None:
    """Where initdb, pg_ctl and postgres live: on PATH, or Debian's /usr/lib/postgresql/<ver>/bin."""
    found = shutil.which("initdb")
    if found:
        return Path(found).resolve().parent
    candidates = glob.glob("/usr/lib/postgresql/*/bin/initdb")
    candidates.sort(key=lambda p: int(Path(p).parts[4]) if Path(p).parts[4].isdigit() else 0)
    return Path(candidates[-1]).parent if candidates else None


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _server_user() -> str | None:
    """The unprivileged user the cluster runs as when we are root; None when we are not root."""
    if os.geteuid() != 0:
        return None
    try:
        pwd.getpwnam(SERVER_USER)
    except KeyError:
        subprocess.run(["useradd", "--system", "--no-create-home", "--shell", "/usr/sbin/nologin", SERVER_USER],
                       check=True)
    return SERVER_USER


class PostgresServer:
    def __init__(self, binaries: Path, folder: Path, port: int, run_as: str | None) -> None:
        self.binaries, self.folder, self.port, self.run_as = binaries, folder, port, run_as
        self.data = folder / "data"
        self.superuser = run_as or getpass.getuser()

    def _run(self, tool: str, *args: str) -> subprocess.CompletedProcess[str]:
        cmd = [str(self.binaries / tool), *args]
        if self.run_as:
            cmd = ["runuser", "-u", self.run_as, "--", *cmd]
        done = subprocess.run(cmd, capture_output=True, text=True)
        if done.returncode != 0:
            log = self.folder / "server.log"
            tail = log.read_text(errors="replace")[-2000:] if log.exists() else ""
            raise RuntimeError(f"{tool} failed ({done.returncode}): {done.stderr.strip()}\n{tail}")
        return done

    def url(self, database: str = "postgres") -> str:
        return f"postgresql+psycopg://{self.superuser}@127.0.0.1:{self.port}/{database}"

    def dsn(self, database: str = "postgres") -> str:
        return f"host=127.0.0.1 port={self.port} user={self.superuser} dbname={database}"

    @classmethod
    @contextmanager
    def start(cls) -> Iterator[PostgresServer]:
        binaries = bin_dir()
        if binaries is None:
            raise RuntimeError("PostgreSQL is not installed (no initdb on PATH or in /usr/lib/postgresql/*/bin); "
                               "`make test` installs Debian's postgresql package")
        run_as = _server_user()
        folder = Path(tempfile.mkdtemp(prefix="lifecycle-pg-"))
        if run_as:
            shutil.chown(folder, user=run_as)
        server = cls(binaries, folder, free_port(), run_as)
        try:
            server._run("initdb", "-D", str(server.data), "-U", server.superuser, "--auth=trust",
                        "--encoding=UTF8", "--locale=C", "--no-sync")
            # a throw-away cluster: durability settings off, for speed
            options = (f"-p {server.port} -k {folder} -c listen_addresses=127.0.0.1 -c fsync=off "
                       "-c synchronous_commit=off -c full_page_writes=off -c max_connections=200")
            server._run("pg_ctl", "-D", str(server.data), "-l", str(folder / "server.log"), "-o", options,
                        "-w", "-t", str(READY_WITHIN_S), "start")
            server.wait_ready()
            yield server
        finally:
            if (server.data / "postmaster.pid").exists():
                server._run("pg_ctl", "-D", str(server.data), "-m", "immediate", "-w", "stop")
            shutil.rmtree(folder, ignore_errors=True)

    def wait_ready(self) -> None:
        """Poll until the server takes a TCP connection (bounded; pg_ctl -w checks the socket only)."""
        import psycopg
        deadline = time.monotonic() + READY_WITHIN_S
        while True:
            try:
                psycopg.connect(self.dsn(), connect_timeout=2).close()
                return
            except psycopg.OperationalError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.1)  # polling a starting server, not waiting on a clock

    def create_database(self, name: str) -> str:
        import psycopg
        with psycopg.connect(self.dsn(), autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        return self.url(name)


if __name__ == "__main__":
    with PostgresServer.start() as running:
        print(running.url(), flush=True)
        sys.stdin.readline()
