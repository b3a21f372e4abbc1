//! The actor runtime in the browser (or Node): where an [`Actor`] meets the JS event loop.
//!
//! * Messages are pushed into the actor's mailbox and the mailbox is drained in one microtask
//!   per batch (`wasm_bindgen_futures::spawn_local`), so a caller never waits for the work
//!   done on behalf of earlier callers, and a burst of calls costs one wake-up.
//! * Answers and the exit are delivered between pulls from the actor, with no borrow held,
//!   so caller code that runs during delivery can use the process freely.
//! * The idle timeout is one [`Alarm`] per process, re-armed only when the deadline demands.
//!
//! Generic over the server and over where replies go ([`Replies`]), so a second server type
//! runs on it unchanged; `js.rs` supplies the replies that turn answers into JS values.

use crate::actor::{Actor, Answer, Envelope, Event};
use crate::server::{Reason, Server};
use crate::timer::{self, Alarm};
use js_sys::{Function, Promise};
use std::cell::{Cell, RefCell};
use std::rc::{Rc, Weak};
use wasm_bindgen::JsValue;

/// Where a process's answers go: one per call or stop request, in the order they were made.
///
/// Answers come out of the mailbox in exactly the order the requests went in, so the callers
/// need no ids: the implementation keeps its pending promises in a queue, oldest first.
pub trait Replies<R> {
    /// A promise for the answer to the request just queued.
    fn promise(&self) -> Promise;
    /// Settles the oldest pending promise with `answer`.
    fn settle(&self, answer: Answer<R>);
    /// An already rejected promise, for a request to a process that is not running.
    fn no_process(&self) -> Promise;
}

/// A running (or stopped) actor, driven by the JS event loop.
pub struct Process<S: Server, P: Replies<S::Reply>> {
    inner: Rc<Inner<S, P>>,
}

struct Inner<S: Server, P> {
    actor: RefCell<Actor<S, ()>>,
    replies: P,
    /// A drain is queued as a microtask; more messages just join the mailbox.
    drain_queued: Cell<bool>,
    alarm: RefCell<Alarm>,
    alive: Cell<bool>,
    exited: Promise,
    resolve_exited: Cell<Option<Function>>,
}

impl<S, P> Process<S, P>
where
    S: Server + 'static,
    P: Replies<S::Reply> + 'static,
{
    /// Starts the server (its `init` runs now, as GenServer.start blocks on it); `replies`
    /// turns its answers into promise settlements.
    pub fn spawn(args: S::Args, replies: P) -> Result<Self, Reason> {
        let now = timer::now();
        let actor = Actor::start(args, now)?;
        let mut resolve_exited = None;
        let exited = Promise::new(&mut |resolve, _reject| resolve_exited = Some(resolve));
        let inner = Rc::new(Inner {
            actor: RefCell::new(actor),
            replies,
            drain_queued: Cell::new(false),
            alarm: RefCell::new(Alarm::default()),
            alive: Cell::new(true),
            exited,
            resolve_exited: Cell::new(resolve_exited),
        });
        // init's timeout counts from now, message or no message.
        inner.sync_alarm(now);
        Ok(Process { inner })
    }

    /// Whether the server is still running.
    pub fn is_alive(&self) -> bool {
        self.inner.alive.get()
    }

    /// Resolves with the exit reason once the actor has stopped.
    pub fn exited(&self) -> Promise {
        self.inner.exited.clone()
    }

    /// Sends a call; the promise settles with the reply, or `no_process` if the actor is not
    /// running by the time it gets to this call.
    pub fn call(&self, call: S::Call) -> Promise {
        self.request(Envelope::Call(call, ()))
    }

    /// Sends a cast; dropped if the actor is not running.
    pub fn cast(&self, cast: S::Cast) {
        if self.is_alive() {
            self.inner.push(Envelope::Cast(cast));
        }
    }

    /// Sends any other message; dropped if the actor is not running.
    pub fn info(&self, message: S::Message) {
        if self.is_alive() {
            self.inner.push(Envelope::Info(message));
        }
    }

    /// Asks the actor to stop after the messages before this one; the promise settles when it
    /// has terminated, or rejects with `no_process` if it was not running.
    pub fn stop(&self, reason: Reason) -> Promise {
        self.request(Envelope::Stop(reason, ()))
    }

    fn request(&self, envelope: Envelope<S, ()>) -> Promise {
        // The promise joins the reply queue only once its message is in the mailbox, so the
        // two queues stay in step (the mailbox is drained later, in a microtask).
        if self.is_alive() && self.inner.push(envelope) {
            self.inner.replies.promise()
        } else {
            self.inner.replies.no_process()
        }
    }
}

impl<S, P> Inner<S, P>
where
    S: Server + 'static,
    P: Replies<S::Reply> + 'static,
{
    /// Queues a message; false if it could not be queued.
    fn push(self: &Rc<Self>, envelope: Envelope<S, ()>) -> bool {
        match self.actor.try_borrow_mut() {
            Ok(mut actor) => actor.push(envelope),
            // Unreachable by construction (no borrow is held while other code runs); if it
            // ever happened, refusing the message beats aborting every machine on the page.
            Err(_) => return false,
        }
        if !self.drain_queued.replace(true) {
            let me = Rc::clone(self);
            // The task holds the process alive until its queued messages are handled.
            wasm_bindgen_futures::spawn_local(async move { me.drain() });
        }
        true
    }

    fn drain(self: &Rc<Self>) {
        let now = timer::now();
        loop {
            // The borrow ends with this statement: delivery below runs with none held.
            let event = match self.actor.try_borrow_mut() {
                Ok(mut actor) => actor.next_event(now),
                Err(_) => None,
            };
            match event {
                None => break,
                Some(Event::Answer((), answer)) => self.replies.settle(answer),
                Some(Event::Exited(reason)) => self.exit(&reason),
            }
        }
        self.drain_queued.set(false);
        self.sync_alarm(now);
    }

    fn exit(&self, reason: &Reason) {
        self.alive.set(false);
        let resolve = self.resolve_exited.take();
        if let Some(resolve) = resolve {
            // A resolve function does not throw; there is nothing to do if it somehow did.
            let _ = resolve.call1(&JsValue::UNDEFINED, &JsValue::from_str(reason.as_str()));
        }
    }

    fn sync_alarm(self: &Rc<Self>, now: f64) {
        let change = match self.actor.try_borrow_mut() {
            Ok(mut actor) => actor.alarm_change(now),
            Err(_) => return,
        };
        let me: Weak<Self> = Rc::downgrade(self);
        let on_fire = move || {
            // Weak: a pending timer must not keep a dropped machine alive (and dropping the
            // machine cancels the timer anyway).
            if let Some(me) = me.upgrade() {
                me.push(Envelope::IdleCheck);
            }
        };
        if let Ok(mut alarm) = self.alarm.try_borrow_mut() {
            alarm.apply(change, on_fire);
        }
    }
}
