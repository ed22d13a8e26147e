#!/usr/bin/env bash
# Benchmarks Baton on a generated 1,000-member team over 28 days:
#   1. the whole `baton` process (release build) for `overlap`, `relay` and `handoff` with --json,
#      timed by hyperfine;
#   2. the core alone, with criterion (`cargo bench --bench queries`).
#
# Run from the repository root: bash scripts/bench.sh
# Environment: MEMBERS (default 1000), SEED (1), FROM (2026-03-02), DAYS (28),
#              BENCH_OUT (where the hyperfine markdown goes; default a temp dir, kept),
#              SKIP_CRITERION=1 to time only the CLI.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."

MEMBERS="${MEMBERS:-1000}"
SEED="${SEED:-1}"
FROM="${FROM:-2026-03-02}"
DAYS="${DAYS:-28}"

if ! command -v hyperfine >/dev/null 2>&1; then
    echo "== installing hyperfine"
    SUDO=""
    if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
    if ! $SUDO apt-get install -y hyperfine; then
        $SUDO apt-get update
        $SUDO apt-get install -y hyperfine
    fi
fi

echo "== building the release CLI"
cargo build --release --bin baton
target_dir="${CARGO_TARGET_DIR:-$(cargo metadata --format-version 1 --no-deps |
    sed -n 's/.*"target_directory":"\([^"]*\)".*/\1/p')}"
target_dir="${target_dir:-target}"
BATON="$target_dir/release/baton"
[ -x "$BATON" ] || { echo "no binary at $BATON" >&2; exit 1; }

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
out="${BENCH_OUT:-$(mktemp -d)}"
mkdir -p "$out"

team="$work/team-$MEMBERS.toml"
echo "== generating a $MEMBERS-member team (seed $SEED) into $team"
"$BATON" team generate --members "$MEMBERS" --seed "$SEED" >"$team"
echo "   $(wc -c <"$team") bytes"

common=(--team "$team" --from "$FROM" --days "$DAYS" --json)
first="member-0000"
second="member-0001"

# Each command must succeed before it is timed (hyperfine would time an error exit just as happily).
for sub in "overlap" "relay" "handoff $first $second"; do
    # shellcheck disable=SC2086
    "$BATON" "${common[@]}" $sub >"$work/out.json"
    echo "   baton ${sub%% *} --json: $(wc -c <"$work/out.json") bytes of output"
done

q() { printf '%q ' "$@"; }
cmd_overlap="$(q "$BATON" "${common[@]}" overlap)"
cmd_relay="$(q "$BATON" "${common[@]}" relay)"
cmd_handoff="$(q "$BATON" "${common[@]}" handoff "$first" "$second")"

echo "== hyperfine: whole process"
hyperfine --warmup 3 --runs 30 --shell=none --output=null \
    --export-markdown "$out/cli.md" --export-json "$out/cli.json" \
    -n "overlap --json" "$cmd_overlap" \
    -n "relay --json" "$cmd_relay" \
    -n "handoff $first $second --json" "$cmd_handoff"

if [ "${SKIP_CRITERION:-0}" != "1" ]; then
    echo "== criterion: cargo bench --bench queries"
    cargo bench --bench queries 2>&1 | tee "$out/criterion.txt"
fi

echo
echo "== summary ($MEMBERS members, $DAYS days from $FROM, seed $SEED)"
echo "-- whole process (hyperfine, --warmup 3 --runs 30); markdown in $out/cli.md"
cat "$out/cli.md"
if [ -f "$out/criterion.txt" ] && [ "${SKIP_CRITERION:-0}" != "1" ]; then
    echo
    echo "-- core (criterion, $(grep -c 'time:' "$out/criterion.txt") benchmarks); full output in $out/criterion.txt"
    awk '
        /^[a-z_]+\/[^ ]+/ { id = $1 }
        /time:/ { sub(/^.*time: */, ""); printf "%-50s %s\n", id, $0 }
    ' "$out/criterion.txt"
fi
echo
echo "targets: overlap 1000x28 <= 5 ms (overlap/end_to_end), all adjacent handoffs <= 50 ms," \
    "CLI overlap --json < 100 ms"
