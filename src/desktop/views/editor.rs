//! The team editor: a teammate as text fields ([`MemberDraft`]), saved or removed only when the whole
//! team stays valid. Every problem comes back with its field, for an inline message beside it.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::FieldProblem;
use crate::team::{MemberFile, Team, TeamFile};

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
}

impl From<MemberFile> for MemberDraft {
    fn from(m: MemberFile) -> Self {
        MemberDraft {
            name: m.name,
            time_zone: m.time_zone,
            hours: m.hours,
            focus: m.focus,
            days_off: m.days_off,
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
    let member = MemberFile {
        name: draft.name.trim().to_string(),
        time_zone: draft.time_zone.trim().to_string(),
        hours: non_blank(draft.hours),
        focus: non_blank(draft.focus),
        days_off: non_blank(draft.days_off),
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
        };
        assert_eq!(save_member(&t, None, dup).unwrap_err()[0].field, "name");
        let without = remove_member(&t, "Ana").unwrap();
        assert_eq!(without.me, None);
        assert_eq!(remove_member(&t, "Zed").unwrap_err().field, "name");
    }
}
