//! Property tests of `team`: the hours grammar's parsers (weekly rules, date ranges) never panic and
//! their output round-trips through text; the team file readers never panic however mangled the file and
//! agree between TOML and JSON; and expansion into shifts stays normalised, in its span and off days off.

use super::{at, check_normalised, config};
use baton::team::sample;
use baton::team::spec::{ClockTime, DailySpan, DateRange, WeeklyRule};
use baton::team::{MemberFile, Problem, TeamFile};
use baton::time::interval::{Interval, IntervalSet};
use baton::{Member, Team, TeamError};
use chrono::{Duration, NaiveDate, Weekday};
use chrono_tz::Tz;
use proptest::prelude::*;
use proptest::sample::{select, Index};

// ---------------------------------------------------------------------------------------------------------
// 1. The spec parsers never panic, and errors point inside the input.
// ---------------------------------------------------------------------------------------------------------

/// Strings made of the grammar's own pieces, so the parser gets past the first token.
fn rule_like() -> impl Strategy<Value = String> {
    let token = prop_oneof![
        4 => select(vec![
            "mon", "tue", "wed", "thu", "fri", "sat", "sun", "monday", "Friday", "SUNDAY", "daily",
            "Daily", "-", "-", ",", ",", " ", " ", "\t", "09:00", "9:00", "24:00", "00:00", "23:59",
            "24:01", "25:00", "9:0", "09:60", "099:00", ":", "0", "12", "é", "日", "\u{1F600}", "\u{a0}",
        ]).prop_map(str::to_string),
        1 => "[a-z0-9:, .\\-]{1,4}",
        1 => any::<char>().prop_map(String::from),
    ];
    prop::collection::vec(token, 0..14).prop_map(|v| v.concat())
}

/// Date-ish text: mostly one or two dates with signs, odd widths and odd separators, sometimes noise.
fn date_like() -> impl Strategy<Value = String> {
    // A number zero-padded to `width` digits (or longer when it needs more).
    fn digits(n: u32, width: usize) -> String {
        format!("{n:0width$}")
    }
    let date = || {
        (
            select(vec!["", "", "", "-", "-", "+"]),
            (0u32..3000, select(vec![4usize, 4, 3, 3, 1, 2, 5, 6])),
            select(vec!["-", "-", "-", "-", "/", "--", ""]),
            (0u32..14, select(vec![2usize, 2, 2, 1, 3])),
            select(vec!["-", "-", "-", "-", ""]),
            (0u32..33, select(vec![2usize, 2, 2, 1, 3])),
        )
            .prop_map(|(sign, (y, yw), s1, (m, mw), s2, (d, dw))| {
                format!(
                    "{sign}{}{s1}{}{s2}{}",
                    digits(y, yw),
                    digits(m, mw),
                    digits(d, dw)
                )
            })
    };
    let ws = || select(vec!["", "", " ", "\t"]);
    let range = (
        ws(),
        date(),
        prop::option::of((select(vec!["..", " .. ", ".", "...", "-"]), date())),
        ws(),
    )
        .prop_map(|(lead, first, rest, trail)| {
            let rest = rest
                .map(|(sep, last)| format!("{sep}{last}"))
                .unwrap_or_default();
            format!("{lead}{first}{rest}{trail}")
        });
    let piece = prop_oneof![
        4 => date(),
        1 => select(vec!["..", ".", " ", "\t", "...", "-", "2026-01-01", "é"]).prop_map(str::to_string),
        1 => "[0-9. \\-]{1,6}",
        1 => any::<char>().prop_map(String::from),
    ];
    prop_oneof![
        3 => range,
        1 => prop::collection::vec(piece, 0..5).prop_map(|v| v.concat()),
    ]
}

fn check_rule_text(s: &str) -> Result<(), TestCaseError> {
    match s.parse::<WeeklyRule>() {
        Ok(rule) => {
            let again = rule.to_string().parse::<WeeklyRule>();
            prop_assert_eq!(
                again,
                Ok(rule.clone()),
                "{:?} displays as {:?}",
                s,
                rule.to_string()
            );
        }
        Err(e) => {
            let chars = s.chars().count();
            prop_assert!((1..=chars + 1).contains(&e.column), "{e:?}");
            prop_assert_eq!(&e.input, s);
        }
    }
    Ok(())
}

