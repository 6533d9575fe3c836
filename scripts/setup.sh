#!/usr/bin/env bash
# Set up everything MotCua Queue needs on a Debian machine, idempotently:
#   - Debian packages: python3-venv (if the system Python lacks venv) and, with --test,
#     the PostgreSQL server the test suite starts itself;
#   - a virtual environment in .venv with the package and its dependencies (with --build, also
#     the `build` extra: PyInstaller, for scripts/build_bundle.sh).
# Usage: bash scripts/setup.sh [--test] [--build]
set -euo pipefail
cd "$(dirname "$0")/.."

want_test=no
want_build=no
for arg in "$@"; do
    case "$arg" in
        --test) want_test=yes ;;
        --build) want_build=yes ;;
        *) echo "usage: bash scripts/setup.sh [--test] [--build]" >&2; exit 2 ;;
    esac
done
PYTHON=${PYTHON:-python3}

as_root() {
    if [ "$(id -u)" = 0 ]; then "$@"
    elif command -v sudo >/dev/null 2>&1; then sudo "$@"
    else echo "setup: need root to run: $*" >&2; return 1
    fi
}

apt_updated=no
apt_install() {
    # Install the Debian packages given that are not installed yet.
    local missing=()
    for pkg in "$@"; do
        dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" \
            || missing+=("$pkg")
    done
    [ ${#missing[@]} -eq 0 ] && return 0
    if ! command -v apt-get >/dev/null 2>&1; then
        echo "setup: please install these packages: ${missing[*]}" >&2
        return 1
    fi
    echo "setup: installing Debian packages: ${missing[*]}"
    if [ "$apt_updated" = no ]; then
        as_root apt-get update -qq
        apt_updated=yes
    fi
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
        "${missing[@]}"
}

have_pg_server() {
    compgen -G "/usr/lib/postgresql/*/bin/initdb" >/dev/null \
        && compgen -G "/usr/lib/postgresql/*/bin/postgres" >/dev/null
}

if ! "$PYTHON" -c 'import sys; assert sys.version_info >= (3, 11)' 2>/dev/null; then
    echo "setup: MotCua Queue needs Python 3.11 or newer ($PYTHON is too old or missing)." >&2
    exit 1
fi

if [ "$want_test" = yes ]; then
    # The tests start their own PostgreSQL server and read QR codes and barcodes with zbar.
    have_pg_server || apt_install postgresql
    apt_install libzbar0
fi
if [ "$want_test" = yes ] || [ "${MOTCUA_VOICE:-1}" = 1 ]; then
    # Offline speech for the waiting-room display's spoken calls.
    apt_install espeak-ng
fi
# The system libraries Qt (PySide6) loads, offscreen and on a real screen (X11/xcb).
apt_install libegl1 libgl1 libfontconfig1 libxkbcommon0 libxkbcommon-x11-0 libglib2.0-0 \
    libdbus-1-3 libx11-6 libxcb-cursor0 libxcb-icccm4 libxcb-keysyms1 libxcb-shape0 \
    libxcb-randr0 libxcb-render-util0 libxcb-image0
if [ "$want_test" = yes ]; then
    apt_install procps  # pgrep, used by the demo's tests
    apt_install faketime  # a PC whose own clock is wrong, for the clock tests
    # Real X screens with no window manager (Xvfb), or a small one (openbox), for the programs'
    # full-screen and journey tests: xwininfo sees their windows, xdotool clicks and types as a
    # person would, and tesseract reads the number back from the waiting-room screen.
    apt_install xvfb x11-utils xdotool tesseract-ocr tesseract-ocr-eng openbox
fi

if [ ! -x .venv/bin/python ]; then
    if ! "$PYTHON" -m venv .venv 2>/dev/null; then
        rm -rf .venv
        pyver=$("$PYTHON" -c 'import sys; print(f"{sys.version_info[0]}.{sys.version_info[1]}")')
        apt_install "python${pyver}-venv" || apt_install python3-venv
        "$PYTHON" -m venv .venv
    fi
fi

# Reinstall only when the declared dependencies changed (one stamp per set of extras).
wanted=()
[ "$want_test" = yes ] && wanted+=(test)
[ "$want_build" = yes ] && wanted+=(build)
extras=""
[ ${#wanted[@]} -gt 0 ] && extras="[$(IFS=,; echo "${wanted[*]}")]"
stamp=".venv/.motcua-installed$(IFS=-; echo "${wanted[*]/#/-}" | tr -s -)"
digest=$(sha256sum pyproject.toml | cut -d' ' -f1)
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$digest" ]; then
    .venv/bin/python -m pip install --quiet --disable-pip-version-check --upgrade pip
    .venv/bin/python -m pip install --quiet --disable-pip-version-check -e ".${extras}"
    echo "$digest" > "$stamp"
fi
