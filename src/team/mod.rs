//! The team: who is on it, where they are, and their weekly hours, focus blocks and days off.
//!
//! A team arrives as a human-edited TOML file (or JSON with the same fields; [`TeamFormat::of`] is the one
//! rule for which a text is in). Parsing is in two steps: serde reads the file's shape into [`TeamFile`]
//! (strings kept as written, with their positions in TOML), then [`TeamFile::validate`] checks every
//! value and collects *all* problems at once, each naming the member, the field and the line, so a
//! person fixes a file in one pass and the editor can show each message next to its field.

pub mod focus;
pub mod holidays;
pub mod sample;
pub mod schedule;
pub mod source;
pub mod spec;
pub mod travel;

use std::fmt;
use std::ops::Range;
use std::path::Path;

use chrono_tz::Tz;
use serde::{Deserialize, Serialize};
use thiserror::Error;

use crate::team::holidays::HolidayCalendar;
use crate::team::spec::{DateRange, WeeklyRule};
use crate::team::travel::Trip;
use crate::time::{parse_time_zone, suggest_time_zones};

/// A validated team.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Team {
    /// The team's display name.
    pub name: String,
    /// Which member this machine's user is, if known (a name from `members`).
    pub me: Option<String>,
    /// Members in file order.
    pub members: Vec<Member>,
}

/// One validated teammate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Member {
    /// Unique (case-insensitively) within the team; never contains a comma.
    pub name: String,
    /// The member's IANA time zone.
    pub time_zone: Tz,
    /// Weekly working hours in local time; several rules add up.
    pub hours: Vec<WeeklyRule>,
    /// Recurring focus blocks, same grammar as `hours`.
    pub focus: Vec<WeeklyRule>,
    /// Local dates off work, ranges inclusive.
    pub days_off: Vec<DateRange>,
    /// The public holidays the member observes, if the file names a region; they are days off too.
    pub holidays: Option<HolidayCalendar>,
    /// Trips, sorted by date and never overlapping: on their dates the hours are read in their zone.
    pub travel: Vec<Trip>,
    /// The address of the member's calendar feed (ICS), if the file names one.
    pub calendar: Option<String>,
    /// What the member's calendars say: busy times and out-of-office days. Not part of the team
    /// file: the store attaches the last good reading of the calendars when it loads the team.
    pub busy: std::sync::Arc<crate::calendar::busy::MemberBusy>,
}

impl Member {
    /// Whether the local `date` is off for the member: a day off, a public holiday, or out of office
    /// in a calendar.
    pub fn is_off(&self, date: chrono::NaiveDate) -> bool {
        self.days_off.iter().any(|r| r.contains(date))
            || self.holidays.as_ref().is_some_and(|h| h.contains(date))
            || self.busy.is_out_of_office(date)
    }

    /// The name of the public holiday the member observes on the local `date`, if any.
    pub fn holiday_on(&self, date: chrono::NaiveDate) -> Option<&str> {
        self.holidays.as_ref().and_then(|h| h.name_on(date))
    }
}

impl Team {
    /// Finds a member by name, ignoring case.
    pub fn member(&self, name: &str) -> Option<(usize, &Member)> {
        let name = name.trim();
        self.members
            .iter()
            .enumerate()
            .find(|(_, m)| m.name.eq_ignore_ascii_case(name))
    }

    /// The member this machine's user is, if the team says.
    pub fn me(&self) -> Option<&Member> {
        self.me_index().map(|i| &self.members[i])
    }

    /// The position of [`Team::me`] in `members`.
    pub fn me_index(&self) -> Option<usize> {
        self.me
            .as_deref()
            .and_then(|n| self.member(n))
            .map(|(i, _)| i)
    }

    /// Parses and validates a TOML team file; `origin` names it in errors (usually its path).
    pub fn from_toml_str(text: &str, origin: &str) -> Result<Team, TeamError> {
        let raw: RawTeam<toml::Spanned<String>> = toml::from_str(text).map_err(|e| {
            let (line, column) = e.span().map(|s| line_col(text, s.start)).unzip();
            TeamError::Syntax {
                origin: origin.to_string(),
                line,
                column,
                message: e.message().trim().to_string(),
            }
        })?;
        raw.validate(Some(text))
            .map_err(|problems| TeamError::Invalid {
                origin: origin.to_string(),
                problems,
            })
    }

