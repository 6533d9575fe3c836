#!/usr/bin/env bash
# Set up (including the PostgreSQL server binaries), then run every check:
# ruff, the import contracts and the whole pytest suite (SQLite and a real PostgreSQL server
# that the suite starts and stops itself). Extra arguments go to pytest.
set -uo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh --test || exit 1

export QT_QPA_PLATFORM=offscreen
status=0
echo "== ruff"
.venv/bin/ruff check . || status=1
echo "== import contracts"
.venv/bin/lint-imports || status=1
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
exit $status
