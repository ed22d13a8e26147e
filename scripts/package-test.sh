#!/usr/bin/env bash
# Tests the Linux packages as a person gets them: builds them (scripts/package.sh), checks the .deb with
# lintian and its desktop entry and AppStream file with desktop-file-validate and appstreamcli, checks
# the .rpm's file list, installs the .deb with apt-get, uses what it installed (baton --version, man -w,
# the bash completion, the window started from its menu entry under Xvfb with its tray), removes it and
# checks the user's database and token are still there. Needs root (apt-get); run by scripts/test.sh.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/setup.sh
apt_install lintian desktop-file-utils appstream rpm bash-completion man-db libgtk-3-bin
bash scripts/package.sh

version=$(sed -n 's/^version = "\(.*\)"$/\1/p' Cargo.toml | head -n1)
deb="$PWD/target/dist/baton_${version}_amd64.deb"
rpm="$PWD/target/dist/baton-${version}-1.x86_64.rpm"
(cd target/dist && sha256sum --check --quiet SHA256SUMS)
fail() { echo "package-test: $*" >&2; exit 1; }

# lintian: no error and no warning (none is overridden; a tag that does not apply would be overridden in
# the package, /usr/share/lintian/overrides/baton, with its reason).
lintian --fail-on error,warning --info --display-level '>=warning' "$deb"
echo "package-test: lintian: no error or warning" >&2

# The desktop entry and the AppStream file, as packaged.
tree=$(mktemp -d)
trap 'rm -rf "$tree"' EXIT
dpkg-deb -x "$deb" "$tree"
desktop-file-validate "$tree/usr/share/applications/Baton.desktop"
appstreamcli validate --no-net --explain "$tree/usr/share/metainfo/app.baton.Baton.metainfo.xml"

# Both packages hold the same programs, entry, icons, manual pages and completions.
expected=(
    /usr/bin/baton /usr/bin/baton-desktop /usr/bin/baton-tray
    /usr/share/applications/Baton.desktop /usr/share/metainfo/app.baton.Baton.metainfo.xml
    /usr/share/icons/hicolor/scalable/apps/baton-desktop.svg
    /usr/share/icons/hicolor/64x64/status/baton-tray-focus.png
    /usr/share/man/man1/baton.1.gz /usr/share/man/man1/baton-handoff.1.gz
    /usr/share/man/man1/baton-desktop.1.gz /usr/share/man/man1/baton-tray.1.gz
    /usr/share/bash-completion/completions/baton /usr/share/fish/vendor_completions.d/baton.fish
)
for size in 32 48 64 128 256 512; do
    expected+=("/usr/share/icons/hicolor/${size}x${size}/apps/baton-desktop.png")
done
deb_files=$(dpkg-deb -c "$deb" | awk '{print $6}' | sed 's|^\./|/|; s|^\([^/]\)|/\1|')
rpm_files=$(rpm -qlp "$rpm")
for f in "${expected[@]}"; do
    grep -qxF "$f" <<<"$deb_files" || fail "the .deb lacks $f"
    grep -qxF "$f" <<<"$rpm_files" || fail "the .rpm lacks $f"
done
grep -qx /usr/share/zsh/vendor-completions/_baton <<<"$deb_files" || fail "the .deb lacks the zsh completion"
grep -qx /usr/share/zsh/site-functions/_baton <<<"$rpm_files" || fail "the .rpm lacks the zsh completion"
echo "package-test: .deb and .rpm hold all ${#expected[@]} expected files and the zsh completion" >&2

# Install it as a person does; apt-get pulls in the declared dependencies.
as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --reinstall --allow-downgrades "$deb" >/dev/null
[ "$(/usr/bin/baton --version)" = "$(target/release/baton --version)" ] \
    || fail "installed baton --version: $(/usr/bin/baton --version)"
/usr/bin/baton --version >&2
[ "$(man -w baton)" = /usr/share/man/man1/baton.1.gz ] || fail "man -w baton: $(man -w baton)"
man baton 2>/dev/null | grep -q "baton-handoff" || fail "man baton does not list its subcommands"
completions=$(bash -c '
    source /usr/share/bash-completion/bash_completion
    __load_completion baton
    COMP_WORDS=(baton ha); COMP_CWORD=1; COMP_LINE="baton ha"; COMP_POINT=${#COMP_LINE}
    fn=$(complete -p baton | sed -n "s/.*-F \([^ ]*\).*/\1/p")
    "$fn" baton ha baton
    printf "%s\n" "${COMPREPLY[@]}"')
[ "$completions" = handoff ] || fail "bash completes 'baton ha' to: $completions"
echo "package-test: baton --version, man -w baton and the bash completion (baton ha → handoff) work" >&2

# The menu entry opens the installed window with its tray (the e2e suite's headless session).
bash scripts/e2e.sh --ignored --exact package::the_installed_app_opens_from_its_menu_entry

# A user's data: the database and the intake's token the installed app wrote in the test above, and the
# database the installed CLI makes where it keeps one by default (under $HOME).
home=$(mktemp -d)
HOME="$home" XDG_DATA_HOME="" /usr/bin/baton settings list >/dev/null
data=$( (find "$home" -type f; find "$PWD/target/e2e/runs/installed" -maxdepth 1 -type f \( -name baton.db -o -name intake-token \)) | sort)
grep -q "^$home/.*baton.db$" <<<"$data" || fail "the installed CLI made no database under $home: $data"
grep -q "installed/intake-token$" <<<"$data" || fail "the installed app wrote no token: $data"
sums=$(xargs -d '\n' sha256sum <<<"$data")
as_root env DEBIAN_FRONTEND=noninteractive apt-get purge -y -qq baton >/dev/null
[ ! -e /usr/bin/baton ] || fail "apt-get purge left /usr/bin/baton"
[ "$(xargs -d '\n' sha256sum <<<"$data")" = "$sums" ] || fail "removing the package changed the user's files"
echo "package-test: purged; the user's files are still there, unchanged:" >&2
sed "s|^|  |" <<<"$data" >&2
rm -rf "$home"
