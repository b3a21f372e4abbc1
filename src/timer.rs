//! The idle timer: when a server's idle timeout runs out, and the one JS timer that watches it.
//!
//! Arming a fresh `setTimeout` for every message is slow and churns closures, so the timer
//! keeps a *deadline* instead. Each message only moves the deadline (plain arithmetic); at most
//! one JS timer is pending, and when it fires the actor checks the deadline: passed means the
//! server gets its timeout, not yet passed means one new timer for the time that is left.
//!
//! [`IdleClock`] is that bookkeeping, with time passed in, so it is tested natively.
//! [`Alarm`] and [`now`] are the only parts that touch JS.

use crate::server::Timeout;
use wasm_bindgen::prelude::*;

/// `setTimeout` treats delays above 2^31 - 1 ms (about 24.8 days) as 0 and fires at once, so
/// longer timeouts are waited out in steps of at most this much.
pub const MAX_DELAY_MS: u32 = i32::MAX as u32;

/// What the JS timer should do after the actor has handled a batch of messages.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AlarmChange {
    /// Leave it as it is.
    Keep,
    /// (Re)start it to fire after this many milliseconds.
    Set(u32),
    /// Cancel it: there is nothing left to wait for.
    Clear,
}

/// The idle deadline of one actor and the state of its JS timer, in milliseconds of a
/// monotonic clock.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct IdleClock {
    deadline: Option<f64>,
    /// When the pending JS timer fires, if one is pending.
    alarm_at: Option<f64>,
}

impl IdleClock {
    /// A message was handled and its callback asked for `timeout`. `now` is asked only for a
    /// finite timeout, so machines that never time out never read the clock.
    pub fn restart(&mut self, now: impl FnOnce() -> f64, timeout: Timeout) {
        self.deadline = match timeout {
            // Timeouts are at most 2^53 - 1 ms, so the sum stays exact enough in an f64.
            Timeout::After(ms) => Some(now() + ms as f64),
            Timeout::Infinity => None,
        };
    }

    /// The actor stopped: nothing to wait for any more.
    pub fn stop(&mut self) {
        self.deadline = None;
    }

    /// The JS timer fired; returns whether the idle timeout has run out at `now`.
    pub fn fired(&mut self, now: f64) -> bool {
        self.alarm_at = None;
        self.deadline.is_some_and(|deadline| now >= deadline)
    }

    /// What to do with the JS timer so that it fires no later than the deadline (`now` is
    /// asked only when a timer must be set).
    pub fn alarm_change(&mut self, now: impl FnOnce() -> f64) -> AlarmChange {
        match (self.deadline, self.alarm_at) {
            (None, None) => AlarmChange::Keep,
            (None, Some(_)) => {
                self.alarm_at = None;
                AlarmChange::Clear
            }
            // A timer that fires before the deadline is fine: it re-checks and re-arms.
            (Some(deadline), Some(alarm_at)) if alarm_at <= deadline => AlarmChange::Keep,
            (Some(deadline), _) => {
                let now = now();
                let delay = (deadline - now).ceil().clamp(0.0, f64::from(MAX_DELAY_MS));
                #[expect(
                    clippy::cast_possible_truncation,
                    clippy::cast_sign_loss,
                    reason = "clamped to 0..=MAX_DELAY_MS and integral by ceil, so exact"
                )]
                let delay_ms = delay as u32;
                self.alarm_at = Some(now + f64::from(delay_ms));
                AlarmChange::Set(delay_ms)
            }
        }
    }

    /// Whether a JS timer is pending.
    pub fn alarm_pending(&self) -> bool {
        self.alarm_at.is_some()
    }
}

#[wasm_bindgen]
extern "C" {
    /// `performance.now()`: monotonic, so a clock change on the kiosk cannot cut an idle
    /// period short or stretch it.
    #[wasm_bindgen(js_namespace = performance, js_name = now)]
    fn performance_now() -> f64;
}

/// Milliseconds on the monotonic JS clock.
pub fn now() -> f64 {
    performance_now()
}

/// The one pending JS timer of an actor. Dropping or replacing it cancels the timer and frees
/// its closure (gloo's `Timeout` does both), so nothing leaks however long the kiosk runs.
#[derive(Debug, Default)]
pub struct Alarm(Option<gloo_timers::callback::Timeout>);

