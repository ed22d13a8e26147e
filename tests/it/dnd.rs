//! The desktop's do-not-disturb, against test D-Bus services on a private bus and a real GSettings
//! store.
//!
//! One private `dbus-daemon` serves the whole suite ([`bus`]); each test puts its test service on it
//! (a zbus connection owning the service's name, serving the documented interface and recording
//! every call Baton makes) and drives a backend with a connection of its own, or runs `baton daemon`
//! with `DBUS_SESSION_BUS_ADDRESS` pointing at the bus. The tests share well-known names, so they
//! take turns ([`one_at_a_time`]).
//!
//! GNOME runs the `baton` binary inside `dbus-run-session` with a temporary HOME, so the dconf store
//! written is a throwaway one, never the user's.
#![allow(clippy::unwrap_used)]

use std::collections::HashMap;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::{Arc, Mutex, MutexGuard, OnceLock};
use std::time::{Duration, Instant};

use baton::dnd::{self, BackendKind, Choice};
use baton::store::settings::{DESKTOP_DND, INTAKE_PORT};
use baton::store::Store;
use zbus::{Connection, OwnedVariant};

use crate::intake::free_port;

/// The suite's private session bus: its address, and the shell that ends it when this test process
/// exits (its standard input closes then).
struct Bus {
    address: String,
    _keeper: Mutex<(Child, ChildStdin)>,
}

/// The private bus, started at first use.
fn bus() -> &'static Bus {
    static BUS: OnceLock<Bus> = OnceLock::new();
    BUS.get_or_init(|| {
        let mut child = Command::new("sh")
            .arg("-c")
            .arg("dbus-daemon --session --nofork --print-address & pid=$!; read _; kill $pid")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .spawn()
            .expect("dbus-daemon (package dbus) runs the test bus");
        let stdin = child.stdin.take().unwrap();
        let mut line = String::new();
        BufReader::new(child.stdout.take().unwrap())
            .read_line(&mut line)
            .unwrap();
        assert!(
            line.starts_with("unix:"),
            "dbus-daemon prints its address: {line:?}"
        );
        Bus {
            address: line.trim().to_string(),
            _keeper: Mutex::new((child, stdin)),
        }
    })
}

/// The tests' services share well-known names on the one bus: one test at a time.
fn one_at_a_time() -> MutexGuard<'static, ()> {
    static TURN: Mutex<()> = Mutex::new(());
    TURN.lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap()
}

/// Serves `iface` at `path` under `name` on the private bus (taking the name over from an earlier
/// test's service).
async fn serve<I: zbus::object_server::Interface>(name: &str, path: &str, iface: I) -> Connection {
    zbus::connection::Builder::address(bus().address.as_str())
        .serve_at(path, iface)
        .name(name.to_string())
        .allow_name_replacements(true)
        .replace_existing_names(true)
        .build()
        .await
        .unwrap()
}

/// A client connection for Baton's backend.
async fn client() -> Connection {
    dnd::bus::connect(&bus().address).await.unwrap()
}

/// Calls a test service received, in order.
type Calls = Arc<Mutex<Vec<String>>>;

fn calls_of(calls: &Calls) -> Vec<String> {
    calls.lock().unwrap().clone()
}

/// FakePlasmaNotifications — a test D-Bus service implementing the documented
/// org.freedesktop.Notifications Inhibit interface (as KDE Plasma's notification server does):
/// `Inhibit` hands out cookies, `UnInhibit` takes them back, `Inhibited` is true while any is held.
struct FakePlasmaNotifications {
    calls: Calls,
    next_cookie: u32,
    held: Vec<u32>,
    name: &'static str,
}

#[zbus::interface(name = "org.freedesktop.Notifications")]
impl FakePlasmaNotifications {
    fn inhibit(
        &mut self,
        desktop_entry: &str,
        reason: &str,
        _hints: HashMap<String, OwnedVariant>,
    ) -> u32 {
        self.next_cookie += 1;
        self.held.push(self.next_cookie);
        self.calls.lock().unwrap().push(format!(
            "Inhibit({desktop_entry}, {reason}) -> {}",
            self.next_cookie
        ));
        self.next_cookie
    }

    fn un_inhibit(&mut self, cookie: u32) -> zbus::fdo::Result<()> {
        self.calls
            .lock()
            .unwrap()
            .push(format!("UnInhibit({cookie})"));
        let before = self.held.len();
        self.held.retain(|c| *c != cookie);
        if self.held.len() == before {
            return Err(zbus::fdo::Error::InvalidArgs(format!("no cookie {cookie}")));
        }
        Ok(())
    }

