#!/usr/bin/env bash
# Installs what Baton needs to build and test, only where it is missing. Sourced by run.sh and test.sh.
# Debian/Ubuntu: system packages through apt-get (as root, or with sudo).
set -euo pipefail

as_root() {
    if [ "$(id -u)" -eq 0 ]; then "$@"; elif command -v sudo >/dev/null; then sudo "$@"; else
        echo "setup: need root to run: $*" >&2; return 1; fi
}

apt_updated=0
apt_install() {
    local missing=()
    for pkg in "$@"; do
        dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
    done
    [ ${#missing[@]} -eq 0 ] && return 0
    command -v apt-get >/dev/null || { echo "setup: please install: ${missing[*]}" >&2; return 1; }
    if [ "$apt_updated" -eq 0 ]; then as_root apt-get update -qq; apt_updated=1; fi
    echo "setup: installing ${missing[*]}" >&2
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
}

# A C compiler for the bundled SQLite, and curl for rustup.
if ! command -v cc >/dev/null || ! command -v curl >/dev/null; then
    apt_install build-essential pkg-config curl ca-certificates
fi

# Rust through rustup (Debian's own cargo is too old for the dependencies).
if ! command -v cargo >/dev/null; then
    if [ -x "$HOME/.cargo/bin/cargo" ]; then
        export PATH="$HOME/.cargo/bin:$PATH"
    else
        echo "setup: installing Rust with rustup" >&2
        curl --proto '=https' --tlsv1.2 -sSf https://sh.rustup.rs | sh -s -- -y --profile minimal -c rustfmt,clippy
        export PATH="$HOME/.cargo/bin:$PATH"
    fi
fi
if command -v rustup >/dev/null; then
    for c in rustfmt clippy; do
        rustup component list --installed 2>/dev/null | grep -q "^$c" || rustup component add "$c" >/dev/null
    done
fi

# The desktop app: WebKitGTK and friends for Tauri, Node.js for the UI.
apt_install libwebkit2gtk-4.1-dev libayatana-appindicator3-dev librsvg2-dev libssl-dev build-essential \
    pkg-config libxdo-dev libgtk-3-dev libsoup-3.0-dev libjavascriptcoregtk-4.1-dev file
if ! command -v npm >/dev/null; then
    apt_install nodejs npm
fi

# The servers the integration tests run for real: Radicale for the CalDAV tests, one per test process
# on a free loopback port. Only Debian's module (python3-radicale, started as `/usr/bin/python3 -m
# radicale`): the `radicale` package would add a system service that nothing here needs. The
# do-not-disturb tests: a private session bus (dbus), and GNOME's notification settings in a
# throwaway GSettings store (dconf, its GSettings back-end, the schemas and the `gsettings` tool).
server_test_deps() {
    apt_install python3-radicale dbus dconf-service dconf-gsettings-backend gsettings-desktop-schemas \
        libglib2.0-bin curl
    # Apprise, the notification client the intake's ntfy and Gotify tests send with (PyPI, pinned: its
    # requests are what the tests check Baton against). Installed for the python3 first on PATH.
    if ! python3 -c 'import apprise, sys; sys.exit(apprise.__version__ != "2.3.0")' 2>/dev/null; then
        echo "setup: installing apprise 2.3.0 from PyPI" >&2
        python3 -m pip --version >/dev/null 2>&1 || apt_install python3-pip
        python3 -m pip install --quiet --disable-pip-version-check apprise==2.3.0 2>/dev/null \
            || python3 -m pip install --quiet --disable-pip-version-check --break-system-packages \
                apprise==2.3.0
    fi
}

# The UI's packages, from the lockfile, when they are missing or older than it.
ui_deps() {
    if [ ! -d ui/node_modules ] || [ ui/package-lock.json -nt ui/node_modules/.package-lock.json ]; then
        (cd ui && npm ci --no-audit --no-fund --loglevel=error)
    fi
}

# The UI's build, redone only when a source is newer than it: a fresh ui/dist makes Cargo rebuild the app.
ui_build() {
    if [ ! -f ui/dist/index.html ] || [ -n "$(find ui/src ui/*.html ui/package*.json ui/vite.config.ts \
        -newer ui/dist/index.html -print -quit)" ]; then
        (cd ui && npm run build --silent)
    fi
}

# Headless runs of the real app (tests, benchmarks, screenshots): a display, a session bus, a notification
# daemon, a tray host, and WebDriver.
desktop_test_deps() {
    apt_install xvfb dbus dbus-x11 dunst webkit2gtk-driver xdotool x11-utils imagemagick \
        haskell-status-notifier-item-utils procps
    command -v tauri-driver >/dev/null || cargo install tauri-driver --locked --quiet
}
