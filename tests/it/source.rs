//! A followed team source end to end: a folder watched by a running runner, a URL against a real HTTP
//! server on 127.0.0.1 with scripted answers, `me` on two machines, and the CLI's follow commands.
#![allow(clippy::unwrap_used)]

use std::path::{Path, PathBuf};
use std::sync::{mpsc, Arc, Mutex};
use std::time::Duration;

use assert_cmd::Command;
use baton::notify::delivery::RecordingNotifier;
use baton::notify::run::{Runner, RunnerEvent, WithoutIntake};
use baton::store::Store;
use baton::team::source::follow::{self, FollowEvent, SyncOutcome};
use baton::team::source::url::{UrlLimits, UrlSource};
use baton::team::source::{folder, SourceError, SourceKind, SourceSpec};
use baton::Instant;
use serde_json::Value;

use crate::support::http::{Answer, Server};

/// How long a test waits for an event that must come; far above the ~150 ms settle.
const BOUND: Duration = Duration::from_secs(20);

fn baton() -> Command {
    let mut cmd = Command::cargo_bin("baton").unwrap();
    cmd.env_remove("BATON_DB");
    cmd
}

fn t(minutes: i64) -> Instant {
    chrono::DateTime::from_timestamp(1_800_000_000 + minutes * 60, 0).unwrap()
}

/// The sample team split into a folder under `dir`.
fn sample_folder(dir: &Path) -> PathBuf {
    let folder = dir.join("team");
    folder::split(&baton::team::sample::team(), &folder).unwrap();
    folder
}

fn member_file(folder: &Path, name: &str) -> PathBuf {
    let members = folder.join("members");
    std::fs::read_dir(&members)
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| p.to_string_lossy().ends_with(&format!("-{name}.toml")))
        .unwrap()
}

/// What a runner's follower reported, as outcomes a test can wait for.
#[derive(Debug, PartialEq, Eq)]
enum Heard {
    Changed,
    Unchanged,
    Refused,
}

#[test]
fn a_running_runner_follows_a_folder_picking_up_edits_breaks_and_removals() {
    let dir = tempfile::tempdir().unwrap();
    let folder = sample_folder(dir.path());
    let db = dir.path().join("baton.db");
    {
        let mut store = Store::open(&db).unwrap();
        // A free port, so the intake binds (it is not what this test is about either way).
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        store.set_setting("intake_port", &port.to_string()).unwrap();
        // This machine's me (the split folder names none).
        store.set_setting("me", "Ana").unwrap();
        let spec = SourceSpec::parse(folder.to_str().unwrap(), dir.path()).unwrap();
        assert_eq!(spec.kind, SourceKind::Folder);
        follow::follow(&mut store, &spec, t(0)).unwrap();
    }
    let (heard_tx, heard) = mpsc::channel::<Heard>();
    let heard_tx = Mutex::new(heard_tx);
    let runner = Runner::start(&db, baton::notify::runner::DAEMON).unwrap();
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let run = runtime.spawn(runner.run(
        Arc::new(RecordingNotifier::new()),
        || {},
        async move {
            let _ = stopped.await;
        },
        WithoutIntake::Deliver,
        move |event| {
            if let RunnerEvent::Team(FollowEvent::Synced { outcome, .. }) = event {
                let h = match outcome {
                    SyncOutcome::Changed(_) => Heard::Changed,
                    SyncOutcome::Refused(_) => Heard::Refused,
                    _ => Heard::Unchanged,
                };
                let _ = heard_tx.lock().unwrap().send(h);
            }
        },
    ));
    let wait = |want: Heard| loop {
        let h = heard
            .recv_timeout(BOUND)
            .unwrap_or_else(|_| panic!("the follower never reported {want:?}"));
        if h == want {
            break;
        }
    };
    // The read at start finds the folder as followed: nothing new, and the watcher is up.
    wait(Heard::Unchanged);
    let store = Store::open(&db).unwrap();

    // An edit on disk is picked up without a restart.
    let kenji = member_file(&folder, "kenji");
    let text = std::fs::read_to_string(&kenji).unwrap();
    std::fs::write(
        &kenji,
        text.replace("mon-thu 22:00-06:00", "mon-fri 21:00-05:00"),
    )
    .unwrap();
    wait(Heard::Changed);
    let team = store.load_team().unwrap().unwrap();
    let (_, k) = team.member("Kenji").unwrap();
    assert_eq!(k.hours[0].to_string(), "mon-fri 21:00-05:00");
    assert_eq!(team.me.as_deref(), Some("Ana"), "this machine's me is kept");

    // A broken member file: the last good team stays, and the error names file, line, member, field.
    let good = std::fs::read_to_string(&kenji).unwrap();
    std::fs::write(&kenji, good.replace("Asia/Tokyo", "Asia/Tokio")).unwrap();
    wait(Heard::Refused);
    assert_eq!(
        store.load_team().unwrap().unwrap(),
        team,
        "the last good team stays in use"
    );
    let status = store.team_source().unwrap().unwrap();
    let error = status.error.unwrap();
    assert!(
        error.contains(&kenji.display().to_string())
            && error.contains("member \"Kenji\", time_zone")
            && error.contains("line 2"),
        "{error}"
    );
    let p = &status.problems[0];
    assert_eq!(
        (
            p.file.as_str(),
            p.line,
            p.member.as_deref(),
            p.field.as_str()
        ),
        (kenji.to_str().unwrap(), Some(2), Some("Kenji"), "time_zone")
    );

    // Fixed back to the last good content: the same team (not written again), the error cleared.
    std::fs::write(&kenji, &good).unwrap();
    wait(Heard::Unchanged);
    assert!(store.team_source().unwrap().unwrap().error.is_none());
    // A member file removed: that member goes.
    std::fs::remove_file(member_file(&folder, "lena")).unwrap();
    wait(Heard::Changed);
    let team = store.load_team().unwrap().unwrap();
    assert!(
        team.member("Lena").is_none(),
        "a removed file removes the member"
    );
    assert_eq!(team.members.len(), 5);

    stop.send(()).unwrap();
    runtime.block_on(run).unwrap().unwrap();
}

