//! The actor loop, driven by hand with a made-up clock and a small counter server (not the
//! ticket machine, to show the runtime serves any server).

use super::*;
use crate::server::Timeout;
use std::cell::RefCell;
use std::rc::Rc;

/// Counts; logs terminate calls so tests can see the hook ran, and with what.
struct Counter {
    count: i64,
    timeout: Timeout,
    log: Rc<RefCell<Vec<String>>>,
}

enum CounterCall {
    Get,
    Add(i64),
    StopAfterReply,
}

struct CounterArgs {
    start: i64,
    timeout: Timeout,
    log: Rc<RefCell<Vec<String>>>,
}

impl Server for Counter {
    type Args = CounterArgs;
    type Call = CounterCall;
    type Reply = i64;
    type Cast = i64;
    type Message = &'static str;

    fn init(args: CounterArgs) -> Result<(Self, Timeout), Reason> {
        if args.start < 0 {
            return Err(Reason::new("negative_start"));
        }
        let server = Counter {
            count: args.start,
            timeout: args.timeout,
            log: args.log,
        };
        Ok((server, args.timeout))
    }

    fn handle_call(&mut self, call: CounterCall) -> CallNext<i64> {
        match call {
            CounterCall::Get => CallNext::Reply(self.count, self.timeout),
            CounterCall::Add(n) => {
                self.count += n;
                CallNext::Reply(self.count, self.timeout)
            }
            CounterCall::StopAfterReply => CallNext::Stop(Reason::new("asked"), self.count),
        }
    }

    fn handle_cast(&mut self, n: i64) -> Next {
        self.count += n;
        Next::Continue(self.timeout)
    }

    fn handle_info(&mut self, info: Info<&'static str>) -> Next {
        match info {
            Info::Timeout => Next::Stop(Reason::NORMAL),
            Info::Message("crash") => Next::Stop(Reason::new("crashed")),
            Info::Message(_) => Next::Continue(self.timeout),
        }
    }

    fn terminate(&mut self, reason: &Reason) {
        self.log
            .borrow_mut()
            .push(format!("terminate {reason} at {}", self.count));
    }
}

type TestActor = Actor<Counter, u32>;

fn start(timeout: Timeout) -> (TestActor, Rc<RefCell<Vec<String>>>) {
    let log = Rc::new(RefCell::new(Vec::new()));
    let args = CounterArgs {
        start: 0,
        timeout,
        log: log.clone(),
    };
    match Actor::start(args, || 0.0) {
        Ok(actor) => (actor, log),
        Err(reason) => panic!("refused to start: {reason}"),
    }
}

fn drain(actor: &mut TestActor, now: f64) -> Vec<Event<i64, u32>> {
    std::iter::from_fn(|| actor.next_event(&mut || now)).collect()
}

fn answer(token: u32, reply: i64) -> Event<i64, u32> {
    Event::Answer(token, Answer::Reply(reply))
}

#[test]
fn init_refusal_starts_nothing_and_reports_the_reason() {
    let args = CounterArgs {
        start: -1,
        timeout: Timeout::Infinity,
        log: Rc::default(),
    };
    let refused = Actor::<Counter, u32>::start(args, || 0.0).err();
    assert_eq!(refused, Some(Reason::new("negative_start")));
}

#[test]
fn messages_are_handled_one_at_a_time_in_arrival_order() {
    let (mut actor, _) = start(Timeout::Infinity);
    actor.push(Envelope::Call(CounterCall::Add(1), 1));
    actor.push(Envelope::Cast(10));
    actor.push(Envelope::Call(CounterCall::Get, 2));
    actor.push(Envelope::Info("ignored"));
    actor.push(Envelope::Call(CounterCall::Add(100), 3));
    assert_eq!(actor.pending(), 5);
    assert_eq!(
        drain(&mut actor, 0.0),
        vec![answer(1, 1), answer(2, 11), answer(3, 111)]
    );
    assert_eq!(actor.pending(), 0);
}

#[test]
fn stop_terminates_once_and_later_calls_get_no_process() {
    let (mut actor, log) = start(Timeout::Infinity);
    actor.push(Envelope::Call(CounterCall::Add(1), 1));
    actor.push(Envelope::Stop(Reason::new("bye"), 2));
    actor.push(Envelope::Call(CounterCall::Get, 3));
    actor.push(Envelope::Cast(5));
    actor.push(Envelope::Stop(Reason::NORMAL, 4));
    assert_eq!(
        drain(&mut actor, 0.0),
        vec![
            answer(1, 1),
            Event::Answer(2, Answer::Stopped),
            Event::Exited(Reason::new("bye")),
            Event::Answer(3, Answer::NoProcess),
            Event::Answer(4, Answer::NoProcess),
        ]
    );
    assert!(!actor.is_alive());
    assert_eq!(*log.borrow(), vec!["terminate bye at 1".to_string()]);
}

