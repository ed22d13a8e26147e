//! The UI's TypeScript types are generated from the Rust payloads with ts-rs and committed as
//! `ui/src/bindings.ts`. This test fails when the committed file is stale; run it with
//! `BATON_UPDATE_BINDINGS=1` to rewrite the file.

use baton::about::About;
use baton::desktop::views::{
    Block, BusyBlock, CalendarDay, CalendarEntry, CalendarRow, CalendarView, CalendarsView,
    CoverageGapView, DndView, ErrorPayload, FieldProblem, FocusView, HandoffWindow, HandoffsView,
    HolidayBlock, IntakeView, MemberDraft, NextHandoff, OverlayView, Presence, PresenceRow,
    SettingRow, TeamDraft, TeamEdit, TeamSourceView, TripBlock, TripDraft,
};
use baton::error::ErrorCode;
use baton::notify::inbox::{BatchKind, InboxBatch, InboxEntry, InboxEntryRow, InboxView};
use baton::notify::notification::{DeliveredAs, ItemState, Urgency};
use baton::query::week::{
    FocusSummary, Fragmented, HandoffSummary, HeldSummary, Interruptions, SourceInterruptions,
    Stretch, WeekDay, WeekReport,
};
use baton::store::StoredNotification;
use baton::team::focus::FocusLength;
use baton::team::source::{SourceKind, SourceProblem};
use ts_rs::{Config, TS};

/// Every payload that crosses IPC, dependencies first.
fn bindings() -> String {
    // Integers are JSON numbers (minutes, never beyond 2^53), not bigints.
    let cfg = Config::new().with_large_int("number");
    let decls = [
        Block::decl(&cfg),
        Presence::decl(&cfg),
        CalendarDay::decl(&cfg),
        HolidayBlock::decl(&cfg),
        TripBlock::decl(&cfg),
        BusyBlock::decl(&cfg),
        CalendarRow::decl(&cfg),
        HandoffWindow::decl(&cfg),
        CalendarView::decl(&cfg),
        PresenceRow::decl(&cfg),
        NextHandoff::decl(&cfg),
        FocusView::decl(&cfg),
        CoverageGapView::decl(&cfg),
        OverlayView::decl(&cfg),
        HandoffsView::decl(&cfg),
        FieldProblem::decl(&cfg),
        ErrorCode::decl(&cfg),
        ErrorPayload::decl(&cfg),
        TripDraft::decl(&cfg),
        MemberDraft::decl(&cfg),
        TeamDraft::decl(&cfg),
        SettingRow::decl(&cfg),
        DndView::decl(&cfg),
        About::decl(&cfg),
        IntakeView::decl(&cfg),
        FocusLength::decl(&cfg),
        Urgency::decl(&cfg),
        ItemState::decl(&cfg),
        DeliveredAs::decl(&cfg),
        StoredNotification::decl(&cfg),
        InboxEntry::decl(&cfg),
        InboxEntryRow::decl(&cfg),
        BatchKind::decl(&cfg),
        InboxBatch::decl(&cfg),
        InboxView::decl(&cfg),
        baton::time::locale::LocaleView::decl(&cfg),
        baton::desktop::views::WelcomeView::decl(&cfg),
        baton::desktop::views::TestNotification::decl(&cfg),
        SourceKind::decl(&cfg),
        SourceProblem::decl(&cfg),
        TeamEdit::decl(&cfg),
        TeamSourceView::decl(&cfg),
        CalendarEntry::decl(&cfg),
        CalendarsView::decl(&cfg),
        Stretch::decl(&cfg),
        FocusSummary::decl(&cfg),
        SourceInterruptions::decl(&cfg),
        Interruptions::decl(&cfg),
        HeldSummary::decl(&cfg),
        HandoffSummary::decl(&cfg),
        Fragmented::decl(&cfg),
        WeekDay::decl(&cfg),
        WeekReport::decl(&cfg),
    ];
    let mut out = String::from(
        "// Generated from the Rust types in src/desktop/views/, src/error.rs, src/team/focus.rs,\n\
         // src/notify/notification.rs, src/notify/inbox.rs, src/store/queue.rs, src/team/source/\n\
         // and src/query/week.rs by tests/it/bindings.rs.\n\
         // Do not edit: run `BATON_UPDATE_BINDINGS=1 cargo test --test it bindings` instead.\n",
    );
    for d in decls {
        out.push('\n');
        out.push_str("export ");
        out.push_str(&d);
        out.push('\n');
    }
    out
}

#[test]
fn typescript_bindings_are_up_to_date() {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("ui/src/bindings.ts");
    let fresh = bindings();
    if std::env::var_os("BATON_UPDATE_BINDINGS").is_some() {
        std::fs::write(&path, &fresh).unwrap();
    }
    let committed = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        committed == fresh,
        "{} is stale: run `BATON_UPDATE_BINDINGS=1 cargo test --test it bindings` and commit it",
        path.display()
    );
}
