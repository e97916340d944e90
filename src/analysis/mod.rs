//! Stage 3 of the pipeline: DevTools' analysis of a heap graph, with the dependencies of
//! `HeapSnapshot.initialize`: DOM state first; then two lanes, one per core: the main lane marks
//! page ownership and essential edges, walks the DFS and computes dominators, while the side
//! lane builds the retainers (handed over for the dominators), shallow sizes, distances, class
//! names, interfaces and the Summary's rows; then class retained sizes beside retained sizes
//! and statistics. Each algorithm lives in its own module with its DevTools source and
//! invariants at the top.

pub mod aggregates;
pub mod class_names;
pub mod class_retained;
pub mod detachedness;
pub mod diff;
pub mod distances;
pub mod dominators;
pub mod essential;
pub mod identity;
pub mod interfaces;
pub mod names;
pub mod page_owned;
pub mod retained_size;
pub mod retainers_view;
pub mod scripts;
pub mod shallow_size;
pub mod statistics;
pub mod weakmap;

use crate::graph::strings::NewStrings;
use crate::graph::{retainers::Retainers, HeapGraph};
use crate::progress::{Phase, Progress};
use crate::util::bits::BitVec;
use aggregates::Aggregate;
use dominators::Dominators;
use interfaces::InterfaceDefinition;
use statistics::Statistics;
use std::collections::HashMap;
use std::time::{Duration, Instant};

/// How far through the analysis phase the main lane (the critical path) is after page
/// ownership and after the DFS, from `--timings` on the 1.5 GB bench snapshot (0.46 s and
/// 0.9 s of about 2.5 s).
const MAIN_LANE_SHARE_AFTER_PAGE_OWNERSHIP: f64 = 0.18;
const MAIN_LANE_SHARE_AFTER_DFS: f64 = 0.55;

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
    /// The dominator tree: the immediate dominator per node, and the DFS preorder (every node
    /// after its dominator) that passes down the tree follow.
    pub dominators: Dominators,
    /// Retained size per node.
    pub retained: Vec<u64>,
    /// Root retained size + `extra_native_bytes`.
    pub total_size: u64,
    /// Statistics view totals.
    pub statistics: Statistics,
    /// The Summary view's rows for all objects (unsorted).
    pub summary: Vec<Aggregate>,
    /// Wall time per phase.
    pub timings: Vec<(&'static str, Duration)>,
}

/// Class names with the inferred interfaces applied.
struct Classes {
    classes: Vec<u32>,
    interface_definitions: Vec<InterfaceDefinition>,
    interface_names: HashMap<String, u32>,
    new_strings: NewStrings,
}

impl Classes {
    fn compute(graph: &HeapGraph) -> Classes {
        let mut new_strings = NewStrings::after(&graph.strings);
        let mut classes = class_names::compute(graph, &mut new_strings);
        let interface_definitions = interfaces::infer(graph);
        let mut interface_names = HashMap::new();
        interfaces::apply(
            graph,
            &interface_definitions,
            &mut classes,
            &mut interface_names,
            &mut new_strings,
        );
        Classes {
            classes,
            interface_definitions,
            interface_names,
            new_strings,
        }
    }
}

/// Wall time per phase of one lane of work.
struct Lane {
    timings: Vec<(&'static str, Duration)>,
    clock: Instant,
}

impl Lane {
    fn started() -> Lane {
        Lane {
            timings: Vec::new(),
            clock: Instant::now(),
        }
    }

