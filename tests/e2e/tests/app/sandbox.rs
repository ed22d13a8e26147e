//! One test's sandbox: a fresh database and data directories, a private copy of the app binary, and
//! every process the test started, ended when the test ends however it ends.
//!
//! The app is a single-instance app (a second launch hands over to the first and exits) and
//! WebKitWebDriver drives one session at a time, so tests take turns: a `Run` holds a process-wide lock
//! for its whole life. That keeps the suite correct even without `--test-threads=1`.
//!
//! The app's two binaries (the window process `baton-desktop` and the tray process `baton-tray`, which the
//! window starts) are copied per test so that `/proc/<pid>/exe` names this test's app exactly: cleanup can
//! end the app by pid even when the process that launched it (WebKitWebDriver) is gone, and a rebuild of
//! `target/release` during a run cannot swap the binary under a test.

use std::cell::RefCell;
use std::fs::{self, File};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitStatus, Stdio};
use std::time::{Duration, Instant};

use anyhow::{bail, Context as _, Result};
use tokio::sync::{Mutex, MutexGuard};

use crate::procs;

static TURN: Mutex<()> = Mutex::const_new(());

/// The bus name of tauri-plugin-single-instance: the app's identifier (`src-tauri/tauri.conf.json`)
/// followed by `.SingleInstance`.
const SINGLE_INSTANCE: &str = "app.baton.desktop.SingleInstance";

/// The repository this crate lives in (`tests/e2e` → `..`/`..`), as an absolute path without `..`, so
/// that it compares equal to what `/proc/<pid>/exe` shows.
pub fn repo() -> PathBuf {
    let up = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    up.canonicalize().unwrap_or(up)
}

/// Where screenshots and per-test logs go: `<repo>/target/e2e`.
pub fn artifacts() -> PathBuf {
    repo().join("target/e2e")
}

fn release_binary(env: &str, name: &str) -> PathBuf {
    std::env::var_os(env)
        .map(PathBuf::from)
        .unwrap_or_else(|| repo().join("target/release").join(name))
}

/// A test's sandbox; see the module docs.
pub struct Run {
    /// `<repo>/target/e2e/runs/<test>`: the database and the logs of everything started.
    pub dir: PathBuf,
    /// The database the app and the CLI use (`BATON_DB`); absent until the app first starts.
    pub db: PathBuf,
    /// This test's copy of `baton-desktop` (the window process).
    pub app: PathBuf,
    /// This test's copy of `baton-tray`, beside `app`, where the window process looks for it.
    pub tray: PathBuf,
    /// The WebDriver endpoint, once tauri-driver runs for this test.
    pub(crate) driver: RefCell<Option<String>>,
    /// The processes this test started, each the leader of a process group of its own.
    children: RefCell<Vec<Child>>,
    /// Whether `app` and `tray` are this test's copies, removed when it ends (not installed programs).
    copies: bool,
    /// Extra environment for every process this run starts (a locale, say).
    env: RefCell<Vec<(String, String)>>,
    _turn: MutexGuard<'static, ()>,
}

impl Run {
    /// Waits for the other tests to finish, then prepares an empty sandbox named `test`. Another Baton
    /// on the session bus would take this test's launches over, so there must be none.
    pub async fn new(test: &str) -> Result<Run> {
        let turn = TURN.lock().await;
        let source = release_binary("BATON_DESKTOP", "baton-desktop");
        let tray_source = release_binary("BATON_TRAY", "baton-tray");
        for (binary, env) in [(&source, "BATON_DESKTOP"), (&tray_source, "BATON_TRAY")] {
            if !binary.is_file() {
                bail!(
                    "{} does not exist: build it with `cargo build --release -p baton-desktop \
                     -p baton-tray` (scripts/e2e.sh does), or point {env} at a build",
                    binary.display()
                );
            }
        }
        let dir = empty_run_dir(test)?;
        let app = dir.join("baton-desktop");
        fs::copy(&source, &app).with_context(|| format!("cannot copy {}", source.display()))?;
        let tray = dir.join("baton-tray");
        fs::copy(&tray_source, &tray)
            .with_context(|| format!("cannot copy {}", tray_source.display()))?;
        Run::ready(turn, dir, app, tray, true).await
    }

