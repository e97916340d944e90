//! What an index holds: the settled graph and every analysis stage. The big arrays are sections
//! viewed in place on reopen; the small structures (header, strings the analysis added, traces,
//! scope tables, the Summary's rows, statistics, …) are one postcard-encoded section, and the
//! rows' node lists (as long as the node count together) one more array section.
//!
//! Invariant: [`read`] returns a graph and stages whose array lengths agree with each other
//! (`node_count` per node, `node_count + 1` offsets, `edge_count` per edge or retainer slot),
//! offsets that end at the edge count, and string offsets that cut valid UTF-8; anything else
//! is [`Bad`].

use super::format::{Bad, Index, Out};
use crate::analysis::aggregates::Aggregate;
use crate::analysis::detachedness::DomStates;
use crate::analysis::dominators::Dominators;
use crate::analysis::interfaces::InterfaceDefinition;
use crate::analysis::retainer_index::RetainerIndex;
use crate::analysis::statistics::Statistics;
use crate::analysis::{ClassesStage, DistancesStage, DominatorsStage};
use crate::graph::header::Header;
use crate::graph::retainers::Retainers;
use crate::graph::scopes::ScopeTables;
use crate::graph::strings::{Ends, NewStrings, Strings};
use crate::graph::traces::{AllocationTraces, TraceFunction};
use crate::graph::{EdgeKinds, HeapGraph, Location, NodeKinds};
use crate::parse::Warning;
use heaptui_common::util::bits::BitVec;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::sync::Arc;

/// A loaded snapshot's parts, as an index stores them.
pub struct Stored {
    /// The settled graph.
    pub graph: HeapGraph,
    /// The parser's warnings.
    pub warnings: Vec<Warning>,
    /// The DOM link states.
    pub dom_states: DomStates,
    /// The classes stage.
    pub classes: ClassesStage,
    /// The distances stage.
    pub distances: DistancesStage,
    /// The dominators stage.
    pub dominators: DominatorsStage,
}

/// The same parts, borrowed from a loaded snapshot to write them.
pub struct Parts<'a> {
    /// The settled graph.
    pub graph: &'a HeapGraph,
    /// The parser's warnings.
    pub warnings: &'a [Warning],
    /// The DOM link states.
    pub dom_states: &'a DomStates,
    /// The classes stage.
    pub classes: &'a ClassesStage,
    /// The distances stage.
    pub distances: &'a DistancesStage,
    /// The dominators stage.
    pub dominators: &'a DominatorsStage,
}

/// One Summary row without its objects, which are list `nodes` of the `row_nodes` section.
#[derive(Serialize, Deserialize)]
struct Row {
    name: String,
    location: Option<Location>,
    count: u64,
    distance: i32,
    shallow_size: u64,
    retained_size: u64,
    nodes: u32,
}

/// The small structures, one postcard section.
#[derive(Serialize, Deserialize)]
struct Small {
    header: Header,
    root: u32,
    warnings: Vec<Warning>,
    added_strings: Vec<String>,
    locations: Vec<(u32, Location)>,
    trace_functions: Vec<TraceFunction>,
    trace_nodes: HashMap<u32, (u32, u32)>,
    scopes: ScopeTables,
    dom_len: u64,
    names_first: u32,
    names_added: Vec<String>,
    names_interned: HashMap<String, u32>,
    interface_definitions: Vec<InterfaceDefinition>,
    interface_names: HashMap<String, u32>,
    rows: Vec<Row>,
    summary: Vec<Row>,
    extra_roots: Vec<u32>,
    total_size: u64,
    statistics: Statistics,
}

/// The rows' node lists, each once (the stages' rows share them).
#[derive(Default)]
struct NodeLists {
    ends: Vec<u64>,
    nodes: Vec<u32>,
    by_list: HashMap<*const Vec<u32>, u32>,
}

impl NodeLists {
    fn row(&mut self, a: &Aggregate) -> Row {
        let next = self.ends.len() as u32;
        let nodes = *self
            .by_list
            .entry(Arc::as_ptr(&a.nodes))
            .or_insert_with(|| {
                self.nodes.extend_from_slice(&a.nodes);
                self.ends.push(self.nodes.len() as u64);
                next
            });
        Row {
            name: a.name.clone(),
            location: a.location,
            count: a.count,
            distance: a.distance,
            shallow_size: a.shallow_size,
            retained_size: a.retained_size,
            nodes,
        }
    }
}