    /// Parses and validates a JSON team file with the same fields as the TOML one.
    pub fn from_json_str(text: &str, origin: &str) -> Result<Team, TeamError> {
        let raw: TeamFile = serde_json::from_str(text).map_err(|e| TeamError::Syntax {
            origin: origin.to_string(),
            line: Some(e.line()),
            column: Some(json_char_column(text, e.line(), e.column())),
            message: strip_json_position(&e.to_string()),
        })?;
        raw.validate(None).map_err(|problems| TeamError::Invalid {
            origin: origin.to_string(),
            problems,
        })
    }

    /// Parses and validates a team file's `text`, in the format [`TeamFormat::of`] decides from what
    /// `origin` says about it; `origin` also names the text in errors.
    ///
    /// ```
    /// use baton::team::{Team, TeamOrigin};
    /// let json = r#"{"name": "T", "members": [{"name": "Ana", "time_zone": "UTC"}]}"#;
    /// let pasted = Team::from_text(json, TeamOrigin::Unnamed("imported file")).unwrap();
    /// let toml = "name = \"T\"\n[[members]]\nname = \"Ana\"\ntime_zone = \"UTC\"\n";
    /// let file = Team::from_text(toml, TeamOrigin::Path("team.toml".as_ref())).unwrap();
    /// assert_eq!(pasted, file);
    /// ```
    pub fn from_text(text: &str, origin: TeamOrigin<'_>) -> Result<Team, TeamError> {
        let name = origin.name();
        match TeamFormat::of(text, origin) {
            TeamFormat::Json => Team::from_json_str(text, &name),
            TeamFormat::Toml => Team::from_toml_str(text, &name),
        }
    }

    /// Reads a team file; its format is decided as in [`Team::from_text`].
    pub fn from_path(path: &Path) -> Result<Team, TeamError> {
        let text = std::fs::read_to_string(path).map_err(|source| TeamError::Read {
            origin: path.display().to_string(),
            source,
        })?;
        Team::from_text(&text, TeamOrigin::Path(path))
    }

    /// The team in its file shape, with every spec in canonical form.
    pub fn to_file(&self) -> TeamFile {
        TeamFile {
            name: self.name.clone(),
            me: self.me.clone(),
            members: self
                .members
                .iter()
                .map(|m| MemberFile {
                    name: m.name.clone(),
                    time_zone: m.time_zone.name().to_string(),
                    hours: m.hours.iter().map(ToString::to_string).collect(),
                    focus: m.focus.iter().map(ToString::to_string).collect(),
                    days_off: m.days_off.iter().map(ToString::to_string).collect(),
                    holidays: m.holidays.as_ref().map(|h| h.region().to_string()),
                    travel: m
                        .travel
                        .iter()
                        .map(|t| RawTrip {
                            from: t.from.to_string(),
                            to: t.to.to_string(),
                            time_zone: t.time_zone.name().to_string(),
                        })
                        .collect(),
                    calendar: m.calendar.clone(),
                })
                .collect(),
        }
    }

    /// The team as a TOML team file.
    pub fn to_toml_string(&self) -> String {
        toml::to_string(&self.to_file()).unwrap_or_else(|e| format!("# cannot write team: {e}\n"))
    }

    /// The team as a JSON team file.
    pub fn to_json_string(&self) -> String {
        serde_json::to_string_pretty(&self.to_file())
            .unwrap_or_else(|e| format!("{{\"error\": \"{e}\"}}"))
    }
}

/// What is known about where a team file's text came from: it names the text in errors and, with
/// [`TeamFormat::of`], decides how the text is read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TeamOrigin<'a> {
    /// A file at this path (its extension may say the format).
    Path(&'a Path),
    /// Text with no file name, such as text handed to the desktop app's import; the label names it.
    Unnamed(&'a str),
}

impl TeamOrigin<'_> {
    /// How errors name the text: the path as displayed, or the label.
    pub fn name(&self) -> String {
        match self {
            TeamOrigin::Path(path) => path.display().to_string(),
            TeamOrigin::Unnamed(label) => (*label).to_string(),
        }
    }
}

