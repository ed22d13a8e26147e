//! The intake's rate limits: each source may burst up to its per-minute rate, then gets one slot every
//! `60 / rate` seconds, as a token bucket refilled continuously would allow; and all sources together
//! have an overall rate of the same kind, so a sender cannot escape its limit by inventing new source
//! names.
//!
//! Each limit is kept as the generic cell rate algorithm: only the "theoretical arrival time" of the
//! next request, in exact `Duration` arithmetic (no floating-point drift at the boundaries). A request
//! takes a slot only when both limits have one, so a refusal costs the sender nothing. The clock is
//! passed in (a monotonic [`std::time::Instant`]), so the rules are tested without sleeping.
//!
//! The per-source map holds at most [`MAX_SOURCES`] names. A source whose next slot is in the past is
//! back to a full allowance and is the same as absent, so those go first; when the map is still full,
//! the half nearest to a full allowance is forgotten (they may burst again, still within the overall
//! limit). That costs one pass over the map per `MAX_SOURCES / 2` new names: constant per request.

use std::collections::HashMap;
use std::time::{Duration, Instant};

/// Most sources the per-source limit remembers at once.
pub const MAX_SOURCES: usize = 4096;

/// Which limit refused a request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Limit {
    /// The source's own rate.
    Source,
    /// The rate of all sources together.
    Total,
}

/// A refusal: which limit, and how long until it has a slot, in whole seconds rounded up (what
/// `Retry-After` carries).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limited {
    /// The limit that was hit.
    pub limit: Limit,
    /// When to retry.
    pub retry_after: Duration,
}

/// One rate as the cell rate algorithm sees it.
#[derive(Debug, Clone, Copy)]
struct Rate {
    /// Time between two slots at the steady rate.
    interval: Duration,
    /// How far ahead of `now` the next slot may be and still be granted: a burst of `rate` requests.
    burst: Duration,
}

impl Rate {
    fn per_minute(per_minute: u32) -> Rate {
        let per_minute = per_minute.max(1);
        let interval = Duration::from_secs(60) / per_minute;
        Rate {
            interval,
            burst: interval * (per_minute - 1),
        }
    }

    /// The next slot after granting one at `now` to a sender whose next slot was `next`, or how long
    /// to wait for one.
    fn grant(self, next: Option<Instant>, now: Instant) -> Result<Instant, Duration> {
        let next = next.unwrap_or(now).max(now);
        let ahead = next - now;
        if ahead > self.burst {
            let wait = ahead - self.burst;
            let secs = wait.as_secs() + u64::from(wait.subsec_nanos() > 0);
            return Err(Duration::from_secs(secs.max(1)));
        }
        Ok(next + self.interval)
    }
}

/// Allowances by source, and the overall one.
#[derive(Debug)]
pub struct RateLimit {
    source: Rate,
    total: Rate,
    total_next: Option<Instant>,
    next_slot: HashMap<String, Instant>,
}

impl RateLimit {
    /// A limit of `per_source` notifications per source per minute and `total` per minute for all
    /// sources together (each at least one).
    pub fn new(per_source: u32, total: u32) -> RateLimit {
        RateLimit {
            source: Rate::per_minute(per_source),
            total: Rate::per_minute(total),
            total_next: None,
            next_slot: HashMap::new(),
        }
    }

    /// Takes one slot for `source` at `now`, from its own allowance and the overall one; when either
    /// has none, takes nothing and says which (the source's own first) and how long until it has one.
    pub fn take(&mut self, source: &str, now: Instant) -> Result<(), Limited> {
        let source_next = self
            .source
            .grant(self.next_slot.get(source).copied(), now)
            .map_err(|retry_after| Limited {
                limit: Limit::Source,
                retry_after,
            })?;
        let total_next = self
            .total
            .grant(self.total_next, now)
            .map_err(|retry_after| Limited {
                limit: Limit::Total,
                retry_after,
            })?;
        self.total_next = Some(total_next);
        if let Some(next) = self.next_slot.get_mut(source) {
            *next = source_next;
        } else {
            self.make_room(now);
            self.next_slot.insert(source.to_string(), source_next);
        }
        Ok(())
    }

