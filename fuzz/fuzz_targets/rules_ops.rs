//! Fuzzes the ticket rules with operation sequences: every result and the whole queue must
//! match the reference model, a failed operation must change nothing, and the invariants
//! (distinct numbers, all in range, memory bounded by the queue) must hold after every step.
#![no_main]

use arbitrary::Arbitrary;
use libfuzzer_sys::fuzz_target;
use take_a_number_deluxe::rules::{model::Model, Range, Tickets, MAX_SAFE};

#[derive(Arbitrary, Debug)]
enum Op {
    Take,
    Serve,
    /// A priority number, as an offset from min (may lie outside the range).
    Priority(i8),
    Reset,
    /// Rebuild from the reported queue, as the kiosk does after a reload.
    Restore,
}

#[derive(Arbitrary, Debug)]
struct Input {
    placement: u8,
    span: u8,
    ops: Vec<Op>,
}

fuzz_target!(|input: Input| {
    let span = i64::from(input.span % 48) + 1;
    // Small ranges fill up and wrap; the extremes check arithmetic at the safe-integer limits.
    let min = match input.placement % 3 {
        0 => -MAX_SAFE,
        1 => MAX_SAFE - span,
        _ => -7,
    };
    let max = min + span;
    let range = Range::new(min, max).expect("a valid range");
    let mut tickets = Tickets::new(range);
    let mut model = Model::new(min, max);

    for op in input.ops {
        let before = tickets.clone();
        let (got, want) = match op {
            Op::Take => (tickets.take(), model.take()),
            Op::Serve => (tickets.serve(None), model.serve(None)),
            Op::Priority(offset) => {
                let p = min + i64::from(offset);
                (tickets.serve(Some(p)), model.serve(Some(p)))
            }
            Op::Reset => {
                tickets.reset();
                model.reset();
                (Ok(0), Ok(0))
            }
            Op::Restore => {
                let queue: Vec<i64> = tickets.iter().collect();
                tickets = Tickets::from_queue(range, queue).expect("a reported queue restores");
                (Ok(0), Ok(0))
            }
        };
        assert_eq!(got, want, "result of {op:?}");
        if got.is_err() {
            assert_eq!(tickets, before, "a failed {op:?} changed the state");
        }
        let queue: Vec<i64> = tickets.iter().collect();
        assert_eq!(queue, Vec::from(model.queue.clone()));
        assert_eq!(tickets.len(), queue.len() as u64);
        let mut sorted = queue.clone();
        sorted.sort_unstable();
        sorted.dedup();
        assert_eq!(sorted.len(), queue.len(), "duplicate numbers");
        assert!(queue.iter().all(|&n| range.contains(n)), "a number out of range");
        assert!(tickets.index_entries() <= 3 * queue.len(), "memory beyond O(queue)");
        if let Err(broken) = tickets.check_invariants() {
            panic!("indexes out of step after {op:?}: {broken}");
        }
    }
});
