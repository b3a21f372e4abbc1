//! Every behaviour of the exported `Machine`, driven through its public methods with arbitrary
//! JS values, shared by the browser (`web.rs`) and Node (`node.rs`) suites.
//!
//! Timer tests use real timers with short timeouts and generous margins: they check *that*
//! the machine shuts down (or does not) and never how fast anything runs.

use js_sys::{Array, BigInt, Function, Object, Promise, Reflect, Symbol};
use take_a_number_deluxe::Machine;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;
use wasm_bindgen_test::wasm_bindgen_test;

#[wasm_bindgen]
extern "C" {
    #[wasm_bindgen(js_name = setTimeout)]
    fn set_timeout(handler: &JsValue, ms: i32) -> JsValue;
}

/// How long to wait for something that should happen soon: far beyond any timeout used here,
/// so a slow CI machine does not make a test flaky.
const PATIENCE_MS: i32 = 3_000;

fn sleep_promise(ms: i32, value: JsValue) -> Promise {
    Promise::new(&mut |resolve, _| {
        let bound = resolve.bind1(&JsValue::UNDEFINED, &value);
        set_timeout(&bound, ms);
    })
}

async fn sleep(ms: i32) {
    let _ = JsFuture::from(sleep_promise(ms, JsValue::UNDEFINED)).await;
}

fn js_obj(entries: &[(&str, JsValue)]) -> JsValue {
    let object = Object::new();
    for (key, value) in entries {
        Reflect::set(&object, &JsValue::from_str(key), value).unwrap();
    }
    object.into()
}

fn options(min: f64, max: f64, timeout: Option<f64>) -> JsValue {
    let mut entries = vec![
        ("minNumber", JsValue::from_f64(min)),
        ("maxNumber", JsValue::from_f64(max)),
    ];
    if let Some(ms) = timeout {
        entries.push(("autoShutdownTimeout", JsValue::from_f64(ms)));
    }
    js_obj(&entries)
}

fn machine(min: f64, max: f64, timeout: Option<f64>) -> Machine {
    Machine::new(options(min, max, timeout)).expect("valid options start a machine")
}

fn code_of(error: &JsValue) -> String {
    assert!(
        error.is_instance_of::<js_sys::Error>(),
        "not an Error: {error:?}"
    );
    let name = Reflect::get(error, &"name".into()).unwrap();
    assert_eq!(name.as_string().as_deref(), Some("MachineError"));
    let message = Reflect::get(error, &"message".into()).unwrap();
    assert!(
        message.as_string().is_some_and(|m| !m.is_empty()),
        "MachineError without a message"
    );
    Reflect::get(error, &"code".into())
        .unwrap()
        .as_string()
        .expect("code is a string")
}

async fn ok(promise: Promise) -> JsValue {
    match JsFuture::from(promise).await {
        Ok(value) => value,
        Err(error) => panic!("rejected with {error:?}"),
    }
}

async fn num(promise: Promise) -> f64 {
    ok(promise).await.as_f64().expect("a number")
}

async fn rejection(promise: Promise) -> String {
    match JsFuture::from(promise).await {
        Ok(value) => panic!("expected a rejection, got {value:?}"),
        Err(error) => code_of(&error),
    }
}

/// The queue as reported, plus the other fields checked against the configuration.
async fn queue(m: &Machine) -> Vec<f64> {
    let state = ok(m.report_state()).await;
    let queue = Reflect::get(&state, &"queue".into()).unwrap();
    assert!(Array::is_array(&queue));
    Array::from(&queue)
        .iter()
        .map(|n| n.as_f64().unwrap())
        .collect()
}

/// Waits for the machine to exit, up to PATIENCE_MS; returns the reason, or None if it did not.
async fn exit_reason(m: &Machine, within_ms: i32) -> Option<String> {
    let timed_out = sleep_promise(within_ms, JsValue::from_str("\u{0}still running"));
    let raced = Promise::race(&Array::of2(&m.exited(), &timed_out));
    let value = ok(raced).await.as_string().expect("a string");
    (value != "\u{0}still running").then_some(value)
}