fn data_version(db: &Path) -> (rusqlite::Connection, impl Fn(&rusqlite::Connection) -> i64) {
    let conn = rusqlite::Connection::open(db).unwrap();
    (conn, |c: &rusqlite::Connection| {
        c.query_row("PRAGMA data_version", [], |r| r.get(0))
            .unwrap()
    })
}

#[test]
fn a_url_is_fetched_conditionally_and_every_failure_keeps_the_last_good_team() {
    let server = Server::start();
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("baton.db");
    let mut store = Store::open(&db).unwrap();
    let limits = UrlLimits {
        connect: Duration::from_secs(5),
        total: Duration::from_secs(1),
        max_bytes: 64 * 1024,
    };
    // The query string stands for a secret token in a shared link.
    let url = format!("{}/team.toml?token=s3cret", server.base);
    let mut source = UrlSource::new(&url, limits);
    let sample = baton::team::sample::SAMPLE_TEAM_TOML.to_string();

    // 200: followed.
    server.then(Answer::text(sample.clone(), "\"v1\""));
    let first = follow::follow_with(&mut store, &mut source, t(0)).unwrap();
    assert_eq!(first.members.len(), 6);

    // 304: nothing changes and nothing is written.
    let (watcher, version) = data_version(&db);
    let before = version(&watcher);
    server.then(Answer::NotModifiedIf("\"v1\""));
    assert!(matches!(
        follow::sync_with(&mut store, &mut source, t(1)).unwrap(),
        SyncOutcome::Unchanged
    ));
    assert_eq!(version(&watcher), before, "a 304 writes nothing");
    assert_eq!(
        server.if_none_match(),
        vec![None, Some("\"v1\"".to_string())],
        "the second request is conditional on the first answer's ETag"
    );

    // A changed file is imported again.
    let changed = sample.replace("name = \"Aroha\"", "name = \"Hana\"");
    server.then(Answer::text(changed, "\"v2\""));
    let SyncOutcome::Changed(good) = follow::sync_with(&mut store, &mut source, t(2)).unwrap()
    else {
        panic!("a new version is applied")
    };
    assert!(good.member("Hana").is_some());
    let status = store.team_source().unwrap().unwrap();
    assert_eq!(status.changed_at, Some(t(2)));
    assert_eq!(status.validators.etag.as_deref(), Some("\"v2\""));

    // Each failure is refused, recorded, and keeps the last good team.
    let big = format!("{sample}\n# {}\n", "x".repeat(100 * 1024));
    let invalid = sample.replace("Asia/Tokyo", "Asia/Tokio");
    let cases: Vec<(Answer, &str)> = vec![
        (Answer::Status(500), "HTTP 500"),
        (Answer::Stall, "no answer within 1 s"),
        (Answer::text(big, "\"big\""), "larger than 65536 bytes"),
        (
            Answer::text(invalid, "\"bad\""),
            "member \"Kenji\", time_zone: unknown time zone \"Asia/Tokio\"",
        ),
    ];
    for (i, (answer, expected)) in cases.into_iter().enumerate() {
        server.then(answer);
        let at = t(10 + i as i64);
        let outcome = follow::sync_with(&mut store, &mut source, at).unwrap();
        let SyncOutcome::Refused(e) = outcome else {
            panic!("{expected}: refused, got {outcome:?}")
        };
        assert!(e.to_string().contains(expected), "{e}");
        assert_eq!(
            store.load_team().unwrap().unwrap(),
            good,
            "{expected}: the last good team stays"
        );
        let status = store.team_source().unwrap().unwrap();
        let error = status.error.unwrap();
        assert!(error.contains(expected), "{error}");
        assert!(
            !error.contains("s3cret") && !format!("{:?}", status.problems).contains("s3cret"),
            "the URL's secret never appears: {error}"
        );
        assert!(error.contains("/team.toml"), "the source is named: {error}");
        assert_eq!(
            (status.checked_at, status.changed_at),
            (Some(at), Some(t(2)))
        );
    }
    let status = store.team_source().unwrap().unwrap();
    let p = &status.problems[0];
    assert_eq!(
        (p.line, p.member.as_deref(), p.field.as_str()),
        (Some(15), Some("Kenji"), "time_zone"),
        "an invalid team's problem keeps its line, member and field"
    );
}

