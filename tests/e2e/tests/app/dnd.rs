//! The whole desktop's do-not-disturb, with the real dunst that `scripts/e2e.sh` runs on the private
//! session bus: a focus session pauses dunst (found by its server name) and its end unpauses it, from
//! the CLI with `baton daemon` running and from the tray; dunst paused before focus stays paused; a
//! runner killed during focus and started again before the end keeps it paused until the end, and
//! started after the end puts it back.
//!
//! Every test leaves dunst unpaused for the next one, whatever happens ([`Unpause`]).

use std::process::Command;

use anyhow::{ensure, Context as _, Result};

use crate::delivery::{always_working, cli_binary, dunst_missing, wait_listening, HOLD};
use crate::sandbox::{signal, Run};
use crate::tray::Tray;
use crate::webdriver::MainWindow;
use crate::{STARTUP, UI};

/// Whether dunst says it is paused.
fn paused() -> Result<bool> {
    let out = Command::new("dunstctl").arg("is-paused").output()?;
    ensure!(out.status.success(), "dunstctl is-paused failed: {out:?}");
    match String::from_utf8_lossy(&out.stdout).trim() {
        "true" => Ok(true),
        "false" => Ok(false),
        other => anyhow::bail!("dunstctl is-paused printed {other:?}"),
    }
}

pub fn set_paused(on: bool) -> Result<()> {
    let status = Command::new("dunstctl")
        .args(["set-paused", if on { "true" } else { "false" }])
        .status()?;
    ensure!(status.success(), "dunstctl set-paused failed: {status}");
    Ok(())
}

/// Waits until dunst's paused state is `want`.
async fn wait_paused(want: bool, what: &str) -> Result<()> {
    crate::eventually(what, UI, async || match paused() {
        Ok(p) if p == want => Ok(()),
        Ok(p) => Err(format!("paused: {p}")),
        Err(e) => Err(e.to_string()),
    })
    .await
}

/// Unpauses dunst when dropped, so a failing test does not leave the next one silenced.
pub struct Unpause;

impl Drop for Unpause {
    fn drop(&mut self) {
        let _ = set_paused(false);
    }
}

/// Starts `baton daemon` on the run's database and waits until it serves.
async fn daemon(run: &Run, log: &str) -> Result<u32> {
    let pid = run.spawn(
        Command::new(cli_binary())
            .arg("--db")
            .arg(&run.db)
            .arg("daemon"),
        log,
    )?;
    wait_listening(run).await?;
    Ok(pid)
}

/// Starts a run whose `me` works around the clock, with dunst unpaused.
async fn setup(name: &str) -> Result<(Run, Unpause)> {
    set_paused(false)?;
    let run = Run::new(name).await?;
    always_working(&run)?;
    Ok((run, Unpause))
}

#[tokio::test]
async fn focus_from_the_cli_pauses_dunst_until_it_ends() -> Result<()> {
    if dunst_missing("focus_from_the_cli_pauses_dunst_until_it_ends") {
        return Ok(());
    }
    let (run, _unpause) = setup("dnd-cli").await?;
    daemon(&run, "daemon.log").await?;
    ensure!(!paused()?, "dunst is not paused before focus");
    run.cli(&["focus", "start", "--minutes", "30"])?;
    wait_paused(true, "dunst paused by the focus session").await?;
    let status = run.cli(&["focus", "status"])?;
    ensure!(
        status.contains("do not disturb: dunst"),
        "focus status names the backend: {status}"
    );
    run.cli(&["focus", "stop"])?;
    wait_paused(false, "dunst unpaused when focus ends").await?;
    Ok(())
}

#[tokio::test]
async fn focus_from_the_tray_pauses_dunst_until_it_ends() -> Result<()> {
    if dunst_missing("focus_from_the_tray_pauses_dunst_until_it_ends") {
        return Ok(());
    }
    let (run, _unpause) = setup("dnd-tray").await?;
    MainWindow::session(&run, async |w| {
        let tray = Tray::of(run.tray_pid().await?, STARTUP).await?;
        ensure!(!paused()?, "dunst is not paused before focus");
        tray.click("Focus 25 min").await?;
        wait_paused(true, "dunst paused by the tray's session").await?;
        w.click("[data-testid=nav-focus]").await?;
        w.click("[data-testid=focus-stop]").await?;
        wait_paused(false, "dunst unpaused when focus stops").await?;
        Ok(())
    })
    .await
}

/// Ending the tray as a logout does (SIGTERM) during focus puts dunst back.
#[tokio::test]
async fn the_tray_ended_during_focus_unpauses_dunst() -> Result<()> {
    if dunst_missing("the_tray_ended_during_focus_unpauses_dunst") {
        return Ok(());
    }
    let (run, _unpause) = setup("dnd-tray-ended").await?;
    MainWindow::session(&run, async |_| {
        let tray = Tray::of(run.tray_pid().await?, STARTUP).await?;
        tray.click("Focus 25 min").await?;
        wait_paused(true, "dunst paused by the tray's session").await?;
        Ok(())
    })
    .await?;
    run.end_app(STARTUP).await?;
    ensure!(
        !paused()?,
        "the tray put dunst back before it exited (focus still runs)"
    );
    Ok(())
}

#[tokio::test]
async fn dunst_paused_before_focus_stays_paused_after_it() -> Result<()> {
    if dunst_missing("dunst_paused_before_focus_stays_paused_after_it") {
        return Ok(());
    }
    let (run, _unpause) = setup("dnd-already").await?;
    daemon(&run, "daemon.log").await?;
    set_paused(true)?;
    run.cli(&["focus", "start", "--minutes", "30"])?;
    crate::eventually("focus status to see the session", UI, async || {
        let s = run.cli(&["focus", "status"]).map_err(|e| e.to_string())?;
        if s.contains("on already") {
            Ok(())
        } else {
            Err(s)
        }
    })
    .await?;
    run.cli(&["focus", "stop"])?;
    tokio::time::sleep(HOLD).await;
    ensure!(paused()?, "the user's pause is left as found");
    Ok(())
}

#[tokio::test]
async fn a_killed_runner_keeps_dunst_paused_until_the_end_and_restores_it_after() -> Result<()> {
    if dunst_missing("a_killed_runner_keeps_dunst_paused_until_the_end_and_restores_it_after") {
        return Ok(());
    }
    let (run, _unpause) = setup("dnd-killed").await?;
    let first = daemon(&run, "daemon-1.log").await?;
    run.cli(&["focus", "start", "--minutes", "30"])?;
    wait_paused(true, "dunst paused by the focus session").await?;

    // Killed during focus, started again before its end: dunst stays paused.
    signal("-KILL", &first.to_string());
    run.exit_status(first, STARTUP).await?;
    ensure!(paused()?, "still paused after the kill");
    let second = daemon(&run, "daemon-2.log").await?;
    tokio::time::sleep(HOLD).await;
    ensure!(
        paused()?,
        "the restarted runner keeps the pause while focus runs"
    );

    // Killed again, the session stopped while no runner runs, then started: dunst is put back.
    signal("-KILL", &second.to_string());
    run.exit_status(second, STARTUP).await?;
    run.cli(&["focus", "stop"])?;
    ensure!(paused()?, "nobody has restored it yet");
    daemon(&run, "daemon-3.log").await?;
    wait_paused(
        false,
        "the next start restores dunst after the focus is over",
    )
    .await
    .context("restored after the end")?;
    Ok(())
}
