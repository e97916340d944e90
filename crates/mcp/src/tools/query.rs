//! The question tools: `query` (the objects that pass filters, with count and sizes),
//! `what_if` (what releasing objects would free, and what would stay alive) and `modules`
//! (memory by npm package, app file and Node internals). The documents are `heaptui query`,
//! `what-if` and `modules --json`, cut to a page.

use super::{blocking, node, Call};
use crate::answer::{paged, to_value, Answer, Page, ToolError, ToolResult};
use crate::safety::quoted;
use heaptui_engine::Snapshot;
use heaptui_present::format;
use heaptui_present::modules::Modules;
use heaptui_present::query::{self, Filters, Query, QuerySort, Range, Scope};
use heaptui_present::release::WhatIf;
use rmcp::schemars::{self, JsonSchema};
use serde::Deserialize;
use serde_json::Value;

/// Objects per page by default: the largest few say what a selection is.
const DEFAULT_OBJECTS: usize = 10;
/// Modules per page by default.
const DEFAULT_MODULES: usize = 10;
/// The most items one page may carry.
const MAX_ITEMS: usize = 100;
/// The most ids `what_if` takes in a list (a larger set is chosen with filters).
const MAX_IDS: usize = 1000;

/// The filters of `query` and `what_if` (every one given must pass).
#[derive(Debug, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct FilterFields {
    /// Only objects whose Summary class matches this regex (`^IncomingMessage$`).
    pub class: Option<String>,
    /// Only objects of this node type (object, closure, string, array, native, …).
    #[serde(rename = "type")]
    pub node_type: Option<String>,
    /// Only objects with a property of this name.
    pub property: Option<String>,
    /// …whose value (a string's text, a number where the snapshot has it) is this; matched
    /// on the real value, shown redacted unless the server shows values.
    pub value: Option<String>,
    /// Self size at least (`1MB`, `500kB`, bytes).
    pub min_self: Option<String>,
    /// Self size at most.
    pub max_self: Option<String>,
    /// Retained size at least.
    pub min_retained: Option<String>,
    /// Retained size at most.
    pub max_retained: Option<String>,
    /// Distance from the GC roots at least.
    pub min_distance: Option<i32>,
    /// Distance at most.
    pub max_distance: Option<i32>,
    /// DOM state: attached, detached or unknown.
    pub dom: Option<String>,
    /// The handle of an earlier snapshot of the same process: only objects new since it.
    pub new_since: Option<String>,
    /// Only objects reachable from this object id (itself included).
    pub from: Option<u32>,
}

impl FilterFields {
    /// The present layer's filters, or a refusal saying which argument is wrong.
    fn filters(&self) -> Result<Filters, ToolError> {
        let wrong = |e: heaptui_common::error::Error| ToolError::Argument(e.to_string());
        let size = |what: &str, text: &Option<String>| {
            text.as_deref()
                .map(|t| query::size_bound(what, t).map_err(wrong))
                .transpose()
        };
        if self.value.is_some() && self.property.is_none() {
            return Err(ToolError::Argument(
                "value needs property (the property whose value to match)".into(),
            ));
        }
        Ok(Filters {
            class: self
                .class
                .as_deref()
                .map(query::class_regex)
                .transpose()
                .map_err(wrong)?,
            node_type: self.node_type.clone(),
            property: self.property.clone(),
            value: self.value.clone(),
            self_size: Range {
                min: size("min_self", &self.min_self)?,
                max: size("max_self", &self.max_self)?,
            },
            retained: Range {
                min: size("min_retained", &self.min_retained)?,
                max: size("max_retained", &self.max_retained)?,
            },
            distance: Range {
                min: self.min_distance,
                max: self.max_distance,
            },
            dom: self
                .dom
                .as_deref()
                .map(query::dom_state)
                .transpose()
                .map_err(wrong)?,
        })
    }
}

/// The snapshot of `handle` and, with `new_since`, the earlier one.
async fn snapshots(
    call: &Call,
    handle: &str,
    fields: &FilterFields,
) -> Result<(Snapshot, Option<Snapshot>), ToolError> {
    let mut handles = vec![handle.to_string()];
    handles.extend(fields.new_since.iter().cloned());
    let mut loaded = call.snapshots(&handles).await?;
    let snapshot = loaded.remove(0);
    Ok((snapshot, loaded.pop()))
}

