//! The heap by realm and the closure variables no code can read: `realms` (DevTools'
//! native-context attribution) and `dead_closure_vars` (its ContextAnalyzer). The documents
//! are the CLI's `realms --json` and `contexts --json`, built by the same functions; only the
//! lists are cut to a page.

use super::{blocking, Call};
use crate::answer::{paged, to_value, Answer, Page, ToolResult};
use crate::safety::quoted;
use heaptui_present::documents::realms::{ContextsDoc, RealmsDoc, NO_SCOPE_TABLES};
use heaptui_present::format;
use rmcp::schemars::{self, JsonSchema};
use serde::Deserialize;
use serde_json::Value;

/// Realms per page by default: a page has one, a page with iframes or a Node app with `vm`
/// contexts a few; 20 keep an answer near 4 kB.
const DEFAULT_REALMS: usize = 20;
/// The most realms one page may carry.
const MAX_REALMS: usize = 100;
/// Scopes per page by default: the largest waste comes first, and 5 scopes with their first
/// contexts keep an answer near 5 kB.
const DEFAULT_SCOPES: usize = 5;
/// The most scopes one page may carry.
const MAX_SCOPES: usize = 50;
/// Contexts listed per scope by default (a scope's contexts are often many copies of one
/// leak: the first few say which variable and how much).
const DEFAULT_CONTEXTS: usize = 3;
/// The most contexts listed per scope.
const MAX_CONTEXTS: usize = 20;

/// Arguments of `realms`.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RealmsArgs {
    /// The snapshot's handle (from `open`).
    pub handle: String,
    /// Realms per page (default 20, at most 100).
    pub limit: Option<usize>,
    /// The first realm to show (from the previous page's `nextOffset`).
    pub offset: Option<usize>,
}

/// Arguments of `dead_closure_vars`.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct DeadClosureVarsArgs {
    /// The snapshot's handle (from `open`).
    pub handle: String,
    /// Function scopes per page (default 5, at most 50), the largest waste first.
    pub limit: Option<usize>,
    /// The first scope to show (from the previous page's `nextOffset`).
    pub offset: Option<usize>,
    /// Contexts listed per scope (default 3, at most 20); `contextCount` says how many.
    pub contexts: Option<usize>,
}

/// `realms`: what each native context alone reaches, what several share, what none reaches.
pub async fn realms(call: &Call, args: RealmsArgs) -> ToolResult {
    let snapshot = call.snapshot(&args.handle).await?;
    let doc = blocking(move || RealmsDoc::of(&snapshot)).await?;
    let page = Page::new(
        args.offset,
        args.limit,
        DEFAULT_REALMS,
        MAX_REALMS,
        doc.native_contexts.len(),
    )?;
    let mut text = format!(
        "{}: {} realms (native contexts)\n",
        args.handle,
        doc.native_contexts.len()
    );
    for c in page.cut(doc.native_contexts.clone()) {
        text.push_str(&format!(
            "  {} @{}  attributed {}  retained {}  filter {}\n",
            quoted(&c.node_name),
            c.node_id,
            format::bytes(c.attributed_size),
            format::bytes(c.retained_size),
            c.filter
        ));
    }
    text.push_str(&format!(
        "  shared {}  no native context {}\n",
        format::bytes(doc.shared_size),
        format::bytes(doc.no_attribution_size)
    ));
    text.push_str(&page.note("realms"));
    Ok(Answer {
        structured: with_handle(paged(to_value(&doc), "nativeContexts", &page), &args.handle),
        text,
    })
}

/// `dead_closure_vars`: closure-context fields no live closure can read, per function scope.
pub async fn dead_closure_vars(call: &Call, args: DeadClosureVarsArgs) -> ToolResult {
    let contexts = args.contexts.unwrap_or(DEFAULT_CONTEXTS);
    if contexts == 0 || contexts > MAX_CONTEXTS {
        return Err(crate::answer::ToolError::Argument(format!(
            "contexts must be between 1 and {MAX_CONTEXTS}"
        )));
    }
    let snapshot = call.snapshot(&args.handle).await?;
    let doc = blocking(move || ContextsDoc::of(&snapshot)).await?;
    let page = Page::new(
        args.offset,
        args.limit,
        DEFAULT_SCOPES,
        MAX_SCOPES,
        doc.scopes.len(),
    )?;
    let range = page.range();
    let doc = doc.page(range.start, range.len(), contexts);
    let mut text = if doc.has_scope_tables {
        format!(
            "{}: {} function scopes hold closure variables no live closure can read\n",
            args.handle, doc.scope_count
        )
    } else {
        format!("{}: {NO_SCOPE_TABLES}\n", args.handle)
    };
    for scope in &doc.scopes {
        text.push_str(&format!(
            "  {} {}–{} ({} contexts)\n",
            quoted(&scope.script_name),
            scope.scope_start,
            scope.scope_end,
            scope.context_count
        ));
        for c in &scope.contexts {
            for f in &c.dead_fields {
                text.push_str(&format!(
                    "    context @{}: {} = {} @{} keeps {}\n",
                    c.context_node_id,
                    quoted(&f.name),
                    quoted(&f.value_name),
                    f.value_node_id,
                    format::bytes(f.retained_size)
                ));
            }
        }
    }
    text.push_str(&page.note("dead_closure_vars"));
    let mut structured = to_value(&doc);
    if let Value::Object(map) = &mut structured {
        map.insert("page".into(), page.json());
    }
    Ok(Answer {
        structured: with_handle(structured, &args.handle),
        text,
    })
}

fn with_handle(mut doc: Value, handle: &str) -> Value {
    if let Value::Object(map) = &mut doc {
        map.insert("handle".into(), handle.into());
    }
    doc
}
