#!/usr/bin/env bash
# The main job: build Baton and show the team (the sample team on a fresh database).
# Usage: scripts/run.sh [baton arguments...]   e.g. scripts/run.sh relay --days 3
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/setup.sh
cargo build --release --quiet --bin baton
baton=target/release/baton
# A fresh database gets the sample team that is compiled into Baton; afterwards the team is yours.
"$baton" team export >/dev/null 2>&1 || "$baton" team import --sample
if [ $# -gt 0 ]; then
    exec "$baton" "$@"
fi
"$baton" now
echo
"$baton" relay --days 1
