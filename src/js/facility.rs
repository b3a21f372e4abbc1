//! The facility's half of the JS class: groups, counters' calls, parking and transfers.
//!
//! As in the exercise's half, every argument is an arbitrary JS value checked here before
//! anything is sent, so bad input gets `invalid_argument` (or `invalid_configuration` in the
//! constructor) and changes nothing.

use super::{read_array, rejected, safe_integer, ErrorCode, Machine};
use crate::machine::{Call, Options, Reply, Seat, Which, DEFAULT_GROUP};
use crate::rules::{Held, Order, Placement, Policy, Saved, Waiting, MAX_GROUPS, MAX_WEIGHT};
use js_sys::{Array, Object, Promise, Reflect};
use wasm_bindgen::prelude::*;

/// The longest name a group or counter may have, in characters.
pub const MAX_NAME: usize = 100;

/// The most calls a department may ask for before a no-show.
pub const MAX_CALLS: u32 = 100;

#[wasm_bindgen]
impl Machine {
    /// Takes the next number in a group. `options`: `{ group?, at? }`: the group's name (the
    /// first group when absent) and the time the ticket is taken at (ms; when absent, the latest
    /// time the machine was given). Rejects with `all_possible_numbers_are_in_use`,
    /// `unknown_group` or `invalid_argument`.
    #[wasm_bindgen(js_name = takeNumber, unchecked_return_type = "Promise<number>")]
    pub fn take_number(
        &self,
        #[wasm_bindgen(unchecked_optional_param_type = "TakeOptions")] options: JsValue,
    ) -> Promise {
        let read = || -> Result<Call, &'static str> {
            if options.is_undefined() {
                return Ok(Call::Take(None, None));
            }
            if !options.is_object() {
                return Err("options must be an object: { group?, at? }");
            }
            let group = optional(&options, "group", name).ok_or("group must be a group's name")?;
            let at = optional(&options, "at", |v| safe_integer(&v))
                .ok_or("at must be a safe integer (ms)")?;
            Ok(Call::Take(group, at))
        };
        self.submit(read())
    }

    /// Calls a waiting ticket to `counter` (a name): the next one in the department's order, or
    /// `pick.group`'s front, or `pick.number` out of order. The counter keeps it until it is
    /// finished, a no-show, parked, transferred, or replaced by its next call (which finishes it:
    /// `finished` says which). Rejects with `empty_queue`, `priority_number_not_found`,
    /// `unknown_group` or `invalid_argument`.
    #[wasm_bindgen(unchecked_return_type = "Promise<CounterTicket>")]
    pub fn call(
        &self,
        #[wasm_bindgen(unchecked_param_type = "string")] counter: JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "CallPick")] pick: JsValue,
    ) -> Promise {
        let read = || -> Result<Call, &'static str> {
            let counter = name(counter.clone()).ok_or(COUNTER)?;
            if pick.is_undefined() {
                return Ok(Call::Call(counter, Which::Next));
            }
            let bad = "pick must be { group } or { number } or undefined";
            if !pick.is_object() {
                return Err(bad);
            }
            let group = optional(&pick, "group", name).ok_or(bad)?;
            let number = optional(&pick, "number", |v| safe_integer(&v)).ok_or(bad)?;
            match (group, number) {
                (Some(group), None) => Ok(Call::Call(counter, Which::Group(group))),
                (None, Some(n)) => Ok(Call::Call(counter, Which::Number(n))),
                (None, None) => Ok(Call::Call(counter, Which::Next)),
                (Some(_), Some(_)) => Err(bad),
            }
        };
        self.submit(read())
    }

    /// Calls `counter`'s ticket once more. Rejects with `counter_idle` or `invalid_argument`.
    #[wasm_bindgen(unchecked_return_type = "Promise<CounterTicket>")]
    pub fn recall(
        &self,
        #[wasm_bindgen(unchecked_param_type = "string")] counter: JsValue,
    ) -> Promise {
        self.submit(name(counter).map(Call::Recall).ok_or(COUNTER))
    }

    /// Ends `counter`'s ticket as served. Rejects with `counter_idle` or `invalid_argument`.
    #[wasm_bindgen(unchecked_return_type = "Promise<CounterTicket>")]
    pub fn finish(
        &self,
        #[wasm_bindgen(unchecked_param_type = "string")] counter: JsValue,
    ) -> Promise {
        self.submit(name(counter).map(Call::Finish).ok_or(COUNTER))
    }

    /// Ends `counter`'s ticket as a no-show: only once it has been called `callsBeforeNoShow`
    /// times. Rejects with `too_few_calls`, `counter_idle` or `invalid_argument`.
    #[wasm_bindgen(js_name = noShow, unchecked_return_type = "Promise<CounterTicket>")]
    pub fn no_show(
        &self,
        #[wasm_bindgen(unchecked_param_type = "string")] counter: JsValue,
    ) -> Promise {
        self.submit(name(counter).map(Call::NoShow).ok_or(COUNTER))
    }

    /// Sets `counter`'s ticket aside: it keeps its number and comes back to this counter with
    /// `recallParked`. Rejects with `counter_idle` or `invalid_argument`.
    #[wasm_bindgen(unchecked_return_type = "Promise<CounterTicket>")]
    pub fn park(
        &self,
        #[wasm_bindgen(unchecked_param_type = "string")] counter: JsValue,
    ) -> Promise {
        self.submit(name(counter).map(Call::Park).ok_or(COUNTER))
    }

    /// Calls parked ticket `number` back to the counter that parked it (finishing what that
    /// counter serves now). Rejects with `not_parked` or `invalid_argument`.
    #[wasm_bindgen(js_name = recallParked, unchecked_return_type = "Promise<CounterTicket>")]
    pub fn recall_parked(
        &self,
        #[wasm_bindgen(unchecked_param_type = "number")] number: JsValue,
    ) -> Promise {
        self.submit(safe_integer(&number).map(Call::Unpark).ok_or(NUMBER))
    }

    /// Takes ticket `number` (waiting, at a counter or parked) out of the department for another
    /// one's `transferIn`; its number is free here from now on. Rejects with `ticket_not_found`
    /// or `invalid_argument`.
    #[wasm_bindgen(js_name = transferOut, unchecked_return_type = "Promise<TransferredTicket>")]
    pub fn transfer_out(
        &self,
        #[wasm_bindgen(unchecked_param_type = "number")] number: JsValue,
    ) -> Promise {
        self.submit(safe_integer(&number).map(Call::TransferOut).ok_or(NUMBER))
    }

    /// Queues a ticket from another department: `{ number, taken, group? }` (its number, which it
    /// keeps, the time it was first taken, and a group here: the first when absent), at time
    /// `at` (ms). It joins at the back or by the time it was first taken, as `placement` says.
    /// Rejects with `number_in_use`, `unknown_group` or `invalid_argument`.
    #[wasm_bindgen(js_name = transferIn, unchecked_return_type = "Promise<void>")]
    pub fn transfer_in(
        &self,
        #[wasm_bindgen(unchecked_param_type = "TransferredTicket")] ticket: JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "number")] at: JsValue,
    ) -> Promise {
        let read = || -> Result<Call, &'static str> {
            let bad =
                "ticket must be { number, taken, group? } with safe integers and a group's name";
            if !ticket.is_object() {
                return Err(bad);
            }
            let number = required(&ticket, "number", |v| safe_integer(&v)).ok_or(bad)?;
            let taken = required(&ticket, "taken", |v| safe_integer(&v)).ok_or(bad)?;
            let group = optional(&ticket, "group", name).ok_or(bad)?;
            let at = if at.is_undefined() {
                None
            } else {
                Some(safe_integer(&at).ok_or("at must be a safe integer (ms) or undefined")?)
            };
            Ok(Call::TransferIn(number, group, taken, at))
        };
        self.submit(read())
    }

    /// Resolves with the whole department: its groups, the waiting tickets in the order they
    /// joined, the tickets at counters, the parked ones, the group served next; what
    /// `options.state` restores.
    #[wasm_bindgen(js_name = reportDepartment, unchecked_return_type = "Promise<DepartmentState>")]
    pub fn report_department(&self) -> Promise {
        self.process.call(Call::ReportDepartment)
    }
}

