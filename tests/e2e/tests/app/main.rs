//! End-to-end tests of Baton's desktop app: the release binary, its real window driven through
//! tauri-driver, its tray menu clicked over D-Bus, its processes read from `/proc`.
//!
//! They need an X display, a D-Bus session bus with `status-notifier-watcher` on it, and `tauri-driver`
//! on the PATH; `scripts/e2e.sh` provides all of that and runs them. Every test starts from an empty
//! database of its own and so sees the first-run import of the sample team. Each one waits for what it
//! expects with a deadline instead of sleeping: the app reacts in milliseconds, the deadlines are for a
//! loaded CI machine. Screenshots and every process's output land in `target/e2e/`.

mod a11y;
mod calendars;
mod delivery;
mod dnd;
mod inbox;
mod keyboard;
mod package;
mod procs;
mod sandbox;
mod source;
mod tray;
mod webdriver;
mod week;
mod welcome;
mod x11;

use std::time::{Duration, Instant};

use anyhow::{anyhow, ensure, Result};

use sandbox::Run;
use tray::Tray;
use webdriver::MainWindow;

/// How long the app, the driver or the tray may take to start or stop.
const STARTUP: Duration = Duration::from_secs(20);
/// How long the UI or the tray may take to reflect a change.
const UI: Duration = Duration::from_secs(10);

const SAMPLE_TEAM: [&str; 6] = ["Ana", "Kenji", "Priya", "Lena", "Marcus", "Aroha"];
const ROWS: &str = "[data-testid=calendar-row]";
const FOCUS_STATUS: &str = "[data-testid=focus-status]";
const EDITOR_STATUS: &str = "[data-testid=editor-status]";

/// Polls `probe` until it answers `Ok`, for at most `timeout`; the error says what was last seen.
pub async fn eventually<T>(
    what: &str,
    timeout: Duration,
    mut probe: impl AsyncFnMut() -> std::result::Result<T, String>,
) -> Result<T> {
    let start = Instant::now();
    loop {
        match probe().await {
            Ok(value) => return Ok(value),
            Err(seen) if start.elapsed() >= timeout => {
                return Err(anyhow!("waited {timeout:?} for {what}; last seen: {seen}"))
            }
            Err(_) => tokio::time::sleep(Duration::from_millis(100)).await,
        }
    }
}

fn sorted(mut names: Vec<String>) -> Vec<String> {
    names.sort();
    names
}

fn sample_team_and(extra: &[&str]) -> Vec<String> {
    sorted(
        SAMPLE_TEAM
            .iter()
            .chain(extra)
            .map(|s| s.to_string())
            .collect(),
    )
}

/// The stored team as the CLI exports it (JSON), for comparisons that do not go through the UI.
fn exported_team(run: &Run) -> Result<serde_json::Value> {
    Ok(serde_json::from_str(
        &run.cli(&["team", "export", "--format", "json"])?,
    )?)
}

/// Flow a: the first run imports the sample team; the calendar shows all six, and so does the editor.
/// Leaves screenshots of three views in `target/e2e/` for people to look at.
#[tokio::test]
async fn first_run_shows_the_sample_team() -> Result<()> {
    let run = Run::new("first-run").await?;
    ensure!(!run.db.exists(), "the database must start empty");
    let shot = |name: &str| sandbox::artifacts().join(name);
    let (rows, team, members, focus) = MainWindow::session(&run, async |w| {
        let rows = w
            .wait_attrs(ROWS, "data-member", "six rows", |names| names.len() >= 6)
            .await?;
        let team = w
            .wait_text("[data-testid=team-name]", "the team's name", |t| {
                t != "Team"
            })
            .await?;
        w.screenshot(&shot("main-view.png")).await?;

        w.click("[data-testid=nav-editor]").await?;
        let members = w
            .wait_count("[data-testid=member-item]", "six teammates", |n| n >= 6)
            .await?;
        w.screenshot(&shot("editor-view.png")).await?;

        w.click("[data-testid=nav-focus]").await?;
        let focus = w
            .wait_text(FOCUS_STATUS, "a focus state", |t| !t.is_empty())
            .await?;
        w.screenshot(&shot("focus-view.png")).await?;
        Ok((rows, team, members, focus))
    })
    .await?;

    assert_eq!(
        sorted(rows),
        sample_team_and(&[]),
        "one calendar row per sample teammate"
    );
    assert_eq!(
        team, "Platform",
        "the sample team's name heads the calendar"
    );
    assert_eq!(members, SAMPLE_TEAM.len(), "the editor lists the same six");
    assert!(
        focus.starts_with("Not in focus"),
        "a fresh install is not in focus: {focus:?}"
    );
    Ok(())
}

