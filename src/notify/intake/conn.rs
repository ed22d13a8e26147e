//! The intake's connections: accepted and served here rather than by `axum::serve`, which has no time
//! limits, no cap and no bounded shutdown, so that slow, idle or stalled clients cannot hold the
//! intake's descriptors or its shutdown.
//!
//! - A connection has [`ConnectionLimits::header_timeout`] from its accept, or from the first byte of
//!   a later request, to send the whole request head; between requests it may stay open for
//!   [`ConnectionLimits::idle_timeout`]; a client that stops taking its answer is dropped after the
//!   idle timeout too. These are checked in [`Watched`], the stream's wrapper, whenever a read or a
//!   write would wait: no timer task per connection. While a request's handler runs they do not apply:
//!   the handler bounds its own body read ([`ConnectionLimits::body_timeout`]) and the commit is the
//!   disk's.
//! - At most [`ConnectionLimits::max_connections`] connections are served at once, over both
//!   addresses. At the cap the intake stops accepting until one closes: a new connection waits in the
//!   kernel's listen queue, which costs the process no descriptor, and is served as soon as a slot is
//!   free (a stalled client frees its slot within the header timeout), rather than being refused.
//! - On shutdown the listeners close, idle connections close at once, requests in flight get
//!   [`ConnectionLimits::shutdown_grace`] to finish, and whatever is still open then is cut.

use std::future::Future;
use std::io;
use std::net::SocketAddr;
use std::pin::{pin, Pin};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::task::{Context, Poll, Waker};
use std::time::Duration;

use axum::extract::Request;
use axum::Router;
use hyper::body::Incoming;
use hyper::server::conn::http1;
use hyper::service::{service_fn, Service};
use hyper_util::rt::TokioIo;
use hyper_util::service::TowerToHyperService;
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::{watch, Semaphore};
use tokio::task::JoinSet;
use tokio::time::{Instant, Sleep};

/// The time limits and the cap on the intake's connections.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ConnectionLimits {
    /// Time to send a request's head (request line and headers): from the accept, or from a later
    /// request's first byte.
    pub header_timeout: Duration,
    /// Time to send a request's body once its head is in; past it the answer is 408.
    pub body_timeout: Duration,
    /// How long a connection may wait between requests, and how long a client may leave its answer
    /// untaken.
    pub idle_timeout: Duration,
    /// Most connections served at once (over both addresses).
    pub max_connections: usize,
    /// How long requests in flight get to finish after the intake is asked to stop.
    pub shutdown_grace: Duration,
}

impl Default for ConnectionLimits {
    /// Headers 10 s, body 30 s, idle 60 s, 256 connections, shutdown 5 s.
    fn default() -> ConnectionLimits {
        ConnectionLimits {
            header_timeout: Duration::from_secs(10),
            body_timeout: Duration::from_secs(30),
            idle_timeout: Duration::from_secs(60),
            max_connections: 256,
            shutdown_grace: Duration::from_secs(5),
        }
    }
}

/// The local address a request came in on, as a request extension (the health check's proof names it).
#[derive(Debug, Clone, Copy)]
pub(super) struct ConnectedTo(pub SocketAddr);

