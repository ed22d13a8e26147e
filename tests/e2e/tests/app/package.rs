//! The installed package: `scripts/package-test.sh` installs the `.deb` with apt-get, then runs the
//! test here (it is ignored otherwise, since it needs Baton in `/usr/bin`). It starts Baton as an
//! application menu does, from its desktop entry, and checks what a person sees: the window, grouped
//! under the entry in the dock, and the tray, whose "Start at login" registers the installed tray.

use std::fs;
use std::process::Command;
use std::time::Duration;

use anyhow::{Context as _, Result};

use crate::sandbox::Run;
use crate::tray::Tray;
use crate::{eventually, window_open, window_process, x11, STARTUP, UI};

/// The desktop entry the package installs.
const DESKTOP_ID: &str = "Baton.desktop";

/// The value of `key` in the `[Desktop Entry]` group of `entry`.
fn entry_value<'a>(entry: &'a str, key: &str) -> Option<&'a str> {
    entry
        .lines()
        .skip_while(|l| l.trim() != "[Desktop Entry]")
        .skip(1)
        .take_while(|l| !l.starts_with('['))
        .find_map(|l| l.strip_prefix(key)?.strip_prefix('='))
}

#[tokio::test]
#[ignore = "needs the .deb installed: scripts/package-test.sh installs it and runs this test"]
async fn the_installed_app_opens_from_its_menu_entry() -> Result<()> {
    let run = Run::installed("installed").await?;
    let path = format!("/usr/share/applications/{DESKTOP_ID}");
    let entry = fs::read_to_string(&path).with_context(|| format!("cannot read {path}"))?;
    assert_eq!(
        entry_value(&entry, "Exec"),
        Some("baton-desktop"),
        "{entry}"
    );

    // gtk-launch starts the entry's Exec through GIO, as GNOME's and Xfce's menus do.
    run.spawn(
        Command::new("gtk-launch").arg(DESKTOP_ID.trim_end_matches(".desktop")),
        "gtk-launch.log",
    )?;
    let pid = window_process(&run).await?;
    let window = window_open(pid).await?;
    let (instance, class) = x11::wm_class(window.id)?;
    assert_eq!(
        entry_value(&entry, "StartupWMClass"),
        Some(class.as_str()),
        "the dock groups the window under its entry by WM_CLASS ({instance}, {class})"
    );

    let tray = Tray::of(run.tray_pid().await?, STARTUP).await?;
    let autostart = run.dir.join("xdg/config/autostart/Baton.desktop");
    tray.click("Start at login").await?;
    let written = eventually("the autostart entry", UI, async || {
        fs::read_to_string(&autostart).map_err(|e| format!("{}: {e}", autostart.display()))
    })
    .await?;
    assert_eq!(
        entry_value(&written, "Exec"),
        Some("/usr/bin/baton-tray"),
        "start at login runs the installed tray: {written}"
    );
    tray.click("Start at login").await?;
    eventually("the autostart entry to go", UI, async || {
        match autostart.exists() {
            false => Ok(()),
            true => Err("still there".to_string()),
        }
    })
    .await?;

    tray.click("Quit").await?;
    run.wait_app_gone(Duration::from_secs(20)).await?;
    Ok(())
}
