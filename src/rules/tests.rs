use super::model::Model;
use super::*;
use proptest::prelude::*;

fn tickets(min: i64, max: i64) -> Tickets {
    Tickets::new(Range::new(min, max).unwrap())
}

fn queue(t: &Tickets) -> Vec<i64> {
    t.iter().collect()
}

#[test]
fn range_needs_min_below_max_and_safe_integers() {
    assert_eq!(Range::new(1, 9).map(Range::size), Ok(9));
    assert_eq!(Range::new(9, 1), Err(InvalidConfiguration));
    assert_eq!(Range::new(5, 5), Err(InvalidConfiguration));
    assert_eq!(
        Range::new(-MAX_SAFE, MAX_SAFE).map(Range::size),
        Ok(1 << 54).map(|s: u64| s - 1)
    );
    assert_eq!(Range::new(-MAX_SAFE - 1, 0), Err(InvalidConfiguration));
    assert_eq!(Range::new(0, MAX_SAFE + 1), Err(InvalidConfiguration));
}

#[test]
fn first_take_hands_out_min_then_counts_up() {
    let mut t = tickets(1, 3);
    assert_eq!(t.take(), Ok(1));
    assert_eq!(t.take(), Ok(2));
    assert_eq!(t.take(), Ok(3));
    assert_eq!(queue(&t), vec![1, 2, 3]);
}

#[test]
fn full_range_fails_and_leaves_the_queue_alone() {
    let mut t = tickets(1, 2);
    t.take().unwrap();
    t.take().unwrap();
    let before = t.clone();
    assert_eq!(t.take(), Err(TicketError::AllPossibleNumbersAreInUse));
    assert_eq!(t, before);
}

#[test]
fn take_wraps_around_to_the_smallest_free_number() {
    let mut t = tickets(1, 5);
    for _ in 0..5 {
        t.take().unwrap();
    }
    assert_eq!(t.serve(Some(3)), Ok(3));
    assert_eq!(t.serve(None), Ok(1));
    // 5 is still queued, so the highest is max: wrap to the smallest free number.
    assert_eq!(t.take(), Ok(1));
    assert_eq!(t.take(), Ok(3));
    assert_eq!(queue(&t), vec![2, 4, 5, 1, 3]);
}

#[test]
fn empty_queue_is_reported_before_a_missing_priority_number() {
    let mut t = tickets(1, 10);
    assert_eq!(t.serve(None), Err(TicketError::EmptyQueue));
    assert_eq!(t.serve(Some(4)), Err(TicketError::EmptyQueue));
}

#[test]
fn priority_serve_removes_only_that_number_and_keeps_order() {
    let mut t = tickets(1, 10);
    for _ in 0..5 {
        t.take().unwrap();
    }
    let before = t.clone();
    assert_eq!(t.serve(Some(7)), Err(TicketError::PriorityNumberNotFound));
    assert_eq!(t, before);
    assert_eq!(t.serve(Some(3)), Ok(3));
    assert_eq!(queue(&t), vec![1, 2, 4, 5]);
    assert_eq!(t.serve(None), Ok(1));
    assert_eq!(t.serve(Some(5)), Ok(5));
    assert_eq!(queue(&t), vec![2, 4]);
}

#[test]
fn reset_empties_the_queue_and_keeps_the_range() {
    let mut t = tickets(-3, 3);
    t.take().unwrap();
    t.reset();
    assert!(t.is_empty());
    assert_eq!(t.take(), Ok(-3));
}

#[test]
fn negative_and_extreme_ranges_work_without_range_sized_memory() {
    let mut t = tickets(-MAX_SAFE, MAX_SAFE);
    assert_eq!(t.take(), Ok(-MAX_SAFE));
    assert_eq!(t.take(), Ok(-MAX_SAFE + 1));
    let mut top = tickets(MAX_SAFE - 2, MAX_SAFE);
    assert_eq!(top.take(), Ok(MAX_SAFE - 2));
    assert_eq!(top.take(), Ok(MAX_SAFE - 1));
    assert_eq!(top.take(), Ok(MAX_SAFE));
    assert_eq!(top.take(), Err(TicketError::AllPossibleNumbersAreInUse));
    assert_eq!(top.serve(Some(MAX_SAFE - 1)), Ok(MAX_SAFE - 1));
    assert_eq!(top.take(), Ok(MAX_SAFE - 1));
}

