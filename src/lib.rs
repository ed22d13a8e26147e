//! Baton's core: teammates, working hours, time zones, focus blocks, and the scheduling questions an
//! async team asks (who is working, when do we overlap, when does the baton pass).
//!
//! The core is plain Rust with no UI dependency. The `baton` CLI and the desktop shell are thin clients:
//! they parse input, call one function here, and render the result. Every instant inside is UTC; local
//! time exists only in [`time`], where wall-clock times are resolved with one documented rule.
//!
//! The modules, by concept: [`time`] (instants, intervals, the DST rule, wall-clock waits), [`team`]
//! (the team file, its hours grammar and expansion, focus sessions), [`query`] (the questions and
//! their reports), [`notify`] (intake, queue policy, digests, delivery, inbox), [`store`] (SQLite,
//! settings, the database watcher), [`desktop`] (the views and actions of the desktop app) and [`error`]
//! (errors as they cross IPC and the intake's HTTP answers).

pub mod about;
pub mod calendar;
pub mod desktop;
pub mod dnd;
pub mod error;
pub mod notify;
pub mod query;
pub mod store;
pub mod team;
pub mod time;

pub use team::{Member, Team, TeamError};
pub use time::interval::{Instant, Interval, IntervalSet};
