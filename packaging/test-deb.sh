#!/usr/bin/env bash
# Install the .deb with apt on this machine (root), run the installed program, remove it
# with --purge and check that nothing is left: every step logs "deb: … ok".
#
#   packaging/test-deb.sh [dist/digcomp-app_<version>_<arch>.deb]
set -euo pipefail
cd "$(dirname "$0")/.."
deb="${1:-$(ls dist/digcomp-app_*.deb | head -n 1)}"
[ -f "$deb" ] || { echo "deb: FAILED: no package (packaging/build-deb.sh)" >&2; exit 1; }
fail() { echo "deb: FAILED: $*" >&2; exit 1; }
export DEBIAN_FRONTEND=noninteractive

if dpkg -s digcomp-app >/dev/null 2>&1; then
    fail "digcomp-app is already installed on this machine; remove it first"
fi
started=$(date +%s)
apt-get install -y -qq "./${deb#./}" >/dev/null 2>build/apt.log || { cat build/apt.log >&2; fail "apt-get install ./$deb"; }
echo "deb: apt-get install ./$deb ok ($(( $(date +%s) - started )) s, with its dependencies)"

[ "$(readlink -f /usr/bin/digcomp-app)" = /opt/digcomp-app/digcomp-app ] || fail "/usr/bin/digcomp-app"
for file in /usr/share/applications/digcomp-app.desktop \
    /usr/share/icons/hicolor/48x48/apps/digcomp-app.png \
    /usr/share/icons/hicolor/256x256/apps/digcomp-app.png \
    /usr/share/icons/hicolor/scalable/apps/digcomp-app.svg; do
    [ -s "$file" ] || fail "$file missing"
done
ls /usr/share/metainfo/*.metainfo.xml | grep -q DigCompApp || fail "AppStream metadata missing"
echo "deb: launcher, desktop entry, icons (16-256 px, scalable) and AppStream metadata installed ok"

version=$(digcomp-app --version) || fail "digcomp-app --version"
echo "deb: digcomp-app --version ok ($version)"
SMOKE_LABEL="deb smoke" packaging/smoke-test.sh --quick digcomp-app

apt-get remove --purge -y -qq digcomp-app >/dev/null || fail "apt-get remove --purge digcomp-app"
[ ! -e /opt/digcomp-app ] || fail "/opt/digcomp-app left after removal: $(find /opt/digcomp-app | head)"
[ ! -e /usr/bin/digcomp-app ] && [ ! -e /usr/share/applications/digcomp-app.desktop ] \
    || fail "files left after removal"
! dpkg -s digcomp-app >/dev/null 2>&1 || fail "dpkg still knows digcomp-app"
echo "deb: apt-get remove --purge ok: nothing left under /opt/digcomp-app"
