//! A loaded and analysed snapshot: the library's API. The CLI, the TUI and the leak analyses
//! read every number through these methods and never recompute one; the graph and the
//! analysis behind them are private.
//!
//! A load's results land in stages ([`Stage`]). [`Snapshot::load`] waits for all of them and
//! gives a [`Snapshot`]; [`load_together`] hands out each snapshot as a [`Partial`] as soon as
//! its classes are known (enough for a Comparison), announces the later stages as they land
//! and ends with the complete snapshots. A `Snapshot` is a `Partial` whose every stage has
//! landed: it has all of a `Partial`'s methods (through `Deref`) and the ones that need the
//! later stages. Both are cheap to clone (a reference count) and can cross threads.
//!
//! Objects are addressed by their node ordinal (`u32`, the position in the file's `nodes`),
//! which stays valid for the life of the snapshot; [`Partial::node_id`] gives the object id
//! DevTools shows as `@123`.

mod compare;
#[cfg(test)]
mod grouping_tests;
mod ignore;
mod indexed;
mod load;
#[cfg(test)]
mod page_ownership_tests;
mod peek;
mod presets;
mod realms;
mod release;
#[cfg(test)]
mod retainer_tests;
mod views;
mod walk;

/// The real snapshots of the test fixtures (`tests/fixtures/*.heapsnapshot.gz`: Node 20–26,
/// Deno, Bun, Chromium), for the engine's tests that need loaded snapshots.
#[cfg(test)]
fn fixture_snapshots() -> Vec<std::path::PathBuf> {
    let folder = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/fixtures");
    let mut paths: Vec<_> = std::fs::read_dir(&folder)
        .expect("the fixtures folder")
        .map(|entry| entry.expect("a fixture").path())
        .filter(|path| path.to_string_lossy().ends_with(".heapsnapshot.gz"))
        .collect();
    paths.sort();
    assert!(paths.len() >= 20, "only {} fixtures", paths.len());
    paths
}

pub use crate::analysis::aggregates::Aggregate;
pub use crate::analysis::contents::ContentEdge;
pub use crate::analysis::detachedness::DomState;
pub use crate::analysis::diff::{ClassChange, ClassDiff};
pub use crate::analysis::identity::{pid_of, MatchBy, Verdict};
pub use crate::analysis::ignored_retainers::IgnoredRetainers;
pub use crate::analysis::interfaces::InterfaceDefinition;
pub use crate::analysis::named_filters::{DuplicateGroup, NamedFilter};
pub use crate::analysis::retainers_view::{ChainStep, Retainer};
pub use crate::analysis::scripts::{Script, SourceLocation};
pub use crate::analysis::statistics::Statistics;
pub use crate::analysis::values::ContextVariable;
pub use crate::analysis::Stage;
pub use crate::graph::Location;
pub use crate::parse::Warning;
pub use compare::{compare, Comparison, ComparisonRows};
pub use indexed::{
    build_index, index_on_by_default, index_sections, prune_index, reseal_index, IndexBuild,
    IndexSection, Pruned,
};
pub use load::{load_together, LoadEvent};
pub use peek::{peek, Peek, PEEK_LIMIT};
pub use presets::{DuplicateStrings, ObjectFilter};
pub use realms::{
    ContextFieldAnalysis, DeadContext, DeadField, DeadScope, NativeContextSize, Realms,
    RetainedByContexts, ScriptWithoutScopes,
};
pub use release::Release;
pub use walk::{AllocationFrame, EdgeKind, EdgesTo, Ownership, NO_OWNER};

use crate::analysis::{
    self, aggregates, interfaces, names, retainers_view, ClassesStage, DistancesStage,
    DominatorsStage, Results,
};
use crate::graph::HeapGraph;
use crate::parse;
use heaptui_common::error::Result;
use heaptui_common::progress::Progress;
use rayon::prelude::*;
use std::cmp::Reverse;
use std::path::{Path, PathBuf};
use std::sync::{Arc, OnceLock};
use std::time::Duration;

/// How to load a snapshot: given once, kept by the snapshot.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LoadOptions {
    /// Refuse snapshots whose analysis would need more memory than the machine has available.
    pub check_memory: bool,
    /// Mask string values in every name the snapshot hands out (`--redact`).
    pub redact: bool,
    /// Reopen from the index, or write one after loading (`--index`; see
    /// [`index_on_by_default`]).
    pub index: bool,
}

impl Default for LoadOptions {
    fn default() -> Self {
        LoadOptions {
            check_memory: true,
            redact: false,
            index: false,
        }
    }
}