const COUNTER: &str = "counter must be a non-empty string of at most 100 characters";
const NUMBER: &str = "number must be a safe integer";

impl Machine {
    fn submit(&self, call: Result<Call, &str>) -> Promise {
        match call {
            Ok(call) => self.process.call(call),
            Err(message) => rejected(ErrorCode::InvalidArgument, message),
        }
    }
}

/// A name (of a group or a counter): a non-empty string of at most [`MAX_NAME`] characters.
fn name(value: JsValue) -> Option<String> {
    let text = value.as_string()?;
    (!text.is_empty() && text.chars().count() <= MAX_NAME).then_some(text)
}

/// `object[key]` read by `read`: `Some(None)` when undefined, `None` when refused (or when a
/// getter throws).
fn optional<T>(
    object: &JsValue,
    key: &str,
    read: impl Fn(JsValue) -> Option<T>,
) -> Option<Option<T>> {
    let value = Reflect::get(object, &JsValue::from_str(key)).ok()?;
    if value.is_undefined() {
        return Some(None);
    }
    read(value).map(Some)
}

/// `object[key]` read by `read`; `None` when absent or refused.
fn required<T>(object: &JsValue, key: &str, read: impl Fn(JsValue) -> Option<T>) -> Option<T> {
    optional(object, key, read).flatten()
}

