#!/usr/bin/env bash
# A headless desktop for the real app, sourced by e2e.sh and bench-desktop.sh once they run inside
# `dbus-run-session`: a virtual display (Xvfb, on a display it picks itself), a tray host
# (status-notifier-watcher) and a notification daemon (dunst), all stopped on exit. Sets DISPLAY and
# `work`, a temporary directory removed on exit.

work="$(mktemp -d)"
started=()
headless_cleanup() {
    # Last started, first stopped: the display goes after its clients.
    local i
    for ((i = ${#started[@]} - 1; i >= 0; i--)); do
        kill "${started[i]}" 2>/dev/null || true
        wait "${started[i]}" 2>/dev/null || true
    done
    rm -rf "$work"
}
trap headless_cleanup EXIT

# Xvfb picks a free display itself and writes its number to fd 3.
Xvfb -displayfd 3 -screen 0 1280x800x24 -nolisten tcp 3>"$work/display" 2>"$work/xvfb.log" &
started+=($!)
for _ in $(seq 100); do [ -s "$work/display" ] && break; sleep 0.1; done
[ -s "$work/display" ] || { echo "headless: Xvfb did not start:" >&2; cat "$work/xvfb.log" >&2; exit 1; }
export DISPLAY=":$(head -1 "$work/display")"
# Services the bus starts on demand (desktop portals, accessibility) need the display too.
dbus-update-activation-environment DISPLAY

status-notifier-watcher >"$work/watcher.log" 2>&1 &
started+=($!)
dunst >"$work/dunst.log" 2>&1 &
started+=($!)
has_watcher() {
    dbus-send --session --print-reply --dest=org.freedesktop.DBus /org/freedesktop/DBus \
        org.freedesktop.DBus.NameHasOwner string:org.kde.StatusNotifierWatcher 2>/dev/null | grep -q true
}
for _ in $(seq 100); do has_watcher && break; sleep 0.1; done
has_watcher || { echo "headless: status-notifier-watcher did not start:" >&2; cat "$work/watcher.log" >&2; exit 1; }
