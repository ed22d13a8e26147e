//! Integration tests of the core and the CLI, as one test binary.

mod bindings;
mod caldav;
mod calendars;
mod cli;
mod compat;
mod crash;
mod delivery;
#[cfg(target_os = "linux")]
mod dnd;
mod dst;
mod hardening;
mod holidays;
mod ics;
mod intake;
mod props;
mod readme;
mod source;
mod support;
mod week;
