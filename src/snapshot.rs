//! A loaded and analysed snapshot: the library's main entry point. The CLI and the TUI read
//! every number from here and never recompute one.

use crate::analysis::aggregates::{self, Aggregate};
use crate::analysis::diff::{self, ClassChange, ClassDiff};
use crate::analysis::identity::{self, Verdict};
use crate::analysis::interfaces::{self, InterfaceDefinition};
use crate::analysis::retainers_view::{self, ChainStep, Retainer};
use crate::analysis::{self, names, Analysis};
use crate::error::Result;
use crate::graph::{HeapGraph, Location};
use crate::parse::{self, Warning};
use crate::progress::Progress;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// A snapshot with DevTools' analysis done.
pub struct Snapshot {
    /// The file it came from.
    pub path: PathBuf,
    /// The graph (names and self sizes as DevTools shows them).
    pub graph: HeapGraph,
    /// Distances, classes, dominators, retained sizes, statistics.
    pub analysis: Analysis,
    /// Problems worked around while loading.
    pub warnings: Vec<Warning>,
    /// Wall time per phase, parse included.
    pub timings: Vec<(&'static str, Duration)>,
    /// Mask string values in every name this snapshot hands out (`--redact`).
    pub redact: bool,
}

impl Snapshot {
    /// Loads and analyses the snapshot at `path` with the default options.
    pub fn load(path: &Path, progress: &Progress) -> Result<Snapshot> {
        Snapshot::load_with(path, parse::Options::default(), progress)
    }

    /// Loads and analyses the snapshot at `path`.
    pub fn load_with(
        path: &Path,
        options: parse::Options,
        progress: &Progress,
    ) -> Result<Snapshot> {
        let start = Instant::now();
        let (mut graph, warnings) = parse::load(path, options, progress)?;
        let parse_time = start.elapsed();
        let analysis = analysis::analyze(&mut graph, progress);
        progress.report("Done", 1.0);
        let mut timings = vec![("parse", parse_time)];
        timings.extend(analysis.timings.iter().copied());
        Ok(Snapshot {
            path: path.to_path_buf(),
            graph,
            analysis,
            warnings,
            timings,
            redact: false,
        })
    }

    /// Analyses an already parsed graph (tests, fuzzing).
    pub fn from_graph(path: &Path, mut graph: HeapGraph) -> Snapshot {
        let analysis = analysis::analyze(&mut graph, &Progress::none());
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

    fn aggregate_inputs<'a>(
        &'a self,
        classes: &'a [u32],
        with_retained: bool,
    ) -> aggregates::Inputs<'a> {
        aggregates::Inputs {
            graph: &self.graph,
            self_size: &self.graph.self_size,
            new_strings: None,
            classes,
            distances: &self.analysis.distances,
            tree: with_retained.then_some(&self.analysis.dominators),
        }
    }

    /// The Summary view's rows for all objects (unsorted), computed with the analysis.
    pub fn summary(&self) -> &[Aggregate] {
        &self.analysis.summary
    }

    /// The Summary rows for the objects that pass `filter` (e.g. an id range).
    pub fn summary_filtered(&self, filter: &dyn Fn(u32) -> bool) -> Vec<Aggregate> {
        aggregates::aggregate(
            &self.aggregate_inputs(&self.analysis.classes, true),
            Some(filter),
        )
    }

    /// Summary rows with this snapshot classified by another snapshot's interface definitions
    /// (DevTools' `aggregatesForDiff`). Adds the interface names to this snapshot's strings.
    pub fn aggregates_for_diff(&mut self, definitions: &[InterfaceDefinition]) -> Vec<Aggregate> {
        self.summary_with_interfaces(definitions, false)
    }

    /// Summary rows with this snapshot classified by `definitions` (another snapshot's), with
    /// class retained sizes when asked. Adds the interface names to this snapshot's strings.
    pub fn summary_with_interfaces(
        &mut self,
        definitions: &[InterfaceDefinition],
        with_retained: bool,
    ) -> Vec<Aggregate> {
        let mut classes = self.analysis.classes.clone();
        let mut new = crate::graph::strings::NewStrings::after(&self.graph.strings);
        interfaces::apply(
            &self.graph,
            definitions,
            &mut classes,
            &mut self.analysis.interface_names,
            &mut new,
        );
        new.append_to(&mut self.graph.strings);
        aggregates::aggregate(&self.aggregate_inputs(&classes, with_retained), None)
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
    /// string values are masked when `redact` is set.
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

    /// The Retainers pane's rows for a node.
    pub fn retainers(&self, node: u32) -> Vec<Retainer> {
        retainers_view::retainers(&self.graph, &self.analysis.distances, node)
    }

    /// The chain the Retainers pane opens by itself.
    pub fn auto_expanded_chain(&self, node: u32) -> Vec<ChainStep> {
        retainers_view::auto_expanded_chain(&self.graph, &self.analysis.distances, node)
    }

    /// The dominators of a node up to the root.
    pub fn dominator_chain(&self, node: u32) -> Vec<u32> {
        retainers_view::dominator_chain(&self.analysis.dominators.dominator, self.graph.root, node)
    }

    /// A node's distance as DevTools shows it: `None` for `−` (unreached or system).
    pub fn shown_distance(&self, node: u32) -> Option<i32> {
        shown_distance(self.analysis.distances[node as usize])
    }
}

/// DevTools shows `−` for distances below 0 or from 100000000 up.
pub fn shown_distance(raw: i32) -> Option<i32> {
    (0..analysis::distances::BASE_SYSTEM_DISTANCE)
        .contains(&raw)
        .then_some(raw)
}

/// A Comparison of snapshots from different processes: class aggregates only (unsorted).
pub fn compare_by_class(base: &mut Snapshot, after: &Snapshot) -> Vec<ClassChange> {
    let base_rows = base.aggregates_for_diff(&after.analysis.interface_definitions);
    diff::compare_by_class(&base_rows, after.summary())
}

/// Decides whether two snapshots can be compared by object id (same process).
pub fn judge_pair(base: &Snapshot, after: &Snapshot) -> Verdict {
    identity::judge(&base.graph, &base.path, &after.graph, &after.path)
}

/// The Comparison view's rows (unsorted): `base` is classified with `after`'s interfaces.
pub fn compare(base: &mut Snapshot, after: &Snapshot) -> Vec<ClassDiff> {
    let base_rows = base.aggregates_for_diff(&after.analysis.interface_definitions);
    diff::compare(&base.graph, &base_rows, &after.graph, after.summary())
}
