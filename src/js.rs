//! The JS class `Machine`: checks every argument, sends a message, maps errors to JS.
//!
//! Every argument arrives as an arbitrary JS value and is checked here before anything is
//! sent, so bad input gets a coded error and changes nothing. Failures are JS `Error`s with
//! `name` `'MachineError'` and a stable `code`; calls reject and never throw.

use crate::actor::Answer;
use crate::machine::{self, Call, Cast, Options, Reply, TakeANumber};
use crate::rules::{TicketError, MAX_SAFE};
use crate::runtime::{Process, Replies};
use crate::server::{Reason, Timeout};
use js_sys::{Array, Promise, Reflect};
use wasm_bindgen::prelude::*;

mod facility;

/// The stable error codes a JS caller can see.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrorCode {
    /// The constructor options are not a valid machine configuration.
    InvalidConfiguration,
    /// A call got an argument of the wrong kind.
    InvalidArgument,
    /// The machine has stopped.
    NoProcess,
    /// A ticket rule said no.
    Ticket(TicketError),
}

impl ErrorCode {
    /// The code string.
    pub fn as_str(self) -> &'static str {
        match self {
            ErrorCode::InvalidConfiguration => machine::INVALID_CONFIGURATION,
            ErrorCode::InvalidArgument => "invalid_argument",
            ErrorCode::NoProcess => "no_process",
            ErrorCode::Ticket(error) => error.code(),
        }
    }
}

#[wasm_bindgen(module = "/src/replies.js")]
extern "C" {
    /// The machine's pending promises, oldest first, kept on the JS side (see replies.js).
    type PendingCalls;

    #[wasm_bindgen(constructor)]
    fn new() -> PendingCalls;

    #[wasm_bindgen(method)]
    fn promise(this: &PendingCalls) -> Promise;

    #[wasm_bindgen(method, js_name = resolveNumber)]
    fn resolve_number(this: &PendingCalls, n: f64);

    #[wasm_bindgen(method, js_name = resolveUndefined)]
    fn resolve_undefined(this: &PendingCalls);

    #[wasm_bindgen(method, js_name = resolveValue)]
    fn resolve_value(this: &PendingCalls, value: JsValue);

    #[wasm_bindgen(method, js_name = resolveState)]
    fn resolve_state(this: &PendingCalls, min: f64, max: f64, queue: &[f64], timeout: f64);

    #[wasm_bindgen(method)]
    fn reject(this: &PendingCalls, code: &str, message: &str);

    /// A `MachineError`: a JS `Error` with `name` `'MachineError'` and a `code`.
    #[wasm_bindgen(js_name = machineError)]
    fn js_machine_error(code: &str, message: &str) -> JsValue;
}

fn machine_error(code: ErrorCode, message: &str) -> JsValue {
    js_machine_error(code.as_str(), message)
}

const NO_PROCESS: &str = "the machine is not running (it has stopped)";

impl Replies<Result<Reply, TicketError>> for PendingCalls {
    fn promise(&self) -> Promise {
        PendingCalls::promise(self)
    }

    fn settle(&self, answer: Answer<Result<Reply, TicketError>>) {
        match answer {
            Answer::Reply(Ok(Reply::Number(n))) => self.resolve_number(n as f64),
            Answer::Reply(Ok(Reply::State(report))) => {
                // into_iter: i64 and f64 have one layout, so this converts in place.
                let queue: Vec<f64> = report.queue.into_iter().map(|n| n as f64).collect();
                self.resolve_state(
                    report.min_number as f64,
                    report.max_number as f64,
                    &queue,
                    timeout_ms(report.auto_shutdown_timeout),
                );
            }
            Answer::Reply(Ok(Reply::Done)) => self.resolve_undefined(),
            Answer::Reply(Ok(other)) => self.resolve_value(facility::reply_value(other)),
            Answer::Reply(Err(error)) => self.reject(error.code(), error.message()),
            Answer::Stopped => self.resolve_undefined(),
            Answer::NoProcess => self.reject(ErrorCode::NoProcess.as_str(), NO_PROCESS),
        }
    }

    fn no_process(&self) -> Promise {
        rejected(ErrorCode::NoProcess, NO_PROCESS)
    }
}

