#!/usr/bin/env bash
# Builds Baton's Linux packages from this checkout with Tauri's bundler (`tauri bundle`, from the UI's
# npm packages): target/dist/baton_VERSION_amd64.deb and baton-VERSION-1.x86_64.rpm, each holding the
# window (baton-desktop), the tray (baton-tray) and the CLI (baton), with the desktop entry, the icons,
# the AppStream metadata, the manual pages and the shell completions, and target/dist/SHA256SUMS.
# Reuses the release build when it is current (scripts/e2e.sh makes the same one), so CI builds once.
# The packages name the repository they are built from: BATON_REPOSITORY, else Cargo.toml's.
# Usage: scripts/package.sh
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/setup.sh
ui_deps

version=$(sed -n 's/^version = "\(.*\)"$/\1/p' Cargo.toml | head -n1)
repository=${BATON_REPOSITORY:-$(sed -n 's/^repository = "\(.*\)"$/\1/p' Cargo.toml | head -n1)}
[ -n "$version" ] && [ -n "$repository" ] || { echo "package: no version or repository in Cargo.toml" >&2; exit 1; }

ui_build
cargo build --release --locked --quiet -p baton-desktop -p baton-tray -p baton

# What the bundler copies in besides the programs (packaging/tauri-bundle.json names these paths).
stage=target/package
rm -rf "$stage" && mkdir -p "$stage/man1" "$stage/completions"
target/release/baton man --dir "$stage/man1"
cp packaging/linux/baton-desktop.1 packaging/linux/baton-tray.1 "$stage/man1/"
gzip -9n "$stage"/man1/*.1
target/release/baton completions bash >"$stage/completions/baton.bash"
target/release/baton completions zsh >"$stage/completions/_baton"
target/release/baton completions fish >"$stage/completions/baton.fish"
sed "s|@REPOSITORY@|$repository|g" packaging/linux/app.baton.Baton.metainfo.xml \
    >"$stage/app.baton.Baton.metainfo.xml"
sed "s|@REPOSITORY@|$repository|g" packaging/debian/copyright >"$stage/copyright"
gzip -9n <packaging/debian/changelog >"$stage/changelog.gz"
# The bundler keeps each file's mode: 0644 for data, whatever umask this checkout was made with.
find "$stage" -type f -exec chmod 0644 {} +

# The .deb's dependencies: the libraries the three programs link, with the versions their symbols need,
# as dpkg-shlibdeps reads them (it wants a debian/control to run beside), plus the AppIndicator library
# that the tray opens at run time (packaging/tauri-bundle.json); Tauri adds WebKitGTK and GTK.
mkdir -p "$stage/shlibs/debian"
printf 'Source: baton\n\nPackage: baton\nArchitecture: any\n' >"$stage/shlibs/debian/control"
shlibs=$(cd "$stage/shlibs" && dpkg-shlibdeps -O \
    -e "$OLDPWD/target/release/baton" -e "$OLDPWD/target/release/baton-desktop" \
    -e "$OLDPWD/target/release/baton-tray" 2>/dev/null | sed -n 's/^shlibs:Depends=//p')
[ -n "$shlibs" ] || { echo "package: dpkg-shlibdeps found no dependencies" >&2; exit 1; }
node -e '
    const fs = require("fs");
    const [base, shlibs, out] = process.argv.slice(1);
    const config = JSON.parse(fs.readFileSync(base, "utf8"));
    const deb = config.bundle.linux.deb;
    deb.depends = [...deb.depends, ...shlibs.split(", ")];
    fs.writeFileSync(out, JSON.stringify(config, null, 2));
' packaging/tauri-bundle.json "$shlibs" "$stage/tauri-bundle.json"

rm -rf target/release/bundle
# --no-binary-patching: the installed baton-desktop is byte for byte the one the e2e suite tested.
ui/node_modules/.bin/tauri bundle --ci --no-binary-patching --bundles deb,rpm \
    --config "$stage/tauri-bundle.json" >"$stage/bundle.log" 2>&1 \
    || { cat "$stage/bundle.log" >&2; exit 1; }

dist=target/dist
rm -rf "$dist" && mkdir -p "$dist"
cp target/release/bundle/deb/*.deb "$dist/baton_${version}_amd64.deb"
cp target/release/bundle/rpm/*.rpm "$dist/baton-${version}-1.x86_64.rpm"
(cd "$dist" && sha256sum ./*.deb ./*.rpm | sed 's| \./| |' >SHA256SUMS)
echo "package: built" >&2
sed 's/^/  /' "$dist/SHA256SUMS" >&2
