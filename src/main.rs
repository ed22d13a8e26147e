//! `baton`: the command-line front end of the Baton core.
//!
//! A thin client: parse arguments, load the team (from the database or a `--team` file), call one core
//! query, print its report as a table or as JSON. Exit codes: 0 success, 2 bad usage or input (nothing
//! changed), 3 `baton notify` refused by the running Baton's rate limit (nothing stored; retry later),
//! 1 anything else (an unreadable database, say).

mod cli;

use std::io::Write;
use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    let args = match cli::Cli::try_parse() {
        Ok(a) => a,
        Err(e) => {
            // clap exits 2 for usage errors and 0 for --help / --version.
            let _ = e.print();
            return ExitCode::from(u8::try_from(e.exit_code()).unwrap_or(2));
        }
    };
    let mut out = std::io::stdout().lock();
    match cli::run(args, &mut out) {
        Ok(()) => {
            let _ = out.flush();
            ExitCode::SUCCESS
        }
        Err(cli::CliError::OutputClosed) => ExitCode::SUCCESS,
        Err(e) => {
            let _ = out.flush();
            eprintln!("baton: {e}");
            ExitCode::from(e.exit_code())
        }
    }
}
