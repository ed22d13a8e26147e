#!/usr/bin/env bash
# The main job: build the UI and the desktop app and launch it (the sample team on a fresh database).
# With arguments, runs the `baton` CLI instead: scripts/run.sh relay --days 3
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/setup.sh
if [ $# -gt 0 ]; then
    cargo build --release --quiet --bin baton
    exec target/release/baton "$@"
fi
ui_deps
(cd ui && npm run build --silent)
cargo build --release --quiet -p baton-desktop -p baton-tray
if [ -z "${DISPLAY:-}${WAYLAND_DISPLAY:-}" ]; then
    echo "run: no display; Baton is a desktop app (try: xvfb-run scripts/run.sh)" >&2
fi
exec target/release/baton-desktop
