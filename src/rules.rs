//! The ticket rules: which number a customer gets, which number staff serve.
//!
//! Plain Rust with no wasm dependency, so native tests and property tests run it directly.
//!
//! The reference implementation keeps the queue as a list and scans the whole list (and the
//! whole range) to pick the next number. A kiosk range can be as wide as the safe JS integers,
//! so this one keeps three ordered indexes instead, each holding one entry per *run* rather than
//! per number:
//!
//! * `runs`: the queue in order, as runs of consecutive numbers that also stand consecutively
//!   in the queue. Tickets taken one after another form one run, so a queue of a million
//!   tickets is usually a single entry.
//! * `run_starts`: the first number of each run but the newest, to find the run holding a
//!   priority number (the newest run is checked directly).
//! * `taken`: the queued numbers as maximal intervals, regardless of queue order, which answers
//!   "highest queued number" and "smallest free number" in one lookup. Its highest interval
//!   is kept out of the map.
//!
//! Taking highest + 1 and serving in order, the common cases, so touch one entry of `runs`
//! and nothing else.
//!
//! Every operation is O(log r) for r runs (r is at most the queue length), and memory is O(r).

use std::collections::BTreeMap;
use std::fmt;

/// The largest integer a JS number holds exactly (`Number.MAX_SAFE_INTEGER`).
///
/// Every ticket number, bound and timeout lies within `-MAX_SAFE..=MAX_SAFE`, which also keeps
/// all the arithmetic below far from `i64` overflow.
pub const MAX_SAFE: i64 = (1 << 53) - 1;

/// Why a machine could not be configured.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct InvalidConfiguration;

impl fmt::Display for InvalidConfiguration {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("invalid configuration")
    }
}

impl std::error::Error for InvalidConfiguration {}

/// Why a ticket operation failed. A failed operation never changes the state.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TicketError {
    /// Taking a number while every number of the range is already queued.
    AllPossibleNumbersAreInUse,
    /// Serving while nobody is queued.
    EmptyQueue,
    /// Serving a priority number that is not in the queue.
    PriorityNumberNotFound,
}

impl TicketError {
    /// The stable error code, as the reference names it and as JS callers see it.
    pub fn code(self) -> &'static str {
        match self {
            TicketError::AllPossibleNumbersAreInUse => "all_possible_numbers_are_in_use",
            TicketError::EmptyQueue => "empty_queue",
            TicketError::PriorityNumberNotFound => "priority_number_not_found",
        }
    }
}

impl TicketError {
    /// A sentence for people.
    pub fn message(self) -> &'static str {
        match self {
            TicketError::AllPossibleNumbersAreInUse => "every number of the range is in use",
            TicketError::EmptyQueue => "nobody is waiting: the queue is empty",
            TicketError::PriorityNumberNotFound => "that priority number is not in the queue",
        }
    }
}

impl fmt::Display for TicketError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.message())
    }
}

impl std::error::Error for TicketError {}

/// The inclusive range of numbers one machine hands out.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Range {
    min: i64,
    max: i64,
}

impl Range {
    /// A range from `min` to `max` inclusive; both must be safe JS integers and `min < max`.
    pub fn new(min: i64, max: i64) -> Result<Range, InvalidConfiguration> {
        if is_safe(min) && is_safe(max) && min < max {
            Ok(Range { min, max })
        } else {
            Err(InvalidConfiguration)
        }
    }

    /// The smallest number handed out.
    pub fn min(self) -> i64 {
        self.min
    }

    /// The largest number handed out.
    pub fn max(self) -> i64 {
        self.max
    }

    /// How many numbers the range holds (at most 2^54 - 1, so it always fits).
    pub fn size(self) -> u64 {
        self.max.abs_diff(self.min).saturating_add(1)
    }

    /// Whether `n` lies in the range.
    pub fn contains(self, n: i64) -> bool {
        self.min <= n && n <= self.max
    }
}

/// Whether `n` is a safe JS integer.
pub fn is_safe(n: i64) -> bool {
    (-MAX_SAFE..=MAX_SAFE).contains(&n)
}