/// Fills the editor's form for a new teammate and saves it.
async fn add_member(w: &MainWindow, name: &str, zone: &str, hours: &str) -> Result<()> {
    w.click("[data-testid=nav-editor]").await?;
    w.wait_for("[data-testid=member-item]").await?;
    w.click("[data-testid=add-member]").await?;
    w.fill("#member-name", name).await?;
    w.fill("#member-time-zone", zone).await?;
    w.fill("#member-hours", hours).await?;
    w.click("[data-testid=save-member]").await
}

/// Flow b: a teammate added in the editor is stored as typed, and is on the calendar after a restart.
#[tokio::test]
async fn teammate_added_in_the_editor_survives_a_restart() -> Result<()> {
    let run = Run::new("add-teammate").await?;
    let saved = MainWindow::session(&run, async |w| {
        add_member(w, "Zoe", "Europe/Berlin", "mon-fri 09:00-17:00").await?;
        w.wait_text(EDITOR_STATUS, "'Saved…'", |t| t.contains("Saved"))
            .await
    })
    .await?;
    assert!(
        saved.contains("Zoe"),
        "the status names who was saved: {saved:?}"
    );

    // The CLI reads the same database: Zoe is stored with exactly what was typed.
    let team = exported_team(&run)?;
    let zoe = team["members"]
        .as_array()
        .and_then(|ms| ms.iter().find(|m| m["name"] == "Zoe"))
        .ok_or_else(|| anyhow!("no Zoe in the exported team: {team}"))?;
    assert_eq!(zoe["time_zone"], "Europe/Berlin");
    assert_eq!(zoe["hours"], serde_json::json!(["mon-fri 09:00-17:00"]));

    // A new session is a new app process on the same database.
    let rows = MainWindow::session(&run, async |w| {
        w.wait_attrs(ROWS, "data-member", "a row for Zoe", |names| {
            names.iter().any(|n| n == "Zoe")
        })
        .await
    })
    .await?;
    assert_eq!(
        sorted(rows),
        sample_team_and(&["Zoe"]),
        "Zoe has a row after the restart"
    );
    Ok(())
}

/// Flow c: a misspelt time zone is refused next to its field, with the intended zone suggested, and
/// nothing is stored.
#[tokio::test]
async fn misspelt_time_zone_is_refused_inline_and_nothing_is_saved() -> Result<()> {
    let run = Run::new("bad-time-zone").await?;
    let (before, shown, error, status) = MainWindow::session(&run, async |w| {
        // The app has imported the sample team by the time its window shows.
        let before = exported_team(&run)?;
        add_member(w, "Zoe", "Europe/Berlim", "mon-fri 09:00-17:00").await?;
        let error = w.wait_for("[data-testid=error-time_zone]").await?;
        let shown = error.is_displayed().await?;
        let text = error.text().await?;
        let status = w.wait_for(EDITOR_STATUS).await?.text().await?;
        Ok((before, shown, text, status))
    })
    .await?;

    assert!(shown, "the time zone error is visible");
    assert!(
        error.contains("Europe/Berlin"),
        "the error suggests the zone that was meant: {error:?}"
    );
    assert!(!status.contains("Saved"), "no success message: {status:?}");
    assert_eq!(exported_team(&run)?, before, "the stored team is unchanged");
    Ok(())
}

/// Whether `label` is the tray's stop entry of a session of `minutes` just started (the countdown may
/// tick over between the click and the read).
fn stop_label_for(minutes: u32) -> impl Fn(&str) -> bool {
    move |label| {
        label == format!("Stop focus ({minutes} min left)")
            || label == format!("Stop focus ({} min left)", minutes - 1)
    }
}

