//! SwayNotificationCenter: `org.erikreider.swaync.cc` at `/org/erikreider/swaync/cc`, methods
//! `GetDnd() -> b` and `SetDnd(b)` (what `swaync-client --dnd-on` calls). In do-not-disturb swaync
//! keeps notifications in its panel without showing them; critical ones still show.

use zbus::Connection;

use super::bus::call;
use super::{BackendKind, DoNotDisturb, Pending, Token};

const TARGET: (&str, &str, &str) = (
    "org.erikreider.swaync.cc",
    "/org/erikreider/swaync/cc",
    "org.erikreider.swaync.cc",
);

/// swaync on a bus connection.
#[derive(Debug)]
pub struct Swaync {
    conn: Connection,
}

impl Swaync {
    /// swaync on `conn`.
    pub fn new(conn: Connection) -> Swaync {
        Swaync { conn }
    }
}

impl DoNotDisturb for Swaync {
    fn kind(&self) -> BackendKind {
        BackendKind::Swaync
    }

    fn is_on(&self) -> Pending<'_, bool> {
        Box::pin(call(&self.conn, self.name(), TARGET, "GetDnd", &()))
    }

    fn turn_on(&self) -> Pending<'_, Token> {
        Box::pin(async move {
            call::<_, ()>(&self.conn, self.name(), TARGET, "SetDnd", &(true,)).await?;
            Ok(Token::default())
        })
    }

    fn restore(&self, _: Token) -> Pending<'_, ()> {
        Box::pin(call(&self.conn, self.name(), TARGET, "SetDnd", &(false,)))
    }
}