/// What a load keeps: the file's facts, the settled graph and the analysis's stages.
struct Inner {
    path: PathBuf,
    redact: bool,
    warnings: Vec<Warning>,
    graph: HeapGraph,
    results: Results,
    /// Parse and DOM-state times; the analysis's own are in `results`.
    load_timings: Vec<(&'static str, Duration)>,
    /// Every node's DOM link state after propagation.
    dom_states: analysis::detachedness::DomStates,
    /// One-line notes about the load (the index used, rebuilt or skipped), for the front end.
    notes: std::sync::Mutex<Vec<String>>,
    /// Native-context attribution, computed the first time a realm or its filter is asked for.
    native_contexts: OnceLock<analysis::native_contexts::Attribution>,
}

/// A snapshot whose classes stage has landed: object ids, names, classes, shallow sizes, the
/// Summary's counts and a Comparison are available; distances, dominators and retained sizes
/// may still be computing (see [`Partial::complete`]).
#[derive(Clone)]
pub struct Partial {
    inner: Arc<Inner>,
}

/// A snapshot with DevTools' whole analysis done.
#[derive(Clone)]
pub struct Snapshot {
    partial: Partial,
}

impl std::ops::Deref for Snapshot {
    type Target = Partial;

    fn deref(&self) -> &Partial {
        &self.partial
    }
}

impl Partial {
    fn classes(&self) -> &ClassesStage {
        // A Partial is only handed out once its classes have landed.
        self.inner.results.classes.get().expect("the classes stage")
    }

    fn graph(&self) -> &HeapGraph {
        &self.inner.graph
    }

    /// The latest stage that has landed.
    pub fn stage(&self) -> Stage {
        let results = &self.inner.results;
        if results.dominators.get().is_some() {
            Stage::Dominators
        } else if results.distances.get().is_some() {
            Stage::Distances
        } else {
            Stage::Classes
        }
    }

    /// The complete snapshot, once every stage has landed.
    pub fn complete(&self) -> Option<Snapshot> {
        (self.stage() == Stage::Dominators).then(|| Snapshot {
            partial: self.clone(),
        })
    }

    /// The file it came from.
    pub fn path(&self) -> &Path {
        &self.inner.path
    }

    /// Problems worked around while loading.
    pub fn warnings(&self) -> &[Warning] {
        &self.inner.warnings
    }

    /// One-line notes about the load so far (the index rebuilt, written or skipped).
    pub fn notes(&self) -> Vec<String> {
        self.inner
            .notes
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .clone()
    }

    /// Wall time per load phase so far, parse included.
    pub fn timings(&self) -> Vec<(&'static str, Duration)> {
        let mut all = self.inner.load_timings.clone();
        let analysis = self.inner.results.timings.lock();
        all.extend(analysis.unwrap_or_else(|e| e.into_inner()).iter().copied());
        all
    }

    /// Number of nodes.
    pub fn node_count(&self) -> usize {
        self.graph().node_count()
    }

    /// Number of edges.
    pub fn edge_count(&self) -> usize {
        self.graph().edge_count()
    }

    /// The Summary's rows of the classes stage (unsorted): names, counts, shallow sizes and
    /// objects; their distance and retained size are 0 (the complete ones are
    /// [`Snapshot::summary`]).
    pub fn class_rows(&self) -> &[Aggregate] {
        &self.classes().rows
    }

    /// The interface definitions inferred for this snapshot (the class names of plain
    /// objects, `{a, b}`), which the Comparison applies to the base.
    pub fn interface_definitions(&self) -> &[InterfaceDefinition] {
        &self.classes().interface_definitions
    }

    /// Class rows with this snapshot classified by another snapshot's interface definitions
    /// (DevTools' `aggregatesForDiff`), with their distances when they have landed and class
    /// retained sizes when `with_retained` and they have (else 0).
    pub fn class_rows_with_interfaces(
        &self,
        definitions: &[InterfaceDefinition],
        with_retained: bool,
    ) -> Vec<Aggregate> {
        let classes = self.classes();
        let mut per_node = classes.classes.clone();
        // The names this snapshot already has keep their indexes; new ones are numbered after
        // them, for this aggregation only.
        let mut interface_names = classes.interface_names.clone();
        let mut names = classes.names.clone();
        interfaces::apply(
            self.graph(),
            definitions,
            &mut per_node,
            &mut interface_names,
            &mut names,
        );
        let inputs = aggregates::Inputs {
            graph: self.graph(),
            self_size: &classes.self_size,
            new_strings: Some(&names),
            classes: &per_node,
        };
        let distances = self.inner.results.distances.get();
        let tree = self
            .inner
            .results
            .dominators
            .get()
            .filter(|_| with_retained);
        match distances {
            Some(d) => {
                aggregates::aggregate(&inputs, None, &d.distances, tree.map(|t| &t.dominators))
            }
            None => aggregates::group(&inputs, None).rows(),
        }
    }