/// Flow d: focus started in the window shows in the tray menu, and stopping it in the window gives the
/// tray its choices back.
#[tokio::test]
async fn focus_started_in_the_window_shows_in_the_tray() -> Result<()> {
    let run = Run::new("focus-window-to-tray").await?;
    let (idle, stop, status_before, status_during) = MainWindow::session(&run, async |w| {
        let tray = Tray::of(run.tray_pid().await?, STARTUP).await?;
        let idle = tray.labels().await?;
        w.click("[data-testid=nav-focus]").await?;
        w.click("[data-testid=focus-25]").await?;
        let stop = tray
            .wait_for("'Stop focus (25 min left)'", UI, stop_label_for(25))
            .await?;
        let status_during = tray.labels().await?.first().cloned().unwrap_or_default();
        w.click("[data-testid=focus-stop]").await?;
        tray.wait_for("'Focus 25 min' again", UI, |l| l == "Focus 25 min")
            .await?;
        let status_before = idle.first().cloned().unwrap_or_default();
        Ok((idle, stop, status_before, status_during))
    })
    .await?;

    assert!(
        idle.iter().any(|l| l == "Focus 25 min"),
        "before, the tray offers focus: {idle:?}"
    );
    assert!(stop.starts_with("Stop focus"), "{stop}");
    // The status line shows focus only within working hours: outside them "Off hours" wins. Which one
    // applies depends on when the test runs, so compare with what it said before the session.
    if status_before.starts_with("Off hours") {
        assert!(status_during.starts_with("Off hours"), "{status_during:?}");
    } else {
        assert!(
            status_during.starts_with("In focus until "),
            "the tray's status line shows the session: {status_before:?}, then {status_during:?}"
        );
    }
    Ok(())
}

/// Flow e: focus started from the tray menu shows in the window, and so does stopping it there.
#[tokio::test]
async fn focus_started_from_the_tray_shows_in_the_window() -> Result<()> {
    let run = Run::new("focus-tray-to-window").await?;
    let (before, during, after) = MainWindow::session(&run, async |w| {
        let tray = Tray::of(run.tray_pid().await?, STARTUP).await?;
        w.click("[data-testid=nav-focus]").await?;
        let before = w
            .wait_text(FOCUS_STATUS, "'Not in focus'", |t| {
                t.starts_with("Not in focus")
            })
            .await?;
        tray.click("Focus 25 min").await?;
        let during = w
            .wait_text(FOCUS_STATUS, "'In focus…'", |t| t.starts_with("In focus"))
            .await?;
        tray.wait_for("'Stop focus (25 min left)'", UI, stop_label_for(25))
            .await?;
        tray.click("Stop focus").await?;
        let after = w
            .wait_text(FOCUS_STATUS, "'Not in focus' again", |t| {
                t.starts_with("Not in focus")
            })
            .await?;
        Ok((before, during, after))
    })
    .await?;

    assert!(before.starts_with("Not in focus"), "{before:?}");
    assert!(
        during.contains("25 min left") || during.contains("24 min left"),
        "the window counts down the tray's 25 minutes: {during:?}"
    );
    assert!(after.starts_with("Not in focus"), "{after:?}");
    Ok(())
}

/// WebKit's helper processes under `pid`, as "name (pid)" strings.
fn webkit_under(pid: u32) -> Vec<String> {
    procs::webkit(&procs::descendants(pid))
        .iter()
        .filter(|p| !p.zombie)
        .map(|p| format!("{} ({})", p.name, p.pid))
        .collect()
}

/// Waits until window process `pid` shows a mapped "Baton" window and runs WebKit's helpers.
async fn window_open(pid: u32) -> Result<x11::TopLevel> {
    eventually(
        "the main window with its WebKit processes",
        STARTUP,
        async || {
            let windows = x11::windows_of(pid).map_err(|e| e.to_string())?;
            let webkit = webkit_under(pid);
            match windows.iter().find(|w| w.title == "Baton") {
                Some(w) if !webkit.is_empty() => Ok(w.clone()),
                _ => Err(format!("windows {windows:?}, WebKit {webkit:?}")),
            }
        },
    )
    .await
}

/// The one window process of this run, once it runs.
async fn window_process(run: &Run) -> Result<u32> {
    eventually("exactly one window process", STARTUP, async || {
        match run.window_pids()[..] {
            [pid] => Ok(pid),
            ref pids => Err(format!("window processes {pids:?}")),
        }
    })
    .await
}

