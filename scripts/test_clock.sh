#!/usr/bin/env bash
# The tests again with the product's clock shifted (MOTCUA_CLOCK, see shared/clock.py): the
# whole product, the test process and every program it starts read the same shifted clock, so a
# test that passes only at some hours fails here.
#
#   bash scripts/test_clock.sh                 the whole suite at each of the six instants below
#   bash scripts/test_clock.sh --quick         the time-sensitive tests (-m timewise) at two
#                                              instants: what scripts/test.sh runs every time
#   bash scripts/test_clock.sh --at ISO [--at ISO …] [pytest arguments]
#
# Expects the set-up of scripts/test.sh (the virtual environment with the test extras); run that
# once first. Exits non-zero if any instant fails, after running them all.
set -uo pipefail
cd "$(dirname "$0")/.."

# Việt Nam time (UTC+7). 06:00 is still the previous day in UTC; 23:30 is the last half hour
# of the local day; 6/12/2026 is a Sunday.
FULL=(
    2026-12-09T06:00:00+07:00   # Wednesday, before opening
    2026-12-09T12:00:00+07:00   # lunch break
    2026-12-09T16:00:00+07:00   # after the 15:00 cut-off, still open
    2026-12-09T21:00:00+07:00   # evening
    2026-12-09T23:30:00+07:00   # late night
    2026-12-06T10:00:00+07:00   # Sunday
)
QUICK=(
    2026-12-09T06:00:00+07:00   # before opening, UTC on the previous day
    2026-12-06T23:30:00+07:00   # Sunday night
)

instants=()
quick=no
args=()
while [ $# -gt 0 ]; do
    case "$1" in
        --quick) quick=yes; shift ;;
        --at) instants+=("$2"); shift 2 ;;
        *) args+=("$1"); shift ;;
    esac
done
if [ ${#instants[@]} -eq 0 ]; then
    if [ "$quick" = yes ]; then instants=("${QUICK[@]}"); else instants=("${FULL[@]}"); fi
fi
if [ "$quick" = yes ] && [ ${#args[@]} -eq 0 ]; then
    args=(-m timewise -q)
fi

export QT_QPA_PLATFORM=${QT_QPA_PLATFORM:-offscreen}
status=0
for at in "${instants[@]}"; do
    echo "== pytest with the product's clock at $at"
    MOTCUA_CLOCK="$at" .venv/bin/python -m pytest -p no:cacheprovider "${args[@]}"
    rc=$?
    if [ $rc -eq 5 ]; then
        echo "pytest: no test matched at $at"
    elif [ $rc -ne 0 ]; then
        echo "pytest failed with the clock at $at (exit $rc)" >&2
        status=1
    fi
done
exit $status
