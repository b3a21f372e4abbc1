//! Which group a department serves next.
//!
//! *Strict*: the first group in the configured order with someone waiting; a later group waits
//! as long as an earlier one has tickets (what "serve the elderly first" means).
//!
//! *Ratio*: smooth weighted round robin. Each call, every group with someone waiting earns its
//! weight in credit; the richest is served (ties go to the earlier group) and pays the weights
//! of all waiting groups. From a fresh start with every group waiting, after k calls each group
//! has had its share `k·w/W` within one ticket, and the pattern is spread out (2:1 gives
//! A A B A A B, not A A A A B B).
//!
//! A group with nobody waiting earns nothing and its credit is dropped, so a group that was
//! empty for an hour does not then take the next ten calls. Every credit is held within ±W (W
//! the weights of all groups) before a call, which is what keeps any group from starving: while
//! a group waits unserved its credit climbs by its weight w each call from at least -W, and a
//! group that beats it holds at most 2W, so it is served within about 3·W/w calls. The property
//! tests hold that bound; random search finds waits up to 1.6·W/w.

/// How a department orders its groups.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Order {
    /// Earlier groups first, always.
    Strict,
    /// Shares by weight, one weight (at least 1) per group.
    Ratio(Vec<u32>),
}

/// The most groups a department may have: the serve order looks at every group, so a call costs
/// O(groups + log n); a bound keeps that O(log n).
pub const MAX_GROUPS: usize = 16;

/// The most weight a group may have (a share of 1000:1 is already "strict" in practice).
pub const MAX_WEIGHT: u32 = 1000;

impl Order {
    /// Whether this order fits `groups` groups.
    pub fn fits(&self, groups: usize) -> bool {
        (1..=MAX_GROUPS).contains(&groups)
            && match self {
                Order::Strict => true,
                Order::Ratio(weights) => {
                    weights.len() == groups && weights.iter().all(|w| (1..=MAX_WEIGHT).contains(w))
                }
            }
    }
}

/// The credits of a ratio order, one per group (empty for strict).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Credits(pub(crate) Vec<i64>);

impl Credits {
    /// The group `order` serves next among those with someone waiting (`waiting(g)`), without
    /// paying for it.
    pub(crate) fn pick(&self, order: &Order, waiting: impl Fn(usize) -> bool) -> Option<usize> {
        match order {
            Order::Strict => (0..MAX_GROUPS).find(|&g| waiting(g)),
            Order::Ratio(weights) => {
                let all = all_weight(weights);
                let mut best: Option<(usize, i64)> = None;
                for (g, &w) in weights.iter().enumerate() {
                    if !waiting(g) {
                        continue;
                    }
                    let credit = self
                        .0
                        .get(g)
                        .copied()
                        .unwrap_or(0)
                        .clamp(all.saturating_neg(), all)
                        .saturating_add(i64::from(w));
                    if best.is_none_or(|(_, b)| credit > b) {
                        best = Some((g, credit));
                    }
                }
                best.map(|(g, _)| g)
            }
        }
    }

    /// Books a call of group `served`, made while the groups `waiting(g)` had someone waiting
    /// (`served` among them): what `pick` would choose next changes accordingly.
    pub(crate) fn pay(&mut self, order: &Order, served: usize, waiting: impl Fn(usize) -> bool) {
        let Order::Ratio(weights) = order else {
            return;
        };
        let total = waiting_weight(weights, &waiting);
        let all = all_weight(weights);
        self.0.resize(weights.len(), 0);
        for (g, (credit, &w)) in self.0.iter_mut().zip(weights).enumerate() {
            *credit = if waiting(g) {
                (*credit)
                    .clamp(all.saturating_neg(), all)
                    .saturating_add(i64::from(w))
            } else {
                0
            };
            if g == served {
                *credit = credit.saturating_sub(total);
            }
        }
    }

    /// Whether every credit is one a ratio order can reach (for restoring a saved state).
    pub(crate) fn valid_for(&self, order: &Order) -> bool {
        match order {
            Order::Strict => self.0.is_empty(),
            Order::Ratio(weights) => {
                let all = all_weight(weights);
                self.0.len() <= weights.len()
                    && self.0.iter().all(|c| {
                        (all.saturating_neg().saturating_mul(2)..=all.saturating_mul(2)).contains(c)
                    })
            }
        }
    }
}

/// W: the weights of all groups.
fn all_weight(weights: &[u32]) -> i64 {
    weights.iter().map(|&w| i64::from(w)).sum()
}

/// The weights of the groups with someone waiting: what a call pays.
fn waiting_weight(weights: &[u32], waiting: &impl Fn(usize) -> bool) -> i64 {
    weights
        .iter()
        .enumerate()
        .filter(|&(g, _)| waiting(g))
        .map(|(_, &w)| i64::from(w))
        .sum()
}
