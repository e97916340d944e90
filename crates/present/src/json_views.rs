//! The JSON shapes of the object-level commands (`show`, `dominators`, `statistics`). Field
//! names are an interface other tools depend on.

use crate::json::{Location, Node};
use heaptui_engine::Statistics;
use serde::Serialize;

/// `heaptui show --json`.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Show {
    /// The object.
    pub node: Node,
    /// What it holds: its edges in DevTools' order.
    pub edges: Vec<ContentEdge>,
}

/// One edge of an object's contents.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ContentEdge {
    /// Edge type (`property`, `element`, `internal`, …).
    pub edge_type: String,
    /// Edge name as DevTools gives it (element indexes as strings).
    pub edge_name: String,
    /// The object it leads to.
    pub node: ContentNode,
}

/// The object an edge leads to.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ContentNode {
    /// Its node ordinal in the snapshot (for the text output; not printed).
    #[serde(skip)]
    pub ordinal: u32,
    /// Snapshot object id.
    pub id: u32,
    /// Display name (a string's value).
    pub name: String,
    /// Summary class.
    pub class_name: String,
    /// Node type.
    #[serde(rename = "type")]
    pub node_type: String,
    /// Self size.
    pub self_size: u64,
    /// Retained size.
    pub retained_size: u64,
    /// Distance; null where DevTools shows `−`.
    pub distance: Option<i32>,
    /// A number's value, where the snapshot has it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub value: Option<String>,
    /// Where a function (or an object's constructor) was defined.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub location: Option<Location>,
    /// Set for native nodes detached from every document.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub detached_dom_node: bool,
    /// Its own contents, with `--depth` > 1.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub edges: Option<Vec<ContentEdge>>,
    /// Set when the object already appears above it (not expanded).
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub cycled_with_ancestor: bool,
}

/// `heaptui dominators --json`.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Dominators {
    /// The snapshot file.
    pub file: String,
    /// DevTools' total size (the base of `retainedPercent`).
    pub total_size: u64,
    /// The tree's top: the root, or the object asked about.
    pub node: DominatorNode,
    /// The top's dominators up to the root (ids), nearest first.
    pub dominator_chain: Vec<u32>,
}

/// A node of the dominator tree.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct DominatorNode {
    /// Its node ordinal in the snapshot (for the text output; not printed).
    #[serde(skip)]
    pub ordinal: u32,
    /// Snapshot object id.
    pub id: u32,
    /// Display name.
    pub name: String,
    /// Summary class.
    pub class_name: String,
    /// Node type.
    #[serde(rename = "type")]
    pub node_type: String,
    /// Self size.
    pub self_size: u64,
    /// Retained size.
    pub retained_size: u64,
    /// Retained size as a share of the total size, in percent.
    pub retained_percent: f64,
    /// Distance; null where DevTools shows `−`.
    pub distance: Option<i32>,
    /// How many objects it immediately dominates (before `--top`).
    pub child_count: usize,
    /// The largest of them, with `--depth` levels left.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub children: Option<Vec<DominatorNode>>,
}

/// `heaptui statistics --json`: DevTools' `getStatistics()` and the Statistics pie's buckets,
/// with the oracle's field names.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct StatisticsDoc {
    /// The snapshot file.
    pub file: String,
    /// Total size.
    pub total: u64,
    /// The V8 heap.
    pub v8heap: V8Heap,
    /// Native memory.
    pub native: Native,
    /// The pie's buckets.
    pub chart: Chart,
}

/// `v8heap` of [`StatisticsDoc`].
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct V8Heap {
    /// The V8 heap's total.
    pub total: u64,
    /// Compiled code.
    pub code: u64,
    /// Strings.
    pub strings: u64,
    /// JS arrays and their element stores.
    pub js_arrays: u64,
    /// System objects.
    pub system: u64,
}

/// `native` of [`StatisticsDoc`].
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Native {
    /// Native memory's total.
    pub total: u64,
    /// Typed arrays' backing stores.
    pub typed_arrays: u64,
}

/// `chart` of [`StatisticsDoc`].
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Chart {
    /// Code.
    pub code: u64,
    /// Strings.
    pub strings: u64,
    /// JS arrays.
    pub js_arrays: u64,
    /// Typed arrays.
    pub typed_arrays: u64,
    /// System objects.
    pub system_objects: u64,
    /// Other JS objects.
    #[serde(rename = "otherJSObjects")]
    pub other_js_objects: u64,
    /// Other non-JS objects.
    #[serde(rename = "otherNonJSObjects")]
    pub other_non_js_objects: u64,
}

impl StatisticsDoc {
    /// The document for `stats` of `file`.
    pub fn of(file: String, stats: &Statistics) -> StatisticsDoc {
        StatisticsDoc {
            file,
            total: stats.total,
            v8heap: V8Heap {
                total: stats.v8heap_total,
                code: stats.code,
                strings: stats.strings,
                js_arrays: stats.js_arrays,
                system: stats.system,
            },
            native: Native {
                total: stats.native_total,
                typed_arrays: stats.typed_arrays,
            },
            chart: Chart {
                code: stats.code,
                strings: stats.strings,
                js_arrays: stats.js_arrays,
                typed_arrays: stats.typed_arrays,
                system_objects: stats.system,
                other_js_objects: stats.other_js_objects(),
                other_non_js_objects: stats.other_non_js_objects(),
            },
        }
    }
}