/// Selects the objects `fields` choose in `snapshot`; the filters and the node of `from`.
fn select(
    handle: &str,
    snapshot: &Snapshot,
    base: Option<&Snapshot>,
    fields: &FilterFields,
) -> Result<(Vec<u32>, Filters, Option<u32>), ToolError> {
    let filters = fields.filters()?;
    let from = fields
        .from
        .map(|id| node(snapshot, handle, id))
        .transpose()?;
    let scope = Scope {
        new_since: base,
        from,
    };
    let nodes =
        query::select(snapshot, &filters, scope).map_err(|e| ToolError::Argument(e.to_string()))?;
    Ok((nodes, filters, from))
}

/// Arguments of `query`.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct QueryArgs {
    /// The snapshot's handle.
    pub handle: String,
    /// The filters (none: every object).
    pub filters: Option<FilterFields>,
    /// Order: retained (default), self, distance or id.
    pub sort: Option<String>,
    /// Objects per page (default 10, at most 100).
    pub limit: Option<usize>,
    /// The first object to show.
    pub offset: Option<usize>,
}

/// `query`: the objects that pass the filters, with their count and sizes.
pub async fn query(call: &Call, args: QueryArgs) -> ToolResult {
    let fields = args.filters.unwrap_or_default();
    let sort = super::choice("sort", args.sort.as_deref(), QuerySort::Retained)?;
    let (snapshot, base) = snapshots(call, &args.handle, &fields).await?;
    let handle = args.handle.clone();
    let (limit, offset) = (args.limit, args.offset);
    let (doc, page) = blocking(move || -> Result<_, ToolError> {
        let (mut nodes, filters, from) = select(&handle, &snapshot, base.as_ref(), &fields)?;
        let page = Page::new(offset, limit, DEFAULT_OBJECTS, MAX_ITEMS, nodes.len())?;
        query::sort(&snapshot, &mut nodes, sort);
        let scope = Scope {
            new_since: base.as_ref(),
            from,
        };
        let doc = Query::new(&snapshot, &filters, scope, &nodes, page.range().end);
        Ok((to_value(&doc), page))
    })
    .await??;
    let doc = paged(doc, "objects", &page);
    let mut text = format!(
        "{}: {} objects ({}), self {}, retained {}\n",
        args.handle,
        doc["count"],
        quoted(&filter_words(&doc)),
        format::bytes(doc["selfSize"].as_u64().unwrap_or(0)),
        format::bytes(doc["retainedSize"].as_u64().unwrap_or(0)),
    );
    text += &objects_text(&doc["objects"]);
    text.push_str(&page.note("query"));
    Ok(Answer {
        structured: doc,
        text,
    })
}

fn filter_words(doc: &Value) -> String {
    let words: Vec<&str> = doc["filters"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(Value::as_str)
        .collect();
    if words.is_empty() {
        "every object".to_string()
    } else {
        words.join(", ")
    }
}

/// One line per object: `@id class name, self, retained, distance`.
fn objects_text(objects: &Value) -> String {
    let mut text = String::new();
    for o in objects.as_array().into_iter().flatten() {
        text += &format!(
            "  @{} {} {}: self {}, retained {}, distance {}\n",
            o["id"],
            quoted(o["className"].as_str().unwrap_or("")),
            quoted(o["name"].as_str().unwrap_or("")),
            format::bytes(o["selfSize"].as_u64().unwrap_or(0)),
            format::bytes(o["retainedSize"].as_u64().unwrap_or(0)),
            o["distance"]
        );
    }
    text
}

/// Arguments of `what_if`.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct WhatIfArgs {
    /// The snapshot's handle.
    pub handle: String,
    /// The ids of the objects to release (at most 1000); or `query`.
    pub ids: Option<Vec<u32>>,
    /// Release the objects these filters choose (as `query` does) instead of `ids`.
    pub query: Option<FilterFields>,
    /// Released objects listed per page, largest retained size first (default 10, at most
    /// 100).
    pub limit: Option<usize>,
    /// The first released object to list.
    pub offset: Option<usize>,
}

