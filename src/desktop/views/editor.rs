//! The team editor: a teammate as text fields ([`MemberDraft`]), saved or removed only when the whole
//! team stays valid. Every problem comes back with its field, for an inline message beside it.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::FieldProblem;
use crate::team::{MemberFile, Team, TeamFile, TripFile};

/// A teammate as the editor edits it: the team file's fields, as text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export_to = "bindings.ts")]
pub struct MemberDraft {
    /// Name.
    pub name: String,
    /// IANA zone.
    pub time_zone: String,
    /// Weekly hours, one spec per entry.
    pub hours: Vec<String>,
    /// Weekly focus blocks.
    pub focus: Vec<String>,
    /// Days off and ranges.
    pub days_off: Vec<String>,
    /// Public-holiday region (`"DE-BY"`); blank for none. Absent: the member keeps the region it has,
    /// so a form without this field never drops it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub holidays: Option<String>,
    /// Trips. Absent: the member keeps the trips it has.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub travel: Option<Vec<TripDraft>>,
}

/// One trip as the editor edits it: local dates (`YYYY-MM-DD`, inclusive) and an IANA zone.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export_to = "bindings.ts")]
pub struct TripDraft {
    /// First local date.
    pub from: String,
    /// Last local date, inclusive.
    pub to: String,
    /// IANA zone worked in on those dates.
    pub time_zone: String,
}

impl From<MemberFile> for MemberDraft {
    fn from(m: MemberFile) -> Self {
        MemberDraft {
            name: m.name,
            time_zone: m.time_zone,
            hours: m.hours,
            focus: m.focus,
            days_off: m.days_off,
            // Absent rather than empty when the member has none, so the payload of a team without
            // holidays or travel is what it was before they existed.
            holidays: m.holidays,
            travel: (!m.travel.is_empty()).then(|| {
                m.travel
                    .into_iter()
                    .map(|t| TripDraft {
                        from: t.from,
                        to: t.to,
                        time_zone: t.time_zone,
                    })
                    .collect()
            }),
        }
    }
}

/// The team as the editor shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export_to = "bindings.ts")]
pub struct TeamDraft {
    /// Team name.
    pub name: String,
    /// Me.
    pub me: Option<String>,
    /// Members in order.
    pub members: Vec<MemberDraft>,
}

impl From<&Team> for TeamDraft {
    fn from(team: &Team) -> Self {
        let file = team.to_file();
        TeamDraft {
            name: file.name,
            me: file.me,
            members: file.members.into_iter().map(Into::into).collect(),
        }
    }
}

/// The team with `draft` saved: replacing the member named `original` (case-insensitively), or added at
/// the end when `original` is `None`. Every problem of the draft comes back, field by field.
pub fn save_member(
    team: &Team,
    original: Option<&str>,
    draft: MemberDraft,
) -> Result<Team, Vec<FieldProblem>> {
    let mut file: TeamFile = team.to_file();
    let existing = original.and_then(|old| {
        file.members
            .iter()
            .find(|m| m.name.eq_ignore_ascii_case(old))
            .cloned()
    });
    let holidays = match draft.holidays {
        Some(h) => Some(h.trim().to_string()).filter(|h| !h.is_empty()),
        None => existing.as_ref().and_then(|m| m.holidays.clone()),
    };
    let travel = match draft.travel {
        Some(trips) => trips
            .into_iter()
            .map(|t| TripFile {
                from: t.from.trim().to_string(),
                to: t.to.trim().to_string(),
                time_zone: t.time_zone.trim().to_string(),
            })
            .collect(),
        None => existing
            .as_ref()
            .map(|m| m.travel.clone())
            .unwrap_or_default(),
    };
    let member = MemberFile {
        name: draft.name.trim().to_string(),
        time_zone: draft.time_zone.trim().to_string(),
        hours: non_blank(draft.hours),
        focus: non_blank(draft.focus),
        days_off: non_blank(draft.days_off),
        holidays,
        travel,
        calendar: existing.as_ref().and_then(|m| m.calendar.clone()),
    };
    let renamed_me = match original {
        Some(old) => {
            let Some(i) = file
                .members
                .iter()
                .position(|m| m.name.eq_ignore_ascii_case(old))
            else {
                return Err(vec![FieldProblem {
                    field: "name".into(),
                    message: format!("there is no teammate named '{old}' any more"),
                    suggestions: vec![],
                }]);
            };
            file.members[i] = member.clone();
            file.me
                .as_deref()
                .is_some_and(|me| me.eq_ignore_ascii_case(old))
        }
        None => {
            file.members.push(member.clone());
            false
        }
    };
    if renamed_me {
        file.me = Some(member.name.clone());
    }
    file.validate(None).map_err(|problems| {
        problems
            .into_iter()
            .filter(|p| p.member.as_deref() == Some(member.name.as_str()) || p.member.is_none())
            .map(FieldProblem::from)
            .collect()
    })
}

