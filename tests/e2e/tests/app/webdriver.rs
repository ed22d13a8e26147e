//! The app's main window driven through tauri-driver and WebKitWebDriver.
//!
//! Each test starts its own tauri-driver on free ports with `BATON_DB` pointing at the test's database
//! (the app inherits tauri-driver's environment; capabilities cannot carry one), so tests neither share
//! a database nor depend on a driver someone left running on port 4444. Ending the WebDriver session
//! ends the app, which is how a test restarts it.

use std::net::{TcpListener, TcpStream};
use std::path::Path;
use std::process::Command;
use std::time::Duration;

use anyhow::{anyhow, ensure, Context as _, Result};
use fantoccini::elements::Element;
use fantoccini::{Client, ClientBuilder, Locator};
use tokio::time::timeout;

use crate::sandbox::Run;
use crate::{eventually, STARTUP, UI};

/// The longest one session's steps may take; past it the test fails instead of hanging (a WebDriver
/// call has no deadline of its own).
const SESSION: Duration = Duration::from_secs(120);

/// The main window of a running app, under WebDriver control.
pub struct MainWindow {
    client: Client,
    /// The window process.
    pid: u32,
}

fn free_port() -> Result<u16> {
    Ok(TcpListener::bind("127.0.0.1:0")?.local_addr()?.port())
}

/// Starts tauri-driver for `run` unless it already runs, and returns its URL.
async fn driver(run: &Run) -> Result<String> {
    if let Some(url) = run.driver.borrow().as_ref() {
        return Ok(url.clone());
    }
    let bin = std::env::var("TAURI_DRIVER").unwrap_or_else(|_| "tauri-driver".into());
    let (port, native) = (free_port()?, free_port()?);
    run.spawn(
        Command::new(&bin).args([
            "--port",
            &port.to_string(),
            "--native-port",
            &native.to_string(),
        ]),
        "tauri-driver.log",
    )
    .context("cannot start tauri-driver; install it with `cargo install tauri-driver --locked`")?;
    eventually(
        &format!("tauri-driver to listen on port {port}"),
        STARTUP,
        async || {
            TcpStream::connect(("127.0.0.1", port))
                .map(drop)
                .map_err(|e| e.to_string())
        },
    )
    .await?;
    let url = format!("http://127.0.0.1:{port}");
    run.driver.replace(Some(url.clone()));
    Ok(url)
}

impl MainWindow {
    /// Starts the app, waits for its main window to show the tab bar, runs `body` on the window, then
    /// ends the app whatever `body` answered, so that a failed step never leaves a session open;
    /// returns what `body` returned.
    pub async fn session<T>(
        run: &Run,
        body: impl AsyncFnOnce(&MainWindow) -> Result<T>,
    ) -> Result<T> {
        let window = timeout(STARTUP, MainWindow::launch(run))
            .await
            .map_err(|_| anyhow!("the app did not start under WebDriver within {STARTUP:?}"))??;
        let steps = async {
            window.wait_for("[data-testid=nav-calendar]").await?;
            body(&window).await
        };
        let outcome = timeout(SESSION, steps)
            .await
            .unwrap_or_else(|_| Err(anyhow!("the session took longer than {SESSION:?}")));
        let quit = timeout(STARTUP, window.quit(run))
            .await
            .unwrap_or_else(|_| Err(anyhow!("the session did not end within {STARTUP:?}")));
        let value = outcome?;
        quit?;
        Ok(value)
    }

    /// Starts the app under WebDriver.
    async fn launch(run: &Run) -> Result<MainWindow> {
        let url = driver(run).await?;
        let mut caps = serde_json::Map::new();
        caps.insert(
            "tauri:options".into(),
            serde_json::json!({ "application": run.app }),
        );
        let client = ClientBuilder::native()
            .capabilities(caps)
            .connect(&url)
            .await
            .with_context(|| {
                format!(
                    "no WebDriver session (see {})",
                    run.dir.join("tauri-driver.log").display()
                )
            })?;
        let pid = eventually("exactly one window process", STARTUP, async || {
            match run.window_pids()[..] {
                [pid] => Ok(pid),
                ref pids => Err(format!("window processes {pids:?}")),
            }
        })
        .await;
        match pid {
            Ok(pid) => Ok(MainWindow { client, pid }),
            Err(e) => {
                let _ = client.close().await;
                Err(e)
            }
        }
    }

    /// Ends the session, which ends the window process, then the tray, and waits until both have exited.
    async fn quit(self, run: &Run) -> Result<()> {
        self.client.close().await?;
        run.end_app(STARTUP).await
    }