/// Serves `app` on `listener`, taking a slot from `slots` for every connection, until `stopping`
/// changes or its sender is dropped; then shuts down as the module says. Returns how many connections
/// were cut at the end of the grace period.
pub(super) async fn serve_listener(
    listener: TcpListener,
    app: Router,
    limits: ConnectionLimits,
    slots: Arc<Semaphore>,
    mut stopping: watch::Receiver<()>,
) -> usize {
    let mut connections = JoinSet::new();
    'accepting: loop {
        let stream = tokio::select! {
            biased;
            _ = stopping.changed() => break 'accepting,
            Some(_) = connections.join_next(), if !connections.is_empty() => continue,
            accepted = listener.accept() => match accepted {
                Ok((stream, _peer)) => stream,
                Err(e) if is_connection_error(&e) => continue,
                Err(_) => {
                    // Out of descriptors, say: wait a little rather than spin; the cap makes it rare.
                    tokio::select! {
                        _ = stopping.changed() => break 'accepting,
                        () = tokio::time::sleep(Duration::from_millis(100)) => continue,
                    }
                }
            },
        };
        // At the cap: hold this one connection and accept no other until a slot is free.
        let slot = tokio::select! {
            biased;
            _ = stopping.changed() => break 'accepting,
            slot = slots.clone().acquire_owned() => match slot {
                Ok(slot) => slot,
                Err(_) => break 'accepting,
            },
        };
        let Ok(local) = stream.local_addr() else {
            continue;
        };
        // Answers are small and latency is the point: no Nagle delay on them.
        let _ = stream.set_nodelay(true);
        let phase = Arc::new(Phase::default());
        let io = TokioIo::new(Watched::new(stream, limits, phase.clone()));
        let router = TowerToHyperService::new(app.clone());
        let service = service_fn(move |mut request: Request<Incoming>| {
            request.extensions_mut().insert(ConnectedTo(local));
            phase.busy.store(true, Ordering::Release);
            let answer = router.call(request);
            let phase = phase.clone();
            async move {
                let answer = answer.await;
                phase.finish();
                answer
            }
        });
        let mut closing = stopping.clone();
        connections.spawn(async move {
            let _slot = slot;
            let mut connection = pin!(http1::Builder::new()
                .keep_alive(true)
                // The wrapper keeps the header time limit, so that it can differ from the idle one.
                .header_read_timeout(None)
                .serve_connection(io, service));
            tokio::select! {
                _ = connection.as_mut() => {}
                _ = closing.changed() => {
                    connection.as_mut().graceful_shutdown();
                    let _ = connection.await;
                }
            }
        });
    }
    drop(listener);
    let drained = tokio::time::timeout(limits.shutdown_grace, async {
        while connections.join_next().await.is_some() {}
    })
    .await;
    if drained.is_ok() {
        return 0;
    }
    let cut = connections.len();
    connections.shutdown().await;
    cut
}

/// Errors of one incoming connection (it went away before it was accepted), not of the listener.
fn is_connection_error(e: &io::Error) -> bool {
    matches!(
        e.kind(),
        io::ErrorKind::ConnectionRefused
            | io::ErrorKind::ConnectionAborted
            | io::ErrorKind::ConnectionReset
    )
}

/// What the connection's requests are doing, as its service tells its stream.
#[derive(Debug, Default)]
struct Phase {
    /// A request's handler is running.
    busy: AtomicBool,
    /// Requests answered so far.
    finished: AtomicU64,
    /// The connection's task, when a read waited while the handler ran: hyper reads again only when
    /// woken, and the idle time limit starts only with a read.
    reader: Mutex<Option<Waker>>,
}

impl Phase {
    fn finish(&self) {
        self.busy.store(false, Ordering::Release);
        self.finished.fetch_add(1, Ordering::AcqRel);
        let reader = self
            .reader
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .take();
        if let Some(reader) = reader {
            reader.wake();
        }
    }
}

/// When the client must have sent more.
#[derive(Debug, Clone, Copy)]
enum Waiting {
    /// For the rest of a request head.
    Head(Instant),
    /// For the next request on a kept-alive connection.
    Next(Instant),
}

impl Waiting {
    fn deadline(self) -> Instant {
        match self {
            Waiting::Head(at) | Waiting::Next(at) => at,
        }
    }
}

/// A connection's stream with the header and idle time limits: a read or a write that would wait past
/// its limit fails with [`io::ErrorKind::TimedOut`], and the connection closes.
struct Watched {
    stream: TcpStream,
    limits: ConnectionLimits,
    phase: Arc<Phase>,
    /// `phase.finished` as last seen: a change means a request was answered and the wait is for the
    /// next one.
    answered: u64,
    waiting: Waiting,
    read_timer: Pin<Box<Sleep>>,
    /// Since when a write has been waiting for the client to take data, if one is.
    write_stalled: Option<Instant>,
    write_timer: Pin<Box<Sleep>>,
}

