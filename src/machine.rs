//! The Take-A-Number Deluxe server: the ticket rules wrapped in the server behaviour, as the
//! exercise wraps `TakeANumberDeluxe.State` in a GenServer.

use crate::rules::{
    is_safe, Called, Held, Moved, Pick, Policy, Range, Saved, TicketError, Tickets, Waiting,
};
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
    /// How the department runs its queue beyond the exercise (groups, order, transfers, calls).
    pub policy: Policy,
    /// The groups' names, in the policy's order (one per group, distinct); none for a machine of
    /// one group, [`DEFAULT_GROUP`] (kept unallocated: a page may run many such machines).
    pub groups: Vec<String>,
    /// A whole department to restore, as [`Report::department`] saved it (instead of `queue`).
    pub state: Option<Saved>,
}

impl Options {
    /// A machine for `min..=max` with the exercise's rules and no saved state.
    pub fn new(min_number: i64, max_number: i64, auto_shutdown_timeout: Timeout) -> Options {
        Options {
            min_number,
            max_number,
            auto_shutdown_timeout,
            queue: Vec::new(),
            policy: Policy::default(),
            groups: Vec::new(),
            state: None,
        }
    }
}

/// The name of the one group of a machine configured without groups.
pub const DEFAULT_GROUP: &str = "default";

/// Which waiting ticket a counter calls, by group name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Which {
    /// The next one in the department's order.
    Next,
    /// The front of the group with this name.
    Group(String),
    /// This number, out of order.
    Number(i64),
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
    /// Take a number in a group (by name; `None` the first), at a time (`None`: the latest).
    Take(Option<String>, Option<i64>),
    /// Call a waiting ticket to a counter.
    Call(String, Which),
    /// Call a counter's ticket again.
    Recall(String),
    /// End a counter's ticket as served.
    Finish(String),
    /// End a counter's ticket as a no-show.
    NoShow(String),
    /// Set a counter's ticket aside.
    Park(String),
    /// Call a parked ticket back to its counter.
    Unpark(i64),
    /// Take a ticket out for another department.
    TransferOut(i64),
    /// Queue a ticket from another department: its number, group name (`None`: the first) and
    /// first take time, at a time (`None`: the latest).
    TransferIn(i64, Option<String>, i64, Option<i64>),
    /// Report the whole department: groups, lines, counters, parked tickets.
    ReportDepartment,
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

/// A ticket at a counter or parked, with its group's name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Seat {
    /// The ticket.
    pub ticket: Held,
    /// Its group's name.
    pub group: String,
    /// The ticket the counter served until this call (which the call finished).
    pub finished: Option<i64>,
}

/// A department's whole state, as `reportDepartment` returns it: everything needed to restore
/// it, and the group served next.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Department {
    /// The groups' names, in order.
    pub groups: Vec<String>,
    /// The waiting tickets with their groups, in the order they joined.
    pub waiting: Vec<(usize, Waiting)>,
    /// The tickets at counters.
    pub serving: Vec<Held>,
    /// The parked tickets.
    pub parked: Vec<Held>,
    /// The ratio order's credits.
    pub credits: Vec<i64>,
    /// The latest time the department was given.
    pub now: i64,
    /// The group the next call serves.
    pub next_group: Option<usize>,
}

/// A successful reply.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Reply {
    /// A ticket number (taken or served).
    Number(i64),
    /// The state.
    State(Report),
    /// A ticket at a counter (or parked), and what the call finished.
    Seat(Seat),
    /// A ticket out of the department.
    Moved(Moved, String),
    /// Done, with nothing to say.
    Done,
    /// The whole department.
    Department(Box<Department>),
}

