//! The first-run card in the real window, on a fresh database: a person says who they are ("I am not
//! in this team yet", then "Add me"), turns on start at login and sends a test notification (which
//! dunst shows), then closes the card. Each answer is found afterwards where it always lives: the `me`
//! setting and the stored team (read with the CLI), the XDG autostart entry that starts the tray, and
//! `first_run = done`, so a second start shows no card.

use std::fs;

use anyhow::{anyhow, Context as _, Result};
use serde_json::Value;

use crate::delivery::{dunst_missing, shown};
use crate::sandbox::{self, Run};
use crate::webdriver::MainWindow;

const CARD: &str = "[data-testid=welcome]";

/// The stored value of setting `key`, as `baton settings list --json` prints it.
fn setting(run: &Run, key: &str) -> Result<String> {
    let list: Value = serde_json::from_str(&run.cli(&["settings", "list", "--json"])?)?;
    list["settings"]
        .as_array()
        .and_then(|all| all.iter().find(|s| s["key"] == key))
        .and_then(|s| s["value"].as_str())
        .map(str::to_string)
        .ok_or_else(|| anyhow!("no setting {key} in {list}"))
}

#[tokio::test]
async fn the_first_run_card_saves_each_answer_as_a_setting() -> Result<()> {
    if dunst_missing("the_first_run_card_saves_each_answer_as_a_setting") {
        return Ok(());
    }
    let run = Run::new("welcome").await?;
    let (choices, added, login, test, me_row) = MainWindow::session(&run, async |w| {
        w.wait_for(&format!("{CARD}:not([hidden])"))
            .await
            .context("a fresh database opens with the first-run card")?;
        let choices = w
            .wait_attrs(
                "[data-testid=welcome-me] option",
                "value",
                "the members and 'not in this team'",
                |v| v.len() >= 7,
            )
            .await?;
        w.click("[data-testid=welcome-me] option[value='']").await?;
        w.fill("[data-testid=welcome-name]", "Zoe").await?;
        w.click("[data-testid=welcome-add]").await?;
        let added = w
            .wait_text(
                "[data-testid=welcome-me-status]",
                "'Added you as Zoe'",
                |t| t.contains("Added you as Zoe"),
            )
            .await?;
        let me_row = w
            .wait_attrs(
                ".cal-row.is-me",
                "data-member",
                "Zoe's row marked as me",
                |names| names.iter().any(|n| n == "Zoe"),
            )
            .await?;

        w.click("[data-testid=welcome-login]").await?;
        let login = w
            .wait_text(
                "[data-testid=welcome-login-status]",
                "start at login on",
                |t| !t.is_empty(),
            )
            .await?;
        w.click("[data-testid=welcome-test]").await?;
        let test = w
            .wait_text(
                "[data-testid=welcome-test-status]",
                "the test's answer",
                |t| !t.is_empty(),
            )
            .await?;
        // dunst keeps it in its history once closed; the screenshot shows the card, not the popup.
        let _ = std::process::Command::new("dunstctl")
            .arg("close-all")
            .status();
        w.screenshot(&sandbox::artifacts().join("welcome-card.png"))
            .await?;
        w.click("[data-testid=welcome-done]").await?;
        w.wait_for(&format!("{CARD}[hidden]"))
            .await
            .context("Done hides the card")?;
        Ok((choices, added, login, test, me_row))
    })
    .await?;

    assert_eq!(
        choices.last().map(String::as_str),
        Some(""),
        "the last choice is 'I am not in this team yet': {choices:?}"
    );
    assert!(added.contains("Zoe"), "{added:?}");
    assert_eq!(me_row, vec!["Zoe".to_string()], "Zoe, and only Zoe, is me");
    assert_eq!(login, "Baton starts when you log in.");
    assert!(
        test.starts_with("Sent to dunst"),
        "the test notification names the service that took it: {test:?}"
    );
    let (summary, _) = shown("This is how Baton brings you").await?;
    assert_eq!(summary, "Baton: notifications work");

    // The answers, where they live.
    assert_eq!(setting(&run, "me")?, "Zoe");
    assert_eq!(setting(&run, "first_run")?, "done");
    let team: Value = serde_json::from_str(&run.cli(&["team", "export", "--format", "json"])?)?;
    let zoe = team["members"]
        .as_array()
        .and_then(|ms| ms.iter().find(|m| m["name"] == "Zoe"))
        .ok_or_else(|| anyhow!("no Zoe in {team}"))?;
    assert_eq!(zoe["hours"], serde_json::json!(["mon-fri 09:00-17:00"]));
    assert!(
        zoe["time_zone"].as_str().is_some_and(|z| !z.is_empty()),
        "added in the system's zone: {zoe}"
    );
    let entry_path = run.dir.join("xdg/config/autostart/Baton.desktop");
    let entry = fs::read_to_string(&entry_path)
        .with_context(|| format!("start at login writes {}", entry_path.display()))?;
    assert!(
        entry.contains(&format!("\nExec={}\n", run.tray.display())),
        "the entry starts this run's tray: {entry}"
    );

    // A second start: the card stays closed, Zoe is still me.
    let (hidden, me_again) = MainWindow::session(&run, async |w| {
        let me = w
            .wait_attrs(
                ".cal-row.is-me",
                "data-member",
                "the row marked as me",
                |n| !n.is_empty(),
            )
            .await?;
        // `data-state` is set once the card's state has come from the core (it starts hidden).
        let hidden = w
            .wait_for(&format!("{CARD}[data-state]"))
            .await?
            .attr("hidden")
            .await?
            .is_some();
        Ok((hidden, me))
    })
    .await?;
    assert!(hidden, "a dismissed card does not come back");
    assert_eq!(me_again, vec!["Zoe".to_string()]);
    Ok(())
}