    fn get_server_information(&self) -> (String, String, String, String) {
        let vendor = if self.name == "Plasma" {
            "KDE"
        } else {
            "Canonical"
        };
        (self.name.into(), vendor.into(), "6.0".into(), "1.2".into())
    }

    #[zbus(property)]
    fn inhibited(&self) -> bool {
        !self.held.is_empty()
    }
}

#[test]
fn plasma_is_inhibited_then_released_with_the_same_cookie() {
    let _turn = one_at_a_time();
    let calls = Calls::default();
    runtime().block_on(async {
        let _service = serve(
            "org.freedesktop.Notifications",
            "/org/freedesktop/Notifications",
            FakePlasmaNotifications {
                calls: calls.clone(),
                next_cookie: 41,
                held: Vec::new(),
                name: "Plasma",
            },
        )
        .await;
        let plasma = dnd::on_bus(BackendKind::Kde, client().await).unwrap();
        assert_eq!(plasma.name(), "KDE Plasma");
        assert!(!plasma.is_on().await.unwrap());
        let token = plasma.turn_on().await.unwrap();
        assert!(plasma.is_on().await.unwrap(), "inhibited while held");
        plasma.restore(token).await.unwrap();
        assert!(!plasma.is_on().await.unwrap());
    });
    assert_eq!(
        calls_of(&calls),
        ["Inhibit(baton, Focus) -> 42", "UnInhibit(42)"],
        "the cookie Plasma gave is the one given back"
    );
}

#[test]
fn the_notification_servers_name_picks_the_backend() {
    let _turn = one_at_a_time();
    runtime().block_on(async {
        let _service = serve(
            "org.freedesktop.Notifications",
            "/org/freedesktop/Notifications",
            FakePlasmaNotifications {
                calls: Calls::default(),
                next_cookie: 0,
                held: Vec::new(),
                name: "Plasma",
            },
        )
        .await;
        let found = dnd::detect_with(Choice::Auto, Ok(client().await), "i3")
            .await
            .unwrap();
        assert_eq!(found.kind(), BackendKind::Kde, "the server's name wins");
        let _other = serve(
            "org.freedesktop.Notifications",
            "/org/freedesktop/Notifications",
            FakePlasmaNotifications {
                calls: Calls::default(),
                next_cookie: 0,
                held: Vec::new(),
                name: "notify-osd",
            },
        )
        .await;
        let why = dnd::detect_with(Choice::Auto, Ok(client().await), "i3")
            .await
            .unwrap_err();
        assert!(
            why.contains("\"notify-osd\"") && why.contains("\"i3\"") && why.contains("desktop_dnd"),
            "says what it found and what to set: {why}"
        );
        let kde = dnd::detect_with(Choice::Auto, Ok(client().await), "KDE")
            .await
            .unwrap();
        assert_eq!(kde.kind(), BackendKind::Kde, "then XDG_CURRENT_DESKTOP");
        let off = dnd::detect_with(Choice::Off, Ok(client().await), "KDE").await;
        assert!(off.is_err(), "desktop_dnd = off switches nothing");
    });
}

/// FakeMako — a test D-Bus service implementing mako's documented `fr.emersion.Mako` mode calls
/// (`ListModes`, `SetModes`, mako 1.8 and later).
struct FakeMako {
    calls: Calls,
    modes: Arc<Mutex<Vec<String>>>,
}

#[zbus::interface(name = "fr.emersion.Mako")]
impl FakeMako {
    fn list_modes(&self) -> Vec<String> {
        self.modes.lock().unwrap().clone()
    }

    fn set_modes(&mut self, modes: Vec<String>) {
        self.calls
            .lock()
            .unwrap()
            .push(format!("SetModes({})", modes.join(",")));
        *self.modes.lock().unwrap() = modes;
    }
}

