//! A straight port of the reference rules (a list, scanned on every take): the yardstick the
//! property tests and the fuzzer hold [`Tickets`](super::Tickets) against. Slow on purpose.

use super::{Called, Held, Moved, Order, Pick, Placement, Policy, TicketError, Waiting};
use std::collections::VecDeque;

/// The reference machine state: a range and a plain queue.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Model {
    /// The lowest number.
    pub min: i64,
    /// The highest number.
    pub max: i64,
    /// The queue, front first.
    pub queue: VecDeque<i64>,
}

impl Model {
    /// An empty queue for `min..=max`.
    pub fn new(min: i64, max: i64) -> Model {
        Model {
            min,
            max,
            queue: VecDeque::new(),
        }
    }

    /// The reference `queue_new_number`.
    pub fn take(&mut self) -> Result<i64, TicketError> {
        let size =
            u64::try_from(i128::from(self.max) - i128::from(self.min) + 1).unwrap_or(u64::MAX);
        let n = match self.queue.iter().max() {
            None => self.min,
            Some(_) if self.queue.len() as u64 >= size => {
                return Err(TicketError::AllPossibleNumbersAreInUse)
            }
            Some(&highest) if highest < self.max => highest + 1,
            Some(_) => match (self.min..=self.max).find(|n| !self.queue.contains(n)) {
                Some(n) => n,
                None => return Err(TicketError::AllPossibleNumbersAreInUse),
            },
        };
        self.queue.push_back(n);
        Ok(n)
    }

    /// The reference `serve_next_queued_number`.
    pub fn serve(&mut self, priority: Option<i64>) -> Result<i64, TicketError> {
        if self.queue.is_empty() {
            return Err(TicketError::EmptyQueue);
        }
        let index = match priority {
            None => 0,
            Some(p) => match self.queue.iter().position(|&n| n == p) {
                Some(i) => i,
                None => return Err(TicketError::PriorityNumberNotFound),
            },
        };
        self.queue.remove(index).ok_or(TicketError::EmptyQueue)
    }

    /// The reference reset: same range, empty queue.
    pub fn reset(&mut self) {
        self.queue.clear();
    }
}

/// A ticket of the [`Department`] model.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Ticket {
    /// The number.
    pub number: i64,
    /// The group.
    pub group: usize,
    /// Its place in time.
    pub stamp: i64,
    /// When it was first taken.
    pub taken: i64,
    /// Arrival order, to break ties between equal stamps.
    pub seq: u64,
}

/// The facility's rules written as plainly as possible: every ticket in one list, every question
/// answered by scanning it. The yardstick for groups, calls, parking and transfers.
#[derive(Debug, Clone)]
pub struct Department {
    /// The lowest number.
    pub min: i64,
    /// The highest number.
    pub max: i64,
    /// The policy.
    pub policy: Policy,
    /// Every waiting ticket, in arrival order.
    pub waiting: Vec<Ticket>,
    /// Tickets at counters.
    pub serving: Vec<Held>,
    /// Parked tickets.
    pub parked: Vec<Held>,
    /// Ratio credits, one per group.
    pub credits: Vec<i64>,
    /// The latest stamp.
    pub now: i64,
    seq: u64,
}

impl Department {
    /// An empty department.
    pub fn new(min: i64, max: i64, policy: Policy) -> Department {
        let credits = vec![0; policy.groups];
        Department {
            min,
            max,
            policy,
            waiting: Vec::new(),
            serving: Vec::new(),
            parked: Vec::new(),
            credits,
            now: 0,
            seq: 0,
        }
    }

    /// Every number in use.
    fn used(&self) -> Vec<i64> {
        let mut all: Vec<i64> = self.waiting.iter().map(|t| t.number).collect();
        all.extend(self.serving.iter().map(|h| h.number));
        all.extend(self.parked.iter().map(|h| h.number));
        all
    }

    /// Group `g`'s line, front first.
    pub fn line(&self, g: usize) -> Vec<Ticket> {
        let mut line: Vec<Ticket> = self
            .waiting
            .iter()
            .filter(|t| t.group == g)
            .cloned()
            .collect();
        line.sort_by_key(|t| (t.stamp, t.seq));
        line
    }

