#!/usr/bin/env bash
# Build the self-contained program (PyInstaller, one folder) into dist/digcomp-app/.
#
#   packaging/build-linux.sh                 # a fresh build/bundle-venv from constraints.txt
#   PYTHON=.venv/bin/python packaging/build-linux.sh   # an environment that has '.[bundle]'
#
# Everything installed comes from the pinned versions (constraints.txt), PyInstaller included.
# Prints the build time and the size of the folder.
set -euo pipefail
cd "$(dirname "$0")/.."
export PIP_CONSTRAINT=constraints.txt PIP_DISABLE_PIP_VERSION_CHECK=1
UV_VERSION=$(sed -n "s/^uv==//p" constraints.txt)  # the one pin of uv, as the test command's
started=$(date +%s)

if [ -z "${PYTHON:-}" ]; then
    # The dependencies of the app and of PyInstaller at the pinned versions, installed by uv
    # (pinned here): about 5 CPU-seconds with uv's own install, where a venv with pip and pip
    # took 19, most of them spent reading every release ever published of each package. Not
    # the project itself: the spec bundles digcomp_app from this folder, never an installed
    # copy. uv trusts the system's certificates, as pip does.
    if [ "$(build/uv/bin/uv --version 2>/dev/null | cut -d" " -f2)" != "$UV_VERSION" ]; then
        rm -rf build/uv
        pip=(python3 -m pip)
        python3 -c "import pip" 2>/dev/null || { python3 -m venv build/uv-venv && pip=(build/uv-venv/bin/pip); }
        "${pip[@]}" install -q --no-compile --root-user-action=ignore --target build/uv "uv==$UV_VERSION"
    fi
    rm -rf build/bundle-venv
    python3 -m venv --without-pip build/bundle-venv
    build/uv/bin/uv pip install -q --system-certs --python build/bundle-venv/bin/python \
        -c constraints.txt --build-constraints constraints.txt -r pyproject.toml --extra bundle
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
