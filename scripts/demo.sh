#!/usr/bin/env bash
# Set up, then show the centre working on this PC:
#   - with a screen (DISPLAY or WAYLAND_DISPLAY set): `motcua demo`, the waiting-room screen, the
#     kiosk and two counters as windows on a fresh demo database;
#   - without one, or with --headless: a simulated working day on a fresh SQLite database and
#     its summary.
# Extra arguments go to `motcua demo` (e.g. --visitors 500 --seed 2 --lang en, --headless).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
if [ -n "${DISPLAY:-}${WAYLAND_DISPLAY:-}" ] && [[ " $* " != *" --headless "* ]]; then
    exec .venv/bin/motcua demo "$@"
fi
exec .venv/bin/motcua demo --headless --visitors 300 --seed 1 "$@"
