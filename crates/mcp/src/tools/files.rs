//! The file tools: `peek` (a header without loading), `open` (handles back, loads in the
//! background), `list` and `close`.

use super::{blocking, Call};
use crate::answer::{Answer, ToolError, ToolResult};
use crate::handles::{Entry, State};
use crate::safety::quoted;
use heaptui_present::format;
use rmcp::schemars::{self, JsonSchema};
use rmcp::{Peer, RoleServer};
use serde::Deserialize;
use serde_json::{json, Value};

/// Arguments of `peek`.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct PeekArgs {
    /// The snapshot file (`.heapsnapshot`, gzipped or not), absolute or relative to the first
    /// root.
    pub path: String,
}

/// Arguments of `open`.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct OpenArgs {
    /// The snapshot files, absolute or relative to the first root; one handle each, in order.
    pub paths: Vec<String>,
    /// Wait until every load is done (default true; progress is reported while waiting).
    /// With false the handles come back at once and other tools wait for their loads.
    pub wait: Option<bool>,
}

/// Arguments of `close`.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct CloseArgs {
    /// The handle `open` gave.
    pub handle: String,
}

/// `peek`: the header's counts, what wrote the file, and whether a load would fit in memory.
pub async fn peek(call: &Call, peer: &Peer<RoleServer>, args: PeekArgs) -> ToolResult {
    let path = call.session.resolve(&args.path, peer).await?;
    let shown = path.display().to_string();
    let peek = blocking(move || heaptui_engine::peek(&path))
        .await?
        .map_err(|e| ToolError::Load {
            what: quoted(&args.path),
            reason: e.to_string(),
        })?;
    let fits = peek
        .available_memory
        .is_none_or(|free| peek.estimated_memory <= free);
    let text = format!(
        "{}: {} nodes, {} edges, {} on disk{}, written by {}; a load needs about {}{}\n",
        quoted(&shown),
        format::count(peek.node_count),
        format::count(peek.edge_count),
        format::bytes(peek.file_size),
        if peek.gzipped { " (gzip)" } else { "" },
        peek.producer(),
        format::bytes(peek.estimated_memory),
        if fits {
            ""
        } else {
            ", more than is available: open would refuse it"
        }
    );
    Ok(Answer {
        structured: json!({
            "path": shown,
            "fileSize": peek.file_size,
            "gzipped": peek.gzipped,
            "producer": peek.producer(),
            "title": peek.title,
            "nodeFields": peek.node_fields,
            "nodeCount": peek.node_count,
            "edgeCount": peek.edge_count,
            "allocationTracking": peek.allocation_tracking,
            "estimatedMemory": peek.estimated_memory,
            "availableMemory": peek.available_memory,
            "fitsInMemory": fits,
        }),
        text,
    })
}

/// `open`: a handle per file; the loads run in the background, one at a time.
pub async fn open(call: &Call, peer: &Peer<RoleServer>, args: OpenArgs) -> ToolResult {
    if args.paths.is_empty() {
        return Err(ToolError::Argument(
            "paths must name at least one file".into(),
        ));
    }
    // Every path is checked before any load starts: a refused path opens nothing.
    let mut paths = Vec::with_capacity(args.paths.len());
    for asked in &args.paths {
        paths.push(call.session.resolve(asked, peer).await?);
    }
    let mut entries = Vec::with_capacity(paths.len());
    for path in paths {
        entries.push(call.session.handles.open(path)?);
    }
    if args.wait.unwrap_or(true) {
        let handles: Vec<String> = entries.iter().map(|e| e.handle.clone()).collect();
        if let Err(e) = call.snapshots(&handles).await {
            // A snapshot that failed to load is closed; the others stay open, and are named.
            let mut failed = Vec::new();
            let mut kept = Vec::new();
            for entry in &entries {
                if matches!(&*entry.state.borrow(), State::Failed(_)) {
                    call.session.handles.close(&entry.handle).ok();
                    failed.push(entry.handle.clone());
                } else {
                    kept.push(entry.handle.clone());
                }
            }
            return Err(match e {
                ToolError::Load { what, reason } => ToolError::Load {
                    what: format!(
                        "{what}{}",
                        if kept.is_empty() {
                            String::new()
                        } else {
                            format!(" (still open: {})", kept.join(", "))
                        }
                    ),
                    reason,
                },
                other => other,
            });
        }
    }
    let described: Vec<Value> = entries.iter().map(|e| describe(e)).collect();
    let mut text = String::new();
    for d in &described {
        text.push_str(&line(d));
    }
    Ok(Answer {
        structured: json!({ "snapshots": described }),
        text,
    })
}

/// `list`: the open snapshots and their loads.
pub fn list(call: &Call) -> ToolResult {
    let described: Vec<Value> = call
        .session
        .handles
        .all()
        .iter()
        .map(|e| describe(e))
        .collect();
    let mut text = if described.is_empty() {
        "no snapshots open\n".to_string()
    } else {
        String::new()
    };
    for d in &described {
        text.push_str(&line(d));
    }
    Ok(Answer {
        structured: json!({ "snapshots": described }),
        text,
    })
}

/// `close`: forgets a handle.
pub fn close(call: &Call, args: CloseArgs) -> ToolResult {
    let handle = call.session.handles.close(&args.handle)?.handle.clone();
    // The snapshot is freed with its entry (unless a call in flight still reads it); glibc
    // keeps freed blocks below its mmap threshold in its heaps, so give them back, as the TUI
    // does after its loads: a long session's RSS then returns to where it was.
    heaptui_common::util::system::release_freed_memory();
    Ok(Answer {
        structured: json!({ "closed": handle }),
        text: format!("closed {handle}\n"),
    })
}

/// An entry as `open` and `list` describe it.
fn describe(entry: &Entry) -> Value {
    let mut d = json!({
        "handle": entry.handle,
        "path": entry.path.display().to_string(),
    });
    let more = match &*entry.state.borrow() {
        State::Loading { phase, fraction } => json!({
            "state": "loading",
            "phase": phase,
            "progress": (fraction * 100.0).round() / 100.0,
        }),
        State::Ready(s) => json!({
            "state": "ready",
            "nodeCount": s.node_count(),
            "edgeCount": s.edge_count(),
            "totalSize": s.total_size(),
            "warnings": s.warnings().iter().map(|w| w.to_string()).collect::<Vec<_>>(),
        }),
        State::Failed(reason) => json!({ "state": "failed", "error": reason }),
    };
    if let (Value::Object(d), Value::Object(more)) = (&mut d, more) {
        d.extend(more);
    }
    d
}

/// One line of `open`'s and `list`'s text.
fn line(d: &Value) -> String {
    let handle = d["handle"].as_str().unwrap_or_default();
    let path = quoted(d["path"].as_str().unwrap_or_default());
    match d["state"].as_str() {
        Some("ready") => format!(
            "{handle} {path}: ready, {} nodes, total {}\n",
            format::count(d["nodeCount"].as_u64().unwrap_or(0)),
            format::bytes(d["totalSize"].as_u64().unwrap_or(0))
        ),
        Some("loading") => format!(
            "{handle} {path}: loading ({:.0}%)\n",
            d["progress"].as_f64().unwrap_or(0.0) * 100.0
        ),
        _ => format!(
            "{handle} {path}: failed: {}\n",
            quoted(d["error"].as_str().unwrap_or_default())
        ),
    }
}