/// `what_if`: what releasing the objects frees, and what stays alive.
pub async fn what_if(call: &Call, args: WhatIfArgs) -> ToolResult {
    let (ids, fields) = match (args.ids, args.query) {
        (Some(ids), None) if !ids.is_empty() && ids.len() <= MAX_IDS => (Some(ids), None),
        (None, Some(fields)) => (None, Some(fields)),
        _ => {
            return Err(ToolError::Argument(format!(
                "give ids (1 to {MAX_IDS}) or query (filters), one of the two"
            )))
        }
    };
    let empty = FilterFields::default();
    let (snapshot, base) = snapshots(call, &args.handle, fields.as_ref().unwrap_or(&empty)).await?;
    let handle = args.handle.clone();
    let (limit, offset) = (args.limit, args.offset);
    let (doc, page) = blocking(move || -> Result<_, ToolError> {
        let mut members = match (&ids, &fields) {
            (Some(ids), _) => ids
                .iter()
                .map(|&id| node(&snapshot, &handle, id))
                .collect::<Result<Vec<_>, _>>()?,
            (None, Some(fields)) => select(&handle, &snapshot, base.as_ref(), fields)?.0,
            (None, None) => Vec::new(),
        };
        members.sort_unstable();
        members.dedup();
        if members.contains(&snapshot.root()) {
            return Err(ToolError::Argument(
                "the root cannot be released (it is not an object of the program)".into(),
            ));
        }
        if members.is_empty() {
            return Err(ToolError::Argument(
                "no objects to release: the query chose none".into(),
            ));
        }
        let page = Page::new(offset, limit, DEFAULT_OBJECTS, MAX_ITEMS, members.len())?;
        let doc = WhatIf::new(&snapshot, &members, page.range().end);
        Ok((to_value(&doc), page))
    })
    .await??;
    let doc = paged(doc, "members", &page);
    let classes = |list: &Value| {
        list.as_array()
            .into_iter()
            .flatten()
            .map(|c| {
                format!(
                    "{} {} ({})",
                    c["count"],
                    quoted(c["className"].as_str().unwrap_or("")),
                    format::bytes(c["size"].as_u64().unwrap_or(0))
                )
            })
            .collect::<Vec<_>>()
            .join(", ")
    };
    let mut text = format!(
        "{}: releasing {} objects frees {} ({} objects; their own retained sizes add up to {})\n  freed: {}\n  still alive though held by them: {} objects ({}): {}\n",
        args.handle,
        doc["released"],
        format::bytes(doc["freedSize"].as_u64().unwrap_or(0)),
        doc["freedCount"],
        format::bytes(doc["membersRetainedSize"].as_u64().unwrap_or(0)),
        classes(&doc["freedClasses"]),
        doc["stillHeld"]["count"],
        format::bytes(doc["stillHeld"]["selfSize"].as_u64().unwrap_or(0)),
        classes(&doc["stillHeld"]["classes"]),
    );
    text += &objects_text(&doc["members"]);
    text.push_str(&page.note("what_if"));
    Ok(Answer {
        structured: doc,
        text,
    })
}

/// Arguments of `modules`.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ModulesArgs {
    /// The snapshot's handle.
    pub handle: String,
    /// Modules per page, largest first (default 10, at most 100).
    pub limit: Option<usize>,
    /// The first module to show.
    pub offset: Option<usize>,
}

/// `modules`: memory by npm package, app file and Node internals.
pub async fn modules(call: &Call, args: ModulesArgs) -> ToolResult {
    let snapshot = call.snapshot(&args.handle).await?;
    let doc = blocking(move || to_value(&Modules::new(&snapshot, usize::MAX))).await?;
    let total = doc["modules"].as_array().map_or(0, Vec::len);
    let page = Page::new(args.offset, args.limit, DEFAULT_MODULES, MAX_ITEMS, total)?;
    let mut doc = paged(doc, "modules", &page);
    doc["more"] = Value::from(page.more());
    let mut text = format!(
        "{}: {} modules, total {}, {} not under any module's code\n",
        args.handle,
        total,
        format::bytes(doc["totalSize"].as_u64().unwrap_or(0)),
        format::bytes(doc["unattributedSize"].as_u64().unwrap_or(0)),
    );
    for m in doc["modules"].as_array().into_iter().flatten() {
        text += &format!(
            "  {} ({}): retained {} ({:.1} %), {} objects, source {}{}\n",
            quoted(m["name"].as_str().unwrap_or("")),
            m["kind"].as_str().unwrap_or(""),
            format::bytes(m["retainedSize"].as_u64().unwrap_or(0)),
            m["percent"].as_f64().unwrap_or(0.0),
            m["objects"],
            format::bytes(m["sourceSize"].as_u64().unwrap_or(0)),
            if m["duplicated"] == true {
                ", duplicated"
            } else {
                ""
            }
        );
    }
    for d in doc["duplicates"].as_array().into_iter().flatten() {
        text += &format!(
            "  duplicated {} ({}): {}\n",
            quoted(d["name"].as_str().unwrap_or("")),
            d["reason"].as_str().unwrap_or(""),
            d["at"].as_array().map_or(0, Vec::len)
        );
    }
    text.push_str(&page.note("modules"));
    Ok(Answer {
        structured: doc,
        text,
    })
}
