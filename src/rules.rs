//! The ticket rules: which number a customer gets, which number staff serve.
//!
//! Plain Rust with no wasm dependency, so native tests and property tests run it directly.
//!
//! Two layers of rules share one state, [`Tickets`]:
//!
//! * **The exercise's**: take a number, serve the front or a priority number, reset. They stay
//!   exactly as the reference has them (the property tests hold them against a port of it).
//! * **A facility's** (see [`Policy`]): tickets carry a *group* and the department serves its
//!   groups in strict order or by a ratio that never starves one ([`Order`]); a counter *calls*
//!   a ticket and keeps it until it is finished, a no-show (after a set number of calls), parked
//!   and recalled to the same counter, or transferred to another department, which places it at
//!   its back or by the time it was first taken.
//!
//! The reference keeps the queue as a list and scans the whole list (and the whole range) to
//! pick the next number. A kiosk range can be as wide as the safe JS integers, so this one keeps
//! ordered indexes instead, each holding one entry per *run* of consecutive numbers rather than
//! per number where it can:
//!
//! * one [`line`](line::Line) per group: the waiting tickets in order, as runs (a million
//!   tickets taken in one go are one entry);
//! * `taken`: the numbers in use in the range as maximal intervals, regardless of order, which
//!   answers "highest number in use" and "smallest free number" in one lookup;
//! * the tickets at counters and parked ones, by number (a handful).
//!
//! Every operation is O(g + log r) for g groups (at most [`MAX_GROUPS`]) and r entries (at most
//! the number of tickets), and memory is O(r): taking highest + 1 and serving in order, the
//! common cases, touch one entry of one line and nothing else.

mod line;
mod order;

use line::Line;
pub use line::Waiting;
use order::Credits;
pub use order::{Order, MAX_GROUPS, MAX_WEIGHT};
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
    /// A group the department does not have.
    UnknownGroup,
    /// A counter action while the counter serves nobody.
    CounterIdle,
    /// Recalling a number that is not parked.
    NotParked,
    /// Transferring a number that is neither waiting, at a counter nor parked.
    TicketNotFound,
    /// Transferring in a number the department already has in use.
    NumberInUse,
    /// A no-show before the ticket has been called as many times as the department asks.
    TooFewCalls,
}

impl TicketError {
    /// The stable error code, as the reference names it and as JS callers see it.
    pub fn code(self) -> &'static str {
        match self {
            TicketError::AllPossibleNumbersAreInUse => "all_possible_numbers_are_in_use",
            TicketError::EmptyQueue => "empty_queue",
            TicketError::PriorityNumberNotFound => "priority_number_not_found",
            TicketError::UnknownGroup => "unknown_group",
            TicketError::CounterIdle => "counter_idle",
            TicketError::NotParked => "not_parked",
            TicketError::TicketNotFound => "ticket_not_found",
            TicketError::NumberInUse => "number_in_use",
            TicketError::TooFewCalls => "too_few_calls",
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
            TicketError::UnknownGroup => "the department has no such group",
            TicketError::CounterIdle => "that counter is serving nobody",
            TicketError::NotParked => "that number is not parked",
            TicketError::TicketNotFound => {
                "that number is not waiting, at a counter or parked here"
            }
            TicketError::NumberInUse => "that number is already in use in this department",
            TicketError::TooFewCalls => "the ticket has not been called enough times for a no-show",
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

/// How a department runs its queue beyond the exercise: its groups and their order, where a
/// transferred ticket is placed, and how many calls come before a no-show. The default is the
/// exercise's: one group, no transfers placed by time, a no-show after the first call.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Policy {
    /// How many groups tickets may carry (1 to [`MAX_GROUPS`]); group 0 is the default.
    pub groups: usize,
    /// Which group is served next.
    pub order: Order,
    /// Where a ticket transferred in joins its line.
    pub placement: Placement,
    /// How many times a ticket must have been called before it may be marked a no-show (at
    /// least 1).
    pub calls_before_no_show: u32,
}

impl Default for Policy {
    fn default() -> Policy {
        Policy {
            groups: 1,
            order: Order::Strict,
            placement: Placement::Back,
            calls_before_no_show: 1,
        }
    }
}

impl Policy {
    /// Whether this is a policy a department can run.
    pub fn is_valid(&self) -> bool {
        self.order.fits(self.groups) && self.calls_before_no_show >= 1
    }
}

/// Where a ticket transferred in joins its group's line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Placement {
    /// At the back, as if taken now.
    Back,
    /// By the time it was first taken: ahead of everyone who took a number after it.
    ByTaken,
}