/// Parses `s` as a date range: an error must point inside it; an accepted range is ordered and its
/// `Display` parses back to it.
fn check_date_text(s: &str) -> Result<(), TestCaseError> {
    match s.parse::<DateRange>() {
        Ok(range) => {
            prop_assert!(range.first <= range.last);
            let again = range.to_string().parse::<DateRange>();
            prop_assert_eq!(
                again,
                Ok(range),
                "{:?} displays as {:?}",
                s,
                range.to_string()
            );
        }
        Err(e) => {
            let chars = s.chars().count();
            prop_assert!((1..=chars + 1).contains(&e.column), "{e:?}");
            prop_assert_eq!(&e.input, s);
        }
    }
    Ok(())
}

proptest! {
    #![proptest_config(config(2048))]

    #[test]
    fn weekly_rule_parser_never_panics(s in any::<String>()) {
        check_rule_text(&s)?;
    }

    #[test]
    fn weekly_rule_parser_never_panics_on_grammar_alphabet(s in "[a-z0-9:, .\\-]{0,40}") {
        check_rule_text(&s)?;
    }

    #[test]
    fn weekly_rule_parser_never_panics_on_grammar_tokens(s in rule_like()) {
        check_rule_text(&s)?;
    }

    #[test]
    fn date_range_parser_never_panics(s in any::<String>()) {
        check_date_text(&s)?;
    }

    #[test]
    fn date_range_parser_never_panics_on_grammar_alphabet(s in "[a-z0-9:, .\\-]{0,40}") {
        check_date_text(&s)?;
    }
}

// Date-shaped text, where a lax parser would accept a date that does not print back the same (a negative
// three-digit year such as `"-001-01-01"` did once: chrono's `%Y` reads it, `Display` writes `-0001-01-01`).
proptest! {
    #![proptest_config(config(2048))]

    #[test]
    fn date_range_parser_accepted_text_round_trips(s in date_like()) {
        check_date_text(&s)?;
    }
}

// ---------------------------------------------------------------------------------------------------------
// 2. Team files never panic the reader, however mangled.
// ---------------------------------------------------------------------------------------------------------

/// Number of lines a problem's or error's line number may point at.
fn line_bound(text: &str) -> usize {
    text.matches('\n').count() + 1
}

/// Whatever the reader says about `text` must be coherent: an accepted team round-trips through both
/// formats, and every reported line lies inside the file.
fn check_team_result(
    text: &str,
    result: Result<Team, TeamError>,
    toml: bool,
) -> Result<(), TestCaseError> {
    match result {
        Ok(team) => {
            let again = Team::from_toml_str(&team.to_toml_string(), "again.toml");
            prop_assert_eq!(
                again.as_ref().ok(),
                Some(&team),
                "{:?}",
                again.as_ref().err()
            );
            let again = Team::from_json_str(&team.to_json_string(), "again.json");
            prop_assert_eq!(
                again.as_ref().ok(),
                Some(&team),
                "{:?}",
                again.as_ref().err()
            );
        }
        Err(TeamError::Syntax { line, column, .. }) => {
            if let Some(line) = line {
                prop_assert!((1..=line_bound(text)).contains(&line), "line {line}");
            }
            // Only TOML columns are checked: JSON ones are serde_json's, which count bytes and can be 0
            // (see `json_syntax_columns_are_one_based_characters`).
            if let (Some(column), true) = (column, toml) {
                let bound = text.chars().count() + 1;
                prop_assert!((1..=bound).contains(&column), "column {column}");
            }
        }
        Err(TeamError::Invalid { problems, .. }) => {
            prop_assert!(!problems.is_empty());
            for p in &problems {
                if let Some(line) = p.line {
                    prop_assert!(toml, "a JSON problem has a line: {p:?}");
                    prop_assert!((1..=line_bound(text)).contains(&line), "{p:?}");
                }
            }
        }
        Err(e @ TeamError::Read { .. }) => prop_assert!(false, "no file was read: {e}"),
    }
    Ok(())
}

#[derive(Debug, Clone)]
enum Edit {
    Replace(Index, char),
    Insert(Index, char),
    Delete(Index),
}

fn edit_char() -> impl Strategy<Value = char> {
    prop_oneof![
        3 => select(vec![
            '"', '\'', '[', ']', '{', '}', '=', '\n', '\r', ',', '-', ':', '.', ' ', '#', '\\', '0', '2',
            '9', 'a', 'z', 'é', '日', '\u{1F600}', '\u{0}', '\u{7f}', '\u{feff}',
        ]),
        1 => any::<char>(),
    ]
}