/// The team without the member named `name`. Removing `me` clears `me`.
pub fn remove_member(team: &Team, name: &str) -> Result<Team, FieldProblem> {
    let mut file = team.to_file();
    let before = file.members.len();
    file.members.retain(|m| !m.name.eq_ignore_ascii_case(name));
    if file.members.len() == before {
        return Err(FieldProblem {
            field: "name".into(),
            message: format!("there is no teammate named '{name}'"),
            suggestions: vec![],
        });
    }
    if file
        .me
        .as_deref()
        .is_some_and(|me| me.eq_ignore_ascii_case(name))
    {
        file.me = None;
    }
    file.validate(None)
        .map_err(|mut p| FieldProblem::from(p.remove(0)))
}

fn non_blank(v: Vec<String>) -> Vec<String> {
    v.into_iter()
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::desktop::views::fixtures::team;

    #[test]
    fn editor_saves_renames_and_reports_fields() {
        let t = team();
        let mut draft: MemberDraft = t.to_file().members[0].clone().into();
        draft.name = "Ana B".into();
        let saved = save_member(&t, Some("ana"), draft.clone()).unwrap();
        assert_eq!(saved.me.as_deref(), Some("Ana B"), "renaming me keeps me");
        draft.time_zone = "Europe/Lodnon".into();
        draft.hours = vec!["mon-fri 09:00-17:00".into(), "funday 10-12".into()];
        let problems = save_member(&t, Some("Ana"), draft).unwrap_err();
        let fields: Vec<&str> = problems.iter().map(|p| p.field.as_str()).collect();
        assert_eq!(fields, vec!["time_zone", "hours[1]"]);
        assert!(problems[0]
            .suggestions
            .contains(&"Europe/London".to_string()));
        let dup = MemberDraft {
            name: "bo".into(),
            time_zone: "UTC".into(),
            hours: vec![],
            focus: vec![],
            days_off: vec![],
            holidays: None,
            travel: None,
        };
        assert_eq!(save_member(&t, None, dup).unwrap_err()[0].field, "name");
        let without = remove_member(&t, "Ana").unwrap();
        assert_eq!(without.me, None);
        assert_eq!(remove_member(&t, "Zed").unwrap_err().field, "name");
    }

    #[test]
    fn a_draft_without_holidays_or_travel_keeps_them_and_a_blank_clears_them() {
        let t = team();
        let mut draft: MemberDraft = t.to_file().members[0].clone().into();
        assert_eq!((&draft.holidays, &draft.travel), (&None, &None));
        draft.holidays = Some("de-by".into());
        draft.travel = Some(vec![TripDraft {
            from: "2027-02-01".into(),
            to: "2027-02-14".into(),
            time_zone: "Asia/Tokyo".into(),
        }]);
        let with = save_member(&t, Some("Ana"), draft.clone()).unwrap();
        let ana = &with.members[0];
        assert_eq!(ana.holidays.as_ref().map(|h| h.region()), Some("DE-BY"));
        assert_eq!(ana.travel.len(), 1);
        // What today's form sends: no holidays or travel fields at all.
        let form = MemberDraft {
            holidays: None,
            travel: None,
            ..draft.clone()
        };
        let kept = save_member(&with, Some("Ana"), form).unwrap();
        assert_eq!(kept.members[0], with.members[0], "nothing dropped");
        let cleared = MemberDraft {
            holidays: Some(" ".into()),
            travel: Some(vec![]),
            ..draft.clone()
        };
        let cleared = save_member(&with, Some("Ana"), cleared).unwrap();
        assert_eq!(cleared.members[0].holidays, None);
        assert!(cleared.members[0].travel.is_empty());
        draft.holidays = Some("DE-BX".into());
        let problems = save_member(&t, Some("Ana"), draft).unwrap_err();
        assert_eq!(problems[0].field, "holidays");
        assert!(problems[0].suggestions.contains(&"DE-BY".to_string()));
    }
}
