//! Growing holders: the objects under which a series' new objects accumulate.
//!
//! Sources: Eclipse MAT's leak suspects (the accumulation point below a big object,
//! [`super::accumulation`]) and memlab's `unbound-object` analysis (an object with the same
//! id in every snapshot whose retained size keeps growing). The measure is not the retained
//! size but the *new* memory under a node: in one process, the self sizes of the objects
//! allocated after the first snapshot ([`super::NewObjects`]) in its dominator subtree;
//! across processes, where ids say nothing, each object's self size times the share of its
//! class that is growth (a class at 20 → 820 objects weighs 800/820 of its memory).
//!
//! Definition. A holder is an object a program names (a JS object, closure or embedder
//! object; not a synthetic root, not one of V8's backing stores, which are reallocated as
//! collections grow) that existed in the first snapshot (same id; across processes, the same
//! path shape, [`super::shape`]) and is an accumulation point of the new memory, holding at
//! least [`HOLDER_SHARE`] of it:
//! 1. in the dominator tree of the last snapshot (it *dominates* what accumulates), or else
//! 2. among the merged explanatory paths of what no such holder owns (it *retains* what
//!    accumulates with others: shared ownership, [`super::shared`]);
//!
//! holders that are entries of one collection are replaced by the collection
//! ([`super::shards`]), and a holder must grow: its members must have gained at least
//! [`HOLDER_SHARE`] of the new memory (new memory of V8's own, code and feedback, is not a
//! leak), and across processes, where a growing class's old objects weigh in everywhere,
//! gained members in every interval.
//!
//! For each holder and each snapshot: its retained size and its members
//! ([`super::members`]), per class. Growth is the change of the member count between
//! snapshots; a holder grew in an interval when both its members and its retained size did.

use super::accumulation::{self, Tree};
use super::explain::Paths;
use super::members::{self, Tally};
use super::{lists, shape, shards, shared, Identity};
use heaptui_engine::{Location, Snapshot};
use std::collections::{HashMap, HashSet};

/// The share of all new memory a node must hold to be a holder: MAT's default threshold for a
/// leak suspect (10 % of the heap), applied to what the series added.
pub const HOLDER_SHARE: f64 = 0.05;
/// Members of a holder kept to look at (their code, their paths): evenly spread, enough for
/// the shares of a few callbacks to be read to a tenth of a percent, exact below it.
pub const SAMPLE: usize = 2000;

/// How a holder keeps what accumulates.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Holds {
    /// It dominates it: dropping the holder frees it.
    Dominates,
    /// It retains it with other objects (shared ownership).
    Retains,
}

/// An object under which new objects accumulate.
#[derive(Debug, Clone)]
pub struct Holder {
    /// The holder in the last snapshot.
    pub node: u32,
    /// Its object id in the last snapshot.
    pub id: u32,
    /// Its node in each snapshot (`None` where it is missing).
    pub nodes: Vec<Option<u32>>,
    /// How it keeps what accumulates.
    pub holds: Holds,
    /// Its retained size in each snapshot (`None` where it is missing).
    pub retained: Vec<Option<u64>>,
    /// The new memory it accumulates in the last snapshot: in its dominator subtree but not
    /// under another holder there (for shared ownership: what its members retain).
    pub new_size: u64,
    /// Its members in each snapshot (none in the first of one process).
    pub members: Vec<u64>,
    /// Their retained size in each snapshot.
    pub members_retained: Vec<u64>,
    /// What accumulates, per class, most memory first.
    pub accumulates: Vec<Accumulated>,
    /// Some of its members in the last snapshot, evenly spread.
    pub sample: Vec<u32>,
    /// Members in the last snapshot that continue a linked list ([`super::lists`]).
    pub linked: u64,
}

impl Holder {
    /// Intervals in which its members grew, and for a dominating holder its retained size
    /// too (a shared holder's retained size does not cover what it shares).
    pub fn growing_intervals(&self) -> usize {
        (1..self.members.len())
            .filter(|&i| {
                let retained_grew = matches!(
                    (self.retained[i - 1], self.retained[i]),
                    (Some(a), Some(b)) if b > a
                );
                self.members[i] > self.members[i - 1]
                    && (retained_grew || self.holds == Holds::Retains)
            })
            .count()
    }

