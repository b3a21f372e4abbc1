//! The Take-A-Number Deluxe server: the ticket rules wrapped in the server behaviour, as the
//! exercise wraps `TakeANumberDeluxe.State` in a GenServer.

use crate::rules::{is_safe, Range, TicketError, Tickets};
use crate::server::{CallNext, Info, Next, Reason, Server, Timeout};
use std::marker::PhantomData;

/// The reason `init` gives for a configuration it refuses (and the JS error code).
pub const INVALID_CONFIGURATION: &str = "invalid_configuration";

/// What a machine is started with; `init` validates it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Options {
    /// The lowest ticket number.
    pub min_number: i64,
    /// The highest ticket number.
    pub max_number: i64,
    /// Idle time before the machine switches itself off.
    pub auto_shutdown_timeout: Timeout,
    /// Numbers already queued, front first (to restore a saved queue): each in range, no
    /// duplicates.
    pub queue: Vec<i64>,
}

/// Requests that get a reply.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Call {
    /// Take a number.
    QueueNewNumber,
    /// Serve the front of the queue, or this priority number.
    ServeNextQueuedNumber(Option<i64>),
    /// Report the whole state.
    ReportState,
}

/// Requests that get no reply.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Cast {
    /// Empty the queue, keeping the configuration.
    ResetState,
}

/// A snapshot of the machine, as `reportState` returns it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Report {
    /// The lowest ticket number.
    pub min_number: i64,
    /// The highest ticket number.
    pub max_number: i64,
    /// The queued numbers, front first.
    pub queue: Vec<i64>,
    /// The idle timeout.
    pub auto_shutdown_timeout: Timeout,
}

/// A successful reply.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Reply {
    /// A ticket number (taken or served).
    Number(i64),
    /// The state.
    State(Report),
}

/// The machine's state. `M` is whatever the host sends as other messages; the machine
/// ignores them all.
#[derive(Debug)]
pub struct TakeANumber<M> {
    tickets: Tickets,
    timeout: Timeout,
    ignored: PhantomData<fn(M)>,
}

impl<M> Server for TakeANumber<M> {
    type Args = Options;
    type Call = Call;
    type Reply = Result<Reply, TicketError>;
    type Cast = Cast;
    type Message = M;

    fn init(options: Options) -> Result<(Self, Timeout), Reason> {
        let timeout_ok = match options.auto_shutdown_timeout {
            Timeout::After(ms) => i64::try_from(ms).is_ok_and(is_safe),
            Timeout::Infinity => true,
        };
        let tickets = Range::new(options.min_number, options.max_number)
            .ok()
            .filter(|_| timeout_ok)
            .and_then(|range| Tickets::from_queue(range, options.queue).ok())
            .ok_or(Reason::new(INVALID_CONFIGURATION))?;
        let machine = TakeANumber {
            tickets,
            timeout: options.auto_shutdown_timeout,
            ignored: PhantomData,
        };
        Ok((machine, options.auto_shutdown_timeout))
    }

    fn handle_call(&mut self, call: Call) -> CallNext<Self::Reply> {
        let reply = match call {
            Call::QueueNewNumber => self.tickets.take().map(Reply::Number),
            Call::ServeNextQueuedNumber(priority) => {
                self.tickets.serve(priority).map(Reply::Number)
            }
            Call::ReportState => Ok(Reply::State(self.report())),
        };
        CallNext::Reply(reply, self.timeout)
    }

    fn handle_cast(&mut self, cast: Cast) -> Next {
        match cast {
            Cast::ResetState => self.tickets.reset(),
        }
        Next::Continue(self.timeout)
    }

    fn handle_info(&mut self, info: Info<M>) -> Next {
        match info {
            Info::Timeout => Next::Stop(Reason::NORMAL),
            // The exercise: ignore unexpected messages (they still count as activity).
            Info::Message(_) => Next::Continue(self.timeout),
        }
    }
}