/// The two ways a team file is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TeamFormat {
    /// The documented, human-edited format.
    Toml,
    /// The same fields as JSON.
    Json,
}

impl TeamFormat {
    /// The one rule for which format a team file's text is in: a `.json` or `.toml` extension (any
    /// case) says so; otherwise (no path, no extension, or another one) text that starts with `{`
    /// after whitespace is JSON and anything else is TOML. The sniff cannot mistake a TOML file: a
    /// TOML document never starts with `{`.
    pub fn of(text: &str, origin: TeamOrigin<'_>) -> TeamFormat {
        let extension = match origin {
            TeamOrigin::Path(path) => path.extension(),
            TeamOrigin::Unnamed(_) => None,
        };
        match extension {
            Some(e) if e.eq_ignore_ascii_case("json") => TeamFormat::Json,
            Some(e) if e.eq_ignore_ascii_case("toml") => TeamFormat::Toml,
            _ if text.trim_start().starts_with('{') => TeamFormat::Json,
            _ => TeamFormat::Toml,
        }
    }
}

/// Why a team file was refused. Nothing is changed when this is returned.
#[derive(Debug, Error)]
pub enum TeamError {
    /// The file could not be read.
    #[error("{origin}: cannot read the team file: {source}")]
    Read {
        /// The file's path.
        origin: String,
        /// The underlying error.
        source: std::io::Error,
    },
    /// The file is not well-formed TOML or JSON, or has the wrong shape (unknown or missing fields).
    #[error("{origin}{}: {message}", location(*line, *column))]
    Syntax {
        /// The file's name.
        origin: String,
        /// 1-based line, when the parser knows it.
        line: Option<usize>,
        /// 1-based column, when the parser knows it.
        column: Option<usize>,
        /// What is wrong.
        message: String,
    },
    /// The file is well-formed but some values are not valid.
    #[error("{origin}: {} problem{}:\n{}", problems.len(), if problems.len() == 1 { "" } else { "s" },
        problems.iter().map(|p| format!("  {p}")).collect::<Vec<_>>().join("\n"))]
    Invalid {
        /// The file's name.
        origin: String,
        /// Every problem found, in file order.
        problems: Vec<Problem>,
    },
}

fn location(line: Option<usize>, column: Option<usize>) -> String {
    match (line, column) {
        (Some(l), Some(c)) => format!(":{l}:{c}"),
        (Some(l), None) => format!(":{l}"),
        _ => String::new(),
    }
}

/// One invalid value in a team: where it is and what would be valid.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Problem {
    /// 1-based line in the TOML file, when known.
    pub line: Option<usize>,
    /// The member the value belongs to (`None` for team-level fields).
    pub member: Option<String>,
    /// The member's position in the file (0-based), when the value belongs to one.
    pub member_index: Option<usize>,
    /// The field, with an index for list entries: `hours[1]`, `time_zone`, `me`.
    pub field: String,
    /// What is wrong and what is valid.
    pub message: String,
    /// For an unknown time zone: the closest valid names.
    pub suggestions: Vec<String>,
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(line) = self.line {
            write!(f, "line {line}: ")?;
        }
        match (&self.member, self.member_index) {
            (Some(name), _) if !name.trim().is_empty() => write!(f, "member \"{name}\", ")?,
            (_, Some(i)) => write!(f, "member #{}, ", i + 1)?,
            _ => {}
        }
        write!(f, "{}: {}", self.field, self.message)
    }
}

/// A team file as written: every value still a string. Serialising it gives the documented file format.
pub type TeamFile = RawTeam<String>;
/// One member of a [`TeamFile`].
pub type MemberFile = RawMember<String>;

/// The shape of a team file, generic over how strings are held (plain, or with their TOML span).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, bound(deserialize = "S: Deserialize<'de>"))]
pub struct RawTeam<S> {
    /// Team name.
    pub name: S,
    /// Which member this machine's user is.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub me: Option<S>,
    /// The members.
    #[serde(default = "Vec::new")]
    pub members: Vec<RawMember<S>>,
}

