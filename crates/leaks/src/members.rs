//! What a holder holds in one snapshot: the objects accumulated under it, counted per class.
//!
//! Definition: a *member* of a holder is something a program stores ([`is_program_object`]:
//! an object, closure, string or number, not V8's code, hidden classes or backing stores)
//! that counts (in one process: allocated after the first snapshot; across processes: of a
//! growing class), is in the holder's dominator subtree, and has no other counting object
//! between itself and the holder in the dominator tree. This is how DevTools' class retained
//! sizes count instances (nested instances once): a leaked request counts once, and not again
//! through its headers, streams and strings; a cache of strings counts its strings. The first
//! snapshot of one process has no new objects, so no members.
//!
//! For holders that do not dominate what they hold (shared ownership), members are the
//! counting objects no dominated holder owns whose explanatory path ([`super::explain`]) runs
//! through the holder before it runs through a closure or its context (what a captured scope
//! holds belongs to the closure, not to the collection the closure sits in), followed for an
//! evenly spread sample of the candidates and scaled up.

use super::explain::Paths;
use heaptui_engine::{Snapshot, NO_OWNER};
use std::collections::HashMap;

/// Candidates whose paths are followed per snapshot for holders that do not dominate: enough
/// for a count to be read to a fraction of a percent, and exact below it.
pub const PATHS_PER_SNAPSHOT: usize = 1000;

/// Members of one holder in one snapshot.
#[derive(Debug, Clone, Default)]
pub struct Tally<'a> {
    /// How many.
    pub count: u64,
    /// Their retained size.
    pub retained: u64,
    /// Per class: (count, retained size).
    pub classes: HashMap<&'a str, (u64, u64)>,
    /// The members (all of them for dominated holders; the sampled ones otherwise).
    pub members: Vec<u32>,
    /// How many of them continue a linked list ([`super::lists`]).
    pub linked: u64,
}

impl<'a> Tally<'a> {
    fn add(&mut self, snapshot: &'a Snapshot, node: u32) {
        self.add_sized(snapshot, node, snapshot.retained_size(node));
    }

    /// Adds `node` as keeping `retained` bytes (less than its retained size when the next node
    /// of its list, counted on its own, is in its subtree).
    fn add_sized(&mut self, snapshot: &'a Snapshot, node: u32, retained: u64) {
        self.count += 1;
        self.retained += retained;
        let class = self.classes.entry(snapshot.class_name(node)).or_default();
        class.0 += 1;
        class.1 += retained;
        self.members.push(node);
    }
}

/// True for what a program stores: objects, closures, strings, numbers, embedder objects; not
/// V8's own structures (code, hidden classes, backing stores, `system / …` objects), which only
/// follow what holds them. A closure's context is the program's: it is what the closure
/// captured.
pub fn is_program_object(snapshot: &Snapshot, node: u32) -> bool {
    let class = snapshot.class_name(node);
    !matches!(
        snapshot.type_name(node),
        "hidden" | "code" | "array" | "object shape" | "synthetic"
    ) && (!class.starts_with("system / ") || class == "system / Context")
}

/// Per node of `snapshot`, whether it may be a member: `counts` accepts it (the series'
/// notion of accumulated) and it is something a program stores.
pub fn countable(snapshot: &Snapshot, counts: &dyn Fn(u32) -> bool) -> Vec<bool> {
    (0..snapshot.node_count() as u32)
        .map(|n| counts(n) && is_program_object(snapshot, n))
        .collect()
}

/// The members of each of `holders` (their nodes in `snapshot`, `None` where missing) among
/// the `countable` nodes, by the dominator tree; and the `countable` nodes no holder owns
/// and no other countable node dominates, where shared-ownership holders are looked for.
/// Nodes that continue a linked list ([`super::lists`]) count each, not once per list.
pub fn dominated<'a>(
    snapshot: &'a Snapshot,
    holders: &[Option<u32>],
    countable: &[bool],
) -> (Vec<Tally<'a>>, Vec<u32>) {
    let continues = super::lists::continuations(snapshot, countable);
    // A list node keeps what its subtree holds less the rest of the list, which counts apart.
    let mut continued_size: HashMap<u32, u64> = HashMap::new();
    for (node, _) in continues.iter().enumerate().filter(|&(_, &c)| c) {
        let before = snapshot.dominator(node as u32);
        *continued_size.entry(before).or_default() += snapshot.retained_size(node as u32);
    }
    let present: Vec<u32> = holders.iter().flatten().copied().collect();
    let slot: Vec<usize> = (0..holders.len())
        .filter(|&i| holders[i].is_some())
        .collect();
    let mut tallies = vec![Tally::default(); holders.len()];
    let ownership = snapshot.ownership(&present, countable, &continues);
    let mut unowned = Vec::new();
    for (node, _) in countable.iter().enumerate().filter(|&(_, &c)| c) {
        match ownership.owner[node] {
            // Only members inside a holder's subtree nest others (not what holds the holder).
            NO_OWNER if !ownership.under_marked[node] => unowned.push(node as u32),
            NO_OWNER => {}
            o if !ownership.nested[node] && present[o as usize] != node as u32 => {
                let node = node as u32;
                let kept =
                    snapshot.retained_size(node) - continued_size.get(&node).copied().unwrap_or(0);
                let tally = &mut tallies[slot[o as usize]];
                tally.linked += u64::from(continues[node as usize]);
                tally.add_sized(snapshot, node, kept)
            }
            _ => {}
        }
    }
    (tallies, unowned)
}

/// True for closures and their contexts: a path through one goes through a captured scope.
fn is_scope(snapshot: &Snapshot, node: u32) -> bool {
    snapshot.type_name(node) == "closure" || snapshot.class_name(node) == "system / Context"
}

/// The members of each of `holders` among `candidates`, by explanatory paths: those whose path
/// runs through the holder before any captured scope, from an evenly spread sample scaled to
/// all candidates.
pub fn by_paths<'a>(
    paths: &Paths<'a>,
    holders: &[Option<u32>],
    candidates: &[u32],
) -> Vec<Tally<'a>> {
    let snapshot = paths.snapshot();
    let mut tallies = vec![Tally::default(); holders.len()];
    if candidates.is_empty() || holders.iter().all(Option::is_none) {
        return tallies;
    }
    let stride = candidates.len().div_ceil(PATHS_PER_SNAPSHOT).max(1);
    let sample: Vec<u32> = candidates.iter().step_by(stride).copied().collect();
    let at: HashMap<u32, usize> = holders
        .iter()
        .enumerate()
        .filter_map(|(i, h)| h.map(|n| (n, i)))
        .collect();
    for &node in &sample {
        let path = paths.of(node);
        // Up to the first holder, unless a captured scope comes first: what a closure's
        // context holds is the closure's, not the collection's the closure sits in.
        let holder = path.hops.iter().find_map(|hop| match at.get(&hop.node) {
            Some(&h) => Some(Some(h)),
            None if is_scope(snapshot, hop.node) => Some(None),
            None => None,
        });
        if let Some(Some(h)) = holder {
            tallies[h].add(snapshot, node);
        }
    }
    // Scale the sample up to all candidates (exact when every candidate was followed).
    if stride > 1 {
        let scale = candidates.len() as f64 / sample.len() as f64;
        for t in &mut tallies {
            t.count = (t.count as f64 * scale).round() as u64;
            t.retained = (t.retained as f64 * scale).round() as u64;
            for c in t.classes.values_mut() {
                c.0 = (c.0 as f64 * scale).round() as u64;
                c.1 = (c.1 as f64 * scale).round() as u64;
            }
        }
    }
    tallies
}