#[test]
fn plain_http_to_a_host_that_is_not_loopback_is_refused() {
    let e =
        SourceSpec::parse("http://example.com/team.toml?token=s3cret", Path::new("/")).unwrap_err();
    assert!(matches!(e, SourceError::Refused { .. }));
    assert!(e.to_string().contains("loopback") && !e.to_string().contains("s3cret"));
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("b.db");
    baton()
        .arg("--db")
        .arg(&db)
        .args(["team", "follow", "http://10.1.2.3/team.toml"])
        .assert()
        .code(2)
        .stderr(predicates::str::contains("only for a loopback host"));
}

#[test]
fn two_machines_follow_the_same_folder_each_with_its_own_me() {
    let dir = tempfile::tempdir().unwrap();
    let folder = sample_folder(dir.path());
    // The folder's team.toml may name a default `me`, used where a machine has not said.
    std::fs::write(
        folder.join("team.toml"),
        "name = \"Platform\"\nme = \"Priya\"\n",
    )
    .unwrap();
    let dbs: Vec<PathBuf> = ["ana.db", "kenji.db", "new.db"]
        .iter()
        .map(|n| dir.path().join(n))
        .collect();
    for db in &dbs {
        baton()
            .arg("--db")
            .arg(db)
            .args(["team", "follow"])
            .arg(&folder)
            .assert()
            .success();
    }
    for (db, me) in [(&dbs[0], "ana"), (&dbs[1], "KENJI")] {
        baton()
            .arg("--db")
            .arg(db)
            .args(["settings", "set", "me", me])
            .assert()
            .success();
    }
    baton()
        .arg("--db")
        .arg(&dbs[0])
        .args(["settings", "set", "me", "Bob"])
        .assert()
        .code(2)
        .stderr(predicates::str::contains("\"Bob\" is not a member"));
    // A change to the shared folder reaches both, and each keeps its own me.
    let lena = member_file(&folder, "lena");
    let text = std::fs::read_to_string(&lena).unwrap();
    std::fs::write(&lena, text.replace("08:30-17:00", "09:00-17:00")).unwrap();
    let mine: Vec<Option<String>> = dbs
        .iter()
        .map(|db| {
            baton()
                .arg("--db")
                .arg(db)
                .args(["team", "sync"])
                .assert()
                .success();
            let store = Store::open(db).unwrap();
            let team = store.load_team().unwrap().unwrap();
            assert_eq!(
                team.member("Lena").unwrap().1.hours[0].to_string(),
                "mon-fri 09:00-17:00"
            );
            team.me
        })
        .collect();
    assert_eq!(
        mine,
        vec![
            Some("Ana".to_string()),
            Some("Kenji".to_string()),
            Some("Priya".to_string())
        ],
        "each machine's me, the folder's default where none is set"
    );
}

