//! One line of waiting tickets in serve order: a department has one per group.
//!
//! The line is kept as *runs*: consecutive numbers that also stand consecutively in the line
//! and share their stamps. Tickets taken one after another in the same instant form one run,
//! so a queue of a million tickets taken by the exercise's `take` is a single entry.
//!
//! A run's key is `(stamp, seq)`: the stamp orders the line by time (a transferred ticket may be
//! placed by the time it was first taken, in the middle of the line), and `seq`, which this
//! line never reuses, orders tickets of one stamp in arrival order. Serving the front shrinks
//! the front run in place: its key still sorts correctly because only the keys' order matters.

use std::collections::BTreeMap;

/// Where a ticket stands in a line: `(stamp, seq)`.
pub(crate) type Key = (i64, i64);

/// A waiting ticket, as the line reports it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Waiting {
    /// The ticket's number.
    pub number: i64,
    /// Its place in time in this line: when it was taken here, or the time it was placed by.
    pub stamp: i64,
    /// When it was first taken, in whichever department.
    pub taken: i64,
}

/// Consecutive numbers `first, first + 1, ...` with consecutive sequence numbers and equal stamps.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Run {
    first: i64,
    /// The sequence number of `first`; the later numbers of the run have the following ones.
    first_seq: i64,
    len: u64,
    /// When the run's tickets were first taken.
    taken: i64,
}

/// Numbers are safe integers and sequence numbers stay below `i64::MAX` (see `allocate_seq`),
/// so the `saturating_*` calls below never saturate; they say that no overflow is possible.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Line {
    /// Runs in line order.
    runs: BTreeMap<Key, Run>,
    /// First number -> key in `runs`, for every run but the last (the tail): taking extends the
    /// tail and, when it is the only run, serving shrinks it, so keeping it out of this map
    /// spares the common cases two map operations each.
    run_starts: BTreeMap<i64, Key>,
    len: u64,
    next_seq: i64,
}

impl Line {
    /// How many tickets wait in the line.
    pub(crate) fn len(&self) -> u64 {
        self.len
    }

    /// Whether nobody waits in this line.
    pub(crate) fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// The ticket at the front.
    pub(crate) fn front(&self) -> Option<Waiting> {
        self.runs.iter().next().map(|(&(stamp, _), run)| Waiting {
            number: run.first,
            stamp,
            taken: run.taken,
        })
    }

