#!/usr/bin/env bash
# End-to-end tests of the desktop app (tests/e2e): the release build's real window driven through
# tauri-driver, its tray menu over D-Bus, its processes. Installs what is missing, builds the UI and the
# app when they are out of date, then runs the tests in a private D-Bus session with a virtual display
# (Xvfb), a tray host (status-notifier-watcher) and a notification daemon (dunst), and tears it all down.
# Each test starts its own tauri-driver with its own database. Exits with the tests' exit code.
# Usage: scripts/e2e.sh [extra arguments for the test binary, e.g. a test name]
set -euo pipefail
cd "$(dirname "$0")/.."

if [ -z "${BATON_E2E_SESSION:-}" ]; then
    source scripts/setup.sh
    desktop_test_deps
    ui_deps
    ui_build
    cargo build --release --locked --quiet -p baton-desktop -p baton-tray -p baton
    cargo test --manifest-path tests/e2e/Cargo.toml --locked --no-run --quiet
    export BATON_E2E_SESSION=1
    exec dbus-run-session -- bash "$0" "$@"
fi

# From here on: inside the private session bus.
source scripts/headless.sh

# A failing test's message is the useful part; anyhow's backtraces of test code are not.
export RUST_LIB_BACKTRACE="${RUST_LIB_BACKTRACE:-0}"
echo "e2e: display $DISPLAY, session bus $DBUS_SESSION_BUS_ADDRESS" >&2
start=$SECONDS
set +e
cargo test --manifest-path tests/e2e/Cargo.toml --locked -- --test-threads=1 "$@"
status=$?
set -e
echo "e2e: tests took $((SECONDS - start)) s; each test's logs are in target/e2e/runs/; screenshots:" >&2
ls -1 target/e2e/*.png >&2 2>/dev/null || true
exit "$status"
