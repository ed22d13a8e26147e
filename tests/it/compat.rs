//! The intake's compatible paths over real HTTP: ntfy's publishing (text body with headers or query
//! parameters, JSON body), Gotify's, Alertmanager's and Grafana's webhooks; the same guarantees as the
//! JSON path on each (token, Host, Origin, size, rate, durability before the answer, idempotency); the
//! policy's decision in every answer, with a fake clock; and real clients nobody here wrote (Apprise,
//! curl) sending to it.
#![allow(clippy::unwrap_used)]

use std::path::Path;
use std::process::Command;

use baton::notify::intake::Clock;
use baton::notify::notification::Urgency;
use baton::store::{Store, StoredNotification};
use baton::Team;
use chrono::{DateTime, TimeZone, Utc};
use serde_json::Value;

use crate::intake::{Reply, TestIntake};

fn fixture(name: &str) -> String {
    std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures/alerts")
            .join(name),
    )
    .unwrap()
}

/// A raw request with `head` lines (each ending in `\r\n`) and `body`, with the right Host.
fn request(intake: &TestIntake, method_path: &str, head: &str, body: &[u8]) -> Reply {
    let mut raw = format!(
        "{method_path} HTTP/1.1\r\nHost: 127.0.0.1:{}\r\n{head}Content-Length: {}\r\n\r\n",
        intake.port,
        body.len()
    )
    .into_bytes();
    raw.extend_from_slice(body);
    crate::intake::send_to(&format!("127.0.0.1:{}", intake.port), &raw)
}

fn rows(intake: &TestIntake) -> Vec<StoredNotification> {
    let mut rows = intake.rows();
    rows.sort_by_key(|r| r.id);
    rows
}

fn only(intake: &TestIntake) -> StoredNotification {
    let rows = rows(intake);
    assert_eq!(rows.len(), 1, "{rows:?}");
    rows.into_iter().next().unwrap()
}

fn b64(s: &str) -> String {
    use base64::Engine;
    base64::engine::general_purpose::STANDARD.encode(s)
}

#[test]
fn ntfy_text_publishing_with_headers_stores_title_body_urgency_source_group_and_link() {
    let intake = TestIntake::start(60);
    let reply = request(
        &intake,
        "POST /backups",
        &format!(
            "{}X-Title: Disk full\r\nPriority: high\r\nTags: warning,group:nas\r\nClick: https://nas.example/disks\r\n",
            intake.bearer()
        ),
        "sda1 at 97%\nreplace soon".as_bytes(),
    );
    assert_eq!(reply.status, 200, "{}", reply.body);
    let answer = reply.json();
    let row = only(&intake);
    assert_eq!(answer["id"], Value::String(row.id.to_string()));
    assert_eq!(answer["event"], "message");
    assert_eq!(answer["topic"], "backups");
    assert_eq!(answer["title"], "Disk full");
    assert_eq!(answer["message"], "sda1 at 97%\nreplace soon");
    assert_eq!(answer["priority"], 4);
    assert_eq!(answer["tags"], serde_json::json!(["warning", "group:nas"]));
    assert!(answer["time"].as_i64().unwrap() > 1_700_000_000);
    assert_eq!(
        (
            row.source.as_str(),
            row.title.as_str(),
            row.body.as_deref(),
            row.urgency,
            row.group.as_deref(),
            row.url.as_deref()
        ),
        (
            "backups",
            "Disk full",
            Some("sda1 at 97%\nreplace soon"),
            Urgency::High,
            Some("nas"),
            Some("https://nas.example/disks")
        )
    );
}

#[test]
fn ntfy_query_parameters_and_the_auth_parameter_publish_without_headers() {
    let intake = TestIntake::start(60);
    // ntfy's `auth`: the whole Authorization value, base64 without padding (URL-safe or standard).
    let auth = b64(&format!("Bearer {}", intake.token.as_str()));
    let auth = auth.trim_end_matches('=');
    let reply = request(
        &intake,
        &format!("POST /hooks?message=Webhook+triggered&priority=urgent&t=Deploy&x-group=prod&auth={auth}"),
        "",
        b"",
    );
    assert_eq!(reply.status, 200, "{}", reply.body);
    let row = only(&intake);
    assert_eq!(
        (
            row.title.as_str(),
            row.body.as_deref(),
            row.urgency,
            row.group.as_deref()
        ),
        (
            "Deploy",
            Some("Webhook triggered"),
            Urgency::High,
            Some("prod")
        ),
        "priority 5 arrives as high by default"
    );
    // Basic with the token as the password and any user name, as `curl -u :TOKEN`.
    let basic = b64(&format!("anyone:{}", intake.token.as_str()));
    let reply = request(
        &intake,
        "PUT /hooks",
        &format!("Authorization: Basic {basic}\r\n"),
        b"Backup successful \xF0\x9F\x98\x80",
    );
    assert_eq!(reply.status, 200, "{}", reply.body);
    let last = rows(&intake).pop().unwrap();
    assert_eq!(
        (last.title.as_str(), last.body, last.urgency),
        ("Backup successful 😀", None, Urgency::Normal),
        "without a title the message's one line is the title"
    );
}

