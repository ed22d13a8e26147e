//! The desktop app's own notification path, end to end: its tray process takes an item in over
//! loopback HTTP, holds it in focus, counts it in the tray menu, the window's Inbox lists it, and the
//! tray's "Deliver now" shows it through dunst.

use anyhow::{ensure, Result};
use serde_json::Value;

use crate::delivery::{always_working, dunst_missing, never_shown, shown, wait_listening, HOLD};
use crate::sandbox::{self, Run};
use crate::tray::Tray;
use crate::webdriver::MainWindow;
use crate::{STARTUP, UI};

const HELD_TITLE: &str = "[data-testid=inbox-held] [data-testid=inbox-title]";
const BATCH_LABEL: &str = "[data-testid=inbox-batch-label]";
const DELIVERED: &str = "[data-testid=inbox-delivered]";

/// Posted while I am in focus, an item is held: the tray says "1 notification held", the Inbox shows
/// it in the batch that comes at the end of focus, and dunst shows nothing. "Deliver now" in the tray
/// shows it as one notification, and the Inbox moves it to delivered.
#[tokio::test]
async fn a_held_notification_is_listed_and_delivered_from_the_tray() -> Result<()> {
    if dunst_missing("a_held_notification_is_listed_and_delivered_from_the_tray") {
        return Ok(());
    }
    let run = Run::new("inbox-desktop").await?;
    always_working(&run)?;
    run.cli(&["focus", "start", "--minutes", "30"])?;
    let title = format!("Nightly {} is red", std::process::id());
    let (held_line, batch, listed, popup, delivered_line, after) =
        MainWindow::session(&run, async |w| {
            let tray = Tray::of(run.tray_pid().await?, STARTUP).await?;
            wait_listening(&run).await?;
            let posted = run.cli(&["notify", "--source", "ci", "--title", &title])?;
            ensure!(
                posted.contains("with the running Baton"),
                "posted to the desktop app: {posted}"
            );
            let held_line = tray
                .wait_for("'1 notification held'", UI, |l| l == "1 notification held")
                .await?;

            w.click("[data-testid=nav-inbox]").await?;
            let listed = w
                .wait_text(HELD_TITLE, "the held item", |t| t == title)
                .await?;
            // The label is drawn in capitals (CSS), which is what WebDriver reads.
            let batch = w
                .wait_text(BATCH_LABEL, "its batch", |t| !t.is_empty())
                .await?;
            w.screenshot(&sandbox::artifacts().join("inbox-view.png"))
                .await?;
            tokio::time::sleep(HOLD).await;
            never_shown(&title)?;

            tray.click("Deliver now").await?;
            let popup = shown(&title).await?;
            let delivered_line = w
                .wait_text(DELIVERED, "the item as delivered", |t| t.contains(&title))
                .await?;
            let after = tray
                .wait_for("'No notifications held'", UI, |l| {
                    l == "No notifications held"
                })
                .await?;
            Ok((held_line, batch, listed, popup, delivered_line, after))
        })
        .await?;

    assert_eq!(held_line, "1 notification held");
    assert!(
        batch.to_lowercase().starts_with("end of focus ·"),
        "held in focus, the item waits for the end of focus: {batch:?}"
    );
    assert_eq!(listed, title);
    let (summary, body) = popup;
    assert_eq!(
        (summary.as_str(), body.as_str()),
        (
            "Baton: 1 held notification",
            format!("ci: {title}").as_str()
        ),
        "one notification for the one item"
    );
    assert!(delivered_line.contains(&title), "{delivered_line:?}");
    assert_eq!(after, "No notifications held");
    let inbox: Value = serde_json::from_str(&run.cli(&["--json", "inbox"])?)?;
    assert_eq!(
        inbox["entries"][0]["state"], "delivered",
        "stored as delivered: {inbox}"
    );
    Ok(())
}

/// The digest at the end of focus carries "Open Inbox": invoking it in dunst (as a click would) brings
/// the window to its Inbox, where the delivered item is listed.
#[tokio::test]
async fn the_digest_opens_the_inbox_from_dunst() -> Result<()> {
    if dunst_missing("the_digest_opens_the_inbox_from_dunst") {
        return Ok(());
    }
    // Shown, not queued: dunst must not be paused (a session's do-not-disturb ends before the digest).
    crate::dnd::set_paused(false)?;
    let _unpause = crate::dnd::Unpause;
    let run = Run::new("digest-action").await?;
    always_working(&run)?;
    run.cli(&["focus", "start", "--minutes", "30"])?;
    let title = format!("Backup {} done", std::process::id());
    let (before, listed) = MainWindow::session(&run, async |w| {
        w.wait_for("[data-testid=nav-calendar][aria-selected=true]")
            .await?;
        wait_listening(&run).await?;
        run.cli(&["notify", "--source", "backup", "--title", &title])?;
        tokio::time::sleep(HOLD).await;
        never_shown(&title)?;
        let before = w.all("[data-testid=nav-inbox][aria-selected=true]").await?;
        run.cli(&["focus", "stop"])?;
        displayed_in_dunst().await?;
        let acted = std::process::Command::new("dunstctl")
            .args(["action", "0"])
            .status()?;
        ensure!(acted.success(), "dunstctl action failed: {acted}");
        w.wait_for("[data-testid=nav-inbox][aria-selected=true]")
            .await?;
        let listed = w
            .wait_text(DELIVERED, "the item as delivered", |t| t.contains(&title))
            .await?;
        Ok((before.len(), listed))
    })
    .await?;
    assert_eq!(before, 0, "the window was on the calendar before");
    assert!(listed.contains(&title), "{listed:?}");
    let (summary, body) = shown(&title).await?;
    assert_eq!(summary, "Focus ended: 1 held notification");
    assert_eq!(body, format!("backup: {title}"));
    Ok(())
}

