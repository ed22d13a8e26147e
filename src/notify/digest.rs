//! The words of Baton's notifications: one digest summarising a batch of held items, and one urgent
//! item on its own.
//!
//! A digest is one desktop notification, so it must read at a glance however big the batch: items are
//! grouped by source (busiest first), items sharing a source and a group (a thread) collapse into one
//! entry with a count, and long lists are cut with "+N more". What the urgent cap held back is said
//! first, since those items were urgent. Pure functions of the plan and the items.

use std::collections::HashMap;

use crate::notify::notification::{Item, Urgency};
use crate::notify::policy::{DigestKind, DigestPlan};

/// Sources shown in a digest's body before "+N more sources".
pub const MAX_SOURCES: usize = 5;
/// Entries shown per source before "+N more".
pub const MAX_ENTRIES_PER_SOURCE: usize = 3;
/// Longest title shown in a digest entry, in characters.
pub const MAX_TITLE_CHARS: usize = 60;

/// The text of one desktop notification.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NotificationText {
    /// The one-line summary (shown bold).
    pub summary: String,
    /// The body, lines separated by `\n`; may be empty.
    pub body: String,
    /// A link the notification's "Open" action opens (an item's `url`; a digest has none).
    pub link: Option<String>,
}

/// The notification for `digest`; `items` must include its items (others are ignored, and ids not
/// found are left out). Entries show each thread's latest title.
///
/// ```
/// use baton::notify::digest::digest_text;
/// use baton::notify::notification::{Item, Urgency};
/// use baton::notify::policy::{DigestKind, DigestPlan};
/// let item = |id, source: &str, group: Option<&str>, title: &str| Item {
///     id, source: source.into(), group: group.map(Into::into), sender: None, title: title.into(),
///     body: None, urgency: Urgency::Normal, url: None, received_at: chrono::DateTime::UNIX_EPOCH,
/// };
/// let items = [
///     item(1, "github", Some("#142"), "Review requested"),
///     item(2, "github", Some("#142"), "New comment"),
///     item(3, "ci", None, "Build failed on main"),
/// ];
/// let plan = DigestPlan {
///     kind: DigestKind::FocusEnded, items: vec![1, 2, 3], capped: vec![], cap_per_hour: 3,
///     focus_minutes: Some(50),
/// };
/// let text = digest_text(&plan, &items);
/// assert_eq!(text.summary, "50 min of focus · 3 held notifications");
/// assert_eq!(text.body, "github (2): New comment (#142 ×2)\nci: Build failed on main");
/// ```
pub fn digest_text(digest: &DigestPlan, items: &[Item]) -> NotificationText {
    // Membership by binary search: cheaper than hashing a hundred thousand ids.
    let mut ids = digest.items.clone();
    ids.sort_unstable();
    let mut batch: Vec<&Item> = items
        .iter()
        .filter(|i| ids.binary_search(&i.id).is_ok())
        .collect();
    batch.sort_by_key(|i| (i.received_at, i.id));
    let n = batch.len();
    let count = format!("{n} held notification{}", if n == 1 { "" } else { "s" });
    let summary = match digest.kind {
        DigestKind::StartOfDay => format!("Start of day: {count}"),
        DigestKind::FocusEnded => match digest.focus_minutes {
            // A focus under a minute (started and stopped at once) has no length worth saying.
            Some(m) if m > 0 => format!("{} of focus · {count}", focus_length(m)),
            _ => format!("Focus ended: {count}"),
        },
        DigestKind::Cadence => format!("Baton: {count}"),
        DigestKind::Manual if n > 1 => format!("Baton: all {count}"),
        DigestKind::Manual => format!("Baton: {count}"),
    };
    let mut lines: Vec<String> = digest
        .capped
        .iter()
        .map(|(source, k)| {
            format!(
                "{k} urgent item{} from {source} waited: over the cap of {}/hour",
                if *k == 1 { "" } else { "s" },
                digest.cap_per_hour
            )
        })
        .collect();
    let sources = group_by_source(&batch);
    for s in sources.iter().take(MAX_SOURCES) {
        let mut entries: Vec<String> = s
            .entries
            .iter()
            .take(MAX_ENTRIES_PER_SOURCE)
            .map(Entry::text)
            .collect();
        if s.entries.len() > MAX_ENTRIES_PER_SOURCE {
            entries.push(format!(
                "+{} more",
                s.entries.len() - MAX_ENTRIES_PER_SOURCE
            ));
        }
        let head = if s.count == 1 {
            s.source.to_string()
        } else {
            format!("{} ({})", s.source, s.count)
        };
        lines.push(format!("{head}: {}", entries.join(" · ")));
    }
    if sources.len() > MAX_SOURCES {
        let rest = &sources[MAX_SOURCES..];
        let k: usize = rest.iter().map(|s| s.count).sum();
        lines.push(format!(
            "+{k} more from {} other source{}",
            rest.len(),
            if rest.len() == 1 { "" } else { "s" }
        ));
    }
    NotificationText {
        summary,
        body: lines.join("\n"),
        link: None,
    }
}