/// The shape of one member in a team file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, bound(deserialize = "S: Deserialize<'de>"))]
pub struct RawMember<S> {
    /// Member name.
    pub name: S,
    /// IANA time zone name.
    pub time_zone: S,
    /// Weekly hours specs.
    #[serde(default = "Vec::new")]
    pub hours: Vec<S>,
    /// Weekly focus specs.
    #[serde(default = "Vec::new", skip_serializing_if = "Vec::is_empty")]
    pub focus: Vec<S>,
    /// Days off: dates and inclusive ranges.
    #[serde(default = "Vec::new", skip_serializing_if = "Vec::is_empty")]
    pub days_off: Vec<S>,
    /// Public-holiday region: ISO 3166-1 country, optionally `-` and an ISO 3166-2 subdivision.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub holidays: Option<S>,
    /// Trips: local dates inclusive and the zone worked in on them.
    #[serde(default = "Vec::new", skip_serializing_if = "Vec::is_empty")]
    pub travel: Vec<RawTrip<S>>,
    /// The member's calendar feed: an `https://` address of an ICS file (only free/busy is kept).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub calendar: Option<S>,
}

/// One trip as written: `{ from = "2027-02-01", to = "2027-02-14", time_zone = "Asia/Tokyo" }`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, bound(deserialize = "S: Deserialize<'de>"))]
pub struct RawTrip<S> {
    /// First local date (`YYYY-MM-DD`).
    pub from: S,
    /// Last local date, inclusive.
    pub to: S,
    /// IANA zone worked in on those dates.
    pub time_zone: S,
}

/// One trip of a [`MemberFile`].
pub type TripFile = RawTrip<String>;

/// A string from a team file that may know where it was written.
pub trait Located {
    /// The text.
    fn text(&self) -> &str;
    /// Byte range in the source, when known.
    fn span(&self) -> Option<Range<usize>>;
}

impl Located for String {
    fn text(&self) -> &str {
        self
    }
    fn span(&self) -> Option<Range<usize>> {
        None
    }
}

impl Located for toml::Spanned<String> {
    fn text(&self) -> &str {
        self.get_ref()
    }
    fn span(&self) -> Option<Range<usize>> {
        Some(toml::Spanned::span(self))
    }
}

