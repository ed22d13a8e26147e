//! The Week view in the real window: the same report as `baton --json week`, a bar per day, and a
//! screenshot for people to look at.

use anyhow::Result;
use serde_json::Value;

use crate::sandbox::{self, Run};
use crate::webdriver::MainWindow;

/// With a focus session stored this week, the Week view shows the protected minutes and the days that
/// `baton --json week` reports, and draws a bar group per day.
#[tokio::test]
async fn the_week_view_shows_what_the_cli_reports() -> Result<()> {
    let run = Run::new("week-view").await?;
    let (meter, dates, groups) = MainWindow::session(&run, async |w| {
        // The sample team (me: Ana) is in by the time the window shows.
        run.cli(&["focus", "start", "--minutes", "50"])?;
        let before = protected_minutes(&run)?;
        w.click("[data-testid=nav-week]").await?;
        w.wait_for("[data-testid=week-chart]").await?;
        // Read afresh on each try: a refresh (the session just stored) redraws the cards.
        let meter = w
            .wait_attrs(
                "[data-testid=week-focus] [role=meter]",
                "aria-valuenow",
                "the focus meter",
                |v| v.len() == 1,
            )
            .await?
            .remove(0);
        let dates = w
            .wait_attrs(
                "[data-testid=week-table] tbody tr",
                "data-date",
                "seven days",
                |d| d.len() == 7,
            )
            .await?;
        let groups = w.all("[data-testid=week-chart] g.day").await?.len();
        w.screenshot(&sandbox::artifacts().join("week-view.png"))
            .await?;
        Ok(((before, meter), dates, groups))
    })
    .await?;

    let report: Value = serde_json::from_str(&run.cli(&["--json", "week"])?)?;
    let days: Vec<String> = report["days"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|d| d["date"].as_str().map(String::from))
        .collect();
    assert_eq!(dates, days, "the view's days are the report's");
    assert_eq!(groups, 7, "a bar group per day");
    // The running session counts up to now, and only within Ana's working hours, so the figure
    // depends on when this runs: the view shows the core's figure of the moment it asked, between
    // the CLI's before and after.
    let (before, meter) = meter;
    let after = report["focus"]["protected_minutes"].as_u64();
    let shown = meter.parse::<u64>().ok();
    assert!(
        shown.is_some() && Some(before) <= shown && shown <= after,
        "the meter shows the report's protected minutes: {before} <= {meter} <= {after:?}"
    );
    Ok(())
}

/// The protected minutes `baton --json week` reports now.
fn protected_minutes(run: &Run) -> Result<u64> {
    let report: Value = serde_json::from_str(&run.cli(&["--json", "week"])?)?;
    report["focus"]["protected_minutes"]
        .as_u64()
        .ok_or_else(|| anyhow::anyhow!("no protected minutes in {report}"))
}
