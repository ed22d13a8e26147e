//! The desktop's do-not-disturb, switched by focus: while a focus session or one of my scheduled
//! focus blocks is on (and, with `off_hours_silence`, outside my working hours), Baton turns the
//! desktop's do-not-disturb on; when it ends, Baton puts back what it found. A do-not-disturb that
//! was already on stays on: Baton never turns off one it did not turn on.
//!
//! Each desktop is one [`DoNotDisturb`] backend in its own file: GNOME (GSettings), KDE Plasma (an
//! inhibition held on Baton's D-Bus connection), dunst, mako, Xfce and SwayNotificationCenter (D-Bus),
//! macOS (two Shortcuts the user creates); Windows has no API to set Focus Assist, so no backend.
//! [`detect`] picks one from the notification server's name, then `XDG_CURRENT_DESKTOP`, unless the
//! `desktop_dnd` setting names one.
//!
//! The switch is crash-safe: before changing anything, the runner records the backend and the state
//! it found (`dnd_change`, [`crate::store::dnd`]), and clears the record only once it restored it. A
//! runner that starts and finds a record restores the found state if no focus is due, and keeps
//! do-not-disturb on if focus still runs ([`run`]). A backend that fails is reported, and focus goes
//! on without it: Baton still holds its own notifications.

use std::fmt::Debug;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;

use thiserror::Error;

pub mod decide;
mod recording;
mod run;

#[cfg(target_os = "linux")]
pub mod bus;
#[cfg(target_os = "linux")]
mod dunst;
#[cfg(target_os = "linux")]
mod gnome;
#[cfg(target_os = "linux")]
mod kde;
#[cfg(target_os = "macos")]
mod macos;
#[cfg(target_os = "linux")]
mod mako;
#[cfg(target_os = "linux")]
mod swaync;
#[cfg(target_os = "linux")]
mod xfce;

pub use decide::{due, Due, Silence, Wanted};
pub use recording::RecordingDnd;
pub use run::{run, run_with, status, DndEvent, DndStatus, Finding};

/// Why a backend could not be used or switched.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum DndError {
    /// The backend's service refused, failed or did not answer in time.
    #[error("{backend}: {message}")]
    Failed {
        /// The backend, as the user knows it.
        backend: String,
        /// What went wrong.
        message: String,
    },
    /// The session bus cannot be reached.
    #[error("{0}")]
    NoBus(String),
}

/// What a backend's call returns: its result, later (boxed, so that backends can be `dyn`).
pub type Pending<'a, T> = Pin<Box<dyn Future<Output = Result<T, DndError>> + Send + 'a>>;

/// What [`DoNotDisturb::turn_on`] took and [`DoNotDisturb::restore`] gives back: for KDE Plasma, the
/// inhibition's cookie. After a crash, [`Token::default`] (nothing held any more).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Token {
    cookie: Option<u32>,
}

/// One desktop's do-not-disturb.
pub trait DoNotDisturb: Send + Sync + Debug {
    /// Which backend this is.
    fn kind(&self) -> BackendKind;
    /// The name shown to the user: "dunst", "GNOME", "KDE Plasma".
    fn name(&self) -> &'static str {
        self.kind().name()
    }
    /// Whether do-not-disturb is on now (whoever turned it on).
    fn is_on(&self) -> Pending<'_, bool>;
    /// Turns it on; called only when Baton found it off (or after a restart, to hold it again).
    fn turn_on(&self) -> Pending<'_, Token>;
    /// Turns off what [`DoNotDisturb::turn_on`] turned on.
    fn restore(&self, token: Token) -> Pending<'_, ()>;
}

/// The backends Baton knows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum BackendKind {
    /// GNOME Shell: GSettings `org.gnome.desktop.notifications show-banners`.
    Gnome,
    /// KDE Plasma: `org.freedesktop.Notifications.Inhibit`.
    Kde,
    /// dunst: the `paused` property of `org.dunstproject.cmd0`.
    Dunst,
    /// mako: the `do-not-disturb` mode.
    Mako,
    /// Xfce: xfconf's `xfce4-notifyd` `/do-not-disturb`.
    Xfce,
    /// SwayNotificationCenter: `org.erikreider.swaync.cc` `SetDnd`.
    Swaync,
    /// macOS: the Shortcuts "Baton Focus On" and "Baton Focus Off".
    MacShortcuts,
}

impl BackendKind {
    /// Every backend.
    pub const ALL: [BackendKind; 7] = [
        BackendKind::Gnome,
        BackendKind::Kde,
        BackendKind::Dunst,
        BackendKind::Mako,
        BackendKind::Xfce,
        BackendKind::Swaync,
        BackendKind::MacShortcuts,
    ];

