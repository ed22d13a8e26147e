//! GNOME Shell: do-not-disturb is the GSettings key `show-banners` of
//! `org.gnome.desktop.notifications` set to `false` (what the Shell's "Do Not Disturb" switch
//! writes). GNOME still shows critical notifications then.
//!
//! `gio::Settings::new` aborts the process when the schema is not installed, so the schema is looked
//! up first and the settings opened with `Settings::new_full`; every write is flushed with
//! `Settings::sync` before returning, so a crash right after cannot lose it.

use gio::prelude::*;

use super::{BackendKind, DndError, DoNotDisturb, Pending, Token};

const SCHEMA: &str = "org.gnome.desktop.notifications";
const KEY: &str = "show-banners";

/// GNOME's notification settings (the schema exists).
#[derive(Debug)]
pub struct Gnome {
    _private: (),
}

impl Gnome {
    /// GNOME's settings, or why they are not there.
    pub fn new() -> Result<Gnome, String> {
        settings().map(|_| Gnome { _private: () })
    }
}

fn settings() -> Result<gio::Settings, String> {
    let schema = gio::SettingsSchemaSource::default()
        .and_then(|source| source.lookup(SCHEMA, true))
        .filter(|schema| schema.has_key(KEY))
        .ok_or_else(|| format!("GNOME: the GSettings schema {SCHEMA} is not installed"))?;
    Ok(gio::Settings::new_full(
        &schema,
        None::<&gio::SettingsBackend>,
        None,
    ))
}

fn failed(message: String) -> DndError {
    DndError::Failed {
        backend: BackendKind::Gnome.name().into(),
        message,
    }
}

/// Whether banners are shown (`true`: do-not-disturb is off).
fn banners() -> Result<bool, DndError> {
    Ok(settings().map_err(failed)?.boolean(KEY))
}

fn set_banners(show: bool) -> Result<(), DndError> {
    settings()
        .map_err(failed)?
        .set_boolean(KEY, show)
        .map_err(|e| failed(format!("cannot write {SCHEMA} {KEY}: {e}")))?;
    gio::Settings::sync();
    Ok(())
}

impl DoNotDisturb for Gnome {
    fn kind(&self) -> BackendKind {
        BackendKind::Gnome
    }

    fn is_on(&self) -> Pending<'_, bool> {
        Box::pin(async { banners().map(|shown| !shown) })
    }

    fn turn_on(&self) -> Pending<'_, Token> {
        Box::pin(async {
            set_banners(false)?;
            Ok(Token::default())
        })
    }

    fn restore(&self, _: Token) -> Pending<'_, ()> {
        Box::pin(async { set_banners(true) })
    }
}
