//! How long focus takes to silence the desktop, and to give it back: from the moment a focus session is
//! stored and the runner pinged (what the tray does on a menu click or its shortcut, see
//! `baton::notify::run::FocusChanged`) to the do-not-disturb call having reached the notification
//! server, through the real do-not-disturb loop (`baton::dnd::run_with`: it reads the database, decides
//! from my team and the sessions, records what it changes, then switches) and dunst's backend over a
//! real `dbus-daemon`.
//!
//! The server is `StandInDunst`, a stand-in implementing dunst's documented `org.dunstproject.cmd0`
//! `paused` property on a private bus (dunst itself needs a display); it notes when each write
//! arrives. Needs `dbus-daemon` (package `dbus`).
//!
//! Run: `cargo bench -p baton --bench dnd`.

#![allow(clippy::unwrap_used)]

// The do-not-disturb backends it measures (D-Bus, dunst) exist only on Linux.
#[cfg(target_os = "linux")]
mod on_linux {
    use std::io::{BufRead as _, BufReader};
    use std::process::{Command, Stdio};
    use std::sync::Arc;
    use std::time::{Duration, Instant};

    use baton::dnd::{self, BackendKind, Choice, Finding};
    use baton::store::Store;
    use chrono::Utc;
    use criterion::{criterion_group, Criterion};
    use tokio::sync::{mpsc, Notify};

    /// StandInDunst: dunst's `paused` property, sending each write (and when it arrived) to the bench.
    struct StandInDunst {
        paused: bool,
        writes: mpsc::UnboundedSender<(bool, Instant)>,
    }

    #[zbus::interface(name = "org.dunstproject.cmd0")]
    impl StandInDunst {
        #[zbus(property, name = "paused")]
        fn paused(&self) -> bool {
            self.paused
        }

        #[zbus(property, name = "paused")]
        fn set_paused(&mut self, paused: bool) {
            self.paused = paused;
            let _ = self.writes.send((paused, Instant::now()));
        }
    }

    fn bench(c: &mut Criterion) {
        // A private bus for the run: dbus-daemon prints its address, and ends when its stdin closes.
        let mut bus = Command::new("sh")
            .arg("-c")
            .arg("dbus-daemon --session --nofork --print-address & pid=$!; read _; kill $pid")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .spawn()
            .expect("dbus-daemon (package dbus)");
        let mut address = String::new();
        BufReader::new(bus.stdout.take().unwrap())
            .read_line(&mut address)
            .unwrap();
        let address = address.trim().to_string();

        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("baton.db");
        {
            let mut store = Store::open(&db).unwrap();
            // Me working around the clock, so only focus decides.
            let team = baton::Team::from_toml_str(
                "name = \"Bench\"\nme = \"Me\"\n[[members]]\nname = \"Me\"\ntime_zone = \"Europe/Berlin\"\n\
                 hours = [\"daily 00:00-24:00\"]\n",
                "bench",
            )
            .unwrap();
            store.replace_team(&team).unwrap();
            store.set_setting("desktop_dnd", "dunst").unwrap();
        }

        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .unwrap();
        let (writes_tx, mut writes) = mpsc::unbounded_channel();
        let ping = Arc::new(Notify::new());
        let _server = runtime.block_on(async {
            let server = zbus::connection::Builder::address(address.as_str())
                .serve_at(
                    "/org/freedesktop/Notifications",
                    StandInDunst {
                        paused: false,
                        writes: writes_tx,
                    },
                )
                .name("org.freedesktop.Notifications")
                .build()
                .await
                .unwrap();
            let client = dnd::bus::connect(&address).await.unwrap();
            let find = move |_: Choice| -> Finding {
                let client = client.clone();
                Box::pin(async move { dnd::on_bus(BackendKind::Dunst, client) })
            };
            let db = db.clone();
            let ping = ping.clone();
            tokio::spawn(async move {
                dnd::run_with(db, ping, std::future::pending::<()>(), |_| {}, find).await;
            });
            server
        });
        let mut store = Store::open(&db).unwrap();
        // The loop's first look, before any focus.
        std::thread::sleep(Duration::from_millis(200));

        let mut switch = |on: bool| -> Duration {
            let start = Instant::now();
            let now = Utc::now();
            if on {
                store
                    .start_focus(now, now + chrono::Duration::minutes(25))
                    .unwrap();
            } else {
                store.stop_focus(now).unwrap();
            }
            ping.notify_one();
            loop {
                let (paused, at) = writes.blocking_recv().unwrap();
                if paused == on {
                    return at - start;
                }
            }
        };

        let mut group = c.benchmark_group("dnd");
        group.sample_size(30);
        group.bench_function("focus_start_to_paused", |b| {
            b.iter_custom(|iters| {
                let mut total = Duration::ZERO;
                for _ in 0..iters {
                    total += switch(true);
                    switch(false);
                }
                total
            })
        });
        group.bench_function("focus_stop_to_unpaused", |b| {
            b.iter_custom(|iters| {
                let mut total = Duration::ZERO;
                for _ in 0..iters {
                    switch(true);
                    total += switch(false);
                }
                total
            })
        });
        group.finish();
        drop(bus.stdin.take());
        let _ = bus.wait();
    }

    criterion_group!(benches, bench);
}

#[cfg(target_os = "linux")]
criterion::criterion_main!(on_linux::benches);

#[cfg(not(target_os = "linux"))]
fn main() {
    eprintln!("the dnd bench measures the Linux do-not-disturb backends; nothing to run here");
}
