//! Generates the app's command permissions (granted per window in `capabilities/`) and Tauri's context.

/// Every command the web view may call. Each is granted per window in `capabilities/`.
const COMMANDS: &[&str] = &[
    "calendar",
    "overlay",
    "handoffs",
    "team",
    "time_zones",
    "save_member",
    "remove_member",
    "import_team",
    "export_team",
    "start_focus",
    "stop_focus",
    "settings",
    "set_setting",
    "intake",
    "regenerate_token",
    "inbox",
    "deliver_now",
    "mark_done",
    "open_link",
    "locale",
    "team_source",
    "sync_team",
    "follow_team",
    "unfollow_team",
    "set_me",
    "calendars",
    "sync_calendars",
    "add_calendar",
    "add_caldav",
    "remove_calendar",
    "publish_focus",
    "week",
    "desktop_dnd",
    "about",
    "welcome",
    "add_me",
    "set_start_at_login",
    "test_notification",
];

fn main() {
    tauri_build::try_build(
        tauri_build::Attributes::new()
            .app_manifest(tauri_build::AppManifest::new().commands(COMMANDS)),
    )
    .expect("tauri build configuration");
}