/// Waits until dunst has a notification on screen.
async fn displayed_in_dunst() -> Result<()> {
    crate::eventually("a notification on screen", UI, async || {
        let out = std::process::Command::new("dunstctl")
            .args(["count", "displayed"])
            .output()
            .map_err(|e| e.to_string())?;
        let n: u32 = String::from_utf8_lossy(&out.stdout)
            .trim()
            .parse()
            .map_err(|e| format!("dunstctl count: {e}"))?;
        if n > 0 {
            Ok(())
        } else {
            Err("none displayed".into())
        }
    })
    .await
}

/// An ntfy-style post (curl, as ntfy's documentation writes it) reaches the desktop app's own intake,
/// and its `Click` link becomes the notification's "Open": invoking it in dunst (as a click would) hands
/// the link to the desktop's opener. The opener here is a stand-in `xdg-open` on the app's PATH that
/// writes down what it was asked to open (no browser runs under the test's display).
#[tokio::test]
async fn an_ntfy_post_to_the_app_opens_its_link_from_dunst() -> Result<()> {
    use std::os::unix::fs::PermissionsExt as _;
    if dunst_missing("an_ntfy_post_to_the_app_opens_its_link_from_dunst") {
        return Ok(());
    }
    crate::dnd::set_paused(false)?;
    let _unpause = crate::dnd::Unpause;
    let run = Run::new("ntfy-open").await?;
    always_working(&run)?;
    // ntfy's top priority arrives as critical when the setting says so: shown at once.
    run.cli(&["settings", "set", "intake_top_priority", "critical"])?;
    let bin = run.dir.join("bin");
    std::fs::create_dir_all(&bin)?;
    let opened = run.dir.join("opened.txt");
    let opener = bin.join("xdg-open");
    std::fs::write(
        &opener,
        format!(
            "#!/bin/sh\nprintf '%s\\n' \"$1\" >> '{}'\n",
            opened.display()
        ),
    )?;
    std::fs::set_permissions(&opener, std::fs::Permissions::from_mode(0o755))?;
    let path = format!(
        "{}:{}",
        bin.display(),
        std::env::var("PATH").unwrap_or_default()
    );
    run.spawn(
        std::process::Command::new(&run.app).env("PATH", &path),
        "app.log",
    )?;
    wait_listening(&run).await?;
    let info: Value = serde_json::from_str(&run.cli(&["--json", "intake", "info"])?)?;
    let token_file = info["token_file"].as_str().unwrap_or_default().to_string();
    let token = std::fs::read_to_string(&token_file)?.trim().to_string();
    let marker = format!("replica {} is down", std::process::id());
    let link = format!("https://status.example/incident/{}", std::process::id());
    let out = std::process::Command::new("curl")
        .args(["-sS", "-u", &format!(":{token}"), "-H", "Title: Pager"])
        .args(["-H", "Priority: max", "-H", &format!("Click: {link}")])
        .args(["-d", &marker])
        .arg(format!("http://127.0.0.1:{}/pager", info["port"]))
        .output()?;
    ensure!(out.status.success(), "curl: {out:?}");
    let answer: Value = serde_json::from_slice(&out.stdout)?;
    ensure!(
        answer["event"] == "message" && answer["delivery"] == "now",
        "the app's answer: {answer}"
    );
    displayed_in_dunst().await?;
    let acted = std::process::Command::new("dunstctl")
        .args(["action", "0"])
        .status()?;
    ensure!(acted.success(), "dunstctl action failed: {acted}");
    let asked = crate::eventually("the link handed to the opener", UI, async || {
        std::fs::read_to_string(&opened).map_err(|e| e.to_string())
    })
    .await?;
    assert_eq!(
        asked.trim(),
        link,
        "the opener was asked for the item's link"
    );
    let (summary, body) = shown(&marker).await?;
    assert_eq!(summary, "Critical · pager: Pager");
    assert_eq!(body, marker);
    Ok(())
}
