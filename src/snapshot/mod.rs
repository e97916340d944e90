//! A loaded and analysed snapshot: the library's API. The CLI, the TUI and the leak analyses
//! read every number through these methods and never recompute one; the graph and the
//! analysis behind them are private.
//!
//! Objects are addressed by their node ordinal (`u32`, the position in the file's `nodes`),
//! which stays valid for the life of the snapshot; [`Snapshot::node_id`] gives the object id
//! DevTools shows as `@123`.

mod compare;

pub use crate::analysis::aggregates::Aggregate;
pub use crate::analysis::diff::{ClassChange, ClassDiff};
pub use crate::analysis::identity::{pid_of, MatchBy, Verdict};
pub use crate::analysis::interfaces::InterfaceDefinition;
pub use crate::analysis::retainers_view::{ChainStep, Retainer};
pub use crate::analysis::scripts::SourceLocation;
pub use crate::analysis::statistics::Statistics;
pub use crate::graph::Location;
pub use crate::parse::Warning;
pub use compare::{compare, Comparison, ComparisonRows};

use crate::analysis::{self, aggregates, interfaces, names, retainers_view, scripts, Analysis};
use crate::error::Result;
use crate::graph::strings::NewStrings;
use crate::graph::HeapGraph;
use crate::parse;
use crate::progress::Progress;
use rayon::prelude::*;
use std::cmp::Reverse;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// How to load a snapshot: given once, kept by the snapshot.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LoadOptions {
    /// Refuse snapshots whose analysis would need more memory than the machine has available.
    pub check_memory: bool,
    /// Mask string values in every name the snapshot hands out (`--redact`).
    pub redact: bool,
}

impl Default for LoadOptions {
    fn default() -> Self {
        LoadOptions {
            check_memory: true,
            redact: false,
        }
    }
}

/// A snapshot with DevTools' analysis done.
pub struct Snapshot {
    path: PathBuf,
    graph: HeapGraph,
    analysis: Analysis,
    warnings: Vec<Warning>,
    timings: Vec<(&'static str, Duration)>,
    redact: bool,
}

impl Snapshot {
    /// Loads and analyses the snapshot at `path`, reporting the phases to `progress`.
    pub fn load(path: &Path, options: LoadOptions, progress: &Progress) -> Result<Snapshot> {
        let start = Instant::now();
        let parse_options = parse::Options {
            check_memory: options.check_memory,
        };
        let (mut graph, warnings) = parse::load(path, parse_options, progress)?;
        let parse_time = start.elapsed();
        let analysis = analysis::analyze(&mut graph, progress);
        progress.done();
        let mut timings = vec![("parse", parse_time)];
        timings.extend(analysis.timings.iter().copied());
        Ok(Snapshot {
            path: path.to_path_buf(),
            graph,
            analysis,
            warnings,
            timings,
            redact: options.redact,
        })
    }

    /// Analyses an already parsed graph (tests, fuzzing).
    pub fn from_graph(path: &Path, mut graph: HeapGraph) -> Snapshot {
        let analysis = analysis::analyze(&mut graph, &Progress::NONE);
        let timings = analysis.timings.clone();
        Snapshot {
            path: path.to_path_buf(),
            graph,
            analysis,
            warnings: Vec::new(),
            timings,
            redact: false,
        }
    }

    /// The file it came from.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Problems worked around while loading.
    pub fn warnings(&self) -> &[Warning] {
        &self.warnings
    }

