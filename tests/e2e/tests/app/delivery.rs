//! Delivery to a real notification daemon: `baton daemon` (the release CLI, no desktop app) shows a
//! digest through D-Bus to dunst, which `scripts/e2e.sh` runs on the private session bus.
//!
//! dunst lists a notification in `dunstctl history` only once it is closed, so each look closes
//! everything on screen first. Skipped, with a message, when `dunstctl` is not installed.

use std::path::PathBuf;
use std::process::Command;
use std::time::Duration;

use anyhow::{Context as _, Result};
use serde_json::Value;

use crate::sandbox::Run;

/// How long a delivery may take to reach dunst (it takes milliseconds; this is for a loaded machine).
const DELIVERY: Duration = Duration::from_secs(15);
/// How long the daemon is given to show an item it must hold: well past the intake's ping and the
/// database watcher's settling.
pub const HOLD: Duration = Duration::from_secs(2);

/// Whether dunst's control program is here; a test that needs it says so and skips when it is not.
pub fn dunst_missing(test: &str) -> bool {
    let missing = Command::new("dunstctl").arg("--help").output().is_err();
    if missing {
        eprintln!("SKIPPED {test}: dunstctl is not installed");
    }
    missing
}

/// Closes what dunst shows, then returns the summaries and bodies of its history from `Baton`.
pub fn dunst_history() -> Result<Vec<(String, String)>> {
    let _ = Command::new("dunstctl").arg("close-all").status();
    let out = Command::new("dunstctl").arg("history").output()?;
    anyhow::ensure!(out.status.success(), "dunstctl history failed: {out:?}");
    let history: Value = serde_json::from_slice(&out.stdout).context("dunstctl history JSON")?;
    let field = |n: &Value, k: &str| n[k]["data"].as_str().unwrap_or_default().to_string();
    Ok(history["data"]
        .as_array()
        .into_iter()
        .flatten()
        .flat_map(|page| page.as_array().into_iter().flatten())
        .filter(|n| field(n, "appname") == "Baton")
        .map(|n| (field(n, "summary"), field(n, "body")))
        .collect())
}

pub fn cli_binary() -> PathBuf {
    std::env::var_os("BATON_CLI")
        .map(PathBuf::from)
        .unwrap_or_else(|| crate::sandbox::repo().join("target/release/baton"))
}

/// Fails when dunst has shown a notification naming `title`.
pub fn never_shown(title: &str) -> Result<()> {
    let seen = dunst_history()?;
    anyhow::ensure!(
        !seen
            .iter()
            .any(|(s, b)| s.contains(title) || b.contains(title)),
        "held, yet shown: {seen:?}"
    );
    Ok(())
}

/// Waits until dunst has shown a notification whose body names `title`; returns its summary and body.
pub async fn shown(title: &str) -> Result<(String, String)> {
    crate::eventually(
        "the notification in dunst's history",
        DELIVERY,
        async || {
            let seen = dunst_history().map_err(|e| e.to_string())?;
            seen.iter()
                .find(|(_, body)| body.contains(title))
                .cloned()
                .ok_or_else(|| format!("{seen:?}"))
        },
    )
    .await
}

/// Gives the run's database a team whose `me` works around the clock in UTC (so only focus holds
/// anything, whenever the test runs), the `instant` cadence and a free intake port.
pub fn always_working(run: &Run) -> Result<()> {
    let team = run.dir.join("team.toml");
    std::fs::write(
        &team,
        "name = \"E2E\"\nme = \"me\"\n[[members]]\nname = \"Me\"\ntime_zone = \"UTC\"\n\
         hours = [\"daily 00:00-24:00\"]\n",
    )?;
    run.cli(&["team", "import", &team.display().to_string()])?;
    run.cli(&["settings", "set", "digest_cadence", "instant"])?;
    let port = std::net::TcpListener::bind("127.0.0.1:0")?
        .local_addr()?
        .port();
    run.cli(&["settings", "set", "intake_port", &port.to_string()])?;
    Ok(())
}

/// Waits until a Baton (the daemon or the desktop app) answers on the run's intake port.
pub async fn wait_listening(run: &Run) -> Result<()> {
    crate::eventually("Baton's intake to listen", crate::STARTUP, async || {
        let info: Value = serde_json::from_str(
            &run.cli(&["--json", "intake", "info"])
                .map_err(|e| e.to_string())?,
        )
        .map_err(|e| e.to_string())?;
        match info["listening"].as_str() {
            Some("baton") => Ok(()),
            other => Err(format!("listening: {other:?}")),
        }
    })
    .await
}

/// An item posted in focus stays off the screen; when the focus session is stopped, a digest naming it
/// arrives.
#[tokio::test]
async fn a_digest_reaches_dunst_when_focus_ends() -> Result<()> {
    if dunst_missing("a_digest_reaches_dunst_when_focus_ends") {
        return Ok(());
    }
    let run = Run::new("delivery-dunst").await?;
    always_working(&run)?;
    run.cli(&["focus", "start", "--minutes", "30"])?;
    run.spawn(
        Command::new(cli_binary())
            .arg("--db")
            .arg(&run.db)
            .arg("daemon"),
        "daemon.log",
    )?;
    wait_listening(&run).await?;
    let title = format!("Deploy {} finished", std::process::id());
    let posted = run.cli(&["notify", "--source", "e2e", "--title", &title])?;
    anyhow::ensure!(
        posted.contains("with the running Baton"),
        "posted to the daemon: {posted}"
    );
    tokio::time::sleep(HOLD).await;
    never_shown(&title)?;

    run.cli(&["focus", "stop"])?;
    let digest = shown(&title).await?;
    anyhow::ensure!(
        digest
            == (
                "Focus ended: 1 held notification".into(),
                format!("e2e: {title}")
            ),
        "the digest: {digest:?}"
    );
    let inbox: Value = serde_json::from_str(&run.cli(&["--json", "inbox"])?)?;
    anyhow::ensure!(
        inbox["entries"][0]["state"] == "delivered",
        "marked delivered: {inbox}"
    );
    Ok(())
}
