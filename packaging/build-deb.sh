#!/usr/bin/env bash
# Build the Debian/Ubuntu package dist/digcomp-app_<version>_<arch>.deb around the program
# built by packaging/build-linux.sh (run first when dist/digcomp-app/ is missing):
#
#   /opt/digcomp-app/                       the self-contained program
#   /usr/bin/digcomp-app, digcomp-app-gui   links to it
#   /usr/share/applications/digcomp-app.desktop
#   /usr/share/icons/hicolor/{16..256}/apps/digcomp-app.png, scalable/apps/digcomp-app.svg
#   /usr/share/metainfo/<id>.metainfo.xml   AppStream (checked with appstreamcli when present)
#
# DEB_COMPRESSION=xz|gzip|zstd|none (default xz; CI uses zstd, which is faster).
set -euo pipefail
cd "$(dirname "$0")/.."
[ -x dist/digcomp-app/digcomp-app ] || packaging/build-linux.sh
PYTHON="${PYTHON:-python3}"

version=$(sed -n 's/^__version__ = "\(.*\)"/\1/p' digcomp_app/__init__.py)
arch=$(dpkg --print-architecture)
metainfo_id=$(sed -n 's:.*<id>\(.*\)</id>.*:\1:p' packaging/linux/digcomp-app.metainfo.xml)
root=build/deb/root
rm -rf build/deb && mkdir -p "$root/DEBIAN" "$root/opt" "$root/usr/bin" \
    "$root/usr/share/applications" "$root/usr/share/metainfo" "$root/usr/share/doc/digcomp-app"

cp -a dist/digcomp-app "$root/opt/digcomp-app"
ln -s ../../opt/digcomp-app/digcomp-app "$root/usr/bin/digcomp-app"
# (on Linux the one program serves both: without a command it opens the window)
ln -s ../../opt/digcomp-app/digcomp-app "$root/usr/bin/digcomp-app-gui"
install -m 644 packaging/digcomp-app.desktop "$root/usr/share/applications/"
sed -e "s/@VERSION@/$version/" -e "s/@DATE@/$(date -u +%Y-%m-%d)/" \
    packaging/linux/digcomp-app.metainfo.xml >"$root/usr/share/metainfo/$metainfo_id.metainfo.xml"

icons=build/deb/icons
QT_QPA_PLATFORM=offscreen "$PYTHON" packaging/icons.py "$icons"
for size in 16 24 32 48 64 128 256; do
    install -D -m 644 "$icons/${size}x${size}/digcomp-app.png" \
        "$root/usr/share/icons/hicolor/${size}x${size}/apps/digcomp-app.png"
done
install -D -m 644 "$icons/digcomp-app.svg" "$root/usr/share/icons/hicolor/scalable/apps/digcomp-app.svg"

cat >"$root/usr/share/doc/digcomp-app/copyright" <<COPYRIGHT
Format: https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/
Upstream-Name: digcomp-app

Files: *
Copyright: DigComp recognition app developers
License: EUPL-1.2

Files: opt/digcomp-app/_internal/digcomp_app/resources/frameworks/*
Copyright: European Union, Joint Research Centre
License: CC-BY-4.0

Files: opt/digcomp-app/_internal/digcomp_app/resources/fonts/*
Copyright: The Noto Project Authors
License: OFL-1.1

Files: opt/digcomp-app/_internal/digcomp_app/resources/icons/*
Copyright: Lucide Contributors
License: ISC
COPYRIGHT

if command -v appstreamcli >/dev/null 2>&1; then
    appstreamcli validate --no-net --explain "$root/usr/share/metainfo/$metainfo_id.metainfo.xml"
else
    echo "build-deb: appstreamcli not found (apt-get install appstream): metadata not validated"
fi
if command -v desktop-file-validate >/dev/null 2>&1; then
    desktop-file-validate "$root/usr/share/applications/digcomp-app.desktop"
fi

# What the program takes from the system (found with objdump over the bundle: libc, GL,
# CUPS, the X11 and Wayland client libraries the build machine may lack), and fonts.
cat >"$root/DEBIAN/control" <<CONTROL
Package: digcomp-app
Version: $version
Architecture: $arch
Maintainer: DigComp recognition app developers <noreply@invalid>
Installed-Size: $(du -sk --exclude=DEBIAN "$root" | cut -f1)
Depends: libc6 (>= 2.31), libgl1, libegl1, libcups2, libxcb1, libxcb-cursor0, libxcb-icccm4,
 libxcb-keysyms1, libxkbcommon-x11-0, libwayland-client0, libwayland-cursor0, libwayland-egl1,
 fontconfig, fonts-dejavu-core
Section: education
Priority: optional
Homepage: https://digital-skills-jobs.europa.eu/en/about/digital-competence-framework-citizens-digcomp
Description: Recognise digital competences (DigComp) at school
 A desktop application for schools to self-assess, evidence, assess and
 certify digital competences against the EU's DigComp framework, offline,
 in Latvian, English and Dutch. Learners rate themselves, teachers assess
 with evidence in the four Cedefop validation stages, coordinators print
 signed attestations that can be verified offline from their QR code.
 .
 The program is self-contained under /opt/digcomp-app.
CONTROL

compression="${DEB_COMPRESSION:-xz}"
out="dist/digcomp-app_${version}_${arch}.deb"
rm -f "$out"
dpkg-deb --root-owner-group -Z"$compression" --build "$root" "$out" >/dev/null
echo "build-deb: $out ($(( $(stat -c %s "$out") / 1000000 )) MB, $compression; installs $(( $(du -sk --exclude=DEBIAN "$root" | cut -f1) / 1024 )) MiB)"