/// Writes `parts` as the sections of an index: the owned encodings, then the sections.
pub fn write(
    parts: &Parts,
    sink: impl FnOnce(&[Out]) -> std::io::Result<u64>,
) -> std::io::Result<u64> {
    let Parts {
        graph: g,
        classes: c,
        dominators: d,
        ..
    } = parts;
    let mut lists = NodeLists::default();
    let rows = c.rows.iter().map(|a| lists.row(a)).collect();
    let summary = d.summary.iter().map(|a| lists.row(a)).collect();
    let (data, ends, added) = g.strings.parts();
    let (dom_len, attached, detached) = parts.dom_states.parts();
    let (names_first, names_added, names_interned) = c.names.parts();
    let small = Small {
        header: g.header.clone(),
        root: g.root,
        warnings: parts.warnings.to_vec(),
        added_strings: added.to_vec(),
        locations: g.locations.clone(),
        trace_functions: g.traces.functions.clone(),
        trace_nodes: g.traces.nodes.clone(),
        scopes: g.scopes.clone(),
        dom_len: dom_len as u64,
        names_first,
        names_added: names_added.to_vec(),
        names_interned: names_interned.clone(),
        interface_definitions: c.interface_definitions.clone(),
        interface_names: c.interface_names.clone(),
        rows,
        summary,
        extra_roots: d.dominators.extra_roots.clone(),
        total_size: d.total_size,
        statistics: d.statistics.clone(),
    };
    let small = postcard::to_stdvec(&small).map_err(std::io::Error::other)?;
    let sections = [
        Out::of("small", &small[..]),
        Out::of("node_type", &g.node_type[..]),
        Out::of("node_name", &g.node_name[..]),
        Out::of("node_id", &g.node_id[..]),
        Out::of("first_edge", &g.first_edge[..]),
        Out::of("edge_type", &g.edge_type[..]),
        Out::of("edge_name", &g.edge_name[..]),
        Out::of("edge_to", &g.edge_to[..]),
        Out::of("string_data", &data[..]),
        match ends {
            Ends::Narrow(v) => Out::of("string_ends32", &v[..]),
            Ends::Wide(v) => Out::of("string_ends64", &v[..]),
        },
        Out::of("node_trace", &g.traces.node_trace[..]),
        Out::of("dom_attached", attached.words()),
        Out::of("dom_detached", detached.words()),
        Out::of("self_size", &c.self_size[..]),
        Out::of("classes", &c.classes[..]),
        Out::of("distances", &parts.distances.distances[..]),
        Out::of("retainer_first", &d.retainers().first[..]),
        Out::of("retainer_sources", &d.retainers().sources[..]),
        Out::of("dominator", &d.dominators.dominator[..]),
        Out::of("dfs_order", &d.dominators.dfs_order[..]),
        Out::of("holding", d.holding.words()),
        Out::of("retained", &d.retained[..]),
        Out::of("row_node_ends", &lists.ends[..]),
        Out::of("row_nodes", &lists.nodes[..]),
    ];
    sink(&sections)
}