#[test]
fn ntfy_json_publishing_takes_the_body_and_the_headers_apprise_adds() {
    let intake = TestIntake::start(60);
    let body = br#"{"topic":"mytopic","message":"Disk space is low","title":"Low disk","tags":["warning"],"priority":2,"click":"https://example.com/disk","actions":[{"action":"view","label":"Open","url":"https://x"}]}"#;
    let reply = request(
        &intake,
        "POST /",
        &format!("{}Content-Type: application/json\r\n", intake.bearer()),
        body,
    );
    assert_eq!(reply.status, 200, "{}", reply.body);
    assert_eq!(reply.json()["topic"], "mytopic");
    let row = only(&intake);
    assert_eq!(
        (
            row.source.as_str(),
            row.title.as_str(),
            row.urgency,
            row.url.as_deref()
        ),
        (
            "mytopic",
            "Low disk",
            Urgency::Low,
            Some("https://example.com/disk")
        )
    );
    // Apprise: topic, title and message in JSON, the priority as a header.
    let reply = request(
        &intake,
        "POST /",
        &format!(
            "{}Content-Type: application/json\r\nX-Priority: max\r\nX-Icon: https://x/i.png\r\n",
            intake.bearer()
        ),
        br#"{"topic":"ops","title":"Pager","message":"db down"}"#,
    );
    assert_eq!(reply.status, 200, "{}", reply.body);
    assert_eq!(rows(&intake).pop().unwrap().urgency, Urgency::High);
}

#[test]
fn ntfy_priorities_map_to_urgencies_and_the_top_one_follows_its_setting() {
    let intake = TestIntake::start(600);
    let table = [
        ("1", Urgency::Low),
        ("min", Urgency::Low),
        ("2", Urgency::Low),
        ("low", Urgency::Low),
        ("3", Urgency::Normal),
        ("default", Urgency::Normal),
        ("4", Urgency::High),
        ("high", Urgency::High),
        ("5", Urgency::High),
        ("urgent", Urgency::High),
    ];
    for (p, _) in table {
        let reply = request(
            &intake,
            "POST /prio",
            &format!("{}p: {p}\r\n", intake.bearer()),
            p.as_bytes(),
        );
        assert_eq!(reply.status, 200, "{p}: {}", reply.body);
    }
    let got: Vec<Urgency> = rows(&intake).iter().map(|r| r.urgency).collect();
    assert_eq!(got, table.map(|(_, u)| u).to_vec());
    Store::open(&intake.db)
        .unwrap()
        .set_setting("intake_top_priority", "critical")
        .unwrap();
    let reply = request(
        &intake,
        "POST /prio",
        &format!("{}Priority: max\r\n", intake.bearer()),
        b"fire",
    );
    assert_eq!(reply.status, 200, "{}", reply.body);
    assert_eq!(rows(&intake).pop().unwrap().urgency, Urgency::Critical);
    for bad in ["6", "0", "loud"] {
        let reply = request(
            &intake,
            "POST /prio",
            &format!("{}Priority: {bad}\r\n", intake.bearer()),
            b"x",
        );
        assert_eq!(reply.status, 400, "{bad}");
        assert_eq!(reply.fields(), vec!["priority"]);
        assert!(reply.json()["error"].as_str().unwrap().contains("priority"));
    }
}

#[test]
fn ntfy_requests_out_of_range_are_refused_naming_the_field_and_store_nothing() {
    let intake = TestIntake::start(60);
    let long = "t".repeat(300);
    for (path, head, body, field) in [
        ("POST /bad.topic", String::new(), &b"x"[..], "topic"),
        ("POST /ok", format!("Title: {long}\r\n"), b"x", "title"),
        ("POST /ok", "Click: ftp://x\r\n".into(), b"x", "click"),
        ("POST /ok", String::new(), b"\xff\xfe", "message"),
        ("POST /ok?colour=red", String::new(), b"x", "colour"),
        ("PUT /ok?filename=a.png", String::new(), b"x", "filename"),
    ] {
        let reply = request(&intake, path, &format!("{}{head}", intake.bearer()), body);
        assert_eq!(reply.status, 400, "{path}: {}", reply.body);
        assert_eq!(reply.fields(), vec![field], "{path}");
    }
    let reply = request(
        &intake,
        "POST /",
        &intake.bearer(),
        br#"{"message":"no topic","priority":9}"#,
    );
    assert_eq!(reply.status, 400);
    assert_eq!(reply.fields(), vec!["topic", "priority"]);
    assert!(rows(&intake).is_empty());
}

#[test]
fn an_ntfy_sequence_id_is_a_retry_key_answered_with_the_first_id() {
    let intake = TestIntake::start(60);
    let send_once = || {
        request(
            &intake,
            "POST /deploys",
            &format!("{}X-Sequence-ID: deploy-42\r\n", intake.bearer()),
            b"deploy 42 done",
        )
        .json()
    };
    let (first, second) = (send_once(), send_once());
    assert_eq!(first["id"], second["id"]);
    assert_eq!(
        (first["duplicate"].as_bool(), second["duplicate"].as_bool()),
        (Some(false), Some(true))
    );
    assert_eq!(rows(&intake).len(), 1);
}