    /// Keeps the map below [`MAX_SOURCES`] before a new source is added.
    fn make_room(&mut self, now: Instant) {
        if self.next_slot.len() < MAX_SOURCES {
            return;
        }
        self.next_slot.retain(|_, next| *next > now);
        let keep = MAX_SOURCES / 2;
        if self.next_slot.len() > keep {
            let mut nexts: Vec<Instant> = self.next_slot.values().copied().collect();
            let forget = nexts.len() - keep;
            let (_, cutoff, _) = nexts.select_nth_unstable(forget - 1);
            let cutoff = *cutoff;
            self.next_slot.retain(|_, next| *next > cutoff);
        }
    }

    /// How many sources are remembered.
    #[cfg(test)]
    fn sources(&self) -> usize {
        self.next_slot.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn source_limited(secs: u64) -> Result<(), Limited> {
        Err(Limited {
            limit: Limit::Source,
            retry_after: Duration::from_secs(secs),
        })
    }

    #[test]
    fn bursts_to_the_rate_then_refills_per_source() {
        let t0 = Instant::now();
        let mut limit = RateLimit::new(3, 1000);
        for _ in 0..3 {
            assert_eq!(limit.take("ci", t0), Ok(()));
        }
        assert_eq!(
            limit.take("ci", t0),
            source_limited(20),
            "3 a minute: one slot every 20 s"
        );
        assert_eq!(limit.take("mail", t0), Ok(()), "sources are separate");
        assert_eq!(
            limit.take("ci", t0 + Duration::from_secs(15)),
            source_limited(5)
        );
        assert_eq!(limit.take("ci", t0 + Duration::from_secs(20)), Ok(()));
        assert_eq!(
            limit.take("ci", t0 + Duration::from_secs(600)),
            Ok(()),
            "a long pause refills no more than a minute's worth"
        );
        for _ in 0..2 {
            assert_eq!(limit.take("ci", t0 + Duration::from_secs(600)), Ok(()));
        }
        assert!(limit.take("ci", t0 + Duration::from_secs(600)).is_err());
    }

    #[test]
    fn new_source_names_do_not_escape_the_overall_limit() {
        let t0 = Instant::now();
        let mut limit = RateLimit::new(60, 6);
        for i in 0..6 {
            assert_eq!(limit.take(&format!("s{i}"), t0), Ok(()));
        }
        assert_eq!(
            limit.take("s6", t0),
            Err(Limited {
                limit: Limit::Total,
                retry_after: Duration::from_secs(10)
            }),
            "6 a minute overall: one slot every 10 s"
        );
        assert_eq!(
            limit.take("s0", t0 + Duration::from_secs(10)),
            Ok(()),
            "the refusal took nothing from the overall allowance"
        );
        // A source over its own rate is told so, and takes nothing from the overall allowance.
        let mut limit = RateLimit::new(1, 2);
        assert_eq!(limit.take("ci", t0), Ok(()));
        assert_eq!(limit.take("ci", t0), source_limited(60));
        assert_eq!(limit.take("mail", t0), Ok(()));
    }

    #[test]
    fn a_flood_of_source_names_keeps_the_map_bounded() {
        let t0 = Instant::now();
        let mut limit = RateLimit::new(60, u32::MAX);
        for i in 0..(10 * MAX_SOURCES) {
            assert_eq!(limit.take(&format!("flood-{i}"), t0), Ok(()));
            assert!(
                limit.sources() <= MAX_SOURCES,
                "{} sources",
                limit.sources()
            );
        }
        // A source that used its allowance a moment ago is still limited after the flood...
        let mut limit = RateLimit::new(1, u32::MAX);
        assert_eq!(limit.take("ci", t0), Ok(()));
        for i in 0..(MAX_SOURCES / 4) {
            assert_eq!(limit.take(&format!("flood-{i}"), t0), Ok(()));
        }
        assert!(limit.take("ci", t0).is_err());
        // ...and those back to a full allowance are what goes first.
        let later = t0 + Duration::from_secs(61);
        for i in 0..MAX_SOURCES {
            assert_eq!(limit.take(&format!("late-{i}"), later), Ok(()));
        }
        assert!(limit.sources() <= MAX_SOURCES);
    }
}