impl<S: Located> RawTeam<S> {
    /// Checks every value; returns the team, or every problem found. `source` is the TOML text the spans
    /// point into, for line numbers.
    pub fn validate(&self, source: Option<&str>) -> Result<Team, Vec<Problem>> {
        let line = |s: &S| {
            source
                .zip(s.span())
                .map(|(src, sp)| line_col(src, sp.start).0)
        };
        let mut problems = Vec::new();
        let mut problem = |s: Option<&S>,
                           member: Option<(usize, &str)>,
                           field: String,
                           message: String,
                           suggestions| {
            problems.push(Problem {
                line: s.and_then(line),
                member: member.map(|(_, n)| n.to_string()),
                member_index: member.map(|(i, _)| i),
                field,
                message,
                suggestions,
            });
        };

        let name = self.name.text().trim();
        if name.is_empty() {
            problem(
                Some(&self.name),
                None,
                "name".into(),
                "the team name is empty".into(),
                vec![],
            );
        }
        if self.members.is_empty() {
            problem(
                None,
                None,
                "members".into(),
                "a team needs at least one [[members]] entry".into(),
                vec![],
            );
        }

        let mut members = Vec::with_capacity(self.members.len());
        for (i, m) in self.members.iter().enumerate() {
            let mname = m.name.text().trim();
            let who = Some((i, mname));
            if mname.is_empty() {
                problem(
                    Some(&m.name),
                    who,
                    "name".into(),
                    "the member name is empty".into(),
                    vec![],
                );
            } else if mname.contains(',') {
                problem(
                    Some(&m.name),
                    who,
                    "name".into(),
                    "a member name cannot contain ','".into(),
                    vec![],
                );
            } else if self.members[..i]
                .iter()
                .any(|o| o.name.text().trim().eq_ignore_ascii_case(mname))
            {
                problem(
                    Some(&m.name),
                    who,
                    "name".into(),
                    format!("\"{mname}\" appears twice; names must be unique"),
                    vec![],
                );
            }
            let tz = parse_time_zone(m.time_zone.text());
            if tz.is_none() {
                let (msg, suggestions) = unknown_zone(m.time_zone.text());
                problem(
                    Some(&m.time_zone),
                    who,
                    "time_zone".into(),
                    msg,
                    suggestions,
                );
            }
            let mut travel: Vec<(usize, Trip)> = Vec::with_capacity(m.travel.len());
            for (k, t) in m.travel.iter().enumerate() {
                let time_zone = parse_time_zone(t.time_zone.text());
                if time_zone.is_none() {
                    let (msg, suggestions) = unknown_zone(t.time_zone.text());
                    problem(
                        Some(&t.time_zone),
                        who,
                        format!("travel[{k}].time_zone"),
                        msg,
                        suggestions,
                    );
                }
                let mut dates = [None, None];
                for (slot, (s, part)) in dates.iter_mut().zip([(&t.from, "from"), (&t.to, "to")]) {
                    *slot = chrono::NaiveDate::parse_from_str(s.text().trim(), "%Y-%m-%d").ok();
                    if slot.is_none() {
                        problem(
                            Some(s),
                            who,
                            format!("travel[{k}].{part}"),
                            format!("\"{}\" is not a date; write YYYY-MM-DD", s.text()),
                            vec![],
                        );
                    }
                }
                let ([Some(f), Some(l)], Some(time_zone)) = (dates, time_zone) else {
                    continue;
                };
                if l < f {
                    problem(
                        Some(&t.to),
                        who,
                        format!("travel[{k}].to"),
                        format!("the trip ends ({l}) before it starts ({f})"),
                        vec![],
                    );
                    continue;
                }
                let trip = Trip {
                    from: f,
                    to: l,
                    time_zone,
                };
                if let Some((j, other)) = travel
                    .iter()
                    .find(|(_, o)| o.from <= trip.to && trip.from <= o.to)
                {
                    problem(
                        Some(&t.from),
                        who,
                        format!("travel[{k}]"),
                        format!(
                            "the trip {f}..{l} overlaps travel[{j}] ({}..{}); trips cannot share a date",
                            other.from, other.to
                        ),
                        vec![],
                    );
                    continue;
                }
                travel.push((k, trip));
            }
            let mut travel: Vec<Trip> = travel.into_iter().map(|(_, t)| t).collect();
            travel.sort_by_key(|t| t.from);
            let holidays = m.holidays.as_ref().and_then(|s| {
                if s.text().trim().is_empty() {
                    return None;
                }
                HolidayCalendar::parse(s.text())
                    .map_err(|e| {
                        let suggestions = e.suggestions().to_vec();
                        problem(Some(s), who, "holidays".into(), e.to_string(), suggestions)
                    })
                    .ok()
            });
            let mut rules = |field: &str, items: &[S]| -> Vec<WeeklyRule> {
                let mut out = Vec::with_capacity(items.len());
                for (k, s) in items.iter().enumerate() {
                    match s.text().parse::<WeeklyRule>() {
                        Ok(r) => out.push(r),
                        Err(e) => {
                            problem(Some(s), who, format!("{field}[{k}]"), e.to_string(), vec![])
                        }
                    }
                }
                out
            };
            let hours = rules("hours", &m.hours);
            let focus = rules("focus", &m.focus);
            let mut days_off = Vec::with_capacity(m.days_off.len());
            for (k, s) in m.days_off.iter().enumerate() {
                match s.text().parse::<DateRange>() {
                    Ok(r) => days_off.push(r),
                    Err(e) => problem(
                        Some(s),
                        who,
                        format!("days_off[{k}]"),
                        e.to_string(),
                        vec![],
                    ),
                }
            }
            let calendar = m.calendar.as_ref().and_then(|s| {
                let url = s.text().trim();
                if url.is_empty() {
                    return None;
                }
                match crate::team::source::url::check_url(url) {
                    Ok(()) => Some(url.to_string()),
                    Err(e) => {
                        problem(Some(s), who, "calendar".into(), e.to_string(), vec![]);
                        None
                    }
                }
            });
            if let Some(time_zone) = tz {
                members.push(Member {
                    name: mname.to_string(),
                    time_zone,
                    hours,
                    focus,
                    days_off,
                    holidays,
                    travel,
                    calendar,
                    busy: Default::default(),
                });
            }
        }

        let me = match &self.me {
            None => None,
            Some(s) if s.text().trim().is_empty() => None,
            Some(s) => match self
                .members
                .iter()
                .find(|m| m.name.text().trim().eq_ignore_ascii_case(s.text().trim()))
            {
                Some(m) => Some(m.name.text().trim().to_string()),
                None => {
                    let names: Vec<_> = self
                        .members
                        .iter()
                        .map(|m| format!("\"{}\"", m.name.text().trim()))
                        .collect();
                    let msg = format!(
                        "\"{}\" is not a member; use one of {}",
                        s.text(),
                        names.join(", ")
                    );
                    problem(Some(s), None, "me".into(), msg, vec![]);
                    None
                }
            },
        };

        // Report in file order; problems without a line (JSON input) keep the order they were found in.
        problems.sort_by_key(|p| p.line.unwrap_or(usize::MAX));
        if problems.is_empty() {
            Ok(Team {
                name: name.to_string(),
                me,
                members,
            })
        } else {
            Err(problems)
        }
    }
}