    /// The largest JS object id (odd ids; DevTools' `maxJsNodeId`): objects with higher ids
    /// were allocated after this snapshot was taken.
    pub fn max_js_object_id(&self) -> u32 {
        self.graph()
            .node_id
            .iter()
            .copied()
            .filter(|id| id % 2 == 1)
            .max()
            .unwrap_or(0)
    }

    /// The snapshot object id of a node (`@id`).
    pub fn node_id(&self, node: u32) -> u32 {
        self.graph().node_id[node as usize]
    }

    /// The node with object id `id` (a linear scan, as DevTools does).
    pub fn node_for_id(&self, id: u32) -> Option<u32> {
        self.graph().node_for_id(id)
    }

    /// The class (Constructor column) of a node.
    pub fn class_name(&self, node: u32) -> &str {
        let classes = self.classes();
        classes
            .names
            .get(&self.graph().strings, classes.classes[node as usize])
    }

    /// The class location of a node, where its class key has one.
    pub fn class_location(&self, node: u32) -> Option<crate::graph::Location> {
        let graph = self.graph();
        if Some(graph.node_type[node as usize]) == graph.node_kinds.object {
            graph.location(node)
        } else {
            None
        }
    }

    /// The name DevTools shows for a node (`{a, b}` for plain objects, text for cons strings);
    /// string values are masked when the snapshot was loaded with `redact`.
    pub fn display_name(&self, node: u32) -> String {
        let name = names::display_name(self.graph(), node);
        if self.inner.redact && self.is_string(node) {
            heaptui_common::util::redact::mask(&name)
        } else {
            name
        }
    }

    /// True for string nodes of every kind (their names are the string values).
    pub fn is_string(&self, node: u32) -> bool {
        let graph = self.graph();
        let t = Some(graph.node_type[node as usize]);
        let k = graph.node_kinds;
        t == k.string || t == k.cons_string || t == k.sliced_string
    }

    /// The node's type (`object`, `closure`, `string`, …).
    pub fn type_name(&self, node: u32) -> &str {
        self.graph().type_name(node)
    }

    /// The node's shallow size (after DevTools' redistribution into owners).
    pub fn self_size(&self, node: u32) -> u64 {
        u64::from(self.classes().self_size[node as usize])
    }

    /// Where a function (or an object's constructor) was defined, if the snapshot says.
    pub fn source_location(&self, node: u32) -> Option<SourceLocation> {
        self.script_names().source_location(self.graph(), node)
    }

    /// The type name of an edge (`property`, `element`, `context`, …).
    pub fn edge_type_name(&self, edge: usize) -> &str {
        self.graph().edge_type_name(edge)
    }

    /// The name of an edge as DevTools shows it (element edges print their index).
    pub fn edge_name(&self, edge: usize) -> String {
        self.graph().edge_name(edge)
    }

    /// A node's distance as DevTools shows it (`None` for `−`), once distances have landed
    /// (`None` before).
    pub fn landed_distance(&self, node: u32) -> Option<Option<i32>> {
        let d = self.inner.results.distances.get()?;
        Some(shown_distance(d.distances[node as usize]))
    }

    /// Decides whether this snapshot and a later one can be compared by object id (same
    /// process), from their ids and file names.
    pub fn judge_pair(&self, after: &Partial) -> Verdict {
        analysis::identity::judge(self.graph(), self.path(), after.graph(), after.path())
    }
}

impl Snapshot {
    /// Loads and analyses the snapshot at `path`, reporting the phases to `progress`.
    pub fn load(path: &Path, options: LoadOptions, progress: &Progress) -> Result<Snapshot> {
        load::one(path, options, progress)
    }

    /// Parses and analyses a snapshot held in memory (tests, fuzzing), named `path` in
    /// messages; a malformed input is an error, as it is from a file.
    pub fn from_bytes(path: &Path, data: Vec<u8>) -> Result<Snapshot> {
        let source = parse::source::Source::from_bytes(data).map_err(|e| e.in_file(path))?;
        let parsed = parse::parse(&source, parse::Options::default(), &Progress::NONE)
            .map_err(|e| e.in_file(path))?;
        Ok(load::analyse(
            path,
            parsed,
            LoadOptions::default(),
            Vec::new(),
            &Progress::NONE,
        ))
    }

    fn distances(&self) -> &DistancesStage {
        self.inner
            .results
            .distances
            .get()
            .expect("a complete snapshot")
    }

    fn dominance(&self) -> &DominatorsStage {
        self.inner
            .results
            .dominators
            .get()
            .expect("a complete snapshot")
    }