/// Ticket numbers and timeouts are safe integers, so they convert to JS numbers exactly.
fn timeout_ms(timeout: Timeout) -> f64 {
    match timeout {
        Timeout::After(ms) => ms as f64,
        Timeout::Infinity => f64::INFINITY,
    }
}

type MachineServer = TakeANumber<JsValue>;

// The TypeScript that wasm-bindgen cannot infer from `JsValue` parameters: the option and state
// shapes and the error codes, so that consumers get real types instead of `any`.
#[wasm_bindgen(typescript_custom_section)]
const TS_TYPES: &'static str = r#"
/** How a machine is configured. */
export interface MachineOptions {
  /** The lowest ticket number: a safe integer below `maxNumber`. */
  minNumber: number;
  /** The highest ticket number: a safe integer above `minNumber`. */
  maxNumber: number;
  /** Idle milliseconds before the machine switches itself off (`Infinity`, the default: never). */
  autoShutdownTimeout?: number;
  /** Numbers already waiting, front first (to restore a saved queue): in range, no duplicates. */
  queue?: number[];
  /**
   * The groups a ticket may carry, by name (1 to 16, distinct): served in this order when
   * `order` is `"strict"`. Default: one group, `"default"`.
   */
  groups?: string[];
  /** `"strict"` (the default): earlier groups first, always. `"ratio"`: shares by `weights`. */
  order?: "strict" | "ratio";
  /** With `order: "ratio"`, one integer weight from 1 to 1000 per group (`[2, 1]`: two, then one). */
  weights?: number[];
  /** Where a ticket transferred in joins its line: `"back"` (default) or by the time it was first `"taken"`. */
  placement?: "back" | "taken";
  /** How many calls a ticket must have had before it may be marked a no-show (1 to 100; default 1). */
  callsBeforeNoShow?: number;
  /** A whole department to restore, as `reportDepartment()` resolved (not with `queue`). */
  state?: DepartmentState;
}

/** `takeNumber`'s options. */
export interface TakeOptions {
  /** The group's name; the first group when absent. */
  group?: string;
  /** When the ticket is taken (ms): its place in time. Absent: the latest time the machine was given. */
  at?: number;
}

/** Which waiting ticket `call` calls: the next in the department's order when absent. */
export type CallPick = { group: string; number?: undefined } | { number: number; group?: undefined };

/** A ticket at a counter, or parked for one. */
export interface CounterTicket {
  number: number;
  group: string;
  /** When it was first taken (ms). */
  taken: number;
  counter: string;
  /** How many times it has been called at that counter. */
  calls: number;
  /** From `call` and `recallParked`: the ticket the counter served until then, which the call finished. */
  finished?: number | null;
}

/** A ticket leaving for another department, as `transferOut` resolves and `transferIn` takes it. */
export interface TransferredTicket {
  number: number;
  /** When it was first taken (ms). */
  taken: number;
  /** Its group here (`transferOut`), or the group to join there (`transferIn`; the first when absent). */
  group?: string;
}

/** A waiting ticket in `reportDepartment()`. */
export interface WaitingTicket {
  number: number;
  group: string;
  /** Its place in time in this department. */
  stamp: number;
  /** When it was first taken, in whichever department. */
  taken: number;
}

/** What `reportDepartment()` resolves with, and what `options.state` restores. */
export interface DepartmentState {
  groups: string[];
  /** Every waiting ticket, in the order they joined (each group's own order is its serve order). */
  waiting: WaitingTicket[];
  serving: CounterTicket[];
  parked: CounterTicket[];
  /** The group the next `call` serves, or null when nobody waits. */
  nextGroup: string | null;
  /** The ratio order's bookkeeping (empty for a strict order). */
  credits: number[];
  /** The latest time the machine was given (ms). */
  now: number;
}

/** What `reportState()` resolves with. */
export interface MachineState {
  minNumber: number;
  maxNumber: number;
  /** The queued numbers, front first. */
  queue: number[];
  /** `Infinity` when auto-shutdown is off. */
  autoShutdownTimeout: number;
}

