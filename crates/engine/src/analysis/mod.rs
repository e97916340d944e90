//! Stage 3 of the pipeline: DevTools' analysis of a heap graph, with the dependencies of
//! `HeapSnapshot.initialize`: DOM state first ([`prepare`]); then two lanes, one per core: the
//! main lane walks the DFS (learning page ownership and the essential edges on the way) and
//! computes dominators, while the side lane builds the retainers (handed over for the
//! dominators), shallow sizes, class names, interfaces and distances; then the Summary's rows
//! (grouped by the side lane first when a front end waits for the classes) and class retained
//! sizes beside retained sizes and statistics. Each algorithm lives in its own module with its
//! DevTools source and invariants at the top.
//!
//! Results land in three stages ([`Stage`]), each published in [`Results`] as soon as its
//! inputs are ready, so a front end can show a Comparison long before the dominators are
//! done: [`ClassesStage`] (self sizes, class names, the Summary's counts and objects),
//! [`DistancesStage`], then [`DominatorsStage`] (retainers, dominators, retained sizes,
//! statistics, the complete Summary). No stage's numbers depend on when it lands.

pub mod aggregates;
pub mod class_names;
pub mod class_retained;
pub mod contents;
pub mod dead_context_fields;
pub mod detachedness;
pub mod diff;
pub mod distances;
pub mod dominated;
pub mod dominator_tree;
pub mod dominators;
pub mod essential;
pub mod identity;
pub mod ignored_retainers;
pub mod interfaces;
pub mod named_filters;
pub mod names;
pub mod native_contexts;
pub mod object_cell;
pub mod page_owned;
pub mod release;
pub mod retained_size;
pub mod retainer_index;
pub mod retainers_view;
pub mod scripts;
pub mod shallow_size;
pub mod statistics;
pub mod values;
pub mod weakmap;

use crate::graph::strings::NewStrings;
use crate::graph::{array::Array, retainers::Retainers, HeapGraph};
use aggregates::Aggregate;
use dominators::Dominators;
use heaptui_common::progress::{Phase, Progress};
use heaptui_common::util::bits::BitVec;
use interfaces::InterfaceDefinition;
use statistics::Statistics;
use std::collections::HashMap;
use std::sync::{Condvar, Mutex, OnceLock};
use std::time::{Duration, Instant};

/// How far through the analysis phase the main lane (the critical path) is after page
/// ownership (which follows the DFS of the page-owned part, most of the DFS) and after the
/// whole DFS, from `--timings` on the 1.5 GB bench snapshot (the DFS is about 1.1 s of 3 s).
const MAIN_LANE_SHARE_AFTER_PAGE_OWNERSHIP: f64 = 0.35;
const MAIN_LANE_SHARE_AFTER_DFS: f64 = 0.37;

/// The stages in which results land, in order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Stage {
    /// Self sizes, class names and interfaces, the Summary's counts, shallow sizes and objects:
    /// what a Comparison needs.
    Classes,
    /// Distances from the GC roots.
    Distances,
    /// Retainers, dominators, retained sizes, statistics and the complete Summary.
    Dominators,
}

/// The classes stage.
pub struct ClassesStage {
    /// Self size per node, redistributed into owners as DevTools shows them.
    pub self_size: Array<u32>,
    /// Class string index per node (indexes past the graph's strings are in `names`).
    pub classes: Array<u32>,
    /// The class names the analysis added (`(system)`, `{a, b}`, …).
    pub names: NewStrings,
    /// The interface definitions inferred for this snapshot.
    pub interface_definitions: Vec<InterfaceDefinition>,
    /// Interface class names and their string indexes.
    pub interface_names: HashMap<String, u32>,
    /// The Summary's rows with counts, shallow sizes and objects; distance and retained size
    /// are 0 here (see the later stages).
    pub rows: Vec<Aggregate>,
}

/// The distances stage.
pub struct DistancesStage {
    /// Distance from the GC roots per node (DevTools' raw values).
    pub distances: Array<i32>,
}