    /// The reference `queue_new_number`, over every number in use, into group `g` at `at`.
    pub fn take_in(&mut self, g: usize, at: Option<i64>) -> Result<i64, TicketError> {
        if g >= self.policy.groups {
            return Err(TicketError::UnknownGroup);
        }
        let used: Vec<i64> = self
            .used()
            .into_iter()
            .filter(|n| (self.min..=self.max).contains(n))
            .collect();
        let size =
            u64::try_from(i128::from(self.max) - i128::from(self.min) + 1).unwrap_or(u64::MAX);
        let n = match used.iter().max() {
            None => self.min,
            Some(_) if used.len() as u64 >= size => {
                return Err(TicketError::AllPossibleNumbersAreInUse)
            }
            Some(&highest) if highest < self.max => highest + 1,
            Some(_) => match (self.min..=self.max).find(|n| !used.contains(n)) {
                Some(n) => n,
                None => return Err(TicketError::AllPossibleNumbersAreInUse),
            },
        };
        if let Some(at) = at {
            self.now = self.now.max(at);
        }
        self.seq += 1;
        self.waiting.push(Ticket {
            number: n,
            group: g,
            stamp: self.now,
            taken: self.now,
            seq: self.seq,
        });
        Ok(n)
    }

    fn next_group(&self) -> Option<usize> {
        let waits = |g: usize| self.waiting.iter().any(|t| t.group == g);
        match &self.policy.order {
            Order::Strict => (0..self.policy.groups).find(|&g| waits(g)),
            Order::Ratio(weights) => {
                let all: i64 = weights.iter().map(|&w| i64::from(w)).sum();
                let mut best: Option<(usize, i64)> = None;
                for g in 0..weights.len() {
                    if waits(g) {
                        let credit = self.credits[g].clamp(-all, all) + i64::from(weights[g]);
                        if best.is_none() || credit > best.unwrap().1 {
                            best = Some((g, credit));
                        }
                    }
                }
                best.map(|(g, _)| g)
            }
        }
    }

    fn pay(&mut self, served: usize) {
        if let Order::Ratio(weights) = &self.policy.order {
            let waits: Vec<bool> = (0..weights.len())
                .map(|g| self.waiting.iter().any(|t| t.group == g))
                .collect();
            let total: i64 = (0..weights.len())
                .filter(|&g| waits[g])
                .map(|g| i64::from(weights[g]))
                .sum();
            let all: i64 = weights.iter().map(|&w| i64::from(w)).sum();
            for g in 0..weights.len() {
                self.credits[g] = if waits[g] {
                    self.credits[g].clamp(-all, all) + i64::from(weights[g])
                } else {
                    0
                };
            }
            self.credits[served] -= total;
        }
    }

    /// Which waiting ticket `pick` names, taken off its line and paid for.
    fn pick(&mut self, pick: Pick) -> Result<Ticket, TicketError> {
        if let Pick::Group(g) = pick {
            if g >= self.policy.groups {
                return Err(TicketError::UnknownGroup);
            }
        }
        if self.waiting.is_empty() {
            return Err(TicketError::EmptyQueue);
        }
        let number = match pick {
            Pick::Next => self.line(self.next_group().ok_or(TicketError::EmptyQueue)?)[0].number,
            Pick::Group(g) => self.line(g).first().ok_or(TicketError::EmptyQueue)?.number,
            Pick::Number(n) => {
                self.waiting
                    .iter()
                    .find(|t| t.number == n)
                    .ok_or(TicketError::PriorityNumberNotFound)?
                    .number
            }
        };
        let index = self
            .waiting
            .iter()
            .position(|t| t.number == number)
            .unwrap();
        let group = self.waiting[index].group;
        self.pay(group);
        Ok(self.waiting.remove(index))
    }

    /// The exercise's serve, over groups.
    pub fn serve(&mut self, priority: Option<i64>) -> Result<i64, TicketError> {
        self.pick(priority.map_or(Pick::Next, Pick::Number))
            .map(|t| t.number)
    }

    fn end_at(&mut self, counter: &str) -> Option<Held> {
        let i = self.serving.iter().position(|h| h.counter == counter)?;
        Some(self.serving.remove(i))
    }

    /// A call to `counter`.
    pub fn call(&mut self, counter: &str, pick: Pick) -> Result<Called, TicketError> {
        let t = self.pick(pick)?;
        let finished = self.end_at(counter).map(|h| h.number);
        let ticket = Held {
            number: t.number,
            group: t.group,
            taken: t.taken,
            counter: counter.to_owned(),
            calls: 1,
        };
        self.serving.push(ticket.clone());
        Ok(Called { ticket, finished })
    }