fn edits() -> impl Strategy<Value = Vec<Edit>> {
    let edit = prop_oneof![
        (any::<Index>(), edit_char()).prop_map(|(i, c)| Edit::Replace(i, c)),
        (any::<Index>(), edit_char()).prop_map(|(i, c)| Edit::Insert(i, c)),
        any::<Index>().prop_map(Edit::Delete),
    ];
    prop::collection::vec(edit, 1..6)
}

fn apply(text: &str, edits: &[Edit]) -> String {
    let mut chars: Vec<char> = text.chars().collect();
    for e in edits {
        match *e {
            Edit::Replace(i, c) if !chars.is_empty() => {
                let i = i.index(chars.len());
                chars[i] = c;
            }
            Edit::Insert(i, c) => {
                let i = i.index(chars.len() + 1);
                chars.insert(i, c);
            }
            Edit::Delete(i) if !chars.is_empty() => {
                let i = i.index(chars.len());
                chars.remove(i);
            }
            _ => {}
        }
    }
    chars.into_iter().collect()
}

fn zone_like() -> impl Strategy<Value = String> {
    prop_oneof![
        select(vec![
            "America/New_York",
            "europe/london",
            " Asia/Tokyo ",
            "Asia/Tokio",
            "UTC",
            "",
            " ",
            "Mars/Olympus",
            "sao paulo",
            "Etc/GMT+5",
            "日本",
            "Pacific/Chatham",
        ])
        .prop_map(str::to_string),
        "[A-Za-z/_ \\-]{0,20}",
        "\\PC{0,16}",
    ]
}

fn name_like() -> impl Strategy<Value = String> {
    prop_oneof![
        select(vec![
            "Ana", "ana", " Ana ", "", " ", "a,b", "Kenji", "é", "\u{a0}"
        ])
        .prop_map(str::to_string),
        "[A-Za-z ,é]{0,8}",
        any::<String>(),
    ]
}

fn member_file() -> impl Strategy<Value = MemberFile> {
    (
        name_like(),
        zone_like(),
        prop::collection::vec(
            prop_oneof![rule_like(), valid_rule().prop_map(|c| c.text)],
            0..3,
        ),
        prop::collection::vec(rule_like(), 0..2),
        prop::collection::vec(
            prop_oneof![date_like(), valid_date_range().prop_map(|c| c.text)],
            0..3,
        ),
        prop_oneof![
            Just(None),
            select(vec![
                "DE-BY", "de-be", "US", "GB-SCT", "DE-BX", "XX", "Germany", "", "-"
            ])
            .prop_map(|r| Some(r.to_string())),
            any::<String>().prop_map(Some),
        ],
        prop::collection::vec(
            (date_like(), date_like(), zone_like()).prop_map(|(from, to, time_zone)| {
                baton::team::TripFile {
                    from,
                    to,
                    time_zone,
                }
            }),
            0..3,
        ),
    )
        .prop_map(
            |(name, time_zone, hours, focus, days_off, holidays, travel)| MemberFile {
                name,
                time_zone,
                hours,
                focus,
                days_off,
                holidays,
                travel,
                calendar: None,
            },
        )
}

fn team_file() -> impl Strategy<Value = TeamFile> {
    (
        name_like(),
        prop::option::of(name_like()),
        prop::collection::vec(member_file(), 0..4),
    )
        .prop_map(|(name, me, members)| TeamFile { name, me, members })
}

/// The problems without their lines, in a fixed order (TOML problems are sorted by line, JSON ones are not).
fn without_lines(problems: &[Problem]) -> Vec<Problem> {
    let mut v: Vec<Problem> = problems
        .iter()
        .cloned()
        .map(|p| Problem { line: None, ..p })
        .collect();
    v.sort_by(|a, b| {
        (a.member_index, &a.field, &a.message).cmp(&(b.member_index, &b.field, &b.message))
    });
    v
}

proptest! {
    #![proptest_config(config(512))]

    #[test]
    fn team_readers_never_panic_on_arbitrary_text(s in any::<String>()) {
        let r = Team::from_toml_str(&s, "x");
        check_team_result(&s, r, true)?;
        let r = Team::from_json_str(&s, "x");
        check_team_result(&s, r, false)?;
    }

    #[test]
    fn team_readers_never_panic_on_toml_like_text(s in "[a-z_\\[\\]=\"\n ,.0-9:{}#'\\-]{0,80}") {
        let r = Team::from_toml_str(&s, "x");
        check_team_result(&s, r, true)?;
        let r = Team::from_json_str(&s, "x");
        check_team_result(&s, r, false)?;
    }
}