    /// Waits until an element matches `css`.
    pub async fn wait_for(&self, css: &str) -> Result<Element> {
        self.client
            .wait()
            .at_most(UI)
            .for_element(Locator::Css(css))
            .await
            .with_context(|| format!("no element matches {css} after {UI:?}"))
    }

    /// Clicks the element matching `css` once it exists.
    pub async fn click(&self, css: &str) -> Result<()> {
        self.wait_for(css).await?.click().await?;
        Ok(())
    }

    /// Replaces the value of the input matching `css` by typing `text`.
    pub async fn fill(&self, css: &str, text: &str) -> Result<()> {
        let input = self.wait_for(css).await?;
        input.clear().await?;
        input.send_keys(text).await?;
        Ok(())
    }

    /// Waits until the text of the element matching `css` satisfies `wanted`, and returns it.
    pub async fn wait_text(
        &self,
        css: &str,
        what: &str,
        wanted: impl Fn(&str) -> bool,
    ) -> Result<String> {
        eventually(&format!("{css} to show {what}"), UI, async || {
            let text = match self.client.find(Locator::Css(css)).await {
                Ok(el) => el.text().await.map_err(|e| e.to_string())?,
                Err(e) => return Err(e.to_string()),
            };
            if wanted(&text) {
                Ok(text)
            } else {
                Err(format!("{text:?}"))
            }
        })
        .await
    }

    /// Waits until the number of elements matching `css` satisfies `wanted`, and returns it.
    pub async fn wait_count(
        &self,
        css: &str,
        what: &str,
        wanted: impl Fn(usize) -> bool,
    ) -> Result<usize> {
        eventually(&format!("{what} ({css})"), UI, async || {
            let n = self.all(css).await.map_err(|e| e.to_string())?.len();
            if wanted(n) {
                Ok(n)
            } else {
                Err(format!("{n} of them"))
            }
        })
        .await
    }

    /// Every element matching `css` now.
    pub async fn all(&self, css: &str) -> Result<Vec<Element>> {
        Ok(self.client.find_all(Locator::Css(css)).await?)
    }

    /// Waits until the `attr` values of the elements matching `css` satisfy `wanted`, and returns them.
    pub async fn wait_attrs(
        &self,
        css: &str,
        attr: &str,
        what: &str,
        wanted: impl Fn(&[String]) -> bool,
    ) -> Result<Vec<String>> {
        eventually(&format!("{css} to be {what}"), UI, async || {
            let mut values = Vec::new();
            for el in self.all(css).await.map_err(|e| e.to_string())? {
                values.push(
                    el.attr(attr)
                        .await
                        .map_err(|e| e.to_string())?
                        .unwrap_or_default(),
                );
            }
            if wanted(&values) {
                Ok(values)
            } else {
                Err(format!("{values:?}"))
            }
        })
        .await
    }

    /// Runs axe-core (the npm package, `ui/node_modules/axe-core/axe.min.js`, which the test command
    /// installs with the UI's packages) inside this window's page, injecting it first when the page
    /// does not have it, and returns its violations: `{id, impact, help, nodes: [target...]}` each.
    pub async fn axe(&self) -> Result<Vec<serde_json::Value>> {
        let loaded = self
            .client
            .execute("return typeof window.axe === 'object';", vec![])
            .await?;
        if loaded != serde_json::Value::Bool(true) {
            let path = crate::sandbox::repo().join("ui/node_modules/axe-core/axe.min.js");
            let source = std::fs::read_to_string(&path).with_context(|| {
                format!(
                    "cannot read {} (installed with the UI's packages: `npm ci` in ui/)",
                    path.display()
                )
            })?;
            self.client.execute(&source, vec![]).await?;
        }
        let found = self
            .client
            .execute_async(
                "const done = arguments[arguments.length - 1];
                 window.axe
                   .run(document, { resultTypes: ['violations'] })
                   .then((r) => done(JSON.stringify(r.violations.map((v) => ({
                     id: v.id, impact: v.impact, help: v.help,
                     nodes: v.nodes.map((n) => n.target.join(' ') + ': ' + n.failureSummary),
                   })))))
                   .catch((e) => done(JSON.stringify({ error: String(e) })));",
                vec![],
            )
            .await?;
        let text = found.as_str().unwrap_or("null");
        let parsed: serde_json::Value = serde_json::from_str(text)?;
        if let Some(error) = parsed.get("error") {
            anyhow::bail!("axe-core failed in the page: {error}");
        }
        Ok(parsed.as_array().cloned().unwrap_or_default())
    }

