//! "Ignore this retainer" in the explorer (`x`, `X` restores all): each snapshot keeps the
//! retainers the user ignored and, once a background [`Job`] has recomputed the Retainers
//! pane's distances without them (a full pass), the result the retainer trees are built with.

use super::jobs::Job;
use heaptui_engine::{IgnoredRetainers, Snapshot};
use std::collections::HashMap;
use std::sync::Arc;

/// A recomputation under way.
struct Running {
    snapshot: usize,
    nodes: Vec<u32>,
    job: Job<IgnoredRetainers>,
}

/// The ignored retainers of every snapshot.
#[derive(Default)]
pub struct Ignores {
    nodes: HashMap<usize, Vec<u32>>,
    applied: HashMap<usize, Arc<IgnoredRetainers>>,
    running: Option<Running>,
}

impl Ignores {
    /// The ignores the retainer trees of snapshot `at` are built with.
    pub fn applied(&self, at: usize) -> Option<Arc<IgnoredRetainers>> {
        self.applied.get(&at).cloned()
    }

    /// How many retainers are ignored in snapshot `at` (applied or being applied).
    pub fn count(&self, at: usize) -> usize {
        self.nodes.get(&at).map_or(0, Vec::len)
    }

    /// Ignores `node` in snapshot `at` too: starts the recomputation. Returns false when it
    /// is ignored already.
    pub fn ignore(&mut self, snapshot: &Snapshot, at: usize, node: u32) -> bool {
        let nodes = self.nodes.entry(at).or_default();
        if nodes.contains(&node) {
            return false;
        }
        nodes.push(node);
        let nodes = nodes.clone();
        let worker = snapshot.clone();
        let given = nodes.clone();
        let job = Job::spawn("ignoring retainers".to_string(), move |_| {
            worker.ignore_retainers(&given)
        });
        self.running = Some(Running {
            snapshot: at,
            nodes,
            job,
        });
        true
    }

    /// Restores every ignored retainer of snapshot `at`; returns whether any was ignored.
    pub fn restore(&mut self, at: usize) -> bool {
        if self.running.as_ref().is_some_and(|r| r.snapshot == at) {
            self.running = None;
        }
        self.applied.remove(&at);
        self.nodes.remove(&at).is_some_and(|n| !n.is_empty())
    }

    /// True while the distances are being recomputed.
    pub fn is_running(&self) -> bool {
        self.running.is_some()
    }

    /// `label 0% 1.2 s` of the recomputation under way.
    pub fn progress(&self) -> Option<String> {
        self.running.as_ref().map(|r| r.job.progress())
    }

    /// The snapshot whose ignores were just applied, once the recomputation is done.
    pub fn finished(&mut self) -> Option<usize> {
        let done = self.running.as_ref()?.job.finished()?;
        let running = self.running.take()?;
        // A later ignore (or a restore) replaced what this job computed.
        if self.nodes.get(&running.snapshot) != Some(&running.nodes) {
            return None;
        }
        if let Some(view) = done {
            self.applied.insert(running.snapshot, Arc::new(view));
        }
        Some(running.snapshot)
    }
}