// JSON syntax errors carry a 1-based character column, as TOML ones do (serde_json's own is a byte count,
// and 0 at the start of a line: `""` once gave line 1, column 0).
proptest! {
    #![proptest_config(config(512))]

    #[test]
    fn json_syntax_columns_are_one_based_characters(s in any::<String>()) {
        if let Err(TeamError::Syntax { line: Some(line), column: Some(column), .. }) = Team::from_json_str(&s, "x") {
            let line_text = s.split('\n').nth(line - 1).unwrap_or_default();
            prop_assert!(
                (1..=line_text.chars().count() + 1).contains(&column),
                "line {line} column {column} of {s:?}"
            );
        }
    }
}

// Mutations of a valid file keep its team-level shape, so they reach validation and the round trip.
proptest! {
    #![proptest_config(config(512))]

    #[test]
    fn toml_reader_never_panics_on_mutated_team_file(e in edits()) {
        let text = apply(sample::SAMPLE_TEAM_TOML, &e);
        let r = Team::from_toml_str(&text, "x");
        check_team_result(&text, r, true)?;
    }

    #[test]
    fn json_reader_never_panics_on_mutated_team_file(e in edits()) {
        let text = apply(&sample::team().to_json_string(), &e);
        let r = Team::from_json_str(&text, "x");
        check_team_result(&text, r, false)?;
    }

}

// Every unknown zone name costs a fuzzy search over all zones (slow in debug), so fewer cases here.
proptest! {
    #![proptest_config(config(64))]

    #[test]
    fn team_readers_agree_on_substituted_values(file in team_file()) {
        let toml_text = toml::to_string(&file).unwrap();
        let json_text = serde_json::to_string_pretty(&file).unwrap();
        let from_toml = Team::from_toml_str(&toml_text, "x");
        let from_json = Team::from_json_str(&json_text, "x");
        match (&from_toml, &from_json) {
            (Ok(a), Ok(b)) => prop_assert_eq!(a, b),
            (Err(TeamError::Invalid { problems: a, .. }), Err(TeamError::Invalid { problems: b, .. })) => {
                prop_assert_eq!(without_lines(a), without_lines(b));
                prop_assert!(a.iter().all(|p| p.member.is_none() || p.line.is_some()), "{a:?}");
            }
            (a, b) => prop_assert!(false, "TOML says {a:?}, JSON says {b:?}"),
        }
        check_team_result(&toml_text, from_toml, true)?;
        check_team_result(&json_text, from_json, false)?;
    }
}

// ---------------------------------------------------------------------------------------------------------
// 3. Round trips through text.
// ---------------------------------------------------------------------------------------------------------

/// A valid weekly rule written one of many valid ways, with the value it must parse to.
#[derive(Debug, Clone)]
struct RuleCase {
    text: String,
    mask: u8,
    spans: Vec<(u32, u32)>,
}

const SHORT: [&str; 7] = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];
const FULL: [&str; 7] = [
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
];

fn styled(word: &str, style: u8) -> String {
    match style % 3 {
        0 => word.to_string(),
        1 => word.to_ascii_uppercase(),
        _ => {
            let mut c = word.chars();
            c.next()
                .map(|f| f.to_ascii_uppercase().to_string() + c.as_str())
                .unwrap_or_default()
        }
    }
}

fn day_text(day: usize, style: u8) -> String {
    let word = if style < 3 { SHORT[day] } else { FULL[day] };
    styled(word, style)
}

