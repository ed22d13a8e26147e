#!/usr/bin/env bash
# The Windows build, checked from Linux: installs the x86_64-pc-windows-gnu target, MinGW-w64 and Wine
# where they are missing, lints the whole workspace (core, CLI, window, tray, tests) as compiled for
# Windows, then runs the CLI's end-to-end tests with the test binary and `baton.exe` both under Wine
# (cargo's target runner), in a private Wine prefix under target/ so nothing outside the checkout is
# touched. Exits with the tests' exit code.
# Usage: scripts/windows.sh [test-name filters, replacing the default set; `::` for all]
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/setup.sh

TARGET=x86_64-pc-windows-gnu
times=()
# Runs a step and keeps its wall time for the summary.
step() {
    local name=$1 start=$SECONDS rc=0
    shift
    echo "windows: $name" >&2
    "$@" || rc=$?
    times+=("$(printf '%-8s %4ds' "$name" $((SECONDS - start)))")
    return "$rc"
}

install_deps() {
    rustup target list --installed | grep -qx "$TARGET" || rustup target add "$TARGET"
    # Debian's `wine` is the launcher; `wine64` the 64-bit loader, all a 64-bit .exe needs (wine32
    # would need the i386 architecture enabled, and Baton builds no 32-bit programs).
    apt_install gcc-mingw-w64-x86-64 wine wine64
}

# The window's build script embeds the UI (tauri's frontendDist), so it must exist before a check.
build_ui() {
    ui_deps
    ui_build
}

export WINEPREFIX="$PWD/target/$TARGET/wine"
export WINEDEBUG=-all
# No Mono or Gecko installers on first start: nothing here needs .NET or the HTML engine.
export WINEDLLOVERRIDES="mscoree,mshtml="
export CI="${CI:-true}"   # insta: never write snapshots during a test run, fail on a mismatch
# The runner goes in cargo's configuration, not CARGO_TARGET_..._RUNNER: assert_cmd reads that
# variable (which Wine passes on) and would start `wine baton.exe` from inside Windows.
runner=(--config "target.$TARGET.runner='wine'")

wine_prefix() {
    if [ ! -f "$WINEPREFIX/system.reg" ]; then
        wineboot --init
        wineserver -w   # the prefix is written when its first server ends
    fi
    # Where Wine has no bcryptprimitives.dll, a stand-in (see the source) in the prefix's system32.
    local dll="$WINEPREFIX/drive_c/windows/system32/bcryptprimitives.dll" src=scripts/wine/bcryptprimitives.c
    if [ ! -f "$dll" ] || { [ "$src" -nt "$dll" ] && ! wine_builtin "$dll"; }; then
        x86_64-w64-mingw32-gcc -O2 -shared -s -o "$dll" "$src" -ladvapi32
    fi
}

# Whether `dll` is one of Wine's own (its placeholders in system32 say so), not the stand-in.
wine_builtin() {
    grep -q "Wine builtin DLL" "$1" 2>/dev/null
}

log=$(mktemp)
trap 'rm -f "$log"; wineserver -k 2>/dev/null || true' EXIT

# The CLI's end-to-end tests (`cli::`), the delivery commands (notify into the database, the inbox),
# the notify tests that need no running intake, and the holiday commands and README examples (their
# tables are embedded differently on Windows). `scripts/windows.sh ::` runs every test.
filters=(cli:: delivery:: intake::notify_stores_directly intake::notify_refuses intake::inbox_groups
    holidays:: readme::)
[ $# -gt 0 ] && filters=("$@")

step install install_deps
step ui build_ui
step clippy cargo clippy --workspace --all-targets --locked --target "$TARGET" -- -D warnings
step build cargo test --locked --target "$TARGET" -p baton --test it --no-run
step prefix wine_prefix
run_tests() {
    cargo test "${runner[@]}" --locked --target "$TARGET" -p baton --test it -- "${filters[@]}" 2>&1 |
        tee "$log"
    return "${PIPESTATUS[0]}"
}
status=0
step test run_tests || status=$?

echo
echo "windows: wall time of each step"
printf '  %s\n' "${times[@]}"
summary=$(grep -E '^test result:' "$log" | tail -1 || true)
echo "windows: under Wine: ${summary:-no test result (see above)}"
exit "$status"