#[test]
fn a_long_sequential_queue_is_stored_as_one_run() {
    let mut t = tickets(0, 10_000_000);
    for _ in 0..100_000 {
        t.take().unwrap();
    }
    for _ in 0..50_000 {
        t.serve(None).unwrap();
    }
    assert_eq!(t.len(), 50_000);
    // One run (the tail, not indexed by number) and one interval.
    assert_eq!(t.index_entries(), 2);
    // A priority serve from the middle splits the run and the interval in two.
    assert_eq!(t.serve(Some(70_000)), Ok(70_000));
    assert_eq!(t.index_entries(), 5);
    assert_eq!(t.check_invariants(), Ok(()));
}

#[test]
fn sequence_counter_overflow_renumbers_without_changing_the_queue() {
    let mut t = tickets(1, 100);
    t.set_next_seq(i64::MAX - 3);
    let mut model = Model::new(1, 100);
    for step in 0..40 {
        if step % 3 == 2 {
            assert_eq!(t.serve(Some(step)), model.serve(Some(step)));
        } else {
            assert_eq!(t.take(), model.take());
        }
        assert_eq!(queue(&t), Vec::from(model.queue.clone()));
        assert_eq!(t.check_invariants(), Ok(()));
    }
}

#[test]
fn from_queue_restores_order_and_rejects_bad_numbers() {
    let range = Range::new(1, 10).unwrap();
    let t = Tickets::from_queue(range, [5, 6, 1, 9]).unwrap();
    assert_eq!(queue(&t), vec![5, 6, 1, 9]);
    assert_eq!(
        Tickets::from_queue(range, [5, 5]),
        Err(InvalidConfiguration)
    );
    assert_eq!(Tickets::from_queue(range, [11]), Err(InvalidConfiguration));
}

#[derive(Debug, Clone)]
enum Op {
    Take,
    Serve,
    Priority(i64),
    Reset,
}

fn ops(span: i64) -> impl Strategy<Value = Vec<Op>> {
    let op = prop_oneof![
        6 => Just(Op::Take),
        3 => Just(Op::Serve),
        3 => (-1..=span + 1).prop_map(Op::Priority),
        1 => Just(Op::Reset),
    ];
    prop::collection::vec(op, 1..400)
}

fn run_against_model(min: i64, span: i64, ops: &[Op]) -> Result<(), TestCaseError> {
    let max = min + span;
    let mut t = tickets(min, max);
    let mut model = Model::new(min, max);
    for op in ops {
        let before = t.clone();
        let (got, want) = match op {
            Op::Take => (t.take(), model.take()),
            Op::Serve => (t.serve(None), model.serve(None)),
            Op::Priority(offset) => (t.serve(Some(min + offset)), model.serve(Some(min + offset))),
            Op::Reset => {
                t.reset();
                model.reset();
                (Ok(0), Ok(0))
            }
        };
        prop_assert_eq!(got, want, "result of {:?}", op);
        if got.is_err() {
            prop_assert_eq!(&t, &before, "failed {:?} changed the state", op);
        }
        prop_assert_eq!(queue(&t), Vec::from(model.queue.clone()));
        prop_assert_eq!(t.len(), model.queue.len() as u64);
        prop_assert_eq!(t.check_invariants(), Ok(()), "after {:?}", op);
        for n in min - 1..=max + 1 {
            prop_assert_eq!(t.contains(n), model.queue.contains(&n));
        }
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2_000))]

    /// Small ranges fill up often, so wrap-around and the full-range error get exercised.
    #[test]
    fn matches_the_reference_rules_on_small_ranges(min in -5i64..5, span in 1i64..12, ops in ops(12)) {
        run_against_model(min, span, &ops)?;
    }

    #[test]
    fn matches_the_reference_rules_near_the_safe_limits(low in any::<bool>(), span in 1i64..40, ops in ops(40)) {
        let min = if low { -MAX_SAFE } else { MAX_SAFE - span };
        run_against_model(min, span, &ops)?;
    }
}