/// The message and suggestions for an unknown time zone name.
fn unknown_zone(written: &str) -> (String, Vec<String>) {
    let suggestions: Vec<String> = suggest_time_zones(written, 3)
        .into_iter()
        .map(String::from)
        .collect();
    let hint = if suggestions.is_empty() {
        "use an IANA name such as \"Europe/Berlin\"".to_string()
    } else {
        format!(
            "did you mean {}?",
            suggestions
                .iter()
                .map(|s| format!("\"{s}\""))
                .collect::<Vec<_>>()
                .join(", ")
        )
    };
    (
        format!("unknown time zone \"{written}\"; {hint}"),
        suggestions,
    )
}

/// 1-based line and column of a byte offset.
pub(crate) fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let before = &text[..offset.min(text.len())];
    let line = before.matches('\n').count() + 1;
    let col = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    (line, col)
}

/// serde_json counts a column in bytes, and gives 0 when it stops at the start of a line; people (and the
/// TOML reader) count characters from 1.
fn json_char_column(text: &str, line: usize, byte_column: usize) -> usize {
    let line_text = text
        .split('\n')
        .nth(line.saturating_sub(1))
        .unwrap_or_default();
    let mut end = byte_column.min(line_text.len());
    while !line_text.is_char_boundary(end) {
        end += 1;
    }
    line_text[..end].chars().count().max(1)
}

