//! Xfce: xfce4-notifyd reads its do-not-disturb from xfconf, channel `xfce4-notifyd`, property
//! `/do-not-disturb` (a boolean), which Baton writes through xfconfd's D-Bus interface
//! (`org.xfce.Xfconf` at `/org/xfce/Xfconf`: `GetProperty(s, s) -> v`, `SetProperty(s, s, v)`).
//! In do-not-disturb xfce4-notifyd shows only critical notifications.

use zbus::{Connection, OwnedVariant, Variant};

use super::bus::call;
use super::{BackendKind, DndError, DoNotDisturb, Pending, Token};

const TARGET: (&str, &str, &str) = ("org.xfce.Xfconf", "/org/xfce/Xfconf", "org.xfce.Xfconf");
const CHANNEL: &str = "xfce4-notifyd";
const PROPERTY: &str = "/do-not-disturb";

/// xfconf's notification settings on a bus connection.
#[derive(Debug)]
pub struct Xfce {
    conn: Connection,
}

impl Xfce {
    /// Xfce on `conn`.
    pub fn new(conn: Connection) -> Xfce {
        Xfce { conn }
    }

    async fn set(&self, on: bool) -> Result<(), DndError> {
        call(
            &self.conn,
            self.name(),
            TARGET,
            "SetProperty",
            &(CHANNEL, PROPERTY, Variant::Bool(on)),
        )
        .await
    }
}

impl DoNotDisturb for Xfce {
    fn kind(&self) -> BackendKind {
        BackendKind::Xfce
    }

    fn is_on(&self) -> Pending<'_, bool> {
        Box::pin(async move {
            let got: Result<OwnedVariant, _> = call(
                &self.conn,
                self.name(),
                TARGET,
                "GetProperty",
                &(CHANNEL, PROPERTY),
            )
            .await;
            match got {
                Ok(value) => bool::try_from(value).map_err(|e| DndError::Failed {
                    backend: self.name().into(),
                    message: format!("{CHANNEL} {PROPERTY} is not a boolean: {e}"),
                }),
                // xfconfd answers an unset property with an error: never set means off.
                Err(DndError::Failed { message, .. })
                    if message.contains("org.xfce.Xfconf.Error.PropertyNotFound") =>
                {
                    Ok(false)
                }
                Err(e) => Err(e),
            }
        })
    }

    fn turn_on(&self) -> Pending<'_, Token> {
        Box::pin(async move {
            self.set(true).await?;
            Ok(Token::default())
        })
    }

    fn restore(&self, _: Token) -> Pending<'_, ()> {
        Box::pin(self.set(false))
    }
}
