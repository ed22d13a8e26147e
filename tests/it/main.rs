//! Integration tests of the core and the CLI, as one test binary.

mod cli;
mod dst;
mod props;
mod readme;