#[test]
fn a_call_can_reply_and_then_stop() {
    let (mut actor, log) = start(Timeout::Infinity);
    actor.push(Envelope::Call(CounterCall::StopAfterReply, 1));
    actor.push(Envelope::Call(CounterCall::Get, 2));
    assert_eq!(
        drain(&mut actor, 0.0),
        vec![
            answer(1, 0),
            Event::Exited(Reason::new("asked")),
            Event::Answer(2, Answer::NoProcess),
        ]
    );
    assert_eq!(log.borrow().len(), 1);
}

#[test]
fn an_info_handler_can_stop_the_actor() {
    let (mut actor, _) = start(Timeout::Infinity);
    actor.push(Envelope::Info("crash"));
    actor.push(Envelope::Call(CounterCall::Get, 1));
    assert_eq!(
        drain(&mut actor, 0.0),
        vec![
            Event::Exited(Reason::new("crashed")),
            Event::Answer(1, Answer::NoProcess)
        ]
    );
}

#[test]
fn idle_timeout_after_init_stops_with_normal() {
    let (mut actor, log) = start(Timeout::After(100));
    assert_eq!(actor.alarm_change(|| 0.0), AlarmChange::Set(100));
    actor.push(Envelope::IdleCheck);
    assert_eq!(
        drain(&mut actor, 100.0),
        vec![Event::Exited(Reason::NORMAL)]
    );
    assert_eq!(actor.alarm_change(|| 100.0), AlarmChange::Keep);
    assert_eq!(*log.borrow(), vec!["terminate normal at 0".to_string()]);
}

#[test]
fn every_kind_of_message_restarts_the_idle_timeout() {
    let kinds: [fn() -> Envelope<Counter, u32>; 3] = [
        || Envelope::Call(CounterCall::Get, 1),
        || Envelope::Cast(1),
        || Envelope::Info("ignored"),
    ];
    for kind in kinds {
        let (mut actor, _) = start(Timeout::After(100));
        actor.alarm_change(|| 0.0);
        actor.push(kind());
        drain(&mut actor, 60.0);
        assert_eq!(actor.alarm_change(|| 60.0), AlarmChange::Keep);
        // The alarm fires at 100, but a message came at 60: not idle yet.
        actor.push(Envelope::IdleCheck);
        assert_eq!(drain(&mut actor, 100.0), vec![]);
        assert!(actor.is_alive());
        assert_eq!(actor.alarm_change(|| 100.0), AlarmChange::Set(60));
        actor.push(Envelope::IdleCheck);
        assert_eq!(
            drain(&mut actor, 160.0),
            vec![Event::Exited(Reason::NORMAL)]
        );
    }
}

#[test]
fn a_message_queued_before_the_idle_check_wins() {
    let (mut actor, _) = start(Timeout::After(10));
    actor.alarm_change(|| 0.0);
    actor.push(Envelope::Call(CounterCall::Get, 1));
    actor.push(Envelope::IdleCheck);
    assert_eq!(drain(&mut actor, 10.0), vec![answer(1, 0)]);
    assert!(actor.is_alive());
}

#[test]
fn stopping_clears_the_pending_alarm() {
    let (mut actor, _) = start(Timeout::After(100));
    assert_eq!(actor.alarm_change(|| 0.0), AlarmChange::Set(100));
    actor.push(Envelope::Stop(Reason::NORMAL, 1));
    drain(&mut actor, 1.0);
    assert_eq!(actor.alarm_change(|| 1.0), AlarmChange::Clear);
}

#[test]
fn an_infinite_timeout_never_arms_the_alarm() {
    let (mut actor, _) = start(Timeout::Infinity);
    actor.push(Envelope::Cast(1));
    drain(&mut actor, 5.0);
    assert_eq!(actor.alarm_change(|| 5.0), AlarmChange::Keep);
    actor.push(Envelope::IdleCheck);
    assert_eq!(drain(&mut actor, 1e12), vec![]);
    assert!(actor.is_alive());
}
