//! The order work happens in.
//!
//! Each item gets a rank: the earliest document position among itself and everything that
//! (transitively) depends on it. Work then goes in topological order, lowest rank first. So
//! the curriculum's own order holds wherever prerequisites allow, and an item jumps ahead only
//! when an earlier item needs it, never just because it happens to be free.

use std::cmp::Reverse;
use std::collections::{BinaryHeap, HashMap};

use super::PlanError;
use crate::curriculum::{Curriculum, ItemId, find_cycles};

/// Indices (in document order) of the items that are not done, in the order to do them.
pub(super) fn work_order(curriculum: &Curriculum, done: &[bool]) -> Result<Vec<usize>, PlanError> {
    let items: Vec<_> = curriculum.items().collect();
    let index: HashMap<&ItemId, usize> = items
        .iter()
        .enumerate()
        .map(|(n, item)| (&item.id, n))
        .collect();
    let mut requires: Vec<Vec<usize>> = Vec::with_capacity(items.len());
    for item in &items {
        let mut reqs = Vec::with_capacity(item.requires.len());
        for req in &item.requires {
            let &r = index
                .get(req)
                .ok_or_else(|| PlanError::UnknownPrerequisite {
                    item: item.id.clone(),
                    missing: req.clone(),
                })?;
            reqs.push(r);
        }
        requires.push(reqs);
    }
    let mut dependents: Vec<Vec<usize>> = vec![Vec::new(); items.len()];
    for (n, reqs) in requires.iter().enumerate() {
        for &r in reqs {
            dependents[r].push(n);
        }
    }

    let topo = topological(&requires, &dependents).ok_or_else(|| PlanError::PrerequisiteCycle {
        path: find_cycles(curriculum)
            .into_iter()
            .next()
            .unwrap_or_default(),
    })?;

    // Done items need nothing and pull nothing forward.
    let mut rank: Vec<usize> = (0..items.len()).collect();
    for &n in topo.iter().rev() {
        for &d in &dependents[n] {
            if !done[d] {
                rank[n] = rank[n].min(rank[d]);
            }
        }
    }

    let mut waiting: Vec<usize> = requires
        .iter()
        .map(|reqs| reqs.iter().filter(|&&r| !done[r]).count())
        .collect();
    let mut ready: BinaryHeap<Reverse<(usize, usize)>> = (0..items.len())
        .filter(|&n| !done[n] && waiting[n] == 0)
        .map(|n| Reverse((rank[n], n)))
        .collect();
    let mut order = Vec::with_capacity(items.len());
    while let Some(Reverse((_, n))) = ready.pop() {
        order.push(n);
        for &d in &dependents[n] {
            if done[d] {
                continue;
            }
            waiting[d] -= 1;
            if waiting[d] == 0 {
                ready.push(Reverse((rank[d], d)));
            }
        }
    }
    Ok(order)
}

/// Kahn's algorithm; `None` when there is a cycle.
fn topological(requires: &[Vec<usize>], dependents: &[Vec<usize>]) -> Option<Vec<usize>> {
    let mut waiting: Vec<usize> = requires.iter().map(Vec::len).collect();
    let mut queue: Vec<usize> = (0..requires.len()).filter(|&n| waiting[n] == 0).collect();
    let mut order = Vec::with_capacity(requires.len());
    while let Some(n) = queue.pop() {
        order.push(n);
        for &d in &dependents[n] {
            waiting[d] -= 1;
            if waiting[d] == 0 {
                queue.push(d);
            }
        }
    }
    (order.len() == requires.len()).then_some(order)
}
