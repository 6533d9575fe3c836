#!/usr/bin/env bash
# Set up (including the PostgreSQL server binaries and PyInstaller), then run every check:
# ruff, the import contracts, the installable bundle (dist/motcua, built by
# scripts/build_bundle.sh unless it is already built from these very sources) and the whole
# pytest suite (SQLite, a real PostgreSQL server that the suite starts and stops itself, and
# tests/test_bundle.py: every bundled program started offscreen, `motcua db upgrade` and
# `motcua demo --headless` from the bundle), then the time-sensitive tests again with the
# product's clock shifted to two instants (scripts/test_clock.sh --quick), so that no test
# passes only at some hours. Extra arguments go to pytest (and skip the shifted runs).
set -uo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh --test --build || exit 1

export QT_QPA_PLATFORM=offscreen
status=0
echo "== ruff"
.venv/bin/ruff check . || status=1
echo "== import contracts"
.venv/bin/lint-imports || status=1
echo "== bundle"
if ! MOTCUA_SETUP_DONE=1 bash scripts/build_bundle.sh --if-needed; then
    echo "bundle: the build failed" >&2
    rm -rf dist/motcua
    status=1
fi
# tests/test_bundle.py uses this bundle as it is (it builds one itself only when run alone).
export MOTCUA_BUNDLE=prebuilt
echo "== pytest"
.venv/bin/python -m pytest "$@"
rc=$?
if [ $rc -eq 5 ]; then
    # pytest found no test: fine for a filtered run, a broken suite otherwise.
    if [ $# -gt 0 ]; then
        echo "pytest: no test matched the given arguments"
        rc=0
    else
        echo "pytest: the suite collected no test" >&2
        rc=1
    fi
fi
[ $rc -ne 0 ] && status=$rc
if [ $# -eq 0 ]; then
    echo "== the time-sensitive tests at shifted clocks"
    bash scripts/test_clock.sh --quick || status=1
fi
exit $status
