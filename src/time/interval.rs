//! Half-open intervals of UTC instants and normalised sets of them.
//!
//! Every scheduling question Baton answers reduces to set algebra on time: who is working is a union of
//! shifts, a meeting slot is an intersection, availability is working time minus focus. [`IntervalSet`]
//! keeps its intervals sorted, non-overlapping and with touching neighbours merged, so every operation is
//! a single linear merge and two sets that cover the same instants are always equal.

use chrono::{DateTime, Duration, Utc};
use serde::ser::SerializeStruct;
use serde::{Serialize, Serializer};

/// A UTC instant. Local times only exist at the edges (parsing and display).
pub type Instant = DateTime<Utc>;

/// The half-open span `[start, end)` of UTC instants.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Interval {
    /// First instant inside the interval.
    pub start: Instant,
    /// First instant after the interval.
    pub end: Instant,
}

impl Interval {
    /// The interval `[start, end)`; `None` when it would be empty or reversed.
    pub fn new(start: Instant, end: Instant) -> Option<Self> {
        (start < end).then_some(Self { start, end })
    }

    /// How long the interval lasts.
    pub fn duration(&self) -> Duration {
        self.end - self.start
    }

    /// Whether `t` lies inside `[start, end)`.
    pub fn contains(&self, t: Instant) -> bool {
        self.start <= t && t < self.end
    }

    /// The common part of two intervals, if any.
    pub fn intersection(&self, other: &Interval) -> Option<Interval> {
        Interval::new(self.start.max(other.start), self.end.min(other.end))
    }
}

/// Formats an instant as RFC 3339 in UTC with a `Z` suffix and whole seconds: `2026-03-08T07:00:00Z`.
pub fn format_utc(t: Instant) -> String {
    t.format("%Y-%m-%dT%H:%M:%SZ").to_string()
}

/// Serialises as `{"start": "...Z", "end": "...Z"}`.
impl Serialize for Interval {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut s = serializer.serialize_struct("Interval", 2)?;
        s.serialize_field("start", &format_utc(self.start))?;
        s.serialize_field("end", &format_utc(self.end))?;
        s.end()
    }
}

/// A normalised set of instants: sorted, pairwise disjoint intervals with no two touching.
///
/// ```
/// use baton::time::interval::{Interval, IntervalSet};
/// use chrono::{TimeZone, Utc};
/// let h = |h| Utc.with_ymd_and_hms(2026, 1, 5, h, 0, 0).unwrap();
/// let a = IntervalSet::from_intervals([Interval::new(h(9), h(12)).unwrap(), Interval::new(h(12), h(17)).unwrap()]);
/// assert_eq!(a.intervals(), &[Interval::new(h(9), h(17)).unwrap()]);
/// let lunch = IntervalSet::from_intervals([Interval::new(h(12), h(13)).unwrap()]);
/// assert_eq!(a.difference(&lunch).intervals().len(), 2);
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash, Serialize)]
#[serde(transparent)]
pub struct IntervalSet {
    intervals: Vec<Interval>,
}

impl IntervalSet {
    /// The empty set.
    pub fn new() -> Self {
        Self::default()
    }

    /// Normalises any collection of intervals into a set (sorting, merging overlaps and touching ends).
    pub fn from_intervals(items: impl IntoIterator<Item = Interval>) -> Self {
        let mut v: Vec<Interval> = items.into_iter().collect();
        v.sort_unstable_by_key(|i| i.start);
        Self::from_sorted(v)
    }

    /// Merges intervals already sorted by start.
    fn from_sorted(v: Vec<Interval>) -> Self {
        let mut out: Vec<Interval> = Vec::with_capacity(v.len());
        for i in v {
            match out.last_mut() {
                Some(last) if i.start <= last.end => last.end = last.end.max(i.end),
                _ => out.push(i),
            }
        }
        Self { intervals: out }
    }

    /// Builds a set from intervals the caller guarantees are already normalised.
    fn from_normalised(intervals: Vec<Interval>) -> Self {
        debug_assert!(intervals.windows(2).all(|w| w[0].end < w[1].start));
        Self { intervals }
    }

    /// The intervals, sorted and disjoint.
    pub fn intervals(&self) -> &[Interval] {
        &self.intervals
    }

    /// Whether the set holds no instant.
    pub fn is_empty(&self) -> bool {
        self.intervals.is_empty()
    }

    /// Total time covered.
    pub fn total(&self) -> Duration {
        self.intervals.iter().map(Interval::duration).sum()
    }

    /// Whether `t` lies in the set.
    pub fn contains(&self, t: Instant) -> bool {
        let idx = self.intervals.partition_point(|i| i.end <= t);
        self.intervals.get(idx).is_some_and(|i| i.contains(t))
    }

    /// The interval containing `t`, if any.
    pub fn interval_at(&self, t: Instant) -> Option<Interval> {
        let idx = self.intervals.partition_point(|i| i.end <= t);
        self.intervals.get(idx).copied().filter(|i| i.contains(t))
    }

    /// The first boundary (a start or an end) strictly after `t`: when membership of the set next changes.
    pub fn next_change_after(&self, t: Instant) -> Option<Instant> {
        let idx = self.intervals.partition_point(|i| i.end <= t);
        let i = self.intervals.get(idx)?;
        Some(if i.start > t { i.start } else { i.end })
    }