    /// The key in the `desktop_dnd` setting and in the database's record.
    pub fn key(self) -> &'static str {
        match self {
            BackendKind::Gnome => "gnome",
            BackendKind::Kde => "kde",
            BackendKind::Dunst => "dunst",
            BackendKind::Mako => "mako",
            BackendKind::Xfce => "xfce",
            BackendKind::Swaync => "swaync",
            BackendKind::MacShortcuts => "macos",
        }
    }

    /// The name shown to the user.
    pub fn name(self) -> &'static str {
        match self {
            BackendKind::Gnome => "GNOME",
            BackendKind::Kde => "KDE Plasma",
            BackendKind::Dunst => "dunst",
            BackendKind::Mako => "mako",
            BackendKind::Xfce => "Xfce",
            BackendKind::Swaync => "SwayNotificationCenter",
            BackendKind::MacShortcuts => "macOS Shortcuts",
        }
    }

    /// The backend with this key.
    pub fn from_key(key: &str) -> Option<BackendKind> {
        BackendKind::ALL.into_iter().find(|k| k.key() == key)
    }

    /// The backend of a notification server by its `GetServerInformation` name and vendor: dunst
    /// says "dunst", Plasma "Plasma" (vendor "KDE"), GNOME Shell "gnome-shell" (vendor "GNOME"),
    /// xfce4-notifyd "Xfce Notify Daemon", mako "mako", swaync "SwayNotificationCenter".
    ///
    /// ```
    /// use baton::dnd::BackendKind;
    /// assert_eq!(BackendKind::from_server("Plasma", "KDE"), Some(BackendKind::Kde));
    /// assert_eq!(BackendKind::from_server("notify-osd", "Canonical"), None);
    /// ```
    pub fn from_server(name: &str, vendor: &str) -> Option<BackendKind> {
        let (name, vendor) = (name.to_ascii_lowercase(), vendor.to_ascii_lowercase());
        let kind = if name == "dunst" {
            BackendKind::Dunst
        } else if name == "plasma" || vendor == "kde" {
            BackendKind::Kde
        } else if name.contains("gnome") {
            BackendKind::Gnome
        } else if name.contains("xfce") {
            BackendKind::Xfce
        } else if name == "mako" {
            BackendKind::Mako
        } else if name.contains("swaync") || name.contains("swaynotificationcenter") {
            BackendKind::Swaync
        } else {
            return None;
        };
        Some(kind)
    }

    /// The backend `XDG_CURRENT_DESKTOP` (`ubuntu:GNOME`, `KDE`) points to, if any.
    ///
    /// ```
    /// use baton::dnd::BackendKind;
    /// assert_eq!(BackendKind::from_desktop("ubuntu:GNOME"), Some(BackendKind::Gnome));
    /// assert_eq!(BackendKind::from_desktop("i3"), None);
    /// ```
    pub fn from_desktop(desktop: &str) -> Option<BackendKind> {
        desktop
            .split(':')
            .find_map(|part| match part.trim().to_ascii_lowercase().as_str() {
                "gnome" | "unity" | "gnome-classic" | "gnome-flashback" => Some(BackendKind::Gnome),
                "kde" => Some(BackendKind::Kde),
                "xfce" => Some(BackendKind::Xfce),
                _ => None,
            })
    }
}

/// The `desktop_dnd` setting: find the backend, use one, or none.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Choice {
    /// Detect it ([`detect`]).
    Auto,
    /// Use this one.
    Only(BackendKind),
    /// Never switch the desktop's do-not-disturb.
    Off,
}

impl Choice {
    /// The choice a (validated) `desktop_dnd` value names; an unknown value is `auto`.
    pub fn from_setting(value: &str) -> Choice {
        match value.trim().to_ascii_lowercase().as_str() {
            "off" => Choice::Off,
            other => BackendKind::from_key(other).map_or(Choice::Auto, Choice::Only),
        }
    }
}

/// The backend to use for `choice` on this machine, or why there is none.
pub async fn detect(choice: Choice) -> Result<Arc<dyn DoNotDisturb>, String> {
    if choice == Choice::Off {
        return Err("turned off (desktop_dnd is off)".into());
    }
    platform::detect(choice).await
}

#[cfg(target_os = "linux")]
mod platform {
    use std::sync::Arc;

    use super::{bus, BackendKind, Choice, DndError, DoNotDisturb};

    pub async fn detect(choice: Choice) -> Result<Arc<dyn DoNotDisturb>, String> {
        let desktop = std::env::var("XDG_CURRENT_DESKTOP").unwrap_or_default();
        detect_with(choice, bus::session().await, &desktop).await
    }

