//! Stage 1 of the pipeline: bytes → [`HeapGraph`]. Finds the sections, reads the header,
//! parses the number arrays in parallel chunks and, alongside, the strings and the small
//! sections (locations, allocation stacks, scope tables), then validates every cross-reference
//! (edge counts, string indexes, targets) so later stages can index freely.

mod digits;
pub mod input;
pub mod layout;
mod locations;
pub mod memory;
pub mod meta;
pub mod numbers;
pub mod read;
pub mod remote;
pub mod scopes;
pub mod source;
pub mod strings;
pub mod traces;

use crate::graph::traces::AllocationTraces;
use crate::graph::{EdgeKinds, HeapGraph, Location, NodeKinds};
use heaptui_common::error::{Error, Result};
use heaptui_common::progress::{Phase, Progress};
use numbers::Column;
use rayon::prelude::*;
use source::Source;
use std::path::Path;

/// Something the parser noticed but could work around (shown to the user as a warning).
pub type Warning = String;

/// What parsing a snapshot gives.
pub struct Parsed {
    /// The graph.
    pub graph: HeapGraph,
    /// Self size per node as written in the file (DevTools redistributes them into owners).
    pub self_size: Vec<u32>,
    /// Problems worked around.
    pub warnings: Vec<Warning>,
}

/// How to load.
#[derive(Debug, Clone, Copy)]
pub struct Options {
    /// Refuse snapshots whose analysis would need more memory than the machine has available.
    pub check_memory: bool,
}

impl Default for Options {
    fn default() -> Self {
        Options { check_memory: true }
    }
}

/// Reads and parses the snapshot at `path` (`-` for standard input).
pub fn load(path: &Path, options: Options, progress: &Progress) -> Result<Parsed> {
    progress.report(Phase::Reading, 0.0);
    let source = Source::open(path, options.check_memory, progress).map_err(|e| e.in_file(path))?;
    parse(&source, options, progress).map_err(|e| e.in_file(path))
}