    /// Another call of the counter's ticket.
    pub fn recall(&mut self, counter: &str) -> Result<Held, TicketError> {
        let h = self
            .serving
            .iter_mut()
            .find(|h| h.counter == counter)
            .ok_or(TicketError::CounterIdle)?;
        h.calls += 1;
        Ok(h.clone())
    }

    /// The counter's ticket served.
    pub fn finish(&mut self, counter: &str) -> Result<Held, TicketError> {
        self.end_at(counter).ok_or(TicketError::CounterIdle)
    }

    /// The counter's ticket missed.
    pub fn no_show(&mut self, counter: &str) -> Result<Held, TicketError> {
        let h = self
            .serving
            .iter()
            .find(|h| h.counter == counter)
            .ok_or(TicketError::CounterIdle)?;
        if h.calls < self.policy.calls_before_no_show {
            return Err(TicketError::TooFewCalls);
        }
        self.finish(counter)
    }

    /// The counter's ticket set aside.
    pub fn park(&mut self, counter: &str) -> Result<Held, TicketError> {
        let h = self.end_at(counter).ok_or(TicketError::CounterIdle)?;
        self.parked.push(h.clone());
        Ok(h)
    }

    /// A parked ticket back at its counter.
    pub fn unpark(&mut self, n: i64) -> Result<Called, TicketError> {
        let i = self
            .parked
            .iter()
            .position(|h| h.number == n)
            .ok_or(TicketError::NotParked)?;
        let mut ticket = self.parked.remove(i);
        ticket.calls = 1;
        let finished = self.end_at(&ticket.counter).map(|h| h.number);
        self.serving.push(ticket.clone());
        Ok(Called { ticket, finished })
    }

    /// A ticket out to another department.
    pub fn transfer_out(&mut self, n: i64) -> Result<Moved, TicketError> {
        if let Some(i) = self.parked.iter().position(|h| h.number == n) {
            let h = self.parked.remove(i);
            return Ok(Moved {
                number: n,
                group: h.group,
                taken: h.taken,
            });
        }
        if let Some(i) = self.serving.iter().position(|h| h.number == n) {
            let h = self.serving.remove(i);
            return Ok(Moved {
                number: n,
                group: h.group,
                taken: h.taken,
            });
        }
        let i = self
            .waiting
            .iter()
            .position(|t| t.number == n)
            .ok_or(TicketError::TicketNotFound)?;
        let t = self.waiting.remove(i);
        Ok(Moved {
            number: n,
            group: t.group,
            taken: t.taken,
        })
    }

    /// A ticket in from another department.
    pub fn transfer_in(&mut self, moved: Moved, at: i64) -> Result<(), TicketError> {
        if moved.group >= self.policy.groups {
            return Err(TicketError::UnknownGroup);
        }
        if self.used().contains(&moved.number) {
            return Err(TicketError::NumberInUse);
        }
        self.now = self.now.max(at);
        let stamp = match self.policy.placement {
            Placement::Back => self.now,
            Placement::ByTaken => moved.taken.min(self.now),
        };
        self.seq += 1;
        self.waiting.push(Ticket {
            number: moved.number,
            group: moved.group,
            stamp,
            taken: moved.taken,
            seq: self.seq,
        });
        Ok(())
    }

    /// Everything cleared.
    pub fn reset(&mut self) {
        *self = Department::new(self.min, self.max, self.policy.clone());
    }
}

/// The counters the [`Facility`] driver calls to.
pub const COUNTERS: [&str; 3] = ["1", "2", "3"];

/// One step of a generated run over two departments (numbers as offsets from the first
/// department's `min`, counters as indexes into [`COUNTERS`]).
#[derive(Debug, Clone, Copy)]
pub enum Step {
    /// A ticket in a group, at a time.
    Take(usize, i64),
    /// The exercise's serve.
    Serve(Option<i64>),
    /// A call at a counter.
    Call(usize, Pick),
    /// Another call of a counter's ticket.
    Recall(usize),
    /// A counter's ticket served.
    Finish(usize),
    /// A counter's ticket missed.
    NoShow(usize),
    /// A counter's ticket parked.
    Park(usize),
    /// A parked number back at its counter.
    Unpark(i64),
    /// From the first department to the second, at a time.
    Transfer(i64, i64),
    /// Everything cleared.
    Reset,
    /// Save and restore, as a reload does.
    Reload,
}

