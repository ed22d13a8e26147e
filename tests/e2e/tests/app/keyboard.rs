//! Keyboard only: from launch, with Tab, the arrow keys and Enter (and typing into fields), a person
//! moves through the calendar's hours and reads a teammate's local time, opens the editor, adds a
//! teammate and saves, and starts a focus session.

use anyhow::{ensure, Context as _, Result};
use fantoccini::key::Key;

use crate::sandbox::Run;
use crate::webdriver::MainWindow;

fn key(k: Key) -> String {
    char::from(k).to_string()
}

#[tokio::test]
async fn the_main_flows_work_from_the_keyboard_alone() -> Result<()> {
    let run = Run::new("keyboard").await?;
    let (before, after, saved, focus) = MainWindow::session(&run, async |w| {
        w.wait_for("[data-testid=calendar-row]")
            .await
            .context("keyboard step 18")?;
        // The calendar's hours: the scrubber takes the focus, the arrows move it.
        w.tab_to("[role=listbox] [role=option]", 40)
            .await
            .context("keyboard step 20")?;
        let kenji = ".readout-item[data-member=Kenji] .readout-time";
        let before = w
            .wait_text(kenji, "Kenji's local time", |t| !t.is_empty())
            .await?;
        for _ in 0..4 {
            w.press(&key(Key::Right))
                .await
                .context("keyboard step 26")?;
        }
        let after = w
            .wait_text(kenji, "Kenji's time an hour on", |t| {
                !t.is_empty() && t != before
            })
            .await?;
        // The tabs: back into the tab list, the arrows to the editor.
        w.tab_back_to("[role=tab][aria-selected=true]", 60)
            .await
            .context("keyboard step 34")?;
        w.press(&key(Key::Right))
            .await
            .context("keyboard step 35")?;
        w.wait_for("[data-testid=nav-editor][aria-selected=true]")
            .await?;
        w.tab_to("[data-testid=add-member]", 40)
            .await
            .context("keyboard step 38")?;
        w.press(&key(Key::Enter))
            .await
            .context("keyboard step 39")?;
        w.tab_to("#member-name", 10)
            .await
            .context("keyboard step 40")?;
        w.press("Zoe").await.context("keyboard step 41")?;
        w.tab_to("#member-time-zone", 5)
            .await
            .context("keyboard step 42")?;
        w.press("Europe/Berlin").await.context("keyboard step 43")?;
        w.tab_to("#member-hours", 5)
            .await
            .context("keyboard step 44")?;
        w.press("mon-fri 09:00-17:00")
            .await
            .context("keyboard step 45")?;
        w.tab_to("[data-testid=save-member]", 20)
            .await
            .context("keyboard step 46")?;
        w.press(&key(Key::Enter))
            .await
            .context("keyboard step 47")?;
        let saved = w
            .wait_text("[data-testid=editor-status]", "'Saved…'", |t| {
                t.contains("Saved")
            })
            .await?;
        // Focus: back to the tab list, along to Focus, Tab to a length, Enter.
        w.tab_back_to("[role=tab][aria-selected=true]", 80)
            .await
            .context("keyboard step 54")?;
        for _ in 0..2 {
            w.press(&key(Key::Right))
                .await
                .context("keyboard step 56")?;
        }
        w.wait_for("[data-testid=nav-focus][aria-selected=true]")
            .await?;
        w.tab_to("[data-testid=focus-25]", 20)
            .await
            .context("keyboard step 60")?;
        w.press(&key(Key::Enter))
            .await
            .context("keyboard step 61")?;
        let focus = w
            .wait_text("[data-testid=focus-status]", "in focus", |t| {
                t.starts_with("In focus")
            })
            .await?;
        Ok((before, after, saved, focus))
    })
    .await?;
    ensure!(
        before != after,
        "the arrows moved the readout: {before:?} then {after:?}"
    );
    ensure!(saved.contains("Zoe"), "saved from the keyboard: {saved:?}");
    ensure!(
        focus.starts_with("In focus"),
        "focus started from the keyboard: {focus:?}"
    );
    let sessions = run.cli(&["--json", "focus", "status"])?;
    ensure!(
        sessions.contains("\"running\""),
        "a session runs: {sessions}"
    );
    Ok(())
}
