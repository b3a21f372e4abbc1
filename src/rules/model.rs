//! A straight port of the reference rules (a list, scanned on every take): the yardstick the
//! property tests and the fuzzer hold [`Tickets`](super::Tickets) against. Slow on purpose.

use super::TicketError;
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