    /// Like [`Run::new`], but for the programs the package installed in `/usr/bin`, which the test
    /// starts the way the desktop does (from the menu entry) and never removes.
    pub async fn installed(test: &str) -> Result<Run> {
        let turn = TURN.lock().await;
        let bin = Path::new("/usr/bin");
        let (app, tray) = (bin.join("baton-desktop"), bin.join("baton-tray"));
        for binary in [&app, &tray] {
            if !binary.is_file() {
                bail!(
                    "{} is not installed: scripts/package-test.sh installs the package",
                    binary.display()
                );
            }
        }
        let dir = empty_run_dir(test)?;
        Run::ready(turn, dir, app, tray, false).await
    }

    /// The run in `dir` of `app` and `tray`, once no other Baton is on the session bus.
    async fn ready(
        turn: MutexGuard<'static, ()>,
        dir: PathBuf,
        app: PathBuf,
        tray: PathBuf,
        copies: bool,
    ) -> Result<Run> {
        no_instance_on_bus(crate::STARTUP).await?;
        Ok(Run {
            db: dir.join("baton.db"),
            dir,
            app,
            tray,
            driver: RefCell::new(None),
            children: RefCell::new(Vec::new()),
            copies,
            env: RefCell::new(Vec::new()),
            _turn: turn,
        })
    }

    /// Starts `cmd` in a process group of its own with this run's database, output to `<dir>/<log>`;
    /// returns its pid. The XDG data and config directories point into the sandbox too, so what WebKit
    /// and the plugins store (web storage, an autostart entry) neither leaks between tests nor reaches
    /// the home directory of whoever runs them. Caches (compiled shaders) are shared by all tests.
    pub fn spawn(&self, cmd: &mut Command, log: &str) -> Result<u32> {
        use std::os::unix::process::CommandExt as _;
        let out = File::create(self.dir.join(log))?;
        let xdg = self.dir.join("xdg");
        for (k, v) in self.env.borrow().iter() {
            cmd.env(k, v);
        }
        let child = cmd
            .env("BATON_DB", &self.db)
            .env("XDG_DATA_HOME", xdg.join("data"))
            .env("XDG_CONFIG_HOME", xdg.join("config"))
            .env("XDG_CACHE_HOME", artifacts().join("cache"))
            .stdin(Stdio::null())
            .stdout(out.try_clone()?)
            .stderr(out)
            .process_group(0)
            .spawn()
            .with_context(|| format!("cannot start {cmd:?}"))?;
        let pid = child.id();
        self.children.borrow_mut().push(child);
        Ok(pid)
    }

    /// Sets `key` to `value` in the environment of every process this run starts from now on (the
    /// WebDriver server, and through it the app and its tray).
    pub fn set_env(&self, key: &str, value: &str) {
        self.env.borrow_mut().push((key.into(), value.into()));
    }

    /// Starts this run's app directly (no WebDriver), with `args`; returns its pid.
    pub fn launch(&self, args: &[&str], log: &str) -> Result<u32> {
        self.spawn(Command::new(&self.app).args(args), log)
    }

    /// Waits until `pid`, started by [`Run::spawn`], exits, and returns how it exited.
    pub async fn exit_status(&self, pid: u32, timeout: Duration) -> Result<ExitStatus> {
        crate::eventually(&format!("process {pid} to exit"), timeout, async || {
            let mut children = self.children.borrow_mut();
            let child = children
                .iter_mut()
                .find(|c| c.id() == pid)
                .ok_or_else(|| format!("process {pid} was not started by this test"))?;
            child
                .try_wait()
                .map_err(|e| e.to_string())?
                .ok_or_else(|| "still running".to_string())
        })
        .await
    }

    /// Runs the `baton` CLI on this run's database and returns what it printed.
    pub fn cli(&self, args: &[&str]) -> Result<String> {
        let cli = release_binary("BATON_CLI", "baton");
        let out = Command::new(&cli)
            .arg("--db")
            .arg(&self.db)
            .args(args)
            .output()
            .with_context(|| format!("cannot run {}", cli.display()))?;
        if !out.status.success() {
            bail!(
                "`baton {}` failed ({}): {}",
                args.join(" "),
                out.status,
                String::from_utf8_lossy(&out.stderr)
            );
        }
        Ok(String::from_utf8(out.stdout)?)
    }

    /// The live processes of this run's app: window and tray.
    pub fn app_pids(&self) -> Vec<u32> {
        let mut pids = self.window_pids();
        pids.extend(self.tray_pids());
        pids
    }

    /// The live window processes of this run's app.
    pub fn window_pids(&self) -> Vec<u32> {
        procs::running(&self.app)
    }