/// Waits until no window process and no WebKit process of this run is left.
async fn only_the_tray_left(run: &Run) -> Result<()> {
    eventually(
        "the window process and every WebKit process to end",
        UI,
        async || {
            let windows = run.window_pids();
            let webkit = run.webkit_processes();
            if windows.is_empty() && webkit.is_empty() {
                Ok(())
            } else {
                Err(format!("window processes {windows:?}, WebKit {webkit:?}"))
            }
        },
    )
    .await
}

/// Flow f, the tray half: closing the window ends the window process, and the tray process (which never
/// loads WebKit) lives on; its menu still acts, reopens the window in a new window process, and "Quit"
/// ends it. Run without WebDriver, as a user runs it.
#[tokio::test]
async fn closing_the_window_keeps_the_tray_working() -> Result<()> {
    let run = Run::new("close-window-tray").await?;
    let pid = run.launch(&[], "app.log")?;

    let window = window_open(pid).await?;
    let tray_pid = run.tray_pid().await?;
    let tray = Tray::of(tray_pid, STARTUP).await?;
    x11::close(window.id)?;
    let status = run.exit_status(pid, UI).await?;
    assert!(
        status.success(),
        "closing the last window ends the window process cleanly: {status}"
    );
    only_the_tray_left(&run).await?;
    assert!(
        procs::alive(tray_pid),
        "closing the window must not end the tray"
    );

    tray.click("Focus 50 min").await?;
    let running = tray
        .wait_for(
            "the tray to offer 'Stop focus (50 min left)'",
            UI,
            stop_label_for(50),
        )
        .await?;
    assert!(running.starts_with("Stop focus"));
    assert_eq!(
        run.webkit_processes(),
        Vec::<String>::new(),
        "acting from the tray starts no WebKit process"
    );

    // Reopening starts a window process again; closing it leaves none, so nothing accumulates.
    tray.click("Show team").await?;
    let reopened = window_process(&run).await?;
    let window = window_open(reopened).await?;
    x11::close(window.id)?;
    only_the_tray_left(&run).await?;

    tray.click("Quit").await?;
    eventually("the tray to exit", STARTUP, async || {
        match run.app_pids()[..] {
            [] => Ok(()),
            ref left => Err(format!("still running: {left:?}")),
        }
    })
    .await?;
    Ok(())
}

/// Flow f, the WebKit half: once the window is closed no WebKit process is left anywhere, which is what
/// the split into a tray process and a window process is for (`tray/src/main.rs`).
#[tokio::test]
async fn closing_the_window_leaves_no_webkit_process() -> Result<()> {
    let run = Run::new("close-window-webkit").await?;
    let pid = run.launch(&[], "app.log")?;

    let window = window_open(pid).await?;
    let tray_pid = run.tray_pid().await?;
    x11::close(window.id)?;
    only_the_tray_left(&run).await?;
    assert!(
        procs::alive(tray_pid),
        "closing the window must not end the tray"
    );
    assert_eq!(webkit_under(tray_pid), Vec::<String>::new());
    Ok(())
}

/// `--hidden` (start at login) starts the tray alone; a launch then opens the window, and a second
/// launch hands over to that window process and exits.
#[tokio::test]
async fn second_launch_opens_the_window_of_the_running_app() -> Result<()> {
    let run = Run::new("second-launch").await?;
    let hidden = run.launch(&["--hidden"], "hidden.log")?;
    let status = run.exit_status(hidden, STARTUP).await?;
    assert!(
        status.success(),
        "--hidden exits once the tray runs: {status}"
    );
    let tray_pid = run.tray_pid().await?;
    Tray::of(tray_pid, STARTUP).await?;
    assert_eq!(
        run.window_pids(),
        Vec::<u32>::new(),
        "--hidden leaves no window process"
    );
    assert_eq!(
        run.webkit_processes(),
        Vec::<String>::new(),
        "--hidden starts no WebKit"
    );

    let first = run.launch(&[], "first.log")?;
    window_open(first).await?;
    let second = run.launch(&["--view", "handoffs"], "second.log")?;
    let status = run.exit_status(second, STARTUP).await?;
    assert!(
        status.success(),
        "the second launch exits cleanly: {status}"
    );
    assert_eq!(
        run.window_pids(),
        vec![first],
        "only the first window process runs"
    );
    assert_eq!(run.tray_pids(), vec![tray_pid], "and one tray");
    Ok(())
}
