//! Where a holder's members were allocated, when the snapshot was taken with allocation
//! tracking (`node --track-heap-objects`, DevTools' allocation instrumentation): the same
//! objects, seen from the code that made them rather than the structure that keeps them.
//!
//! Per member of an evenly spread sample: its allocation stack's first frame in the program's
//! own code ([`super::code::is_library_script`]: not `node_modules`, not Node's internals),
//! else the allocating frame itself. Frames are grouped by function and definition site,
//! counted once per member and scaled to all members, most frequent first. Without tracking
//! there are no stacks and no sites (closures still carry their definition site, which the
//! code list shows).

use super::code::is_library_script;
use heaptui_engine::{AllocationFrame, Snapshot};
use std::collections::HashMap;

/// Allocation sites listed per suspect.
pub const MAX_SITES: usize = 4;

/// A place members were allocated, with how many.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Site {
    /// The allocating (or first program) frame.
    pub frame: AllocationFrame,
    /// How many members were allocated there.
    pub objects: u64,
}

/// The allocation sites of `members` members of which `sample` is an evenly spread sample.
pub fn sites(snapshot: &Snapshot, sample: &[u32], members: u64) -> Vec<Site> {
    if !snapshot.has_allocation_stacks() || sample.is_empty() {
        return Vec::new();
    }
    let mut counts: HashMap<AllocationFrame, u64> = HashMap::new();
    for &member in sample {
        let stack = snapshot.allocation_stack(member);
        let frame = stack
            .iter()
            .find(|f| !is_library_script(f.script_name.as_deref()))
            .or(stack.first());
        if let Some(frame) = frame {
            *counts.entry(frame.clone()).or_default() += 1;
        }
    }
    let scale = members as f64 / sample.len() as f64;
    let mut sites: Vec<Site> = counts
        .into_iter()
        .map(|(frame, n)| Site {
            frame,
            objects: ((n as f64 * scale).round() as u64).min(members),
        })
        .collect();
    sites.sort_by(|a, b| {
        b.objects
            .cmp(&a.objects)
            .then(a.frame.location.cmp(&b.frame.location))
            .then_with(|| a.frame.function_name.cmp(&b.frame.function_name))
    });
    sites.truncate(MAX_SITES);
    sites
}