#[test]
fn gotify_publishing_takes_json_form_and_multipart_bodies_and_maps_priorities() {
    let intake = TestIntake::start(600);
    let key = format!("X-Gotify-Key: {}\r\n", intake.token.as_str());
    let reply = request(
        &intake,
        "POST /message",
        &format!("{key}Content-Type: application/json\r\n"),
        br#"{"title":"Backup","message":"nightly ok","priority":8,"extras":{"client::notification":{"click":{"url":"https://backup.example/run/7"}}}}"#,
    );
    assert_eq!(reply.status, 200, "{}", reply.body);
    let answer = reply.json();
    assert_eq!(
        (answer["appid"].as_i64(), answer["priority"].as_i64()),
        (Some(1), Some(8))
    );
    assert_eq!(answer["title"], "Backup");
    assert!(answer["date"].as_str().unwrap().ends_with('Z'));
    let row = only(&intake);
    assert_eq!(answer["id"].as_i64(), Some(row.id));
    assert_eq!(
        (
            row.source.as_str(),
            row.title.as_str(),
            row.body.as_deref(),
            row.urgency,
            row.url.as_deref()
        ),
        (
            "gotify",
            "Backup",
            Some("nightly ok"),
            Urgency::High,
            Some("https://backup.example/run/7")
        )
    );
    // A form, with the token as the query parameter.
    let reply = request(
        &intake,
        &format!("POST /message?token={}", intake.token.as_str()),
        "Content-Type: application/x-www-form-urlencoded\r\n",
        b"title=Cron&message=job+ran&priority=2",
    );
    assert_eq!(reply.status, 200, "{}", reply.body);
    // Multipart, as `curl -F`, with the token as a bearer.
    let boundary = "XyZ";
    let body = format!(
        "--{boundary}\r\nContent-Disposition: form-data; name=\"title\"\r\n\r\nMail\r\n--{boundary}\r\nContent-Disposition: form-data; name=\"message\"\r\n\r\n3 new\r\n--{boundary}--\r\n"
    );
    let reply = request(
        &intake,
        "POST /message",
        &format!(
            "{}Content-Type: multipart/form-data; boundary={boundary}\r\n",
            intake.bearer()
        ),
        body.as_bytes(),
    );
    assert_eq!(reply.status, 200, "{}", reply.body);
    let got: Vec<(String, Urgency)> = rows(&intake)
        .iter()
        .map(|r| (r.title.clone(), r.urgency))
        .collect();
    assert_eq!(
        got,
        vec![
            ("Backup".to_string(), Urgency::High),
            ("Cron".to_string(), Urgency::Low),
            ("Mail".to_string(), Urgency::Normal)
        ]
    );
    for (body, field) in [
        (&br#"{"message":"x","priority":11}"#[..], "priority"),
        (br#"{"title":"no message"}"#, "message"),
    ] {
        let reply = request(
            &intake,
            "POST /message",
            &format!("{key}Content-Type: application/json\r\n"),
            body,
        );
        assert_eq!(reply.status, 400, "{}", reply.body);
        assert_eq!(reply.fields(), vec![field]);
    }
    let reply = request(&intake, "POST /message", &key, b"message=x");
    assert_eq!(reply.status, 415, "{}", reply.body);
    assert_eq!(rows(&intake).len(), 3);
}

#[test]
fn an_alertmanager_group_is_one_item_and_its_resolution_joins_its_group() {
    let intake = TestIntake::start(60);
    let post = |name: &str| {
        request(
            &intake,
            "POST /v1/webhooks/alertmanager",
            &format!("{}Content-Type: application/json\r\n", intake.bearer()),
            fixture(name).as_bytes(),
        )
    };
    let reply = post("alertmanager-firing.json");
    assert_eq!(reply.status, 202, "{}", reply.body);
    assert_eq!(reply.json()["firing"], 2);
    let firing = only(&intake);
    assert_eq!(firing.source, "alertmanager");
    assert_eq!(firing.title, "[FIRING:2] HighErrorRate");
    assert_eq!(firing.urgency, Urgency::Critical, "severity=critical");
    assert_eq!(
        firing.group.as_deref(),
        Some("{}:{alertname=\"HighErrorRate\"}")
    );
    let body = firing.body.as_deref().unwrap();
    assert!(
        body.contains("web-01.example.internal:8080: HTTP 5xx error rate above 5%"),
        "{body}"
    );
    assert!(body.contains("web-02"), "{body}");
    assert!(firing
        .url
        .as_deref()
        .unwrap()
        .starts_with("http://prom.example.internal:9090/graph"));
    // Alertmanager retries a failed delivery with the same body: a duplicate, not a second item.
    let again = post("alertmanager-firing.json").json();
    assert_eq!(
        (again["id"].as_i64(), again["duplicate"].as_bool()),
        (Some(firing.id), Some(true))
    );
    let reply = post("alertmanager-resolved.json");
    assert_eq!(reply.status, 202, "{}", reply.body);
    let all = rows(&intake);
    assert_eq!(all.len(), 2);
    let resolved = &all[1];
    assert_eq!(resolved.title, "[RESOLVED] HighErrorRate");
    assert_eq!(
        resolved.group, firing.group,
        "the resolution joins the firing group's entry"
    );
    assert_eq!(resolved.urgency, Urgency::Low);
    // The severity map is a setting.
    Store::open(&intake.db)
        .unwrap()
        .set_setting("alert_severities", "critical=high")
        .unwrap();
    let changed = fixture("alertmanager-firing.json").replace("14:02:15.418Z", "15:02:15.418Z");
    let reply = request(
        &intake,
        "POST /v1/webhooks/alertmanager",
        &format!("{}Content-Type: application/json\r\n", intake.bearer()),
        changed.as_bytes(),
    );
    assert_eq!(reply.status, 202, "{}", reply.body);
    assert_eq!(rows(&intake).pop().unwrap().urgency, Urgency::High);
    for (body, field) in [
        (r#"{"status":"burning","alerts":[{}]}"#, "status"),
        (r#"{"status":"firing","alerts":[]}"#, "alerts"),
    ] {
        let reply = request(
            &intake,
            "POST /v1/webhooks/alertmanager",
            &format!("{}Content-Type: application/json\r\n", intake.bearer()),
            body.as_bytes(),
        );
        assert_eq!(reply.status, 400);
        assert_eq!(reply.fields(), vec![field]);
    }
}

#[test]
fn a_grafana_alert_uses_its_title_message_and_panel_link() {
    let intake = TestIntake::start(60);
    for name in ["grafana-firing.json", "grafana-resolved.json"] {
        let reply = request(
            &intake,
            "POST /v1/webhooks/grafana",
            &format!("{}Content-Type: application/json\r\n", intake.bearer()),
            fixture(name).as_bytes(),
        );
        assert_eq!(reply.status, 202, "{name}: {}", reply.body);
    }
    let all = rows(&intake);
    let firing: Value = serde_json::from_str(&fixture("grafana-firing.json")).unwrap();
    assert_eq!(all.len(), 2);
    assert_eq!(all[0].source, "grafana");
    assert_eq!(all[0].title, firing["title"].as_str().unwrap());
    assert_eq!(all[0].urgency, Urgency::High, "severity=warning");
    assert_eq!(
        all[0].url.as_deref(),
        firing["alerts"][0]["panelURL"].as_str()
    );
    assert!(all[0]
        .body
        .as_deref()
        .unwrap()
        .contains("Disk space below 10%"));
    assert!(all[1].title.starts_with("[RESOLVED]"), "{}", all[1].title);
    assert_eq!(all[1].group, all[0].group);
    assert_eq!(all[1].urgency, Urgency::Low);
}

/// Every new path refuses what the JSON path refuses, in the same order and with the same codes.
#[test]
fn every_compatible_path_refuses_missing_wrong_and_foreign_credentials_origins_size_and_floods() {
    let intake = TestIntake::start(2);
    let paths: [(&str, &str, &[u8]); 5] = [
        ("POST /topic", "", b"x"),
        ("POST /", "Content-Type: application/json\r\n", br#"{"topic":"t","message":"x"}"#),
        ("POST /message", "Content-Type: application/json\r\n", br#"{"message":"x"}"#),
        (
            "POST /v1/webhooks/alertmanager",
            "Content-Type: application/json\r\n",
            br#"{"status":"firing","groupKey":"g","alerts":[{"status":"firing","labels":{"alertname":"A"}}]}"#,
        ),
        (
            "POST /v1/webhooks/grafana",
            "Content-Type: application/json\r\n",
            br#"{"status":"firing","groupKey":"g","alerts":[{"status":"firing","labels":{"alertname":"A"}}]}"#,
        ),
    ];
    let token = intake.token.as_str().to_string();
    let wrong = "0".repeat(64);
    for (path, head, body) in paths {
        let (method, target) = path.split_once(' ').unwrap();
        let sep = if target.contains('?') { '&' } else { '?' };
        // No token, a wrong bearer, a wrong Basic password, a wrong token in the query.
        for (target, auth) in [
            (target.to_string(), String::new()),
            (
                target.to_string(),
                format!("Authorization: Bearer {wrong}\r\n"),
            ),
            (
                target.to_string(),
                format!("Authorization: Basic {}\r\n", b64(&format!("u:{wrong}"))),
            ),
            (format!("{target}{sep}token={wrong}"), String::new()),
            (
                format!("{target}{sep}auth={}", b64(&format!("Bearer {wrong}"))),
                String::new(),
            ),
        ] {
            let reply = request(
                &intake,
                &format!("{method} {target}"),
                &format!("{auth}{head}"),
                body,
            );
            assert_eq!(reply.status, 401, "{path} {auth:?}: {}", reply.body);
        }
        // The token in the query is honoured only where a client cannot send a header otherwise
        // (ntfy's `auth`, Gotify's `token`); on the webhooks it is not a credential.
        let query_ok = match target {
            "/topic" | "/" => format!("{target}{sep}auth={}", b64(&format!("Bearer {token}"))),
            "/message" => format!("{target}{sep}token={token}"),
            _ => format!("{target}{sep}token={token}"),
        };
        let reply = request(&intake, &format!("{method} {query_ok}"), head, body);
        let webhook = target.starts_with("/v1/webhooks/");
        assert_eq!(
            reply.status,
            if webhook { 401 } else { 200 },
            "{path} token in query: {}",
            reply.body
        );
        let bearer = intake.bearer();
        // A foreign Host (DNS rebinding) and any browser Origin: 403, before the token counts.
        let raw = format!(
            "{method} {target} HTTP/1.1\r\nHost: evil.example:{}\r\n{bearer}{head}Content-Length: {}\r\n\r\n",
            intake.port,
            body.len()
        );
        let mut bytes = raw.into_bytes();
        bytes.extend_from_slice(body);
        let reply = crate::intake::send_to(&format!("127.0.0.1:{}", intake.port), &bytes);
        assert_eq!(reply.status, 403, "{path} foreign host");
        let reply = request(
            &intake,
            path,
            &format!("{bearer}Origin: http://localhost:{}\r\n{head}", intake.port),
            body,
        );
        assert_eq!(reply.status, 403, "{path} origin");
        // Over 64 KiB.
        let big = vec![b'a'; 64 * 1024 + 1];
        let reply = request(&intake, path, &format!("{bearer}{head}"), &big);
        assert_eq!(reply.status, 413, "{path} oversize");
    }
    // A flood from one source: the rate is 2 a minute per source.
    let mut statuses = Vec::new();
    for _ in 0..4 {
        let reply = request(&intake, "POST /flood", &intake.bearer(), b"x");
        statuses.push(reply.status);
        if reply.status == 429 {
            let wait: u64 = reply.header("retry-after").unwrap().parse().unwrap();
            assert!((1..=60).contains(&wait));
            assert!(reply.json()["error"].as_str().unwrap().contains("'flood'"));
        }
    }
    assert_eq!(statuses, vec![200, 200, 429, 429]);
    // What was refused stored nothing; what was accepted is stored.
    let stored = rows(&intake);
    assert_eq!(stored.len(), 2 + 3, "{stored:?}");
    assert!(stored
        .iter()
        .all(|r| r.state == baton::notify::notification::ItemState::Held));
    // Subscribing is not served.
    let reply = request(&intake, "GET /topic", &intake.bearer(), b"");
    assert_eq!(reply.status, 405);
}

const TEAM: &str = r#"
name = "T"
me = "ana"
[[members]]
name = "Ana"
time_zone = "America/Sao_Paulo"
hours = ["mon-fri 09:00-17:00"]
focus = ["mon 14:00-15:00"]
"#;

/// An intake whose clock reads `now`, with Ana's team (São Paulo, 09:00 to 17:00 on weekdays, a focus
/// block on Mondays 14:00 to 15:00) and the digest cadence `cadence`.
fn intake_at(now: DateTime<Utc>, cadence: &str) -> TestIntake {
    let intake = TestIntake::start_with(|c| c.clock = Clock::fixed(now));
    let mut store = Store::open(&intake.db).unwrap();
    store
        .replace_team(&Team::from_toml_str(TEAM, "team.toml").unwrap())
        .unwrap();
    store.set_setting("digest_cadence", cadence).unwrap();
    intake
}

fn post_json(intake: &TestIntake, body: &str) -> Value {
    let reply = intake.post(body);
    assert_eq!(reply.status, 202, "{}", reply.body);
    reply.json()
}

/// São Paulo is UTC−3 all year (no DST since 2019).
fn sp(d: u32, h: u32, m: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 1, d, h, m, 0).unwrap() + chrono::Duration::hours(3)
}

#[test]
fn the_answer_says_when_in_focus_a_scheduled_block() {
    // Monday 5 January 2026, 14:20 in São Paulo: inside Ana's focus block.
    let intake = intake_at(sp(5, 14, 20), "at 10:00,13:00,16:00");
    let answer = post_json(&intake, r#"{"source":"ci","title":"Build failed"}"#);
    assert_eq!(answer["delivery"], "end_of_focus");
    assert_eq!(answer["deliver_at"], "2026-01-05T18:00:00Z");
    assert_eq!(answer["received_at"], "2026-01-05T17:20:00Z");
    assert_eq!(
        answer["reason"],
        "Ana is in focus until 15:00 America/Sao_Paulo; it goes in the digest then"
    );
    // Normal: 24 working hours of 8-hour days (focus counts as working) → Thursday 14:20 local.
    assert_eq!(answer["reply_by"], "2026-01-08T17:20:00Z");
}

#[test]
fn the_answer_says_when_in_an_on_demand_focus_session() {
    let now = sp(5, 10, 30);
    let intake = intake_at(now, "every 30m");
    Store::open(&intake.db)
        .unwrap()
        .start_focus(now, now + chrono::Duration::minutes(50))
        .unwrap();
    let answer = post_json(
        &intake,
        r#"{"source":"ci","title":"Build failed","urgency":"high"}"#,
    );
    assert_eq!(answer["delivery"], "end_of_focus");
    assert_eq!(answer["deliver_at"], "2026-01-05T14:20:00Z");
    assert_eq!(
        answer["reason"],
        "Ana is in focus until 11:20 America/Sao_Paulo; it goes in the digest then"
    );
    // High: 4 working hours → 14:30 local.
    assert_eq!(answer["reply_by"], "2026-01-05T17:30:00Z");
}

#[test]
fn the_answer_says_when_off_hours() {
    // Friday 9 January, 22:00 local: the next working period is Monday 09:00.
    let intake = intake_at(sp(9, 22, 0), "at 10:00,13:00,16:00");
    let answer = post_json(&intake, r#"{"source":"ci","title":"Nightly"}"#);
    assert_eq!(answer["delivery"], "start_of_day");
    assert_eq!(answer["deliver_at"], "2026-01-12T12:00:00Z");
    assert_eq!(
        answer["reason"],
        "outside Ana's working hours: it goes in the start-of-day digest, Mon 09:00 America/Sao_Paulo"
    );
}

#[test]
fn the_answer_says_when_in_working_hours_for_each_cadence() {
    for (cadence, delivery, at, reason) in [
        (
            "at 10:00,13:00,16:00",
            "digest",
            "2026-01-06T16:00:00Z",
            "Ana is working; it goes in the next digest, 13:00 America/Sao_Paulo (digests at 10:00,13:00,16:00)",
        ),
        (
            "every 30m",
            "digest",
            "2026-01-06T14:30:00Z",
            "Ana is working; it goes in the next digest, 11:30 America/Sao_Paulo (digests every 30m)",
        ),
        (
            "every 2h",
            "digest",
            "2026-01-06T15:00:00Z",
            "Ana is working; it goes in the next digest, 12:00 America/Sao_Paulo (digests every 2h)",
        ),
        (
            "instant",
            "now",
            "2026-01-06T14:10:00Z",
            "Ana is working and not in focus, and digests are instant: shown now",
        ),
    ] {
        // Tuesday 6 January, 11:10 local: working, no focus.
        let intake = intake_at(sp(6, 11, 10), cadence);
        let answer = post_json(&intake, r#"{"source":"ci","title":"Build failed"}"#);
        assert_eq!(answer["delivery"], delivery, "{cadence}");
        assert_eq!(answer["deliver_at"], at, "{cadence}");
        assert_eq!(answer["reason"], reason, "{cadence}");
    }
}

#[test]
fn the_answer_says_now_for_critical_and_urgent_items_and_names_the_cap() {
    // In focus, at 14:20 local on Monday.
    let intake = intake_at(sp(5, 14, 20), "at 10:00,13:00,16:00");
    let critical = post_json(
        &intake,
        r#"{"source":"pager","title":"db down","urgency":"critical"}"#,
    );
    assert_eq!(critical["delivery"], "now");
    assert_eq!(critical["deliver_at"], "2026-01-05T17:20:00Z");
    assert_eq!(critical["reply_by"], "2026-01-05T17:20:00Z");
    assert_eq!(
        critical["reason"],
        "critical: shown to Ana now, at any hour and in focus"
    );
    let mut store = Store::open(&intake.db).unwrap();
    store.set_setting("urgent_sources", "pager").unwrap();
    store.set_setting("urgent_cap_per_hour", "1").unwrap();
    let urgent = post_json(&intake, r#"{"source":"pager","title":"latency"}"#);
    assert_eq!(urgent["delivery"], "now", "{urgent}");
    // Mark it delivered as a breakthrough, as the delivery loop would: the next one is over the cap.
    let id = urgent["id"].as_i64().unwrap();
    store
        .mark_delivered(
            &[id],
            sp(5, 14, 20),
            baton::notify::notification::DeliveredAs::Urgent,
        )
        .unwrap();
    let capped = post_json(&intake, r#"{"source":"pager","title":"latency again"}"#);
    assert_eq!(capped["delivery"], "end_of_focus", "{capped}");
    assert_eq!(
        capped["reason"],
        "urgent, but pager is over its cap of 1 breakthroughs an hour, so it waits; Ana is in focus \
         until 15:00 America/Sao_Paulo; it goes in the digest then"
    );
    // A repeated key answers with what became of the first item.
    let first = post_json(
        &intake,
        r#"{"source":"ci","title":"t","idempotency_key":"k1"}"#,
    );
    store
        .mark_delivered(
            &[first["id"].as_i64().unwrap()],
            sp(5, 15, 0),
            baton::notify::notification::DeliveredAs::Digest,
        )
        .unwrap();
    let again = post_json(
        &intake,
        r#"{"source":"ci","title":"t","idempotency_key":"k1"}"#,
    );
    assert_eq!(
        (again["duplicate"].as_bool(), again["delivery"].as_str()),
        (Some(true), Some("delivered"))
    );
    assert_eq!(again["deliver_at"], "2026-01-05T18:00:00Z");
}

#[test]
fn the_ntfy_and_gotify_answers_carry_the_decision_too() {
    let intake = intake_at(sp(9, 22, 0), "at 10:00,13:00,16:00");
    let ntfy = request(&intake, "POST /ci", &intake.bearer(), b"build ok").json();
    let gotify = request(
        &intake,
        "POST /message",
        &format!("{}Content-Type: application/json\r\n", intake.bearer()),
        br#"{"message":"backup ok"}"#,
    )
    .json();
    for answer in [ntfy, gotify] {
        assert_eq!(answer["delivery"], "start_of_day", "{answer}");
        assert_eq!(answer["deliver_at"], "2026-01-12T12:00:00Z");
        assert!(answer["reason"]
            .as_str()
            .unwrap()
            .starts_with("outside Ana's working hours"));
        assert!(answer["reply_by"].is_string());
    }
}

/// The `apprise` command (PyPI), which the test command installs: a client nobody here wrote.
fn apprise(args: &[&str]) -> std::process::Output {
    Command::new("apprise")
        .args(args)
        .output()
        .unwrap_or_else(|e| {
            panic!("cannot run apprise ({e}): the test command installs it (scripts/setup.sh)")
        })
}

#[test]
fn apprise_sends_through_its_ntfy_and_gotify_urls() {
    let intake = TestIntake::start(60);
    let (port, token) = (intake.port, intake.token.as_str().to_string());
    let ntfy_url =
        format!("ntfy://127.0.0.1:{port}/builds?token={token}&priority=high&tags=ci,group:main");
    let out = apprise(&[
        "-vv",
        "-t",
        "Build failed",
        "-b",
        "main is red\nsee the log",
        &ntfy_url,
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let gotify_url = format!("gotify://127.0.0.1:{port}/{token}?priority=low");
    let out = apprise(&["-vv", "-t", "Backup", "-b", "nightly done", &gotify_url]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let all = rows(&intake);
    assert_eq!(all.len(), 2, "{all:?}");
    assert_eq!(
        (
            all[0].source.as_str(),
            all[0].title.as_str(),
            all[0].body.as_deref(),
            all[0].urgency,
            all[0].group.as_deref()
        ),
        (
            "builds",
            "Build failed",
            Some("main is red\nsee the log"),
            Urgency::High,
            Some("main")
        )
    );
    assert_eq!(
        (
            all[1].source.as_str(),
            all[1].title.as_str(),
            all[1].body.as_deref(),
            all[1].urgency
        ),
        ("gotify", "Backup", Some("nightly done"), Urgency::Low)
    );
    // A wrong token: Apprise reports the failure.
    let out = apprise(&[
        "-t",
        "x",
        "-b",
        "y",
        &format!("gotify://127.0.0.1:{port}/{}", "0".repeat(64)),
    ]);
    assert!(!out.status.success());
    assert_eq!(rows(&intake).len(), 2);
}

fn curl(args: &[&str]) -> (u16, Value) {
    let out = Command::new("curl")
        .args(["-sS", "-w", "\n%{http_code}"])
        .args(args)
        .output()
        .expect("curl runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8(out.stdout).unwrap();
    let (body, code) = text.rsplit_once('\n').unwrap();
    (
        code.parse().unwrap(),
        serde_json::from_str(body).unwrap_or(Value::Null),
    )
}

#[test]
fn curl_in_ntfys_documented_forms() {
    let intake = TestIntake::start(60);
    let base = format!("http://127.0.0.1:{}", intake.port);
    let token = intake.token.as_str().to_string();
    let bearer = format!("Authorization: Bearer {token}");
    // `curl -d "Backup successful 😀" ntfy.sh/mytopic`, with the token as ntfy's `-u :TOKEN`.
    let (code, answer) = curl(&[
        "-u",
        &format!(":{token}"),
        "-d",
        "Backup successful 😀",
        &format!("{base}/mytopic"),
    ]);
    assert_eq!(code, 200);
    assert_eq!(answer["message"], "Backup successful 😀");
    // Headers: title, priority, tags.
    let (code, _) = curl(&[
        "-H",
        &bearer,
        "-H",
        "Title: Unauthorized access detected",
        "-H",
        "Priority: urgent",
        "-H",
        "Tags: warning,skull",
        "-d",
        "Remote access to phils-laptop detected. Act right away.",
        &format!("{base}/phil_alerts"),
    ]);
    assert_eq!(code, 200);
    // Query parameters, as a webhook would (POST, with ntfy's `auth`).
    let auth = b64(&format!("Bearer {token}"));
    let (code, _) = curl(&[
        "-X",
        "POST",
        &format!(
            "{base}/mywebhook?message=Webhook+triggered&priority=high&tags=warning,skull&auth={}",
            auth.trim_end_matches('=')
        ),
    ]);
    assert_eq!(code, 200);
    // The JSON body, to the root.
    let (code, _) = curl(&[
        "-H",
        &bearer,
        "-d",
        r#"{"topic":"mytopic","message":"Disk space is low at 5.1 GB","title":"Low disk space alert","tags":["warning","cd"],"priority":4,"click":"https://homecamera.lan/xasds1h2xsSsa/"}"#,
        &format!("{base}/"),
    ]);
    assert_eq!(code, 200);
    let all = rows(&intake);
    let got: Vec<(&str, &str, Urgency)> = all
        .iter()
        .map(|r| (r.source.as_str(), r.title.as_str(), r.urgency))
        .collect();
    assert_eq!(
        got,
        vec![
            ("mytopic", "Backup successful 😀", Urgency::Normal),
            ("phil_alerts", "Unauthorized access detected", Urgency::High),
            ("mywebhook", "Webhook triggered", Urgency::High),
            ("mytopic", "Low disk space alert", Urgency::High),
        ]
    );
    assert_eq!(
        all[3].url.as_deref(),
        Some("https://homecamera.lan/xasds1h2xsSsa/")
    );
    // Without credentials curl gets 401 and nothing is stored.
    let (code, answer) = curl(&["-d", "x", &format!("{base}/mytopic")]);
    assert_eq!((code, answer["code"].as_str()), (401, Some("unauthorized")));
    assert!(
        answer["error"]
            .as_str()
            .unwrap()
            .contains("missing or wrong token"),
        "ntfy's error member: {answer}"
    );
    assert_eq!(rows(&intake).len(), 4);
}

/// `baton daemon` on a fresh database at a free port, its notifications logged to `shown.jsonl`.
struct Daemon {
    dir: tempfile::TempDir,
    db: std::path::PathBuf,
    port: u16,
    child: std::process::Child,
}

impl Daemon {
    fn start() -> Daemon {
        use baton::notify::intake::client::{Health, IntakeClient};
        use baton::notify::intake::Token;
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("baton.db");
        let port = crate::intake::free_port();
        Store::open(&db)
            .unwrap()
            .set_setting("intake_port", &port.to_string())
            .unwrap();
        let child = Command::new(env!("CARGO_BIN_EXE_baton"))
            .env_remove("BATON_DB")
            // The C locale's clock, whatever the machine's: 24-hour, weeks from Monday.
            .env_remove("LC_ALL")
            .env_remove("LC_TIME")
            .env("LANG", "C.UTF-8")
            .env("BATON_NOTIFIER_LOG", dir.path().join("shown.jsonl"))
            .arg("--db")
            .arg(&db)
            .arg("daemon")
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        let since = std::time::Instant::now();
        loop {
            let token = Token::load(&Token::path_for(&db)).ok().flatten();
            if token.is_some()
                && IntakeClient::new(port, token).health().ok() == Some(Health::Baton)
            {
                break;
            }
            assert!(since.elapsed().as_secs() < 60, "the daemon never answered");
            std::thread::sleep(std::time::Duration::from_millis(20));
        }
        Daemon {
            dir,
            db,
            port,
            child,
        }
    }

    fn token(&self) -> String {
        std::fs::read_to_string(self.dir.path().join("intake-token"))
            .unwrap()
            .trim()
            .to_string()
    }

    fn send(&self, head_line: &str, head: &str, body: &[u8]) -> Reply {
        let mut raw = format!(
            "{head_line} HTTP/1.1\r\nHost: localhost:{}\r\n{head}Content-Length: {}\r\n\r\n",
            self.port,
            body.len()
        )
        .into_bytes();
        raw.extend_from_slice(body);
        crate::intake::send_to(&format!("127.0.0.1:{}", self.port), &raw)
    }

    /// Stops it with SIGTERM; its standard output and error.
    fn stop(mut self) -> String {
        let killed = Command::new("kill")
            .arg("-TERM")
            .arg(self.child.id().to_string())
            .status()
            .unwrap();
        assert!(killed.success());
        let out = std::mem::replace(&mut self.child, Command::new("true").spawn().unwrap())
            .wait_with_output()
            .unwrap();
        format!(
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        )
    }

    fn shown(&self) -> Vec<Value> {
        std::fs::read_to_string(self.dir.path().join("shown.jsonl"))
            .unwrap_or_default()
            .lines()
            .map(|l| serde_json::from_str(l).unwrap())
            .collect()
    }
}

#[test]
fn the_daemon_takes_every_form_and_never_writes_a_token_from_a_query_to_its_log() {
    let daemon = Daemon::start();
    let token = daemon.token();
    let auth = b64(&format!("Bearer {token}"));
    // Critical (ntfy's top priority, as the setting says), so that it is shown at once whatever the
    // hour; with a link, which the notification's "Open" opens.
    Store::open(&daemon.db)
        .unwrap()
        .set_setting("intake_top_priority", "critical")
        .unwrap();
    let reply = daemon.send(
        &format!(
            "POST /pager?priority=max&auth={}",
            auth.trim_end_matches('=')
        ),
        "Click: https://status.example/incident/9\r\n",
        b"db down",
    );
    assert_eq!(reply.status, 200, "{}", reply.body);
    let reply = daemon.send(
        &format!("POST /message?token={token}"),
        "Content-Type: application/x-www-form-urlencoded\r\n",
        b"message=backup+ok",
    );
    assert_eq!(reply.status, 200, "{}", reply.body);
    let reply = daemon.send(
        &format!("POST /v1/webhooks/alertmanager?token={token}"),
        "Content-Type: application/json\r\n",
        fixture("alertmanager-firing.json").as_bytes(),
    );
    assert_eq!(
        reply.status, 401,
        "the webhooks take the token only in a header"
    );
    let reply = daemon.send(
        "POST /v1/webhooks/alertmanager",
        &format!("Authorization: Bearer {token}\r\nContent-Type: application/json\r\n"),
        fixture("alertmanager-firing.json").as_bytes(),
    );
    assert_eq!(reply.status, 202, "{}", reply.body);
    assert_eq!(
        reply.json()["delivery"],
        "now",
        "a critical alert is shown at once"
    );
    // Both critical items are shown, each on its own, the pager's with its link.
    let since = std::time::Instant::now();
    while daemon.shown().len() < 2 {
        assert!(since.elapsed().as_secs() < 30, "{:?}", daemon.shown());
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    let shown = daemon.shown();
    let pager = shown
        .iter()
        .find(|s| s["summary"] == "Critical · pager: db down")
        .unwrap_or_else(|| panic!("{shown:?}"));
    assert_eq!(pager["link"], "https://status.example/incident/9");
    let alert = shown
        .iter()
        .find(|s| s["summary"] == "Critical · alertmanager: [FIRING:2] HighErrorRate")
        .unwrap_or_else(|| panic!("{shown:?}"));
    assert!(alert["link"]
        .as_str()
        .unwrap()
        .starts_with("http://prom.example.internal:9090/"));
    let stored = Store::open(&daemon.db)
        .unwrap()
        .notifications(baton::store::NotificationFilter::All, 10)
        .unwrap()
        .len();
    assert_eq!(stored, 3);
    let log = daemon.stop();
    assert!(log.contains("listening on"), "{log}");
    assert!(
        !log.contains(&token),
        "the token is in the daemon's log:\n{log}"
    );
    assert!(
        !log.contains(auth.trim_end_matches('=')),
        "ntfy's auth parameter is in the log:\n{log}"
    );
}

/// A running `baton daemon` writes its answers' reasons on the person's clock, and takes up a changed
/// `time_format` with its next answer (the setting moves the policy version), without a restart.
#[test]
fn the_daemons_reasons_follow_a_changed_clock_setting() {
    let daemon = Daemon::start();
    let token = daemon.token();
    // Working one minute a day, so an item is held for the next start of day whatever the hour (its
    // reason names that start); in focus or not, the reason carries a local time.
    let team = Team::from_toml_str(
        "name = \"Clock\"\nme = \"Ana\"\n[[members]]\nname = \"Ana\"\ntime_zone = \"America/New_York\"\n\
         hours = [\"daily 09:00-09:01\"]\n",
        "clock.toml",
    )
    .unwrap();
    let mut store = Store::open(&daemon.db).unwrap();
    store.replace_team(&team).unwrap();
    let post = |title: &str| {
        let reply = daemon.send(
            "POST /builds",
            &format!("Authorization: Bearer {token}\r\nTitle: {title}\r\n"),
            b"done",
        );
        assert_eq!(reply.status, 200, "{}", reply.body);
        reply.json()["reason"]
            .as_str()
            .unwrap_or_default()
            .to_string()
    };
    let twelve = |reason: &str| reason.contains(" AM") || reason.contains(" PM");
    let before = post("first");
    assert!(
        before.contains("09:00") && !twelve(&before),
        "the C locale's 24-hour clock: {before:?}"
    );
    store.set_setting("time_format", "12h").unwrap();
    let after = post("second");
    assert!(
        after.contains("9:00 AM"),
        "the 12-hour clock, at once: {after:?}"
    );
    daemon.stop();
}
