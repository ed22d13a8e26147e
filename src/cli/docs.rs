//! The CLI's shell completions and manual pages, generated from its own clap definitions so they
//! can never drift from what the parser accepts. The packages run `baton man --dir` and
//! `baton completions SHELL` from the release build they ship; a user can run the latter too.

use std::io::Write;
use std::path::Path;

use clap::CommandFactory;
use clap_complete::Shell;

use super::{Cli, CliError};

/// What `man 1 baton` adds after clap's sections: where Baton keeps its files and what it reads
/// from the environment.
const FILES_AND_ENVIRONMENT: &str = r#".SH FILES
.TP
\fI~/.local/share/baton/baton.db\fR
The database (the team, settings, focus sessions, notifications, calendars), readable by its owner
only. Removing the package leaves it in place.
.TP
\fI~/.local/share/baton/intake-token\fR
The bearer token of the local notification endpoint, readable by its owner only.
.TP
\fI~/.config/autostart/Baton.desktop\fR
Written by the tray's \fBStart at login\fR to start \fBbaton-tray\fR at login.
.SH ENVIRONMENT
.TP
\fBBATON_DB\fR
The database file, instead of the default (the same as \fB--db\fR).
.SH SEE ALSO
\fBbaton-desktop\fR(1), \fBbaton-tray\fR(1)
"#;

/// Prints the completion script for `shell` (bash, zsh, fish, elvish, powershell).
pub fn completions(shell: Shell, out: &mut impl Write) -> Result<(), CliError> {
    let mut cmd = Cli::command();
    // Into memory first: clap_complete panics when its writer fails (a closed pipe, say).
    let mut script = Vec::new();
    clap_complete::generate(shell, &mut cmd, "baton", &mut script);
    out.write_all(&script)?;
    Ok(())
}

/// Prints `baton.1`, or with `dir` writes it and one page per subcommand (`baton-hours.1`, ...).
pub fn man(dir: Option<&Path>, out: &mut impl Write) -> Result<(), CliError> {
    let cmd = Cli::command().disable_help_subcommand(true);
    let page = |cmd: clap::Command| -> Result<Vec<u8>, CliError> {
        let mut roff = Vec::new();
        clap_mangen::Man::new(cmd)
            .manual("Baton Manual")
            .source(format!("Baton {}", baton::about::VERSION))
            .render(&mut roff)
            .map_err(|e| CliError::System(format!("cannot render the manual page: {e}")))?;
        Ok(roff)
    };
    let Some(dir) = dir else {
        out.write_all(&page(cmd)?)?;
        out.write_all(FILES_AND_ENVIRONMENT.as_bytes())?;
        return Ok(());
    };
    let write = |name: &str, bytes: &[u8]| {
        std::fs::write(dir.join(name), bytes).map_err(|e| {
            CliError::System(format!("cannot write {}: {e}", dir.join(name).display()))
        })
    };
    let mut cmd = cmd;
    cmd.build();
    let mut top = page(cmd.clone())?;
    top.extend_from_slice(FILES_AND_ENVIRONMENT.as_bytes());
    write("baton.1", &top)?;
    let mut pending: Vec<clap::Command> = cmd.get_subcommands().cloned().collect();
    while let Some(sub) = pending.pop() {
        if sub.is_hide_set() {
            continue;
        }
        pending.extend(sub.get_subcommands().cloned());
        let name = sub
            .get_display_name()
            .unwrap_or_else(|| sub.get_name())
            .to_owned();
        write(&format!("{name}.1"), &page(sub)?)?;
    }
    Ok(())
}
