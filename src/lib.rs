//! Baton's core: teammates, working hours, time zones, focus blocks, and the scheduling questions an
//! async team asks (who is working, when do we overlap, when does the baton pass).
//!
//! The core is plain Rust with no UI dependency. The `baton` CLI and the desktop shell are thin clients:
//! they parse input, call one function here, and render the result. Every instant inside is UTC; local
//! time exists only in [`time`], where wall-clock times are resolved with one documented rule.

pub mod actions;
pub mod clock;
pub mod delivery;
pub mod digest;
pub mod focus;
pub mod inbox;
pub mod intake;
pub mod interval;
pub mod notification;
pub mod policy;
pub mod query;
pub mod report;
pub mod runner;
pub mod sample;
pub mod schedule;
pub mod settings;
pub mod spec;
pub mod store;
pub mod team;
pub mod time;
pub mod views;
pub mod watch;

pub use interval::{Instant, Interval, IntervalSet};
pub use team::{Member, Team, TeamError};
