#!/usr/bin/env bash
# Runs every test twice: on SQLite, then on PostgreSQL (a throw-away cluster the test session
# starts on 127.0.0.1 at a free port, in a temporary folder, and stops).
# Installs what the tests need when it is missing: PostgreSQL and Chromium (with CJK fonts) from Debian's
# packages, setuptools and wheel in the venv (a test builds a wheel).
# Arguments go to pytest; LIFECYCLE_TEST_BACKENDS="sqlite" (or "postgres") runs one backend only.
set -euo pipefail
cd "$(dirname "$0")/.."

as_root() {
    if [ "$(id -u)" -eq 0 ]; then "$@"; elif command -v sudo >/dev/null; then sudo "$@"; else
        echo "need root to run: $*" >&2; return 1; fi
}

apt_updated=""
apt_install() {
    if [ -z "$apt_updated" ]; then as_root apt-get update -qq; apt_updated=1; fi
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$@" >/dev/null
}

# Debian puts the server binaries in /usr/lib/postgresql/<version>/bin, not on PATH
if ! command -v initdb >/dev/null && ! compgen -G "/usr/lib/postgresql/*/bin/initdb" >/dev/null; then
    echo "installing PostgreSQL (Debian package postgresql)"
    apt_install postgresql
fi
if ! command -v chromium >/dev/null && ! command -v chromium-browser >/dev/null; then
    echo "installing Chromium (Debian packages chromium, fonts-noto-cjk for the Chinese of the audit report)"
    apt_install chromium fonts-noto-cjk
fi
if ! .venv/bin/python -c "import setuptools, wheel, sys; sys.exit(int(setuptools.__version__.split('.')[0]) < 77)" 2>/dev/null; then
    .venv/bin/python -m pip install --quiet "setuptools>=77" wheel
fi

status=0
for backend in ${LIFECYCLE_TEST_BACKENDS:-sqlite postgres}; do
    echo "== tests on $backend"
    start=$(date +%s)
    .venv/bin/python -m pytest -q --backend="$backend" "$@" || status=1
    echo "== $backend: $(( $(date +%s) - start )) s"
done
exit $status