/** The stable codes of a `MachineError`. */
export type MachineErrorCode =
  | "invalid_configuration"
  | "all_possible_numbers_are_in_use"
  | "empty_queue"
  | "priority_number_not_found"
  | "unknown_group"
  | "counter_idle"
  | "not_parked"
  | "ticket_not_found"
  | "number_in_use"
  | "too_few_calls"
  | "invalid_argument"
  | "no_process";

/** Every failure: an `Error` whose `name` is `"MachineError"`, with a stable `code`. */
export interface MachineError extends Error {
  name: "MachineError";
  code: MachineErrorCode;
}
"#;

/// A take-a-number machine: a queue of ticket numbers from one range, run as an actor.
///
/// ```js
/// const m = new Machine({ minNumber: 1, maxNumber: 99, autoShutdownTimeout: 60000 });
/// const ticket = await m.queueNewNumber();
/// ```
#[wasm_bindgen]
pub struct Machine {
    process: Process<MachineServer, PendingCalls>,
}

#[wasm_bindgen]
impl Machine {
    /// Starts a machine. `options`: `{ minNumber, maxNumber, autoShutdownTimeout?, queue? }`,
    /// and for a facility's queues `{ groups?, order?, weights?, placement?, callsBeforeNoShow?,
    /// state? }`; throws a `MachineError` with code `invalid_configuration` if they are not valid.
    #[wasm_bindgen(constructor)]
    pub fn new(
        #[wasm_bindgen(unchecked_param_type = "MachineOptions")] options: JsValue,
    ) -> Result<Machine, JsValue> {
        let options = read_options(&options)?;
        // init refuses only invalid_configuration (a range it cannot use, or a bad queue);
        // the JS shapes were checked above.
        let process = Process::spawn(options, PendingCalls::new()).map_err(|_| {
            machine_error(
                ErrorCode::InvalidConfiguration,
                "cannot start the machine: minNumber must be below maxNumber, a queue must \
                 hold distinct numbers of the range, and a state must be one a department of \
                 this range and policy can reach",
            )
        })?;
        Ok(Machine { process })
    }

    /// Takes the next number. Rejects with `all_possible_numbers_are_in_use` when the range
    /// is full.
    #[wasm_bindgen(js_name = queueNewNumber, unchecked_return_type = "Promise<number>")]
    pub fn queue_new_number(&self) -> Promise {
        self.process.call(Call::QueueNewNumber)
    }

    /// Serves the front of the queue, or `priorityNumber` out of order. Rejects with
    /// `empty_queue`, `priority_number_not_found` or `invalid_argument`.
    #[wasm_bindgen(js_name = serveNextQueuedNumber, unchecked_return_type = "Promise<number>")]
    pub fn serve_next_queued_number(
        &self,
        #[wasm_bindgen(js_name = priorityNumber, unchecked_optional_param_type = "number")]
        priority_number: JsValue,
    ) -> Promise {
        if priority_number.is_undefined() {
            return self.process.call(Call::ServeNextQueuedNumber(None));
        }
        match safe_integer(&priority_number) {
            Some(n) => self.process.call(Call::ServeNextQueuedNumber(Some(n))),
            None => rejected(
                ErrorCode::InvalidArgument,
                "priorityNumber must be a safe integer or undefined",
            ),
        }
    }

    /// Resolves with `{ minNumber, maxNumber, queue, autoShutdownTimeout }`, queue front first.
    #[wasm_bindgen(js_name = reportState, unchecked_return_type = "Promise<MachineState>")]
    pub fn report_state(&self) -> Promise {
        self.process.call(Call::ReportState)
    }

    /// Empties the queue. A cast: returns nothing and waits for nothing.
    #[wasm_bindgen(js_name = resetState)]
    pub fn reset_state(&self) {
        self.process.cast(Cast::ResetState);
    }

    /// Sends any other message; the machine ignores it, but it counts as activity.
    pub fn send(&self, #[wasm_bindgen(unchecked_param_type = "unknown")] message: JsValue) {
        self.process.info(message);
    }

