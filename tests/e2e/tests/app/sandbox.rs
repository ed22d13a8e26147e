//! One test's sandbox: a fresh database, a private copy of the app binary, and every process the test
//! started, ended when the test ends however it ends.
//!
//! The app is a single-instance app (a second launch hands over to the first and exits) and
//! WebKitWebDriver drives one session at a time, so tests take turns: a `Run` holds a process-wide lock
//! for its whole life. That keeps the suite correct even without `--test-threads=1`.
//!
//! The app binary is copied per test so that `/proc/<pid>/exe` names this test's app exactly: cleanup can
//! end the app by pid even when the process that launched it (WebKitWebDriver) is gone, and a rebuild of
//! `target/release` during a run cannot swap the binary under a test.

use std::fs::{self, File};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::{Mutex, MutexGuard};
use std::time::{Duration, Instant};

use anyhow::{bail, Context as _, Result};

use crate::procs;

static TURN: Mutex<()> = Mutex::new(());

/// The repository this crate lives in (`tests/e2e` → `..`/`..`).
pub fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
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
    /// This test's copy of `baton-desktop`.
    pub app: PathBuf,
    /// The WebDriver endpoint, once tauri-driver runs for this test.
    pub(crate) driver: Option<String>,
    /// Process groups started by this test.
    groups: Vec<u32>,
    _turn: MutexGuard<'static, ()>,
}

impl Run {
    /// Waits for the other tests to finish, then prepares an empty sandbox named `test`.
    pub fn new(test: &str) -> Result<Run> {
        // A test that failed still hands over its turn: the lock only orders tests, it guards no data.
        let turn = TURN.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        let source = release_binary("BATON_DESKTOP", "baton-desktop");
        if !source.is_file() {
            bail!(
                "{} does not exist: build it with `cargo build --release -p baton-desktop` \
                 (scripts/e2e.sh does), or point BATON_DESKTOP at a build",
                source.display()
            );
        }
        let dir = artifacts().join("runs").join(test);
        if dir.exists() {
            fs::remove_dir_all(&dir).with_context(|| format!("cannot empty {}", dir.display()))?;
        }
        fs::create_dir_all(&dir)?;
        let app = dir.join("baton-desktop");
        fs::copy(&source, &app).with_context(|| format!("cannot copy {}", source.display()))?;
        Ok(Run {
            db: dir.join("baton.db"),
            dir,
            app,
            driver: None,
            groups: Vec::new(),
            _turn: turn,
        })
    }

    /// Starts `cmd` in a process group of its own with this run's database, output to `<dir>/<log>`.
    pub fn spawn(&mut self, cmd: &mut Command, log: &str) -> Result<Child> {
        use std::os::unix::process::CommandExt as _;
        let out = File::create(self.dir.join(log))?;
        let child = cmd
            .env("BATON_DB", &self.db)
            .stdin(Stdio::null())
            .stdout(out.try_clone()?)
            .stderr(out)
            .process_group(0)
            .spawn()
            .with_context(|| format!("cannot start {cmd:?}"))?;
        self.groups.push(child.id());
        Ok(child)
    }

    /// Starts this run's app directly (no WebDriver), with `args`.
    pub fn launch(&mut self, args: &[&str], log: &str) -> Result<Child> {
        let app = self.app.clone();
        self.spawn(Command::new(app).args(args), log)
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

    /// The live processes of this run's app.
    pub fn app_pids(&self) -> Vec<u32> {
        procs::running(&self.app)
    }

    /// Waits until this run's app is no longer running.
    pub async fn wait_app_gone(&self, timeout: Duration) -> Result<()> {
        crate::eventually("the app to exit", timeout, async || {
            let pids = self.app_pids();
            if pids.is_empty() {
                Ok(())
            } else {
                Err(format!("still running: {pids:?}"))
            }
        })
        .await
    }
}

fn signal(signal: &str, target: &str) {
    let _ = Command::new("kill")
        .args([signal, "--", target])
        .stderr(Stdio::null())
        .status();
}

impl Drop for Run {
    fn drop(&mut self) {
        // Politely first (tauri-driver stops its WebKitWebDriver on SIGTERM), then for certain. Every
        // target is a process group this run created or a process running this run's own binary copy.
        for g in &self.groups {
            signal("-TERM", &format!("-{g}"));
        }
        let deadline = Instant::now() + Duration::from_secs(3);
        while !self.app_pids().is_empty() && Instant::now() < deadline {
            std::thread::sleep(Duration::from_millis(50));
        }
        for g in &self.groups {
            signal("-KILL", &format!("-{g}"));
        }
        for pid in self.app_pids() {
            signal("-KILL", &pid.to_string());
        }
        let _ = fs::remove_file(&self.app);
    }
}
