//! The actor runtime in the browser (or Node): where an [`Actor`] meets the JS event loop.
//!
//! * Messages are pushed into the actor's mailbox and the mailbox is drained in one microtask
//!   per batch (`wasm_bindgen_futures::spawn_local`), so a caller never waits for the work
//!   done on behalf of earlier callers, and a burst of calls costs one wake-up.
//! * Answers and the exit are delivered between pulls from the actor, with no borrow held,
//!   so caller code that runs during delivery can use the process freely.
//! * The idle timeout is one [`Alarm`] per process, re-armed only when the deadline demands.
//!
//! Generic over the server and over the reply token, so a second server type runs on it
//! unchanged; `js.rs` supplies the token that turns answers into promise settlements.

use crate::actor::{Actor, Answer, Envelope, Event};
use crate::server::{Reason, Server};
use crate::timer::{self, Alarm};
use js_sys::{Function, Promise};
use std::cell::{Cell, RefCell};
use std::rc::{Rc, Weak};
use wasm_bindgen::JsValue;

/// A caller waiting for an answer.
pub trait Settle<R> {
    /// Delivers the answer (resolving or rejecting a promise, say).
    fn settle(self, answer: Answer<R>);
}

/// A running (or stopped) actor, driven by the JS event loop.
pub struct Process<S: Server, T: Settle<S::Reply>> {
    inner: Rc<Inner<S, T>>,
}

struct Inner<S: Server, T> {
    actor: RefCell<Actor<S, T>>,
    /// A drain is queued as a microtask; more messages just join the mailbox.
    drain_queued: Cell<bool>,
    alarm: RefCell<Alarm>,
    alive: Cell<bool>,
    exited: Promise,
    resolve_exited: Cell<Option<Function>>,
}

impl<S, T> Process<S, T>
where
    S: Server + 'static,
    T: Settle<S::Reply> + 'static,
{
    /// Starts the server (its `init` runs now, as GenServer.start blocks on it).
    pub fn spawn(args: S::Args) -> Result<Self, Reason> {
        let now = timer::now();
        let actor = Actor::start(args, now)?;
        let mut resolve_exited = None;
        let exited = Promise::new(&mut |resolve, _reject| resolve_exited = Some(resolve));
        let inner = Rc::new(Inner {
            actor: RefCell::new(actor),
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

    /// Sends a call; `token` gets the reply, or `no_process` if the actor is not running.
    pub fn call(&self, call: S::Call, token: T) {
        if self.is_alive() {
            self.inner.push(Envelope::Call(call, token));
        } else {
            token.settle(Answer::NoProcess);
        }
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

    /// Asks the actor to stop after the messages before this one; `token` hears when it has
    /// terminated, or gets `no_process` if it was not running.
    pub fn stop(&self, reason: Reason, token: T) {
        if self.is_alive() {
            self.inner.push(Envelope::Stop(reason, token));
        } else {
            token.settle(Answer::NoProcess);
        }
    }
}

impl<S, T> Inner<S, T>
where
    S: Server + 'static,
    T: Settle<S::Reply> + 'static,
{
    fn push(self: &Rc<Self>, envelope: Envelope<S, T>) {
        match self.actor.try_borrow_mut() {
            Ok(mut actor) => actor.push(envelope),
            // Unreachable by construction (no borrow is held while other code runs); if it
            // ever happened, dropping the message beats aborting every machine on the page.
            Err(_) => return,
        }
        if !self.drain_queued.replace(true) {
            let me = Rc::clone(self);
            // The task holds the process alive until its queued messages are handled.
            wasm_bindgen_futures::spawn_local(async move { me.drain() });
        }
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
                Some(Event::Answer(token, answer)) => token.settle(answer),
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

/// A JS promise's two settle functions, created together with the promise.
pub struct Deferred {
    resolve: Function,
    reject: Function,
}

impl Deferred {
    /// A new pending promise and the functions that settle it.
    pub fn pair() -> (Promise, Option<Deferred>) {
        let mut deferred = None;
        let promise = Promise::new(&mut |resolve, reject| {
            deferred = Some(Deferred { resolve, reject });
        });
        (promise, deferred)
    }

    /// Fulfils the promise with `value`.
    pub fn resolve(self, value: &JsValue) {
        // Settle functions do not throw.
        let _ = self.resolve.call1(&JsValue::UNDEFINED, value);
    }

    /// Rejects the promise with `error`.
    pub fn reject(self, error: &JsValue) {
        let _ = self.reject.call1(&JsValue::UNDEFINED, error);
    }
}