/// Parses a snapshot held by `source`.
pub fn parse(source: &Source, options: Options, progress: &Progress) -> Result<Parsed> {
    let bytes = source.bytes();
    progress.report(Phase::Scanning, 0.0);
    let layout = layout::scan(bytes, &|from, to| source.release_early(from, to))?;
    let header_range = layout
        .header
        .clone()
        .ok_or_else(|| Error::malformed("not a heap snapshot: no \"snapshot\" header"))?;
    let header = meta::parse_header(&bytes[header_range.clone()], header_range.start)?;
    let layout::NumberArray {
        contents: nodes_range,
        block_commas: node_commas,
    } = layout
        .nodes
        .clone()
        .ok_or_else(|| Error::malformed("not a heap snapshot: no \"nodes\" array"))?;
    let layout::NumberArray {
        contents: edges_range,
        block_commas: edge_commas,
    } = layout
        .edges
        .clone()
        .ok_or_else(|| Error::malformed("not a heap snapshot: no \"edges\" array"))?;
    let strings_at = layout
        .strings
        .ok_or_else(|| Error::malformed("not a heap snapshot: no \"strings\" array"))?;

    let node_fields = header.node_fields.len();
    let edge_fields = header.edge_fields.len();
    let node_count = to_count(header.node_count, "node_count")?;
    let edge_count = to_count(header.edge_count, "edge_count")?;
    if node_count == 0 {
        return Err(Error::malformed("the snapshot has no nodes"));
    }
    // Each value takes at least a digit and a comma: refuse counts the arrays cannot hold
    // before allocating for them.
    for (name, rows, fields, range) in [
        ("nodes", node_count, node_fields, &nodes_range),
        ("edges", edge_count, edge_fields, &edges_range),
    ] {
        if rows.saturating_mul(fields) > range.len().div_ceil(2) {
            return Err(Error::at(
                range.start,
                format!("the header promises {rows} {name} but the \"{name}\" array is only {} bytes long", range.len()),
            ));
        }
    }
    if options.check_memory {
        memory::check(node_count, edge_count, source.held())?;
    }
    let (f_type, f_name, f_id, f_size, f_edges) = (
        header.node_field("type")?,
        header.node_field("name")?,
        header.node_field("id")?,
        header.node_field("self_size")?,
        header.node_field("edge_count")?,
    );
    let f_detached = header.node_fields.iter().position(|f| f == "detachedness");
    // Allocation stacks: only with tracking (V8 writes the field, all zeros, regardless).
    let f_trace = header
        .node_fields
        .iter()
        .position(|f| f == "trace_node_id")
        .filter(|_| header.trace_function_count > 0);
    let (e_type, e_name, e_to) = (
        header.edge_field("type")?,
        header.edge_field("name_or_index")?,
        header.edge_field("to_node")?,
    );

    let mut node_type = vec![0u8; node_count];
    let mut node_name = vec![0u32; node_count];
    let mut node_id = vec![0u32; node_count];
    let mut self_size = vec![0u32; node_count];
    // One longer than the nodes: it becomes `first_edge` in place.
    let mut edge_counts = vec![0u32; node_count + 1];
    let mut detachedness = vec![0u8; node_count];
    let mut node_trace = vec![0u32; if f_trace.is_some() { node_count } else { 0 }];
    let mut edge_type = vec![0u8; edge_count];
    let mut edge_name = vec![0u32; edge_count];
    let mut edge_to = vec![0u32; edge_count];

    let node_type_limit = header.node_types.len().min(256) as u32;
    // DevTools appends an "invisible" edge type after the snapshot's own.
    let edge_type_limit = (header.edge_types.len() + 1).min(256) as u32;
    let stride = node_fields as u32;

    // The strings and the small sections after the tables take one lane, the big tables the
    // other (and whatever of the first lane is left when it is done).
    let (sections, tables) = rayon::join(
        || {
            parse_sections(
                source,
                &header,
                &layout,
                strings_at,
                node_count,
                f_trace.is_some(),
            )
        },
        || -> Result<(u32, u32, Result<Vec<u32>>)> {
            let mut cols: Vec<Column> = (0..node_fields).map(|_| Column::Skip).collect();
            cols[f_type] = Column::Enum {
                out: &mut node_type,
                limit: node_type_limit,
                what: "node type",
            };
            cols[f_name] = Column::Names(&mut node_name);
            cols[f_id] = Column::U32(&mut node_id);
            cols[f_size] = Column::U32(&mut self_size);
            cols[f_edges] = Column::U32(&mut edge_counts[..node_count]);
            if let Some(f) = f_detached {
                cols[f] = Column::Enum {
                    out: &mut detachedness,
                    limit: 4,
                    what: "detachedness",
                };
            }
            if let Some(f) = f_trace {
                cols[f] = Column::U32(&mut node_trace);
            }
            let largest_node_name = numbers::parse_table(
                source,
                nodes_range.clone(),
                "nodes",
                node_count,
                &mut cols,
                &|f| progress.report(Phase::ParsingNodes, f),
                Some(node_commas),
            )?;
            drop(cols);
            // The edge ranges are summed beside the edges' first chunks, not after them: a
            // serial pass of 11 ms on the 1.5 GB bench snapshot, with the other core idle.
            let counts = std::mem::take(&mut edge_counts);
            let (first_edge, largest_edge_name_or_index) = rayon::join(
                || first_edges(counts, edge_count),
                || {
                    let mut cols: Vec<Column> = (0..edge_fields).map(|_| Column::Skip).collect();
                    cols[e_type] = Column::Enum {
                        out: &mut edge_type,
                        limit: edge_type_limit,
                        what: "edge type",
                    };
                    // Element and hidden edges hold indexes there, not names: the largest of all
                    // is only an upper bound of the largest name.
                    cols[e_name] = Column::Names(&mut edge_name);
                    cols[e_to] = Column::NodeOrdinal {
                        out: &mut edge_to,
                        stride,
                        limit: node_count as u32,
                    };
                    numbers::parse_table(
                        source,
                        edges_range.clone(),
                        "edges",
                        edge_count,
                        &mut cols,
                        &|f| progress.report(Phase::ParsingEdges, f),
                        Some(edge_commas),
                    )
                },
            );
            Ok((largest_node_name, largest_edge_name_or_index?, first_edge))
        },
    );
    let (max_node_name, largest_edge_name_or_index, first_edge) = tables?;
    let Sections {
        strings: parsed_strings,
        locations,
        traces,
        scopes,
        mut warnings,
    } = sections?;
    let mut strings = parsed_strings.strings;
    let traces = match traces {
        Some(traces) => AllocationTraces {
            node_trace,
            ..traces
        },
        None => AllocationTraces::default(),
    };
    source.release(0, bytes.len());

    progress.report(Phase::CheckingReferences, 0.0);
    let node_kinds = NodeKinds::from_header(&header);
    let edge_kinds = EdgeKinds::from_header(&header);
    let first_edge = first_edge?;
    // The largest edge name or index bounds the largest edge name: when it points at a
    // string, so does every name, and the edges need not be read again.
    let max_edge_name = if (largest_edge_name_or_index as usize) < strings.len() {
        largest_edge_name_or_index
    } else {
        max_string_name(&edge_type, &edge_name, &edge_kinds)
    };
    let needed = max_node_name.max(max_edge_name) as usize + 1;
    if needed > strings.len() {
        match parsed_strings.truncated_at {
            Some(at) => {
                // Names that pointed into the lost tail all point at one empty placeholder.
                let placeholder = strings.len() as u32;
                strings.push_file_string("");
                let mut lost = 0usize;
                for name in node_name.iter_mut().filter(|n| **n >= placeholder) {
                    *name = placeholder;
                    lost += 1;
                }
                for e in 0..edge_count {
                    let t = Some(edge_type[e]);
                    if t != edge_kinds.element
                        && t != edge_kinds.hidden
                        && edge_name[e] >= placeholder
                    {
                        edge_name[e] = placeholder;
                        lost += 1;
                    }
                }
                warnings.push(format!(
                    "the file is truncated in its \"strings\" section (at byte {at}): {lost} names refer to lost strings and are shown empty"
                ));
            }
            None => {
                let what = if max_node_name as usize >= strings.len() {
                    "a node name"
                } else {
                    "an edge name"
                };
                return Err(Error::malformed(format!(
                    "{what} refers to string {} but the \"strings\" array has only {} strings",
                    needed - 1,
                    strings.len()
                )));
            }
        }
    } else if let Some(at) = parsed_strings.truncated_at {
        warnings.push(format!(
            "the file is truncated after byte {at}, in its last section; the graph is complete"
        ));
    } else if layout::skip_ws(bytes, parsed_strings.end) >= bytes.len() {
        warnings.push(
            "the file is truncated: it ends before the closing '}'; the graph is complete"
                .to_string(),
        );
    }
    let root_index = header.root_index as usize;
    if !root_index.is_multiple_of(node_fields) || root_index / node_fields >= node_count {
        return Err(Error::malformed(format!(
            "snapshot.root_index {root_index} is not a node index"
        )));
    }
    let root = (root_index / node_fields) as u32;

    let graph = HeapGraph {
        header,
        strings,
        node_kinds,
        edge_kinds,
        node_type: node_type.into(),
        node_name: node_name.into(),
        node_id: node_id.into(),
        detachedness,
        first_edge: first_edge.into(),
        edge_type: edge_type.into(),
        edge_name: edge_name.into(),
        edge_to: edge_to.into(),
        root,
        locations,
        traces,
        scopes,
    };
    Ok(Parsed {
        graph,
        self_size,
        warnings,
    })
}

