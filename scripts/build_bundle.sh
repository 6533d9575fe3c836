#!/usr/bin/env bash
# Build the programs as one folder, dist/motcua/ (motcua, motcua-kiosk, motcua-counter,
# motcua-display sharing one set of Python and Qt libraries), with build_installer.spec.
# Sets up first (the `build` extra: PyInstaller, into .venv), then prints size and build time.
#
# Usage: bash scripts/build_bundle.sh [--if-needed]
#   --if-needed  do nothing when dist/motcua was built from exactly these sources, this spec and
#                these installed packages (a stamp in dist/motcua/); a clean clone always builds.
# The same spec builds the Windows folder on Windows: see docs/install.md.
set -euo pipefail
cd "$(dirname "$0")/.."

if_needed=no
for arg in "$@"; do
    case "$arg" in
        --if-needed) if_needed=yes ;;
        *) echo "usage: bash scripts/build_bundle.sh [--if-needed]" >&2; exit 2 ;;
    esac
done

# (scripts/test.sh has just set up with --test --build and says so.)
[ "${MOTCUA_SETUP_DONE:-}" = 1 ] || bash scripts/setup.sh --build

DIST=dist/motcua
STAMP="$DIST/.motcua-build-stamp"

# The installed packages the bundle is made of: the runtime dependencies of motcua-queue,
# followed through their own dependencies (with the extras asked for), and PyInstaller; not the
# test tools, so setting up for the tests does not make the bundle look stale.
bundled_packages() {
    .venv/bin/python - <<'PY'
import importlib.metadata as metadata
import re
import sys

def split(requirement):
    name, extras, marker = re.match(r"\s*([\w.-]+)\s*(?:\[([^\]]*)\])?[^;]*(?:;(.*))?", requirement).groups()
    return name, {e.strip() for e in (extras or "").split(",") if e.strip()}, marker or ""

seen = {}
todo = [("motcua-queue", set()), ("pyinstaller", set()), ("pyinstaller-hooks-contrib", set())]
while todo:
    name, extras = todo.pop()
    key = re.sub(r"[-_.]+", "-", name).lower()
    try:
        dist = metadata.distribution(name)
    except metadata.PackageNotFoundError:
        continue
    if key in seen and extras <= seen[key][1]:
        continue
    seen[key] = (dist.version, extras | seen.get(key, ("", set()))[1])
    for requirement in dist.requires or []:
        child, child_extras, marker = split(requirement)
        wanted = re.findall(r"extra\s*==\s*['\"]([^'\"]+)['\"]", marker)
        if wanted and not set(wanted) & extras:
            continue
        todo.append((child, child_extras))
for key in sorted(seen):
    print(key, seen[key][0])
print(sys.version)
PY
}

# What the bundle is made of: the spec, the project file, every source and asset file (tracked
# or not, minus caches) and the installed packages above.
inputs_digest() {
    {
        sha256sum build_installer.spec pyproject.toml
        find shared cli launcher kiosk counter display assets -type f \
            ! -path '*/__pycache__/*' ! -name '*.pyc' -print0 | sort -z | xargs -0 sha256sum
        bundled_packages
    } | sha256sum | cut -d' ' -f1
}

digest=$(inputs_digest)
if [ "$if_needed" = yes ] && [ -f "$STAMP" ] && [ "$(cat "$STAMP")" = "$digest" ] \
    && [ -x "$DIST/motcua" ]; then
    echo "bundle: $DIST is up to date ($(du -sh "$DIST" | cut -f1)), not rebuilt"
    exit 0
fi

echo "bundle: building $DIST with PyInstaller $(.venv/bin/pyinstaller --version)"
started=$(date +%s)
rm -f "$STAMP"
.venv/bin/pyinstaller --noconfirm --log-level WARN \
    --distpath dist --workpath build/pyinstaller build_installer.spec
elapsed=$(( $(date +%s) - started ))
for program in motcua motcua-kiosk motcua-counter motcua-display; do
    if [ ! -x "$DIST/$program" ]; then
        echo "bundle: $DIST/$program is missing" >&2
        exit 1
    fi
done
echo "$digest" > "$STAMP"
echo "bundle: $DIST  size $(du -sh "$DIST" | cut -f1)  built in ${elapsed} s"
