#!/usr/bin/env bash
# Every test: formatting, lints, unit, integration, property, snapshot and doc tests of the core and
# the shell, the UI's type check and unit tests, the end-to-end suite of the real app under Xvfb, and
# the Linux packages built, checked, installed, used and removed (scripts/package-test.sh), and the
# Windows build: the workspace linted for Windows and the CLI's tests under Wine (scripts/windows.sh).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/setup.sh
export CI="${CI:-true}"   # insta: never write snapshots during a test run, fail on a mismatch
ui_deps
(cd ui && npm run typecheck && npm test && npm run build)
cargo fmt --all -- --check
cargo fmt --manifest-path tests/e2e/Cargo.toml -- --check
cargo clippy --workspace --all-targets --locked -- -D warnings
cargo clippy --manifest-path tests/e2e/Cargo.toml --all-targets --locked -- -D warnings
server_test_deps
cargo test --workspace --locked
bash scripts/e2e.sh
bash scripts/package-test.sh
bash scripts/windows.sh