    /// Ends the current phase.
    fn lap(&mut self, name: &'static str) {
        self.timings.push((name, self.clock.elapsed()));
        self.clock = Instant::now();
    }
}

/// Runs every phase on `graph` (which is updated in place: detached names, redistributed
/// self sizes, retainers, added strings).
pub fn analyze(graph: &mut HeapGraph, progress: &Progress) -> Analysis {
    let mut lane = Lane::started();

    progress.report(Phase::Analysing, 0.0);
    detachedness::propagate(graph);
    // Only the names it changed matter from here on.
    graph.detachedness = Vec::new();
    let ephemerons = weakmap::EphemeronNames::find(graph);
    lane.lap("dom state");

    // Two lanes. Main: page ownership, essential edges, the DFS, then the dominators, which
    // need the retainers. Side: the retainers first (their per-slot essential bits use every
    // rule but page ownership, which the main lane sends when it knows it), handed over as soon
    // as they are ready, then shallow sizes, distances, class names, interfaces and the
    // Summary's rows. The self sizes move out of the graph while they are redistributed in
    // place (nothing else reads them meanwhile), so they are not held twice.
    let mut sizes = std::mem::take(&mut graph.self_size);
    let shared: &HeapGraph = graph;
    let by_edge_bits = essential::by_edge_bits(shared, &ephemerons);
    let (handover, retainers_built) = std::sync::mpsc::channel();
    // Nothing in the side lane may use the rayon pool before the handover: the main lane waits
    // for the retainers on a pool thread.
    let (dominators, spare, mut retainers, side) = std::thread::scope(|scope| {
        // Page ownership goes to the side lane to finish the retainer bits. If the main lane
        // panics first, the sender is dropped unsent and the side lane stops waiting.
        let (ownership, ownership_known) = std::sync::mpsc::channel::<BitVec>();
        let (by_edge_bits, sizes, ephemerons) = (&by_edge_bits, &mut sizes, &ephemerons);
        let side = scope.spawn(move || {
            let mut lane = Lane::started();
            let (retainers, mut slot_essential) =
                Retainers::build(&shared.first_edge, &shared.edge_to, Some(by_edge_bits));
            lane.lap("  (side) retainers");
            if let Ok(page_owned) = ownership_known.recv() {
                let single_retainer = essential::slots_with_page_rule(
                    shared,
                    &retainers,
                    &mut slot_essential,
                    &page_owned,
                );
                lane.lap("  (side) page ownership of the retainers");
                // The main lane waits on this; it cannot be gone unless it panicked.
                let _ = handover.send((retainers, slot_essential, single_retainer));
            }
            shallow_size::redistribute(shared, sizes);
            let sizes: &[u32] = sizes;
            lane.lap("  (side) shallow sizes");
            let distances = distances::compute(shared, ephemerons);
            lane.lap("  (side) distances");
            let classes = Classes::compute(shared);
            lane.lap("  (side) class names, interfaces");
            // The Summary's rows but for class retained sizes, which need the dominators.
            let grouping = aggregates::group(
                &aggregates::Inputs {
                    graph: shared,
                    self_size: sizes,
                    new_strings: Some(&classes.new_strings),
                    classes: &classes.classes,
                    distances: &distances,
                    tree: None,
                },
                None,
            );
            lane.lap("  (side) Summary rows");
            (distances, classes, grouping, lane.timings)
        });
        let page_owned = page_owned::mark(shared);
        let essential = essential::with_page_rule(shared, by_edge_bits, &page_owned);
        let _ = ownership.send(page_owned);
        lane.lap("page ownership, essential edges");
        progress.report(Phase::Analysing, MAIN_LANE_SHARE_AFTER_PAGE_OWNERSHIP);
        let from_root = dominators::number_from_root(shared, &essential);
        lane.lap("DFS from the root");
        progress.report(Phase::Analysing, MAIN_LANE_SHARE_AFTER_DFS);
        let (mut retainers, slot_essential, single_retainer) = match retainers_built.recv() {
            Ok(built) => built,
            Err(_) => std::panic::resume_unwind(
                side.join()
                    .err()
                    .unwrap_or_else(|| Box::new("the retainer lane ended without its result")),
            ),
        };
        lane.lap("(waiting for the retainers)");
        let (dominators, spare) = dominators::compute(
            shared,
            &mut retainers,
            from_root,
            &essential,
            slot_essential,
            &single_retainer,
        );
        lane.lap("dominators");
        let side = match side.join() {
            Ok(side) => side,
            Err(panic) => std::panic::resume_unwind(panic),
        };
        (dominators, spare, retainers, side)
    });
    let (distances, classes, grouping, side_timings) = side;
    graph.self_size = sizes;
    graph.retainers = std::mem::take(&mut retainers);
    lane.timings.extend(side_timings);

    progress.report(Phase::RetainedSizes, 0.0);
    // The class pass works in the rows' memory (the row per node becomes the path set), so it
    // can run beside the retained sizes without raising the peak above the dominators'.
    let shared: &HeapGraph = graph;
    let (summary, (retained, sums)) = rayon::join(
        || grouping.finish(Some(&dominators), &shared.self_size),
        || {
            (
                retained_size::compute(&dominators, &shared.self_size, spare),
                statistics::sums(shared),
            )
        },
    );
    let total_size = retained[graph.root as usize] + graph.header.extra_native_bytes;
    let statistics = sums.with_total(total_size);
    let Classes {
        classes,
        interface_definitions,
        interface_names,
        new_strings,
    } = classes;
    new_strings.append_to(&mut graph.strings);
    lane.lap("class retained sizes, retained sizes, statistics");

    Analysis {
        distances,
        classes,
        interface_definitions,
        interface_names,
        dominators,
        retained,
        total_size,
        statistics,
        summary,
        timings: lane.timings,
    }
}
