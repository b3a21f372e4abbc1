//! The actor runtime in the browser (or Node): where an [`Actor`] meets the JS event loop.
//!
//! * Messages are pushed into the actor's mailbox and the mailbox is drained in one microtask
//!   per batch (`queueMicrotask` with one closure per process), so a caller never waits for
//!   the work done on behalf of earlier callers, and a burst of calls costs one wake-up.
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
use std::cell::{Cell, OnceCell, RefCell};
use std::rc::{Rc, Weak};
use wasm_bindgen::prelude::*;

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
    /// The microtask that drains the mailbox: one closure for the life of the process, queued
    /// once per batch (a fresh closure or task per batch would allocate every time).
    drain_task: OnceCell<Closure<dyn FnMut()>>,
    /// Holds the process alive while a drain is queued, so a machine dropped by JS still
    /// answers the calls it has accepted (and its closure is never called after being freed).
    queued_self: Cell<Option<Rc<Self>>>,
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
        let mut now = batch_clock();
        let actor = Actor::start(args, &mut now)?;
        let mut resolve_exited = None;
        let exited = Promise::new(&mut |resolve, _reject| resolve_exited = Some(resolve));
        let inner = Rc::new(Inner {
            actor: RefCell::new(actor),
            replies,
            drain_queued: Cell::new(false),
            drain_task: OnceCell::new(),
            queued_self: Cell::new(None),
            alarm: RefCell::new(Alarm::default()),
            alive: Cell::new(true),
            exited,
            resolve_exited: Cell::new(resolve_exited),
        });
        let me = Rc::downgrade(&inner);
        let drain = Closure::<dyn FnMut()>::new(move || {
            if let Some(me) = me.upgrade() {
                me.drain();
            }
        });
        // Just created, so it cannot be set already.
        let _ = inner.drain_task.set(drain);
        // init's timeout counts from now, message or no message.
        inner.sync_alarm(&mut now);
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
            if let Some(task) = self.drain_task.get() {
                self.queued_self.set(Some(Rc::clone(self)));
                queue_microtask(task.as_ref());
            }
        }
        true
    }

    fn drain(self: &Rc<Self>) {
        let _alive_until_done = self.queued_self.take();
        let mut now = batch_clock();
        loop {
            // The borrow ends with this statement: delivery below runs with none held.
            let event = match self.actor.try_borrow_mut() {
                Ok(mut actor) => actor.next_event(&mut now),
                Err(_) => None,
            };
            match event {
                None => break,
                Some(Event::Answer((), answer)) => self.replies.settle(answer),
                Some(Event::Exited(reason)) => self.exit(&reason),
            }
        }
        self.drain_queued.set(false);
        self.sync_alarm(&mut now);
    }

    fn exit(&self, reason: &Reason) {
        self.alive.set(false);
        let resolve = self.resolve_exited.take();
        if let Some(resolve) = resolve {
            // A resolve function does not throw; there is nothing to do if it somehow did.
            let _ = resolve.call1(&JsValue::UNDEFINED, &JsValue::from_str(reason.as_str()));
        }
    }

    fn sync_alarm(self: &Rc<Self>, now: &mut impl FnMut() -> f64) {
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

/// The time of one batch: the clock is read when something first needs it, then reused, so a
/// batch costs at most one read and machines without an idle timeout none.
fn batch_clock() -> impl FnMut() -> f64 {
    let mut read: Option<f64> = None;
    move || *read.get_or_insert_with(timer::now)
}

#[wasm_bindgen]
extern "C" {
    #[wasm_bindgen(js_name = queueMicrotask)]
    fn queue_microtask(callback: &JsValue);
}

// The wasm build's allocator. Rust's default for wasm32 (dlmalloc) weighs about 7 KB of the
// module; talc is smaller and faster, and it is safe here because wasm without the atomics
// feature is single-threaded.
#[cfg(all(target_arch = "wasm32", not(target_feature = "atomics")))]
#[global_allocator]
static ALLOCATOR: talc::wasm::WasmDynamicTalc = talc::wasm::new_wasm_dynamic_allocator();