/// Writes a weekday mask as a day list: circular runs as ranges (which may wrap, `sat-mon`) or as single
/// days, items in a rotated order, each name short or full in some case.
fn days_text(mask: u8, styles: &[u8], as_range: &[bool], rotate: usize, daily: bool) -> String {
    let has = |d: usize| mask & (1 << d) != 0;
    if mask == 0x7f && daily {
        return styled("daily", styles[0]);
    }
    let mut runs: Vec<(usize, usize)> = Vec::new();
    if mask == 0x7f {
        runs.push((rotate % 7, 7));
    } else {
        let gap = (0..7).find(|&d| !has(d)).unwrap();
        let mut i = 1;
        while i <= 7 {
            let d = (gap + i) % 7;
            if has(d) {
                let mut len = 0;
                while i <= 7 && has((gap + i) % 7) {
                    len += 1;
                    i += 1;
                }
                runs.push((d, len));
            } else {
                i += 1;
            }
        }
    }
    let mut items = Vec::new();
    let mut k = 0;
    for (r, &(start, len)) in runs.iter().enumerate() {
        if as_range[r % as_range.len()] {
            let last = (start + len - 1) % 7;
            items.push(format!(
                "{}-{}",
                day_text(start, styles[k % styles.len()]),
                day_text(last, styles[(k + 1) % styles.len()])
            ));
            k += 2;
        } else {
            for j in 0..len {
                items.push(day_text((start + j) % 7, styles[k % styles.len()]));
                k += 1;
            }
        }
    }
    let n = items.len();
    items.rotate_left(rotate % n);
    items.join(",")
}

fn time_text(m: u32, pad: bool) -> String {
    if pad {
        format!("{:02}:{:02}", m / 60, m % 60)
    } else {
        format!("{}:{:02}", m / 60, m % 60)
    }
}

fn valid_rule() -> impl Strategy<Value = RuleCase> {
    let span = (
        0u32..1440,
        prop_oneof![0u32..=1440, Just(1440), Just(0)],
        any::<bool>(),
        any::<bool>(),
    );
    (
        1u8..128,
        prop::collection::vec((span, select(vec![",", ", ", " , ", " ,", "\t,\t"])), 1..4),
        prop::collection::vec(0u8..6, 1..8),
        prop::collection::vec(any::<bool>(), 1..5),
        0usize..7,
        any::<bool>(),
        select(vec!["", " ", "\t", "  "]),
        select(vec![" ", "  ", "\t", " \n "]),
        select(vec!["", " ", "\t\n"]),
    )
        .prop_map(
            |(mask, spans, styles, as_range, rotate, daily, lead, mid, trail)| {
                let mut text = format!(
                    "{lead}{}{mid}",
                    days_text(mask, &styles, &as_range, rotate, daily)
                );
                for (i, ((s, e, ps, pe), sep)) in spans.iter().enumerate() {
                    if i > 0 {
                        text.push_str(sep);
                    }
                    text.push_str(&time_text(*s, *ps));
                    text.push('-');
                    text.push_str(&time_text(*e, *pe));
                }
                text.push_str(trail);
                RuleCase {
                    text,
                    mask,
                    spans: spans.iter().map(|((s, e, _, _), _)| (*s, *e)).collect(),
                }
            },
        )
}

/// A valid date range written a valid way, with the value it must parse to.
#[derive(Debug, Clone)]
struct DateCase {
    text: String,
    first: NaiveDate,
    last: NaiveDate,
}

fn valid_date_range() -> impl Strategy<Value = DateCase> {
    (
        prop_oneof![
            // 2026 and around it, and every four-digit year.
            738_000i32..741_000,
            1i32..=3_652_059
        ],
        prop_oneof![Just(0u64), 0u64..3, 0u64..800],
        any::<bool>(),
        select(vec!["", " ", "\t"]),
        select(vec!["..", " .. ", "..\t", " .."]),
        select(vec!["", " ", "\n"]),
    )
        .prop_map(|(day, len, single, lead, sep, trail)| {
            let first = NaiveDate::from_num_days_from_ce_opt(day).unwrap();
            let last = first
                .checked_add_days(chrono::Days::new(len))
                .filter(|d| d.format("%Y").to_string().len() == 4)
                .unwrap_or(first);
            let f = first.format("%Y-%m-%d");
            let text = if first == last && single {
                format!("{lead}{f}{trail}")
            } else {
                format!("{lead}{f}{sep}{}{trail}", last.format("%Y-%m-%d"))
            };
            DateCase { text, first, last }
        })
}

fn weekday(i: u8) -> Weekday {
    Weekday::try_from(i).unwrap()
}

fn check_rule_case(case: &RuleCase) -> Result<WeeklyRule, TestCaseError> {
    let rule: WeeklyRule = case
        .text
        .parse()
        .map_err(|e| TestCaseError::fail(format!("{:?} did not parse: {e}", case.text)))?;
    for d in 0..7u8 {
        prop_assert_eq!(
            rule.days.contains(weekday(d)),
            case.mask & (1 << d) != 0,
            "{:?} day {}",
            case.text,
            d
        );
    }
    let want: Vec<DailySpan> = case
        .spans
        .iter()
        .map(|&(s, e)| DailySpan {
            start: ClockTime::from_minutes(s).unwrap(),
            end: ClockTime::from_minutes(e).unwrap(),
        })
        .collect();
    prop_assert_eq!(&rule.spans, &want, "{:?}", case.text);
    Ok(rule)
}

