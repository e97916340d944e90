//! The snapshot's `snapshot` header: counts and the field layout of `nodes`, `edges` and
//! `locations`, as the parser read it from `snapshot.meta`.

use heaptui_common::error::{Error, Result};

/// The parsed `snapshot` header.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct Header {
    /// `snapshot.title` (empty for Node's snapshots).
    pub title: String,
    /// Names of the per-node fields, in order (`type`, `name`, `id`, …).
    pub node_fields: Vec<String>,
    /// Names of the node types (the enum of the `type` node field).
    pub node_types: Vec<String>,
    /// Names of the per-edge fields, in order.
    pub edge_fields: Vec<String>,
    /// Names of the edge types (the enum of the `type` edge field).
    pub edge_types: Vec<String>,
    /// Names of the per-location fields (may be empty).
    pub location_fields: Vec<String>,
    /// Names of the fields of `trace_function_infos` (may be empty).
    pub trace_function_info_fields: Vec<String>,
    /// Names of the fields of a `trace_tree` node (may be empty).
    pub trace_node_fields: Vec<String>,
    /// Names of the per-scope fields of the `scopes` table (empty without scope tables).
    pub scope_fields: Vec<String>,
    /// Names of the per-variable fields of the `scope_context_vars` table.
    pub scope_context_var_fields: Vec<String>,
    /// Names of the per-use fields of the `scope_uses` table.
    pub scope_use_fields: Vec<String>,
    /// `snapshot.trace_function_count`: non-zero when allocations were tracked.
    pub trace_function_count: u64,
    /// `snapshot.node_count`.
    pub node_count: u64,
    /// `snapshot.edge_count`.
    pub edge_count: u64,
    /// `snapshot.root_index`, a node index (not ordinal); 0 when absent.
    pub root_index: u64,
    /// `snapshot.extra_native_bytes` (Chromium), counted into the total size.
    pub extra_native_bytes: u64,
}

impl Header {
    /// Position of a node field, or an error naming it.
    pub fn node_field(&self, name: &str) -> Result<usize> {
        field(&self.node_fields, name, "node_fields")
    }

    /// Position of an edge field, or an error naming it.
    pub fn edge_field(&self, name: &str) -> Result<usize> {
        field(&self.edge_fields, name, "edge_fields")
    }
}

fn field(fields: &[String], name: &str, list: &str) -> Result<usize> {
    fields
        .iter()
        .position(|f| f == name)
        .ok_or_else(|| Error::malformed(format!("snapshot.meta.{list} has no \"{name}\" field")))
}