    /// [`super::detect`] with the bus (or why there is none) and `XDG_CURRENT_DESKTOP` given.
    pub async fn detect_with(
        choice: Choice,
        conn: Result<zbus::Connection, DndError>,
        desktop: &str,
    ) -> Result<Arc<dyn DoNotDisturb>, String> {
        let kind = match choice {
            Choice::Off => return Err("turned off (desktop_dnd is off)".into()),
            Choice::Only(kind) => kind,
            Choice::Auto => {
                let server = match &conn {
                    Ok(conn) => bus::server_information(conn).await.ok(),
                    Err(_) => None,
                };
                let from_server = server
                    .as_ref()
                    .and_then(|(name, vendor, ..)| BackendKind::from_server(name, vendor));
                let from_desktop = BackendKind::from_desktop(desktop)
                    .filter(|k| *k != BackendKind::Gnome || super::gnome::Gnome::new().is_ok());
                match from_server.or(from_desktop) {
                    Some(kind) => kind,
                    None => {
                        let server = server.map_or_else(
                            || "no notification server answers".to_string(),
                            |(name, ..)| format!("the notification server is \"{name}\""),
                        );
                        return Err(format!(
                            "no supported desktop found: {server}, and XDG_CURRENT_DESKTOP is \
                             \"{desktop}\"; set desktop_dnd to one of gnome, kde, dunst, mako, \
                             xfce, swaync"
                        ));
                    }
                }
            }
        };
        if kind == BackendKind::Gnome {
            return super::gnome::Gnome::new().map(|g| Arc::new(g) as Arc<dyn DoNotDisturb>);
        }
        let conn = conn.map_err(|e| format!("{}: {e}", kind.name()))?;
        on_bus(kind, conn)
    }

    /// The D-Bus backend `kind` on `conn`.
    pub fn on_bus(
        kind: BackendKind,
        conn: zbus::Connection,
    ) -> Result<Arc<dyn DoNotDisturb>, String> {
        Ok(match kind {
            BackendKind::Kde => Arc::new(super::kde::Plasma::new(conn)),
            BackendKind::Dunst => Arc::new(super::dunst::Dunst::new(conn)),
            BackendKind::Mako => Arc::new(super::mako::Mako::new(conn)),
            BackendKind::Xfce => Arc::new(super::xfce::Xfce::new(conn)),
            BackendKind::Swaync => Arc::new(super::swaync::Swaync::new(conn)),
            BackendKind::Gnome => {
                return super::gnome::Gnome::new().map(|g| Arc::new(g) as Arc<dyn DoNotDisturb>)
            }
            BackendKind::MacShortcuts => return Err("macOS Shortcuts exist only on macOS".into()),
        })
    }
}

#[cfg(target_os = "linux")]
pub use platform::{detect_with, on_bus};

#[cfg(target_os = "macos")]
mod platform {
    use std::sync::Arc;

    use super::{BackendKind, Choice, DoNotDisturb};

    pub async fn detect(choice: Choice) -> Result<Arc<dyn DoNotDisturb>, String> {
        match choice {
            Choice::Auto | Choice::Only(BackendKind::MacShortcuts) => {
                Ok(Arc::new(super::macos::Shortcuts))
            }
            Choice::Only(kind) => Err(format!("{} exists only on Linux", kind.name())),
            Choice::Off => Err("turned off (desktop_dnd is off)".into()),
        }
    }
}

#[cfg(not(any(target_os = "linux", target_os = "macos")))]
mod platform {
    use std::sync::Arc;

    use super::{Choice, DoNotDisturb};

    pub async fn detect(_: Choice) -> Result<Arc<dyn DoNotDisturb>, String> {
        Err(if cfg!(windows) {
            "Windows offers no API to turn Focus Assist on; Baton holds its own notifications \
             during focus"
                .into()
        } else {
            "no do-not-disturb backend on this system".into()
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_round_trip_and_match_the_setting() {
        for kind in BackendKind::ALL {
            assert_eq!(BackendKind::from_key(kind.key()), Some(kind));
        }
        for value in crate::store::settings::DESKTOP_DND_VALUES {
            let choice = Choice::from_setting(value);
            assert_eq!(
                choice == Choice::Auto,
                *value == "auto",
                "{value} names a backend, off or auto"
            );
        }
    }

    #[test]
    fn servers_are_known_by_their_reported_names() {
        let cases = [
            ("dunst", "knopwob", Some(BackendKind::Dunst)),
            ("Plasma", "KDE", Some(BackendKind::Kde)),
            ("gnome-shell", "GNOME", Some(BackendKind::Gnome)),
            ("Xfce Notify Daemon", "Xfce", Some(BackendKind::Xfce)),
            ("mako", "emersion", Some(BackendKind::Mako)),
            (
                "SwayNotificationCenter",
                "ErikReider",
                Some(BackendKind::Swaync),
            ),
            ("notification-daemon", "GNOME-less", None),
        ];
        for (name, vendor, kind) in cases {
            assert_eq!(BackendKind::from_server(name, vendor), kind, "{name}");
        }
        assert_eq!(BackendKind::from_desktop("KDE"), Some(BackendKind::Kde));
        assert_eq!(BackendKind::from_desktop("Unity"), Some(BackendKind::Gnome));
    }
}
