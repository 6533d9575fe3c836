#!/usr/bin/env bash
# Set up, then simulate a working day on a fresh SQLite database and print the summary.
# Extra arguments go to `motcua demo` (e.g. --visitors 500 --seed 2 --lang en).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
exec .venv/bin/motcua demo --headless --visitors 300 --seed 1 "$@"
