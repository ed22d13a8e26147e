//! mako: do-not-disturb is the mode `do-not-disturb` (the user's config says what it hides; the
//! usual `[mode=do-not-disturb] invisible=1` hides everything, critical included, unless the config
//! adds a `[urgency=critical]` rule after it). Baton adds the mode beside the modes already set and
//! removes only it, through `fr.emersion.Mako` at `/fr/emersion/Mako`: `ListModes() -> as` and
//! `SetModes(as)` (mako 1.8 and later).

use zbus::Connection;

use super::bus::{call, NOTIFICATIONS};
use super::{BackendKind, DndError, DoNotDisturb, Pending, Token};

const TARGET: (&str, &str, &str) = (NOTIFICATIONS.0, "/fr/emersion/Mako", "fr.emersion.Mako");
/// The mode Baton adds.
pub const MODE: &str = "do-not-disturb";

/// mako on a bus connection.
#[derive(Debug)]
pub struct Mako {
    conn: Connection,
}

impl Mako {
    /// mako on `conn`.
    pub fn new(conn: Connection) -> Mako {
        Mako { conn }
    }

    async fn modes(&self) -> Result<Vec<String>, DndError> {
        call(&self.conn, self.name(), TARGET, "ListModes", &()).await
    }

    async fn set_modes(&self, modes: Vec<String>) -> Result<(), DndError> {
        call(&self.conn, self.name(), TARGET, "SetModes", &(modes,)).await
    }
}

impl DoNotDisturb for Mako {
    fn kind(&self) -> BackendKind {
        BackendKind::Mako
    }

    fn is_on(&self) -> Pending<'_, bool> {
        Box::pin(async move { Ok(self.modes().await?.iter().any(|m| m == MODE)) })
    }

    fn turn_on(&self) -> Pending<'_, Token> {
        Box::pin(async move {
            let mut modes = self.modes().await?;
            if !modes.iter().any(|m| m == MODE) {
                modes.push(MODE.into());
                self.set_modes(modes).await?;
            }
            Ok(Token::default())
        })
    }

    fn restore(&self, _: Token) -> Pending<'_, ()> {
        Box::pin(async move {
            let modes = self.modes().await?;
            if modes.iter().any(|m| m == MODE) {
                let kept = modes.into_iter().filter(|m| m != MODE).collect();
                self.set_modes(kept).await?;
            }
            Ok(())
        })
    }
}