    /// DevTools' total size (root retained size + `extra_native_bytes`).
    pub fn total_size(&self) -> u64 {
        self.dominance().total_size
    }

    /// The Statistics view's totals.
    pub fn statistics(&self) -> &Statistics {
        &self.dominance().statistics
    }

    /// The Summary view's rows for all objects (unsorted).
    pub fn summary(&self) -> &[Aggregate] {
        &self.dominance().summary
    }

    /// DevTools' "Objects allocated between" filter: the Summary of the objects whose id is
    /// in `after_id < id <= up_to_id` (two earlier snapshots' [`Partial::max_js_object_id`]).
    pub fn summary_allocated_between(&self, after_id: u32, up_to_id: u32) -> Vec<Aggregate> {
        let ids = &self.graph().node_id;
        self.summary_where(&|node: u32| {
            after_id < ids[node as usize] && ids[node as usize] <= up_to_id
        })
    }

    /// Summary rows with this snapshot classified by another snapshot's interface definitions,
    /// every column filled.
    pub fn summary_with_interfaces(&self, definitions: &[InterfaceDefinition]) -> Vec<Aggregate> {
        self.class_rows_with_interfaces(definitions, true)
    }

    /// The node's retained size.
    pub fn retained_size(&self, node: u32) -> u64 {
        self.dominance().retained[node as usize]
    }

    /// The share of the total size a node or class retains, in percent.
    pub fn retained_percent(&self, retained: u64) -> f64 {
        100.0 * retained as f64 / self.total_size().max(1) as f64
    }

    /// A node's distance as DevTools computes it: from 100000000 up for objects reached only
    /// through system roots, negative for unreached ones.
    pub fn raw_distance(&self, node: u32) -> i32 {
        self.distances().distances[node as usize]
    }

    /// A node's distance as DevTools shows it: `None` for `−` (unreached or system).
    pub fn shown_distance(&self, node: u32) -> Option<i32> {
        shown_distance(self.raw_distance(node))
    }

    /// The immediate dominator of a node (the root dominates itself).
    pub fn dominator(&self, node: u32) -> u32 {
        self.dominance().dominators.dominator[node as usize]
    }

    /// The dominators of a node up to the root, the node first.
    pub fn dominator_chain(&self, node: u32) -> Vec<u32> {
        let tree = &self.dominance().dominators;
        retainers_view::dominator_chain(&tree.dominator, self.graph().root, node)
    }

    /// For every node, whether one of its proper dominators (the root excluded) satisfies
    /// `marks`: one pass down the dominator tree, each node after its dominator.
    pub fn dominated_by(&self, marks: &dyn Fn(u32) -> bool) -> Vec<bool> {
        let tree = &self.dominance().dominators;
        let root = self.graph().root;
        let mut under = vec![false; self.node_count()];
        for &node in &tree.dfs_order {
            if node != root {
                let dominator = tree.dominator[node as usize];
                under[node as usize] =
                    under[dominator as usize] || (dominator != root && marks(dominator));
            }
        }
        under
    }

    /// The Retainers pane's rows for a node, in its order.
    pub fn retainers(&self, node: u32) -> Vec<Retainer> {
        let index = self.dominance().retainers();
        retainers_view::retainers(self.graph(), index, &self.distances().distances, node)
    }

    /// How many edges point at a node (before the pane's filter): zero means nothing retains it.
    pub fn retainer_count(&self, node: u32) -> usize {
        self.dominance().retainers().count(node)
    }

    /// The chain the Retainers pane opens by itself.
    pub fn auto_expanded_chain(&self, node: u32) -> Vec<ChainStep> {
        let index = self.dominance().retainers();
        retainers_view::auto_expanded_chain(self.graph(), index, &self.distances().distances, node)
    }

    /// Puts `nodes` in the order object rows list them: retained size descending, then object
    /// id ascending (stable across runs).
    pub fn order_by_retained(&self, nodes: &mut [u32]) {
        let retained = &self.dominance().retained;
        let ids = &self.graph().node_id;
        // Sort keys gathered next to each node: comparisons then read no scattered memory.
        let mut keyed: Vec<(Reverse<u64>, u32, u32)> = nodes
            .iter()
            .map(|&n| (Reverse(retained[n as usize]), ids[n as usize], n))
            .collect();
        keyed.par_sort_unstable();
        for (slot, (_, _, node)) in nodes.iter_mut().zip(keyed) {
            *slot = node;
        }
    }
}

/// DevTools shows `−` for distances below 0 or from 100000000 up.
pub fn shown_distance(raw: i32) -> Option<i32> {
    (0..analysis::distances::BASE_SYSTEM_DISTANCE)
        .contains(&raw)
        .then_some(raw)
}