/// A team built directly (not from a file) with the shape `validate` produces: names trimmed, non-empty,
/// comma-free and unique ignoring ASCII case, `me` naming a member exactly.
fn valid_team() -> impl Strategy<Value = Team> {
    let member = (
        "[A-Za-z0-9 _.'\"\\\\#=é日\u{1F600}-]{1,12}",
        select(chrono_tz::TZ_VARIANTS.to_vec()),
        prop::collection::vec(valid_rule(), 0..3),
        prop::collection::vec(valid_rule(), 0..2),
        prop::collection::vec(valid_date_range(), 0..3),
    );
    (
        "[A-Za-z0-9 _.'\"\\\\#=\n\té日-]{1,16}",
        prop::collection::vec(member, 1..5),
        any::<Option<Index>>(),
    )
        .prop_filter_map("names must be valid", |(name, members, me)| {
            let name = name.trim().to_string();
            if name.is_empty() {
                return None;
            }
            let mut seen: Vec<String> = Vec::new();
            let mut out = Vec::new();
            for (mname, time_zone, hours, focus, days_off) in members {
                let mname = mname.trim().to_string();
                let key = mname.to_ascii_lowercase();
                if mname.is_empty() || seen.contains(&key) {
                    continue;
                }
                seen.push(key);
                let parse = |cases: Vec<RuleCase>| -> Vec<WeeklyRule> {
                    cases.iter().map(|c| c.text.parse().unwrap()).collect()
                };
                out.push(Member {
                    name: mname,
                    time_zone,
                    hours: parse(hours),
                    focus: parse(focus),
                    days_off: days_off
                        .into_iter()
                        .map(|d| DateRange {
                            first: d.first,
                            last: d.last,
                        })
                        .collect(),
                    holidays: None,
                    travel: vec![],
                    calendar: None,
                    busy: Default::default(),
                });
            }
            if out.is_empty() {
                return None;
            }
            let me = me.map(|i| out[i.index(out.len())].name.clone());
            Some(Team {
                name,
                me,
                members: out,
            })
        })
}

proptest! {
    #![proptest_config(config(1024))]

    #[test]
    fn weekly_rule_text_round_trips(case in valid_rule()) {
        let rule = check_rule_case(&case)?;
        let canonical = rule.to_string();
        prop_assert_eq!(canonical.parse::<WeeklyRule>(), Ok(rule.clone()), "{:?}", canonical);
        // Display is canonical: two spellings of one rule print the same.
        prop_assert_eq!(canonical.parse::<WeeklyRule>().unwrap().to_string(), canonical);
    }

    #[test]
    fn date_range_text_round_trips(case in valid_date_range()) {
        let range: DateRange = case
            .text
            .parse()
            .map_err(|e| TestCaseError::fail(format!("{:?} did not parse: {e}", case.text)))?;
        prop_assert_eq!(range, DateRange { first: case.first, last: case.last });
        prop_assert_eq!(range.to_string().parse::<DateRange>(), Ok(range));
    }
}

proptest! {
    #![proptest_config(config(128))]

    #[test]
    fn generated_team_round_trips(n in 1usize..6, seed in any::<u64>()) {
        let team = sample::generate(n, seed);
        let toml_text = team.to_toml_string();
        let again = Team::from_toml_str(&toml_text, "gen.toml");
        prop_assert_eq!(again.as_ref().ok(), Some(&team), "{:?}\n{}", again.as_ref().err(), toml_text);
        let json_text = team.to_json_string();
        let again = Team::from_json_str(&json_text, "gen.json");
        prop_assert_eq!(again.as_ref().ok(), Some(&team), "{:?}\n{}", again.as_ref().err(), json_text);
    }

    #[test]
    fn arbitrary_team_round_trips(team in valid_team()) {
        let toml_text = team.to_toml_string();
        let again = Team::from_toml_str(&toml_text, "gen.toml");
        prop_assert_eq!(again.as_ref().ok(), Some(&team), "{:?}\n{}", again.as_ref().err(), toml_text);
        let json_text = team.to_json_string();
        let again = Team::from_json_str(&json_text, "gen.json");
        prop_assert_eq!(again.as_ref().ok(), Some(&team), "{:?}\n{}", again.as_ref().err(), json_text);
    }
}