    /// The memory its members gained from the first snapshot to the last (their retained size;
    /// in one process, all of it: there are no members in the first).
    pub fn accumulated(&self) -> u64 {
        let first = self.members_retained.first().copied().unwrap_or(0);
        let last = self.members_retained.last().copied().unwrap_or(0);
        last.saturating_sub(first)
    }

    /// True when it grew in every interval.
    pub fn grew_every_interval(&self) -> bool {
        self.members.len() > 1 && self.growing_intervals() == self.members.len() - 1
    }
}

/// One class of what accumulates under a holder.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Accumulated {
    /// The Summary class.
    pub class_name: String,
    /// Where objects of the class are constructed (their constructor's location), where the
    /// snapshot has it.
    pub location: Option<Location>,
    /// Members of the class, per snapshot.
    pub counts: Vec<u64>,
    /// Their retained size in the last snapshot.
    pub size: u64,
}

/// True for node types a program names and can drop: holders are among these.
fn names_an_object(snapshot: &Snapshot, node: u32) -> bool {
    matches!(
        snapshot.type_name(node),
        "object" | "closure" | "native" | "regexp"
    )
}

/// The growing holders of a series (oldest first), unranked; `paths` finds explanatory
/// paths in each snapshot.
pub fn find(snapshots: &[Snapshot], identity: &Identity, paths: &[Paths<'_>]) -> Vec<Holder> {
    let last = &snapshots[snapshots.len() - 1];
    let in_last = &paths[snapshots.len() - 1];
    let new_memory = last.dominated_sums(&|n| identity.new_memory(last, n));
    let total = new_memory[last.root() as usize];
    let threshold = ((total as f64 * HOLDER_SHARE).ceil() as u64).max(1);
    let countable: Vec<Vec<bool>> = snapshots
        .iter()
        .map(|s| members::countable(s, &|n| identity.counts(s, n)))
        .collect();
    let reallocated = reallocated(snapshots, identity, &new_memory, threshold);
    let (dominating, retaining) = points(
        in_last,
        identity,
        &new_memory,
        &countable[snapshots.len() - 1],
        threshold,
        &reallocated,
    );
    let own_memory = own_memory(last, &new_memory, &dominating);
    let mut holders = locate(snapshots, identity, in_last, &dominating);
    let shared_holders = locate(snapshots, identity, in_last, &retaining);
    // Per snapshot: the dominated holders' members, then the shared ones' among the rest.
    let mut tallies = Vec::new();
    for (s, snapshot) in snapshots.iter().enumerate() {
        if !countable[s].contains(&true) {
            // Nothing can be a member (the first snapshot of one process): no pass needed.
            tallies.push(vec![Tally::default(); holders.len() + shared_holders.len()]);
            continue;
        }
        let nodes: Vec<Option<u32>> = holders.iter().map(|h| h[s]).collect();
        let (mut t, unowned) = members::dominated(snapshot, &nodes, &countable[s]);
        if !retaining.is_empty() {
            let nodes: Vec<Option<u32>> = shared_holders.iter().map(|h| h[s]).collect();
            t.extend(members::by_paths(&paths[s], &nodes, &unowned));
        }
        tallies.push(t);
    }
    holders.extend(shared_holders);
    let kinds: Vec<Holds> = dominating
        .iter()
        .map(|_| Holds::Dominates)
        .chain(retaining.iter().map(|_| Holds::Retains))
        .collect();
    holders
        .into_iter()
        .zip(kinds)
        .enumerate()
        .filter(|(_, (nodes, _))| nodes[0].is_some())
        .map(|(h, (nodes, holds))| {
            let per_snapshot: Vec<&Tally> = tallies.iter().map(|t| &t[h]).collect();
            holder(snapshots, nodes, holds, &own_memory, &per_snapshot)
        })
        .filter(|h| grows(h, identity) && h.accumulated() >= threshold)
        .collect()
}

/// The holders of the last snapshot: those that dominate what accumulates, and those that
/// retain it with others, with shards of one collection replaced by the collection.
fn points(
    paths: &Paths<'_>,
    identity: &Identity,
    new_memory: &[u64],
    countable: &[bool],
    threshold: u64,
    reallocated: &HashSet<u32>,
) -> (Vec<u32>, Vec<u32>) {
    let last = paths.snapshot();
    let can_hold = |n: u32| {
        n != last.root()
            && names_an_object(last, n)
            && identity.may_hold(last, n)
            && !reallocated.contains(&n)
    };
    let mut dominating = dominator_points(last, new_memory, threshold, &can_hold);
    // A point inside a linked list stands for the list: its owner holds it.
    for point in &mut dominating {
        *point = lists::owner_of(last, *point, &can_hold).unwrap_or(*point);
    }
    dominating.sort_unstable();
    dominating.dedup();
    // Shared ownership, among what the dominator tree's holders leave.
    let mut retaining = Vec::new();
    let first_pass: Vec<Option<u32>> = dominating.iter().map(|&p| Some(p)).collect();
    let (_, left) = members::dominated(last, &first_pass, countable);
    let left_memory: u64 = left.iter().map(|&n| last.retained_size(n)).sum();
    if left_memory >= threshold {
        retaining = shared::points(paths, &left, left_memory, threshold, &can_hold);
        retaining.retain(|p| !dominating.contains(p));
    }
    // Shards of one collection become the collection, which dominates them or not.
    let all: Vec<u32> = dominating.iter().chain(&retaining).copied().collect();
    for (collection, shards) in shards::collections(paths, &all, &can_hold) {
        dominating.retain(|p| !shards.contains(p));
        retaining.retain(|p| !shards.contains(p));
        let dominates = shards
            .iter()
            .all(|&s| last.dominator_chain(s).contains(&collection));
        let into = if dominates {
            &mut dominating
        } else {
            &mut retaining
        };
        if !into.contains(&collection) {
            into.push(collection);
        }
    }
    dominating.sort_unstable();
    retaining.sort_unstable();
    (dominating, retaining)
}

/// In one process, the nodes of the last snapshot that could be holders by their new memory
/// (at least `threshold`) and have no age (the embedder's even ids, [`super::NewObjects`])
/// but are missing from the first snapshot: stores reallocated as their collection grew
/// (Blink's `HeapVectorBacking` of an element's listeners), which a person cannot name. The
/// accumulation walk passes over them to the object that owns the store (V8's own backing
/// stores are not objects a program names, so they are passed over anyway).
fn reallocated(
    snapshots: &[Snapshot],
    identity: &Identity,
    new_memory: &[u64],
    threshold: u64,
) -> HashSet<u32> {
    let last = &snapshots[snapshots.len() - 1];
    let candidates = (0..last.node_count() as u32)
        .filter(|&n| new_memory[n as usize] >= threshold && names_an_object(last, n));
    identity.reallocated(snapshots, candidates)
}

/// True when a holder's members grow across the series: in one process, it has new members at
/// all; across processes, its members grew in every interval.
fn grows(holder: &Holder, identity: &Identity) -> bool {
    match identity {
        Identity::SameProcess(_) => holder.members.last().is_some_and(|&m| m > 0),
        Identity::AcrossProcesses(_) => holder.members.windows(2).all(|w| w[1] > w[0]),
    }
}

/// The accumulation points of the dominator tree of `snapshot` with `new_memory` per node.
fn dominator_points(
    snapshot: &Snapshot,
    new_memory: &[u64],
    threshold: u64,
    can_hold: &dyn Fn(u32) -> bool,
) -> Vec<u32> {
    let root = snapshot.root();
    // The candidate tree: every node holding at least the threshold, under its dominator
    // (which holds at least as much, so the tree is connected to the root).
    let mut children: HashMap<u32, Vec<u32>> = HashMap::new();
    for (node, &memory) in new_memory.iter().enumerate() {
        let node = node as u32;
        if memory >= threshold && node != root {
            children
                .entry(snapshot.dominator(node))
                .or_default()
                .push(node);
        }
    }
    let tree = Tree {
        children: &|n| children.get(&n).cloned().unwrap_or_default(),
        memory: &|n| new_memory[n as usize],
        can_hold,
        threshold,
    };
    let mut points = accumulation::points(&tree, &[root]);
    points.sort_unstable();
    points
}

/// The new memory of each node of `points` not under another of them (by node).
fn own_memory(snapshot: &Snapshot, new_memory: &[u64], points: &[u32]) -> HashMap<u32, u64> {
    let mut own: HashMap<u32, u64> = points
        .iter()
        .map(|&p| (p, new_memory[p as usize]))
        .collect();
    for &p in points {
        let enclosing = snapshot
            .dominator_chain(p)
            .into_iter()
            .skip(1)
            .find(|n| own.contains_key(n));
        if let Some(e) = enclosing {
            let nested = new_memory[p as usize];
            own.entry(e).and_modify(|m| *m = m.saturating_sub(nested));
        }
    }
    own
}

/// Each of `points` (nodes of the last snapshot, whose paths `last` finds) in every snapshot,
/// by the series' identity.
fn locate(
    snapshots: &[Snapshot],
    identity: &Identity,
    last: &Paths<'_>,
    points: &[u32],
) -> Vec<Vec<Option<u32>>> {
    if points.is_empty() {
        return Vec::new();
    }
    let per_snapshot: Vec<Vec<Option<u32>>> = snapshots
        .iter()
        .map(|s| match identity {
            Identity::SameProcess(_) => by_id(last.snapshot(), s, points),
            Identity::AcrossProcesses(_) => shape::locate(last, s, points),
        })
        .collect();
    (0..points.len())
        .map(|p| per_snapshot.iter().map(|nodes| nodes[p]).collect())
        .collect()
}

/// `points` of the last snapshot found by id in `snapshot`, of the same type (memlab's check).
fn by_id(last: &Snapshot, snapshot: &Snapshot, points: &[u32]) -> Vec<Option<u32>> {
    let ids: Vec<u32> = points.iter().map(|&n| last.node_id(n)).collect();
    snapshot
        .nodes_for_ids(&ids)
        .into_iter()
        .zip(points)
        .map(|(found, &p)| found.filter(|&n| snapshot.type_name(n) == last.type_name(p)))
        .collect()
}

/// The holder at `nodes` (one per snapshot) with its members in each snapshot.
fn holder(
    snapshots: &[Snapshot],
    nodes: Vec<Option<u32>>,
    holds: Holds,
    own_memory: &HashMap<u32, u64>,
    tallies: &[&Tally],
) -> Holder {
    let last = &snapshots[snapshots.len() - 1];
    let node = nodes[snapshots.len() - 1].expect("holders are nodes of the last snapshot");
    let mut by_class: HashMap<&str, Accumulated> = HashMap::new();
    for (i, tally) in tallies.iter().enumerate() {
        for (class, &(count, size)) in &tally.classes {
            let entry = by_class.entry(class).or_insert_with(|| Accumulated {
                class_name: class.to_string(),
                location: None,
                counts: vec![0; snapshots.len()],
                size: 0,
            });
            entry.counts[i] = count;
            entry.size = size;
        }
    }
    let in_last = tallies[tallies.len() - 1];
    let stride = in_last.members.len().div_ceil(SAMPLE).max(1);
    let sample: Vec<u32> = in_last.members.iter().step_by(stride).copied().collect();
    for a in by_class.values_mut() {
        a.location = in_last
            .members
            .iter()
            .find(|&&n| last.class_name(n) == a.class_name)
            .and_then(|&n| last.class_location(n));
        if a.counts[snapshots.len() - 1] == 0 {
            a.size = 0;
        }
    }
    let mut accumulates: Vec<Accumulated> = by_class.into_values().collect();
    accumulates.sort_by(|a, b| {
        b.size
            .cmp(&a.size)
            .then(b.counts.last().cmp(&a.counts.last()))
            .then_with(|| a.class_name.cmp(&b.class_name))
    });
    Holder {
        node,
        id: last.node_id(node),
        retained: snapshots
            .iter()
            .zip(&nodes)
            .map(|(s, n)| n.map(|n| s.retained_size(n)))
            .collect(),
        nodes,
        holds,
        new_size: match holds {
            Holds::Dominates => own_memory.get(&node).copied().unwrap_or(0),
            Holds::Retains => in_last.retained,
        },
        members: tallies.iter().map(|t| t.count).collect(),
        members_retained: tallies.iter().map(|t| t.retained).collect(),
        accumulates,
        sample,
        linked: in_last.linked,
    }
}