/// Two departments of one facility, each beside its model: the driver the property tests and
/// the fuzzer share. Every step is applied to both sides and everything a caller can see is
/// compared; `apply` says what differed.
#[derive(Debug)]
pub struct Facility {
    min: i64,
    range: super::Range,
    here: (super::Tickets, Department),
    there: (super::Tickets, Department),
    /// Tickets taken and not yet ended, in both departments.
    alive: usize,
}

fn check(ok: bool, what: impl FnOnce() -> String) -> Result<(), String> {
    if ok {
        Ok(())
    } else {
        Err(what())
    }
}

fn department(min: i64, max: i64, policy: &Policy) -> Result<(super::Tickets, Department), String> {
    let range = super::Range::new(min, max).map_err(|_| format!("bad range {min}..={max}"))?;
    let tickets = super::Tickets::with_policy(range, policy.clone())
        .map_err(|_| format!("bad policy {policy:?}"))?;
    Ok((tickets, Department::new(min, max, policy.clone())))
}

impl Facility {
    /// Departments `min..=min + span` under `policy` and the next range up under `other`.
    pub fn new(min: i64, span: i64, policy: &Policy, other: &Policy) -> Result<Facility, String> {
        let max = min + span;
        let here = department(min, max, policy)?;
        let there = department(max + 1, max + 1 + span, other)?;
        Ok(Facility {
            min,
            range: here.0.range(),
            here,
            there,
            alive: 0,
        })
    }

    /// Applies `step` to both sides and compares them.
    pub fn apply(&mut self, step: Step) -> Result<(), String> {
        let min = self.min;
        let before = self.here.0.clone();
        let there_before = self.there.0.clone();
        let (t, m) = (&mut self.here.0, &mut self.here.1);
        let (got, want) = match step {
            Step::Take(g, at) => (
                t.take_in(g, at).map(|n| n.to_string()),
                m.take_in(g, Some(at)).map(|n| n.to_string()),
            ),
            Step::Serve(p) => {
                let p = p.map(|o| min + o);
                (
                    t.serve(p).map(|n| n.to_string()),
                    m.serve(p).map(|n| n.to_string()),
                )
            }
            Step::Call(c, pick) => {
                let pick = match pick {
                    Pick::Number(o) => Pick::Number(min + o),
                    other => other,
                };
                (
                    t.call(COUNTERS[c], pick).map(|r| format!("{r:?}")),
                    m.call(COUNTERS[c], pick).map(|r| format!("{r:?}")),
                )
            }
            Step::Recall(c) => (
                t.recall(COUNTERS[c]).map(|r| format!("{r:?}")),
                m.recall(COUNTERS[c]).map(|r| format!("{r:?}")),
            ),
            Step::Finish(c) => (
                t.finish(COUNTERS[c]).map(|r| format!("{r:?}")),
                m.finish(COUNTERS[c]).map(|r| format!("{r:?}")),
            ),
            Step::NoShow(c) => (
                t.no_show(COUNTERS[c]).map(|r| format!("{r:?}")),
                m.no_show(COUNTERS[c]).map(|r| format!("{r:?}")),
            ),
            Step::Park(c) => (
                t.park(COUNTERS[c]).map(|r| format!("{r:?}")),
                m.park(COUNTERS[c]).map(|r| format!("{r:?}")),
            ),
            Step::Unpark(o) => (
                t.unpark(min + o).map(|r| format!("{r:?}")),
                m.unpark(min + o).map(|r| format!("{r:?}")),
            ),
            Step::Transfer(o, at) => {
                let got = t.transfer_out(min + o);
                let want = m.transfer_out(min + o);
                check(got == want, || {
                    format!("transfer out: {got:?}, model {want:?}")
                })?;
                if let Ok(moved) = got {
                    // The other department may lack the group: the ticket then joins its first.
                    let (there, there_m) = (&mut self.there.0, &mut self.there.1);
                    let to = Moved {
                        group: if moved.group < there.policy().groups {
                            moved.group
                        } else {
                            0
                        },
                        ..moved
                    };
                    let arrived = there.transfer_in(to, at);
                    let arrived_m = there_m.transfer_in(to, at);
                    check(arrived == arrived_m, || {
                        format!("arrival: {arrived:?}, model {arrived_m:?}")
                    })?;
                    if let Err(refused) = arrived {
                        // The other department handed the number out again since an earlier
                        // transfer: the ticket returns where it came from, which freed its
                        // number just now, so it always fits.
                        check(refused == TicketError::NumberInUse, || {
                            format!("arrival refused: {refused:?}")
                        })?;
                        check(
                            t.transfer_in(moved, at).is_ok() && m.transfer_in(moved, at).is_ok(),
                            || "a returned transfer was refused".into(),
                        )?;
                    }
                }
                (
                    got.map(|r| format!("{r:?}")),
                    want.map(|r| format!("{r:?}")),
                )
            }
            Step::Reset => {
                t.reset();
                m.reset();
                (Ok(String::new()), Ok(String::new()))
            }
            Step::Reload => {
                *t = super::Tickets::restore(self.range, t.policy().clone(), t.save())
                    .map_err(|_| "a saved state did not restore".to_string())?;
                (Ok(String::new()), Ok(String::new()))
            }
        };
        check(got == want, || format!("{step:?}: {got:?}, model {want:?}"))?;
        if got.is_err() {
            check(
                self.here.0 == before && self.there.0 == there_before,
                || format!("a failed {step:?} changed the state"),
            )?;
        }
        same(&self.here.0, &self.here.1)?;
        same(&self.there.0, &self.there.1)?;
        // Nothing lost, nothing twice: the facility holds every ticket taken and not yet ended.
        // (A number is unique within a department, which check_invariants holds; a transferred
        // number is free again where it came from, as the ticket is no longer there.)
        let held = |d: &super::Tickets| d.len() as usize + d.serving().count() + d.parked().count();
        let ended = usize::from(got.as_ref().is_ok_and(|s| s.contains("finished: Some")));
        match step {
            Step::Take(..) => self.alive += usize::from(got.is_ok()),
            Step::Serve(_) | Step::Finish(_) | Step::NoShow(_) => {
                self.alive -= usize::from(got.is_ok())
            }
            Step::Call(..) | Step::Unpark(_) => self.alive -= ended,
            Step::Reset => self.alive -= held(&before),
            _ => {}
        }
        let total = held(&self.here.0) + held(&self.there.0);
        check(total == self.alive, || {
            format!(
                "{total} tickets held but {} alive after {step:?}",
                self.alive
            )
        })
    }
}

