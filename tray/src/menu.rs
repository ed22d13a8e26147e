//! The icon and its menu. On Linux clicks on the icon itself are not delivered, so every action is a
//! menu item. The labels come from [`baton::desktop::views::tray_menu`], where they are unit-tested.

use baton::desktop::views::{held_label, tray_menu, OverlayView, Presence};
use chrono::Utc;
use tray_icon::menu::{CheckMenuItem, Menu, MenuItem, PredefinedMenuItem};
use tray_icon::{Icon, TrayIcon, TrayIconBuilder};

/// The icon for a state, decoded from the PNGs built into the program.
fn icon(presence: Presence) -> Option<Icon> {
    let bytes: &[u8] = match presence {
        Presence::Working => include_bytes!("../icons/working.png"),
        Presence::Focus => include_bytes!("../icons/focus.png"),
        Presence::Off => include_bytes!("../icons/off.png"),
    };
    let decoded = (|| {
        let mut decoder = png::Decoder::new(std::io::Cursor::new(bytes));
        decoder.set_transformations(png::Transformations::ALPHA);
        let mut reader = decoder.read_info().map_err(|e| e.to_string())?;
        let size = reader.output_buffer_size().ok_or("the icon is too large")?;
        let mut rgba = vec![0; size];
        let info = reader.next_frame(&mut rgba).map_err(|e| e.to_string())?;
        rgba.truncate(info.buffer_size());
        Icon::from_rgba(rgba, info.width, info.height).map_err(|e| e.to_string())
    })();
    decoded
        .map_err(|e: String| eprintln!("baton-tray: bad built-in icon: {e}"))
        .ok()
}

/// Creates the icon; its menu comes with the scheduler's first state.
pub fn create() -> tray_icon::Result<TrayIcon> {
    let mut builder = TrayIconBuilder::new()
        .with_id("baton")
        .with_tooltip("Baton")
        .with_menu_on_left_click(true);
    if let Some(i) = icon(Presence::Off) {
        builder = builder.with_icon(i);
    }
    builder.build()
}

/// Shows `view` and the number of `held` notifications in the icon and the menu.
pub fn show(
    tray: &TrayIcon,
    view: &OverlayView,
    held: usize,
    team_line: Option<&str>,
    autostart: bool,
) {
    let presence = view.me.as_ref().map_or(Presence::Off, |m| m.presence);
    if let Err(e) = tray.set_icon(icon(presence)) {
        eprintln!("baton-tray: cannot change the icon: {e}");
    }
    match build(view, held, team_line, autostart) {
        Ok(menu) => tray.set_menu(Some(Box::new(menu))),
        Err(e) => eprintln!("baton-tray: cannot build the menu: {e}"),
    }
}

fn build(
    view: &OverlayView,
    held: usize,
    team_line: Option<&str>,
    autostart: bool,
) -> Result<Menu, tray_icon::menu::Error> {
    let labels = tray_menu(view, Utc::now());
    let item = |id: &str, text: &str, enabled: bool| MenuItem::with_id(id, text, enabled, None);
    let menu = Menu::new();
    menu.append(&item("status", &labels.status, false))?;
    if let Some(line) = team_line {
        menu.append(&item("team_source", line, false))?;
    }
    menu.append(&PredefinedMenuItem::separator())?;
    if let Some(stop) = &labels.stop_focus {
        menu.append(&item("focus_stop", stop, true))?;
    } else {
        for (id, text) in [
            ("focus_25", "Focus 25 min"),
            ("focus_50", "Focus 50 min"),
            ("focus_90", "Focus 90 min"),
        ] {
            menu.append(&item(id, text, true))?;
        }
        let (text, enabled) = labels
            .focus_until
            .as_deref()
            .map_or(("Focus until end of day", false), |t| (t, true));
        menu.append(&item("focus_eod", text, enabled))?;
    }
    menu.append(&PredefinedMenuItem::separator())?;
    menu.append(&item(
        "next_handoff",
        &labels.next_handoff,
        view.next_handoff.is_some(),
    ))?;
    if let Some(gap) = &labels.coverage {
        // Opens the Handoffs view, which lists the coming weeks' gaps.
        menu.append(&item("coverage", &format!("⚠ {gap}"), true))?;
    }
    if let Some(line) = &labels.calendar {
        // Opens Settings, where each calendar shows its error.
        menu.append(&item("calendars", &format!("⚠ {line}"), true))?;
    }
    menu.append(&PredefinedMenuItem::separator())?;
    menu.append(&item("held", &held_label(held), true))?;
    menu.append(&item("deliver_now", "Deliver now", held > 0))?;
    menu.append(&PredefinedMenuItem::separator())?;
    menu.append(&item("show_team", "Show team", true))?;
    menu.append(&item("overlay", "Compact overlay", true))?;
    menu.append(&CheckMenuItem::with_id(
        "autostart",
        "Start at login",
        true,
        autostart,
        None,
    ))?;
    menu.append(&PredefinedMenuItem::separator())?;
    menu.append(&item("quit", "Quit", true))?;
    Ok(menu)
}
