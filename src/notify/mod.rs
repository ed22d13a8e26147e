//! Notifications: from a sender's request to the person's screen.
//!
//! A [`notification`] is validated at the [`intake`] (the loopback HTTP endpoint, its token, rate
//! limits and group commit) and queued in the store; the pure [`policy`] decides when each held item
//! goes out (focus, working hours, the digest cadence, the urgent rules, reply-by); [`digest`] writes
//! a batch's text; [`delivery`] shows it through a `Notifier` and marks it delivered; [`inbox`] is
//! what the person sees of the queue; [`runner`] is the one-runner-per-database lock, and [`run`] a
//! runner's whole run (lock, watcher, delivery, intake, shutdown) for the daemon and the tray alike.

pub mod delivery;
pub mod digest;
pub mod inbox;
pub mod intake;
pub mod notification;
pub mod policy;
pub mod run;
pub mod runner;
