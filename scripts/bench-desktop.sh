#!/usr/bin/env bash
# Speed and footprint of the desktop app against a blank Tauri v2 window built here in the same run
# (benches/blank-tauri, the floor of this stack), under Xvfb in a private D-Bus session:
#   * launch to first paint: from exec until the window shows more than one colour (median of RUNS);
#   * memory with the window open: PSS of the app and all its child processes (for Baton: the window
#     process, its WebKit processes and the tray process it started), after 5 s;
#   * Baton with its window closed (the window process has exited; the tray process remains): WebKit
#     processes left, total RSS, CPU over IDLE_SECS seconds;
#   * release binary sizes.
# Usage: bash scripts/bench-desktop.sh   (RUNS=7 IDLE_SECS=60 by default)
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/setup.sh
desktop_test_deps
RUNS="${RUNS:-7}"
IDLE_SECS="${IDLE_SECS:-60}"

if [ -z "${BENCH_INSIDE:-}" ]; then
    ui_deps
    (cd ui && npm run build --silent)
    cargo build --release --quiet -p baton-desktop -p baton-tray
    (cd benches/blank-tauri && CARGO_TARGET_DIR="$PWD/../../target/blank" cargo build --release --quiet)
    export BENCH_INSIDE=1
    exec dbus-run-session -- bash "$0" "$@"
fi

BATON="$PWD/target/release/baton-desktop"
TRAY="$PWD/target/release/baton-tray"
BLANK="$PWD/target/blank/release/blank-tauri"
source scripts/headless.sh
export BATON_DB="$work/baton.db"

now_ms() { date +%s%3N; }
# All processes under $1 (itself included).
tree() { echo "$1"; for c in $(pgrep -P "$1" || true); do tree "$c"; done; }
pss_kb() { local t=0 p v; for p in $(tree "$1"); do v=$(awk '/^Pss:/ {print $2}' "/proc/$p/smaps_rollup" 2>/dev/null || echo 0); t=$((t + ${v:-0})); done; echo "$t"; }
rss_kb() { local t=0 p v; for p in $(tree "$1"); do v=$(awk '/^VmRSS:/ {print $2}' "/proc/$p/status" 2>/dev/null || echo 0); t=$((t + ${v:-0})); done; echo "$t"; }
ticks() { local t=0 p v; for p in $(tree "$1"); do v=$(awk '{print $14 + $15}' "/proc/$p/stat" 2>/dev/null || echo 0); t=$((t + ${v:-0})); done; echo "$t"; }
webkit_count() { local n=0 p; for p in $(tree "$1"); do grep -q WebKit "/proc/$p/comm" 2>/dev/null && n=$((n + 1)); done; echo "$n"; }

# Milliseconds from exec of "$1" until a visible window named "$2" has painted (more than one colour).
first_paint() {
    local bin="$1" title="$2" start id colours
    rm -f "$BATON_DB"*
    start=$(now_ms)
    "$bin" >/dev/null 2>&1 &
    local pid=$!
    id=$(timeout 30 xdotool search --sync --onlyvisible --name "^$title\$" | head -1)
    while :; do
        colours=$(import -silent -window "$id" -format '%k' info: 2>/dev/null || echo 0)
        [ "${colours:-0}" -gt 1 ] && break
        [ $(( $(now_ms) - start )) -gt 30000 ] && { echo "no paint" >&2; break; }
    done
    echo $(( $(now_ms) - start ))
    echo "$pid" >"$work/pid"   # runs in a command substitution: hand the pid over through a file
}

median() { sort -n | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : int((a[NR/2] + a[NR/2+1]) / 2)}'; }

declare -A paint pss
for app in blank baton; do
    bin=$BLANK; title=Blank
    [ "$app" = baton ] && { bin=$BATON; title=Baton; }
    times=()
    for run in $(seq "$RUNS"); do
        times+=("$(first_paint "$bin" "$title")")
        LAST_PID=$(cat "$work/pid")
        if [ "$run" = "$RUNS" ]; then
            sleep 5
            pss[$app]=$(pss_kb "$LAST_PID")
        fi
        kill "$LAST_PID" 2>/dev/null || true
        wait "$LAST_PID" 2>/dev/null || true
        pkill -f "^$TRAY" 2>/dev/null || true
        sleep 0.5
    done
    paint[$app]=$(printf '%s\n' "${times[@]}" | median)
    echo "$app: first paint ${times[*]} ms (median ${paint[$app]}), PSS with window open $(( ${pss[$app]} / 1024 )) MiB"
done

# Baton with its window closed: the window process exits; only the tray process remains.
rm -f "$BATON_DB"*
"$BATON" >/dev/null 2>&1 &
pid=$!
id=$(timeout 30 xdotool search --sync --onlyvisible --name '^Baton$' | head -1)
sleep 3
python3 scripts/wm-close.py "$id"
wait "$pid" || { echo "bench: the window process did not exit cleanly" >&2; exit 1; }
sleep 5
tray=$(pgrep -f "^$TRAY" | head -1)
[ -n "$tray" ] || { echo "bench: no tray process once the window closed" >&2; exit 1; }
# Only WebKit processes of this run's Baton: they inherit its BATON_DB.
closed_webkit=0
for p in $(pgrep WebKit || true); do
    tr '\0' '\n' < "/proc/$p/environ" 2>/dev/null | grep -qx "BATON_DB=$BATON_DB" && closed_webkit=$((closed_webkit + 1))
done
closed_rss=$(rss_kb "$tray")
closed_anon=$(awk '/^RssAnon:/ {print $2}' "/proc/$tray/status")
closed_pss=$(pss_kb "$tray")
t0=$(ticks "$tray")
sleep "$IDLE_SECS"
t1=$(ticks "$tray")
hz=$(getconf CLK_TCK)
cpu=$(awk -v d=$((t1 - t0)) -v hz="$hz" -v s="$IDLE_SECS" 'BEGIN { printf "%.3f", 100 * d / hz / s }')
kill "$tray" 2>/dev/null || true
size=$(stat -c %s "$BATON")
tray_size=$(stat -c %s "$TRAY")

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }
cat <<REPORT

| Measure | Baton | Blank Tauri window | Ratio | Target |
|:---|---:|---:|---:|---:|
| launch to first paint (median of $RUNS) | ${paint[baton]} ms | ${paint[blank]} ms | $(ratio "${paint[baton]}" "${paint[blank]}")× | ≤ 1.2× |
| memory with the window open (PSS, all processes) | $(( ${pss[baton]} / 1024 )) MiB | $(( ${pss[blank]} / 1024 )) MiB | $(ratio "${pss[baton]}" "${pss[blank]}")× | ≤ 1.2× |
| window closed: WebKit processes | $closed_webkit | | | 0 |
| window closed: RSS, all processes (the tray process) | $(( closed_rss / 1024 )) MiB (anonymous $(( closed_anon / 1024 )) MiB, PSS $(( closed_pss / 1024 )) MiB) | | | ≤ 60 MB |
| window closed: CPU over ${IDLE_SECS} s | ${cpu}% of a core | | | ≤ 0.1% |
| release binaries: window (\`baton-desktop\`), tray (\`baton-tray\`) | $(awk -v s="$size" 'BEGIN { printf "%.1f", s / 1048576 }') MiB, $(awk -v s="$tray_size" 'BEGIN { printf "%.1f", s / 1048576 }') MiB | | | ≤ 15 MB |
REPORT