    /// Stops the machine after the messages sent before this; `reason` defaults to
    /// `'normal'`. Rejects with `no_process` if it has already stopped.
    #[wasm_bindgen(unchecked_return_type = "Promise<void>")]
    pub fn stop(
        &self,
        #[wasm_bindgen(unchecked_optional_param_type = "string")] reason: JsValue,
    ) -> Promise {
        let reason = if reason.is_undefined() {
            Reason::NORMAL
        } else if let Some(text) = reason.as_string() {
            Reason::new(text)
        } else {
            return rejected(
                ErrorCode::InvalidArgument,
                "reason must be a string or undefined",
            );
        };
        self.process.stop(reason)
    }

    /// Whether the machine is running.
    #[wasm_bindgen(getter)]
    pub fn alive(&self) -> bool {
        self.process.is_alive()
    }

    /// Resolves with the exit reason when the machine stops (`'normal'` after auto-shutdown).
    #[wasm_bindgen(getter, unchecked_return_type = "Promise<string>")]
    pub fn exited(&self) -> Promise {
        self.process.exited()
    }
}

fn rejected(code: ErrorCode, message: &str) -> Promise {
    Promise::reject(&machine_error(code, message))
}

/// `Some(n)` if `value` is a JS number holding a safe integer (`Number.isSafeInteger`).
#[expect(
    clippy::cast_possible_truncation,
    reason = "integral and within ±2^53 when cast, so exact"
)]
fn safe_integer(value: &JsValue) -> Option<i64> {
    let f = value.as_f64()?;
    // NaN and the infinities fail the first test; the bound keeps the cast exact.
    (f.fract() == 0.0 && f.abs() <= MAX_SAFE as f64).then_some(f as i64)
}

fn read_options(options: &JsValue) -> Result<Options, JsValue> {
    let invalid = |message: &str| machine_error(ErrorCode::InvalidConfiguration, message);
    if !options.is_object() {
        return Err(invalid(
            "options must be an object: { minNumber, maxNumber, autoShutdownTimeout? }",
        ));
    }
    // Reflect.get runs getters, which may throw: that is bad configuration too.
    let get = |key: &str| {
        Reflect::get(options, &JsValue::from_str(key))
            .map_err(|_| invalid(&["reading options.", key, " threw"].concat()))
    };
    let min_number = safe_integer(&get("minNumber")?)
        .ok_or_else(|| invalid("minNumber must be a safe integer"))?;
    let max_number = safe_integer(&get("maxNumber")?)
        .ok_or_else(|| invalid("maxNumber must be a safe integer"))?;
    let timeout = get("autoShutdownTimeout")?;
    let auto_shutdown_timeout = if timeout.is_undefined() || timeout.as_f64() == Some(f64::INFINITY)
    {
        Timeout::Infinity
    } else {
        match safe_integer(&timeout).and_then(|ms| u64::try_from(ms).ok()) {
            Some(ms) => Timeout::After(ms),
            None => {
                return Err(invalid(
                    "autoShutdownTimeout must be a non-negative integer (ms) or Infinity",
                ))
            }
        }
    };
    let queue = read_queue(&get("queue")?)
        .ok_or_else(|| invalid("queue must be an array of safe integers"))?;
    let mut options = Options {
        queue,
        ..Options::new(min_number, max_number, auto_shutdown_timeout)
    };
    facility::read_policy(&get, &mut options).map_err(|message| invalid(&message))?;
    Ok(options)
}

/// The optional `queue` option: `undefined`, or an array of safe integers. Range and
/// duplicates are the rules' business (`init` refuses them).
fn read_queue(value: &JsValue) -> Option<Vec<i64>> {
    if value.is_undefined() {
        return Some(Vec::new());
    }
    read_array(value, |item| safe_integer(&item))
}

/// Every element of the JS array `value` read by `read`, or `None` if it is not an array or any
/// element is refused. Element by element through Reflect, so a hostile array (a Proxy, a
/// throwing getter) becomes a refusal instead of an exception.
fn read_array<T>(value: &JsValue, read: impl Fn(JsValue) -> Option<T>) -> Option<Vec<T>> {
    if !Array::is_array(value) {
        return None;
    }
    let length = Reflect::get(value, &JsValue::from_str("length")).ok()?;
    let length = u32::try_from(safe_integer(&length)?).ok()?;
    (0..length)
        .map(|i| read(Reflect::get_u32(value, i).ok()?))
        .collect()
}