fn bad_values() -> Vec<(&'static str, JsValue)> {
    vec![
        ("null", JsValue::NULL),
        ("a string of digits", JsValue::from_str("3")),
        ("NaN", JsValue::from_f64(f64::NAN)),
        ("Infinity", JsValue::from_f64(f64::INFINITY)),
        ("-Infinity", JsValue::from_f64(f64::NEG_INFINITY)),
        ("a fraction", JsValue::from_f64(1.5)),
        (
            "an unsafe integer",
            JsValue::from_f64(9_007_199_254_740_992.0),
        ),
        ("a BigInt", BigInt::from(3).into()),
        ("a Symbol", Symbol::for_("3").into()),
        ("an object", js_obj(&[("valueOf", JsValue::from_f64(3.0))])),
        ("an array", Array::of1(&JsValue::from_f64(3.0)).into()),
        ("a boolean", JsValue::TRUE),
    ]
}

fn throws_invalid_configuration(value: JsValue, what: &str) {
    match Machine::new(value) {
        Ok(_) => panic!("{what}: started a machine"),
        Err(error) => assert_eq!(code_of(&error), "invalid_configuration", "{what}"),
    }
}

#[wasm_bindgen_test]
fn constructor_rejects_options_that_are_not_an_object() {
    throws_invalid_configuration(JsValue::UNDEFINED, "undefined");
    for (what, value) in bad_values() {
        if value.is_object() {
            continue; // objects are tested field by field below
        }
        throws_invalid_configuration(value, what);
    }
}

#[wasm_bindgen_test]
fn constructor_rejects_bad_bounds_and_timeouts() {
    throws_invalid_configuration(options(9.0, 1.0, None), "min above max");
    throws_invalid_configuration(options(5.0, 5.0, None), "min equal to max");
    throws_invalid_configuration(js_obj(&[("minNumber", 1.into())]), "no maxNumber");
    throws_invalid_configuration(js_obj(&[("maxNumber", 9.into())]), "no minNumber");
    throws_invalid_configuration(options(1.0, 9.0, Some(-1.0)), "negative timeout");
    throws_invalid_configuration(options(1.0, 9.0, Some(2.5)), "fractional timeout");
    for (what, bad) in bad_values() {
        let with_min = js_obj(&[("minNumber", bad.clone()), ("maxNumber", 9.into())]);
        throws_invalid_configuration(with_min, what);
        let with_max = js_obj(&[("minNumber", 1.into()), ("maxNumber", bad.clone())]);
        throws_invalid_configuration(with_max, what);
        if bad.as_f64() == Some(f64::INFINITY) {
            continue; // Infinity is the one valid non-integer timeout
        }
        let with_timeout = js_obj(&[
            ("minNumber", 1.into()),
            ("maxNumber", 9.into()),
            ("autoShutdownTimeout", bad),
        ]);
        throws_invalid_configuration(with_timeout, what);
    }
}

#[wasm_bindgen_test]
fn constructor_turns_a_throwing_getter_into_invalid_configuration() {
    let object = Object::new();
    let getter = Function::new_no_args("throw new Error('boom')");
    let descriptor = js_obj(&[("get", getter.into())]);
    Reflect::define_property(&object, &"minNumber".into(), &descriptor.into()).unwrap();
    throws_invalid_configuration(object.into(), "throwing getter");
}

#[wasm_bindgen_test]
async fn report_state_shows_the_configuration_with_infinity_by_default() {
    let m = machine(-5.0, 5.0, None);
    let state = ok(m.report_state()).await;
    let field = |key: &str| Reflect::get(&state, &key.into()).unwrap().as_f64();
    assert_eq!(field("minNumber"), Some(-5.0));
    assert_eq!(field("maxNumber"), Some(5.0));
    assert_eq!(field("autoShutdownTimeout"), Some(f64::INFINITY));
    assert_eq!(queue(&m).await, Vec::<f64>::new());
    let timed = machine(1.0, 2.0, Some(60_000.0));
    let state = ok(timed.report_state()).await;
    let timeout = Reflect::get(&state, &"autoShutdownTimeout".into()).unwrap();
    assert_eq!(timeout.as_f64(), Some(60_000.0));
    ok(timed.stop(JsValue::UNDEFINED)).await;
}

