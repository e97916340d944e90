//! "Ask the heap": the objects that pass a set of filters (class, type, a property and its
//! value, size and distance ranges, DOM state, allocated since an earlier snapshot, reachable
//! from an object), with their count and sizes, and the JSON document of `heaptui query`
//! (field names are an interface). The CLI and the MCP server select through [`select`] and
//! print this document.
//!
//! The candidates are the Summary's objects (the class regex is matched once per Summary row),
//! so a query of a class counts what the Summary counts. The total retained size counts each
//! object once: objects dominated by another match are inside its retained size already.

use crate::format;
use heaptui_common::error::{Error, Result};
use heaptui_common::util::redact;
use heaptui_engine::{ComparisonRows, DomState, Snapshot};
use rayon::prelude::*;
use regex::Regex;
use serde::Serialize;

/// The filters of a query; every one given must pass.
#[derive(Debug, Clone, Default)]
pub struct Filters {
    /// The Summary class (Constructor column) matches this regex (unanchored).
    pub class: Option<Regex>,
    /// The node type (`object`, `closure`, `string`, …) is this.
    pub node_type: Option<String>,
    /// The object has a property edge of this name…
    pub property: Option<String>,
    /// …whose target's value (a string's text, a number's written value) is this.
    pub value: Option<String>,
    /// Self size range, bytes, both ends included.
    pub self_size: Range<u64>,
    /// Retained size range, bytes, both ends included.
    pub retained: Range<u64>,
    /// Distance range (objects DevTools shows `−` for pass no bound).
    pub distance: Range<i32>,
    /// The DOM link state is this.
    pub dom: Option<DomState>,
}

/// An inclusive range; an end left out is open.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Range<T> {
    /// The least value that passes.
    pub min: Option<T>,
    /// The greatest value that passes.
    pub max: Option<T>,
}

impl<T: PartialOrd + Copy> Range<T> {
    fn bounded(&self) -> bool {
        self.min.is_some() || self.max.is_some()
    }

    fn holds(&self, value: T) -> bool {
        self.min.is_none_or(|m| value >= m) && self.max.is_none_or(|m| value <= m)
    }
}

/// A class regex, as a one-line usage error when it does not compile.
pub fn class_regex(pattern: &str) -> Result<Regex> {
    Regex::new(pattern).map_err(|e| {
        Error::usage(format!(
            "the class pattern is not a regex: {}",
            e.to_string().lines().last().unwrap_or("")
        ))
    })
}

/// A size bound (`1MB`, `500kB`, `2MiB`, bytes), as a usage error naming `what` otherwise.
pub fn size_bound(what: &str, text: &str) -> Result<u64> {
    format::parse_bytes(text).ok_or_else(|| {
        Error::usage(format!(
            "{what}: \"{}\" is not a size like 1MB, 500kB or 4096",
            heaptui_common::util::sanitize::sanitize(text)
        ))
    })
}

/// A DOM state by name (`attached`, `detached`, `unknown`).
pub fn dom_state(name: &str) -> Result<DomState> {
    match name {
        "attached" => Ok(DomState::Attached),
        "detached" => Ok(DomState::Detached),
        "unknown" => Ok(DomState::Unknown),
        _ => Err(Error::usage(
            "the DOM state is one of attached, detached, unknown",
        )),
    }
}

/// Where a query looks besides its filters.
#[derive(Default, Clone, Copy)]
pub struct Scope<'a> {
    /// Only objects allocated since this earlier snapshot of the same process (by object id,
    /// as `diff` matches them).
    pub new_since: Option<&'a Snapshot>,
    /// Only objects reachable from this node (itself included) over the edges that hold.
    pub from: Option<u32>,
}

