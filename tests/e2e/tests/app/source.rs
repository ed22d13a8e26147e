//! A team followed from a shared folder, end to end in the real app: followed from the editor, a
//! member file edited on disk shows in the open calendar without a restart, a broken file brings the
//! banner (naming the file) while the last good team stays drawn, and fixing it takes the banner away.

use std::fs;
use std::path::Path;

use anyhow::{ensure, Result};

use crate::sandbox::{self, Run};
use crate::webdriver::MainWindow;
use crate::ROWS;

const BANNER: &str = "[data-testid=source-banner]";

fn kenji(time_zone: &str, hours: &str) -> String {
    format!("name = \"Kenji\"\ntime_zone = \"{time_zone}\"\nhours = [\"{hours}\"]\n")
}

/// Writes `text` to `path` the way editors and `git` do: a new file renamed over the old one.
fn replace(path: &Path, text: &str) -> Result<()> {
    let tmp = path.with_extension("toml.tmp");
    fs::write(&tmp, text)?;
    fs::rename(&tmp, path)?;
    Ok(())
}

/// The `aria-label` of Kenji's calendar row, which names his zone and hours.
async fn kenji_row(w: &MainWindow, what: &str, wanted: impl Fn(&str) -> bool) -> Result<String> {
    let labels = w
        .wait_attrs(
            "[data-testid=calendar-row][data-member=Kenji]",
            "aria-label",
            what,
            |labels| labels.first().is_some_and(|l| wanted(l)),
        )
        .await?;
    Ok(labels.into_iter().next().unwrap_or_default())
}

#[tokio::test]
async fn a_followed_folder_keeps_the_open_calendar_current() -> Result<()> {
    let run = Run::new("follow-folder").await?;
    let dir = run.dir.join("shared-team");
    fs::create_dir_all(dir.join("members"))?;
    fs::write(dir.join("team.toml"), "name = \"Shared\"\nme = \"Ana\"\n")?;
    fs::write(
        dir.join("members/01-ana.toml"),
        "name = \"Ana\"\ntime_zone = \"Europe/London\"\nhours = [\"mon-fri 09:00-17:00\"]\n",
    )?;
    let kenji_file = dir.join("members/02-kenji.toml");
    fs::write(&kenji_file, kenji("Asia/Tokyo", "mon-fri 09:00-17:00"))?;

    let (rows, moved, banner, kept, gone) = MainWindow::session(&run, async |w| {
        // Follow it from the editor, as a person would.
        w.click("[data-testid=nav-editor]").await?;
        w.fill("[data-testid=follow-source]", &dir.display().to_string())
            .await?;
        w.click("[data-testid=follow]").await?;
        w.wait_text("[data-testid=source-line]", "the followed folder", |t| {
            t.contains("Following the shared folder")
        })
        .await?;

        w.click("[data-testid=nav-calendar]").await?;
        let rows = w
            .wait_attrs(ROWS, "data-member", "the folder's two members", |names| {
                names == ["Ana", "Kenji"]
            })
            .await?;
        kenji_row(w, "Kenji in Tokyo", |l| l.contains("Asia/Tokyo")).await?;

        // Kenji moves to Lisbon in his own file: the open calendar follows, no restart.
        replace(&kenji_file, &kenji("Europe/Lisbon", "mon-fri 09:00-17:00"))?;
        let moved = kenji_row(w, "Kenji in Lisbon", |l| l.contains("Europe/Lisbon")).await?;

        // A broken file: the banner names it, and the last good team stays on the calendar.
        replace(&kenji_file, &kenji("Europe/Lisbon", "mon-fri 9-17"))?;
        let banner = w
            .wait_text(BANNER, "the refused version", |t| {
                t.contains("02-kenji.toml")
            })
            .await?;
        w.screenshot(&sandbox::artifacts().join("source-banner.png"))
            .await?;
        let kept = kenji_row(w, "Kenji still in Lisbon", |l| l.contains("Europe/Lisbon")).await?;

        // Fixed: the banner goes, the fix shows.
        replace(&kenji_file, &kenji("Europe/Lisbon", "mon-fri 10:00-18:00"))?;
        let gone = w
            .wait_count(BANNER, "no banner once the file is fixed", |n| n == 0)
            .await?;
        Ok((rows, moved, banner, kept, gone))
    })
    .await?;

    assert_eq!(
        rows,
        ["Ana", "Kenji"],
        "the calendar shows the folder's team"
    );
    assert!(
        moved.contains("Europe/Lisbon"),
        "the edit on disk shows: {moved}"
    );
    ensure!(
        banner.contains("hours"),
        "the banner names the field that is wrong: {banner}"
    );
    assert!(
        kept.contains("Europe/Lisbon"),
        "the last good team stays: {kept}"
    );
    assert_eq!(gone, 0);
    let status = run.cli(&["team", "status"])?;
    ensure!(
        status.contains("shared-team"),
        "baton team status names the folder: {status}"
    );
    Ok(())
}