/// The constructor's facility options into `options`: `groups`, `order`, `weights`,
/// `placement`, `callsBeforeNoShow` and `state`. Err is the message for `invalid_configuration`.
pub(super) fn read_policy(
    get: &impl Fn(&str) -> Result<JsValue, JsValue>,
    options: &mut Options,
) -> Result<(), String> {
    let field = |key: &str| get(key).map_err(|_| ["reading options.", key, " threw"].concat());
    let groups = field("groups")?;
    if !groups.is_undefined() {
        options.groups = read_array(&groups, name)
            .filter(|g| (1..=MAX_GROUPS).contains(&g.len()))
            .filter(|g| {
                g.iter()
                    .enumerate()
                    .all(|(i, a)| !g.iter().skip(i.saturating_add(1)).any(|b| a == b))
            })
            .ok_or(
                "groups must be 1 to 16 names (strings of 1 to 100 characters), all different",
            )?;
    }
    // No groups given: the one group, DEFAULT_GROUP.
    let count = options.groups.len().max(1);
    let order = field("order")?;
    let weights = field("weights")?;
    let order = match order.as_string().as_deref() {
        _ if order.is_undefined() => Order::Strict,
        Some("strict") if weights.is_undefined() => Order::Strict,
        Some("ratio") => {
            let weights = read_array(&weights, |w| {
                let w = u32::try_from(safe_integer(&w)?).ok()?;
                (1..=MAX_WEIGHT).contains(&w).then_some(w)
            })
            .filter(|w| w.len() == count)
            .ok_or("weights must give each group an integer weight from 1 to 1000")?;
            Order::Ratio(weights)
        }
        _ => {
            return Err("order must be 'strict' or 'ratio' (with weights only for 'ratio')".into())
        }
    };
    let placement = field("placement")?;
    let placement = match placement.as_string().as_deref() {
        _ if placement.is_undefined() => Placement::Back,
        Some("back") => Placement::Back,
        Some("taken") => Placement::ByTaken,
        _ => return Err("placement must be 'back' or 'taken'".into()),
    };
    let calls = field("callsBeforeNoShow")?;
    let calls_before_no_show = if calls.is_undefined() {
        1
    } else {
        safe_integer(&calls)
            .and_then(|c| u32::try_from(c).ok())
            .filter(|c| (1..=MAX_CALLS).contains(c))
            .ok_or("callsBeforeNoShow must be an integer from 1 to 100")?
    };
    options.policy = Policy {
        groups: count,
        order,
        placement,
        calls_before_no_show,
    };
    let state = field("state")?;
    if !state.is_undefined() {
        let default = [DEFAULT_GROUP.to_owned()];
        let names = if options.groups.is_empty() {
            &default[..]
        } else {
            &options.groups[..]
        };
        options.state = Some(read_state(&state, names).ok_or(
            "state must be what reportDepartment() resolved with: { waiting, serving, parked, credits, now }",
        )?);
    }
    Ok(())
}

