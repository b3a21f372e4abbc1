//! Native benchmark of the ticket rules (`cargo bench --bench rules`): cost per operation at
//! queue lengths 10^2..10^6, next to a straight port of the reference (a scanned list) at the
//! sizes where it finishes. Writes `target/bench/native.json` for `make bench`'s table.
//!
//! Each measurement keeps the queue length constant (one number in, one out per step) and
//! reports the median of several rounds, in nanoseconds per step.
//!
//! A second table prices a facility's operations (groups, calls, parking, transfers) on queues
//! where every ticket carries its own time, as on a hub (so no two tickets share a run: the
//! indexes' worst case), as a ratio to taking and serving on the same queue in the same run.

use std::hint::black_box;
use std::time::Instant;
use take_a_number_deluxe::rules::{
    model::Model, Moved, Order, Pick, Placement, Policy, Range, Tickets, MAX_SAFE,
};

const SIZES: [u64; 5] = [100, 1_000, 10_000, 100_000, 1_000_000];
const ROUNDS: usize = 7;
const STEPS: u64 = 20_000;
/// The reference scans the queue (and, wrapping, the range) per step: past these sizes a
/// round takes minutes.
const REFERENCE_CAP: u64 = 10_000;
const REFERENCE_WRAP_CAP: u64 = 1_000;

/// The operations `Tickets` and the reference model both offer.
trait Rules: Clone {
    fn take(&mut self) -> i64;
    fn serve(&mut self, priority: Option<i64>) -> i64;
}

impl Rules for Tickets {
    fn take(&mut self) -> i64 {
        Tickets::take(self).unwrap_or(-1)
    }
    fn serve(&mut self, priority: Option<i64>) -> i64 {
        Tickets::serve(self, priority).unwrap_or(-1)
    }
}

impl Rules for Model {
    fn take(&mut self) -> i64 {
        Model::take(self).unwrap_or(-1)
    }
    fn serve(&mut self, priority: Option<i64>) -> i64 {
        Model::serve(self, priority).unwrap_or(-1)
    }
}

/// A queue of `n` numbers taken in order from a range too wide to wrap.
fn sequential<R: Rules>(make: impl Fn(i64, i64) -> R, n: u64) -> R {
    let mut rules = make(0, MAX_SAFE);
    for _ in 0..n {
        rules.take();
    }
    rules
}

/// A queue of `n` numbers where every other number was served by priority: n runs of one,
/// the worst case for the run-based indexes.
fn fragmented<R: Rules>(make: impl Fn(i64, i64) -> R, n: u64) -> R {
    let mut rules = make(0, MAX_SAFE);
    for _ in 0..2 * n {
        rules.take();
    }
    for k in 0..n {
        rules.serve(Some(2 * k as i64));
    }
    rules
}

/// A range of n + 1 numbers with n queued and the highest among them: every take wraps.
fn full<R: Rules>(make: impl Fn(i64, i64) -> R, n: u64) -> R {
    let mut rules = make(0, n as i64);
    for _ in 0..=n {
        rules.take();
    }
    rules.serve(None);
    rules
}

/// Median nanoseconds per step over ROUNDS rounds of `steps` steps, each round on a fresh
/// copy of `start`.
fn measure<R: Clone>(start: &R, steps: u64, step: impl Fn(&mut R, u64)) -> f64 {
    let mut samples: Vec<f64> = (0..ROUNDS)
        .map(|_| {
            let mut rules = start.clone();
            let began = Instant::now();
            for i in 0..steps {
                step(&mut rules, i);
            }
            black_box(&rules);
            began.elapsed().as_nanos() as f64 / steps as f64
        })
        .collect();
    samples.sort_by(f64::total_cmp);
    samples[ROUNDS / 2]
}

struct Row {
    scenario: &'static str,
    size: u64,
    ours: f64,
    reference: Option<f64>,
}

fn scenarios<R: Rules>(
    make: impl Fn(i64, i64) -> R + Copy,
    n: u64,
    steps: u64,
) -> Vec<(&'static str, f64)> {
    let half = n as i64 / 2;
    vec![
        // One in at the back, one out at the front.
        (
            "take + serve",
            measure(&sequential(make, n), steps, |r, _| {
                black_box(r.take());
                black_box(r.serve(None));
            }),
        ),
        // One in at the back, the number in the middle of the queue out by priority.
        (
            "take + priority serve (middle)",
            measure(&sequential(make, n), steps, |r, i| {
                black_box(r.take());
                black_box(r.serve(Some(half + i as i64)));
            }),
        ),
        // A full range: each take wraps around to the smallest free number.
        (
            "wrap-around take + serve",
            measure(&full(make, n), steps, |r, _| {
                black_box(r.take());
                black_box(r.serve(None));
            }),
        ),
        // The worst case for runs: every queued number is a run of its own. Each step serves
        // a different odd number from the middle, so at most n / 2 steps.
        (
            "fragmented: take + priority serve (middle)",
            measure(&fragmented(make, n), steps.min(n / 2), |r, i| {
                black_box(r.take());
                black_box(r.serve(Some(2 * (half + i as i64) + 1)));
            }),
        ),
    ]
}