#[test]
fn the_cli_follows_reports_status_refuses_import_and_unfollows_keeping_the_team() {
    let dir = tempfile::tempdir().unwrap();
    let folder = sample_folder(dir.path());
    let db = dir.path().join("b.db");
    let run = |args: &[&str]| {
        let out = baton().arg("--db").arg(&db).args(args).output().unwrap();
        (
            out.status.code(),
            String::from_utf8_lossy(&out.stdout).into_owned(),
            String::from_utf8_lossy(&out.stderr).into_owned(),
        )
    };
    // Something that is not a team is refused, and the current team is kept.
    let (code, _, err) = run(&["team", "import", "--sample"]);
    assert_eq!(code, Some(0), "{err}");
    let bad = dir.path().join("bad.toml");
    std::fs::write(
        &bad,
        "name = \"X\"\n[[members]]\nname = \"A\"\ntime_zone = \"Mars/Base\"\n",
    )
    .unwrap();
    let (code, _, err) = run(&["team", "follow", bad.to_str().unwrap()]);
    assert_eq!(code, Some(2));
    assert!(
        err.contains("bad.toml") && err.contains("line 4") && err.contains("time_zone"),
        "{err}"
    );
    let (_, status, _) = run(&["--json", "team", "status"]);
    assert_eq!(
        serde_json::from_str::<Value>(&status).unwrap()["followed"],
        false
    );

    let (code, out, err) = run(&["team", "follow", folder.to_str().unwrap()]);
    assert_eq!(code, Some(0), "{err}");
    assert!(
        out.contains("Following the folder") && out.contains("6 members"),
        "{out}"
    );
    let (_, status, _) = run(&["--json", "team", "status"]);
    let v: Value = serde_json::from_str(&status).unwrap();
    assert_eq!(
        (v["followed"].clone(), v["kind"].clone()),
        (Value::Bool(true), "folder".into())
    );
    assert_eq!(v["hash"].as_str().unwrap().len(), 12);
    assert!(v["error"].is_null());
    let checked = v["checked_at"].as_str().unwrap();
    assert!(
        chrono::DateTime::parse_from_rfc3339(checked).is_ok() && checked.ends_with('Z'),
        "{checked}"
    );
    let (_, text, _) = run(&["team", "status"]);
    assert!(
        text.contains("follows the folder") && text.contains("content hash"),
        "{text}"
    );

    let (code, _, err) = run(&["team", "import", "--sample"]);
    assert_eq!(code, Some(2));
    assert!(err.contains("baton team unfollow"), "{err}");

    // Sync with a broken file: refused naming it, exit 2, last good kept.
    let priya = member_file(&folder, "priya");
    std::fs::write(
        &priya,
        "name = \"Priya\"\ntime_zone = \"Asia/Kolkata\"\nhours = [\"mon-fri 25:00-26:00\"]\n",
    )
    .unwrap();
    let (code, _, err) = run(&["team", "sync"]);
    assert_eq!(code, Some(2));
    assert!(
        err.contains(priya.to_str().unwrap()) && err.contains("hours[0]"),
        "{err}"
    );
    let (_, text, _) = run(&["team", "status"]);
    assert!(
        text.contains("refused") && text.contains("hours[0]"),
        "{text}"
    );

    let (code, out, _) = run(&["team", "unfollow"]);
    assert_eq!(code, Some(0));
    assert!(out.contains("local team"), "{out}");
    let store = Store::open(&db).unwrap();
    assert!(store.team_source().unwrap().is_none());
    assert_eq!(
        store.load_team().unwrap().unwrap().members.len(),
        6,
        "the team stays"
    );
}

