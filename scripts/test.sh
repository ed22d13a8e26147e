#!/usr/bin/env bash
# Every test: formatting, lints, unit, integration, property, snapshot and doc tests.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/setup.sh
export CI="${CI:-true}"   # insta: never write snapshots during a test run, fail on a mismatch
cargo fmt --all -- --check
cargo clippy --workspace --all-targets --locked -- -D warnings
cargo test --workspace --locked