// ---------------------------------------------------------------------------------------------------------
// 4. Expansion invariants.
// ---------------------------------------------------------------------------------------------------------

fn zones() -> impl Strategy<Value = Tz> {
    use chrono_tz::{America, Asia, Australia, Europe, Pacific};
    select(vec![
        America::New_York,
        Europe::London,
        Australia::Lord_Howe,
        Pacific::Chatham,
        Asia::Kathmandu,
        // Zones whose clocks change at midnight, and one that skipped a day (in 2011, outside 2026).
        America::Havana,
        America::Santiago,
        Asia::Beirut,
        Pacific::Apia,
        Europe::Dublin,
    ])
}

/// A span starting anywhere in 2026 and lasting from a minute to ten days.
fn span_2026() -> impl Strategy<Value = Interval> {
    (0i64..365 * 1440, 1i64..=10 * 1440, any::<bool>()).prop_map(|(start, len, whole_days)| {
        let len = if whole_days {
            (len / 1440).max(1) * 1440
        } else {
            len
        };
        Interval::new(at(start), at(start + len)).unwrap()
    })
}

fn check_schedule(member: &Member, span: Interval) -> Result<(), TestCaseError> {
    let s = member.expand(span);
    for set in [&s.working, &s.focus] {
        check_normalised(set)?;
        if let (Some(first), Some(last)) = (set.intervals().first(), set.intervals().last()) {
            prop_assert!(
                span.start <= first.start && last.end <= span.end,
                "{set:?} outside {span:?}"
            );
        }
    }
    for w in s.shifts.windows(2) {
        prop_assert!(
            w[0].interval.start <= w[1].interval.start,
            "shifts not sorted"
        );
    }
    for sh in &s.shifts {
        prop_assert!(sh.interval.start < sh.interval.end, "empty shift {sh:?}");
        prop_assert!(
            sh.interval.intersection(&span).is_some(),
            "{sh:?} misses {span:?}"
        );
        prop_assert!(
            !member.days_off.iter().any(|d| d.contains(sh.date)),
            "{sh:?} is on a day off"
        );
    }
    let union: IntervalSet = s.shifts.iter().map(|sh| sh.interval).collect();
    prop_assert_eq!(
        &s.working,
        &union.clip(span),
        "working is the shifts clipped to the span"
    );
    Ok(())
}

proptest! {
    #![proptest_config(config(256))]

    #[test]
    fn expansion_stays_in_span_and_is_normalised(
        tz in zones(),
        hours in prop::collection::vec(valid_rule(), 0..3),
        focus in prop::collection::vec(valid_rule(), 0..2),
        days_off in prop::collection::vec(
            (0i64..370, 0u64..3).prop_map(|(d, len)| {
                let first = NaiveDate::from_ymd_opt(2026, 1, 1).unwrap() + Duration::days(d - 2);
                DateRange { first, last: first + chrono::Days::new(len) }
            }),
            0..3,
        ),
        span in span_2026(),
    ) {
        let parse = |cases: &[RuleCase]| -> Vec<WeeklyRule> {
            cases.iter().map(|c| c.text.parse().unwrap()).collect()
        };
        let member = Member {
            name: "m".into(),
            time_zone: tz,
            hours: parse(&hours),
            focus: parse(&focus),
            days_off,
            holidays: None,
            travel: vec![],
            calendar: None,
            busy: Default::default(),
        };
        check_schedule(&member, span)?;
    }

    #[test]
    fn whole_days_cover_the_span_exactly(
        tz in zones(),
        hours in select(vec!["daily 00:00-24:00", "daily 00:00-00:00", "mon-sun 0:00-24:00", "fri-thu 00:00-12:00, 12:00-24:00"]),
        span in span_2026(),
    ) {
        let member = Member {
            name: "m".into(),
            time_zone: tz,
            hours: vec![hours.parse().unwrap()],
            focus: vec![],
            days_off: vec![],
            holidays: None,
            travel: vec![],
            calendar: None,
            busy: Default::default(),
        };
        check_schedule(&member, span)?;
        let s = member.expand(span);
        prop_assert_eq!(s.working.intervals(), &[span][..], "{} in {}", hours, tz);
    }
}
