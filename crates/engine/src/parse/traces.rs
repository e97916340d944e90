//! Reads the allocation stacks of a snapshot taken with allocation tracking: the
//! `trace_function_infos` table and the nested `trace_tree` ([`crate::graph::traces`]). Both
//! are small next to the graph (a node per distinct stack), so they are read value by value.
//! A malformed trace section costs the stacks, not the snapshot: the caller turns the error
//! into a warning.

use crate::graph::header::Header;
use crate::graph::traces::{AllocationTraces, TraceFunction};
use heaptui_common::error::{Error, Result};
use std::collections::HashMap;
use std::ops::Range;

/// The deepest call stack read (V8 records a few hundred frames at most).
const MAX_DEPTH: usize = 10_000;

/// The functions and trace nodes of `infos` (the contents of `trace_function_infos`) and
/// `tree` (the whole `trace_tree` value) in `bytes`, laid out as `header` says.
pub fn parse(
    bytes: &[u8],
    header: &Header,
    infos: Range<usize>,
    tree: Range<usize>,
) -> Result<AllocationTraces> {
    let field = |fields: &[String], name: &str, what: &str| {
        fields.iter().position(|f| f == name).ok_or_else(|| {
            Error::malformed(format!("snapshot.meta.{what} has no \"{name}\" field"))
        })
    };
    let f = &header.trace_function_info_fields;
    let what = "trace_function_info_fields";
    let (f_name, f_script, f_id, f_line, f_column) = (
        field(f, "name", what)?,
        field(f, "script_name", what)?,
        field(f, "script_id", what)?,
        field(f, "line", what)?,
        field(f, "column", what)?,
    );
    let values = numbers(&bytes[infos.clone()], infos.start)?;
    if f.is_empty() || values.len() % f.len() != 0 {
        return Err(Error::at(
            infos.start,
            "\"trace_function_infos\" does not hold whole rows of its fields",
        ));
    }
    let functions = values
        .chunks(f.len())
        .map(|row| TraceFunction {
            name: row[f_name],
            script_name: row[f_script],
            script_id: row[f_id],
            line: row[f_line],
            column: row[f_column],
        })
        .collect();
    let t = &header.trace_node_fields;
    let what = "trace_node_fields";
    let (t_id, t_function, t_children) = (
        field(t, "id", what)?,
        field(t, "function_info_index", what)?,
        field(t, "children", what)?,
    );
    if t_children + 1 != t.len() {
        return Err(Error::malformed(
            "snapshot.meta.trace_node_fields does not end with \"children\"",
        ));
    }
    let nodes = tree_nodes(bytes, tree, t.len() - 1, t_id, t_function)?;
    Ok(AllocationTraces {
        functions,
        nodes,
        node_trace: Vec::new(),
    })
}

/// The comma-separated non-negative integers of `text` (which starts at byte `at`).
fn numbers(text: &[u8], at: usize) -> Result<Vec<u32>> {
    text.split(|&b| b == b',')
        .map(|v| v.trim_ascii())
        .filter(|v| !v.is_empty())
        .map(|v| {
            std::str::from_utf8(v)
                .ok()
                .and_then(|s| s.parse::<u32>().ok())
                .ok_or_else(|| {
                    Error::at(
                        at,
                        "\"trace_function_infos\" holds a value that is not a count",
                    )
                })
        })
        .collect()
}

/// Trace node id → (function index, parent id) from the nested `trace_tree` in `range`:
/// each node is `scalars` numbers (the id at `id`, the function at `function`) and then its
/// children's array.
fn tree_nodes(
    bytes: &[u8],
    range: Range<usize>,
    scalars: usize,
    id: usize,
    function: usize,
) -> Result<HashMap<u32, (u32, u32)>> {
    let bad = |at: usize, what: &str| Error::at(at, format!("\"trace_tree\" {what}"));
    let mut nodes = HashMap::new();
    // The trace node whose children are being read, per open array (0 at the top level).
    let mut parents: Vec<u32> = Vec::new();
    let mut fields: Vec<u32> = Vec::with_capacity(scalars);
    let mut pos = range.start;
    while pos < range.end {
        match bytes[pos] {
            b'[' => {
                let parent = if parents.is_empty() && fields.is_empty() {
                    0
                } else if fields.len() == scalars {
                    let node = fields[id];
                    nodes.insert(node, (fields[function], *parents.last().unwrap_or(&0)));
                    fields.clear();
                    node
                } else {
                    return Err(bad(pos, "has a children array in the wrong place"));
                };
                if parents.len() >= MAX_DEPTH {
                    return Err(bad(pos, "is nested too deeply"));
                }
                parents.push(parent);
                pos += 1;
            }
            b']' => {
                if !fields.is_empty() || parents.pop().is_none() {
                    return Err(bad(pos, "has a node without its children array"));
                }
                pos += 1;
                if parents.is_empty() {
                    return Ok(nodes);
                }
            }
            b'0'..=b'9' => {
                let end = (pos..range.end)
                    .find(|&i| !bytes[i].is_ascii_digit())
                    .unwrap_or(range.end);
                let value = std::str::from_utf8(&bytes[pos..end])
                    .ok()
                    .and_then(|s| s.parse::<u32>().ok())
                    .ok_or_else(|| bad(pos, "holds a value that is not a count"))?;
                if fields.len() == scalars || parents.is_empty() {
                    return Err(bad(pos, "has a value in the wrong place"));
                }
                fields.push(value);
                pos = end;
            }
            b',' | b' ' | b'\n' | b'\r' | b'\t' => pos += 1,
            _ => return Err(bad(pos, "holds something other than numbers and arrays")),
        }
    }
    Err(bad(range.end, "is not closed"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nested_nodes_know_their_parents() {
        let text = b"[1,0,0,0,[2,1,5,80,[],3,2,1,16,[4,1,2,32,[]]]]";
        let nodes = tree_nodes(text, 0..text.len(), 4, 0, 1).unwrap();
        assert_eq!(nodes[&1], (0, 0));
        assert_eq!(nodes[&2], (1, 1));
        assert_eq!(nodes[&3], (2, 1));
        assert_eq!(nodes[&4], (1, 3));
    }

    #[test]
    fn malformed_trees_are_errors() {
        for text in [
            &b"[1,0,0,0"[..],
            b"[1,0,0,0]",
            b"[1,0,[]]",
            b"[x]",
            b"[1,0,0,0,[],5]",
        ] {
            assert!(
                tree_nodes(text, 0..text.len(), 4, 0, 1).is_err(),
                "{text:?}"
            );
        }
    }
}
