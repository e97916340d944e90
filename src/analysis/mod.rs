//! Stage 3 of the pipeline: DevTools' analysis of a heap graph, phase by phase, in DevTools'
//! order (`HeapSnapshot.initialize`): DOM state, page ownership, essential edges and retainers,
//! then dominators on one core while shallow sizes, distances, class names and interfaces run on
//! the other, then retained sizes and statistics. Each algorithm lives in its own module with its
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

/// What the second core computes while the first computes dominators.
struct Side {
    sizes: Vec<u32>,
    distances: Vec<i32>,
    classes: Vec<u32>,
    interface_definitions: Vec<InterfaceDefinition>,
    interface_names: HashMap<String, u32>,
    new_strings: NewStrings,
    time: Duration,
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
    let page_owned = page_owned::mark(graph);
    let ephemerons = weakmap::EphemeronNames::find(graph);
    lap("dom state, flags", &mut timings);

    progress.report("Building retainers", 0.91);
    let essential = essential::compute(graph, &page_owned, &ephemerons);
    drop(page_owned);
    // The DFS from the root needs only the edges: it runs while the retainers are built.
    let shared: &HeapGraph = graph;
    let (from_root, (retainers, slot_essential)) = rayon::join(
        || dominators::number_from_root(shared, &essential),
        || Retainers::build(&shared.first_edge, &shared.edge_to, Some(&essential)),
    );
    graph.retainers = retainers;
    lap("essential edges, retainers, DFS", &mut timings);

    progress.report("Dominators, distances, classes", 0.93);
    // Dominators on one core; everything that does not depend on them on the other.
    let shared: &HeapGraph = graph;
    let (dominators, side) = rayon::join(
        || dominators::compute(shared, from_root, &essential, &slot_essential),
        || {
            let t = Instant::now();
            let sizes = shallow_size::redistribute(shared);
            let distances = distances::compute(shared, &ephemerons);
            let mut new_strings = NewStrings::after(&shared.strings);
            let mut classes = class_names::compute(shared, &mut new_strings);
            let interface_definitions = interfaces::infer(shared);
            let mut interface_names = HashMap::new();
            interfaces::apply(
                shared,
                &interface_definitions,
                &mut classes,
                &mut interface_names,
                &mut new_strings,
            );
            Side {
                sizes,
                distances,
                classes,
                interface_definitions,
                interface_names,
                new_strings,
                time: t.elapsed(),
            }
        },
    );
    drop((essential, slot_essential));
    let Side {
        sizes,
        distances,
        classes,
        interface_definitions,
        interface_names,
        new_strings,
        time,
    } = side;
    graph.self_size = sizes;
    new_strings.append_to(&mut graph.strings);
    timings.push(("  (shallow sizes, distances, classes: overlapped)", time));
    lap("dominators", &mut timings);

    progress.report("Retained sizes", 0.98);
    let shared: &HeapGraph = graph;
    let ((retained, dominated), sums) = rayon::join(
        || {
            let retained = retained_size::compute(&dominators, &shared.self_size);
            (
                retained,
                DominatedNodes::build(&dominators.dominator, shared.root),
            )
        },
        || statistics::sums(shared),
    );
    let total_size = retained[graph.root as usize] + graph.header.extra_native_bytes;
    let statistics = sums.with_total(total_size);
    lap("retained sizes, statistics", &mut timings);

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