    /// The live tray processes of this run's app.
    pub fn tray_pids(&self) -> Vec<u32> {
        procs::running(&self.tray)
    }

    /// The one tray process, once the window process has started it.
    pub async fn tray_pid(&self) -> Result<u32> {
        crate::eventually(
            "exactly one tray process",
            crate::STARTUP,
            async || match self.tray_pids()[..] {
                [pid] => Ok(pid),
                ref pids => Err(format!("tray processes {pids:?}")),
            },
        )
        .await
    }

    /// Ends the tray process (as logging out would) and waits until the whole app is gone.
    pub async fn end_app(&self, timeout: Duration) -> Result<()> {
        for pid in self.tray_pids() {
            signal("-TERM", &pid.to_string());
        }
        self.wait_app_gone(timeout).await
    }

    /// WebKit processes started for this run's database, wherever they are in the process tree (a
    /// helper outliving its window process would be reparented away from it).
    pub fn webkit_processes(&self) -> Vec<String> {
        procs::webkit(&procs::with_env("BATON_DB", self.db.as_os_str()))
            .iter()
            .filter(|p| !p.zombie)
            .map(|p| format!("{} ({})", p.name, p.pid))
            .collect()
    }

    /// Waits until this run's app is no longer running and the session bus has noticed.
    ///
    /// The single-instance plugin owns a bus name; the bus daemon releases it some time after the
    /// process is gone. An app started in between finds the name taken, forwards its arguments to an
    /// instance that no longer answers, and exits with "failed to initialize plugin `single-instance`".
    pub async fn wait_app_gone(&self, timeout: Duration) -> Result<()> {
        crate::eventually("the app to exit", timeout, async || {
            let pids = self.app_pids();
            if pids.is_empty() {
                Ok(())
            } else {
                Err(format!("still running: {pids:?}"))
            }
        })
        .await?;
        no_instance_on_bus(timeout).await
    }
}

/// Waits until no Baton owns the single-instance bus name (see [`Run::wait_app_gone`]).
async fn no_instance_on_bus(timeout: Duration) -> Result<()> {
    let conn = zbus::Connection::session()
        .await
        .context("no D-Bus session bus; run the suite with scripts/e2e.sh")?;
    let bus = zbus::fdo::DBusProxy::new(&conn).await?;
    crate::eventually("no Baton on the session bus", timeout, async || {
        let names = bus.list_names().await.map_err(|e| e.to_string())?;
        match names.iter().find(|n| n.starts_with(SINGLE_INSTANCE)) {
            Some(name) => Err(format!("{name} is owned")),
            None => Ok(()),
        }
    })
    .await
}

pub fn signal(signal: &str, target: &str) {
    let _ = Command::new("kill")
        .args([signal, "--", target])
        .stderr(Stdio::null())
        .status();
}

impl Drop for Run {
    fn drop(&mut self) {
        // Politely first, then for certain. Every target is a process group this run created or a
        // process running this run's own copy of the app.
        let mut children = self.children.take();
        for c in &children {
            signal("-TERM", &format!("-{}", c.id()));
        }
        // The tray runs in a process group of its own.
        for pid in self.tray_pids() {
            signal("-TERM", &pid.to_string());
        }
        let deadline = Instant::now() + Duration::from_secs(3);
        while !self.app_pids().is_empty() && Instant::now() < deadline {
            std::thread::sleep(Duration::from_millis(50));
        }
        for c in &children {
            signal("-KILL", &format!("-{}", c.id()));
        }
        for pid in self.app_pids() {
            signal("-KILL", &pid.to_string());
        }
        // Reap what this test started, so no zombie outlives it.
        let deadline = Instant::now() + Duration::from_secs(2);
        for c in &mut children {
            while matches!(c.try_wait(), Ok(None)) && Instant::now() < deadline {
                std::thread::sleep(Duration::from_millis(20));
            }
        }
        if self.copies {
            let _ = fs::remove_file(&self.app);
            let _ = fs::remove_file(&self.tray);
        }
    }
}

/// `<artifacts>/runs/<test>`, emptied.
fn empty_run_dir(test: &str) -> Result<PathBuf> {
    let dir = artifacts().join("runs").join(test);
    if dir.exists() {
        fs::remove_dir_all(&dir).with_context(|| format!("cannot empty {}", dir.display()))?;
    }
    fs::create_dir_all(&dir)?;
    Ok(dir)
}
