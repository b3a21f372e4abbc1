//! Fuzzes the ticket rules with operation sequences: every result and the whole queue must
//! match the reference model, a failed operation must change nothing, and the invariants
//! (distinct numbers, all in range, memory bounded by the queue) must hold after every step.
//! Half the inputs run the exercise's operations against the port of the reference; the other
//! half run a facility's (groups, calls, parking, transfers between two departments) against
//! the plain model of them.
#![no_main]

use arbitrary::Arbitrary;
use libfuzzer_sys::fuzz_target;
use take_a_number_deluxe::rules::{
    model::{Facility, Model, Step, COUNTERS},
    Order, Pick, Placement, Policy, Range, Tickets, MAX_SAFE,
};

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

fuzz_target!(|input: Either| match input {
    Either::Exercise(input) => exercise(input),
    Either::Facility(input) => facility(input),
});

#[derive(Arbitrary, Debug)]
enum Either {
    Exercise(Input),
    Facility(FacilityInput),
}

fn exercise(input: Input) {
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
        assert!(
            queue.iter().all(|&n| range.contains(n)),
            "a number out of range"
        );
        assert!(
            tickets.index_entries() <= 3 * queue.len(),
            "memory beyond O(queue)"
        );
        if let Err(broken) = tickets.check_invariants() {
            panic!("indexes out of step after {op:?}: {broken}");
        }
    }
}

#[derive(Arbitrary, Debug)]
enum FacilityOp {
    Take(u8, u8),
    Serve(Option<i8>),
    Call(u8, u8, i8),
    Recall(u8),
    Finish(u8),
    NoShow(u8),
    Park(u8),
    Unpark(i8),
    /// A number (offset from min) to the other department, at a time.
    Transfer(i8, u8),
    Reset,
    Reload,
}

impl FacilityOp {
    fn step(&self) -> Step {
        let counter = |c: u8| usize::from(c) % COUNTERS.len();
        match *self {
            FacilityOp::Take(g, at) => Step::Take(usize::from(g % 5), i64::from(at)),
            FacilityOp::Serve(p) => Step::Serve(p.map(i64::from)),
            FacilityOp::Call(c, how, n) => Step::Call(
                counter(c),
                match how % 3 {
                    0 => Pick::Next,
                    1 => Pick::Group(usize::from(how / 3 % 5)),
                    _ => Pick::Number(i64::from(n)),
                },
            ),
            FacilityOp::Recall(c) => Step::Recall(counter(c)),
            FacilityOp::Finish(c) => Step::Finish(counter(c)),
            FacilityOp::NoShow(c) => Step::NoShow(counter(c)),
            FacilityOp::Park(c) => Step::Park(counter(c)),
            FacilityOp::Unpark(n) => Step::Unpark(i64::from(n)),
            FacilityOp::Transfer(n, at) => Step::Transfer(i64::from(n), i64::from(at)),
            FacilityOp::Reset => Step::Reset,
            FacilityOp::Reload => Step::Reload,
        }
    }
}

#[derive(Arbitrary, Debug)]
struct FacilityInput {
    span: u8,
    groups: u8,
    weights: [u8; 4],
    ratio: bool,
    by_taken: bool,
    calls: u8,
    ops: Vec<FacilityOp>,
}

fn facility(input: FacilityInput) {
    let span = i64::from(input.span % 24) + 1;
    let groups = usize::from(input.groups % 4) + 1;
    let order = if input.ratio {
        let weights = input
            .weights
            .iter()
            .take(groups)
            .map(|&w| u32::from(w % 6) + 1);
        Order::Ratio(weights.collect())
    } else {
        Order::Strict
    };
    let policy = Policy {
        groups,
        order,
        placement: if input.by_taken {
            Placement::ByTaken
        } else {
            Placement::Back
        },
        calls_before_no_show: u32::from(input.calls % 3) + 1,
    };
    let other = Policy {
        groups: 1,
        order: Order::Strict,
        ..policy.clone()
    };
    let mut facility = Facility::new(-7, span, &policy, &other).expect("valid departments");
    for op in input.ops {
        if let Err(broken) = facility.apply(op.step()) {
            panic!("after {op:?}: {broken}");
        }
    }
}