    /// Wall time per load phase, parse included.
    pub fn timings(&self) -> &[(&'static str, Duration)] {
        &self.timings
    }

    /// Number of nodes.
    pub fn node_count(&self) -> usize {
        self.graph.node_count()
    }

    /// Number of edges.
    pub fn edge_count(&self) -> usize {
        self.graph.edge_count()
    }

    /// DevTools' total size (root retained size + `extra_native_bytes`).
    pub fn total_size(&self) -> u64 {
        self.analysis.total_size
    }

    /// The Statistics view's totals.
    pub fn statistics(&self) -> &Statistics {
        &self.analysis.statistics
    }

    /// The Summary view's rows for all objects (unsorted), computed with the analysis.
    pub fn summary(&self) -> &[Aggregate] {
        &self.analysis.summary
    }

    /// DevTools' "Objects allocated between" filter: the Summary of the objects whose id is
    /// in `after_id < id <= up_to_id` (two earlier snapshots' [`Snapshot::max_js_object_id`]).
    pub fn summary_allocated_between(&self, after_id: u32, up_to_id: u32) -> Vec<Aggregate> {
        let ids = &self.graph.node_id;
        let in_range = |node: u32| after_id < ids[node as usize] && ids[node as usize] <= up_to_id;
        let inputs = self.aggregate_inputs(&self.analysis.classes, None);
        aggregates::aggregate(&inputs, Some(&in_range))
    }

    /// The interface definitions inferred for this snapshot (the class names of plain
    /// objects, `{a, b}`), which the Comparison applies to the base.
    pub fn interface_definitions(&self) -> &[InterfaceDefinition] {
        &self.analysis.interface_definitions
    }

    /// Summary rows with this snapshot classified by another snapshot's interface definitions
    /// (DevTools' `aggregatesForDiff`), with class retained sizes when asked.
    pub fn summary_with_interfaces(
        &self,
        definitions: &[InterfaceDefinition],
        with_retained: bool,
    ) -> Vec<Aggregate> {
        let mut classes = self.analysis.classes.clone();
        // The names this snapshot already has keep their indexes; new ones are numbered after
        // its strings for this aggregation only.
        let mut names = self.analysis.interface_names.clone();
        let mut new = NewStrings::after(&self.graph.strings);
        interfaces::apply(&self.graph, definitions, &mut classes, &mut names, &mut new);
        let mut inputs = self.aggregate_inputs(&classes, Some(&new));
        if !with_retained {
            inputs.tree = None;
        }
        aggregates::aggregate(&inputs, None)
    }

    fn aggregate_inputs<'a>(
        &'a self,
        classes: &'a [u32],
        new_strings: Option<&'a NewStrings>,
    ) -> aggregates::Inputs<'a> {
        aggregates::Inputs {
            graph: &self.graph,
            self_size: &self.graph.self_size,
            new_strings,
            classes,
            distances: &self.analysis.distances,
            tree: Some(&self.analysis.dominators),
        }
    }

    /// The largest JS object id (odd ids; DevTools' `maxJsNodeId`): objects with higher ids
    /// were allocated after this snapshot was taken.
    pub fn max_js_object_id(&self) -> u32 {
        self.graph
            .node_id
            .iter()
            .copied()
            .filter(|id| id % 2 == 1)
            .max()
            .unwrap_or(0)
    }

    /// The snapshot object id of a node (`@id`).
    pub fn node_id(&self, node: u32) -> u32 {
        self.graph.node_id[node as usize]
    }

    /// The node with object id `id` (a linear scan, as DevTools does).
    pub fn node_for_id(&self, id: u32) -> Option<u32> {
        self.graph.node_for_id(id)
    }

    /// The class (Constructor column) of a node.
    pub fn class_name(&self, node: u32) -> &str {
        self.graph.strings.get(self.analysis.classes[node as usize])
    }

    /// The class location of a node, where its class key has one.
    pub fn class_location(&self, node: u32) -> Option<Location> {
        if Some(self.graph.node_type[node as usize]) == self.graph.node_kinds.object {
            self.graph.location(node)
        } else {
            None
        }
    }

    /// The name DevTools shows for a node (`{a, b}` for plain objects, text for cons strings);
    /// string values are masked when the snapshot was loaded with `redact`.
    pub fn display_name(&self, node: u32) -> String {
        let name = names::display_name(&self.graph, node);
        if self.redact && self.is_string(node) {
            crate::util::redact::mask(&name)
        } else {
            name
        }
    }

    /// True for string nodes of every kind (their names are the string values).
    pub fn is_string(&self, node: u32) -> bool {
        let t = Some(self.graph.node_type[node as usize]);
        let k = self.graph.node_kinds;
        t == k.string || t == k.cons_string || t == k.sliced_string
    }

