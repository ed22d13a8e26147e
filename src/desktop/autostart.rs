//! "Start at login": Baton's tray process started when the user logs in. Both processes offer it (the
//! tray's menu item, the window's first-run card and Settings), and the entry always starts the tray,
//! which starts the window when asked; the entry itself is the setting, so the two never disagree.
//!
//! On Linux it is an XDG autostart entry, `$XDG_CONFIG_HOME/autostart/Baton.desktop` (else
//! `~/.config/autostart`), as the XDG Autostart specification puts it, written here: auto-launch 0.6,
//! which the other platforms use, always writes under `~/.config` whatever `XDG_CONFIG_HOME` says (so a
//! session that sets it would never start Baton) and leaves a path with spaces unquoted in `Exec`. On
//! macOS and Windows, auto-launch registers a login item or a `Run` key.

use std::io;
use std::path::Path;

/// The name of the entry (the autostart file's stem, the login item's name).
const NAME: &str = "Baton";

/// Whether the tray at `exe` starts at login.
pub fn enabled(exe: &Path) -> bool {
    imp::enabled(exe)
}

/// Makes the tray at `exe` start at login, or stops it doing so.
pub fn set(exe: &Path, on: bool) -> io::Result<()> {
    imp::set(exe, on)
}

/// The tray program installed beside the running one (the tray itself, or the window beside it),
/// the program the entry starts.
pub fn tray_program() -> std::path::PathBuf {
    crate::desktop::process::sibling_program("baton-tray")
}

#[cfg(target_os = "linux")]
mod imp {
    use std::fs;
    use std::io::{self, Write as _};
    use std::path::{Path, PathBuf};

    use super::NAME;

    fn entry_path() -> io::Result<PathBuf> {
        let dirs = directories::BaseDirs::new().ok_or_else(|| {
            io::Error::new(io::ErrorKind::NotFound, "no home directory to keep it in")
        })?;
        Ok(dirs
            .config_dir()
            .join("autostart")
            .join(format!("{NAME}.desktop")))
    }

    pub fn enabled(_exe: &Path) -> bool {
        entry_path().is_ok_and(|p| p.is_file())
    }

    pub fn set(exe: &Path, on: bool) -> io::Result<()> {
        let path = entry_path()?;
        if !on {
            return match fs::remove_file(&path) {
                Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(()),
                other => other,
            };
        }
        let dir = path.parent().unwrap_or(Path::new("."));
        fs::create_dir_all(dir)?;
        // Written beside, then renamed over: a session starting meanwhile reads the old or the new one.
        let partial = dir.join(format!(".{NAME}.desktop.partial"));
        let mut file = fs::File::create(&partial)?;
        file.write_all(entry(exe).as_bytes())?;
        file.sync_all()?;
        fs::rename(&partial, &path)
    }

    /// The autostart entry that runs `exe`.
    pub(super) fn entry(exe: &Path) -> String {
        format!(
            "[Desktop Entry]\nType=Application\nName={NAME}\n\
             Comment=Baton's tray: who is working now, focus and held notifications\n\
             Exec={}\nIcon=baton-desktop\nTerminal=false\nX-GNOME-Autostart-enabled=true\n",
            exec_value(&exe.to_string_lossy())
        )
    }

    /// `program` as the `Exec` key's value: quoted when it holds a character the specification
    /// reserves, with `"`, `` ` ``, `$` and `\` escaped inside the quotes, then `\` escaped again
    /// because the value is a desktop-entry string.
    fn exec_value(program: &str) -> String {
        let reserved = |c: char| " \t\n\"'\\><~|&;$*?#()`".contains(c);
        let quoted = if program.contains(reserved) {
            let mut q = String::from("\"");
            for c in program.chars() {
                if "\"`$\\".contains(c) {
                    q.push('\\');
                }
                q.push(c);
            }
            q.push('"');
            q
        } else {
            program.to_owned()
        };
        quoted.replace('%', "%%").replace('\\', "\\\\")
    }
}

#[cfg(not(target_os = "linux"))]
mod imp {
    use std::io;
    use std::path::Path;

    use super::NAME;

    fn launcher(exe: &Path) -> io::Result<auto_launch::AutoLaunch> {
        auto_launch::AutoLaunchBuilder::new()
            .set_app_name(NAME)
            .set_app_path(&exe.to_string_lossy())
            .build()
            .map_err(io::Error::other)
    }

    pub fn enabled(exe: &Path) -> bool {
        launcher(exe).is_ok_and(|a| a.is_enabled().unwrap_or(false))
    }

    pub fn set(exe: &Path, on: bool) -> io::Result<()> {
        let launcher = launcher(exe)?;
        if on {
            launcher.enable()
        } else {
            launcher.disable()
        }
        .map_err(io::Error::other)
    }
}

#[cfg(all(test, target_os = "linux"))]
mod tests {
    use std::path::Path;

    use super::imp::entry;

    #[test]
    fn a_plain_path_is_the_exec_line_as_it_is() {
        let e = entry(Path::new("/usr/bin/baton-tray"));
        assert!(e.starts_with("[Desktop Entry]\nType=Application\n"), "{e}");
        assert!(e.contains("\nExec=/usr/bin/baton-tray\n"), "{e}");
    }

    #[test]
    fn a_path_with_spaces_and_reserved_characters_is_quoted_and_escaped() {
        let e = entry(Path::new("/home/ana/My Apps/100%/$baton-tray"));
        assert!(
            e.contains("\nExec=\"/home/ana/My Apps/100%%/\\\\$baton-tray\"\n"),
            "{e}"
        );
    }
}
