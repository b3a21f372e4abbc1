//! The server behaviour: what a type implements to run as an actor (Elixir's GenServer
//! callbacks, in Rust terms).
//!
//! Callbacks take the state as `&mut self` and return what happens next: keep running with an
//! idle timeout, or stop with a reason. Nothing here knows about JS or timers, so a server is
//! tested by calling its callbacks directly.

use std::borrow::Cow;
use std::fmt;

/// How long the actor may stay idle before its server gets [`Info::Timeout`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Timeout {
    /// After this many milliseconds without a message.
    After(u64),
    /// Never.
    Infinity,
}

/// Why an actor stopped, like GenServer's exit reason.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reason(Cow<'static, str>);

impl Reason {
    /// The reason for an orderly stop (`:normal`).
    pub const NORMAL: Reason = Reason(Cow::Borrowed("normal"));

    /// A reason with any text.
    pub fn new(text: impl Into<Cow<'static, str>>) -> Reason {
        Reason(text.into())
    }

    /// The reason as text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Reason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// What a cast or info callback decided.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Next {
    /// Keep running; wait at most this long for the next message.
    Continue(Timeout),
    /// Stop with this reason (the terminate hook runs next).
    Stop(Reason),
}

/// What a call callback decided.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CallNext<R> {
    /// Send `reply` to the caller and keep running with this idle timeout.
    Reply(R, Timeout),
    /// Send `reply` to the caller, then stop with this reason.
    Stop(Reason, R),
}

/// A message that is neither a call nor a cast.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Info<M> {
    /// No message arrived within the idle timeout that the last callback returned.
    Timeout,
    /// Anything else sent to the actor.
    Message(M),
}

/// A server that an actor runs: its state is the implementing value.
pub trait Server: Sized {
    /// What `init` is started with.
    type Args;
    /// Requests that get a reply.
    type Call;
    /// The reply to a call.
    type Reply;
    /// Requests that get no reply.
    type Cast;
    /// Other messages the server may be sent (and is free to ignore).
    type Message;

    /// Builds the initial state, or refuses to start; the actor never runs after a refusal.
    fn init(args: Self::Args) -> Result<(Self, Timeout), Reason>;

    /// Handles a call; the reply goes back to its caller.
    fn handle_call(&mut self, call: Self::Call) -> CallNext<Self::Reply>;

    /// Handles a cast.
    fn handle_cast(&mut self, cast: Self::Cast) -> Next;

    /// Handles the idle timeout and any other message.
    fn handle_info(&mut self, info: Info<Self::Message>) -> Next;

    /// Runs once when the actor stops, whatever the reason, before waiting callers hear of it.
    fn terminate(&mut self, _reason: &Reason) {}
}
