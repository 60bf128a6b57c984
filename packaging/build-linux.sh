#!/usr/bin/env bash
# Build the self-contained program (PyInstaller, one folder) into dist/digcomp-app/.
#
#   packaging/build-linux.sh                 # a fresh build/bundle-venv from constraints.txt
#   PYTHON=.venv/bin/python packaging/build-linux.sh   # an environment that has '.[bundle]'
#
# Everything installed comes from the pinned versions (PIP_CONSTRAINT=constraints.txt),
# PyInstaller included. Prints the build time and the size of the folder.
set -euo pipefail
cd "$(dirname "$0")/.."
export PIP_CONSTRAINT=constraints.txt PIP_DISABLE_PIP_VERSION_CHECK=1
started=$(date +%s)

if [ -z "${PYTHON:-}" ]; then
    python3 -m venv build/bundle-venv
    build/bundle-venv/bin/pip install -q '.[bundle]'
    PYTHON=build/bundle-venv/bin/python
fi
"$PYTHON" -m PyInstaller --version >/dev/null 2>&1 || {
    echo "build-linux: PyInstaller is missing: pip install '.[bundle]' with PIP_CONSTRAINT=constraints.txt" >&2
    exit 1
}

rm -rf dist/digcomp-app
QT_QPA_PLATFORM=offscreen "$PYTHON" -m PyInstaller --noconfirm --clean --log-level WARN \
    --distpath dist --workpath build/pyinstaller packaging/digcomp-app.spec

test -x dist/digcomp-app/digcomp-app
size_mb=$(du -sm dist/digcomp-app | cut -f1)
echo "build-linux: dist/digcomp-app built in $(( $(date +%s) - started )) s, ${size_mb} MB unpacked, $(find dist/digcomp-app -type f | wc -l) files"