    /// The waiting tickets, front first.
    pub(crate) fn iter(&self) -> impl Iterator<Item = Waiting> + '_ {
        self.runs.iter().flat_map(|(&(stamp, _), run)| {
            (0..run.len).map(move |i| Waiting {
                number: run.first.saturating_add_unsigned(i),
                stamp,
                taken: run.taken,
            })
        })
    }

    /// The waiting tickets with their keys, front first (to merge several lines in time order).
    pub(crate) fn keyed(&self) -> impl Iterator<Item = (Key, Waiting)> + '_ {
        self.runs.iter().flat_map(|(&(stamp, _), run)| {
            (0..run.len).map(move |i| {
                let seq = run.first_seq.saturating_add_unsigned(i);
                let ticket = Waiting {
                    number: run.first.saturating_add_unsigned(i),
                    stamp,
                    taken: run.taken,
                };
                ((stamp, seq), ticket)
            })
        })
    }

    /// Places `ticket` by its stamp: after every ticket of an equal or earlier stamp.
    pub(crate) fn insert(&mut self, ticket: Waiting) {
        let seq = self.allocate_seq();
        let key = (ticket.stamp, seq);
        let after_tail = self
            .runs
            .last_key_value()
            .is_none_or(|(&tail_key, _)| tail_key < key);
        if after_tail {
            self.push_back(key, ticket);
        } else {
            // Inside the line: a run of its own, which is not the tail, so it is indexed.
            let run = Run {
                first: ticket.number,
                first_seq: seq,
                len: 1,
                taken: ticket.taken,
            };
            self.runs.insert(key, run);
            self.run_starts.insert(ticket.number, key);
            self.len = self.len.saturating_add(1);
        }
    }

    fn push_back(&mut self, key: Key, ticket: Waiting) {
        let n = ticket.number;
        let extended = self.runs.last_entry().is_some_and(|mut tail| {
            let stamp = tail.key().0;
            let run = tail.get_mut();
            let follows = stamp == key.0
                && run.taken == ticket.taken
                && run.first.checked_add_unsigned(run.len) == Some(n)
                && run.first_seq.checked_add_unsigned(run.len) == Some(key.1);
            if follows {
                run.len = run.len.saturating_add(1);
            }
            follows
        });
        if !extended {
            // The old tail is a tail no more: index it.
            if let Some((&old_key, old_tail)) = self.runs.last_key_value() {
                self.run_starts.insert(old_tail.first, old_key);
            }
            let run = Run {
                first: n,
                first_seq: key.1,
                len: 1,
                taken: ticket.taken,
            };
            self.runs.insert(key, run);
        }
        self.len = self.len.saturating_add(1);
    }

    /// Takes the front ticket off the line. Serving in order shrinks the front run in place.
    pub(crate) fn pop_front(&mut self) -> Option<Waiting> {
        let indexed = self.runs.len() > 1; // the front run is not the tail
        let mut front = self.runs.first_entry()?;
        let run = *front.get();
        let key = *front.key();
        let n = run.first;
        if run.len > 1 {
            let rest = front.get_mut();
            // len > 1: the run goes on past n.
            rest.first = n.saturating_add(1);
            rest.first_seq = run.first_seq.saturating_add(1);
            rest.len = run.len.saturating_sub(1);
            if indexed {
                self.run_starts.remove(&n);
                self.run_starts.insert(n.saturating_add(1), key);
            }
        } else {
            front.remove();
            if indexed {
                self.run_starts.remove(&n);
            }
        }
        self.len = self.len.saturating_sub(1);
        Some(Waiting {
            number: n,
            stamp: key.0,
            taken: run.taken,
        })
    }

    /// The run holding `n`: (its key, the run, n's offset in it).
    fn run_holding(&self, n: i64) -> Option<(Key, Run, u64)> {
        let within = |run: &Run| {
            n.checked_sub(run.first)
                .and_then(|d| u64::try_from(d).ok())
                .filter(|&offset| offset < run.len)
        };
        let (&tail_key, tail) = self.runs.last_key_value()?;
        if let Some(offset) = within(tail) {
            return Some((tail_key, *tail, offset));
        }
        let (_, &key) = self.run_starts.range(..=n).next_back()?;
        let run = *self.runs.get(&key)?;
        Some((key, run, within(&run)?))
    }

    /// Whether `n` waits in this line.
    pub(crate) fn holds(&self, n: i64) -> bool {
        self.run_holding(n).is_some()
    }

    /// Takes `n` out of the line, wherever it stands.
    pub(crate) fn remove(&mut self, n: i64) -> Option<Waiting> {
        let (key, run, offset) = self.run_holding(n)?;
        let start = run.first;
        let was_tail = self.runs.last_key_value().map(|(&k, _)| k) == Some(key);
        if !was_tail {
            self.run_starts.remove(&start);
        }
        self.runs.remove(&key);
        // offset < run.len, so this is at least 0.
        let after = run.len.saturating_sub(offset).saturating_sub(1);
        // What is left of the run before `n` keeps the run's key; it is the tail only if the
        // run was and nothing of it is left after `n`.
        if offset > 0 {
            self.runs.insert(key, Run { len: offset, ..run });
            if !was_tail || after > 0 {
                self.run_starts.insert(start, key);
            }
        } else if was_tail && after == 0 {
            // The whole tail is gone: the run before it is the tail now.
            if let Some((_, new_tail)) = self.runs.last_key_value() {
                self.run_starts.remove(&new_tail.first);
            }
        }
        // What is left after `n` is keyed by its own first sequence number, which lies between
        // this run's key and the next run's, so the order is kept. It is the tail if the run was.
        if after > 0 {
            let first_seq = run
                .first_seq
                .saturating_add_unsigned(offset)
                .saturating_add(1);
            let first = n.saturating_add(1);
            let rest = Run {
                first,
                first_seq,
                len: after,
                taken: run.taken,
            };
            self.runs.insert((key.0, first_seq), rest);
            if !was_tail {
                self.run_starts.insert(first, (key.0, first_seq));
            }
        }
        self.len = self.len.saturating_sub(1);
        Some(Waiting {
            number: n,
            stamp: key.0,
            taken: run.taken,
        })
    }

    /// The next sequence number. Sequence numbers only order tickets of one stamp, so when the
    /// counter would overflow (after 2^63 tickets) the line is renumbered from zero.
    fn allocate_seq(&mut self) -> i64 {
        if self.next_seq == i64::MAX {
            self.renumber();
        }
        let seq = self.next_seq;
        self.next_seq = seq.saturating_add(1);
        seq
    }

    fn renumber(&mut self) {
        let old = std::mem::take(&mut self.runs);
        self.run_starts.clear();
        let mut seq = 0i64;
        for ((stamp, _), run) in old {
            let key = (stamp, seq);
            self.runs.insert(
                key,
                Run {
                    first_seq: seq,
                    ..run
                },
            );
            self.run_starts.insert(run.first, key);
            seq = seq.saturating_add_unsigned(run.len);
        }
        // The tail stays out of the index.
        if let Some((_, tail)) = self.runs.last_key_value() {
            self.run_starts.remove(&tail.first);
        }
        self.next_seq = seq;
    }

    /// How many index entries the line holds (runs and run starts): what its memory grows with.
    pub(crate) fn index_entries(&self) -> usize {
        self.runs.len().saturating_add(self.run_starts.len())
    }

    /// Checks the run index and the length (for tests and the fuzzer).
    #[cfg(any(test, feature = "model"))]
    pub(crate) fn check_invariants(&self) -> Result<(), String> {
        let non_tail = self.runs.len().saturating_sub(1);
        let expected: BTreeMap<i64, Key> = self
            .runs
            .iter()
            .take(non_tail)
            .map(|(&key, run)| (run.first, key))
            .collect();
        if expected != self.run_starts {
            return Err(format!(
                "run_starts {:?}, expected {expected:?}",
                self.run_starts
            ));
        }
        let counted: u64 = self.runs.values().map(|run| run.len).sum();
        if counted != self.len {
            return Err(format!("len {} but {counted} in the runs", self.len));
        }
        if self.runs.keys().any(|&(_, seq)| seq >= self.next_seq) {
            return Err("a sequence number not below next_seq".into());
        }
        Ok(())
    }

    /// Test hook: moves the sequence counter close to overflow.
    #[cfg(all(test, not(target_arch = "wasm32")))]
    pub(crate) fn set_next_seq(&mut self, seq: i64) {
        if self.is_empty() {
            self.next_seq = seq;
        }
    }
}
