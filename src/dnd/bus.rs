//! D-Bus calls to a notification server, each bounded in time: a hung daemon answers nothing, and
//! Baton goes on without it after [`CALL_TIMEOUT`].

use std::collections::HashMap;
use std::future::Future;
use std::time::Duration;

use serde::de::DeserializeOwned;
use zbus::{Connection, DynamicType, OwnedVariant, Type, Variant};

use super::DndError;

/// The longest Baton waits for a D-Bus answer (or to connect to the bus).
pub const CALL_TIMEOUT: Duration = Duration::from_secs(3);

/// The desktop notification server's bus name and object path.
pub const NOTIFICATIONS: (&str, &str) = (
    "org.freedesktop.Notifications",
    "/org/freedesktop/Notifications",
);

/// Connects to the session bus (`DBUS_SESSION_BUS_ADDRESS`), with every call on the connection
/// bounded by [`CALL_TIMEOUT`].
pub async fn session() -> Result<Connection, DndError> {
    within(
        "the session bus",
        zbus::connection::Builder::session()
            .method_timeout(CALL_TIMEOUT)
            .build(),
    )
    .await
}

/// Connects to the bus at `address` (a D-Bus address such as `unix:path=/run/user/1000/bus`), as
/// [`session`] does.
pub async fn connect(address: &str) -> Result<Connection, DndError> {
    within(
        "the bus",
        zbus::connection::Builder::address(address)
            .method_timeout(CALL_TIMEOUT)
            .build(),
    )
    .await
}

async fn within(
    what: &str,
    build: impl Future<Output = zbus::Result<Connection>>,
) -> Result<Connection, DndError> {
    let fail = |e: zbus::Error| DndError::NoBus(format!("cannot connect to {what}: {e}"));
    match tokio::time::timeout(CALL_TIMEOUT, build).await {
        Ok(conn) => conn.map_err(fail),
        Err(_) => Err(DndError::NoBus(format!(
            "{what} did not answer within {} s",
            CALL_TIMEOUT.as_secs()
        ))),
    }
}

/// One method call to `backend`'s service, its reply read as `R`.
pub async fn call<B, R>(
    conn: &Connection,
    backend: &str,
    (dest, path, iface): (&str, &str, &str),
    method: &str,
    body: &B,
) -> Result<R, DndError>
where
    B: serde::Serialize + DynamicType,
    R: DeserializeOwned + Type,
{
    let failed = |message: String| DndError::Failed {
        backend: backend.to_string(),
        message: format!("{iface}.{method}: {message}"),
    };
    let reply = tokio::time::timeout(
        CALL_TIMEOUT,
        conn.call_method(Some(dest), path, Some(iface), method, body),
    )
    .await
    .map_err(|_| failed(format!("no answer within {} s", CALL_TIMEOUT.as_secs())))?
    .map_err(|e| failed(e.to_string()))?;
    reply
        .body()
        .deserialize::<R>()
        .map_err(|e| failed(format!("unexpected answer: {e}")))
}

/// A boolean property of `iface`.
pub async fn get_bool(
    conn: &Connection,
    backend: &str,
    (dest, path, iface): (&str, &str, &str),
    property: &str,
) -> Result<bool, DndError> {
    let value: OwnedVariant = call(
        conn,
        backend,
        (dest, path, "org.freedesktop.DBus.Properties"),
        "Get",
        &(iface, property),
    )
    .await?;
    bool::try_from(value).map_err(|e| DndError::Failed {
        backend: backend.to_string(),
        message: format!("{iface}.{property} is not a boolean: {e}"),
    })
}

/// Sets a boolean property of `iface`.
pub async fn set_bool(
    conn: &Connection,
    backend: &str,
    (dest, path, iface): (&str, &str, &str),
    property: &str,
    value: bool,
) -> Result<(), DndError> {
    call::<_, ()>(
        conn,
        backend,
        (dest, path, "org.freedesktop.DBus.Properties"),
        "Set",
        &(iface, property, Variant::Bool(value)),
    )
    .await
}

/// The notification server's `GetServerInformation`: name, vendor, version, spec version.
pub async fn server_information(
    conn: &Connection,
) -> Result<(String, String, String, String), DndError> {
    call(
        conn,
        "the notification server",
        (NOTIFICATIONS.0, NOTIFICATIONS.1, NOTIFICATIONS.0),
        "GetServerInformation",
        &(),
    )
    .await
}

/// No hints: the `a{sv}` of a call that takes some.
pub fn no_hints() -> HashMap<&'static str, Variant<'static>> {
    HashMap::new()
}