fn main() {
    let tickets = |min, max| Tickets::new(Range::new(min, max).expect("a valid range"));
    let model = |min, max| Model::new(min, max);
    let mut rows = Vec::new();
    for &n in &SIZES {
        let ours = scenarios(tickets, n, STEPS);
        let reference = if n <= REFERENCE_CAP {
            // Fewer steps: each one scans the whole queue.
            scenarios(model, n, (STEPS / (n / 100).max(1)).max(50))
        } else {
            Vec::new()
        };
        for (i, (scenario, ns)) in ours.into_iter().enumerate() {
            let wraps = scenario.starts_with("wrap");
            let reference = reference
                .get(i)
                .filter(|_| !wraps || n <= REFERENCE_WRAP_CAP)
                .map(|&(_, ns)| ns);
            rows.push(Row {
                scenario,
                size: n,
                ours: ns,
                reference,
            });
        }
    }

    println!(
        "{:<44} {:>9} {:>12} {:>14}",
        "scenario (ns per step)", "queue", "ours", "reference"
    );
    for row in &rows {
        let reference = row
            .reference
            .map_or("-".to_string(), |ns| format!("{ns:.0}"));
        println!(
            "{:<44} {:>9} {:>12.1} {:>14}",
            row.scenario, row.size, row.ours, reference
        );
    }

    let json: Vec<String> = rows
        .iter()
        .map(|r| {
            format!(
                "{{\"scenario\":\"{}\",\"size\":{},\"ours_ns\":{:.2},\"reference_ns\":{}}}",
                r.scenario,
                r.size,
                r.ours,
                r.reference
                    .map_or("null".to_string(), |ns| format!("{ns:.2}"))
            )
        })
        .collect();
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("target/bench");
    std::fs::create_dir_all(&dir).expect("target/bench is writable");
    std::fs::write(dir.join("native.json"), format!("[{}]\n", json.join(",\n")))
        .expect("native.json is writable");

    facility(&dir);
}

/// The facility's queue for the second table: `n` tickets in three groups (2:1:1), each taken at
/// its own millisecond, from a range too wide to wrap.
fn facility_queue(n: u64, min: i64, max: i64, placement: Placement) -> Tickets {
    let policy = Policy {
        groups: 3,
        order: Order::Ratio(vec![2, 1, 1]),
        placement,
        calls_before_no_show: 1,
    };
    let range = Range::new(min, max).expect("a valid range");
    let mut t = Tickets::with_policy(range, policy).expect("a valid policy");
    for i in 0..n {
        t.take_in((i % 3) as usize, 2 * i as i64).expect("room");
    }
    t
}

/// Prices each facility operation against "take + serve" on the same queue, in one run.
fn facility(dir: &std::path::Path) {
    println!();
    println!(
        "{:<44} {:>9} {:>12} {:>14}",
        "facility operation (ns per step)", "queue", "ours", "x take+serve"
    );
    let mut json = Vec::new();
    for &n in &SIZES {
        let queue = facility_queue(n, 0, MAX_SAFE / 2, Placement::ByTaken);
        let now = 2 * n as i64;
        let steps = STEPS;
        let step = |i: u64| now + 2 * i as i64;
        // A pair of departments, each holding n tickets, for transfers between them: times
        // interleave, so a ticket placed by its time lands in the middle of the other line.
        let there = facility_queue(n, MAX_SAFE / 2 + 1, MAX_SAFE, Placement::ByTaken);
        let middle: Vec<i64> = queue
            .iter()
            .skip(n as usize / 2)
            .take(steps as usize)
            .collect();
        let baseline = measure(&queue, steps, |r, i| {
            black_box(r.take_in((i % 3) as usize, step(i)).ok());
            black_box(r.serve(None).ok());
        });
        let rows: Vec<(&'static str, f64)> = vec![
            ("take + serve (baseline)", baseline),
            (
                "take in a group + call next (ratio)",
                measure(&queue, steps, |r, i| {
                    black_box(r.take_in((i % 3) as usize, step(i)).ok());
                    black_box(r.call("7", Pick::Next).ok());
                }),
            ),
            (
                "take + call a number (middle)",
                measure(&queue, steps.min(middle.len() as u64), |r, i| {
                    black_box(r.take_in((i % 3) as usize, step(i)).ok());
                    black_box(r.call("7", Pick::Number(middle[i as usize])).ok());
                }),
            ),
            (
                "take + call + recall + park + unpark",
                measure(&queue, steps, |r, i| {
                    black_box(r.take_in((i % 3) as usize, step(i)).ok());
                    let n = r.call("7", Pick::Next).map_or(0, |c| c.ticket.number);
                    black_box(r.recall("7").ok());
                    black_box(r.park("7").ok());
                    black_box(r.unpark(n).ok());
                }),
            ),
            (
                "transfer out (middle) + in by taken, both ways",
                measure(
                    &(queue.clone(), there.clone()),
                    steps.min(middle.len() as u64),
                    |(a, b), i| {
                        let number = middle[i as usize];
                        let moved: Option<Moved> = a.transfer_out(number).ok();
                        if let Some(moved) = moved {
                            black_box(b.transfer_in(moved, step(i)).ok());
                            let back = b.transfer_out(number).ok();
                            black_box(back.map(|m| a.transfer_in(m, step(i))));
                        }
                    },
                ),
            ),
        ];
        for (i, (name, ns)) in rows.iter().enumerate() {
            // The cycle rows do several operations a step: priced per operation against the
            // baseline's two.
            let ops = match i {
                3 => 5.0,
                4 => 4.0,
                _ => 2.0,
            };
            let ratio = (ns / ops) / (baseline / 2.0);
            println!("{name:<44} {n:>9} {ns:>12.1} {ratio:>14.2}");
            json.push(format!(
                "{{\"scenario\":\"{name}\",\"size\":{n},\"ours_ns\":{ns:.2},\"per_op_vs_serve\":{ratio:.3}}}"
            ));
        }
    }
    std::fs::write(
        dir.join("facility.json"),
        format!("[{}]\n", json.join(",\n")),
    )
    .expect("facility.json is writable");
}
