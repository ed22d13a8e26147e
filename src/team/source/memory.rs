//! A scripted, recording team source for tests: it answers each read with the next scripted
//! answer and remembers the validators each read was given, like the recording notifier that
//! delivery's tests use.

use std::collections::VecDeque;
use std::sync::{Arc, Mutex, PoisonError};

use super::{Reading, SourceError, SourceKind, SourceSpec, TeamSource, Validators};

/// A source whose reads are scripted.
#[derive(Debug, Clone)]
pub struct ScriptedSource {
    spec: SourceSpec,
    answers: Arc<Mutex<VecDeque<Result<Reading, SourceError>>>>,
    reads: Arc<Mutex<Vec<Validators>>>,
}

impl ScriptedSource {
    /// A source named `location` (a URL kind, so no watcher is started for it) with no answers yet.
    pub fn new(location: &str) -> ScriptedSource {
        ScriptedSource {
            spec: SourceSpec {
                kind: SourceKind::Url,
                location: location.to_string(),
            },
            answers: Arc::default(),
            reads: Arc::default(),
        }
    }

    /// Adds the answer of a later read.
    pub fn answer(&self, answer: Result<Reading, SourceError>) -> &Self {
        self.answers
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .push_back(answer);
        self
    }

    /// The validators each read so far was given, in order.
    pub fn reads(&self) -> Vec<Validators> {
        self.reads
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    }
}

impl TeamSource for ScriptedSource {
    fn spec(&self) -> SourceSpec {
        self.spec.clone()
    }

    /// The next scripted answer; with none left, [`Reading::Unchanged`].
    fn read(&mut self, known: &Validators) -> Result<Reading, SourceError> {
        self.reads
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .push(known.clone());
        self.answers
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .pop_front()
            .unwrap_or(Ok(Reading::Unchanged))
    }
}
