//! Waiting for an instant on the wall clock.
//!
//! Everything Baton waits for is a wall-clock instant: a digest at 10:00, the start of a working day,
//! the end of a focus session, a teammate's evening. A monotonic timer (tokio's, or a standard
//! library timeout) stops counting while the machine is suspended, so a laptop closed at 18:00 with
//! the start-of-day digest due at 09:00 and opened at 08:30 would deliver that digest fifteen hours
//! late, and the tray would show yesterday's state all morning.
//!
//! [`sleep_until`] waits on the real-time clock instead. On Linux it arms a `timerfd` on
//! `CLOCK_REALTIME` with an absolute expiry: the kernel fires it at the instant even when the machine
//! slept through part of the wait, and with `TFD_TIMER_CANCEL_ON_SET` it also wakes when the clock
//! is stepped (an NTP correction, the user setting the time, a resume), so the caller works out its
//! next instant again from the new time. Where that is not available it sleeps on tokio's timer for
//! at most [`FALLBACK_STEP`] at a time.
//!
//! Every caller is a loop that recomputes its next instant after each wake, so waking early is
//! harmless; waking late is what this module prevents.

use std::time::Duration as StdDuration;

use chrono::Utc;

use crate::time::interval::Instant;

/// The longest single wait where no real-time timer is available (not Linux, or the kernel refused
/// one): a monotonic timer can then be late by up to this after a suspend.
pub const FALLBACK_STEP: StdDuration = StdDuration::from_secs(10 * 60);

/// Resolves at `deadline` on the wall clock (at once when it has passed), or earlier when the system
/// clock is set. Cancel-safe: dropping the future disarms the timer.
pub async fn sleep_until(deadline: Instant) {
    #[cfg(target_os = "linux")]
    {
        match realtime::sleep_until(deadline).await {
            Ok(()) => return,
            Err(e) => eprintln!("baton: no real-time timer ({e}); waiting on the monotonic clock"),
        }
    }
    let left = (deadline - Utc::now()).to_std().unwrap_or_default();
    tokio::time::sleep(left.min(FALLBACK_STEP)).await;
}

#[cfg(target_os = "linux")]
mod realtime {
    use std::io;

    use rustix::io::Errno;
    use rustix::time::{
        timerfd_create, timerfd_settime, Itimerspec, TimerfdClockId, TimerfdFlags,
        TimerfdTimerFlags, Timespec,
    };
    use tokio::io::unix::AsyncFd;
    use tokio::io::Interest;

    use crate::time::interval::Instant;

    pub(super) async fn sleep_until(deadline: Instant) -> io::Result<()> {
        let fd = timerfd_create(
            TimerfdClockId::Realtime,
            TimerfdFlags::NONBLOCK | TimerfdFlags::CLOEXEC,
        )?;
        // An expiry of zero would disarm the timer; any instant at or before the epoch has passed.
        let it_value = if deadline.timestamp() > 0 {
            Timespec {
                tv_sec: deadline.timestamp(),
                tv_nsec: i64::from(deadline.timestamp_subsec_nanos()),
            }
        } else {
            Timespec {
                tv_sec: 0,
                tv_nsec: 1,
            }
        };
        let spec = Itimerspec {
            it_interval: Timespec {
                tv_sec: 0,
                tv_nsec: 0,
            },
            it_value,
        };
        timerfd_settime(
            &fd,
            TimerfdTimerFlags::ABSTIME | TimerfdTimerFlags::CANCEL_ON_SET,
            &spec,
        )?;
        // SAFETY: the `OwnedFd` moves into the `AsyncFd` and stays open, as the same descriptor, until
        // the `AsyncFd` drops it; nothing else has a copy of it.
        #[allow(unsafe_code)]
        let fd = unsafe { AsyncFd::register_with_interest(fd, Interest::READABLE) }
            .map_err(io::Error::from)?;
        loop {
            let mut ready = fd.readable().await?;
            let mut expirations = [0u8; 8];
            match ready.try_io(|fd| {
                rustix::io::read(fd.get_ref(), &mut expirations).map_err(io::Error::from)
            }) {
                Ok(Ok(_)) => return Ok(()),
                // The clock was set: the caller recomputes its instant from the new time.
                Ok(Err(e)) if e.raw_os_error() == Some(Errno::CANCELED.raw_os_error()) => {
                    return Ok(())
                }
                Ok(Err(e)) => return Err(e),
                Err(_would_block) => {}
            }
        }
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use chrono::{Duration, TimeZone, Utc};

    use super::sleep_until;

    fn runtime() -> tokio::runtime::Runtime {
        tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap()
    }

    #[test]
    fn it_never_wakes_before_the_instant() {
        runtime().block_on(async {
            for ms in [1, 30, 250] {
                let deadline = Utc::now() + Duration::milliseconds(ms);
                sleep_until(deadline).await;
                let now = Utc::now();
                assert!(now >= deadline, "woke at {now}, before {deadline}");
            }
        });
    }

    #[test]
    fn an_instant_in_the_past_or_at_the_epoch_resolves_at_once() {
        runtime().block_on(async {
            // Without a timer that fires these would never resolve and the test would hang, not pass.
            sleep_until(Utc::now() - Duration::hours(3)).await;
            sleep_until(Utc.timestamp_opt(0, 0).unwrap()).await;
            sleep_until(Utc.timestamp_opt(-86_400, 0).unwrap()).await;
        });
    }

    #[test]
    fn dropping_the_wait_disarms_it() {
        runtime().block_on(async {
            let far = Utc::now() + Duration::days(1);
            let near = Utc::now() + Duration::milliseconds(20);
            tokio::select! {
                () = sleep_until(far) => panic!("the far instant fired first"),
                () = sleep_until(near) => {}
            }
            assert!(Utc::now() >= near);
        });
    }

    #[cfg(target_os = "linux")]
    #[test]
    fn on_linux_it_waits_on_a_real_time_timer() {
        // The fallback would also wake on time; this checks the timerfd path itself succeeds, so a
        // suspended machine still wakes at the wall-clock instant.
        runtime().block_on(async {
            let deadline = Utc::now() + Duration::milliseconds(10);
            super::realtime::sleep_until(deadline).await.unwrap();
            assert!(Utc::now() >= deadline);
        });
    }
}
