//! Time: instants, intervals and the one rule that turns a local wall-clock time into an instant.
//!
//! Every instant inside Baton is UTC; local time exists only at the edges. [`resolve`] holds the
//! "compatible" rule for DST gaps and folds (and `ZoneWindow`, its fast path over a range),
//! [`interval`] the half-open intervals and normalised interval sets the queries compute with, and
//! [`clock`] the waits for an instant on the wall clock that the schedulers sleep in.

pub mod clock;
pub mod interval;
pub mod locale;
pub mod resolve;

pub use resolve::*;
