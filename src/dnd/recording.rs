//! A do-not-disturb that records the calls made to it, for tests (like the delivery's
//! `RecordingNotifier`).

use std::sync::{Arc, Mutex};

use super::{BackendKind, DoNotDisturb, Pending, Token};

/// A recording double: its state, and every call in order (`is_on`, `turn_on`, `restore`).
#[derive(Debug, Clone, Default)]
pub struct RecordingDnd {
    state: Arc<Mutex<(bool, Vec<String>)>>,
}

impl RecordingDnd {
    /// A double whose do-not-disturb starts `on`.
    pub fn new(on: bool) -> RecordingDnd {
        RecordingDnd {
            state: Arc::new(Mutex::new((on, Vec::new()))),
        }
    }

    /// Whether it is on now.
    pub fn is_on_now(&self) -> bool {
        self.lock().0
    }

    /// The calls made so far.
    pub fn calls(&self) -> Vec<String> {
        self.lock().1.clone()
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, (bool, Vec<String>)> {
        self.state
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    fn call(&self, name: &str, set: Option<bool>) -> bool {
        let mut state = self.lock();
        state.1.push(name.into());
        if let Some(on) = set {
            state.0 = on;
        }
        state.0
    }
}

impl DoNotDisturb for RecordingDnd {
    fn kind(&self) -> BackendKind {
        BackendKind::Dunst
    }

    fn is_on(&self) -> Pending<'_, bool> {
        Box::pin(async move { Ok(self.call("is_on", None)) })
    }

    fn turn_on(&self) -> Pending<'_, Token> {
        Box::pin(async move {
            self.call("turn_on", Some(true));
            Ok(Token::default())
        })
    }

    fn restore(&self, _: Token) -> Pending<'_, ()> {
        Box::pin(async move {
            self.call("restore", Some(false));
            Ok(())
        })
    }
}
