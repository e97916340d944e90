//! The `paths` tool: where a whole population is held — the retaining paths of a class's
//! objects (or of its new ones since an earlier snapshot of the process) grouped by shape,
//! most common first, each group with example ids to pass to `retainers` or `show`.

use super::{blocking, Call};
use crate::answer::{paged, to_value, Answer, Page, ToolError, ToolResult};
use crate::safety::quoted;
use heaptui_present::{format, population};
use rmcp::schemars::{self, JsonSchema};
use serde::Deserialize;

/// Shapes per page by default: a population is usually held in one to three ways.
const DEFAULT_SHAPES: usize = 5;
/// The most shapes one page may carry.
const MAX_SHAPES: usize = 50;

/// Arguments of `paths`.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct PathsArgs {
    /// The snapshot's handle.
    pub handle: String,
    /// The Summary class whose objects to follow, as `summary` names it.
    pub class: String,
    /// The handle of an earlier snapshot of the same process: follow only the objects new
    /// since it (a leak's growth).
    pub new_since: Option<String>,
    /// Shapes per page (default 5, at most 50).
    pub limit: Option<usize>,
    /// The first shape to show.
    pub offset: Option<usize>,
}

/// `paths`: the population's retaining paths grouped by shape.
pub async fn paths(call: &Call, args: PathsArgs) -> ToolResult {
    let mut handles = vec![args.handle.clone()];
    handles.extend(args.new_since.iter().cloned());
    let mut snapshots = call.snapshots(&handles).await?;
    let after = snapshots.remove(0);
    let base = snapshots.pop();
    let (class, since) = (args.class.clone(), args.new_since.clone());
    let doc = blocking(move || -> Result<_, ToolError> {
        let objects = match &base {
            Some(base) => population::new_instances(base, &after, &class)
                .map_err(|e| ToolError::Argument(e.to_string()))?,
            None => population::instances(&after, &class),
        };
        if objects.is_empty() {
            return Err(ToolError::Argument(format!(
                "no objects of class {} to follow",
                quoted(&class)
            )));
        }
        Ok(to_value(&population::build(
            &after,
            &class,
            since,
            &objects,
            usize::MAX,
        )))
    })
    .await??;
    let total = doc["groups"].as_array().map_or(0, Vec::len);
    let page = Page::new(args.offset, args.limit, DEFAULT_SHAPES, MAX_SHAPES, total)?;
    let doc = paged(doc, "groups", &page);
    let mut text = format!(
        "{}: {} objects of {} in {} path shapes\n",
        args.handle,
        doc["objects"],
        quoted(&args.class),
        total
    );
    for g in doc["groups"].as_array().into_iter().flatten() {
        let path: Vec<population::PathShapeStep> =
            serde_json::from_value(g["path"].clone()).unwrap_or_default();
        text.push_str(&format!(
            "  {} objects ({:.1} %), {}, e.g. {}: {}\n",
            g["count"],
            g["percent"].as_f64().unwrap_or(0.0),
            format::bytes(g["retainedSize"].as_u64().unwrap_or(0)),
            g["examples"],
            quoted(&population::shape_line(&path))
        ));
    }
    text.push_str(&page.note("paths"));
    Ok(Answer {
        structured: doc,
        text,
    })
}