    /// Presses `keys` (text, or `fantoccini::key::Key`s as characters) on the keyboard, as a person
    /// would: WebDriver's key actions, which go to whatever has the focus (even when the element that
    /// had it was just redrawn). A modifier (Shift, Control) stays down until the end of `keys`.
    pub async fn press(&self, keys: &str) -> Result<()> {
        use fantoccini::actions::{InputSource, KeyAction, KeyActions};
        use fantoccini::key::Key;
        let modifiers = [Key::Shift, Key::Control, Key::Alt].map(char::from);
        let mut actions = KeyActions::new("keyboard".into());
        let mut held = Vec::new();
        for c in keys.chars() {
            if c == char::from(Key::Null) {
                continue;
            }
            actions = actions.then(KeyAction::Down { value: c });
            if modifiers.contains(&c) {
                held.push(c);
            } else {
                actions = actions.then(KeyAction::Up { value: c });
            }
        }
        for c in held.into_iter().rev() {
            actions = actions.then(KeyAction::Up { value: c });
        }
        self.client.perform_actions(actions).await?;
        Ok(())
    }

    /// Whether the element with the keyboard focus matches `css`.
    pub async fn focused_is(&self, css: &str) -> Result<bool> {
        let found = self
            .client
            .execute(
                "const el = document.activeElement; return !!el && el.matches(arguments[0]);",
                vec![serde_json::Value::String(css.into())],
            )
            .await?;
        Ok(found == serde_json::Value::Bool(true))
    }

    /// Presses Tab (at most `limit` times) until the focused element matches `css`.
    pub async fn tab_to(&self, css: &str, limit: usize) -> Result<()> {
        self.tab_until(css, limit, false).await
    }

    /// Presses Shift+Tab (at most `limit` times) until the focused element matches `css`.
    pub async fn tab_back_to(&self, css: &str, limit: usize) -> Result<()> {
        self.tab_until(css, limit, true).await
    }

    async fn tab_until(&self, css: &str, limit: usize, back: bool) -> Result<()> {
        use fantoccini::key::Key;
        let keys: String = if back {
            [Key::Shift, Key::Tab, Key::Null]
                .map(char::from)
                .iter()
                .collect()
        } else {
            char::from(Key::Tab).to_string()
        };
        for _ in 0..limit {
            if self.focused_is(css).await? {
                return Ok(());
            }
            self.press(&keys).await?;
        }
        ensure!(
            self.focused_is(css).await?,
            "{limit} presses of Tab did not reach {css}"
        );
        Ok(())
    }

    /// Whether the page matches the media query `query` (`(prefers-color-scheme: dark)`).
    pub async fn media(&self, query: &str) -> Result<bool> {
        let found = self
            .client
            .execute(
                "return window.matchMedia(arguments[0]).matches;",
                vec![serde_json::Value::String(query.into())],
            )
            .await?;
        Ok(found == serde_json::Value::Bool(true))
    }

    /// Navigates the window's page to `path` of the app's own origin (the overlay's page, say).
    pub async fn open_page(&self, path: &str) -> Result<()> {
        let current = self.client.current_url().await?;
        let target = current.join(path)?;
        self.client.goto(target.as_str()).await?;
        Ok(())
    }

    /// Saves a screenshot of the window, as the X display shows it, to `path` and says where it is.
    ///
    /// Not WebDriver's screenshot: with WebKit's hardware acceleration off (the app turns GTK's OpenGL
    /// off, see `src/desktop/process.rs`) WebKitWebDriver's snapshot waits for the page's next paint, which
    /// on a still page may never come. ImageMagick's `import` reads the window from the display instead.
    pub async fn screenshot(&self, path: &Path) -> Result<()> {
        let window = crate::x11::windows_of(self.pid)?
            .into_iter()
            .find(|w| w.title == "Baton")
            .ok_or_else(|| anyhow!("process {} shows no window titled Baton", self.pid))?;
        std::fs::create_dir_all(path.parent().unwrap_or(Path::new(".")))?;
        let status = Command::new("import")
            .arg("-window")
            .arg(window.id.to_string())
            .arg(path)
            .status()
            .context("cannot run ImageMagick's `import` (package imagemagick)")?;
        ensure!(status.success(), "`import` failed: {status}");
        println!("screenshot: {}", path.display());
        Ok(())
    }
}