#[wasm_bindgen_test]
async fn numbers_count_up_from_min_until_the_range_is_full() {
    let m = machine(1.0, 3.0, None);
    assert_eq!(num(m.queue_new_number()).await, 1.0);
    assert_eq!(num(m.queue_new_number()).await, 2.0);
    assert_eq!(num(m.queue_new_number()).await, 3.0);
    assert_eq!(
        rejection(m.queue_new_number()).await,
        "all_possible_numbers_are_in_use"
    );
    assert_eq!(queue(&m).await, vec![1.0, 2.0, 3.0]);
}

#[wasm_bindgen_test]
async fn serving_follows_the_queue_and_priority_numbers_skip_it() {
    let m = machine(1.0, 10.0, None);
    assert_eq!(
        rejection(m.serve_next_queued_number(JsValue::UNDEFINED)).await,
        "empty_queue"
    );
    assert_eq!(
        rejection(m.serve_next_queued_number(4.into())).await,
        "empty_queue"
    );
    for _ in 0..4 {
        num(m.queue_new_number()).await;
    }
    assert_eq!(
        rejection(m.serve_next_queued_number(9.into())).await,
        "priority_number_not_found"
    );
    assert_eq!(num(m.serve_next_queued_number(3.into())).await, 3.0);
    assert_eq!(
        num(m.serve_next_queued_number(JsValue::UNDEFINED)).await,
        1.0
    );
    assert_eq!(queue(&m).await, vec![2.0, 4.0]);
}

#[wasm_bindgen_test]
async fn a_full_range_wraps_around_to_the_smallest_free_number() {
    let m = machine(1.0, 3.0, None);
    for _ in 0..3 {
        num(m.queue_new_number()).await;
    }
    assert_eq!(
        num(m.serve_next_queued_number(JsValue::UNDEFINED)).await,
        1.0
    );
    assert_eq!(num(m.queue_new_number()).await, 1.0);
    assert_eq!(queue(&m).await, vec![2.0, 3.0, 1.0]);
}

#[wasm_bindgen_test]
async fn the_widest_safe_range_works() {
    let max = 9_007_199_254_740_991.0;
    let m = machine(-max, max, None);
    assert_eq!(num(m.queue_new_number()).await, -max);
    assert_eq!(num(m.queue_new_number()).await, -max + 1.0);
    assert_eq!(
        num(m.serve_next_queued_number((-max + 1.0).into())).await,
        -max + 1.0
    );
}

#[wasm_bindgen_test]
async fn a_bad_priority_number_is_invalid_argument_and_changes_nothing() {
    let m = machine(1.0, 10.0, None);
    for _ in 0..3 {
        num(m.queue_new_number()).await;
    }
    for (what, bad) in bad_values() {
        let code = rejection(m.serve_next_queued_number(bad)).await;
        assert_eq!(code, "invalid_argument", "{what}");
    }
    assert_eq!(queue(&m).await, vec![1.0, 2.0, 3.0]);
}

#[wasm_bindgen_test]
async fn reset_state_is_a_cast_that_empties_the_queue() {
    let m = machine(10.0, 20.0, Some(60_000.0));
    for _ in 0..3 {
        num(m.queue_new_number()).await;
    }
    m.reset_state();
    assert_eq!(queue(&m).await, Vec::<f64>::new());
    assert_eq!(num(m.queue_new_number()).await, 10.0);
    let state = ok(m.report_state()).await;
    let timeout = Reflect::get(&state, &"autoShutdownTimeout".into()).unwrap();
    assert_eq!(timeout.as_f64(), Some(60_000.0), "reset keeps the timeout");
    ok(m.stop(JsValue::UNDEFINED)).await;
}

#[wasm_bindgen_test]
async fn unexpected_messages_are_ignored() {
    let m = machine(1.0, 10.0, None);
    num(m.queue_new_number()).await;
    for (_, value) in bad_values() {
        m.send(value);
    }
    m.send(JsValue::from_str("timeout"));
    m.send(JsValue::UNDEFINED);
    assert_eq!(queue(&m).await, vec![1.0]);
    assert!(m.alive());
}

#[wasm_bindgen_test]
async fn calls_are_answered_in_the_order_they_were_made() {
    let m = machine(1.0, 1000.0, None);
    let pending: Vec<Promise> = (0..200).map(|_| m.queue_new_number()).collect();
    let served = m.serve_next_queued_number(100.into());
    let report = m.report_state();
    for (i, promise) in pending.into_iter().enumerate() {
        assert_eq!(num(promise).await, (i + 1) as f64);
    }
    assert_eq!(num(served).await, 100.0);
    assert_eq!(queue_len(ok(report).await), 199);
}