/// A ticket at a counter, or parked for one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Held {
    /// The ticket's number.
    pub number: i64,
    /// Its group.
    pub group: usize,
    /// When it was first taken.
    pub taken: i64,
    /// The counter serving it (or that parked it and will recall it).
    pub counter: String,
    /// How many times it has been called at that counter.
    pub calls: u32,
}

/// Which waiting ticket a counter calls.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Pick {
    /// The next one in the department's order.
    Next,
    /// The front of this group.
    Group(usize),
    /// This number, out of order.
    Number(i64),
}

/// What a call did: the ticket now at the counter, and the one it had before, which the call
/// finished.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Called {
    /// The ticket called.
    pub ticket: Held,
    /// The ticket the counter was serving until this call.
    pub finished: Option<i64>,
}

/// A ticket taken out of a department by a transfer: what the other department needs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Moved {
    /// Its number, which it keeps.
    pub number: i64,
    /// Its group here.
    pub group: usize,
    /// When it was first taken.
    pub taken: i64,
}

/// A whole department's state in plain values, to save and restore it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Saved {
    /// Each group's line, front first.
    pub lines: Vec<Vec<Waiting>>,
    /// The tickets at counters.
    pub serving: Vec<Held>,
    /// The parked tickets.
    pub parked: Vec<Held>,
    /// The ratio order's credits (empty for a strict order).
    pub credits: Vec<i64>,
    /// The latest time an operation was stamped with.
    pub now: i64,
}

/// A department's lines, the first held in place: most departments have one group, and a
/// machine that allocates nothing more than the exercise's keeps a page of many machines small.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
struct Lines {
    first: Line,
    rest: Vec<Line>,
}

impl Lines {
    /// `count` empty lines (at least one).
    fn new(count: usize) -> Lines {
        let rest = (1..count).map(|_| Line::default()).collect();
        Lines {
            first: Line::default(),
            rest,
        }
    }

    fn len(&self) -> usize {
        self.rest.len().saturating_add(1)
    }

    fn get(&self, group: usize) -> Option<&Line> {
        match group.checked_sub(1) {
            None => Some(&self.first),
            Some(i) => self.rest.get(i),
        }
    }

    fn get_mut(&mut self, group: usize) -> Option<&mut Line> {
        match group.checked_sub(1) {
            None => Some(&mut self.first),
            Some(i) => self.rest.get_mut(i),
        }
    }

    fn iter(&self) -> impl Iterator<Item = &Line> + '_ {
        std::iter::once(&self.first).chain(self.rest.iter())
    }

    #[cfg(all(test, not(target_arch = "wasm32")))]
    fn first_mut(&mut self) -> Option<&mut Line> {
        Some(&mut self.first)
    }
}

/// Tickets at counters or parked, by number: a handful (one per counter, and those set aside
/// for a moment), so a sorted list serves as well as a map and keeps the wasm free of another
/// copy of the map code.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
struct HeldList(Vec<Held>);

impl HeldList {
    fn position(&self, n: i64) -> Result<usize, usize> {
        self.0.binary_search_by_key(&n, |held| held.number)
    }

    fn get(&self, n: i64) -> Option<&Held> {
        self.0.get(self.position(n).ok()?)
    }

    fn get_mut(&mut self, n: i64) -> Option<&mut Held> {
        let at = self.position(n).ok()?;
        self.0.get_mut(at)
    }

    /// Adds `held`, whose number is not in the list.
    fn insert(&mut self, held: Held) {
        if let Err(at) = self.position(held.number) {
            self.0.insert(at, held);
        }
    }

    fn remove(&mut self, n: i64) -> Option<Held> {
        let at = self.position(n).ok()?;
        Some(self.0.remove(at))
    }

    fn values(&self) -> std::slice::Iter<'_, Held> {
        self.0.iter()
    }

    fn len(&self) -> usize {
        self.0.len()
    }
}

