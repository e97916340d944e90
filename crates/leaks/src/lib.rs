//! Leak hunting beyond DevTools, on series of snapshots: per-class trends across any number of
//! snapshots ([`trend`]) and ranked leak suspects ([`suspects`]): the objects under which new
//! objects accumulate ([`holders`]), the retaining path a person can act on ([`explain`]), the
//! code involved ([`code`]), where it was allocated ([`allocations`]) and the leak pattern it
//! looks like ([`patterns`]) and what the holder stores directly ([`stores`]). Built on the
//! snapshot API; every number comes from DevTools' analysis of each snapshot.
#![warn(missing_docs)]

pub mod accumulation;
pub mod allocations;
pub mod code;
pub mod explain;
pub mod holders;
pub mod lists;
pub mod members;
pub mod patterns;
pub mod population;
pub mod shape;
pub mod shards;
pub mod shared;
pub mod stores;
pub mod suspects;
pub mod trend;

use heaptui_engine::{MatchBy, Snapshot};
use std::collections::{HashMap, HashSet};
use trend::TrendRow;

/// Which objects of a series are new: allocated after its first snapshot. V8 numbers heap
/// objects with odd ids in allocation order, so within one process an object is new when its
/// id is odd and above the first snapshot's largest JS object id (DevTools' "objects
/// allocated between"); even ids are the embedder's, hashed, and have no age.
#[derive(Debug, Clone, Copy)]
pub struct NewObjects {
    after_id: u32,
}

impl NewObjects {
    /// The objects allocated after `first` was taken.
    pub fn since(first: &Snapshot) -> NewObjects {
        NewObjects {
            after_id: first.max_js_object_id(),
        }
    }

    /// True when `node` of `snapshot` is new.
    pub fn is_new(&self, snapshot: &Snapshot, node: u32) -> bool {
        let id = snapshot.node_id(node);
        self.has_age(snapshot, node) && id > self.after_id
    }

    /// True when the id of `node` says when it was allocated (V8's odd ids).
    pub fn has_age(&self, snapshot: &Snapshot, node: u32) -> bool {
        snapshot.node_id(node) % 2 == 1
    }
}

/// How the objects of a series are recognised from one snapshot to the next.
pub enum Identity {
    /// One process: objects by id, new ones by [`NewObjects`].
    SameProcess(NewObjects),
    /// Different processes: ids say nothing, so growth is measured per class and holders are
    /// found by the shape of their path ([`shape`]).
    AcrossProcesses(ClassGrowth),
}

/// Growth per class across processes: the classes whose count grew in every interval, and for
/// each node of the last snapshot the share of its class's objects the growth accounts for
/// (a class at 20 → 420 → 820 objects: 800/820).
pub struct ClassGrowth {
    growing: HashSet<String>,
    share: Vec<f32>,
}

impl Identity {
    /// The identity of a series, with its per-class `trend`: the same process when every
    /// snapshot is from the process of the one before it ([`Snapshot::judge_pair`]).
    pub fn of_series(snapshots: &[Snapshot], trend: &[TrendRow]) -> Identity {
        let same_process = snapshots
            .windows(2)
            .all(|w| w[0].judge_pair(&w[1]).match_by == MatchBy::Id);
        if same_process {
            return Identity::SameProcess(NewObjects::since(&snapshots[0]));
        }
        let last = &snapshots[snapshots.len() - 1];
        let share: HashMap<String, f32> = trend
            .iter()
            .filter(|t| t.grew_every_interval())
            .filter_map(|t| {
                let (first, last) = (t.counts[0], *t.counts.last()?);
                Some((t.key(), (last - first) as f32 / last as f32))
            })
            .collect();
        let growing = trend
            .iter()
            .filter(|t| t.grew_every_interval())
            .map(|t| t.name.clone())
            .collect();
        let mut per_node = vec![0f32; last.node_count()];
        for row in last.summary() {
            if let Some(&g) = share.get(&row.key()) {
                for &n in row.nodes.iter() {
                    per_node[n as usize] = g;
                }
            }
        }
        Identity::AcrossProcesses(ClassGrowth {
            growing,
            share: per_node,
        })
    }

    /// Among `nodes` of the last of `snapshots`, in one process, those without age (the
    /// embedder's even ids, [`NewObjects::has_age`]) that the first snapshot lacks: stores
    /// reallocated as their collection grew (Blink's `HeapVectorBacking` of a node's
    /// listeners), which no program names. Across processes, none. One scan of the first
    /// snapshot's ids.
    pub fn reallocated(
        &self,
        snapshots: &[Snapshot],
        nodes: impl Iterator<Item = u32>,
    ) -> HashSet<u32> {
        let Identity::SameProcess(new) = self else {
            return HashSet::new();
        };
        let last = &snapshots[snapshots.len() - 1];
        let ageless: Vec<u32> = nodes.filter(|&n| !new.has_age(last, n)).collect();
        if ageless.is_empty() {
            return HashSet::new();
        }
        let ids: Vec<u32> = ageless.iter().map(|&n| last.node_id(n)).collect();
        snapshots[0]
            .nodes_for_ids(&ids)
            .into_iter()
            .zip(ageless)
            .filter(|(found, _)| found.is_none())
            .map(|(_, n)| n)
            .collect()
    }

    /// True when the series comes from one process.
    pub fn is_same_process(&self) -> bool {
        matches!(self, Identity::SameProcess(_))
    }

    /// The new memory `node` of the last snapshot stands for.
    fn new_memory(&self, last: &Snapshot, node: u32) -> u64 {
        match self {
            Identity::SameProcess(new) if new.is_new(last, node) => last.self_size(node),
            Identity::SameProcess(_) => 0,
            Identity::AcrossProcesses(growth) => {
                (last.self_size(node) as f64 * f64::from(growth.share[node as usize])) as u64
            }
        }
    }

    /// True when `node` of the last snapshot may be a holder as far as its age goes: in one
    /// process, an object of the first snapshot (new objects are what accumulates).
    fn may_hold(&self, last: &Snapshot, node: u32) -> bool {
        match self {
            Identity::SameProcess(new) => !new.is_new(last, node),
            Identity::AcrossProcesses(_) => true,
        }
    }

    /// True when `node` of `snapshot` counts as accumulated, if under a holder: in one
    /// process a new object, across processes an object of a growing class.
    fn counts(&self, snapshot: &Snapshot, node: u32) -> bool {
        match self {
            Identity::SameProcess(new) => new.is_new(snapshot, node),
            Identity::AcrossProcesses(growth) => growth.growing.contains(snapshot.class_name(node)),
        }
    }
}