#[test]
fn mako_gets_the_mode_added_then_removed_keeping_the_others() {
    let _turn = one_at_a_time();
    let calls = Calls::default();
    let modes = Arc::new(Mutex::new(vec!["default".to_string(), "work".to_string()]));
    runtime().block_on(async {
        let _service = serve(
            "org.freedesktop.Notifications",
            "/fr/emersion/Mako",
            FakeMako {
                calls: calls.clone(),
                modes: modes.clone(),
            },
        )
        .await;
        let mako = dnd::on_bus(BackendKind::Mako, client().await).unwrap();
        assert!(!mako.is_on().await.unwrap());
        let token = mako.turn_on().await.unwrap();
        assert!(mako.is_on().await.unwrap());
        // The user switches another mode on meanwhile: it stays.
        modes.lock().unwrap().push("gaming".into());
        mako.restore(token).await.unwrap();
    });
    assert_eq!(
        calls_of(&calls),
        [
            "SetModes(default,work,do-not-disturb)",
            "SetModes(default,work,gaming)"
        ]
    );
}

/// FakeXfconf — a test D-Bus service implementing xfconfd's documented `org.xfce.Xfconf`
/// `GetProperty`/`SetProperty`, holding the `xfce4-notifyd` channel's `/do-not-disturb`.
struct FakeXfconf {
    calls: Calls,
    dnd: Arc<Mutex<bool>>,
}

#[zbus::interface(name = "org.xfce.Xfconf")]
impl FakeXfconf {
    fn get_property(&self, channel: &str, property: &str) -> zbus::fdo::Result<OwnedVariant> {
        if (channel, property) != ("xfce4-notifyd", "/do-not-disturb") {
            return Err(zbus::fdo::Error::InvalidArgs(format!(
                "{channel} {property}"
            )));
        }
        Ok(OwnedVariant::from(*self.dnd.lock().unwrap()))
    }

    fn set_property(
        &mut self,
        channel: &str,
        property: &str,
        value: OwnedVariant,
    ) -> zbus::fdo::Result<()> {
        let on = bool::try_from(value).map_err(|e| zbus::fdo::Error::InvalidArgs(e.to_string()))?;
        self.calls
            .lock()
            .unwrap()
            .push(format!("SetProperty({channel}, {property}, {on})"));
        *self.dnd.lock().unwrap() = on;
        Ok(())
    }
}

async fn serve_xfconf(calls: &Calls, dnd: &Arc<Mutex<bool>>) -> Connection {
    serve(
        "org.xfce.Xfconf",
        "/org/xfce/Xfconf",
        FakeXfconf {
            calls: calls.clone(),
            dnd: dnd.clone(),
        },
    )
    .await
}

#[test]
fn xfce_gets_its_property_set_then_restored() {
    let _turn = one_at_a_time();
    let calls = Calls::default();
    let on = Arc::new(Mutex::new(false));
    runtime().block_on(async {
        let _service = serve_xfconf(&calls, &on).await;
        let xfce = dnd::on_bus(BackendKind::Xfce, client().await).unwrap();
        assert!(!xfce.is_on().await.unwrap());
        let token = xfce.turn_on().await.unwrap();
        assert!(xfce.is_on().await.unwrap());
        xfce.restore(token).await.unwrap();
    });
    assert_eq!(
        calls_of(&calls),
        [
            "SetProperty(xfce4-notifyd, /do-not-disturb, true)",
            "SetProperty(xfce4-notifyd, /do-not-disturb, false)"
        ]
    );
}

/// FakeSwaync — a test D-Bus service implementing SwayNotificationCenter's documented
/// `org.erikreider.swaync.cc` `GetDnd`/`SetDnd`.
struct FakeSwaync {
    calls: Calls,
    dnd: bool,
}

#[zbus::interface(name = "org.erikreider.swaync.cc")]
impl FakeSwaync {
    fn get_dnd(&self) -> bool {
        self.dnd
    }

    fn set_dnd(&mut self, state: bool) {
        self.calls.lock().unwrap().push(format!("SetDnd({state})"));
        self.dnd = state;
    }
}

#[test]
fn swaync_gets_dnd_set_then_cleared() {
    let _turn = one_at_a_time();
    let calls = Calls::default();
    runtime().block_on(async {
        let _service = serve(
            "org.erikreider.swaync.cc",
            "/org/erikreider/swaync/cc",
            FakeSwaync {
                calls: calls.clone(),
                dnd: false,
            },
        )
        .await;
        let swaync = dnd::on_bus(BackendKind::Swaync, client().await).unwrap();
        assert!(!swaync.is_on().await.unwrap());
        let token = swaync.turn_on().await.unwrap();
        assert!(swaync.is_on().await.unwrap());
        swaync.restore(token).await.unwrap();
        assert!(!swaync.is_on().await.unwrap());
    });
    assert_eq!(calls_of(&calls), ["SetDnd(true)", "SetDnd(false)"]);
}