    /// The node's type (`object`, `closure`, `string`, …).
    pub fn type_name(&self, node: u32) -> &str {
        self.graph.type_name(node)
    }

    /// The node's shallow size (after DevTools' redistribution into owners).
    pub fn self_size(&self, node: u32) -> u64 {
        u64::from(self.graph.self_size[node as usize])
    }

    /// The node's retained size.
    pub fn retained_size(&self, node: u32) -> u64 {
        self.analysis.retained[node as usize]
    }

    /// The share of the total size a node or class retains, in percent.
    pub fn retained_percent(&self, retained: u64) -> f64 {
        100.0 * retained as f64 / self.total_size().max(1) as f64
    }

    /// A node's distance as DevTools computes it: from 100000000 up for objects reached only
    /// through system roots, negative for unreached ones.
    pub fn raw_distance(&self, node: u32) -> i32 {
        self.analysis.distances[node as usize]
    }

    /// A node's distance as DevTools shows it: `None` for `−` (unreached or system).
    pub fn shown_distance(&self, node: u32) -> Option<i32> {
        shown_distance(self.analysis.distances[node as usize])
    }

    /// The immediate dominator of a node (the root dominates itself).
    pub fn dominator(&self, node: u32) -> u32 {
        self.analysis.dominators.dominator[node as usize]
    }

    /// The dominators of a node up to the root, the node first.
    pub fn dominator_chain(&self, node: u32) -> Vec<u32> {
        retainers_view::dominator_chain(&self.analysis.dominators.dominator, self.graph.root, node)
    }

    /// For every node, whether one of its proper dominators (the root excluded) satisfies
    /// `marks`: one pass down the dominator tree, each node after its dominator.
    pub fn dominated_by(&self, marks: &dyn Fn(u32) -> bool) -> Vec<bool> {
        let tree = &self.analysis.dominators;
        let root = self.graph.root;
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

    /// Where a function (or an object's constructor) was defined, if the snapshot says.
    pub fn source_location(&self, node: u32) -> Option<SourceLocation> {
        scripts::source_location(&self.graph, node)
    }

    /// The Retainers pane's rows for a node, in its order.
    pub fn retainers(&self, node: u32) -> Vec<Retainer> {
        retainers_view::retainers(&self.graph, &self.analysis.distances, node)
    }

    /// How many edges point at a node (before the pane's filter): zero means nothing retains it.
    pub fn retainer_count(&self, node: u32) -> usize {
        self.graph.retainers.count(node)
    }

    /// The chain the Retainers pane opens by itself.
    pub fn auto_expanded_chain(&self, node: u32) -> Vec<ChainStep> {
        retainers_view::auto_expanded_chain(&self.graph, &self.analysis.distances, node)
    }

    /// The type name of an edge (`property`, `element`, `context`, …).
    pub fn edge_type_name(&self, edge: usize) -> &str {
        self.graph.edge_type_name(edge)
    }

    /// The name of an edge as DevTools shows it (element edges print their index).
    pub fn edge_name(&self, edge: usize) -> String {
        self.graph.edge_name(edge)
    }

    /// Puts `nodes` in the order object rows list them: retained size descending, then object
    /// id ascending (stable across runs).
    pub fn order_by_retained(&self, nodes: &mut [u32]) {
        let retained = &self.analysis.retained;
        let ids = &self.graph.node_id;
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

    /// Decides whether this snapshot and a later one can be compared by object id (same
    /// process), from their ids and file names.
    pub fn judge_pair(&self, after: &Snapshot) -> Verdict {
        analysis::identity::judge(&self.graph, &self.path, &after.graph, &after.path)
    }
}

/// DevTools shows `−` for distances below 0 or from 100000000 up.
pub fn shown_distance(raw: i32) -> Option<i32> {
    (0..analysis::distances::BASE_SYSTEM_DISTANCE)
        .contains(&raw)
        .then_some(raw)
}