fn queue_len(state: JsValue) -> u32 {
    Array::from(&Reflect::get(&state, &"queue".into()).unwrap()).length()
}

#[wasm_bindgen_test]
async fn machines_are_independent() {
    let a = machine(1.0, 10.0, None);
    let b = machine(100.0, 110.0, None);
    assert_eq!(num(a.queue_new_number()).await, 1.0);
    assert_eq!(num(b.queue_new_number()).await, 100.0);
    ok(a.stop(JsValue::UNDEFINED)).await;
    assert_eq!(rejection(a.queue_new_number()).await, "no_process");
    assert_eq!(num(b.queue_new_number()).await, 101.0);
}

#[wasm_bindgen_test]
async fn stop_terminates_after_earlier_calls_and_rejects_later_ones() {
    let m = machine(1.0, 10.0, None);
    let before = m.queue_new_number();
    let stopped = m.stop(JsValue::UNDEFINED);
    let after = m.queue_new_number();
    let second_stop = m.stop(JsValue::UNDEFINED);
    assert_eq!(num(before).await, 1.0);
    assert_eq!(ok(stopped).await, JsValue::UNDEFINED);
    assert_eq!(rejection(after).await, "no_process");
    assert_eq!(rejection(second_stop).await, "no_process");
    assert!(!m.alive());
    assert_eq!(
        exit_reason(&m, PATIENCE_MS).await.as_deref(),
        Some("normal")
    );
    assert_eq!(rejection(m.stop(JsValue::UNDEFINED)).await, "no_process");
    assert_eq!(rejection(m.report_state()).await, "no_process");
    assert_eq!(
        rejection(m.serve_next_queued_number(JsValue::UNDEFINED)).await,
        "no_process"
    );
    // Casts and infos to a stopped machine are dropped without a fuss.
    m.reset_state();
    m.send(JsValue::from_str("hello"));
}

#[wasm_bindgen_test]
async fn stop_with_a_reason_reports_it_on_exited() {
    let m = machine(1.0, 10.0, Some(60_000.0));
    ok(m.stop(JsValue::from_str("closing time"))).await;
    assert_eq!(
        exit_reason(&m, PATIENCE_MS).await.as_deref(),
        Some("closing time")
    );
}

#[wasm_bindgen_test]
async fn stop_with_a_reason_that_is_not_a_string_is_invalid_argument() {
    let m = machine(1.0, 10.0, None);
    for (what, bad) in bad_values() {
        if bad.is_string() {
            continue; // any string is a valid reason
        }
        assert_eq!(rejection(m.stop(bad)).await, "invalid_argument", "{what}");
    }
    assert!(m.alive());
    assert_eq!(num(m.queue_new_number()).await, 1.0);
}

#[wasm_bindgen_test]
async fn auto_shutdown_after_start_stops_with_normal() {
    let m = machine(1.0, 10.0, Some(30.0));
    assert!(m.alive());
    assert_eq!(
        exit_reason(&m, PATIENCE_MS).await.as_deref(),
        Some("normal")
    );
    assert!(!m.alive());
    assert_eq!(rejection(m.queue_new_number()).await, "no_process");
    assert_eq!(rejection(m.stop(JsValue::UNDEFINED)).await, "no_process");
}

#[wasm_bindgen_test]
async fn a_zero_timeout_shuts_down_on_the_next_timer_turn() {
    let m = machine(1.0, 10.0, Some(0.0));
    // Messages sent in the same turn are handled before the timer can fire.
    assert_eq!(num(m.queue_new_number()).await, 1.0);
    assert_eq!(
        exit_reason(&m, PATIENCE_MS).await.as_deref(),
        Some("normal")
    );
}

#[wasm_bindgen_test]
async fn without_a_timeout_the_machine_stays_on() {
    let m = machine(1.0, 10.0, Some(f64::INFINITY));
    assert_eq!(exit_reason(&m, 150).await, None);
    assert!(m.alive());
}

