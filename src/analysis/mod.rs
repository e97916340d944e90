//! Stage 3 of the pipeline: DevTools' analysis of a heap graph, phase by phase, in DevTools'
//! order (`HeapSnapshot.initialize`): DOM state, page ownership, essential edges and retainers,
//! then dominators on one core while shallow sizes and distances run on the other, then retained
//! sizes beside statistics, class names and interfaces. Each algorithm lives in its own module with its
//! DevTools source and invariants at the top.

pub mod aggregates;
pub mod bits;
pub mod class_names;
pub mod detachedness;
pub mod diff;
pub mod distances;
pub mod dominators;
pub mod essential;
pub mod identity;
pub mod interfaces;
pub mod js;
pub mod names;
pub mod page_owned;
pub mod retained_size;
pub mod retainers_view;
pub mod shallow_size;
pub mod statistics;
pub mod weakmap;

use crate::graph::{retainers::Retainers, HeapGraph};
use crate::parse::strings::NewStrings;
use crate::progress::Progress;
use interfaces::InterfaceDefinition;
use retained_size::DominatedNodes;
use statistics::Statistics;
use std::collections::HashMap;
use std::time::{Duration, Instant};

/// Everything the views need that DevTools computes at load time.
pub struct Analysis {
    /// Distance from the GC roots per node (DevTools' raw values).
    pub distances: Vec<i32>,
    /// Class string index per node.
    pub classes: Vec<u32>,
    /// The interface definitions inferred for this snapshot.
    pub interface_definitions: Vec<InterfaceDefinition>,
    /// Interface class names already added to the strings (name → index).
    pub interface_names: HashMap<String, u32>,
    /// Immediate dominator per node.
    pub dominator: Vec<u32>,
    /// Dominator tree children.
    pub dominated: DominatedNodes,
    /// Retained size per node.
    pub retained: Vec<u64>,
    /// Root retained size + `extra_native_bytes`.
    pub total_size: u64,
    /// Statistics view totals.
    pub statistics: Statistics,
    /// Wall time per phase.
    pub timings: Vec<(&'static str, Duration)>,
}

/// Runs every phase on `graph` (which is updated in place: detached names, redistributed
/// self sizes, retainers, added strings).
pub fn analyze(graph: &mut HeapGraph, progress: &Progress) -> Analysis {
    let mut timings = Vec::new();
    let mut clock = Instant::now();
    let mut lap = |name: &'static str, timings: &mut Vec<(&'static str, Duration)>| {
        timings.push((name, clock.elapsed()));
        clock = Instant::now();
    };

    progress.report("Propagating DOM state", 0.90);
    detachedness::propagate(graph);
    // Only the names it changed matter from here on.
    graph.detachedness = Vec::new();
    let ephemerons = weakmap::EphemeronNames::find(graph);
    lap("dom state", &mut timings);

    progress.report("Building retainers", 0.91);
    // Page ownership (a walk over the whole graph) runs while the retainers are built: their
    // per-slot essential bits use every rule but page ownership, applied later.
    let shared: &HeapGraph = graph;
    let (page_owned, (mut retainers, slot_essential)) = rayon::join(
        || page_owned::mark(shared),
        || {
            Retainers::build_marked(&shared.first_edge, &shared.edge_to, |source, edge| {
                essential::by_edge(shared, source, edge, &ephemerons)
            })
        },
    );
    let essential = essential::compute(graph, &page_owned, &ephemerons);
    lap("page ownership, essential edges, retainers", &mut timings);

    progress.report("Dominators, distances, shallow sizes", 0.93);
    // Dominators on one core; shallow sizes and distances on the other. The self sizes move out
    // of the graph while they are redistributed in place (nothing else reads them meanwhile),
    // so they are not held twice.
    let mut sizes = std::mem::take(&mut graph.self_size);
    let shared: &HeapGraph = graph;
    let (dominators, (distances, side_time)) = rayon::join(
        || {
            let from_root = dominators::number_from_root(shared, &essential);
            dominators::compute(
                shared,
                &mut retainers,
                from_root,
                &essential,
                slot_essential,
                &page_owned,
            )
        },
        || {
            let t = Instant::now();
            shallow_size::redistribute(shared, &mut sizes);
            (distances::compute(shared, &ephemerons), t.elapsed())
        },
    );
    drop((essential, page_owned));
    graph.self_size = sizes;
    graph.retainers = retainers;
    timings.push(("  (shallow sizes, distances: overlapped)", side_time));
    lap("dominators", &mut timings);

    progress.report("Retained sizes, class names", 0.97);
    // Class names wait until the dominator arrays are gone, which keeps them out of the peak.
    let shared: &HeapGraph = graph;
    let (
        (retained, dominated),
        (sums, classes, interface_definitions, interface_names, new_strings),
    ) = rayon::join(
        || {
            let retained = retained_size::compute(&dominators, &shared.self_size);
            (
                retained,
                DominatedNodes::build(&dominators.dominator, shared.root),
            )
        },
        || {
            let mut new_strings = NewStrings::after(&shared.strings);
            let mut classes = class_names::compute(shared, &mut new_strings);
            let definitions = interfaces::infer(shared);
            let mut names = HashMap::new();
            interfaces::apply(
                shared,
                &definitions,
                &mut classes,
                &mut names,
                &mut new_strings,
            );
            (
                statistics::sums(shared),
                classes,
                definitions,
                names,
                new_strings,
            )
        },
    );
    new_strings.append_to(&mut graph.strings);
    let total_size = retained[graph.root as usize] + graph.header.extra_native_bytes;
    let statistics = sums.with_total(total_size);
    lap("retained sizes, statistics, class names", &mut timings);

    Analysis {
        distances,
        classes,
        interface_definitions,
        interface_names,
        dominator: dominators.dominator,
        dominated,
        retained,
        total_size,
        statistics,
        timings,
    }
}