/// A saved department: `{ waiting, serving, parked, credits, now }` with groups by name.
fn read_state(state: &JsValue, groups: &[String]) -> Option<Saved> {
    if !state.is_object() {
        return None;
    }
    let group = |value: JsValue| {
        let name = name(value)?;
        groups.iter().position(|g| *g == name)
    };
    let number = |object: &JsValue, key: &str| required(object, key, |v| safe_integer(&v));
    let waiting = read_array(&required(state, "waiting", Some)?, |t| {
        let ticket = Waiting {
            number: number(&t, "number")?,
            stamp: number(&t, "stamp")?,
            taken: number(&t, "taken")?,
        };
        Some((required(&t, "group", group)?, ticket))
    })?;
    let held = |h: JsValue| {
        Some(Held {
            number: number(&h, "number")?,
            group: required(&h, "group", group)?,
            taken: number(&h, "taken")?,
            counter: required(&h, "counter", name)?,
            calls: u32::try_from(number(&h, "calls")?).ok()?,
        })
    };
    let mut lines = vec![Vec::new(); groups.len()];
    for (g, ticket) in waiting {
        lines.get_mut(g)?.push(ticket);
    }
    Some(Saved {
        lines,
        serving: read_array(&required(state, "serving", Some)?, held)?,
        parked: read_array(&required(state, "parked", Some)?, held)?,
        credits: read_array(&required(state, "credits", Some)?, |c| safe_integer(&c))?,
        now: number(state, "now")?,
    })
}

/// A plain JS object with these properties.
fn object(entries: &[(&str, JsValue)]) -> JsValue {
    let object = Object::new();
    for (key, value) in entries {
        // Defining a property of a fresh plain object cannot fail.
        let _ = Reflect::set(&object, &JsValue::from_str(key), value);
    }
    object.into()
}

/// Ticket numbers, times and counts are safe integers: exact as JS numbers.
#[expect(clippy::cast_precision_loss, reason = "safe integers convert exactly")]
fn num(n: i64) -> JsValue {
    JsValue::from_f64(n as f64)
}

fn held_value(held: &Held, group: &str) -> Vec<(&'static str, JsValue)> {
    vec![
        ("number", num(held.number)),
        ("group", JsValue::from_str(group)),
        ("taken", num(held.taken)),
        ("counter", JsValue::from_str(&held.counter)),
        ("calls", JsValue::from_f64(f64::from(held.calls))),
    ]
}

/// A facility reply as a JS value.
pub(super) fn reply_value(reply: Reply) -> JsValue {
    match reply {
        Reply::Number(n) => num(n),
        Reply::Seat(Seat {
            ticket,
            group,
            finished,
        }) => {
            let mut entries = held_value(&ticket, &group);
            entries.push(("finished", finished.map_or(JsValue::NULL, num)));
            object(&entries)
        }
        Reply::Moved(moved, group) => object(&[
            ("number", num(moved.number)),
            ("group", JsValue::from_str(&group)),
            ("taken", num(moved.taken)),
        ]),
        Reply::Department(department) => {
            let names = &department.groups;
            let name_of = |g: usize| names.get(g).map_or("", String::as_str);
            let waiting: Array = department
                .waiting
                .iter()
                .map(|(g, t)| {
                    object(&[
                        ("number", num(t.number)),
                        ("group", JsValue::from_str(name_of(*g))),
                        ("stamp", num(t.stamp)),
                        ("taken", num(t.taken)),
                    ])
                })
                .collect();
            let held = |list: &[Held]| -> Array {
                list.iter()
                    .map(|h| object(&held_value(h, name_of(h.group))))
                    .collect()
            };
            let groups: Array = names.iter().map(|g| JsValue::from_str(g)).collect();
            let credits: Array = department.credits.iter().map(|&c| num(c)).collect();
            object(&[
                ("groups", groups.into()),
                ("waiting", waiting.into()),
                ("serving", held(&department.serving).into()),
                ("parked", held(&department.parked).into()),
                (
                    "nextGroup",
                    department
                        .next_group
                        .map_or(JsValue::NULL, |g| JsValue::from_str(name_of(g))),
                ),
                ("credits", credits.into()),
                ("now", num(department.now)),
            ])
        }
        Reply::State(_) | Reply::Done => JsValue::UNDEFINED,
    }
}