/// Consecutive numbers `first, first + 1, ...` that also stand consecutively in the queue.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Run {
    first: i64,
    /// The queue position (ticket sequence number) of `first`; later numbers of the run have
    /// the following sequence numbers. Never negative; signed only so that every index map
    /// has the same key and value types (one copy of the map code in the wasm, not three).
    first_seq: i64,
    len: u64,
}

/// A set of numbers as maximal intervals (start..=end), with the highest interval held apart
/// from the map: in-order taking grows it at the top and in-order serving shrinks it at the
/// bottom, so the common operations cost no map operation. Every other interval is in
/// `below`, lower than `top` and never adjacent to another.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
struct Intervals {
    below: BTreeMap<i64, i64>,
    top: Option<(i64, i64)>,
}

// Numbers are safe integers, so n - 1 and n + 1 never overflow; saturating ops say so.
impl Intervals {
    /// The interval holding `n`.
    fn find(&self, n: i64) -> Option<(i64, i64)> {
        let (top_start, top_end) = self.top?;
        if n > top_end {
            return None;
        }
        if n >= top_start {
            return Some((top_start, top_end));
        }
        let (&start, &end) = self.below.range(..=n).next_back()?;
        (n <= end).then_some((start, end))
    }

    fn lowest(&self) -> Option<(i64, i64)> {
        self.below
            .first_key_value()
            .map(|(&start, &end)| (start, end))
            .or(self.top)
    }

    fn highest(&self) -> Option<i64> {
        self.top.map(|(_, end)| end)
    }

    /// How many intervals there are (what memory grows with).
    fn entries(&self) -> usize {
        self.below
            .len()
            .saturating_add(usize::from(self.top.is_some()))
    }

    /// Adds `n`, which is not in the set.
    fn insert(&mut self, n: i64) {
        let Some((top_start, top_end)) = self.top else {
            self.top = Some((n, n));
            return;
        };
        if n == top_end.saturating_add(1) {
            self.top = Some((top_start, n));
            return;
        }
        if n > top_end {
            self.below.insert(top_start, top_end);
            self.top = Some((n, n));
            return;
        }
        // Below the top interval: join the neighbours it touches.
        let joined_below = self
            .below
            .range(..n)
            .next_back()
            .filter(|&(_, &end)| end.saturating_add(1) == n)
            .map(|(&start, _)| start);
        let start = joined_below.unwrap_or(n);
        if n.saturating_add(1) == top_start {
            if joined_below.is_some() {
                self.below.remove(&start);
            }
            self.top = Some((start, top_end));
        } else {
            let end = self.below.remove(&n.saturating_add(1)).unwrap_or(n);
            self.below.insert(start, end);
        }
    }

    /// Removes `n`, which is in the set.
    fn remove(&mut self, n: i64) {
        let Some((start, end)) = self.find(n) else {
            return;
        };
        if self.top == Some((start, end)) {
            self.top = if start == end {
                self.below.pop_last()
            } else if n == start {
                Some((n.saturating_add(1), end))
            } else {
                if n < end {
                    self.below.insert(start, n.saturating_sub(1));
                    Some((n.saturating_add(1), end))
                } else {
                    Some((start, n.saturating_sub(1)))
                }
            };
            return;
        }
        self.below.remove(&start);
        if start < n {
            self.below.insert(start, n.saturating_sub(1));
        }
        if n < end {
            self.below.insert(n.saturating_add(1), end);
        }
    }
}

/// The queue of one machine: the numbers handed out and not yet served, front first.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Tickets {
    range: Range,
    /// Runs in queue order. The key is the sequence number the run started with; serving from
    /// its front leaves the key alone, which still sorts correctly because sequence numbers
    /// are never reused.
    runs: BTreeMap<i64, Run>,
    /// First number -> key in `runs`, for every run but the last one in queue order (the
    /// tail): taking extends the tail and, when it is the only run, serving shrinks it, so
    /// keeping it out of this map spares the common cases two map operations each.
    run_starts: BTreeMap<i64, i64>,
    /// Queued numbers as maximal intervals.
    taken: Intervals,
    len: u64,
    next_seq: i64,
}