    /// Instants in either set.
    pub fn union(&self, other: &IntervalSet) -> IntervalSet {
        let mut merged = Vec::with_capacity(self.intervals.len() + other.intervals.len());
        let (mut a, mut b) = (
            self.intervals.iter().peekable(),
            other.intervals.iter().peekable(),
        );
        loop {
            let next = match (a.peek(), b.peek()) {
                (Some(x), Some(y)) if x.start <= y.start => a.next(),
                (Some(_), Some(_)) => b.next(),
                (Some(_), None) => a.next(),
                (None, Some(_)) => b.next(),
                (None, None) => break,
            };
            merged.extend(next.copied());
        }
        Self::from_sorted(merged)
    }

    /// Instants in both sets.
    pub fn intersection(&self, other: &IntervalSet) -> IntervalSet {
        let (a, b) = (&self.intervals, &other.intervals);
        let (mut i, mut j) = (0, 0);
        let mut out = Vec::new();
        while i < a.len() && j < b.len() {
            if let Some(common) = a[i].intersection(&b[j]) {
                out.push(common);
            }
            if a[i].end <= b[j].end {
                i += 1;
            } else {
                j += 1;
            }
        }
        // Pieces of two normalised sets can touch (a = [1,2)∪[3,4), b = [1,4)) only if a had a gap there,
        // so the output is normalised already.
        Self::from_normalised(out)
    }

    /// Instants in `self` but not in `other`.
    pub fn difference(&self, other: &IntervalSet) -> IntervalSet {
        let b = &other.intervals;
        let mut out = Vec::with_capacity(self.intervals.len());
        let mut j = 0;
        for iv in &self.intervals {
            let mut start = iv.start;
            while j < b.len() && b[j].end <= start {
                j += 1;
            }
            let mut k = j;
            while k < b.len() && b[k].start < iv.end {
                if b[k].start > start {
                    out.push(Interval {
                        start,
                        end: b[k].start,
                    });
                }
                start = start.max(b[k].end);
                if b[k].end > iv.end {
                    break;
                }
                k += 1;
            }
            if start < iv.end {
                out.push(Interval { start, end: iv.end });
            }
        }
        Self::from_normalised(out)
    }

    /// The part of the set inside `span`.
    pub fn clip(&self, span: Interval) -> IntervalSet {
        let lo = self.intervals.partition_point(|i| i.end <= span.start);
        let out = self.intervals[lo..]
            .iter()
            .take_while(|i| i.start < span.end)
            .filter_map(|i| i.intersection(&span))
            .collect();
        Self::from_normalised(out)
    }

    /// The instants of `span` not in the set.
    pub fn complement_within(&self, span: Interval) -> IntervalSet {
        IntervalSet::from_normalised(vec![span]).difference(self)
    }

    /// Only the intervals lasting at least `min`.
    pub fn at_least(&self, min: Duration) -> IntervalSet {
        Self::from_normalised(
            self.intervals
                .iter()
                .copied()
                .filter(|i| i.duration() >= min)
                .collect(),
        )
    }

    /// Intersection of many sets (the whole of time for none).
    pub fn intersect_all<'a>(
        sets: impl IntoIterator<Item = &'a IntervalSet>,
    ) -> Option<IntervalSet> {
        let mut it = sets.into_iter();
        let mut acc = it.next()?.clone();
        for s in it {
            if acc.is_empty() {
                break;
            }
            acc = acc.intersection(s);
        }
        Some(acc)
    }
}

impl FromIterator<Interval> for IntervalSet {
    fn from_iter<T: IntoIterator<Item = Interval>>(iter: T) -> Self {
        Self::from_intervals(iter)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn t(m: i64) -> Instant {
        Utc.timestamp_opt(1_700_000_000 + m * 60, 0).unwrap()
    }
    fn set(v: &[(i64, i64)]) -> IntervalSet {
        v.iter()
            .filter_map(|&(a, b)| Interval::new(t(a), t(b)))
            .collect()
    }

    #[test]
    fn touching_intervals_merge_and_empty_ones_vanish() {
        assert_eq!(
            set(&[(0, 10), (10, 20), (30, 30), (25, 26)]),
            set(&[(0, 20), (25, 26)])
        );
        assert_eq!(set(&[(0, 20), (25, 26)]).intervals().len(), 2);
    }

    #[test]
    fn difference_splits_and_trims() {
        let a = set(&[(0, 100)]);
        let b = set(&[(-5, 10), (20, 30), (90, 200)]);
        assert_eq!(a.difference(&b), set(&[(10, 20), (30, 90)]));
    }

    #[test]
    fn next_change_reports_start_or_end() {
        let a = set(&[(10, 20), (30, 40)]);
        assert_eq!(a.next_change_after(t(0)), Some(t(10)));
        assert_eq!(a.next_change_after(t(10)), Some(t(20)));
        assert_eq!(a.next_change_after(t(20)), Some(t(30)));
        assert_eq!(a.next_change_after(t(40)), None);
    }

    #[test]
    fn clip_and_complement() {
        let a = set(&[(0, 10), (20, 30)]);
        let span = Interval::new(t(5), t(25)).unwrap();
        assert_eq!(a.clip(span), set(&[(5, 10), (20, 25)]));
        assert_eq!(a.complement_within(span), set(&[(10, 20)]));
    }
}