fn strip_json_position(msg: &str) -> String {
    match msg.rfind(" at line ") {
        Some(i) => msg[..i].to_string(),
        None => msg.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const GOOD: &str = r#"
name = "Platform"
me = "ana"

[[members]]
name = "Ana"
time_zone = "America/Sao_Paulo"
hours = ["mon-fri 09:00-17:30"]
focus = ["mon-thu 09:00-11:00"]
days_off = ["2026-12-24", "2026-12-28..2027-01-01"]

[[members]]
name = "Kenji"
time_zone = "Asia/Tokyo"
hours = ["mon-thu 22:00-06:00", "sat 10:00-12:00"]
"#;

    #[test]
    fn reads_the_documented_example() {
        let team = Team::from_toml_str(GOOD, "team.toml").unwrap();
        assert_eq!(
            team.me.as_deref(),
            Some("Ana"),
            "me is matched case-insensitively and canonicalised"
        );
        assert_eq!(team.members[1].time_zone, chrono_tz::Asia::Tokyo);
        assert_eq!(team.members[0].days_off.len(), 2);
        let again = Team::from_toml_str(&team.to_toml_string(), "x").unwrap();
        assert_eq!(again, team, "export then import gives the same team");
        let json = Team::from_json_str(&team.to_json_string(), "x.json").unwrap();
        assert_eq!(json, team);
    }

    #[test]
    fn an_explicit_extension_decides_the_format_and_otherwise_a_leading_brace_means_json() {
        use TeamFormat::{Json, Toml};
        let path = |p: &'static str| TeamOrigin::Path(Path::new(p));
        let unnamed = TeamOrigin::Unnamed("imported file");
        for (text, origin, want, why) in [
            ("{}", path("team.json"), Json, "the extension says JSON"),
            (
                "name = 1",
                path("team.json"),
                Json,
                "the extension wins over the text",
            ),
            (
                "name = 1",
                path("TEAM.JSON"),
                Json,
                "extensions in any case",
            ),
            (
                "{}",
                path("team.toml"),
                Toml,
                "the extension wins over the text",
            ),
            ("{}", path("team.Toml"), Toml, "extensions in any case"),
            ("{}", path("team"), Json, "no extension: the text decides"),
            (
                "name = 1",
                path("team"),
                Toml,
                "no extension and no brace: TOML",
            ),
            (
                " \n\t{}",
                path("team.txt"),
                Json,
                "another extension: the text decides",
            ),
            (
                "name = 1",
                path("team.txt"),
                Toml,
                "another extension and no brace: TOML",
            ),
            (
                "{}",
                path("json"),
                Json,
                "a file named json has no extension",
            ),
            (
                "name = 1",
                path("json"),
                Toml,
                "a file named json has no extension",
            ),
            (
                "\r\n  {\"name\": 1}",
                unnamed,
                Json,
                "whitespace before the brace",
            ),
            (
                "name = \"{\"",
                unnamed,
                Toml,
                "a brace later on does not count",
            ),
            ("# {\n", unnamed, Toml, "a comment is TOML"),
            ("", unnamed, Toml, "empty text is TOML"),
        ] {
            assert_eq!(
                TeamFormat::of(text, origin),
                want,
                "{text:?} from {origin:?}: {why}"
            );
        }
    }

    #[test]
    fn text_is_read_in_the_format_its_origin_decides_and_named_by_it() {
        let json = Team::from_toml_str(GOOD, "x").unwrap().to_json_string();
        let pasted = Team::from_text(&json, TeamOrigin::Unnamed("imported file")).unwrap();
        assert_eq!(pasted, Team::from_toml_str(GOOD, "x").unwrap());
        let err = Team::from_text("{", TeamOrigin::Unnamed("imported file")).unwrap_err();
        assert_eq!(
            err.to_string(),
            "imported file:1:1: EOF while parsing an object",
            "a JSON error, named by the label"
        );
        let err = Team::from_text("{", TeamOrigin::Path(Path::new("dir/team.toml"))).unwrap_err();
        assert_eq!(
            err.to_string(),
            "dir/team.toml:1:1: invalid key-value pair, expected key",
            "a TOML error, named by the path"
        );
    }

    #[test]
    fn json_syntax_errors_count_characters_from_one() {
        let at = |text: &str| match Team::from_json_str(text, "t.json") {
            Err(TeamError::Syntax { line, column, .. }) => (line, column),
            other => panic!("expected a syntax error, got {other:?}"),
        };
        assert_eq!(
            at(""),
            (Some(1), Some(1)),
            "empty input points at the start"
        );
        // "é" is two bytes: the stray `x` is the 14th character but the 15th byte.
        assert_eq!(at("{\"name\": \"é\" x}"), (Some(1), Some(14)));
    }

    #[test]
    fn every_problem_is_reported_with_line_member_and_field() {
        let bad = GOOD
            .replace("Asia/Tokyo", "Asia/Tokio")
            .replace("22:00-06:00", "22:00-06:60")
            .replace("me = \"ana\"", "me = \"Bob\"");
        let Err(TeamError::Invalid { problems, .. }) = Team::from_toml_str(&bad, "team.toml")
        else {
            panic!("must fail")
        };
        let summary: Vec<_> = problems
            .iter()
            .map(|p| (p.line, p.member.as_deref(), p.field.as_str()))
            .collect();
        assert_eq!(
            summary,
            vec![
                (Some(3), None, "me"),
                (Some(14), Some("Kenji"), "time_zone"),
                (Some(15), Some("Kenji"), "hours[0]"),
            ]
        );
        assert_eq!(
            problems[1].suggestions.first().map(String::as_str),
            Some("Asia/Tokyo")
        );
    }

    #[test]
    fn unknown_fields_are_syntax_errors_with_a_line() {
        let bad = GOOD.replace("focus =", "focsu =");
        let err = Team::from_toml_str(&bad, "team.toml").unwrap_err();
        let TeamError::Syntax {
            line, ref message, ..
        } = err
        else {
            panic!("{err}")
        };
        assert_eq!(line, Some(9));
        assert!(message.contains("unknown field `focsu`"), "{message}");
    }
}
