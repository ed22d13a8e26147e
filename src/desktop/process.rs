//! What each of the desktop app's two processes does about itself as a process: how it renders, and
//! where it finds the other one.
//!
//! Both processes (the tray, `baton-tray`, and the window, `baton-desktop`) start the same way, so the
//! two rules live here once rather than in each `main`. Neither needs Tauri: the tray links none.

use std::path::PathBuf;

/// The environment variable GTK reads to decide whether to use OpenGL.
#[cfg(target_os = "linux")]
const GDK_GL: &str = "GDK_GL";

/// On Linux, sets `GDK_GL=disable` unless `GDK_GL` is already set (a user who sets it keeps their
/// choice); elsewhere does nothing.
///
/// Why: GTK otherwise probes OpenGL when it opens the display, which maps the whole Mesa driver (44 MB
/// with llvmpipe) into the process, and WebKit then composites the page with OpenGL in its web process
/// (about 100 MB more for the calendar). A tray icon draws nothing with OpenGL, and a calendar draws
/// just as well on the CPU (checked in screenshots), so the window's memory halves.
///
/// Call it first thing in `main`, before any thread starts: changing the environment is only sound
/// while no other thread can be reading it (glibc's `getenv` is not synchronised with `setenv`, and
/// Rust 2024 makes `set_var` `unsafe` for that reason). GTK, tokio, the database watcher and a child
/// reaper all start threads, so "first thing" means before any of them, not merely before GTK.
pub fn disable_gl_unless_set() {
    #[cfg(target_os = "linux")]
    if std::env::var_os(GDK_GL).is_none() {
        std::env::set_var(GDK_GL, "disable");
    }
}

/// The path of the desktop program `name` (`"baton-tray"`, `"baton-desktop"`) installed beside the
/// running one, with the platform's executable suffix.
///
/// The two processes start each other (the window starts the tray, the tray's menu starts the window),
/// and they are installed side by side, so the one that is there is the one built with this one. When
/// the running program's own path cannot be known, the bare file name is returned and the program is
/// looked up on the search path instead.
pub fn sibling_program(name: &str) -> PathBuf {
    let file = format!("{name}{}", std::env::consts::EXE_SUFFIX);
    std::env::current_exe()
        .map(|exe| exe.with_file_name(&file))
        .unwrap_or_else(|_| PathBuf::from(file))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_sibling_sits_in_the_running_programs_directory() {
        let exe = std::env::current_exe().unwrap();
        let sibling = sibling_program("baton-tray");
        assert_eq!(sibling.parent(), exe.parent());
        assert_eq!(
            sibling.file_name().unwrap().to_string_lossy(),
            format!("baton-tray{}", std::env::consts::EXE_SUFFIX)
        );
    }
}
