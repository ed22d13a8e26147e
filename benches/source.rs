//! What following a team source costs: re-reading a 1,000-member team folder (1,000 member files)
//! after a change, and one conditional check of a URL answered `304 Not Modified` by a local server.
//!
//! Groups:
//! - `folder_1000/reread_changed`: a full re-read (every file read, hashed, parsed and validated),
//!   what the follower does after a member file changed;
//! - `folder_1000/reread_unchanged`: the same read when the bytes hash to the last good version;
//! - `url_304/sync_wall` and `url_304/sync_cpu`: `follow::sync_with` against an HTTP server on
//!   127.0.0.1 that answers 304 to the ETag, reading the source's row from a database file and
//!   writing nothing; `sync_cpu` measures the CPU time of the calling thread (the server's is not
//!   counted), the figure the target is about.
//!
//! Run with `cargo bench -p baton --bench source`.

#![allow(clippy::unwrap_used)]

use std::hint::black_box;
use std::io::{BufRead, BufReader, Write};
use std::net::TcpListener;
use std::time::Duration;

use baton::store::Store;
use baton::team::source::folder::{split, FolderSource};
use baton::team::source::follow;
use baton::team::source::url::{UrlLimits, UrlSource};
use baton::team::source::{Reading, TeamSource, Validators};
use criterion::{criterion_group, criterion_main, Criterion};

fn folder(c: &mut Criterion) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("team");
    split(&baton::team::sample::generate(1000, 1), &path).unwrap();
    let mut source = FolderSource::new(&path);
    let Reading::Changed(first) = source.read(&Validators::default()).unwrap() else {
        panic!("a first read is a version")
    };
    assert_eq!(first.team.members.len(), 1000);
    let mut g = c.benchmark_group("folder_1000");
    g.sample_size(30);
    g.bench_function("reread_changed", |b| {
        b.iter(|| black_box(source.read(&Validators::default()).unwrap()))
    });
    let known = Validators {
        hash: Some(first.hash.clone()),
        ..Validators::default()
    };
    g.bench_function("reread_unchanged", |b| {
        b.iter(|| black_box(source.read(&known).unwrap()))
    });
    g.finish();
}

/// A tiny HTTP/1.1 server on 127.0.0.1: 200 with an ETag, then 304 to a request that sends it.
fn serve(team: String) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!(
        "http://{}/team.toml?token=x",
        listener.local_addr().unwrap()
    );
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(stream) = stream else { continue };
            let team = team.clone();
            std::thread::spawn(move || {
                let mut reader = BufReader::new(stream.try_clone().unwrap());
                let mut out = stream;
                loop {
                    let mut conditional = false;
                    let mut line = String::new();
                    loop {
                        line.clear();
                        if reader.read_line(&mut line).unwrap_or(0) == 0 {
                            return;
                        }
                        if line.to_ascii_lowercase().starts_with("if-none-match") {
                            conditional = true;
                        }
                        if line == "\r\n" {
                            break;
                        }
                    }
                    let answer = if conditional {
                        "HTTP/1.1 304 Not Modified\r\netag: \"v1\"\r\ncontent-length: 0\r\n\r\n"
                            .to_string()
                    } else {
                        format!(
                            "HTTP/1.1 200 OK\r\netag: \"v1\"\r\ncontent-length: {}\r\n\r\n{team}",
                            team.len()
                        )
                    };
                    if out.write_all(answer.as_bytes()).is_err() {
                        return;
                    }
                }
            });
        }
    });
    url
}

/// CPU time of this thread (where no thread clock exists, elapsed time, which bounds it).
#[cfg(unix)]
fn thread_cpu() -> Duration {
    let t = rustix::time::clock_gettime(rustix::time::ClockId::ThreadCPUTime);
    Duration::new(
        u64::try_from(t.tv_sec).unwrap_or(0),
        u32::try_from(t.tv_nsec).unwrap_or(0),
    )
}

#[cfg(not(unix))]
fn thread_cpu() -> Duration {
    use std::sync::OnceLock;
    static START: OnceLock<std::time::Instant> = OnceLock::new();
    START.get_or_init(std::time::Instant::now).elapsed()
}

fn url_304(c: &mut Criterion) {
    let url = serve(baton::team::sample::SAMPLE_TEAM_TOML.to_string());
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open(&dir.path().join("baton.db")).unwrap();
    let mut source = UrlSource::new(&url, UrlLimits::default());
    follow::follow_with(&mut store, &mut source, chrono::Utc::now()).unwrap();
    let mut g = c.benchmark_group("url_304");
    g.bench_function("sync_wall", |b| {
        b.iter(|| {
            let out = follow::sync_with(&mut store, &mut source, chrono::Utc::now()).unwrap();
            assert!(matches!(out, follow::SyncOutcome::Unchanged));
        })
    });
    g.bench_function("sync_cpu", |b| {
        b.iter_custom(|n| {
            let start = thread_cpu();
            for _ in 0..n {
                black_box(follow::sync_with(&mut store, &mut source, chrono::Utc::now()).unwrap());
            }
            thread_cpu() - start
        })
    });
    g.finish();
}

criterion_group!(benches, folder, url_304);
criterion_main!(benches);