impl Watched {
    fn new(stream: TcpStream, limits: ConnectionLimits, phase: Arc<Phase>) -> Watched {
        let head = Instant::now() + limits.header_timeout;
        Watched {
            stream,
            limits,
            phase,
            answered: 0,
            waiting: Waiting::Head(head),
            read_timer: Box::pin(tokio::time::sleep_until(head)),
            write_stalled: None,
            write_timer: Box::pin(tokio::time::sleep_until(head)),
        }
    }

    fn timed_out(what: &str) -> io::Error {
        io::Error::new(io::ErrorKind::TimedOut, what.to_string())
    }

    fn poll_write_with(
        &mut self,
        cx: &mut Context<'_>,
        write: impl FnOnce(Pin<&mut TcpStream>, &mut Context<'_>) -> Poll<io::Result<usize>>,
    ) -> Poll<io::Result<usize>> {
        match write(Pin::new(&mut self.stream), cx) {
            Poll::Pending => {
                let since = *self.write_stalled.get_or_insert_with(Instant::now);
                let deadline = since + self.limits.idle_timeout;
                if self.write_timer.deadline() != deadline {
                    self.write_timer.as_mut().reset(deadline);
                }
                if self.write_timer.as_mut().poll(cx).is_ready() {
                    return Poll::Ready(Err(Self::timed_out(
                        "the client stopped taking its answer",
                    )));
                }
                Poll::Pending
            }
            ready => {
                self.write_stalled = None;
                ready
            }
        }
    }
}

impl AsyncRead for Watched {
    fn poll_read(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        let this = self.get_mut();
        let answered = this.phase.finished.load(Ordering::Acquire);
        if answered != this.answered {
            this.answered = answered;
            this.waiting = Waiting::Next(Instant::now() + this.limits.idle_timeout);
        }
        let before = buf.filled().len();
        match Pin::new(&mut this.stream).poll_read(cx, buf) {
            Poll::Ready(Ok(())) => {
                if buf.filled().len() > before && matches!(this.waiting, Waiting::Next(_)) {
                    this.waiting = Waiting::Head(Instant::now() + this.limits.header_timeout);
                }
                Poll::Ready(Ok(()))
            }
            Poll::Ready(Err(e)) => Poll::Ready(Err(e)),
            Poll::Pending => {
                if this.phase.busy.load(Ordering::Acquire) {
                    // The handler bounds its own reads; its end wakes this read to start the idle
                    // limit.
                    *this
                        .phase
                        .reader
                        .lock()
                        .unwrap_or_else(PoisonError::into_inner) = Some(cx.waker().clone());
                    return Poll::Pending;
                }
                let deadline = this.waiting.deadline();
                if this.read_timer.deadline() != deadline {
                    this.read_timer.as_mut().reset(deadline);
                }
                if this.read_timer.as_mut().poll(cx).is_ready() {
                    return Poll::Ready(Err(Self::timed_out(match this.waiting {
                        Waiting::Head(_) => "the request head did not arrive in time",
                        Waiting::Next(_) => "the connection was idle too long",
                    })));
                }
                Poll::Pending
            }
        }
    }
}

impl AsyncWrite for Watched {
    fn poll_write(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        self.get_mut()
            .poll_write_with(cx, |stream, cx| stream.poll_write(cx, buf))
    }

    fn poll_write_vectored(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[io::IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        self.get_mut()
            .poll_write_with(cx, |stream, cx| stream.poll_write_vectored(cx, bufs))
    }

    fn is_write_vectored(&self) -> bool {
        self.stream.is_write_vectored()
    }

    fn poll_flush(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.get_mut().stream).poll_flush(cx)
    }

    fn poll_shutdown(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.get_mut().stream).poll_shutdown(cx)
    }
}
