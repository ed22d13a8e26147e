//! dunst: its `org.dunstproject.cmd0` interface on the notification server's object, property
//! `paused` (what `dunstctl set-paused` writes). While paused, dunst shows nothing, critical
//! notifications included, and shows what it held when un-paused (dunst 1.9's manual; newer dunst
//! lets a rule's `override_pause_level` through).

use zbus::Connection;

use super::bus::{get_bool, set_bool, NOTIFICATIONS};
use super::{BackendKind, DoNotDisturb, Pending, Token};

const TARGET: (&str, &str, &str) = (NOTIFICATIONS.0, NOTIFICATIONS.1, "org.dunstproject.cmd0");

/// dunst on a bus connection.
#[derive(Debug)]
pub struct Dunst {
    conn: Connection,
}

impl Dunst {
    /// dunst on `conn`.
    pub fn new(conn: Connection) -> Dunst {
        Dunst { conn }
    }
}

impl DoNotDisturb for Dunst {
    fn kind(&self) -> BackendKind {
        BackendKind::Dunst
    }

    fn is_on(&self) -> Pending<'_, bool> {
        Box::pin(get_bool(&self.conn, self.name(), TARGET, "paused"))
    }

    fn turn_on(&self) -> Pending<'_, Token> {
        Box::pin(async move {
            set_bool(&self.conn, self.name(), TARGET, "paused", true).await?;
            Ok(Token::default())
        })
    }

    fn restore(&self, _: Token) -> Pending<'_, ()> {
        Box::pin(set_bool(&self.conn, self.name(), TARGET, "paused", false))
    }
}
