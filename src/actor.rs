//! The actor: one server, one mailbox, one message at a time, in arrival order.
//!
//! This is the GenServer receive loop without any JS in it. The driver (`runtime.rs`) pushes
//! envelopes, then pulls [`Event`]s one by one and delivers them (resolving promises and so
//! on) *between* pulls. That split is what makes re-entrancy safe: no borrow of the actor is
//! held while caller code runs, so a caller may send more messages from anywhere, and they
//! simply queue behind the ones before them.
//!
//! `T` is the caller's reply token (a pending JS promise in the wasm build, a plain value in
//! tests); the actor only carries it back out with the answer.

use crate::server::{CallNext, Info, Next, Reason, Server};
use crate::timer::{AlarmChange, IdleClock};
use std::collections::VecDeque;

/// A message in the mailbox.
pub enum Envelope<S: Server, T> {
    /// A call; the answer goes to the token.
    Call(S::Call, T),
    /// A cast: no answer.
    Cast(S::Cast),
    /// Any other message for `handle_info`.
    Info(S::Message),
    /// Stop with a reason (GenServer.stop); the token hears when the server has terminated.
    Stop(Reason, T),
    /// The idle timer fired. Internal: it does not count as a message, so it does not
    /// restart the idle timeout.
    IdleCheck,
}

/// What a caller gets back.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Answer<R> {
    /// The server's reply to a call.
    Reply(R),
    /// A stop request was carried out.
    Stopped,
    /// The actor had stopped before it got to this message (`no_process`).
    NoProcess,
}

/// Something the driver must deliver.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Event<R, T> {
    /// Hand this answer to this caller.
    Answer(T, Answer<R>),
    /// The actor stopped for this reason. Emitted once.
    Exited(Reason),
}

/// A running or stopped actor.
pub struct Actor<S: Server, T> {
    /// `None` once stopped.
    server: Option<S>,
    mailbox: VecDeque<Envelope<S, T>>,
    idle: IdleClock,
    /// Set when the server stops; taken by the next pull, so the exit is reported right after
    /// the message that caused it.
    exit: Option<Reason>,
}

impl<S: Server, T> Actor<S, T> {
    /// Runs `init` at `now`, as GenServer.start does; a refusal means no actor.
    pub fn start(args: S::Args, now: impl FnOnce() -> f64) -> Result<Self, Reason> {
        let (server, timeout) = S::init(args)?;
        let mut idle = IdleClock::default();
        idle.restart(now, timeout);
        Ok(Actor {
            server: Some(server),
            mailbox: VecDeque::new(),
            idle,
            exit: None,
        })
    }

    /// Whether the server is still running.
    pub fn is_alive(&self) -> bool {
        self.server.is_some()
    }

    /// Puts a message at the back of the mailbox.
    pub fn push(&mut self, envelope: Envelope<S, T>) {
        self.mailbox.push_back(envelope);
    }

    /// How many messages wait in the mailbox.
    pub fn pending(&self) -> usize {
        self.mailbox.len()
    }

    /// Handles messages until one produces something to deliver; `None` when the mailbox is
    /// empty. `now` gives the time of this batch; it is called only when an idle timeout
    /// needs it (the driver reads the clock once per batch at most).
    pub fn next_event(&mut self, now: &mut impl FnMut() -> f64) -> Option<Event<S::Reply, T>> {
        if let Some(reason) = self.exit.take() {
            return Some(Event::Exited(reason));
        }
        loop {
            let envelope = self.mailbox.pop_front()?;
            let Some(server) = self.server.as_mut() else {
                // Stopped: callers still waiting learn so; everything else is dropped, like
                // messages sent to a dead process.
                match envelope {
                    Envelope::Call(_, token) | Envelope::Stop(_, token) => {
                        return Some(Event::Answer(token, Answer::NoProcess));
                    }
                    Envelope::Cast(_) | Envelope::Info(_) | Envelope::IdleCheck => continue,
                }
            };
            let next = match envelope {
                Envelope::Call(call, token) => {
                    let reply = match server.handle_call(call) {
                        CallNext::Reply(reply, timeout) => {
                            self.idle.restart(&mut *now, timeout);
                            reply
                        }
                        CallNext::Stop(reason, reply) => {
                            self.terminate(reason);
                            reply
                        }
                    };
                    return Some(Event::Answer(token, Answer::Reply(reply)));
                }
                Envelope::Stop(reason, token) => {
                    self.terminate(reason);
                    return Some(Event::Answer(token, Answer::Stopped));
                }
                Envelope::Cast(cast) => server.handle_cast(cast),
                Envelope::Info(message) => server.handle_info(Info::Message(message)),
                Envelope::IdleCheck => {
                    if !self.idle.fired(now()) {
                        continue;
                    }
                    server.handle_info(Info::Timeout)
                }
            };
            match next {
                Next::Continue(timeout) => self.idle.restart(&mut *now, timeout),
                Next::Stop(reason) => {
                    self.terminate(reason);
                    return self.exit.take().map(Event::Exited);
                }
            }
        }
    }

    /// What the JS timer should do now that a batch is handled.
    pub fn alarm_change(&mut self, now: impl FnOnce() -> f64) -> AlarmChange {
        self.idle.alarm_change(now)
    }

    fn terminate(&mut self, reason: Reason) {
        if let Some(mut server) = self.server.take() {
            server.terminate(&reason);
        }
        self.idle.stop();
        self.exit = Some(reason);
    }
}

#[cfg(test)]
mod tests;
