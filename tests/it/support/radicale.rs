//! One real Radicale (a CalDAV server, installed by `scripts/setup.sh`) per test process, on
//! 127.0.0.1 at a free port, with plain-text htpasswd users and its collections in a temporary
//! directory.
//!
//! It is started by the first test that asks and shared by the rest: each test works as its own user
//! (Radicale's `owner_only` rights keep users apart), so tests running in parallel do not see each
//! other's calendars. A test process may exit without dropping statics, so the server is not killed
//! by a guard: it runs under a small `sh` that holds a pipe from this process on its standard input
//! and kills Radicale (and removes the directory) when the pipe closes, which the kernel does when
//! this process ends, however it ends.
#![allow(clippy::unwrap_used)]

use std::io::Write;
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::path::PathBuf;
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::{Mutex, OnceLock};
use std::time::Duration;

use baton::calendar::caldav::{CaldavClient, Credentials, CALDAV_LIMITS};

/// Every user's password (distinctive, so a test can look for it in a file).
pub const PASSWORD: &str = "radicale-pw-7f3a9c";

/// The users the server knows, one per test that needs one.
pub const USERS: &[&str] = &[
    "disc", "objs", "state", "publ", "auth", "spare", "calcli", "calbad", "calexp",
];

/// Most attempts to connect while the server starts, 50 ms apart (10 s in all).
const READY_ATTEMPTS: u32 = 200;

/// The running server.
pub struct Radicale {
    /// `http://127.0.0.1:PORT/`.
    pub base: String,
    /// Kept open for the life of the process: its closing stops the server.
    _lifeline: Mutex<(Child, ChildStdin)>,
}

impl Radicale {
    /// A client for `user` with the right password.
    pub fn client(&self, user: &str) -> CaldavClient {
        self.client_with(user, PASSWORD)
    }

    /// A client for `user` with `password`.
    pub fn client_with(&self, user: &str, password: &str) -> CaldavClient {
        let creds = Credentials {
            user: user.into(),
            password: password.into(),
        };
        CaldavClient::new(&self.base, creds, CALDAV_LIMITS).unwrap()
    }

    /// The URL of `user`'s calendar `slug`.
    pub fn calendar_url(&self, user: &str, slug: &str) -> String {
        format!("{}{user}/{slug}/", self.base)
    }

    /// Makes `user`'s calendar `slug` (MKCALENDAR) named `name` for `components`; answers its URL.
    pub fn mkcalendar(&self, user: &str, slug: &str, name: &str, components: &[&str]) -> String {
        let url = self.calendar_url(user, slug);
        self.client(user)
            .make_calendar(&url, name, components)
            .unwrap();
        url
    }
}

/// The server of this test process, started on first use.
pub fn radicale() -> &'static Radicale {
    static SERVER: OnceLock<Radicale> = OnceLock::new();
    SERVER.get_or_init(start)
}

fn start() -> Radicale {
    let dir: PathBuf = tempfile::tempdir().unwrap().keep();
    let users: String = USERS.iter().map(|u| format!("{u}:{PASSWORD}\n")).collect();
    std::fs::write(dir.join("users"), users).unwrap();
    std::fs::create_dir(dir.join("collections")).unwrap();
    let port = free_port();
    let config = format!(
        "[server]\nhosts = 127.0.0.1:{port}\n\
         [auth]\ntype = htpasswd\nhtpasswd_filename = {users}\nhtpasswd_encryption = plain\n\
         [storage]\nfilesystem_folder = {collections}\n\
         [rights]\ntype = owner_only\n\
         [logging]\nlevel = warning\n",
        users = dir.join("users").display(),
        collections = dir.join("collections").display(),
    );
    let config_path = dir.join("config");
    std::fs::write(&config_path, config).unwrap();
    let log = dir.join("radicale.log");
    // `read` returns when this process's end of the pipe closes; then Radicale goes, and its files.
    let script = r#"config=$1; dir=$2; shift 2; "$@" --config "$config" & pid=$!; read -r _;
        kill "$pid"; wait "$pid"; rm -rf "$dir""#;
    let child = Command::new("sh")
        .args(["-c", script, "sh"])
        .arg(&config_path)
        .arg(&dir)
        .args(radicale_command())
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(std::fs::File::create(&log).unwrap())
        .spawn()
        .expect("sh runs radicale");
    let mut child = child;
    let stdin = child.stdin.take().unwrap();
    let addr: SocketAddr = ([127, 0, 0, 1], port).into();
    let ready = (0..READY_ATTEMPTS).any(|_| {
        let up = TcpStream::connect_timeout(&addr, Duration::from_millis(200)).is_ok();
        if !up {
            std::thread::sleep(Duration::from_millis(50));
        }
        up
    });
    if !ready {
        let mut stdin = stdin;
        let _ = stdin.write_all(b"\n");
        panic!(
            "Radicale did not answer on {addr} (is it installed? scripts/setup.sh installs it): {}",
            std::fs::read_to_string(&log).unwrap_or_default()
        );
    }
    Radicale {
        base: format!("http://{addr}/"),
        _lifeline: Mutex::new((child, stdin)),
    }
}

/// How Radicale is run: `radicale` when a package put it on the `PATH`, else the module of Debian's
/// `python3-radicale` (what `scripts/setup.sh` installs: the module without the system service)
/// with the system's Python, which a Python of the user's own (pyenv, a venv) would not see.
fn radicale_command() -> Vec<&'static str> {
    let works = |program: &str, args: &[&str]| {
        Command::new(program)
            .args(args)
            .arg("--version")
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .is_ok_and(|s| s.success())
    };
    if works("radicale", &[]) {
        vec!["radicale"]
    } else if works("/usr/bin/python3", &["-m", "radicale"]) {
        vec!["/usr/bin/python3", "-m", "radicale"]
    } else {
        panic!("Radicale is not installed: scripts/setup.sh installs it (apt-get install python3-radicale)")
    }
}

/// A port nobody listens on now (the OS's pick for a listener, closed again).
fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}