/// Reads the parts back from a verified index, checking that they fit together.
pub fn read(index: &Index) -> Result<Stored, Bad> {
    let small: Small = index.decode("small")?;
    let node_type = index.array::<u8>("node_type")?;
    let n = node_type.len();
    let first_edge = index.array::<u32>("first_edge")?;
    let edge_to = index.array::<u32>("edge_to")?;
    let m = edge_to.len();
    let same = |what: &str, len: usize, want: usize| {
        (len == want)
            .then_some(())
            .ok_or_else(|| Bad(format!("section {what} has the wrong length")))
    };
    same("first_edge", first_edge.len(), n + 1)?;
    let ends_at_edges = |what: &str, offsets: &[u32]| {
        (offsets.last().map(|&e| e as usize) == Some(m))
            .then_some(())
            .ok_or_else(|| Bad(format!("section {what} does not end at the edge count")))
    };
    ends_at_edges("first_edge", &first_edge)?;
    let node_array = |name: &str| -> Result<crate::graph::array::Array<u32>, Bad> {
        let a = index.array::<u32>(name)?;
        same(name, a.len(), n)?;
        Ok(a)
    };
    let edge_array = |name: &str| -> Result<crate::graph::array::Array<u32>, Bad> {
        let a = index.array::<u32>(name)?;
        same(name, a.len(), m)?;
        Ok(a)
    };
    let edge_type = index.array::<u8>("edge_type")?;
    same("edge_type", edge_type.len(), m)?;
    let data = index.array::<u8>("string_data")?;
    let ends = if index.has("string_ends64") {
        Ends::Wide(index.array("string_ends64")?)
    } else {
        Ends::Narrow(index.array("string_ends32")?)
    };
    let strings = Strings::from_parts(data, ends, small.added_strings)
        .ok_or_else(|| Bad("the string table is corrupt".into()))?;
    let node_trace = index.array::<u32>("node_trace")?.into_vec();
    let words = |name: &str, bits: usize| -> Result<BitVec, Bad> {
        let w = index.array::<u64>(name)?;
        same(name, w.len(), bits.div_ceil(64))?;
        Ok(BitVec::from_words(w.into_vec()))
    };
    let dom_len = small.dom_len as usize;
    let dom_states = DomStates::from_parts(
        dom_len,
        words("dom_attached", dom_len)?,
        words("dom_detached", dom_len)?,
    );
    let retainer_first = index.array::<u32>("retainer_first")?;
    same("retainer_first", retainer_first.len(), n + 1)?;
    ends_at_edges("retainer_first", &retainer_first)?;
    let retained = index.array::<u64>("retained")?;
    same("retained", retained.len(), n)?;
    let distances = index.array::<i32>("distances")?;
    same("distances", distances.len(), n)?;
    let lists = node_lists(index)?;
    let rows = aggregates(small.rows, &lists)?;
    let summary = aggregates(small.summary, &lists)?;
    let header = small.header;
    let graph = HeapGraph {
        node_kinds: NodeKinds::from_header(&header),
        edge_kinds: EdgeKinds::from_header(&header),
        header,
        strings,
        node_type,
        node_name: node_array("node_name")?,
        node_id: node_array("node_id")?,
        detachedness: Vec::new(),
        first_edge,
        edge_type,
        edge_name: edge_array("edge_name")?,
        edge_to,
        root: small.root,
        locations: small.locations,
        traces: AllocationTraces {
            functions: small.trace_functions,
            nodes: small.trace_nodes,
            node_trace,
        },
        scopes: small.scopes,
    };
    Ok(Stored {
        graph,
        warnings: small.warnings,
        dom_states,
        classes: ClassesStage {
            self_size: node_array("self_size")?,
            classes: node_array("classes")?,
            names: NewStrings::from_parts(
                small.names_first,
                small.names_added,
                small.names_interned,
            ),
            interface_definitions: small.interface_definitions,
            interface_names: small.interface_names,
            rows,
        },
        distances: DistancesStage { distances },
        dominators: DominatorsStage {
            retainer_index: RetainerIndex::ready(Retainers {
                first: retainer_first,
                sources: edge_array("retainer_sources")?,
            }),
            dominators: Dominators {
                dominator: node_array("dominator")?,
                dfs_order: node_array("dfs_order")?,
                extra_roots: small.extra_roots,
            },
            holding: words("holding", m)?,
            retained,
            total_size: small.total_size,
            statistics: small.statistics,
            summary,
        },
    })
}

/// The rows' node lists, each shared by the rows that name it.
fn node_lists(index: &Index) -> Result<Vec<Arc<Vec<u32>>>, Bad> {
    let ends = index.array::<u64>("row_node_ends")?;
    let nodes = index.array::<u32>("row_nodes")?;
    let mut start = 0usize;
    ends.iter()
        .map(|&end| {
            let list = usize::try_from(end)
                .ok()
                .filter(|&end| end >= start)
                .and_then(|end| nodes.get(start..end).map(|l| (end, l)));
            let (end, list) = list.ok_or_else(|| Bad("the rows' node lists are corrupt".into()))?;
            start = end;
            Ok(Arc::new(list.to_vec()))
        })
        .collect()
}

fn aggregates(rows: Vec<Row>, lists: &[Arc<Vec<u32>>]) -> Result<Vec<Aggregate>, Bad> {
    rows.into_iter()
        .map(|r| {
            let nodes = lists
                .get(r.nodes as usize)
                .ok_or_else(|| Bad("a row names no node list".into()))?;
            Ok(Aggregate {
                name: r.name,
                location: r.location,
                count: r.count,
                distance: r.distance,
                shallow_size: r.shallow_size,
                retained_size: r.retained_size,
                nodes: Arc::clone(nodes),
            })
        })
        .collect()
}
