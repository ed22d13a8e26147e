//! Accessibility, checked in the real web view: axe-core runs inside the app's WebKit page on every
//! view (the calendar by day and by week, the editor with an error showing, handoffs, focus, the week,
//! the Inbox, settings, and the overlay's page), and any violation of impact serious or critical fails.

use anyhow::{ensure, Result};
use serde_json::Value;

use crate::sandbox::Run;
use crate::webdriver::MainWindow;

/// The impacts that fail the suite.
const FAILING: [&str; 2] = ["serious", "critical"];

/// The violations of `view` that fail, as lines.
fn failing(view: &str, violations: &[Value]) -> Vec<String> {
    violations
        .iter()
        .filter(|v| FAILING.contains(&v["impact"].as_str().unwrap_or_default()))
        .map(|v| {
            format!(
                "{view}: {} ({}): {}; {}",
                v["id"].as_str().unwrap_or_default(),
                v["impact"].as_str().unwrap_or_default(),
                v["help"].as_str().unwrap_or_default(),
                v["nodes"]
                    .as_array()
                    .map(|n| n
                        .iter()
                        .filter_map(Value::as_str)
                        .collect::<Vec<_>>()
                        .join(" | "))
                    .unwrap_or_default()
            )
        })
        .collect()
}

/// Every view, through axe-core, in `run`'s window; the violations that fail, and the views checked.
async fn check_every_view(run: &Run) -> Result<(Vec<String>, Vec<String>, bool)> {
    MainWindow::session(run, async |w| {
        let mut found = Vec::new();
        let mut checked = Vec::new();
        let dark = w.media("(prefers-color-scheme: dark)").await?;
        let mut check = async |view: &str, w: &MainWindow| -> Result<()> {
            let violations = w.axe().await?;
            found.extend(failing(view, &violations));
            checked.push(view.to_string());
            Ok(())
        };
        w.wait_for("[data-testid=calendar-row]").await?;
        w.click("[data-testid=span-day]").await?;
        w.wait_for("[data-testid=span-day][aria-pressed=true]")
            .await?;
        check("calendar (day)", w).await?;
        w.click("[data-testid=span-week]").await?;
        w.wait_for("[data-testid=span-week][aria-pressed=true]")
            .await?;
        check("calendar (week)", w).await?;
        w.click("[data-testid=nav-editor]").await?;
        w.wait_for("[data-testid=member-item]").await?;
        w.click("[data-testid=add-member]").await?;
        w.fill("#member-name", "Zoe").await?;
        w.fill("#member-time-zone", "Europe/Berlim").await?;
        w.fill("#member-hours", "mon-fri 09:00-17:00").await?;
        w.click("[data-testid=save-member]").await?;
        w.wait_for("[data-testid=error-time_zone]").await?;
        check("editor (with an error)", w).await?;
        for (tab, ready) in [
            ("handoffs", "[data-testid=nav-handoffs][aria-selected=true]"),
            ("focus", "[data-testid=focus-status]"),
            ("week", "[data-testid=nav-week][aria-selected=true]"),
            ("inbox", "[data-testid=inbox-deliver-now]"),
            ("settings", "[data-testid=nav-settings][aria-selected=true]"),
        ] {
            w.click(&format!("[data-testid=nav-{tab}]")).await?;
            w.wait_for(ready).await?;
            // The view's first answer from the core has been drawn.
            tokio::time::sleep(std::time::Duration::from_millis(500)).await;
            check(tab, w).await?;
        }
        w.open_page("overlay.html").await?;
        w.wait_for("[data-testid=overlay-focus-toggle]").await?;
        tokio::time::sleep(std::time::Duration::from_millis(500)).await;
        check("overlay", w).await?;
        Ok((found, checked, dark))
    })
    .await
}

#[tokio::test]
async fn every_view_passes_axe_core_with_no_serious_or_critical_violation() -> Result<()> {
    let run = Run::new("a11y").await?;
    let (found, checked, dark) = check_every_view(&run).await?;
    println!("axe-core checked (light): {}", checked.join(", "));
    ensure!(!dark, "the default theme is light here");
    ensure!(
        found.is_empty(),
        "axe-core found serious or critical violations:\n{}",
        found.join("\n")
    );
    Ok(())
}

/// The same in the dark theme (GTK's Adwaita dark, which WebKit reports as `prefers-color-scheme:
/// dark`).
#[tokio::test]
async fn every_view_passes_axe_core_in_the_dark_theme_too() -> Result<()> {
    let run = Run::new("a11y-dark").await?;
    run.set_env("GTK_THEME", "Adwaita:dark");
    let (found, checked, dark) = check_every_view(&run).await?;
    println!("axe-core checked (dark): {}", checked.join(", "));
    ensure!(
        dark,
        "the web view is in the dark theme (prefers-color-scheme: dark)"
    );
    ensure!(
        found.is_empty(),
        "axe-core found serious or critical violations in the dark theme:\n{}",
        found.join("\n")
    );
    Ok(())
}

/// In a 12-hour locale (`LANG=en_US.UTF-8`, nothing set in Baton) the app reads that clock: the
/// calendar's readout and the Inbox's labels (made by the core) say AM/PM; the screenshot shows it.
#[tokio::test]
async fn the_app_reads_a_12_hour_locale() -> Result<()> {
    let run = Run::new("locale-en-us").await?;
    run.set_env("LANG", "en_US.UTF-8");
    run.set_env("LC_ALL", "");
    run.set_env("LC_TIME", "");
    run.cli(&[
        "notify",
        "--source",
        "ci",
        "--title",
        "Nightly build is red",
    ])?;
    let (readout, ticks, received) = MainWindow::session(&run, async |w| {
        w.wait_for("[data-testid=calendar-row]").await?;
        // The first-run card closed, so the screenshot shows the board.
        w.click("[data-testid=welcome-done]").await?;
        w.wait_for("[data-testid=welcome][hidden]").await?;
        let readout = w
            .wait_text(".readout-time", "a local time", |t| !t.is_empty())
            .await?;
        let mut ticks = Vec::new();
        for tick in w.all(".cal-ticks .cal-tick").await? {
            let text = tick.text().await?;
            if !text.is_empty() {
                ticks.push(text);
            }
        }
        w.screenshot(&crate::sandbox::artifacts().join("calendar-en-US-12h.png"))
            .await?;
        w.click("[data-testid=nav-inbox]").await?;
        let received = w
            .wait_text(".inbox-entry-meta", "the item's labels", |t| {
                t.contains("received")
            })
            .await?;
        w.screenshot(&crate::sandbox::artifacts().join("inbox-en-US-12h.png"))
            .await?;
        Ok((readout, ticks, received))
    })
    .await?;
    ensure!(
        !ticks.is_empty() && ticks.iter().all(|t| t == "12 PM"),
        "a week on the 12-hour clock labels noon alone: {ticks:?}"
    );
    let twelve = |t: &str| t.contains(" AM") || t.contains(" PM");
    ensure!(
        twelve(&readout),
        "the calendar's readout in en_US: {readout:?}"
    );
    ensure!(
        twelve(&received),
        "the Inbox's labels in en_US: {received:?}"
    );
    Ok(())
}
