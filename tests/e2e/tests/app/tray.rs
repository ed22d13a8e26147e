//! The app's tray menu, read and clicked over D-Bus the way a desktop panel does.
//!
//! libayatana-appindicator registers a StatusNotifierItem with the `org.kde.StatusNotifierWatcher`
//! (here `status-notifier-watcher`) and exports its menu through `com.canonical.dbusmenu`. The item is
//! chosen by the process id behind its bus name, so a stale registration of an earlier app cannot be
//! mistaken for this one. The app rebuilds its menu on every change and item ids change with it, so
//! every read and every click starts from a fresh `GetLayout`.

use std::collections::HashMap;
use std::time::Duration;

use zbus::fdo::{DBusProxy, IntrospectableProxy, PropertiesProxy};
use zbus::names::{BusName, InterfaceName};
use zbus::zvariant::{OwnedObjectPath, OwnedValue, Value};
use zbus::Connection;

use anyhow::{anyhow, Context as _, Result};

use crate::eventually;

const WATCHER: &str = "org.kde.StatusNotifierWatcher";
const ITEM_ROOT: &str = "/org/ayatana/NotificationItem";
const DBUSMENU: &str = "com.canonical.dbusmenu";

/// One entry of the menu (separators and hidden entries are left out).
#[derive(Debug, Clone)]
pub struct Entry {
    pub id: i32,
    pub label: String,
    pub enabled: bool,
}

/// The tray item of one app process.
pub struct Tray {
    conn: Connection,
    service: String,
    item: OwnedObjectPath,
}

impl Tray {
    /// The tray item registered by process `pid`, waiting up to `timeout` for it to register.
    pub async fn of(pid: u32, timeout: Duration) -> Result<Tray> {
        let conn = Connection::session()
            .await
            .context("no D-Bus session bus; run the suite with scripts/e2e.sh")?;
        let (service, item) = eventually(
            &format!("a tray item of process {pid} registered with the StatusNotifierWatcher"),
            timeout,
            async || find_item(&conn, pid).await,
        )
        .await?;
        Ok(Tray {
            conn,
            service,
            item,
        })
    }

    /// The menu as it is now, top level entries in order.
    pub async fn entries(&self) -> Result<Vec<Entry>> {
        let menu = self.menu_path().await?;
        let reply = self
            .conn
            .call_method(
                Some(self.service.as_str()),
                menu.as_str(),
                Some(DBUSMENU),
                "GetLayout",
                &(0i32, -1i32, Vec::<String>::new()),
            )
            .await?;
        type Layout = (i32, HashMap<String, OwnedValue>, Vec<OwnedValue>);
        let (_revision, (_root, _props, children)): (u32, Layout) = reply.body().deserialize()?;
        let mut entries = Vec::new();
        for child in &children {
            collect(child, &mut entries);
        }
        Ok(entries)
    }

    /// The labels of the menu, for messages.
    pub async fn labels(&self) -> Result<Vec<String>> {
        Ok(self.entries().await?.into_iter().map(|e| e.label).collect())
    }

    /// Clicks the enabled entry whose label starts with `label`, as a panel does when the user picks it.
    /// The tray rebuilds its menu when its state changes (while it starts, say), which gives every
    /// entry a new id: a click on an id that is gone did nothing, so it is tried again on the new menu.
    pub async fn click(&self, label: &str) -> Result<()> {
        let mut tries = 0;
        loop {
            match self.click_once(label).await {
                Err(e) if tries < 20 && e.to_string().contains("does not refer to a menu item") => {
                    tries += 1;
                    tokio::time::sleep(Duration::from_millis(100)).await;
                }
                result => return result,
            }
        }
    }

    async fn click_once(&self, label: &str) -> Result<()> {
        let entries = self.entries().await?;
        let entry = entries
            .iter()
            .find(|e| e.enabled && e.label.starts_with(label))
            .ok_or_else(|| anyhow!("no enabled tray entry '{label}…' in {:?}", labels(&entries)))?;
        let menu = self.menu_path().await?;
        self.conn
            .call_method(
                Some(self.service.as_str()),
                menu.as_str(),
                Some(DBUSMENU),
                "Event",
                &(entry.id, "clicked", Value::I32(0), 0u32),
            )
            .await?;
        Ok(())
    }