/// The objects of `snapshot` that pass `filters` within `scope`, in ordinal order.
pub fn select(snapshot: &Snapshot, filters: &Filters, scope: Scope) -> Result<Vec<u32>> {
    let new = match scope.new_since {
        Some(base) => Some(new_objects(base, snapshot)?),
        None => None,
    };
    let reachable = scope.from.map(|from| snapshot.reachable_from(&[from]));
    let candidates: Vec<u32> = snapshot
        .summary()
        .iter()
        .filter(|row| {
            filters
                .class
                .as_ref()
                .is_none_or(|re| re.is_match(&row.name))
        })
        .flat_map(|row| row.nodes.iter().copied())
        .collect();
    let mut chosen: Vec<u32> = candidates
        .into_par_iter()
        .filter(|&node| {
            new.as_ref().is_none_or(|n| n.get(node as usize))
                && reachable.as_ref().is_none_or(|r| r.get(node as usize))
                && passes(snapshot, filters, node)
        })
        .collect();
    chosen.par_sort_unstable();
    Ok(chosen)
}

/// The objects of `after` that `base` does not have, by id; an error unless both are of one
/// process.
fn new_objects(base: &Snapshot, after: &Snapshot) -> Result<heaptui_common::util::bits::BitVec> {
    let mut new = heaptui_common::util::bits::BitVec::new(after.node_count());
    match heaptui_engine::compare(base, after, None).rows {
        ComparisonRows::ById(rows) => {
            for node in rows.iter().flat_map(|row| row.added.iter()) {
                new.set(*node as usize);
            }
            Ok(new)
        }
        ComparisonRows::ByClass(_) => Err(Error::usage(
            "new objects need two snapshots of one process: these have unrelated object ids",
        )),
    }
}

/// True when `node` passes every filter (the cheap ones first).
fn passes(snapshot: &Snapshot, filters: &Filters, node: u32) -> bool {
    if !filters.self_size.holds(snapshot.self_size(node))
        || !filters.retained.holds(snapshot.retained_size(node))
    {
        return false;
    }
    if filters.distance.bounded()
        && !snapshot
            .shown_distance(node)
            .is_some_and(|d| filters.distance.holds(d))
    {
        return false;
    }
    if filters
        .dom
        .is_some_and(|state| snapshot.dom_state(node) != state)
        || filters
            .node_type
            .as_ref()
            .is_some_and(|t| snapshot.type_name(node) != t)
    {
        return false;
    }
    match &filters.property {
        None => true,
        Some(name) => snapshot.edges_from(node).any(|(edge, to)| {
            snapshot.edge_kind(edge) == heaptui_engine::EdgeKind::Property
                && snapshot.edge_name(edge) == *name
                && filters
                    .value
                    .as_ref()
                    .is_none_or(|value| snapshot.value_is(to, value))
        }),
    }
}

/// Orders of a query's objects.
#[derive(clap::ValueEnum, Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum QuerySort {
    /// Retained size, largest first.
    #[default]
    Retained,
    /// Self size, largest first.
    #[value(name = "self")]
    SelfSize,
    /// Distance from the GC roots, nearest first (`−` last).
    Distance,
    /// Object id, ascending.
    Id,
}

/// Puts `nodes` in `sort`'s order (ties by object id).
pub fn sort(snapshot: &Snapshot, nodes: &mut [u32], sort: QuerySort) {
    let id = |n: u32| snapshot.node_id(n);
    match sort {
        QuerySort::Retained => snapshot.order_by_retained(nodes),
        QuerySort::SelfSize => {
            nodes.par_sort_unstable_by_key(|&n| (std::cmp::Reverse(snapshot.self_size(n)), id(n)))
        }
        QuerySort::Distance => nodes
            .par_sort_unstable_by_key(|&n| (snapshot.shown_distance(n).unwrap_or(i32::MAX), id(n))),
        QuerySort::Id => nodes.par_sort_unstable_by_key(|&n| id(n)),
    }
}

/// Each object's retained size once: the sum over the objects no other one of `nodes`
/// dominates (what releasing them all frees at least).
pub fn retained_once(snapshot: &Snapshot, nodes: &[u32]) -> u64 {
    let mut member = heaptui_common::util::bits::BitVec::new(snapshot.node_count());
    for &n in nodes {
        member.set(n as usize);
    }
    let under = snapshot.dominated_by(&|n| member.get(n as usize));
    nodes
        .iter()
        .filter(|&&n| !under[n as usize])
        .map(|&n| snapshot.retained_size(n))
        .sum()
}

