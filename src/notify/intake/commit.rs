//! Group commit: one thread owns the intake's writing [`Store`] and stores everything waiting in one
//! transaction, then answers each request.
//!
//! A commit costs one fsync of the WAL whatever its size, so committing per request would cap intake at
//! the disk's fsync rate. Here a request hands its notification to the thread over a channel and waits
//! for its answer; the thread takes the first waiting request, drains every other one already queued
//! (up to [`MAX_BATCH`]), commits them together and only then answers. Under load, batches grow with
//! the number of concurrent senders; alone, a request is committed at once. No answer is sent before
//! its commit returns, so every id handed out is durable.

use std::sync::Arc;
use std::thread::JoinHandle;

use tokio::sync::{mpsc, oneshot, Notify};

use super::Clock;
use crate::notify::notification::NewNotification;
use crate::store::{Accepted, Store};
use crate::time::interval::Instant;

/// Most notifications stored in one transaction.
pub const MAX_BATCH: usize = 512;
/// Requests that may wait for the writer before senders wait to enqueue.
const QUEUE: usize = 4096;

/// What the writer answers: the stored id and the instant its batch was received at, or why the batch
/// could not be stored.
pub type Answer = Result<(Accepted, Instant), String>;

/// One notification waiting to be stored.
#[derive(Debug)]
struct Job {
    notification: NewNotification,
    answer: oneshot::Sender<Answer>,
}

/// The handle requests use to queue notifications for the writer thread. Cloning is cheap; the thread
/// stops once every clone is dropped and the queue is empty.
#[derive(Debug, Clone)]
pub struct CommitQueue {
    jobs: mpsc::Sender<Job>,
}

impl CommitQueue {
    /// Starts the writer thread, which owns `store`, stamps each batch with `clock`'s time and pings
    /// `accepted` after each commit.
    pub fn start(
        store: Store,
        accepted: Arc<Notify>,
        clock: Clock,
    ) -> std::io::Result<(CommitQueue, JoinHandle<()>)> {
        let (jobs, rx) = mpsc::channel(QUEUE);
        let thread = std::thread::Builder::new()
            .name("baton-intake-commit".into())
            .spawn(move || run(store, rx, &accepted, &clock))?;
        Ok((CommitQueue { jobs }, thread))
    }

    /// Queues `notification` and waits until it is committed; `Err` when the writer has stopped or the
    /// commit failed.
    pub async fn accept(&self, notification: NewNotification) -> Answer {
        let (answer, reply) = oneshot::channel();
        self.jobs
            .send(Job {
                notification,
                answer,
            })
            .await
            .map_err(|_| "the intake is shutting down".to_string())?;
        reply
            .await
            .map_err(|_| "the intake writer stopped".to_string())?
    }
}

fn run(mut store: Store, mut rx: mpsc::Receiver<Job>, accepted: &Notify, clock: &Clock) {
    let mut notifications = Vec::with_capacity(MAX_BATCH);
    let mut answers = Vec::with_capacity(MAX_BATCH);
    while let Some(first) = rx.blocking_recv() {
        notifications.push(first.notification);
        answers.push(first.answer);
        while notifications.len() < MAX_BATCH {
            let Ok(job) = rx.try_recv() else { break };
            notifications.push(job.notification);
            answers.push(job.answer);
        }
        let now = clock.now();
        match store.accept_notifications(&notifications, now) {
            Ok(stored) => {
                for (answer, accepted) in answers.drain(..).zip(stored) {
                    // A sender that gave up (closed its connection) still has its row stored.
                    let _ = answer.send(Ok((accepted, now)));
                }
                accepted.notify_one();
            }
            Err(e) => {
                let message = e.to_string();
                for answer in answers.drain(..) {
                    let _ = answer.send(Err(message.clone()));
                }
            }
        }
        notifications.clear();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::notify::notification::Urgency;
    use crate::store::NotificationFilter;

    #[test]
    fn concurrent_requests_are_all_answered_after_their_commit() {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("baton.db");
        let accepted = Arc::new(Notify::new());
        let (queue, thread) =
            CommitQueue::start(Store::open(&db).unwrap(), accepted.clone(), Clock::system())
                .unwrap();
        let runtime = tokio::runtime::Builder::new_current_thread()
            .build()
            .unwrap();
        let answers = runtime.block_on(async {
            let tasks: Vec<_> = (0..50)
                .map(|i| {
                    let queue = queue.clone();
                    tokio::spawn(async move {
                        queue
                            .accept(NewNotification {
                                source: "ci".into(),
                                group: None,
                                sender: None,
                                title: format!("n{i}"),
                                body: None,
                                urgency: Urgency::Normal,
                                url: None,
                                idempotency_key: Some(format!("k{}", i % 40)),
                            })
                            .await
                    })
                })
                .collect();
            let mut answers = Vec::new();
            for t in tasks {
                answers.push(t.await.unwrap().unwrap().0);
            }
            answers
        });
        drop(queue);
        thread.join().unwrap();
        let rows = Store::open(&db)
            .unwrap()
            .notifications(NotificationFilter::All, usize::MAX)
            .unwrap();
        assert_eq!(rows.len(), 40, "ten repeated keys store nothing new");
        assert_eq!(answers.iter().filter(|a| a.duplicate).count(), 10);
        assert_eq!(answers[45].id, answers[5].id);
        // After a commit the scheduler's wake-up is pending, even with nobody waiting yet.
        runtime.block_on(accepted.notified());
    }
}