/// A focus length as the digest says it: `50 min`, `2 h`, `1 h 30 min`.
fn focus_length(minutes: u32) -> String {
    match (minutes / 60, minutes % 60) {
        (0, m) => format!("{m} min"),
        (h, 0) => format!("{h} h"),
        (h, m) => format!("{h} h {m} min"),
    }
}

/// The notification for one item delivered on its own (critical, or urgent by the rules).
///
/// ```
/// use baton::notify::digest::urgent_text;
/// use baton::notify::notification::{Item, Urgency};
/// let item = Item {
///     id: 1, source: "pagerduty".into(), group: None, sender: Some("ana".into()),
///     title: "API error rate 12%".into(), body: Some("eu-west-1".into()),
///     urgency: Urgency::Critical, url: None, received_at: chrono::DateTime::UNIX_EPOCH,
/// };
/// let text = urgent_text(&item);
/// assert_eq!(text.summary, "Critical · pagerduty: API error rate 12%");
/// assert_eq!(text.body, "eu-west-1\nfrom ana");
/// ```
pub fn urgent_text(item: &Item) -> NotificationText {
    let summary = if item.urgency == Urgency::Critical {
        format!("Critical · {}: {}", item.source, item.title)
    } else {
        format!("{}: {}", item.source, item.title)
    };
    let mut lines = Vec::new();
    if let Some(body) = item
        .body
        .as_deref()
        .map(str::trim)
        .filter(|b| !b.is_empty())
    {
        lines.push(body.to_string());
    }
    if let Some(group) = item.group.as_deref() {
        lines.push(format!("in {group}"));
    }
    if let Some(sender) = item.sender.as_deref() {
        lines.push(format!("from {sender}"));
    }
    NotificationText {
        summary,
        body: lines.join("\n"),
        link: item.url.clone(),
    }
}

/// One source's part of a digest.
struct SourceGroup<'a> {
    source: &'a str,
    count: usize,
    entries: Vec<Entry<'a>>,
}

/// One line item: a thread (source and group) with its count, or an item without a group.
struct Entry<'a> {
    group: Option<&'a str>,
    count: usize,
    /// The latest item's title.
    title: &'a str,
    first: usize,
}

impl Entry<'_> {
    fn text(&self) -> String {
        let title = shorten(self.title, MAX_TITLE_CHARS);
        match (self.group, self.count) {
            (Some(g), 1) => format!("{title} ({g})"),
            (Some(g), n) => format!("{title} ({g} ×{n})"),
            (None, _) => title,
        }
    }
}

/// Sources busiest first (ties: first seen), each with its entries busiest first (ties: first seen).
/// `batch` is oldest first, so an entry's title is its latest item's.
fn group_by_source<'a>(batch: &[&'a Item]) -> Vec<SourceGroup<'a>> {
    let mut sources: Vec<SourceGroup<'a>> = Vec::new();
    let mut source_index: HashMap<&str, usize> = HashMap::new();
    let mut entry_index: HashMap<(&str, &str), usize> = HashMap::new();
    for (pos, item) in batch.iter().enumerate() {
        let si = *source_index.entry(&item.source).or_insert_with(|| {
            sources.push(SourceGroup {
                source: &item.source,
                count: 0,
                entries: Vec::new(),
            });
            sources.len() - 1
        });
        let s = &mut sources[si];
        s.count += 1;
        let existing = item
            .group
            .as_deref()
            .and_then(|g| entry_index.get(&(item.source.as_str(), g)).copied());
        match existing {
            Some(ei) => {
                let e = &mut s.entries[ei];
                e.count += 1;
                e.title = &item.title;
            }
            None => {
                if let Some(g) = item.group.as_deref() {
                    entry_index.insert((&item.source, g), s.entries.len());
                }
                s.entries.push(Entry {
                    group: item.group.as_deref(),
                    count: 1,
                    title: &item.title,
                    first: pos,
                });
            }
        }
    }
    for s in &mut sources {
        s.entries
            .sort_by(|a, b| b.count.cmp(&a.count).then(a.first.cmp(&b.first)));
    }
    // Stable: equal counts keep first-seen order.
    sources.sort_by_key(|s| std::cmp::Reverse(s.count));
    sources
}

