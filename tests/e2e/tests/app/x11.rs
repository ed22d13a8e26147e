//! The app's windows on the X display, and closing one the way a window manager does.
//!
//! Xvfb runs no window manager, so nothing would turn a click on a close button into a close request.
//! [`close`] sends what a window manager sends: a `WM_DELETE_WINDOW` client message, which GTK turns into
//! `delete-event`, the same path as the user closing the window. (Destroying the X window instead, as
//! `xdotool windowclose` does, skips that path and tests something no user can do.)

use x11rb::connection::Connection as _;
use x11rb::protocol::xproto::{
    AtomEnum, ClientMessageEvent, ConnectionExt as _, EventMask, MapState, Window,
};
use x11rb::rust_connection::RustConnection;

use anyhow::{Context as _, Result};

/// A mapped top-level window.
#[derive(Debug, Clone)]
pub struct TopLevel {
    pub id: Window,
    pub title: String,
}

struct Display {
    conn: RustConnection,
    root: Window,
}

impl Display {
    fn open() -> Result<Display> {
        let (conn, screen) =
            x11rb::connect(None).context("cannot open the X display; is DISPLAY set?")?;
        let root = conn.setup().roots[screen].root;
        Ok(Display { conn, root })
    }

    fn atom(&self, name: &str) -> Result<u32> {
        Ok(self.conn.intern_atom(false, name.as_bytes())?.reply()?.atom)
    }
}

/// The mapped top-level windows of process `pid` (by `_NET_WM_PID`).
pub fn windows_of(pid: u32) -> Result<Vec<TopLevel>> {
    let d = Display::open()?;
    let net_wm_pid = d.atom("_NET_WM_PID")?;
    let net_wm_name = d.atom("_NET_WM_NAME")?;
    let utf8 = d.atom("UTF8_STRING")?;
    let mut found = Vec::new();
    for w in d.conn.query_tree(d.root)?.reply()?.children {
        let owner = d
            .conn
            .get_property(false, w, net_wm_pid, AtomEnum::CARDINAL, 0, 1)?
            .reply()?;
        if owner.value32().and_then(|mut v| v.next()) != Some(pid) {
            continue;
        }
        if d.conn.get_window_attributes(w)?.reply()?.map_state != MapState::VIEWABLE {
            continue;
        }
        let name = d
            .conn
            .get_property(false, w, net_wm_name, utf8, 0, 1024)?
            .reply()?;
        found.push(TopLevel {
            id: w,
            title: String::from_utf8_lossy(&name.value).into_owned(),
        });
    }
    Ok(found)
}

/// Asks `window` to close, as a window manager does when its close button is clicked.
pub fn close(window: Window) -> Result<()> {
    let d = Display::open()?;
    let protocols = d.atom("WM_PROTOCOLS")?;
    let delete = d.atom("WM_DELETE_WINDOW")?;
    let event = ClientMessageEvent::new(32, window, protocols, [delete, 0, 0, 0, 0]);
    d.conn
        .send_event(false, window, EventMask::NO_EVENT, event)?
        .check()?;
    d.conn.flush()?;
    Ok(())
}

/// `window`'s `WM_CLASS`: its instance and class names, which docks and menus match against a desktop
/// entry's `StartupWMClass`.
pub fn wm_class(window: Window) -> Result<(String, String)> {
    let d = Display::open()?;
    let value = d
        .conn
        .get_property(false, window, AtomEnum::WM_CLASS, AtomEnum::STRING, 0, 1024)?
        .reply()?
        .value;
    let mut parts = value
        .split(|&b| b == 0)
        .map(|p| String::from_utf8_lossy(p).into_owned());
    let instance = parts.next().context("the window has no WM_CLASS")?;
    let class = parts.next().context("WM_CLASS has no class name")?;
    Ok((instance, class))
}
