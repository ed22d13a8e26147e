//! A calendar of mine, end to end in the real app: a daily meeting in an ICS feed served on
//! 127.0.0.1, added with `baton calendar add` while the window is open, shows on my row of the
//! timeline as busy and shortens the live handoff the calendar suggests.

use std::fs;
use std::io::{BufRead, BufReader, Write};
use std::net::TcpListener;

use anyhow::{ensure, Result};

use crate::sandbox::{self, Run};
use crate::webdriver::MainWindow;

const LANE: &str = ".cal-lane";
const ANA: &str = "[data-testid=calendar-row][data-member=Ana]";

/// Ana in London and Marcus in Lisbon share the same clock changes, so their overlap is the same in
/// every season: 12:00 to 17:00 London time, five hours.
const TEAM: &str = r#"name = "Two desks"
me = "Ana"
[[members]]
name = "Ana"
time_zone = "Europe/London"
hours = ["mon-fri 09:00-17:00"]
[[members]]
name = "Marcus"
time_zone = "Europe/Lisbon"
hours = ["mon-fri 12:00-20:00"]
"#;

/// A meeting every day from 16:00 to 17:00 London time, as Google writes a recurring event.
const MEETING: &str = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Baton e2e//EN\r\n\
BEGIN:VEVENT\r\nUID:standup-e2e@example.com\r\nDTSTAMP:20260101T000000Z\r\n\
DTSTART;TZID=Europe/London:20260101T160000\r\nDTEND;TZID=Europe/London:20260101T170000\r\n\
RRULE:FREQ=DAILY\r\nSUMMARY:Team sync\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n";

/// Serves `body` as `text/calendar` to every request on a loopback port, from a thread of its own;
/// the URL to fetch.
fn serve(body: &'static str) -> Result<String> {
    let listener = TcpListener::bind("127.0.0.1:0")?;
    let url = format!("http://{}/ana.ics", listener.local_addr()?);
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            let mut reader = BufReader::new(&stream);
            let mut line = String::new();
            // The request line and headers, up to the blank line.
            while reader.read_line(&mut line).is_ok_and(|n| n > 0) && line != "\r\n" {
                line.clear();
            }
            let _ = write!(
                &stream,
                "HTTP/1.1 200 OK\r\nContent-Type: text/calendar\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
                body.len()
            );
        }
    });
    Ok(url)
}

#[tokio::test]
async fn a_meeting_in_my_calendar_shows_on_the_timeline_and_moves_the_handoff() -> Result<()> {
    let run = Run::new("calendar-meeting").await?;
    let team = run.dir.join("team.toml");
    fs::write(&team, TEAM)?;
    run.cli(&["team", "import", &team.display().to_string()])?;
    let url = serve(MEETING)?;

    let (before, after, row) = MainWindow::session(&run, async |w| {
        let before = w
            .wait_attrs(LANE, "aria-label", "the five-hour live handoff", |l| {
                l.first().is_some_and(|l| l.contains("5 h together"))
            })
            .await?;
        // The meeting arrives while the window is open: the database watcher redraws it.
        run.cli(&["calendar", "add", &url])?;
        let after = w
            .wait_attrs(LANE, "aria-label", "the handoff before the meeting", |l| {
                l.first()
                    .is_some_and(|l| l.contains("4 h together") && !l.contains("5 h together"))
            })
            .await?;
        let row = w
            .wait_attrs(ANA, "aria-label", "Ana busy", |l| {
                l.first().is_some_and(|l| l.contains("busy"))
            })
            .await?;
        w.screenshot(&sandbox::artifacts().join("calendar-busy.png"))
            .await?;
        Ok((before, after, row))
    })
    .await?;

    let lane = |v: &[String]| v.first().cloned().unwrap_or_default();
    ensure!(
        lane(&before).contains("Sync"),
        "a live handoff is suggested: {}",
        lane(&before)
    );
    ensure!(
        lane(&after).contains("4 h together"),
        "the meeting takes an hour from it: {}",
        lane(&after)
    );
    ensure!(
        lane(&row).contains("Team sync"),
        "my own meeting keeps its title on my row: {}",
        lane(&row)
    );
    let list = run.cli(&["calendar", "list"])?;
    ensure!(
        list.contains("ana.ics"),
        "baton calendar list names it: {list}"
    );
    Ok(())
}
