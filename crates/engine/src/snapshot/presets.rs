//! The Summary of a subset of the objects: DevTools' filter drop-down (objects allocated in an
//! id range, or a named filter), and the groups behind the duplicated-strings filter.

use super::{Aggregate, DuplicateGroup, NamedFilter, Snapshot};
use crate::analysis::{aggregates, named_filters};
use heaptui_common::util::bits::BitVec;

/// Which objects a filtered Summary counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ObjectFilter {
    /// Objects whose id is in `after_id < id <= up_to_id` (allocated between two snapshots).
    IdRange {
        /// Excluded lower bound (an earlier snapshot's largest JS object id, or 0).
        after_id: u32,
        /// Included upper bound.
        up_to_id: u32,
    },
    /// A DevTools named filter.
    Named(NamedFilter),
}

/// The duplicated strings of a snapshot, in DevTools' order (total retained size, largest
/// first).
pub struct DuplicateStrings {
    /// Groups of two or more equal strings.
    pub groups: Vec<DuplicateGroup>,
    /// What all copies beyond one per group cost.
    pub wasted: u64,
}

impl Snapshot {
    /// The Summary of the objects `filter` keeps (a full pass over the heap; `progress` hears
    /// the fraction done at each stage).
    pub fn summary_filtered(
        &self,
        filter: ObjectFilter,
        progress: &(dyn Fn(f64) + Sync),
    ) -> Vec<Aggregate> {
        progress(0.0);
        let rows = match filter {
            ObjectFilter::IdRange { after_id, up_to_id } => {
                self.summary_allocated_between(after_id, up_to_id)
            }
            ObjectFilter::Named(name) => {
                let passing = self.passing(name);
                progress(0.5);
                self.summary_of(&passing)
            }
        };
        progress(1.0);
        rows
    }

    /// The Summary of the nodes `passing` marks.
    fn summary_of(&self, passing: &BitVec) -> Vec<Aggregate> {
        self.summary_where(&|n: u32| passing.get(n as usize))
    }

    /// The Summary of the nodes `keep` accepts, with this snapshot's classes, distances and
    /// dominators (a filter or an id range).
    pub(super) fn summary_where(&self, keep: &(dyn Fn(u32) -> bool + Sync)) -> Vec<Aggregate> {
        let classes = self.classes();
        let inputs = aggregates::Inputs {
            graph: self.graph(),
            self_size: &classes.self_size,
            new_strings: Some(&classes.names),
            classes: &classes.classes,
        };
        aggregates::aggregate(
            &inputs,
            Some(keep),
            &self.distances().distances,
            Some(&self.dominance().dominators),
        )
    }

    /// The duplicated-strings preset's Summary and its groups, from one grouping of the
    /// strings (the preset needs both; each is a full pass).
    pub fn duplicated_strings_summary(
        &self,
        progress: &(dyn Fn(f64) + Sync),
    ) -> (Vec<Aggregate>, DuplicateStrings) {
        progress(0.0);
        let found = named_filters::duplicated_strings(
            self.graph(),
            &self.classes().self_size,
            &self.dominance().retained,
        );
        progress(0.6);
        let rows = self.summary_of(&found.passing);
        progress(1.0);
        let wasted = found.groups.iter().map(DuplicateGroup::wasted).sum();
        (
            rows,
            DuplicateStrings {
                groups: found.groups,
                wasted,
            },
        )
    }

    pub(super) fn passing(&self, filter: NamedFilter) -> BitVec {
        let owner: &[i32] = if filter.needs_native_contexts() {
            &self.native_context_attribution().owner
        } else {
            &[]
        };
        named_filters::passing(
            &named_filters::Inputs {
                graph: self.graph(),
                self_size: &self.classes().self_size,
                distances: &self.distances().distances,
                dom: &self.inner.dom_states,
                retained: &self.dominance().retained,
                native_context_owner: owner,
            },
            filter,
        )
    }

    /// The groups of equal strings (DevTools' `getDuplicateStrings`, its order) and the
    /// memory their copies waste.
    pub fn duplicated_strings(&self) -> DuplicateStrings {
        let groups = named_filters::duplicated_strings(
            self.graph(),
            &self.classes().self_size,
            &self.dominance().retained,
        )
        .groups;
        let wasted = groups.iter().map(DuplicateGroup::wasted).sum();
        DuplicateStrings { groups, wasted }
    }
}