impl Alarm {
    /// Applies `change`; `on_fire` runs when a newly set timer fires.
    pub fn apply(&mut self, change: AlarmChange, on_fire: impl FnOnce() + 'static) {
        match change {
            AlarmChange::Keep => {}
            AlarmChange::Clear => self.0 = None,
            AlarmChange::Set(ms) => {
                self.0 = Some(gloo_timers::callback::Timeout::new(ms, on_fire));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn first_message_sets_one_alarm_for_the_whole_timeout() {
        let mut clock = IdleClock::default();
        clock.restart(|| 1000.0, Timeout::After(50));
        assert_eq!(clock.alarm_change(|| 1000.0), AlarmChange::Set(50));
        assert!(clock.alarm_pending());
    }

    #[test]
    fn later_messages_move_the_deadline_without_touching_the_alarm() {
        let mut clock = IdleClock::default();
        clock.restart(|| 0.0, Timeout::After(50));
        assert_eq!(clock.alarm_change(|| 0.0), AlarmChange::Set(50));
        for t in 1..40 {
            clock.restart(|| f64::from(t), Timeout::After(50));
            assert_eq!(clock.alarm_change(|| f64::from(t)), AlarmChange::Keep);
        }
        // The alarm fires at 50, but the last message was at 39: wait the remaining 39 ms.
        assert!(!clock.fired(50.0));
        assert_eq!(clock.alarm_change(|| 50.0), AlarmChange::Set(39));
        assert!(clock.fired(89.0));
    }

    #[test]
    fn an_alarm_that_fires_a_little_early_re_arms_for_the_rest() {
        let mut clock = IdleClock::default();
        clock.restart(|| 0.0, Timeout::After(10));
        clock.alarm_change(|| 0.0);
        assert!(!clock.fired(9.6));
        assert_eq!(clock.alarm_change(|| 9.6), AlarmChange::Set(1));
    }

    #[test]
    fn an_earlier_deadline_replaces_a_later_alarm() {
        let mut clock = IdleClock::default();
        clock.restart(|| 0.0, Timeout::After(1000));
        clock.alarm_change(|| 0.0);
        clock.restart(|| 10.0, Timeout::After(5));
        assert_eq!(clock.alarm_change(|| 10.0), AlarmChange::Set(5));
    }

    #[test]
    fn infinity_and_stop_clear_a_pending_alarm() {
        let mut clock = IdleClock::default();
        assert_eq!(clock.alarm_change(|| 0.0), AlarmChange::Keep);
        clock.restart(|| 0.0, Timeout::After(5));
        clock.alarm_change(|| 0.0);
        clock.restart(|| 1.0, Timeout::Infinity);
        assert_eq!(clock.alarm_change(|| 1.0), AlarmChange::Clear);
        assert!(!clock.fired(100.0));
        clock.restart(|| 2.0, Timeout::After(5));
        clock.alarm_change(|| 2.0);
        clock.stop();
        assert_eq!(clock.alarm_change(|| 3.0), AlarmChange::Clear);
        assert!(!clock.alarm_pending());
    }

    #[test]
    fn timeouts_longer_than_set_timeout_allows_are_waited_out_in_steps() {
        let mut clock = IdleClock::default();
        let week = 7 * 24 * 3600 * 1000;
        let month = 4 * week;
        clock.restart(|| 0.0, Timeout::After(month));
        assert_eq!(clock.alarm_change(|| 0.0), AlarmChange::Set(MAX_DELAY_MS));
        let first = f64::from(MAX_DELAY_MS);
        assert!(!clock.fired(first));
        assert_eq!(
            clock.alarm_change(|| first),
            AlarmChange::Set((month - u64::from(MAX_DELAY_MS)) as u32)
        );
    }

    #[test]
    fn zero_timeout_fires_on_the_next_timer_turn() {
        let mut clock = IdleClock::default();
        clock.restart(|| 5.0, Timeout::After(0));
        assert_eq!(clock.alarm_change(|| 5.0), AlarmChange::Set(0));
        assert!(clock.fired(5.0));
    }
}