/// The tickets of one department: the waiting lines, one per group, the tickets at counters
/// and the parked ones, and which numbers are free to hand out.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Tickets {
    range: Range,
    policy: Policy,
    /// One line per group; group 0 is the exercise's queue.
    lines: Lines,
    /// The numbers in use (waiting, at a counter or parked) that lie in the range, as maximal
    /// intervals: what `take` hands out around.
    taken: Intervals,
    /// The numbers in use outside the range: tickets transferred in from another department
    /// (the same index type as `taken`, so the wasm carries one copy of its map code).
    outside: Intervals,
    /// How many of the range's numbers are in use.
    used: u64,
    /// Tickets at counters, by number. A counter's ticket is found by scanning them: there is
    /// one per counter, and counters are a facility's desks (a handful), so that costs less than
    /// a second index would cost in code size.
    serving: HeldList,
    parked: HeldList,
    credits: Credits,
    /// The latest stamp: tickets taken now stand after every ticket already waiting.
    now: i64,
}

impl Tickets {
    /// An empty queue for `range`, run as the exercise runs it.
    pub fn new(range: Range) -> Tickets {
        Tickets::empty(range, Policy::default())
    }

    /// An empty queue for `range` run by `policy`.
    pub fn with_policy(range: Range, policy: Policy) -> Result<Tickets, InvalidConfiguration> {
        if !policy.is_valid() {
            return Err(InvalidConfiguration);
        }
        Ok(Tickets::empty(range, policy))
    }

    fn empty(range: Range, policy: Policy) -> Tickets {
        Tickets {
            range,
            lines: Lines::new(policy.groups),
            policy,
            taken: Intervals::default(),
            outside: Intervals::default(),
            used: 0,
            serving: HeldList::default(),
            parked: HeldList::default(),
            credits: Credits::default(),
            now: 0,
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
            tickets.restore_waiting(n)?;
        }
        Ok(tickets)
    }

    /// Queues `n` at the back of the first group, as a restored exercise queue does: it must
    /// lie in the range and not be in use.
    pub fn restore_waiting(&mut self, n: i64) -> Result<(), InvalidConfiguration> {
        if !self.range.contains(n) || self.in_use(n) {
            return Err(InvalidConfiguration);
        }
        let stamp = self.now;
        self.add_waiting(
            0,
            Waiting {
                number: n,
                stamp,
                taken: stamp,
            },
        );
        Ok(())
    }

    /// Restores a whole department saved by [`Tickets::save`], under `policy` (which may have
    /// more groups than the saved one). Every number a safe integer used once, every line in
    /// time order, every group and counter known and used once, every credit reachable: or
    /// nothing is built.
    pub fn restore(
        range: Range,
        policy: Policy,
        saved: Saved,
    ) -> Result<Tickets, InvalidConfiguration> {
        let mut tickets = Tickets::with_policy(range, policy)?;
        if saved.lines.len() > tickets.lines.len() || !is_safe(saved.now) {
            return Err(InvalidConfiguration);
        }
        let credits = Credits(saved.credits);
        if !credits.valid_for(&tickets.policy.order) {
            return Err(InvalidConfiguration);
        }
        tickets.credits = credits;
        for (group, line) in saved.lines.into_iter().enumerate() {
            let mut last = i64::MIN;
            for ticket in line {
                let fine = is_safe(ticket.number)
                    && is_safe(ticket.stamp)
                    && is_safe(ticket.taken)
                    && ticket.stamp >= last
                    && ticket.stamp <= saved.now
                    && !tickets.in_use(ticket.number);
                if !fine {
                    return Err(InvalidConfiguration);
                }
                last = ticket.stamp;
                tickets.add_waiting(group, ticket);
            }
        }
        for (held, parked) in saved
            .serving
            .into_iter()
            .map(|h| (h, false))
            .chain(saved.parked.into_iter().map(|h| (h, true)))
        {
            let fine = is_safe(held.number)
                && is_safe(held.taken)
                && held.group < tickets.lines.len()
                && held.calls >= 1
                && !tickets.in_use(held.number)
                && (parked || tickets.counter_ticket(&held.counter).is_none());
            if !fine {
                return Err(InvalidConfiguration);
            }
            tickets.mark_used(held.number);
            if parked {
                tickets.parked.insert(held);
            } else {
                tickets.serving.insert(held);
            }
        }
        tickets.now = saved.now;
        Ok(tickets)
    }