/// The machine's state. `M` is whatever the host sends as other messages; the machine
/// ignores them all.
#[derive(Debug)]
pub struct TakeANumber<M> {
    tickets: Tickets,
    timeout: Timeout,
    groups: Vec<String>,
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
        let groups_ok = (options.groups.is_empty() && options.policy.groups == 1
            || options.groups.len() == options.policy.groups)
            && options.groups.iter().enumerate().all(|(i, name)| {
                !options
                    .groups
                    .iter()
                    .skip(i.saturating_add(1))
                    .any(|n| n == name)
            });
        let restore = |range: Range| match options.state {
            Some(_) if !options.queue.is_empty() => None,
            Some(saved) => Tickets::restore(range, options.policy.clone(), saved).ok(),
            None => {
                let mut tickets = Tickets::with_policy(range, options.policy.clone()).ok()?;
                for n in options.queue {
                    tickets.restore_waiting(n).ok()?;
                }
                Some(tickets)
            }
        };
        let tickets = Range::new(options.min_number, options.max_number)
            .ok()
            .filter(|_| timeout_ok && groups_ok)
            .and_then(restore)
            .ok_or(Reason::new(INVALID_CONFIGURATION))?;
        let machine = TakeANumber {
            tickets,
            timeout: options.auto_shutdown_timeout,
            groups: options.groups,
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
            other => self.facility(other),
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
    /// A facility's operations (everything beyond the exercise's).
    fn facility(&mut self, call: Call) -> Result<Reply, TicketError> {
        let t = &mut self.tickets;
        match call {
            Call::Take(group, at) => {
                let group = group_index(&self.groups, group.as_deref())?;
                let at = at.unwrap_or(t.now());
                t.take_in(group, at).map(Reply::Number)
            }
            Call::Call(counter, which) => {
                let pick = match which {
                    Which::Next => Pick::Next,
                    Which::Group(name) => Pick::Group(group_index(&self.groups, Some(&name))?),
                    Which::Number(n) => Pick::Number(n),
                };
                let called = t.call(&counter, pick)?;
                Ok(self.seat(called))
            }
            Call::Recall(counter) => t.recall(&counter).map(|held| self.held(held)),
            Call::Finish(counter) => t.finish(&counter).map(|held| self.held(held)),
            Call::NoShow(counter) => t.no_show(&counter).map(|held| self.held(held)),
            Call::Park(counter) => t.park(&counter).map(|held| self.held(held)),
            Call::Unpark(n) => {
                let called = t.unpark(n)?;
                Ok(self.seat(called))
            }
            Call::TransferOut(n) => {
                let moved = t.transfer_out(n)?;
                Ok(Reply::Moved(moved, self.group_name(moved.group)))
            }
            Call::TransferIn(number, group, taken, at) => {
                let group = group_index(&self.groups, group.as_deref())?;
                let at = at.unwrap_or(t.now());
                t.transfer_in(
                    Moved {
                        number,
                        group,
                        taken,
                    },
                    at,
                )
                .map(|()| Reply::Done)
            }
            Call::ReportDepartment => {
                let Saved {
                    serving,
                    parked,
                    credits,
                    now,
                    ..
                } = t.save_counters();
                let waiting = t.waiting().collect();
                let next_group = t.next_group();
                Ok(Reply::Department(Box::new(Department {
                    groups: self.group_names(),
                    waiting,
                    serving,
                    parked,
                    credits,
                    now,
                    next_group,
                })))
            }
            // The exercise's calls are answered in handle_call.
            Call::QueueNewNumber | Call::ServeNextQueuedNumber(_) | Call::ReportState => {
                Ok(Reply::Done)
            }
        }
    }

    fn group_name(&self, group: usize) -> String {
        match self.groups.get(group) {
            Some(name) => name.clone(),
            None if self.groups.is_empty() => DEFAULT_GROUP.to_owned(),
            None => String::new(),
        }
    }

    /// The groups' names, in order.
    fn group_names(&self) -> Vec<String> {
        if self.groups.is_empty() {
            vec![DEFAULT_GROUP.to_owned()]
        } else {
            self.groups.clone()
        }
    }

    fn held(&self, ticket: Held) -> Reply {
        let group = self.group_name(ticket.group);
        Reply::Seat(Seat {
            ticket,
            group,
            finished: None,
        })
    }

    fn seat(&self, called: Called) -> Reply {
        let group = self.group_name(called.ticket.group);
        Reply::Seat(Seat {
            ticket: called.ticket,
            group,
            finished: called.finished,
        })
    }

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

/// The index of the group named `name` (`None`: the first group) among `groups` (none: the one
/// group [`DEFAULT_GROUP`]).
fn group_index(groups: &[String], name: Option<&str>) -> Result<usize, TicketError> {
    match name {
        None => Ok(0),
        Some(name) if groups.is_empty() && name == DEFAULT_GROUP => Ok(0),
        Some(name) => groups
            .iter()
            .position(|g| g == name)
            .ok_or(TicketError::UnknownGroup),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    type Machine = TakeANumber<&'static str>;

    fn options(min: i64, max: i64, timeout: Timeout) -> Options {
        Options::new(min, max, timeout)
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
