#!/usr/bin/env bash
# Prove that the Windows installer script compiles: makensis (Debian's nsis package) builds
# it on Linux against a stand-in folder shaped like dist/digcomp-app/ of a Windows build
# (two .exe files, _internal/ with the icon). The installer made is not run: that needs
# Windows (packaging/README.md).
set -euo pipefail
cd "$(dirname "$0")/../.."
PYTHON="${PYTHON:-python3}"
command -v makensis >/dev/null || { echo "nsis: FAILED: makensis missing (apt-get install nsis)" >&2; exit 1; }
stand_in=build/nsis/digcomp-app
rm -rf build/nsis && mkdir -p "$stand_in/_internal/digcomp_app"
printf 'MZ stand-in\n' >"$stand_in/digcomp-app.exe"
printf 'MZ stand-in\n' >"$stand_in/digcomp-app-gui.exe"
printf 'data\n' >"$stand_in/_internal/digcomp_app/stand-in.txt"
QT_QPA_PLATFORM=offscreen "$PYTHON" packaging/icons.py build/nsis/icons
cp build/nsis/icons/digcomp-app.ico "$stand_in/_internal/digcomp-app.ico"
version=$(sed -n 's/^__version__ = "\(.*\)"/\1/p' digcomp_app/__init__.py)
out=build/nsis/digcomp-app-$version-setup.exe
(cd packaging/windows && makensis -V2 -WX -DVERSION="$version" -DSOURCE="../../$stand_in" \
    -DOUTFILE="../../$out" digcomp-app.nsi)
[ -s "$out" ] || { echo "nsis: FAILED: no installer written" >&2; exit 1; }
echo "nsis: packaging/windows/digcomp-app.nsi compiles with $(makensis -VERSION) ok ($out, stand-in files; not run)"