/// The dominators stage: everything else.
pub struct DominatorsStage {
    /// Reverse edges (read through [`DominatorsStage::retainers`]).
    pub retainer_index: retainer_index::RetainerIndex,
    /// The dominator tree: the immediate dominator per node, and the DFS preorder (every node
    /// after its dominator) that passes down the tree follow.
    pub dominators: Dominators,
    /// One bit per edge, set when the edge is essential (it keeps its target alive for the
    /// dominators and retained sizes: not weak, not ignored; see [`essential`]).
    pub holding: BitVec,
    /// Retained size per node.
    pub retained: Array<u64>,
    /// Root retained size + `extra_native_bytes`.
    pub total_size: u64,
    /// Statistics view totals.
    pub statistics: Statistics,
    /// The Summary view's rows for all objects (unsorted), every column filled.
    pub summary: Vec<Aggregate>,
}

impl DominatorsStage {
    /// The retainer index, its sources node ordinals.
    pub fn retainers(&self) -> &Retainers {
        self.retainer_index.get(&self.dominators.dfs_order)
    }
}

/// Where the stages land: each is set once, in order, and read-only after.
#[derive(Default)]
pub struct Results {
    /// [`Stage::Classes`].
    pub classes: OnceLock<ClassesStage>,
    /// [`Stage::Distances`].
    pub distances: OnceLock<DistancesStage>,
    /// [`Stage::Dominators`].
    pub dominators: OnceLock<DominatorsStage>,
    /// Wall time per phase, filled in as the lanes finish.
    pub timings: Mutex<Vec<(&'static str, Duration)>>,
    /// The scripts' names: found by the side lane once its other work is done (it usually
    /// ends before the main lane), or by whoever asks first.
    pub scripts: OnceLock<scripts::ScriptNames>,
}

/// The order of work.
#[derive(Clone, Copy)]
pub enum Schedule<'a> {
    /// Everything as soon as possible (a headless command waits for the whole analysis).
    Throughput,
    /// The classes stage first: the side lane computes it before the retainers, and the main
    /// lane starts only once every snapshot at the ticket's gate has its classes, so that with
    /// several snapshots on few cores every snapshot's classes come first.
    ClassesFirst(&'a Ticket<'a>),
}

/// How the analysis reports: its progress, each stage as it lands, and its order of work.
pub struct Hooks<'a> {
    /// Phase progress.
    pub progress: &'a Progress<'a>,
    /// Called once per stage, in order, right after it is published.
    pub landed: &'a (dyn Fn(Stage) + Sync),
    /// The order of work.
    pub schedule: Schedule<'a>,
}

/// Holds back the dominator lanes of several snapshots until all of them have their classes.
pub struct Gate {
    missing: Mutex<usize>,
    all_in: Condvar,
}

impl Gate {
    /// A gate for `snapshots` loads.
    pub fn new(snapshots: usize) -> Gate {
        Gate {
            missing: Mutex::new(snapshots),
            all_in: Condvar::new(),
        }
    }

    /// A load's place at the gate: it arrives when its classes are in, or when it is dropped
    /// (a load that failed must not hold the others back).
    pub fn ticket(&self) -> Ticket<'_> {
        Ticket {
            gate: self,
            arrived: std::sync::atomic::AtomicBool::new(false),
        }
    }

    fn arrive(&self) {
        let mut missing = self.missing.lock().unwrap_or_else(|e| e.into_inner());
        *missing = missing.saturating_sub(1);
        if *missing == 0 {
            self.all_in.notify_all();
        }
    }

    fn wait(&self) {
        let mut missing = self.missing.lock().unwrap_or_else(|e| e.into_inner());
        while *missing > 0 {
            missing = self.all_in.wait(missing).unwrap_or_else(|e| e.into_inner());
        }
    }
}

/// One load's place at a [`Gate`].
pub struct Ticket<'a> {
    gate: &'a Gate,
    arrived: std::sync::atomic::AtomicBool,
}

impl Ticket<'_> {
    /// Marks this load's classes as in (once).
    pub fn arrive(&self) {
        if !self.arrived.swap(true, std::sync::atomic::Ordering::SeqCst) {
            self.gate.arrive();
        }
    }

    /// Waits until every load sharing the gate has arrived.
    pub fn wait_for_all(&self) {
        self.gate.wait();
    }
}

impl Drop for Ticket<'_> {
    fn drop(&mut self) {
        self.arrive();
    }
}

/// Class names with the inferred interfaces applied.
struct Classes {
    classes: Vec<u32>,
    interface_definitions: Vec<InterfaceDefinition>,
    interface_names: HashMap<String, u32>,
    names: NewStrings,
}

