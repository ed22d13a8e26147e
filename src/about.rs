//! What this build of Baton is: its version, the commit it was built from, and the version of the
//! IANA time-zone database compiled in (chrono-tz embeds the tables at build time, so a zone rule
//! changed after that release is unknown to this build until it is rebuilt). `baton --version`, the
//! app's About line in Settings and bug reports all print the same line.

use std::sync::LazyLock;

use serde::Serialize;
use ts_rs::TS;

/// The version of Baton (the same for the CLI, the tray and the window).
pub const VERSION: &str = env!("CARGO_PKG_VERSION");

/// The commit this build comes from (12 hex digits), or "unknown" for a build outside git.
pub const COMMIT: &str = env!("BATON_COMMIT");

/// The IANA time-zone database release compiled in, e.g. `2025b`.
pub const TZ_DATABASE: &str = chrono_tz::IANA_TZDB_VERSION;

static LINE: LazyLock<String> =
    LazyLock::new(|| format!("{VERSION} (commit {COMMIT}, time-zone database {TZ_DATABASE})"));

/// The version line: `0.1.0 (commit 5b7f810c1a2b, time-zone database 2025b)`.
pub fn version_line() -> &'static str {
    LINE.as_str()
}

/// This build as the app's About line shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export_to = "bindings.ts")]
pub struct About {
    /// Baton's version.
    pub version: String,
    /// The commit it was built from.
    pub commit: String,
    /// The time-zone database release compiled in.
    pub tz_database: String,
    /// All three in one line, as `baton --version` prints them after the name.
    pub line: String,
}

/// This build.
pub fn about() -> About {
    About {
        version: VERSION.to_owned(),
        commit: COMMIT.to_owned(),
        tz_database: TZ_DATABASE.to_owned(),
        line: version_line().to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_line_names_the_version_the_commit_and_the_tz_database() {
        let line = version_line();
        assert!(line.starts_with(&format!("{VERSION} (commit ")), "{line}");
        assert!(
            line.ends_with(&format!("time-zone database {TZ_DATABASE})")),
            "{line}"
        );
        // A tz release is four digits and a letter, e.g. 2025b.
        assert_eq!(TZ_DATABASE.len(), 5, "{TZ_DATABASE}");
        assert!(
            TZ_DATABASE[..4].chars().all(|c| c.is_ascii_digit()),
            "{TZ_DATABASE}"
        );
        assert!(
            TZ_DATABASE.ends_with(|c: char| c.is_ascii_lowercase()),
            "{TZ_DATABASE}"
        );
        // Built inside this git checkout, the commit is a real abbreviated hash.
        assert!(
            COMMIT == "unknown"
                || (COMMIT.len() == 12 && COMMIT.chars().all(|c| c.is_ascii_hexdigit())),
            "{COMMIT}"
        );
        assert_eq!(about().line, line);
    }
}
