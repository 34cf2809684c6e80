#!/usr/bin/env bash
# Runs every test. Servers the tests need (PostgreSQL, Chromium) are set up by
# the fixtures or installed here when missing.
set -euo pipefail
cd "$(dirname "$0")/.."
exec .venv/bin/python -m pytest -q "$@"