impl Classes {
    fn compute(graph: &HeapGraph, memory: Vec<u32>) -> Classes {
        let mut names = NewStrings::after(&graph.strings);
        let mut classes = class_names::compute(graph, &mut names, memory);
        let interface_definitions = interfaces::infer(graph);
        let mut interface_names = HashMap::new();
        interfaces::apply(
            graph,
            &interface_definitions,
            &mut classes,
            &mut interface_names,
            &mut names,
        );
        Classes {
            classes,
            interface_definitions,
            interface_names,
            names,
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

/// How often a lane waiting for the other checks again when there is no pool work to help
/// with: short beside any phase, long enough not to take a core.
const WAIT_POLL: Duration = Duration::from_micros(200);

/// Polls `ready` until it gives a value; meanwhile runs the rayon pool's pending work when
/// called on one of its threads (the other lane's parallel passes may be waiting for it), or
/// sleeps [`WAIT_POLL`].
fn wait_helping_the_pool<T>(mut ready: impl FnMut() -> Option<T>) -> T {
    loop {
        if let Some(value) = ready() {
            return value;
        }
        if rayon::yield_now() != Some(rayon::Yield::Executed) {
            std::thread::sleep(WAIT_POLL);
        }
    }
}

/// Settles the graph before it is shared: DOM state propagation renames detached native
/// nodes (`Detached <div>`) and leaves each node's final DOM link state in
/// `graph.detachedness`, for the loader to keep as [`detachedness::DomStates`] (two bits per
/// node) and drop. Returns its wall time.
pub fn prepare(graph: &mut HeapGraph) -> Duration {
    let clock = Instant::now();
    detachedness::propagate(graph);
    clock.elapsed()
}

/// The side lane's results that the last phase needs.
struct SideLane {
    classes: SideClasses,
    /// The distances, when the last phase publishes them (after the classes it publishes).
    distances: Option<Vec<i32>>,
    timings: Vec<(&'static str, Duration)>,
}

/// Where the side lane left the classes stage.
enum SideClasses {
    /// Published, with the grouping to finish (its row per node released).
    Published(aggregates::Grouping),
    /// Self sizes and class names only: the last phase groups and publishes them. Grouping
    /// needs a row per node beside the rows' objects, which must not meet the dominators'
    /// working memory (the load's peak) when nothing waits for the classes.
    Named(Vec<u32>, Classes),
}

/// Runs every phase on a prepared `graph` (see [`prepare`]) with its file's self sizes,
/// publishing each stage in `results` as it lands.
pub fn analyze(graph: &HeapGraph, self_size: Vec<u32>, results: &Results, hooks: &Hooks) {
    let progress = hooks.progress;
    let mut lane = Lane::started();
    progress.report(Phase::Analysing, 0.0);
    let ephemerons = weakmap::EphemeronNames::find(graph);
    let by_edge_bits = essential::by_edge_bits(graph, &ephemerons);
    lane.lap("weak map ephemerons, essential edges");
    let ticket = match hooks.schedule {
        Schedule::ClassesFirst(ticket) => Some(ticket),
        Schedule::Throughput => None,
    };
    let classes_first = ticket.is_some();
    // Two lanes. Main: the DFS, which tells page ownership on its way and so the essential
    // edges, then the dominators, which need the retainers. Side: the retainers (their per-slot
    // essential bits use every rule but page ownership, which the main lane applies to them),
    // handed over as soon as they are ready, then shallow sizes, distances, class names,
    // interfaces and the Summary's rows. With `classes_first`, the side lane starts with the
    // classes stage instead. The side lane's parallel passes run on the rayon pool, so the main
    // lane waits for it helping the pool (it may be one of its threads), never blocked.
    let (handover, retainers_built) = std::sync::mpsc::channel();
    let (dominators, spare, dominator_at, side, holding, retainers) = std::thread::scope(|scope| {
        let (by_edge_bits, ephemerons) = (&by_edge_bits, &ephemerons);
        let side = scope.spawn(move || {
            let mut lane = Lane::started();
            let mut sizes = Some(self_size);
            let mut grouping = None;
            if classes_first {
                grouping = Some(classes_stage(graph, sizes.take(), results, &mut lane));
                (hooks.landed)(Stage::Classes);
                if let Some(ticket) = ticket {
                    ticket.arrive();
                }
            }
            let (retainers, slot_essential) =
                Retainers::build(&graph.first_edge, &graph.edge_to, Some(by_edge_bits));
            // Here rather than on the main lane, which waits for them only after its DFS.
            let single_retainer = essential::single_retainers(&retainers, &slot_essential);
            lane.lap("  (side) retainers, single retainers");
            // The main lane waits on this; it cannot be gone unless it panicked. It hands the
            // retainers back when the dominators are done.
            let _ = handover.send((retainers, slot_essential, single_retainer));
            let classes = match grouping {
                Some(grouping) => SideClasses::Published(grouping),
                None => {
                    let (sizes, classes) = class_names(graph, sizes.take(), &mut lane);
                    SideClasses::Named(sizes, classes)
                }
            };
            let distances = distances::compute(graph, ephemerons);
            lane.lap("  (side) distances");
            results
                .scripts
                .get_or_init(|| scripts::ScriptNames::find(graph));
            lane.lap("  (side) script names");
            let distances = match classes {
                SideClasses::Published(_) => {
                    publish_distances(results, hooks, distances);
                    None
                }
                SideClasses::Named(..) => Some(distances),
            };
            SideLane {
                classes,
                distances,
                timings: lane.timings,
            }
        });
        if let Some(ticket) = ticket {
            ticket.wait_for_all();
            lane.lap("(waiting for every snapshot's classes)");
        }
        // The DFS walks the page-owned part first, which tells the page ownership.
        let mut page_owned = None;
        let (from_root, essential) =
            dominators::number_from_root(graph, by_edge_bits, |walked, into_root| {
                lane.lap("DFS from the root, page-owned entries");
                let owned = page_owned::complete(graph, by_edge_bits, walked, into_root);
                let essential = essential::with_page_rule(graph, by_edge_bits, &owned);
                page_owned = Some(owned);
                lane.lap("page ownership, essential edges");
                progress.report(Phase::Analysing, MAIN_LANE_SHARE_AFTER_PAGE_OWNERSHIP);
                essential
            });
        lane.lap("DFS from the root, the rest");
        progress.report(Phase::Analysing, MAIN_LANE_SHARE_AFTER_DFS);
        let built = wait_helping_the_pool(|| match retainers_built.try_recv() {
            Err(std::sync::mpsc::TryRecvError::Empty) => None,
            received => Some(received.ok()),
        });
        let (mut retainers, mut slot_essential, mut single_retainer) = match built {
            Some(built) => built,
            None => std::panic::resume_unwind(
                side.join()
                    .err()
                    .unwrap_or_else(|| Box::new("the retainer lane ended without its result")),
            ),
        };
        lane.lap("(waiting for the retainers)");
        essential::slots_with_page_rule(
            graph,
            &retainers,
            &mut slot_essential,
            &mut single_retainer,
            page_owned
                .as_ref()
                .expect("the DFS asked for the page rule"),
        );
        lane.lap("page ownership of the retainers");
        let (dominators, spare, dominator_at) = dominators::compute(
            graph,
            &mut retainers,
            from_root,
            &essential,
            slot_essential,
            &single_retainer,
        );
        lane.lap("dominators");
        wait_helping_the_pool(|| side.is_finished().then_some(()));
        let side = match side.join() {
            Ok(side) => side,
            Err(panic) => std::panic::resume_unwind(panic),
        };
        lane.lap("(waiting for the side lane)");
        (dominators, spare, dominator_at, side, essential, retainers)
    });
    // The per-edge essential bits served the lanes only: the last phase's peak is lower
    // without them.
    drop(by_edge_bits);
    let SideLane {
        classes: side_classes,
        distances: unpublished_distances,
        timings: side_timings,
    } = side;
    lane.timings.extend(side_timings);

    progress.report(Phase::RetainedSizes, 0.0);
    let (grouping, named) = match side_classes {
        SideClasses::Published(grouping) => (Some(grouping), None),
        SideClasses::Named(sizes, classes) => (None, Some((sizes, classes))),
    };
    let published = results.classes.get();
    let self_size: &[u32] = match &named {
        Some((sizes, _)) => sizes,
        None => &published.expect("published with its grouping").self_size,
    };
    let distances: &[i32] = match &unpublished_distances {
        Some(distances) => distances,
        None => {
            &results
                .distances
                .get()
                .expect("published when not kept")
                .distances
        }
    };
    // The grouping (parallel) comes first: the class pass, the longest chain, needs it. That
    // pass works in the dominators' positions (their memory becomes the path sets), and the
    // rows' node lists are made after it, so the two never meet beside the retained sizes:
    // the load's peak stays where it was.
    let (grouping, to_publish) = match grouping {
        Some(mut grouping) => {
            let rows = &published.expect("published with its grouping").rows;
            grouping.restore_rows_per_node(rows, graph.node_count());
            (grouping, false)
        }
        None => {
            let (sizes, classes) = named.as_ref().expect("named when not grouped");
            (group(graph, sizes, classes), true)
        }
    };
    let ((rows, row_distances, class_retained), (retained, sums)) = rayon::join(
        || {
            let row_distances = grouping.distances(distances);
            let class_retained =
                grouping.class_retained(&dominators, Some(dominator_at), self_size);
            let rows = to_publish.then(|| grouping.rows());
            (rows, row_distances, class_retained)
        },
        || {
            (
                retained_size::compute(&dominators, self_size, spare),
                // Counts only: the slot ranges, the same in DFS numbers.
                statistics::sums(graph, self_size, &retainers),
            )
        },
    );
    let rows = rows.as_ref().or(published.map(|classes| &classes.rows));
    let summary = aggregates::complete(
        rows.expect("the rows are grouped or published"),
        &row_distances,
        &class_retained,
    );
    if let (Some((sizes, classes)), Some(rows)) = (named, rows) {
        publish_classes(results, sizes, classes, rows.clone());
        (hooks.landed)(Stage::Classes);
    }
    if let Some(distances) = unpublished_distances {
        publish_distances(results, hooks, distances);
    }
    let total_size = retained[graph.root as usize] + graph.header.extra_native_bytes;
    let statistics = sums.with_total(total_size);
    lane.lap("class retained sizes, retained sizes, statistics");
    results
        .timings
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .extend(lane.timings);
    let retainer_index = retainer_index::RetainerIndex::numbered(retainers);
    if classes_first {
        // A view waits on nothing once the stage has landed.
        retainer_index.get(&dominators.dfs_order);
    }
    let _ = results.dominators.set(DominatorsStage {
        retainer_index,
        dominators,
        holding,
        retained: retained.into(),
        total_size,
        statistics,
        summary,
    });
    (hooks.landed)(Stage::Dominators);
}

/// Redistributes the self sizes and names the classes: the classes stage's inputs.
fn class_names(
    graph: &HeapGraph,
    self_size: Option<Vec<u32>>,
    lane: &mut Lane,
) -> (Vec<u32>, Classes) {
    let mut sizes = self_size.expect("the self sizes, once");
    let memory = shallow_size::redistribute(graph, &mut sizes);
    lane.lap("  (side) shallow sizes");
    let classes = Classes::compute(graph, memory);
    lane.lap("  (side) class names, interfaces");
    (sizes, classes)
}

/// Groups the nodes into the Summary's rows by their classes.
fn group(graph: &HeapGraph, sizes: &[u32], classes: &Classes) -> aggregates::Grouping {
    aggregates::group(
        &aggregates::Inputs {
            graph,
            self_size: sizes,
            new_strings: Some(&classes.names),
            classes: &classes.classes,
        },
        None,
    )
}

/// Publishes the classes stage.
fn publish_classes(results: &Results, sizes: Vec<u32>, classes: Classes, rows: Vec<Aggregate>) {
    let Classes {
        classes,
        interface_definitions,
        interface_names,
        names,
    } = classes;
    let _ = results.classes.set(ClassesStage {
        self_size: sizes.into(),
        classes: classes.into(),
        names,
        interface_definitions,
        interface_names,
        rows,
    });
}

/// Publishes the distances stage.
fn publish_distances(results: &Results, hooks: &Hooks, distances: Vec<i32>) {
    let _ = results.distances.set(DistancesStage {
        distances: distances.into(),
    });
    (hooks.landed)(Stage::Distances);
}

/// The classes stage first (see [`Schedule::ClassesFirst`]): redistributes the self sizes,
/// names the classes and groups the nodes into the Summary's rows; publishes it and returns
/// the grouping the later stages finish, its row per node released meanwhile.
fn classes_stage(
    graph: &HeapGraph,
    self_size: Option<Vec<u32>>,
    results: &Results,
    lane: &mut Lane,
) -> aggregates::Grouping {
    let (sizes, classes) = class_names(graph, self_size, lane);
    let mut grouping = group(graph, &sizes, &classes);
    let rows = grouping.rows();
    grouping.release_rows_per_node();
    lane.lap("  (side) Summary rows");
    publish_classes(results, sizes, classes, rows);
    grouping
}