/// `heaptui query --json`.
#[derive(Serialize, Debug)]
#[serde(rename_all = "camelCase")]
pub struct Query {
    /// The snapshot file.
    pub file: String,
    /// The filters as given (a value masked when the snapshot masks values).
    pub filters: Vec<String>,
    /// How many objects pass.
    pub count: usize,
    /// Their self sizes, added up.
    pub self_size: u64,
    /// Their retained size, each object once (objects inside another's are not added again).
    pub retained_size: u64,
    /// The first objects in the chosen order.
    pub objects: Vec<QueryObject>,
    /// Objects left out (`--top`, a page).
    pub more: usize,
}

/// One object of a query.
#[derive(Serialize, Debug, Clone)]
#[serde(rename_all = "camelCase")]
pub struct QueryObject {
    /// Snapshot object id (`heaptui show FILE @ID`).
    pub id: u32,
    /// Summary class.
    pub class_name: String,
    /// The name DevTools shows (a string's value, masked when values are).
    pub name: String,
    /// Distance; null where DevTools shows `−`.
    pub distance: Option<i32>,
    /// Self size.
    pub self_size: u64,
    /// Retained size.
    pub retained_size: u64,
}

impl QueryObject {
    /// `node` of `snapshot`.
    pub fn of(snapshot: &Snapshot, node: u32) -> QueryObject {
        QueryObject {
            id: snapshot.node_id(node),
            class_name: snapshot.class_name(node).to_string(),
            name: crate::labels::object_name(snapshot, node, NAME_CHARS),
            distance: snapshot.shown_distance(node),
            self_size: snapshot.self_size(node),
            retained_size: snapshot.retained_size(node),
        }
    }
}

/// Characters of an object's name a query lists (a string value can be megabytes).
const NAME_CHARS: usize = 80;

impl Query {
    /// The document for the objects `nodes` (already in their order) that `filters` chose
    /// within `scope`, the first `top` listed.
    pub fn new(
        snapshot: &Snapshot,
        filters: &Filters,
        scope: Scope,
        nodes: &[u32],
        top: usize,
    ) -> Query {
        Query {
            file: snapshot.path().display().to_string(),
            filters: describe(snapshot, filters, scope),
            count: nodes.len(),
            self_size: nodes.iter().map(|&n| snapshot.self_size(n)).sum(),
            retained_size: retained_once(snapshot, nodes),
            objects: nodes
                .iter()
                .take(top)
                .map(|&n| QueryObject::of(snapshot, n))
                .collect(),
            more: nodes.len().saturating_sub(top),
        }
    }
}

/// The filters and scope in words, `class ~ /Message/`, `retained >= 1000000`; a value is
/// masked when `snapshot` masks values.
pub fn describe(snapshot: &Snapshot, filters: &Filters, scope: Scope) -> Vec<String> {
    let mut out = Vec::new();
    if let Some(re) = &filters.class {
        out.push(format!("class ~ /{}/", re.as_str()));
    }
    if let Some(t) = &filters.node_type {
        out.push(format!("type = {t}"));
    }
    match (&filters.property, &filters.value) {
        (Some(p), Some(v)) => {
            let v = if snapshot.redacts() {
                redact::mask(v)
            } else {
                v.clone()
            };
            out.push(format!("property {p} = {v:?}"));
        }
        (Some(p), None) => out.push(format!("property {p}")),
        _ => {}
    }
    range_words(&mut out, "self", &filters.self_size);
    range_words(&mut out, "retained", &filters.retained);
    range_words(&mut out, "distance", &filters.distance);
    if let Some(state) = filters.dom {
        out.push(format!("dom = {}", crate::objects::dom_state(state)));
    }
    if let Some(base) = scope.new_since {
        out.push(format!("new since {}", base.path().display()));
    }
    if let Some(from) = scope.from {
        out.push(format!("reachable from @{}", snapshot.node_id(from)));
    }
    out
}

fn range_words<T: std::fmt::Display>(out: &mut Vec<String>, what: &str, range: &Range<T>) {
    if let Some(min) = &range.min {
        out.push(format!("{what} >= {min}"));
    }
    if let Some(max) = &range.max {
        out.push(format!("{what} <= {max}"));
    }
}