/// What [`parse_sections`] gives.
struct Sections {
    strings: strings::Parsed,
    locations: Vec<(u32, Location)>,
    /// The allocation stacks, but for each node's stack (a column of the nodes table).
    traces: Option<AllocationTraces>,
    scopes: crate::graph::scopes::ScopeTables,
    warnings: Vec<Warning>,
}

/// Parses everything but the nodes and edges tables: the strings, the locations, the
/// allocation stacks (when `traced`) and the scope tables. Sections that cannot be parsed
/// become warnings where the graph can do without them.
fn parse_sections(
    source: &Source,
    header: &crate::graph::header::Header,
    layout: &layout::Layout,
    strings_at: usize,
    node_count: usize,
    traced: bool,
) -> Result<Sections> {
    let bytes = source.bytes();
    let parsed_strings = strings::parse(bytes, strings_at)?;
    let mut warnings = Vec::new();
    let locations = match &layout.locations {
        Some(array) if !header.location_fields.is_empty() => {
            locations::parse(source, header, array.contents.clone(), node_count)?
        }
        _ => Vec::new(),
    };
    let traces = match (&layout.trace_function_infos, &layout.trace_tree) {
        (Some(infos), Some(tree)) if traced => {
            match traces::parse(bytes, header, infos.clone(), tree.clone()) {
                Ok(traces) => Some(traces),
                Err(e) => {
                    warnings.push(format!("allocation stacks left out: {e}"));
                    None
                }
            }
        }
        _ => None,
    };
    // A file cut in its strings leaves the scope tables naming lost strings: like the
    // allocation stacks, they are left out then, and the graph kept.
    let scopes = match scopes::parse(bytes, header, layout, parsed_strings.strings.len()) {
        Err(e) if parsed_strings.truncated_at.is_some() => {
            warnings.push(format!("scope tables left out: {e}"));
            Default::default()
        }
        parsed => parsed?,
    };
    Ok(Sections {
        strings: parsed_strings,
        locations,
        traces,
        scopes,
        warnings,
    })
}

