//! The tray icon and its menu, the focus shortcut. On Linux clicks on the icon itself are not
//! delivered, so every action is a menu item. Labels come from [`baton::views::tray_menu`].

use baton::focus::FocusLength;
use baton::views::{tray_menu, OverlayView, Presence};
use chrono::Utc;
use tauri::image::Image;
use tauri::menu::{CheckMenuItem, Menu, MenuEvent, MenuItem, PredefinedMenuItem};
use tauri::tray::TrayIconBuilder;
use tauri::{AppHandle, Manager, Runtime};
use tauri_plugin_autostart::ManagerExt as _;
use tauri_plugin_global_shortcut::{GlobalShortcutExt, Shortcut, ShortcutEvent, ShortcutState};

use crate::commands::{begin_focus, end_focus};
use crate::{windows, Shell};

const TRAY_ID: &str = "baton";
use baton::settings::{DEFAULT_FOCUS_SHORTCUT, FOCUS_SHORTCUT};

fn icon(p: Presence) -> Option<Image<'static>> {
    let bytes: &'static [u8] = match p {
        Presence::Working => include_bytes!("../icons/working.png"),
        Presence::Focus => include_bytes!("../icons/focus.png"),
        Presence::Off => include_bytes!("../icons/off.png"),
    };
    Image::from_bytes(bytes).ok()
}

fn build_menu<R: Runtime>(app: &AppHandle<R>, view: &OverlayView) -> tauri::Result<Menu<R>> {
    let labels = tray_menu(view, Utc::now());
    let menu = Menu::new(app)?;
    menu.append(&MenuItem::with_id(
        app,
        "status",
        &labels.status,
        false,
        None::<&str>,
    )?)?;
    menu.append(&PredefinedMenuItem::separator(app)?)?;
    if let Some(stop) = &labels.stop_focus {
        menu.append(&MenuItem::with_id(
            app,
            "focus_stop",
            stop,
            true,
            None::<&str>,
        )?)?;
    } else {
        for (id, text) in [
            ("focus_25", "Focus 25 min"),
            ("focus_50", "Focus 50 min"),
            ("focus_90", "Focus 90 min"),
        ] {
            menu.append(&MenuItem::with_id(app, id, text, true, None::<&str>)?)?;
        }
        let (text, enabled) = labels
            .focus_until
            .as_deref()
            .map_or(("Focus until end of day", false), |t| (t, true));
        menu.append(&MenuItem::with_id(
            app,
            "focus_eod",
            text,
            enabled,
            None::<&str>,
        )?)?;
    }
    menu.append(&PredefinedMenuItem::separator(app)?)?;
    menu.append(&MenuItem::with_id(
        app,
        "next_handoff",
        &labels.next_handoff,
        view.next_handoff.is_some(),
        None::<&str>,
    )?)?;
    menu.append(&PredefinedMenuItem::separator(app)?)?;
    menu.append(&MenuItem::with_id(
        app,
        "show_team",
        "Show team",
        true,
        None::<&str>,
    )?)?;
    menu.append(&MenuItem::with_id(
        app,
        "overlay",
        "Compact overlay",
        true,
        None::<&str>,
    )?)?;
    let autostart = app.autolaunch().is_enabled().unwrap_or(false);
    menu.append(&CheckMenuItem::with_id(
        app,
        "autostart",
        "Start at login",
        true,
        autostart,
        None::<&str>,
    )?)?;
    menu.append(&PredefinedMenuItem::separator(app)?)?;
    menu.append(&MenuItem::with_id(app, "quit", "Quit", true, None::<&str>)?)?;
    Ok(menu)
}

/// Creates the tray icon (its menu is filled by the scheduler's first refresh).
pub fn create<R: Runtime>(app: &AppHandle<R>) -> tauri::Result<()> {
    let mut builder = TrayIconBuilder::with_id(TRAY_ID)
        .tooltip("Baton")
        .show_menu_on_left_click(true)
        .on_menu_event(on_menu);
    if let Some(i) = icon(Presence::Off) {
        builder = builder.icon(i);
    }
    builder.build(app)?;
    Ok(())
}

/// Shows `view` in the tray: icon and menu labels.
pub fn refresh<R: Runtime>(app: &AppHandle<R>, view: &OverlayView) {
    let Some(tray) = app.tray_by_id(TRAY_ID) else {
        return;
    };
    let presence = view.me.as_ref().map_or(Presence::Off, |m| m.presence);
    let _ = tray.set_icon(icon(presence));
    match build_menu(app, view) {
        Ok(menu) => {
            let _ = tray.set_menu(Some(menu));
        }
        Err(e) => eprintln!("baton-desktop: cannot build the tray menu: {e}"),
    }
}

fn report<T>(result: Result<T, baton::views::ErrorPayload>) {
    if let Err(e) = result {
        eprintln!("baton-desktop: {}", e.message);
    }
}

fn on_menu<R: Runtime>(app: &AppHandle<R>, event: MenuEvent) {
    let shell = app.state::<Shell>();
    let minutes = |minutes| FocusLength::Minutes { minutes };
    match event.id().as_ref() {
        "focus_25" => report(begin_focus(&shell, minutes(25))),
        "focus_50" => report(begin_focus(&shell, minutes(50))),
        "focus_90" => report(begin_focus(&shell, minutes(90))),
        "focus_eod" => report(begin_focus(&shell, FocusLength::UntilEndOfDay)),
        "focus_stop" => report(end_focus(&shell)),
        "next_handoff" => windows::show_main(app, Some("handoffs")),
        "show_team" => windows::show_main(app, Some("calendar")),
        "overlay" => windows::show_overlay(app),
        "autostart" => {
            let auto = app.autolaunch();
            let result = if auto.is_enabled().unwrap_or(false) {
                auto.disable()
            } else {
                auto.enable()
            };
            if let Err(e) = result {
                eprintln!("baton-desktop: cannot change start at login: {e}");
            }
            shell.changed();
        }
        "quit" => app.exit(0),
        _ => {}
    }
}

/// The focus shortcut toggles focus: start 25 minutes, or stop the running session.
pub fn on_shortcut<R: Runtime>(app: &AppHandle<R>, _shortcut: &Shortcut, event: ShortcutEvent) {
    if event.state() != ShortcutState::Pressed {
        return;
    }
    let shell = app.state::<Shell>();
    let running = crate::commands::current(&shell)
        .map(|(view, _)| view.focus.session)
        .unwrap_or(false);
    if running {
        report(end_focus(&shell));
    } else {
        report(begin_focus(&shell, FocusLength::Minutes { minutes: 25 }));
    }
}

/// The focus shortcut from the settings (default [`DEFAULT_FOCUS_SHORTCUT`]), or `None` when it is off
/// or not valid (which is reported).
pub fn configured_shortcut(store: &baton::store::Store) -> Option<Shortcut> {
    let configured = store
        .setting(FOCUS_SHORTCUT)
        .ok()
        .flatten()
        .unwrap_or_else(|| DEFAULT_FOCUS_SHORTCUT.to_string());
    if configured.trim().is_empty() {
        return None;
    }
    configured
        .parse::<Shortcut>()
        .map_err(|e| eprintln!("baton-desktop: focus shortcut '{configured}' is not valid: {e}"))
        .ok()
}

/// Registers the focus shortcut. A desktop without global shortcuts only loses the shortcut.
pub fn register_shortcut<R: Runtime>(app: &AppHandle<R>, shortcut: Shortcut) {
    if let Err(e) = app.global_shortcut().register(shortcut) {
        eprintln!("baton-desktop: cannot register the focus shortcut: {e}");
    }
}
