#!/usr/bin/env bash
# Smoke test of the BUILT program (not the source): every line "bundle smoke: … ok", and a
# non-zero exit at the first failure.
#
#   packaging/smoke-test.sh [PROGRAM]          # default: dist/digcomp-app/digcomp-app
#   packaging/smoke-test.sh --quick PROGRAM    # the installed package: --version, verify
#                                              # --help, the catalogues, window to sign-in
#
# Full: --version; the Latvian catalogue; `demo` into a temporary SQLite database; a
# demo certificate printed (lv+en) and the PDF verified (exit 0, VALID); `screenshots`
# offscreen (English, at 100 %); the window started and reaching its sign-in page (DIGCOMP_BUNDLE_PROBE,
# packaging/bundle/bundle_probe.py). Nothing is written outside a temporary folder.
set -euo pipefail
cd "$(dirname "$0")/.."

quick=0
if [ "${1:-}" = "--quick" ]; then quick=1; shift; fi
program="${1:-dist/digcomp-app/digcomp-app}"
label="${SMOKE_LABEL:-bundle smoke}"

work=$(mktemp -d "${TMPDIR:-/tmp}/digcomp-smoke.XXXXXX")
trap 'rm -rf "$work"' EXIT
export QT_QPA_PLATFORM=offscreen HOME="$work/home" DIGCOMP_SETTINGS="$work/settings.ini"
export XDG_DATA_HOME="$work/data" XDG_CONFIG_HOME="$work/config" XDG_CACHE_HOME="$work/cache"
export XDG_STATE_HOME="$work/state" XDG_RUNTIME_DIR="$work/runtime"
mkdir -p "$HOME" "$XDG_RUNTIME_DIR" && chmod 700 "$XDG_RUNTIME_DIR"
unset DIGCOMP_DATABASE_URL DIGCOMP_PASSWORD DIGCOMP_PASSPHRASE
started=$(date +%s)

ok() { echo "$label: $* ok"; }
fail() {
    echo "$label: FAILED: $*" >&2
    [ -f "$work/log" ] && sed 's/^/    /' "$work/log" >&2
    exit 1
}
run() { "$program" "$@" >"$work/log" 2>&1; }

[ -x "$(command -v "$program" || true)" ] || fail "no program at $program (packaging/build-linux.sh)"

run --version || fail "--version"
version=$(cat "$work/log")
case "$version" in "digcomp-app "*) ok "--version ($version)" ;; *) fail "--version said: $version" ;; esac

run --language lv verify --help || fail "verify --help"
grep -q "apliecinājum" "$work/log" || fail "the Latvian catalogue (verify --help in Latvian)"
ok "verify --help, in Latvian from the compiled catalogue"

db="sqlite:///$work/demo.sqlite3"
if [ "$quick" = 0 ]; then
    t=$(date +%s)
    run --database "$db" --language en demo || fail "demo into $db"
    ok "demo school into a temporary database ($(( $(date +%s) - t )) s)"

    DIGCOMP_PASSWORD=demo run --database "$db" --language en --user coordinator certificates list \
        || fail "certificates list"
    serial=$(awk '$NF == "issued" && $1 ~ /^DC-/ {print $1; exit}' "$work/log")
    [ -n "$serial" ] || fail "no issued certificate in the demo register"
    DIGCOMP_PASSWORD=demo run --database "$db" --language en --user coordinator \
        certificates print --serial "$serial" --lang lv,en --out "$work/printed" \
        || fail "certificates print --serial $serial"
    pdf=$(find "$work/printed" -name "${serial}_*.pdf" | head -n 1)
    [ -s "$pdf" ] || fail "no PDF printed for $serial"
    ok "certificates print $serial ($(basename "$pdf"), $(( $(stat -c %s "$pdf") / 1024 )) KiB)"

    run --database "$db" --language en verify "$pdf" || fail "verify $pdf (exit status $?)"
    grep -q "^VALID" "$work/log" || fail "verify did not say VALID"
    ok "verify of the printed PDF: $(head -n 1 "$work/log" | cut -c1-60)…"

    t=$(date +%s)
    run --database "$db" screenshots --lang en --text-size 100 --out "$work/shots" \
        || fail "screenshots"
    shots=$(find "$work/shots" -name "*.png" | wc -l)
    [ "$shots" -ge 10 ] || fail "screenshots wrote $shots pictures"
    ok "screenshots offscreen ($shots pictures, $(( $(date +%s) - t )) s)"
else
    run --database "$db" --language en demo --help || fail "demo --help"
fi

# The window, started as a person starts it, to its sign-in page (a new database in quick
# mode: the page offers to set up the school).
probe="$work/probe.json"
DIGCOMP_BUNDLE_PROBE="$probe" timeout 120 "$program" --database "$db" --language lv \
    >"$work/log" 2>&1 || fail "the window (exit status $?)"
[ -s "$probe" ] || fail "the window never reported its first paint"
page=$(tr -d '\n' <"$probe")
case "$page" in
    *'"visible": true'*'"page": "sign-in"'*) ;;
    *) fail "the window did not reach its sign-in page: $page" ;;
esac
ok "window painted and sign-in page ready"

echo "$label: all ok ($program, $(( $(date +%s) - started )) s)"