/// FakeDunst — a test D-Bus service implementing dunst's documented `org.dunstproject.cmd0`
/// `paused` property (what `dunstctl set-paused` writes).
struct FakeDunst {
    calls: Calls,
    paused: bool,
}

#[zbus::interface(name = "org.dunstproject.cmd0")]
impl FakeDunst {
    #[zbus(property, name = "paused")]
    fn paused(&self) -> bool {
        self.paused
    }

    #[zbus(property, name = "paused")]
    fn set_paused(&mut self, paused: bool) {
        self.calls
            .lock()
            .unwrap()
            .push(format!("paused = {paused}"));
        self.paused = paused;
    }
}

#[test]
fn dunst_is_paused_then_resumed() {
    let _turn = one_at_a_time();
    let calls = Calls::default();
    runtime().block_on(async {
        let _service = serve(
            "org.freedesktop.Notifications",
            "/org/freedesktop/Notifications",
            FakeDunst {
                calls: calls.clone(),
                paused: false,
            },
        )
        .await;
        let dunst = dnd::on_bus(BackendKind::Dunst, client().await).unwrap();
        assert!(!dunst.is_on().await.unwrap());
        let token = dunst.turn_on().await.unwrap();
        assert!(dunst.is_on().await.unwrap());
        dunst.restore(token).await.unwrap();
    });
    assert_eq!(calls_of(&calls), ["paused = true", "paused = false"]);
}

#[test]
fn a_service_that_never_answers_times_out() {
    let _turn = one_at_a_time();
    runtime().block_on(async {
        // A name nobody owns on the bus answers at once with an error; a hung daemon is a name
        // owned by a connection that reads nothing: a raw connection with no object server.
        let _hung = zbus::connection::Builder::address(bus().address.as_str())
            .name("org.erikreider.swaync.cc")
            .allow_name_replacements(true)
            .replace_existing_names(true)
            .build()
            .await
            .unwrap();
        let swaync = dnd::on_bus(BackendKind::Swaync, client().await).unwrap();
        let since = Instant::now();
        let result = swaync.is_on().await;
        assert!(result.is_err(), "{result:?}");
        assert!(
            since.elapsed() < dnd::bus::CALL_TIMEOUT + Duration::from_secs(2),
            "bounded by the call timeout, not hung"
        );
    });
}

/// `baton daemon` on the private bus, switching Xfce, its log in `log`.
struct Daemon {
    child: Child,
    log: PathBuf,
}

impl Daemon {
    fn start(db: &Path) -> Daemon {
        let log = db.with_file_name("daemon.log");
        let file = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(&log)
            .unwrap();
        let child = Command::new(env!("CARGO_BIN_EXE_baton"))
            .env_remove("BATON_DB")
            .env_remove("XDG_CURRENT_DESKTOP")
            .env("DBUS_SESSION_BUS_ADDRESS", &bus().address)
            .env("BATON_NOTIFIER_LOG", db.with_file_name("shown.jsonl"))
            .arg("--db")
            .arg(db)
            .arg("daemon")
            .stdout(Stdio::null())
            .stderr(file)
            .spawn()
            .unwrap();
        Daemon { child, log }
    }

    fn log(&self) -> String {
        std::fs::read_to_string(&self.log).unwrap_or_default()
    }