#[test]
fn split_writes_one_file_per_member_and_refuses_a_folder_in_use() {
    let dir = tempfile::tempdir().unwrap();
    let into = dir.path().join("repo");
    let sample = concat!(env!("CARGO_MANIFEST_DIR"), "/examples/team.toml");
    baton()
        .args(["team", "split", sample, "--into"])
        .arg(&into)
        .assert()
        .success()
        .stdout(predicates::str::contains("6 member files"));
    let mut names: Vec<String> = std::fs::read_dir(into.join("members"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert_eq!(
        names,
        [
            "01-ana.toml",
            "02-kenji.toml",
            "03-priya.toml",
            "04-lena.toml",
            "05-marcus.toml",
            "06-aroha.toml"
        ]
    );
    baton()
        .args(["team", "split", sample, "--into"])
        .arg(&into)
        .assert()
        .code(2)
        .stderr(predicates::str::contains("not empty"));
}

#[test]
fn my_own_entry_of_a_followed_folder_is_saved_into_my_member_file_and_nothing_else_is_editable() {
    use baton::desktop::views::{save_own_entry, team_source_view, MemberDraft, TeamEdit};
    let dir = tempfile::tempdir().unwrap();
    let folder = sample_folder(dir.path());
    let mut store = Store::open_in_memory().unwrap();
    let spec = SourceSpec::parse(folder.to_str().unwrap(), dir.path()).unwrap();
    follow::follow(&mut store, &spec, t(0)).unwrap();
    let view = team_source_view(&store).unwrap();
    assert_eq!(view.kind, Some(SourceKind::Folder));
    assert!(
        view.needs_me,
        "no me on this machine yet: ask which one is you"
    );
    assert!(matches!(view.edit, TeamEdit::ReadOnly { .. }));

    follow::set_me(&store, "priya").unwrap();
    let view = team_source_view(&store).unwrap();
    let priya = member_file(&folder, "priya");
    assert_eq!(
        view.edit,
        TeamEdit::OwnEntry {
            file: priya.display().to_string()
        }
    );
    assert!(!view.needs_me);
    let others_before = std::fs::read_to_string(member_file(&folder, "kenji")).unwrap();

    let draft = |hours: &str| MemberDraft {
        name: "Priya".into(),
        time_zone: "Asia/Kolkata".into(),
        hours: vec![hours.into(), " ".into()],
        focus: vec![],
        days_off: vec![],
        holidays: None,
        travel: None,
    };
    let bad = save_own_entry(&mut store, draft("mon-fri 10:00-25:00"), t(1)).unwrap_err();
    assert_eq!(bad.code, "invalid");
    assert_eq!(bad.problems[0].field, "hours[0]");
    assert!(
        std::fs::read_to_string(&priya)
            .unwrap()
            .contains("14:00-18:30"),
        "a refused entry writes nothing"
    );

    let saved = save_own_entry(&mut store, draft("mon-fri 09:00-17:00"), t(2)).unwrap();
    let row = saved.members.iter().find(|m| m.name == "Priya").unwrap();
    assert_eq!(row.hours, ["mon-fri 09:00-17:00"]);
    assert!(std::fs::read_to_string(&priya)
        .unwrap()
        .contains("mon-fri 09:00-17:00"));
    assert_eq!(
        std::fs::read_to_string(member_file(&folder, "kenji")).unwrap(),
        others_before,
        "other members' files are never written"
    );
    let status = store.team_source().unwrap().unwrap();
    assert_eq!(status.changed_at, Some(t(2)), "applied at once");

    // A followed file is read-only.
    let file = dir.path().join("one.toml");
    std::fs::write(&file, baton::team::sample::SAMPLE_TEAM_TOML).unwrap();
    let spec = SourceSpec::parse(file.to_str().unwrap(), dir.path()).unwrap();
    assert_eq!(spec.kind, SourceKind::File);
    follow::follow(&mut store, &spec, t(3)).unwrap();
    assert!(matches!(
        team_source_view(&store).unwrap().edit,
        TeamEdit::ReadOnly { .. }
    ));
    assert_eq!(
        save_own_entry(&mut store, draft("mon 09:00-10:00"), t(4))
            .unwrap_err()
            .code,
        "read_only"
    );
}

#[test]
fn a_followed_json_file_is_synced_from_the_cli() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("b.db");
    let file = dir.path().join("team.json");
    let team = baton::team::sample::team();
    std::fs::write(&file, team.to_json_string()).unwrap();
    baton()
        .arg("--db")
        .arg(&db)
        .args(["team", "follow"])
        .arg(&file)
        .assert()
        .success();
    baton()
        .arg("--db")
        .arg(&db)
        .args(["team", "sync"])
        .assert()
        .success()
        .stdout(predicates::str::contains("No change"));
    std::fs::write(&file, team.to_json_string().replace("Marcus", "Marco")).unwrap();
    baton()
        .arg("--db")
        .arg(&db)
        .args(["team", "sync"])
        .assert()
        .success()
        .stdout(predicates::str::contains("Updated team"));
    let store = Store::open(&db).unwrap();
    assert!(store
        .load_team()
        .unwrap()
        .unwrap()
        .member("Marco")
        .is_some());
}