impl<M> TakeANumber<M> {
    fn report(&self) -> Report {
        let range = self.tickets.range();
        // Sized up front: the runs' iterator cannot tell its length, so collect() would
        // reallocate as the vector grows.
        let mut queue = Vec::with_capacity(usize::try_from(self.tickets.len()).unwrap_or(0));
        queue.extend(self.tickets.iter());
        Report {
            min_number: range.min(),
            max_number: range.max(),
            queue,
            auto_shutdown_timeout: self.timeout,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    type Machine = TakeANumber<&'static str>;

    fn options(min: i64, max: i64, timeout: Timeout) -> Options {
        Options {
            min_number: min,
            max_number: max,
            auto_shutdown_timeout: timeout,
            queue: Vec::new(),
        }
    }

    fn started(min: i64, max: i64) -> Machine {
        match Machine::init(options(min, max, Timeout::After(7))) {
            Ok((machine, timeout)) => {
                assert_eq!(timeout, Timeout::After(7));
                machine
            }
            Err(reason) => panic!("refused: {reason}"),
        }
    }

    fn call(machine: &mut Machine, call: Call) -> Result<Reply, TicketError> {
        match machine.handle_call(call) {
            CallNext::Reply(reply, timeout) => {
                assert_eq!(
                    timeout,
                    Timeout::After(7),
                    "every callback keeps the timeout"
                );
                reply
            }
            CallNext::Stop(reason, _) => panic!("stopped: {reason}"),
        }
    }

    #[test]
    fn init_refuses_bad_ranges_and_timeouts() {
        let refusal = Some(Reason::new(INVALID_CONFIGURATION));
        assert_eq!(
            Machine::init(options(9, 1, Timeout::Infinity)).err(),
            refusal
        );
        assert_eq!(
            Machine::init(options(1, 1, Timeout::Infinity)).err(),
            refusal
        );
        let too_long = Timeout::After(1 << 53);
        assert_eq!(Machine::init(options(1, 9, too_long)).err(), refusal);
        assert!(Machine::init(options(1, 9, Timeout::After(0))).is_ok());
    }

    #[test]
    fn init_restores_a_queue_in_order_and_refuses_a_bad_one() {
        let restored = Options {
            queue: vec![7, 3, 5],
            ..options(1, 9, Timeout::Infinity)
        };
        let Ok((mut m, _)) = Machine::init(restored) else {
            panic!("a valid queue was refused");
        };
        assert_eq!(m.tickets.iter().collect::<Vec<_>>(), vec![7, 3, 5]);
        // 7 is the highest queued, so the next number is 8.
        assert_eq!(
            m.handle_call(Call::QueueNewNumber),
            CallNext::Reply(Ok(Reply::Number(8)), Timeout::Infinity)
        );
        let refusal = Some(Reason::new(INVALID_CONFIGURATION));
        for queue in [vec![3, 3], vec![0], vec![10], vec![1, 2, 99]] {
            let bad = Options {
                queue,
                ..options(1, 9, Timeout::Infinity)
            };
            assert_eq!(Machine::init(bad).err(), refusal);
        }
    }

    #[test]
    fn the_exercise_examples_hold() {
        let mut m = started(1, 2);
        assert_eq!(call(&mut m, Call::QueueNewNumber), Ok(Reply::Number(1)));
        assert_eq!(call(&mut m, Call::QueueNewNumber), Ok(Reply::Number(2)));
        assert_eq!(
            call(&mut m, Call::QueueNewNumber),
            Err(TicketError::AllPossibleNumbersAreInUse)
        );
        let mut m = started(1, 10);
        call(&mut m, Call::QueueNewNumber).ok();
        assert_eq!(
            call(&mut m, Call::ServeNextQueuedNumber(None)),
            Ok(Reply::Number(1))
        );
        assert_eq!(
            call(&mut m, Call::ServeNextQueuedNumber(None)),
            Err(TicketError::EmptyQueue)
        );
    }

    #[test]
    fn report_shows_the_queue_front_first_and_reset_keeps_the_config() {
        let mut m = started(5, 9);
        for _ in 0..3 {
            call(&mut m, Call::QueueNewNumber).ok();
        }
        call(&mut m, Call::ServeNextQueuedNumber(Some(6))).ok();
        let report = Report {
            min_number: 5,
            max_number: 9,
            queue: vec![5, 7],
            auto_shutdown_timeout: Timeout::After(7),
        };
        assert_eq!(
            call(&mut m, Call::ReportState),
            Ok(Reply::State(report.clone()))
        );
        assert_eq!(
            m.handle_cast(Cast::ResetState),
            Next::Continue(Timeout::After(7))
        );
        assert_eq!(
            call(&mut m, Call::ReportState),
            Ok(Reply::State(Report {
                queue: vec![],
                ..report
            }))
        );
    }

    #[test]
    fn idle_timeout_stops_normally_and_other_messages_are_ignored() {
        let mut m = started(1, 3);
        call(&mut m, Call::QueueNewNumber).ok();
        assert_eq!(
            m.handle_info(Info::Message("timeout")),
            Next::Continue(Timeout::After(7))
        );
        assert_eq!(m.tickets.len(), 1);
        assert_eq!(m.handle_info(Info::Timeout), Next::Stop(Reason::NORMAL));
    }
}
