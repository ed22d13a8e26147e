//! KDE Plasma: `org.freedesktop.Notifications.Inhibit(desktop_entry, reason, hints) -> cookie` and
//! `UnInhibit(cookie)`; the `Inhibited` property says whether anyone inhibits. Plasma ends an
//! inhibition when the connection of its holder closes, so this backend keeps its connection for as
//! long as it holds the cookie; a Baton that crashes releases it by dying. While inhibited, Plasma
//! shows critical notifications and keeps the others in its history.

use zbus::Connection;

use super::bus::{call, get_bool, no_hints, NOTIFICATIONS};
use super::{BackendKind, DndError, DoNotDisturb, Pending, Token};

const TARGET: (&str, &str, &str) = (NOTIFICATIONS.0, NOTIFICATIONS.1, NOTIFICATIONS.0);

/// Plasma's notification server on a bus connection (kept open while Baton inhibits).
#[derive(Debug)]
pub struct Plasma {
    conn: Connection,
}

impl Plasma {
    /// Plasma on `conn`.
    pub fn new(conn: Connection) -> Plasma {
        Plasma { conn }
    }
}

impl DoNotDisturb for Plasma {
    fn kind(&self) -> BackendKind {
        BackendKind::Kde
    }

    fn is_on(&self) -> Pending<'_, bool> {
        Box::pin(get_bool(&self.conn, self.name(), TARGET, "Inhibited"))
    }

    fn turn_on(&self) -> Pending<'_, Token> {
        Box::pin(async move {
            let cookie: u32 = call(
                &self.conn,
                self.name(),
                TARGET,
                "Inhibit",
                &("baton", "Focus", no_hints()),
            )
            .await?;
            Ok(Token {
                cookie: Some(cookie),
            })
        })
    }

    fn restore(&self, token: Token) -> Pending<'_, ()> {
        Box::pin(async move {
            match token.cookie {
                Some(cookie) => {
                    call(&self.conn, self.name(), TARGET, "UnInhibit", &(cookie,)).await
                }
                // Held by a connection that is gone (a crashed Baton): Plasma ended it then.
                None => Ok::<(), DndError>(()),
            }
        })
    }
}