/// Turns the nodes' edge counts (one slot longer than the nodes) into each node's first edge
/// (a running sum, in place), the last slot the total, which must be `edge_count`. The sum is
/// checked once, at the end: it only grows, and 64 bits hold any sum of 32-bit counts, so a
/// total equal to `edge_count` means no slot wrapped (and the loop stays a plain running sum:
/// 11 ms for the 1.5 GB bench snapshot's 19.5 M nodes).
fn first_edges(mut counts: Vec<u32>, edge_count: usize) -> Result<Vec<u32>> {
    let node_count = counts.len() - 1;
    let mut total: u64 = 0;
    for slot in &mut counts[..node_count] {
        let count = *slot;
        *slot = total as u32;
        total += u64::from(count);
    }
    if total != edge_count as u64 {
        let relation = if total > edge_count as u64 {
            "more than the".to_string()
        } else {
            format!("{total} but the")
        };
        return Err(Error::malformed(format!(
            "the nodes' edge_count fields add up to {relation} {edge_count} edges in the \"edges\" array"
        )));
    }
    counts[node_count] = total as u32;
    Ok(counts)
}

/// Edges per task of [`max_string_name`]: big enough that the loop, not rayon, is the cost.
const MAX_NAME_CHUNK: usize = 1 << 16;

/// The largest string index among the names of edges whose name is a string (not element or
/// hidden edges), 0 when there is none. Branch-free over slices, so it vectorises: a filtered
/// parallel iterator over edge numbers took 0.3 s of both cores on 63 M edges.
fn max_string_name(edge_type: &[u8], edge_name: &[u32], kinds: &EdgeKinds) -> u32 {
    // A type no edge has stands in for a kind the snapshot does not declare.
    let element = kinds.element.map_or(u16::MAX, u16::from);
    let hidden = kinds.hidden.map_or(u16::MAX, u16::from);
    edge_type
        .par_chunks(MAX_NAME_CHUNK)
        .zip(edge_name.par_chunks(MAX_NAME_CHUNK))
        .map(|(types, names)| {
            types.iter().zip(names).fold(0u32, |max, (&t, &name)| {
                let t = u16::from(t);
                let named = (t != element) & (t != hidden);
                max.max(if named { name } else { 0 })
            })
        })
        .max()
        .unwrap_or(0)
}

fn to_count(value: u64, name: &str) -> Result<usize> {
    if value >= u64::from(u32::MAX) {
        return Err(Error::malformed(format!(
            "snapshot.{name} {value} is too large (heaptui supports up to 2^32 - 1)"
        )));
    }
    Ok(value as usize)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The running sum, and the one check at its end: short, over, and a sum that wraps 32
    /// bits back to `edge_count` in its low bits.
    #[test]
    fn first_edges_sums_the_counts_and_checks_the_total() {
        assert_eq!(first_edges(vec![2, 0, 3, 0], 5).unwrap(), vec![0, 2, 2, 5]);
        assert_eq!(first_edges(vec![0], 0).unwrap(), vec![0]);
        let short = first_edges(vec![2, 2, 0], 5).unwrap_err().to_string();
        assert!(short.contains("add up to 4 but the 5 edges"), "{short}");
        let over = first_edges(vec![4, 2, 0], 5).unwrap_err().to_string();
        assert!(over.contains("add up to more than the 5 edges"), "{over}");
        let wrapped = first_edges(vec![u32::MAX, 6, 0], 5)
            .unwrap_err()
            .to_string();
        assert!(wrapped.contains("more than"), "{wrapped}");
    }

    /// The chunked maximum agrees with a plain filtered one, across chunk boundaries, with a
    /// kind missing, and when only element or hidden edges carry the largest names.
    #[test]
    fn max_string_name_skips_element_and_hidden_names() {
        let edges = 3 * MAX_NAME_CHUNK + 17;
        let edge_type: Vec<u8> = (0..edges).map(|e| (e * 7 % 5) as u8).collect();
        let edge_name: Vec<u32> = (0..edges)
            .map(|e| ((e as u64 * 2_654_435_761) % 1_000_003) as u32)
            .collect();
        for (element, hidden) in [
            (Some(1), Some(4)),
            (None, Some(0)),
            (Some(2), None),
            (None, None),
        ] {
            let kinds = EdgeKinds {
                element,
                hidden,
                ..Default::default()
            };
            let plain = (0..edges)
                .filter(|&e| Some(edge_type[e]) != element && Some(edge_type[e]) != hidden)
                .map(|e| edge_name[e])
                .max()
                .unwrap_or(0);
            assert_eq!(max_string_name(&edge_type, &edge_name, &kinds), plain);
        }
        // The largest name on an element edge does not count.
        let kinds = EdgeKinds {
            element: Some(1),
            ..Default::default()
        };
        assert_eq!(max_string_name(&[1, 0, 1], &[900, 5, 800], &kinds), 5);
        assert_eq!(max_string_name(&[], &[], &kinds), 0);
    }
}