/// Compares a department with its model on everything a caller can see, and checks its indexes.
pub fn same(t: &super::Tickets, m: &Department) -> Result<(), String> {
    for g in 0..m.policy.groups {
        let got: Vec<(i64, i64, i64)> = t.line(g).map(|w| (w.number, w.stamp, w.taken)).collect();
        let want: Vec<(i64, i64, i64)> = m
            .line(g)
            .iter()
            .map(|w| (w.number, w.stamp, w.taken))
            .collect();
        check(got == want, || format!("line {g}: {got:?}, model {want:?}"))?;
    }
    let mut serving = m.serving.clone();
    serving.sort_by_key(|h| h.number);
    let got: Vec<Held> = t.serving().cloned().collect();
    check(got == serving, || {
        format!("serving {got:?}, model {serving:?}")
    })?;
    let mut parked = m.parked.clone();
    parked.sort_by_key(|h| h.number);
    let got: Vec<Held> = t.parked().cloned().collect();
    check(got == parked, || {
        format!("parked {got:?}, model {parked:?}")
    })?;
    check(
        t.len() == m.waiting.len() as u64 && t.now() == m.now,
        || "length or time differs".into(),
    )?;
    let mut credits = t.save().credits;
    let strict = matches!(m.policy.order, Order::Strict);
    check(!strict || credits.is_empty(), || {
        "credits kept for a strict order".into()
    })?;
    credits.resize(m.policy.groups, 0);
    check(strict || credits == m.credits, || {
        format!("credits {credits:?}, model {:?}", m.credits)
    })?;
    // The merged report holds every waiting ticket once, in time order.
    let merged: Vec<Waiting> = t.waiting().map(|(_, w)| w).collect();
    check(
        merged.len() as u64 == t.len() && merged.windows(2).all(|w| w[0].stamp <= w[1].stamp),
        || "merged report out of order".into(),
    )?;
    // Memory in proportion to the tickets.
    let tickets = t.len() as usize + t.serving().count() + t.parked().count();
    check(t.index_entries() <= 4 * tickets + 1, || {
        "memory beyond O(tickets)".into()
    })?;
    t.check_invariants()
}