/// Sends one message of the given kind every `PERIOD` ms, six times: with a re-arming idle
/// timer the machine must survive, then shut down once the messages stop. Each check is made
/// against the time really elapsed since the last message: on a loaded machine a timer can fire
/// late (a CI run once slept over 300 ms for 150, and the machine rightly switched off), so the
/// margin is four periods, and a round whose timers ran a whole timeout late proves nothing.
async fn keeps_running_while_messages_arrive(send: fn(&Machine)) {
    const TIMEOUT: i32 = 1200;
    const PERIOD: i32 = TIMEOUT / 4;
    let m = machine(1.0, 1000.0, Some(f64::from(TIMEOUT)));
    let mut last = js_sys::Date::now();
    for _ in 0..6 {
        sleep(PERIOD).await;
        let gap = js_sys::Date::now() - last;
        if gap >= f64::from(TIMEOUT) {
            return; // the host was stalled for a whole timeout: switching off was right
        }
        assert!(
            m.alive(),
            "shut down although a message came {gap} ms ago (timeout {TIMEOUT} ms)"
        );
        send(&m);
        last = js_sys::Date::now();
    }
    assert_eq!(exit_reason(&m, PERIOD).await, None, "shut down early");
    assert_eq!(
        exit_reason(&m, PATIENCE_MS).await.as_deref(),
        Some("normal")
    );
}

#[wasm_bindgen_test]
async fn a_call_restarts_the_idle_timeout() {
    keeps_running_while_messages_arrive(|m| {
        let _ = m.queue_new_number();
    })
    .await;
}

#[wasm_bindgen_test]
async fn a_cast_restarts_the_idle_timeout() {
    keeps_running_while_messages_arrive(|m| m.reset_state()).await;
}

#[wasm_bindgen_test]
async fn an_ignored_message_restarts_the_idle_timeout() {
    keeps_running_while_messages_arrive(|m| m.send(JsValue::from_str("hello"))).await;
}

#[wasm_bindgen_test]
async fn a_failed_call_restarts_the_idle_timeout_too() {
    keeps_running_while_messages_arrive(|m| {
        let failed = m.serve_next_queued_number(JsValue::from_f64(999.0));
        // Awaited, so Node does not treat the expected rejection as an unhandled one.
        wasm_bindgen_futures::spawn_local(async move {
            let _ = JsFuture::from(failed).await;
        });
    })
    .await;
}

fn with_queue(queue: JsValue) -> JsValue {
    js_obj(&[
        ("minNumber", 1.into()),
        ("maxNumber", 9.into()),
        ("queue", queue),
    ])
}

fn numbers(values: &[f64]) -> JsValue {
    values
        .iter()
        .map(|&n| JsValue::from_f64(n))
        .collect::<Array>()
        .into()
}

#[wasm_bindgen_test]
async fn a_queue_option_restores_waiting_numbers_in_order() {
    let m = Machine::new(with_queue(numbers(&[7.0, 3.0, 5.0]))).expect("a valid queue");
    assert_eq!(queue(&m).await, vec![7.0, 3.0, 5.0]);
    assert_eq!(
        num(m.serve_next_queued_number(JsValue::UNDEFINED)).await,
        7.0
    );
    // 5 is now the highest queued number.
    assert_eq!(num(m.queue_new_number()).await, 6.0);
    let empty = Machine::new(with_queue(numbers(&[]))).expect("an empty queue");
    assert_eq!(num(empty.queue_new_number()).await, 1.0);
}

#[wasm_bindgen_test]
fn a_bad_queue_option_is_invalid_configuration() {
    throws_invalid_configuration(with_queue(numbers(&[3.0, 3.0])), "duplicates");
    throws_invalid_configuration(with_queue(numbers(&[0.0])), "below the range");
    throws_invalid_configuration(with_queue(numbers(&[10.0])), "above the range");
    throws_invalid_configuration(with_queue(numbers(&[2.5])), "a fraction");
    throws_invalid_configuration(with_queue(Array::new_with_length(2).into()), "holes");
    throws_invalid_configuration(with_queue(JsValue::NULL), "null");
    throws_invalid_configuration(with_queue(JsValue::from_str("1,2")), "a string");
    for (what, bad) in bad_values() {
        throws_invalid_configuration(with_queue(Array::of1(&bad).into()), what);
    }
}