/// `s` cut to `max` characters with an ellipsis, on one line.
fn shorten(s: &str, max: usize) -> String {
    let one_line = s.split_whitespace().collect::<Vec<_>>().join(" ");
    if one_line.chars().count() <= max {
        return one_line;
    }
    let cut: String = one_line.chars().take(max.saturating_sub(1)).collect();
    format!("{}…", cut.trim_end())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::notify::notification::Urgency;
    use chrono::DateTime;

    fn item(id: i64, source: &str, group: Option<&str>, title: &str) -> Item {
        Item {
            id,
            source: source.into(),
            group: group.map(Into::into),
            sender: None,
            title: title.into(),
            body: None,
            urgency: Urgency::Normal,
            url: None,
            received_at: DateTime::UNIX_EPOCH + chrono::Duration::minutes(id),
        }
    }

    fn plan(kind: DigestKind, items: &[Item], capped: Vec<(String, usize)>) -> DigestPlan {
        DigestPlan {
            kind,
            items: items.iter().map(|i| i.id).collect(),
            capped,
            cap_per_hour: 3,
            focus_minutes: None,
        }
    }

    fn render(t: &NotificationText) -> String {
        format!("{}\n---\n{}", t.summary, t.body)
    }

    #[test]
    fn a_mixed_batch_groups_by_source_and_thread() {
        let items = vec![
            item(1, "ci", Some("main"), "Build failed"),
            item(2, "github", Some("#142"), "Review requested"),
            item(3, "ci", Some("main"), "Build failed again"),
            item(4, "github", Some("#142"), "New comment from bob"),
            item(5, "github", Some("#142"), "Changes pushed"),
            item(6, "ci", None, "Nightly deploy finished"),
            item(7, "github", Some("#150"), "Merged"),
            item(
                8,
                "mail",
                None,
                "Quarterly planning notes with an overly long subject line that goes on",
            ),
        ];
        let text = digest_text(
            &plan(DigestKind::StartOfDay, &items, vec![("ci".into(), 2)]),
            &items,
        );
        insta::assert_snapshot!(render(&text), @r"
        Start of day: 8 held notifications
        ---
        2 urgent items from ci waited: over the cap of 3/hour
        github (4): Changes pushed (#142 ×3) · Merged (#150)
        ci (3): Build failed again (main ×2) · Nightly deploy finished
        mail: Quarterly planning notes with an overly long subject line t…
        ");
    }

    #[test]
    fn kinds_and_singulars() {
        let one = vec![item(1, "ci", None, "Build failed")];
        let kinds = [
            (DigestKind::StartOfDay, "Start of day: 1 held notification"),
            (DigestKind::FocusEnded, "Focus ended: 1 held notification"),
            (DigestKind::Cadence, "Baton: 1 held notification"),
            (DigestKind::Manual, "Baton: 1 held notification"),
        ];
        for (kind, want) in kinds {
            let t = digest_text(&plan(kind, &one, vec![("ci".into(), 1)]), &one);
            assert_eq!(t.summary, want);
            assert_eq!(
                t.body,
                "1 urgent item from ci waited: over the cap of 3/hour\nci: Build failed"
            );
        }
        // The end of a focus says how long it was.
        for (minutes, want) in [
            (50, "50 min of focus · 1 held notification"),
            (120, "2 h of focus · 1 held notification"),
            (95, "1 h 35 min of focus · 1 held notification"),
        ] {
            let mut p = plan(DigestKind::FocusEnded, &one, vec![]);
            p.focus_minutes = Some(minutes);
            assert_eq!(digest_text(&p, &one).summary, want);
        }
        let two = vec![item(1, "ci", None, "a"), item(2, "ci", None, "b")];
        assert_eq!(
            digest_text(&plan(DigestKind::Manual, &two, vec![]), &two).summary,
            "Baton: all 2 held notifications"
        );
    }

    #[test]
    fn long_batches_are_cut() {
        let mut items: Vec<Item> = (0..10)
            .map(|i| item(i, "ci", None, &format!("build {i}")))
            .collect();
        for (k, s) in ["a", "b", "c", "d", "e", "f"].iter().enumerate() {
            items.push(item(100 + k as i64, s, None, "x"));
        }
        let text = digest_text(&plan(DigestKind::Cadence, &items, vec![]), &items);
        insta::assert_snapshot!(render(&text), @r"
        Baton: 16 held notifications
        ---
        ci (10): build 0 · build 1 · build 2 · +7 more
        a: x
        b: x
        c: x
        d: x
        +2 more from 2 other sources
        ");
    }

    #[test]
    fn unknown_ids_are_left_out() {
        let items = vec![item(1, "ci", None, "a")];
        let mut p = plan(DigestKind::Cadence, &items, vec![]);
        p.items.push(99);
        assert_eq!(
            digest_text(&p, &items).summary,
            "Baton: 1 held notification"
        );
    }

    #[test]
    fn an_urgent_item_alone() {
        let mut i = item(1, "github", Some("#142"), "Review requested");
        i.sender = Some("bob".into());
        insta::assert_snapshot!(render(&urgent_text(&i)), @r"
        github: Review requested
        ---
        in #142
        from bob
        ");
    }
}