    /// Waits until `done` holds, failing with the log after a deadline.
    fn until(&self, what: &str, done: impl Fn() -> bool) {
        let since = Instant::now();
        while !done() {
            assert!(
                since.elapsed() < Duration::from_secs(30),
                "{what} never happened; the daemon's log:\n{}",
                self.log()
            );
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    fn kill_9(mut self) {
        self.child.kill().unwrap();
        self.child.wait().unwrap();
    }

    fn stop(mut self) {
        let sent = Command::new("kill")
            .arg("-TERM")
            .arg(self.child.id().to_string())
            .status()
            .unwrap();
        assert!(sent.success());
        let exit = self.child.wait().unwrap();
        assert!(exit.success(), "{exit}; log:\n{}", self.log());
    }
}

fn database(dir: &Path) -> PathBuf {
    let db = dir.join("baton.db");
    let store = Store::open(&db).unwrap();
    store.set_setting(DESKTOP_DND, "xfce").unwrap();
    store
        .set_setting(INTAKE_PORT, &free_port().to_string())
        .unwrap();
    db
}

fn record(db: &Path) -> Option<baton::store::dnd::DndRecord> {
    Store::open(db).unwrap().dnd_record().unwrap()
}

#[test]
fn a_runner_killed_during_focus_restores_at_its_next_start_once_focus_is_over() {
    let _turn = one_at_a_time();
    let dir = tempfile::tempdir().unwrap();
    let db = database(dir.path());
    let calls = Calls::default();
    let on = Arc::new(Mutex::new(false));
    let runtime = runtime();
    let _service = runtime.block_on(serve_xfconf(&calls, &on));
    let is_on = || *on.lock().unwrap();

    let daemon = Daemon::start(&db);
    let now = chrono::Utc::now();
    Store::open(&db)
        .unwrap()
        .start_focus(now, now + chrono::Duration::minutes(30))
        .unwrap();
    daemon.until("do-not-disturb on", || is_on() && record(&db).is_some());
    assert_eq!(
        record(&db).map(|r| (r.backend, r.found_on)),
        Some(("xfce".to_string(), false)),
        "the found state is on record"
    );
    daemon.kill_9();
    assert!(is_on(), "nobody restored it");
    assert!(record(&db).is_some(), "the record outlives the runner");

    // Restarted before the end: it stays on, and the record stays.
    let daemon = Daemon::start(&db);
    daemon.until("the record taken over", || {
        daemon.log().contains("stays on from the last run")
    });
    assert!(is_on() && record(&db).is_some());
    daemon.kill_9();

    // The session ends while no runner runs; the next one puts the desktop back.
    Store::open(&db)
        .unwrap()
        .stop_focus(chrono::Utc::now())
        .unwrap();
    let daemon = Daemon::start(&db);
    daemon.until("restored", || !is_on() && record(&db).is_none());

    // Quitting during focus restores too.
    let now = chrono::Utc::now();
    Store::open(&db)
        .unwrap()
        .start_focus(now, now + chrono::Duration::minutes(30))
        .unwrap();
    daemon.until("on again", is_on);
    daemon.stop();
    assert!(!is_on(), "SIGTERM restores before exiting");
    assert_eq!(record(&db), None);
    assert_eq!(
        calls_of(&calls),
        [
            "SetProperty(xfce4-notifyd, /do-not-disturb, true)",
            "SetProperty(xfce4-notifyd, /do-not-disturb, true)",
            "SetProperty(xfce4-notifyd, /do-not-disturb, false)",
            "SetProperty(xfce4-notifyd, /do-not-disturb, true)",
            "SetProperty(xfce4-notifyd, /do-not-disturb, false)",
        ],
        "on; on again at the restart during focus; off after the end; on and off for the last session"
    );
}

#[test]
fn a_do_not_disturb_that_was_on_before_focus_stays_on_after() {
    let _turn = one_at_a_time();
    let dir = tempfile::tempdir().unwrap();
    let db = database(dir.path());
    let calls = Calls::default();
    let on = Arc::new(Mutex::new(true));
    let runtime = runtime();
    let _service = runtime.block_on(serve_xfconf(&calls, &on));

    let daemon = Daemon::start(&db);
    let now = chrono::Utc::now();
    Store::open(&db)
        .unwrap()
        .start_focus(now, now + chrono::Duration::minutes(30))
        .unwrap();
    daemon.until("focus seen", || record(&db).is_some_and(|r| r.found_on));
    Store::open(&db)
        .unwrap()
        .stop_focus(chrono::Utc::now())
        .unwrap();
    daemon.until("focus end seen", || record(&db).is_none());
    daemon.stop();
    assert!(*on.lock().unwrap(), "still on, as the user had it");
    assert_eq!(
        calls_of(&calls),
        Vec::<String>::new(),
        "Baton never wrote it"
    );
}

/// Runs `script` in `sh` inside its own `dbus-run-session`, with HOME and the XDG directories in
/// `dir` (a throwaway dconf store) and `$BATON` the binary; returns its standard output.
fn in_session(dir: &Path, script: &str) -> String {
    for dir_name in ["home", "config", "runtime"] {
        std::fs::create_dir_all(dir.join(dir_name)).unwrap();
    }
    let out = Command::new("dbus-run-session")
        .arg("--")
        .arg("sh")
        .arg("-c")
        .arg(format!("set -e\n{script}"))
        .env("HOME", dir.join("home"))
        .env("XDG_CONFIG_HOME", dir.join("config"))
        .env("XDG_RUNTIME_DIR", dir.join("runtime"))
        .env("GSETTINGS_BACKEND", "dconf")
        .env("BATON", env!("CARGO_BIN_EXE_baton"))
        .env("DB", dir.join("baton.db"))
        .env("PORT", free_port().to_string())
        .env_remove("BATON_DB")
        .env_remove("XDG_CURRENT_DESKTOP")
        .output()
        .expect(
            "dbus-run-session runs (packages dbus, dconf-service, dconf-gsettings-backend, \
             gsettings-desktop-schemas, libglib2.0-bin: scripts/setup.sh server_test_deps)",
        );
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(
        out.status.success(),
        "the session script failed: {}\nstdout:\n{stdout}\nstderr:\n{}\ndaemon log:\n{}",
        out.status,
        String::from_utf8_lossy(&out.stderr),
        std::fs::read_to_string(dir.join("daemon.log")).unwrap_or_default()
    );
    stdout
}

/// The GNOME session script: banners start as `$BEFORE`; a daemon runs; a focus session starts and
/// stops; `show-banners` is printed during and after.
const GNOME_SESSION: &str = r#"
key="org.gnome.desktop.notifications show-banners"
gsettings set $key $BEFORE
"$BATON" --db "$DB" settings set desktop_dnd gnome >/dev/null
"$BATON" --db "$DB" settings set intake_port "$PORT" >/dev/null
BATON_NOTIFIER_LOG="$DB.shown" "$BATON" --db "$DB" daemon 2>"$(dirname "$DB")/daemon.log" &
pid=$!
wait_for() {
    i=0
    until "$BATON" --db "$DB" focus status | grep -q "$1"; do
        i=$((i + 1)); [ $i -lt 600 ] || { echo "never: $1"; kill $pid; exit 1; }
        sleep 0.05
    done
}
"$BATON" --db "$DB" focus start --minutes 5 >/dev/null
wait_for "do not disturb: GNOME; on"
echo "during: $(gsettings get $key)"
"$BATON" --db "$DB" focus stop >/dev/null
wait_for "Baton has not turned it on"
echo "after: $(gsettings get $key)"
kill -TERM $pid
wait $pid
"#;

#[test]
fn gnome_banners_are_hidden_during_focus_and_shown_after() {
    let dir = tempfile::tempdir().unwrap();
    let out = in_session(dir.path(), &format!("BEFORE=true\n{GNOME_SESSION}"));
    assert_eq!(out, "during: false\nafter: true\n");
}

#[test]
fn gnome_banners_hidden_before_focus_stay_hidden_after() {
    let dir = tempfile::tempdir().unwrap();
    let out = in_session(dir.path(), &format!("BEFORE=false\n{GNOME_SESSION}"));
    assert_eq!(out, "during: false\nafter: false\n");
}

#[test]
fn a_backend_that_fails_is_logged_once_and_focus_goes_on() {
    let _turn = one_at_a_time();
    let dir = tempfile::tempdir().unwrap();
    let db = database(dir.path());
    // Nobody serves swaync on the test bus: every call fails.
    Store::open(&db)
        .unwrap()
        .set_setting(DESKTOP_DND, "swaync")
        .unwrap();
    let daemon = Daemon::start(&db);
    let failures = || daemon.log().matches("focus goes on without it").count();
    let focus_for_a_while = || {
        let now = chrono::Utc::now();
        Store::open(&db)
            .unwrap()
            .start_focus(now, now + chrono::Duration::minutes(30))
            .unwrap()
    };
    focus_for_a_while();
    daemon.until("the failure logged", || failures() == 1);
    Store::open(&db)
        .unwrap()
        .stop_focus(chrono::Utc::now())
        .unwrap();
    focus_for_a_while();
    // The second session meets the same failure (at most a call timeout later): not logged again.
    std::thread::sleep(dnd::bus::CALL_TIMEOUT + Duration::from_secs(1));
    assert_eq!(failures(), 1, "once; log:\n{}", daemon.log());
    assert!(
        Store::open(&db)
            .unwrap()
            .active_focus(chrono::Utc::now())
            .unwrap()
            .is_some(),
        "focus itself runs"
    );
    assert_eq!(
        record(&db),
        None,
        "nothing was changed, so nothing is recorded"
    );
    daemon.stop();
}
