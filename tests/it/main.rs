//! Integration tests of the core and the CLI, as one test binary.

mod bindings;
mod cli;
mod dst;
mod props;
mod readme;