    /// Waits until some entry satisfies `wanted`, and returns its label.
    pub async fn wait_for(
        &self,
        what: &str,
        timeout: Duration,
        wanted: impl Fn(&str) -> bool,
    ) -> Result<String> {
        eventually(what, timeout, async || {
            let entries = self.entries().await.map_err(|e| e.to_string())?;
            entries
                .iter()
                .find(|e| wanted(&e.label))
                .map(|e| e.label.clone())
                .ok_or_else(|| format!("menu {:?}", labels(&entries)))
        })
        .await
    }

    async fn menu_path(&self) -> Result<OwnedObjectPath> {
        let props = PropertiesProxy::builder(&self.conn)
            .destination(self.service.as_str())?
            .path(self.item.as_str())?
            .build()
            .await?;
        let menu = props
            .get(
                InterfaceName::from_static_str("org.kde.StatusNotifierItem")?,
                "Menu",
            )
            .await?;
        Ok(OwnedObjectPath::try_from(menu)?)
    }
}

fn labels(entries: &[Entry]) -> Vec<&str> {
    entries.iter().map(|e| e.label.as_str()).collect()
}

/// The bus name and item path of `pid`'s registered tray item, or what was seen instead.
async fn find_item(
    conn: &Connection,
    pid: u32,
) -> std::result::Result<(String, OwnedObjectPath), String> {
    let watcher = PropertiesProxy::builder(conn)
        .destination(WATCHER)
        .and_then(|b| b.path("/StatusNotifierWatcher"))
        .map_err(|e| e.to_string())?
        .build()
        .await
        .map_err(|e| e.to_string())?;
    let registered = watcher
        .get(
            InterfaceName::from_static_str_unchecked(WATCHER),
            "RegisteredStatusNotifierItems",
        )
        .await
        .map_err(|e| {
            format!(
                "no StatusNotifierWatcher on the session bus ({e}); start status-notifier-watcher"
            )
        })?;
    let registered = Vec::<String>::try_from(registered).map_err(|e| e.to_string())?;
    let bus = DBusProxy::new(conn).await.map_err(|e| e.to_string())?;
    for entry in &registered {
        // An entry is a bus name, or a bus name followed by the item's object path.
        let (service, path) = match entry.find('/') {
            Some(i) => (&entry[..i], Some(&entry[i..])),
            None => (entry.as_str(), None),
        };
        let Ok(name) = BusName::try_from(service) else {
            continue;
        };
        if bus.get_connection_unix_process_id(name).await.ok() != Some(pid) {
            continue;
        }
        let path = match path {
            Some(p) => p.to_string(),
            None => item_path(conn, service).await.map_err(|e| e.to_string())?,
        };
        return Ok((
            service.to_string(),
            OwnedObjectPath::try_from(path).map_err(|e| e.to_string())?,
        ));
    }
    Err(format!("registered items {registered:?}"))
}

/// The item's object path under appindicator's root (one child node per indicator).
async fn item_path(conn: &Connection, service: &str) -> Result<String> {
    let xml = IntrospectableProxy::builder(conn)
        .destination(service)?
        .path(ITEM_ROOT)?
        .build()
        .await?
        .introspect()
        .await?;
    let node = xml
        .split("<node name=\"")
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .ok_or_else(|| anyhow!("no indicator under {ITEM_ROOT} of {service}"))?;
    Ok(format!("{ITEM_ROOT}/{node}"))
}

/// Adds the menu entry `value` (a dbusmenu `(ia{sv}av)`) to `out`; submenus are not descended into.
fn collect(value: &Value<'_>, out: &mut Vec<Entry>) {
    let value = match value {
        Value::Value(inner) => inner,
        other => other,
    };
    let Value::Structure(s) = value else {
        return;
    };
    let (Some(Value::I32(id)), Some(Value::Dict(props))) = (s.fields().first(), s.fields().get(1))
    else {
        return;
    };
    let mut label = None;
    let mut enabled = true;
    let mut visible = true;
    for (key, val) in props.iter() {
        let val = match val {
            Value::Value(inner) => inner,
            other => other,
        };
        match (key, val) {
            (Value::Str(k), Value::Str(v)) if k.as_str() == "label" => {
                label = Some(v.as_str().to_string())
            }
            (Value::Str(k), Value::Bool(b)) if k.as_str() == "enabled" => enabled = *b,
            (Value::Str(k), Value::Bool(b)) if k.as_str() == "visible" => visible = *b,
            _ => {}
        }
    }
    if let (Some(label), true) = (label, visible) {
        out.push(Entry {
            id: *id,
            label,
            enabled,
        });
    }
}