    /// The whole state in plain values, for [`Tickets::restore`].
    pub fn save(&self) -> Saved {
        Saved {
            lines: self
                .lines
                .iter()
                .map(|line| line.iter().collect())
                .collect(),
            ..self.save_counters()
        }
    }

    /// Everything [`Tickets::save`] holds but the lines (a report lists them its own way).
    pub fn save_counters(&self) -> Saved {
        Saved {
            lines: Vec::new(),
            serving: self.serving.values().cloned().collect(),
            parked: self.parked.values().cloned().collect(),
            credits: self.credits.0.clone(),
            now: self.now,
        }
    }

    /// The range this queue draws from.
    pub fn range(&self) -> Range {
        self.range
    }

    /// How this department runs its queue.
    pub fn policy(&self) -> &Policy {
        &self.policy
    }

    /// How many tickets wait, in every group.
    pub fn len(&self) -> u64 {
        self.lines.iter().map(Line::len).sum()
    }

    /// Whether nobody waits.
    pub fn is_empty(&self) -> bool {
        self.lines.iter().all(Line::is_empty)
    }

    /// How many tickets wait in `group`.
    pub fn waiting_in(&self, group: usize) -> u64 {
        self.lines.get(group).map_or(0, Line::len)
    }

    /// The waiting numbers, in the order they joined (by stamp; one group's line is its serve
    /// order).
    pub fn iter(&self) -> impl Iterator<Item = i64> + '_ {
        self.waiting().map(|(_, ticket)| ticket.number)
    }

    /// The waiting tickets with their groups, in the order they joined.
    pub fn waiting(&self) -> impl Iterator<Item = (usize, Waiting)> + '_ {
        let mut heads: Vec<_> = self
            .lines
            .iter()
            .map(|line| line.keyed().peekable())
            .collect();
        std::iter::from_fn(move || {
            let mut best: Option<(usize, (i64, i64))> = None;
            for (group, head) in heads.iter_mut().enumerate() {
                if let Some(&(key, _)) = head.peek() {
                    if best.is_none_or(|(_, b)| key < b) {
                        best = Some((group, key));
                    }
                }
            }
            let (group, _) = best?;
            let (_, ticket) = heads.get_mut(group)?.next()?;
            Some((group, ticket))
        })
    }

    /// Group `group`'s line, front first.
    pub fn line(&self, group: usize) -> impl Iterator<Item = Waiting> + '_ {
        self.lines.get(group).into_iter().flat_map(Line::iter)
    }

    /// The tickets at counters, by number.
    pub fn serving(&self) -> impl Iterator<Item = &Held> + '_ {
        self.serving.values()
    }

    /// The parked tickets, by number.
    pub fn parked(&self) -> impl Iterator<Item = &Held> + '_ {
        self.parked.values()
    }

    /// The ticket counter `counter` is serving.
    pub fn at_counter(&self, counter: &str) -> Option<&Held> {
        self.serving.get(self.counter_ticket(counter)?)
    }

    /// The group the next call will serve, if anyone waits.
    pub fn next_group(&self) -> Option<usize> {
        self.credits
            .pick(&self.policy.order, |g| self.has_waiting(g))
    }

    /// The latest stamp any operation carried.
    pub fn now(&self) -> i64 {
        self.now
    }

    /// Whether `n` is waiting.
    pub fn contains(&self, n: i64) -> bool {
        self.in_use(n) && self.serving.get(n).is_none() && self.parked.get(n).is_none()
    }

    /// Whether `n` is waiting, at a counter or parked: a number `take` will not hand out.
    pub fn in_use(&self, n: i64) -> bool {
        if self.range.contains(n) {
            self.taken.find(n).is_some()
        } else {
            self.outside.find(n).is_some()
        }
    }

    /// Hands out the next number and queues it (the reference's `queue_new_number`), in group 0
    /// at the latest stamp.
    pub fn take(&mut self) -> Result<i64, TicketError> {
        self.take_in(0, self.now)
    }

    /// Hands out the next number and queues it at the back of `group`, taken at time `at` (an
    /// earlier time than the latest stamp counts as the latest: a line never goes back in time).
    pub fn take_in(&mut self, group: usize, at: i64) -> Result<i64, TicketError> {
        if group >= self.lines.len() {
            return Err(TicketError::UnknownGroup);
        }
        let n = self.next_number()?;
        self.advance(at);
        let stamp = self.now;
        self.add_waiting(
            group,
            Waiting {
                number: n,
                stamp,
                taken: stamp,
            },
        );
        Ok(n)
    }

    /// Serves the next ticket in the department's order, or `priority` out of order when given:
    /// the exercise's `serve_next_queued_number`. The ticket leaves the department at once.
    pub fn serve(&mut self, priority: Option<i64>) -> Result<i64, TicketError> {
        let pick = priority.map_or(Pick::Next, Pick::Number);
        let (group, n) = self.choose(pick)?;
        self.book(group);
        self.remove_waiting(group, n);
        self.release(n);
        Ok(n)
    }

    /// Calls a waiting ticket to `counter`, which keeps it until it is finished, marked a
    /// no-show, parked, transferred or replaced by the counter's next call (which finishes it).
    pub fn call(&mut self, counter: &str, pick: Pick) -> Result<Called, TicketError> {
        let (group, n) = self.choose(pick)?;
        self.book(group);
        let taken = self
            .remove_waiting(group, n)
            .map_or(self.now, |ticket| ticket.taken);
        let held = Held {
            number: n,
            group,
            taken,
            counter: counter.to_owned(),
            calls: 1,
        };
        // Free the counter first: its old ticket's number may be the new one's neighbour.
        let finished = self.end_at(counter).map(|old| old.number);
        self.seat(held.clone());
        Ok(Called {
            ticket: held,
            finished,
        })
    }

    /// Calls counter `counter`'s ticket once more (the customer did not come yet).
    pub fn recall(&mut self, counter: &str) -> Result<Held, TicketError> {
        let n = self
            .counter_ticket(counter)
            .ok_or(TicketError::CounterIdle)?;
        let held = self.serving.get_mut(n).ok_or(TicketError::CounterIdle)?;
        held.calls = held.calls.saturating_add(1);
        Ok(held.clone())
    }

    /// Ends counter `counter`'s ticket as served.
    pub fn finish(&mut self, counter: &str) -> Result<Held, TicketError> {
        self.end_at(counter).ok_or(TicketError::CounterIdle)
    }

    /// Ends counter `counter`'s ticket as a no-show: only once it has been called as many times
    /// as the policy asks.
    pub fn no_show(&mut self, counter: &str) -> Result<Held, TicketError> {
        let held = self.at_counter(counter).ok_or(TicketError::CounterIdle)?;
        if held.calls < self.policy.calls_before_no_show {
            return Err(TicketError::TooFewCalls);
        }
        self.end_at(counter).ok_or(TicketError::CounterIdle)
    }

    /// Sets counter `counter`'s ticket aside (the customer went to fetch something): it keeps
    /// its number and comes back to this counter with [`Tickets::unpark`].
    pub fn park(&mut self, counter: &str) -> Result<Held, TicketError> {
        let n = self
            .counter_ticket(counter)
            .ok_or(TicketError::CounterIdle)?;
        let held = self.serving.remove(n).ok_or(TicketError::CounterIdle)?;
        self.parked.insert(held.clone());
        Ok(held)
    }

    /// Calls parked ticket `n` back to the counter that parked it (finishing whatever that
    /// counter serves now).
    pub fn unpark(&mut self, n: i64) -> Result<Called, TicketError> {
        let mut held = self.parked.remove(n).ok_or(TicketError::NotParked)?;
        held.calls = 1;
        let finished = self.end_at(&held.counter).map(|old| old.number);
        self.serving.insert(held.clone());
        Ok(Called {
            ticket: held,
            finished,
        })
    }

    /// Takes ticket `n` (waiting, at a counter or parked) out of this department, for another
    /// one's [`Tickets::transfer_in`]. Its number is free here from now on.
    pub fn transfer_out(&mut self, n: i64) -> Result<Moved, TicketError> {
        let moved = if let Some(held) = self.parked.remove(n) {
            Moved {
                number: n,
                group: held.group,
                taken: held.taken,
            }
        } else if let Some(held) = self.serving.remove(n) {
            Moved {
                number: n,
                group: held.group,
                taken: held.taken,
            }
        } else {
            let group = self.group_of(n).ok_or(TicketError::TicketNotFound)?;
            let ticket = self
                .remove_waiting(group, n)
                .ok_or(TicketError::TicketNotFound)?;
            Moved {
                number: n,
                group,
                taken: ticket.taken,
            }
        };
        self.release(n);
        Ok(moved)
    }

    /// Queues ticket `moved` from another department in `group` at time `at`, where the policy
    /// places it: at the back, or by the time it was first taken. It keeps its number, which
    /// must not be in use here (and, inside this range, is not handed out while it waits).
    pub fn transfer_in(&mut self, moved: Moved, at: i64) -> Result<(), TicketError> {
        if moved.group >= self.lines.len() {
            return Err(TicketError::UnknownGroup);
        }
        if !is_safe(moved.number) || !is_safe(moved.taken) || self.in_use(moved.number) {
            return Err(TicketError::NumberInUse);
        }
        self.advance(at);
        let stamp = match self.policy.placement {
            Placement::Back => self.now,
            Placement::ByTaken => moved.taken.min(self.now),
        };
        let ticket = Waiting {
            number: moved.number,
            stamp,
            taken: moved.taken,
        };
        self.add_waiting(moved.group, ticket);
        Ok(())
    }

    /// Empties the department: waiting, at counters and parked; the range and policy stay.
    pub fn reset(&mut self) {
        *self = Tickets::empty(self.range, self.policy.clone());
    }

    /// The group and number `pick` names, or why there is none (an empty department first, as
    /// the exercise reports it). Changes nothing.
    fn choose(&self, pick: Pick) -> Result<(usize, i64), TicketError> {
        if matches!(pick, Pick::Group(group) if group >= self.lines.len()) {
            return Err(TicketError::UnknownGroup);
        }
        if self.is_empty() {
            return Err(TicketError::EmptyQueue);
        }
        let front = |group: usize| {
            let ticket = self.lines.get(group).and_then(Line::front);
            ticket
                .map(|t| (group, t.number))
                .ok_or(TicketError::EmptyQueue)
        };
        match pick {
            Pick::Next => front(self.next_group().ok_or(TicketError::EmptyQueue)?),
            Pick::Group(group) => front(group),
            Pick::Number(n) => {
                let group = self
                    .group_of(n)
                    .ok_or(TicketError::PriorityNumberNotFound)?;
                Ok((group, n))
            }
        }
    }

    /// Books a call of `group` in the ratio order, before its ticket leaves the line.
    fn book(&mut self, group: usize) {
        let lines = &self.lines;
        self.credits.pay(&self.policy.order, group, |g| {
            lines.get(g).is_some_and(|l| !l.is_empty())
        });
    }

    fn has_waiting(&self, group: usize) -> bool {
        self.lines.get(group).is_some_and(|line| !line.is_empty())
    }

    /// The group whose line holds waiting ticket `n`.
    fn group_of(&self, n: i64) -> Option<usize> {
        if !self.contains(n) {
            return None;
        }
        self.lines.iter().position(|line| line.holds(n))
    }

    fn advance(&mut self, at: i64) {
        if is_safe(at) {
            self.now = self.now.max(at);
        }
    }

    fn add_waiting(&mut self, group: usize, ticket: Waiting) {
        if let Some(line) = self.lines.get_mut(group) {
            line.insert(ticket);
            self.mark_used(ticket.number);
        }
    }

    fn remove_waiting(&mut self, group: usize, n: i64) -> Option<Waiting> {
        let line = self.lines.get_mut(group)?;
        // The front is the common case: serving in order costs no search.
        if line.front().is_some_and(|front| front.number == n) {
            line.pop_front()
        } else {
            line.remove(n)
        }
    }

    fn seat(&mut self, held: Held) {
        self.serving.insert(held);
    }

    /// The number `counter` serves.
    fn counter_ticket(&self, counter: &str) -> Option<i64> {
        let held = self.serving.values().find(|held| held.counter == counter)?;
        Some(held.number)
    }

    /// Ends whatever `counter` serves, freeing its number.
    fn end_at(&mut self, counter: &str) -> Option<Held> {
        let n = self.counter_ticket(counter)?;
        let held = self.serving.remove(n)?;
        self.release(n);
        Some(held)
    }

    fn mark_used(&mut self, n: i64) {
        if self.range.contains(n) {
            self.taken.insert(n);
            // At most the range size (< 2^54): no overflow.
            self.used = self.used.saturating_add(1);
        } else {
            self.outside.insert(n);
        }
    }

    fn release(&mut self, n: i64) {
        if self.range.contains(n) {
            self.taken.remove(n);
            self.used = self.used.saturating_sub(1);
        } else {
            self.outside.remove(n);
        }
    }

    /// The number the reference would hand out next, without handing it out.
    fn next_number(&self) -> Result<i64, TicketError> {
        let (Some((lowest_start, lowest_end)), Some(highest)) =
            (self.taken.lowest(), self.taken.highest())
        else {
            return Ok(self.range.min);
        };
        if self.used >= self.range.size() {
            return Err(TicketError::AllPossibleNumbersAreInUse);
        }
        if highest < self.range.max {
            // highest < max <= MAX_SAFE: no overflow.
            return Ok(highest.saturating_add(1));
        }
        // Wrap around: the smallest free number. The intervals are maximal, so the first gap
        // is either below the lowest interval or right after it (which is below max, since
        // the range is not full).
        if lowest_start > self.range.min {
            return Ok(self.range.min);
        }
        Ok(lowest_end.saturating_add(1))
    }

    /// How many index entries the department holds (runs, run starts, intervals, tickets at
    /// counters and parked): what its memory grows with.
    pub fn index_entries(&self) -> usize {
        self.lines
            .iter()
            .map(Line::index_entries)
            .fold(self.taken.entries(), usize::saturating_add)
            .saturating_add(self.outside.entries())
            .saturating_add(self.serving.len())
            .saturating_add(self.parked.len())
    }

    /// Checks the indexes against each other (for tests and the fuzzer): each line's run index,
    /// the intervals exactly the in-range numbers in use, each number used once, the counters
    /// and the tickets at them in step.
    #[cfg(any(test, feature = "model"))]
    pub fn check_invariants(&self) -> Result<(), String> {
        for line in self.lines.iter() {
            line.check_invariants()?;
        }
        let mut numbers: Vec<i64> = self
            .lines
            .iter()
            .flat_map(|l| l.iter().map(|t| t.number))
            .collect();
        numbers.extend(self.serving.values().map(|h| h.number));
        numbers.extend(self.parked.values().map(|h| h.number));
        numbers.sort_unstable();
        if numbers.windows(2).any(|w| w.first() == w.last()) {
            return Err(format!("a number used twice: {numbers:?}"));
        }
        let mut rebuilt = Intervals::default();
        let mut outside = Intervals::default();
        for &n in &numbers {
            if self.range.contains(n) {
                rebuilt.insert(n);
            } else {
                outside.insert(n);
            }
        }
        if rebuilt != self.taken || outside != self.outside {
            return Err(format!("intervals {:?}, expected {rebuilt:?}", self.taken));
        }
        let in_range = numbers.iter().filter(|&&n| self.range.contains(n)).count();
        if u64::try_from(in_range).ok() != Some(self.used) {
            return Err(format!("used {} but {in_range} in range", self.used));
        }
        let mut counters: Vec<&str> = self.serving.values().map(|h| h.counter.as_str()).collect();
        counters.sort_unstable();
        if counters.windows(2).any(|w| w.first() == w.last()) {
            return Err(format!("a counter serving two tickets: {:?}", self.serving));
        }
        for list in [&self.serving, &self.parked] {
            if list
                .0
                .windows(2)
                .any(|w| w.first().map(|h| h.number) >= w.last().map(|h| h.number))
            {
                return Err("tickets at counters or parked out of number order".into());
            }
        }
        Ok(())
    }

    /// Test hook: moves group 0's sequence counter close to overflow.
    #[cfg(all(test, not(target_arch = "wasm32")))]
    fn set_next_seq(&mut self, seq: i64) {
        if let Some(line) = self.lines.first_mut() {
            line.set_next_seq(seq);
        }
    }
}
#[cfg(any(test, feature = "model"))]
#[allow(
    clippy::arithmetic_side_effects,
    clippy::indexing_slicing,
    clippy::unwrap_used,
    clippy::needless_range_loop,
    clippy::cast_possible_truncation,
    reason = "a test yardstick, written like the reference and as plainly as possible"
)]
pub mod model;

// Native only: the property tests use proptest, which is not built for wasm.
#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests;

#[cfg(all(test, not(target_arch = "wasm32")))]
mod policy_tests;
