//! The `snapshot` header: counts and the field layout of `nodes`, `edges` and `locations`.
//! Offsets are always read from `snapshot.meta` (Node 20 writes 7 node fields, Chromium 6),
//! never assumed. This is the one place a real JSON parser (simd-json) is used.

use crate::graph::header::Header;
use heaptui_common::error::{Error, Result};
use simd_json::prelude::*;
use simd_json::OwnedValue;

/// Parses the header object's bytes (`offset` is where they start in the file, for errors).
pub fn parse_header(bytes: &[u8], offset: usize) -> Result<Header> {
    let mut copy = bytes.to_vec();
    let value = simd_json::to_owned_value(&mut copy).map_err(|e| {
        Error::at(
            offset,
            format!("the \"snapshot\" header is not valid JSON: {e}"),
        )
    })?;
    let bad = |what: &str| Error::at(offset, format!("the \"snapshot\" header {what}"));
    let meta = value.get("meta").ok_or_else(|| bad("has no \"meta\""))?;
    let strings = |v: Option<&OwnedValue>, name: &str| -> Result<Vec<String>> {
        let arr = v
            .and_then(|v| v.as_array())
            .ok_or_else(|| bad(&format!("has no meta.{name} array")))?;
        arr.iter()
            .map(|s| {
                s.as_str()
                    .map(str::to_owned)
                    .ok_or_else(|| bad(&format!("has a non-string in meta.{name}")))
            })
            .collect()
    };
    let node_fields = strings(meta.get("node_fields"), "node_fields")?;
    let edge_fields = strings(meta.get("edge_fields"), "edge_fields")?;
    let optional = |name: &str| match meta.get(name) {
        Some(v) => strings(Some(v), name),
        None => Ok(Vec::new()),
    };
    let location_fields = optional("location_fields")?;
    let trace_function_info_fields = optional("trace_function_info_fields")?;
    let trace_node_fields = optional("trace_node_fields")?;
    let scope_fields = optional("scope_fields")?;
    let scope_context_var_fields = optional("scope_context_var_fields")?;
    let scope_use_fields = optional("scope_use_fields")?;
    // node_types / edge_types: one entry per field; the `type` field's entry is the enum.
    let type_enum = |key: &str, fields: &[String]| -> Result<Vec<String>> {
        let types = meta
            .get(key)
            .and_then(|v| v.as_array())
            .ok_or_else(|| bad(&format!("has no meta.{key}")))?;
        let at = fields
            .iter()
            .position(|f| f == "type")
            .ok_or_else(|| bad(&format!("lacks a \"type\" field for {key}")))?;
        strings(types.get(at), key)
    };
    let node_types = type_enum("node_types", &node_fields)?;
    let edge_types = type_enum("edge_types", &edge_fields)?;
    let count = |key: &str, required: bool| -> Result<u64> {
        match value.get(key) {
            None if !required => Ok(0),
            None => Err(bad(&format!("has no \"{key}\""))),
            Some(v) => v
                .as_u64()
                .or_else(|| {
                    v.as_f64()
                        .filter(|f| *f >= 0.0 && f.fract() == 0.0)
                        .map(|f| f as u64)
                })
                .ok_or_else(|| {
                    bad(&format!(
                        "has an invalid \"{key}\" (not a non-negative integer)"
                    ))
                }),
        }
    };
    Ok(Header {
        title: value
            .get("title")
            .and_then(|v| v.as_str())
            .unwrap_or("")
            .to_owned(),
        node_fields,
        node_types,
        edge_fields,
        edge_types,
        location_fields,
        trace_function_info_fields,
        trace_node_fields,
        scope_fields,
        scope_context_var_fields,
        scope_use_fields,
        trace_function_count: count("trace_function_count", false)?,
        node_count: count("node_count", true)?,
        edge_count: count("edge_count", true)?,
        root_index: count("root_index", false)?,
        extra_native_bytes: count("extra_native_bytes", false)?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_layout_from_meta() {
        let json = br#"{"meta":{"node_fields":["type","name","id","self_size","edge_count","detachedness"],
            "node_types":[["hidden","object"],"string","number","number","number","number"],
            "edge_fields":["type","name_or_index","to_node"],"edge_types":[["element","property"],"string_or_number","node"]},
            "node_count":2,"edge_count":1,"extra_native_bytes":1024}"#;
        let h = parse_header(json, 0).unwrap();
        assert_eq!(h.node_field("detachedness").unwrap(), 5);
        assert_eq!(h.node_types, ["hidden", "object"]);
        assert_eq!(h.edge_types, ["element", "property"]);
        assert_eq!(
            (h.node_count, h.edge_count, h.extra_native_bytes),
            (2, 1, 1024)
        );
        assert!(h
            .node_field("trace_node_id")
            .unwrap_err()
            .to_string()
            .contains("trace_node_id"));
    }

    #[test]
    fn rejects_missing_meta() {
        let err = parse_header(br#"{"node_count":1}"#, 12).unwrap_err();
        assert_eq!(err.offset(), Some(12));
        assert!(err.to_string().contains("meta"));
    }
}
