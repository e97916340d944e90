//! The retainer index as the dominator computation leaves it, its sources in DFS numbers (the
//! semidominator pass reads them so), turned back into node ordinals the first time anything
//! reads it. A headless command that reads no retainer (`summary`, `statistics`,
//! `dominators` …) skips that pass: 63 M random reads, about 0.16 s of both cores on the
//! 1.5 GB bench snapshot, at the end of the main lane. The interactive schedule turns them
//! back before the stage lands, so a view never waits on it.
//!
//! Invariant: exactly one of `numbered` and `ready` holds the index; every reader sees it in
//! node ordinals.

use super::dominators;
use crate::graph::retainers::Retainers;
use std::sync::{Mutex, OnceLock};

/// The retainer index of a dominators stage (see the module's documentation).
pub struct RetainerIndex {
    /// The index with DFS-numbered sources, until first read.
    numbered: Mutex<Option<Retainers>>,
    /// The index with node-ordinal sources, once read.
    ready: OnceLock<Retainers>,
}

impl RetainerIndex {
    /// An index whose sources are node ordinals already (one reopened from the index file).
    pub fn ready(retainers: Retainers) -> RetainerIndex {
        RetainerIndex {
            numbered: Mutex::new(None),
            ready: OnceLock::from(retainers),
        }
    }

    /// An index whose sources are DFS numbers, number `d` standing for `dfs_order[d - 1]`.
    pub fn numbered(retainers: Retainers) -> RetainerIndex {
        RetainerIndex {
            numbered: Mutex::new(Some(retainers)),
            ready: OnceLock::new(),
        }
    }

    /// The index in node ordinals; `dfs_order` must be the numbering's order (the stage's
    /// dominator tree's). The first call turns the sources back, in place; concurrent
    /// callers wait for it.
    pub fn get(&self, dfs_order: &[u32]) -> &Retainers {
        self.ready.get_or_init(|| {
            let mut retainers = self
                .numbered
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .take()
                .expect("one of the two holds the index");
            dominators::sources_to_nodes(&mut retainers.sources, dfs_order);
            retainers
        })
    }
}