impl Tickets {
    /// An empty queue for `range`.
    pub fn new(range: Range) -> Tickets {
        Tickets {
            range,
            runs: BTreeMap::new(),
            run_starts: BTreeMap::new(),
            taken: Intervals::default(),
            len: 0,
            next_seq: 0,
        }
    }

    /// Restores a queue from `numbers` (front first): all in range and no duplicates, or
    /// nothing is built.
    pub fn from_queue(
        range: Range,
        numbers: impl IntoIterator<Item = i64>,
    ) -> Result<Tickets, InvalidConfiguration> {
        let mut tickets = Tickets::new(range);
        for n in numbers {
            if !range.contains(n) || tickets.contains(n) {
                return Err(InvalidConfiguration);
            }
            tickets.push_back(n);
        }
        Ok(tickets)
    }

    /// The range this queue draws from.
    pub fn range(&self) -> Range {
        self.range
    }

    /// How many numbers are queued.
    pub fn len(&self) -> u64 {
        self.len
    }

    /// Whether nobody is queued.
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// The queued numbers, front first.
    pub fn iter(&self) -> impl Iterator<Item = i64> + '_ {
        self.runs
            .values()
            .flat_map(|run| (0..run.len).map(move |i| run.first.saturating_add_unsigned(i)))
    }

    /// Whether `n` is queued.
    pub fn contains(&self, n: i64) -> bool {
        self.taken.find(n).is_some()
    }

    /// Hands out the next number and queues it (the reference's `queue_new_number`).
    pub fn take(&mut self) -> Result<i64, TicketError> {
        let n = self.next_number()?;
        self.push_back(n);
        Ok(n)
    }

    /// Serves the front of the queue, or `priority` out of order when given.
    pub fn serve(&mut self, priority: Option<i64>) -> Result<i64, TicketError> {
        let first = match self.runs.first_key_value() {
            None => return Err(TicketError::EmptyQueue),
            Some((_, run)) => run.first,
        };
        match priority {
            None => {
                self.pop_front();
                Ok(first)
            }
            Some(p) if self.contains(p) => {
                self.remove(p);
                Ok(p)
            }
            Some(_) => Err(TicketError::PriorityNumberNotFound),
        }
    }

    /// Serving in order, the common case, shrinks the front run in place: its key in `runs`
    /// stays valid (keys only order runs), so only the number indexes change.
    fn pop_front(&mut self) {
        let indexed = self.runs.len() > 1; // the front run is not the tail
        let Some(mut front) = self.runs.first_entry() else {
            return;
        };
        let run = *front.get();
        let key = *front.key();
        let n = run.first;
        if run.len > 1 {
            let rest = front.get_mut();
            // len > 1: the run goes on past n, within the safe range.
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
        self.taken.remove(n);
        self.len = self.len.saturating_sub(1);
    }

    /// Empties the queue; the range stays.
    pub fn reset(&mut self) {
        *self = Tickets::new(self.range);
    }

    /// The number the reference would hand out next, without handing it out.
    fn next_number(&self) -> Result<i64, TicketError> {
        let (Some((lowest_start, lowest_end)), Some(highest)) =
            (self.taken.lowest(), self.taken.highest())
        else {
            return Ok(self.range.min);
        };
        if self.len >= self.range.size() {
            return Err(TicketError::AllPossibleNumbersAreInUse);
        }
        if highest < self.range.max {
            // highest < max <= MAX_SAFE: no overflow.
            return Ok(highest.saturating_add(1));
        }
        // Wrap around: the smallest free number. The intervals are maximal, so the first gap
        // is either below the lowest interval or right after it (which is below max, since
        // the queue is not full).
        if lowest_start > self.range.min {
            return Ok(self.range.min);
        }
        Ok(lowest_end.saturating_add(1))
    }

    fn push_back(&mut self, n: i64) {
        let seq = self.allocate_seq();
        let tail = self.runs.last_entry();
        let extended = tail.is_some_and(|mut tail| {
            let run = tail.get_mut();
            let follows = run.first.checked_add_unsigned(run.len) == Some(n)
                && run.first_seq.checked_add_unsigned(run.len) == Some(seq);
            if follows {
                run.len = run.len.saturating_add(1);
            }
            follows
        });
        if !extended {
            // The old tail is a tail no more: index it.
            if let Some((&key, old_tail)) = self.runs.last_key_value() {
                self.run_starts.insert(old_tail.first, key);
            }
            self.runs.insert(
                seq,
                Run {
                    first: n,
                    first_seq: seq,
                    len: 1,
                },
            );
        }
        self.taken.insert(n);
        // At most the range size (< 2^54): no overflow.
        self.len = self.len.saturating_add(1);
    }

    /// The run holding the queued number `n`: (its key, the run, n's offset in it).
    fn run_holding(&self, n: i64) -> Option<(i64, Run, u64)> {
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

    /// Removes the queued number `n` (the caller has checked that it is queued).
    fn remove(&mut self, n: i64) {
        let Some((key, run, offset)) = self.run_holding(n) else {
            return;
        };
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
        // this run's key and the next run's, so queue order is kept. It is the tail if the
        // run was.
        if after > 0 {
            // Inside the run's own sequence and number spans, which exist: no overflow.
            let first_seq = run
                .first_seq
                .saturating_add_unsigned(offset)
                .saturating_add(1);
            let first = n.saturating_add(1);
            self.runs.insert(
                first_seq,
                Run {
                    first,
                    first_seq,
                    len: after,
                },
            );
            if !was_tail {
                self.run_starts.insert(first, first_seq);
            }
        }
        self.taken.remove(n);
        self.len = self.len.saturating_sub(1);
    }

    /// The next ticket sequence number. Sequence numbers only order the queue, so when the
    /// counter would overflow (after 2^63 tickets) the queue is renumbered from zero.
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
        for run in old.into_values() {
            self.runs.insert(
                seq,
                Run {
                    first_seq: seq,
                    ..run
                },
            );
            self.run_starts.insert(run.first, seq);
            seq = seq.saturating_add_unsigned(run.len);
        }
        // The tail stays out of the index.
        if let Some((_, tail)) = self.runs.last_key_value() {
            self.run_starts.remove(&tail.first);
        }
        self.next_seq = seq;
    }

    /// How many index entries the queue holds (runs, run starts, intervals): what its memory
    /// grows with.
    pub fn index_entries(&self) -> usize {
        self.runs
            .len()
            .saturating_add(self.run_starts.len())
            .saturating_add(self.taken.entries())
    }

    /// Checks the indexes against each other (for tests and the fuzzer): every run but the
    /// tail indexed by its first number, and the intervals exactly the queued numbers.
    #[cfg(any(test, feature = "model"))]
    pub fn check_invariants(&self) -> Result<(), String> {
        let non_tail = self.runs.len().saturating_sub(1);
        let expected: BTreeMap<i64, i64> = self
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
        let mut rebuilt = Intervals::default();
        let mut numbers: Vec<i64> = self.iter().collect();
        numbers.sort_unstable();
        for n in numbers {
            rebuilt.insert(n);
        }
        if rebuilt != self.taken {
            return Err(format!("intervals {:?}, expected {rebuilt:?}", self.taken));
        }
        Ok(())
    }

    /// Test hook: moves the sequence counter close to overflow.
    #[cfg(all(test, not(target_arch = "wasm32")))]
    fn set_next_seq(&mut self, seq: i64) {
        if self.is_empty() {
            self.next_seq = seq;
        }
    }
}

#[cfg(any(test, feature = "model"))]
#[allow(
    clippy::arithmetic_side_effects,
    reason = "a test yardstick, written like the reference"
)]
pub mod model;

// Native only: the property tests use proptest, which is not built for wasm.
#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests;
