//! The per-source rate limit: a source may burst up to its per-minute rate, then gets one slot every
//! `60 / rate` seconds, as a token bucket refilled continuously would allow.
//!
//! It is kept as the generic cell rate algorithm: per source, only the "theoretical arrival time" of the
//! next request, in exact `Duration` arithmetic (no floating-point drift at the boundaries). The clock
//! is passed in (a monotonic [`std::time::Instant`]), so the rule is tested without sleeping.

use std::collections::HashMap;
use std::time::{Duration, Instant};

/// Sources kept before idle ones (back to a full allowance) are forgotten.
const PRUNE_ABOVE: usize = 4096;

/// Allowances by source.
#[derive(Debug)]
pub struct RateLimit {
    /// Time between two slots at the steady rate.
    interval: Duration,
    /// How far ahead of `now` the next slot may be and still be granted: a burst of `rate` requests.
    burst: Duration,
    next_slot: HashMap<String, Instant>,
}

impl RateLimit {
    /// A limit of `per_minute` notifications per source per minute (at least one).
    pub fn new(per_minute: u32) -> RateLimit {
        let per_minute = per_minute.max(1);
        let interval = Duration::from_secs(60) / per_minute;
        RateLimit {
            interval,
            burst: interval * (per_minute - 1),
            next_slot: HashMap::new(),
        }
    }

    /// Takes one slot for `source` at `now`; when none is free, says how long until one is, in whole
    /// seconds rounded up (what `Retry-After` carries).
    pub fn take(&mut self, source: &str, now: Instant) -> Result<(), Duration> {
        if self.next_slot.len() > PRUNE_ABOVE {
            self.next_slot.retain(|_, next| *next > now);
        }
        let next = self.next_slot.get(source).copied().unwrap_or(now).max(now);
        let ahead = next - now;
        if ahead > self.burst {
            let wait = ahead - self.burst;
            let secs = wait.as_secs() + u64::from(wait.subsec_nanos() > 0);
            return Err(Duration::from_secs(secs.max(1)));
        }
        self.next_slot
            .insert(source.to_string(), next + self.interval);
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bursts_to_the_rate_then_refills_per_source() {
        let t0 = Instant::now();
        let mut limit = RateLimit::new(3);
        for _ in 0..3 {
            assert_eq!(limit.take("ci", t0), Ok(()));
        }
        assert_eq!(
            limit.take("ci", t0),
            Err(Duration::from_secs(20)),
            "3 a minute: one slot every 20 s"
        );
        assert_eq!(limit.take("mail", t0), Ok(()), "sources are separate");
        assert_eq!(
            limit.take("ci", t0 + Duration::from_secs(15)),
            Err(Duration::from_secs(5))
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
}
