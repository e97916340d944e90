//! The realms and dead closure-context fields of a snapshot as documents, with the oracle's
//! field names (DevTools' `getNativeContextSizes`, `getRetainedByContextSummary` and
//! `analyzeContexts`): `heaptui realms --json`, `heaptui contexts --json` and the MCP tools
//! `realms` and `dead_closure_vars`.

use heaptui_engine::{NamedFilter, Snapshot};
use serde::Serialize;

/// `heaptui realms --json`.
#[derive(Serialize, Debug, Clone)]
#[serde(rename_all = "camelCase")]
pub struct RealmsDoc {
    /// The snapshot file.
    pub file: String,
    /// Each native context (realm), in node order.
    pub native_contexts: Vec<NativeContextDoc>,
    /// Self sizes of the objects several native contexts reach.
    pub shared_size: u64,
    /// Self sizes of the objects no native context reaches.
    pub no_attribution_size: u64,
    /// The "retained by contexts" summary.
    pub retained_by_context: RetainedByContextDoc,
}

/// One native context of [`RealmsDoc`].
#[derive(Serialize, Debug, Clone)]
#[serde(rename_all = "camelCase")]
pub struct NativeContextDoc {
    /// The object id of its `system / NativeContext` node.
    pub node_id: u32,
    /// Its node index (the `nativeContext_<nodeIndex>` filter's argument).
    pub node_index: u64,
    /// Its name (`system / NativeContext / <url>` where V8 names it).
    pub node_name: String,
    /// The named filter that selects its objects (`summary --named-filter`).
    pub filter: String,
    /// The self sizes of every object only it reaches.
    pub attributed_size: u64,
    /// Its own retained size.
    pub retained_size: u64,
    /// Its own self size.
    pub self_size: u64,
}

/// [`RealmsDoc::retained_by_context`].
#[derive(Serialize, Debug, Clone)]
#[serde(rename_all = "camelCase")]
pub struct RetainedByContextDoc {
    /// Closure contexts with a self size.
    pub context_count: u64,
    /// Self sizes of the objects only closure contexts keep alive.
    pub retained_by_context_size: u64,
    /// How many they are.
    pub retained_by_context_count: u64,
    /// Self sizes of the other objects.
    pub not_retained_by_context_size: u64,
    /// How many they are.
    pub not_retained_by_context_count: u64,
    /// Both sizes together.
    pub total_size: u64,
}

impl RealmsDoc {
    /// The document of `snapshot`.
    pub fn of(snapshot: &Snapshot) -> RealmsDoc {
        let realms = snapshot.realms();
        let by_contexts = snapshot.retained_by_contexts();
        RealmsDoc {
            file: snapshot.path().display().to_string(),
            native_contexts: realms
                .native_contexts
                .iter()
                .map(|c| {
                    let node_index = snapshot.node_index(c.node);
                    NativeContextDoc {
                        node_id: snapshot.node_id(c.node),
                        node_index,
                        node_name: snapshot.display_name(c.node),
                        filter: NamedFilter::NativeContext(node_index).devtools_name(),
                        attributed_size: c.attributed_size,
                        retained_size: snapshot.retained_size(c.node),
                        self_size: snapshot.self_size(c.node),
                    }
                })
                .collect(),
            shared_size: realms.shared_size,
            no_attribution_size: realms.unattributed_size,
            retained_by_context: RetainedByContextDoc {
                context_count: by_contexts.context_count,
                retained_by_context_size: by_contexts.retained_size,
                retained_by_context_count: by_contexts.retained_count,
                not_retained_by_context_size: by_contexts.not_retained_size,
                not_retained_by_context_count: by_contexts.not_retained_count,
                total_size: by_contexts.retained_size + by_contexts.not_retained_size,
            },
        }
    }
}

/// `heaptui contexts --json`: the closure-context fields no live closure can read.
#[derive(Serialize, Debug, Clone)]
#[serde(rename_all = "camelCase")]
pub struct ContextsDoc {
    /// The snapshot file.
    pub file: String,
    /// True when the snapshot has scope tables (without them nothing can be judged).
    pub has_scope_tables: bool,
    /// How many scopes have dead fields (before any paging).
    pub scope_count: usize,
    /// Function scopes with dead fields, the largest waste first.
    pub scopes: Vec<ScopeDoc>,
    /// Scripts whose contexts could not be analysed for lack of scope tables.
    pub scripts_without_scopes: Vec<ScriptWithoutScopesDoc>,
}

/// One function scope of [`ContextsDoc`].
#[derive(Serialize, Debug, Clone)]
#[serde(rename_all = "camelCase")]
pub struct ScopeDoc {
    /// Its `system / ScopeInfo` node's index and id.
    pub scope_info_node_index: u64,
    /// The scope info's object id.
    pub scope_info_node_id: u32,
    /// Its script's node index.
    pub script_node_index: u64,
    /// Its script's object id.
    pub script_node_id: u32,
    /// Its script's name (URL or file).
    pub script_name: String,
    /// The function's name, when V8 recorded one.
    pub scope_name: Option<String>,
    /// Start position in the script (characters).
    pub scope_start: i64,
    /// End position in the script.
    pub scope_end: i64,
    /// How many fields its context holds.
    pub context_field_count: usize,
    /// How many of its contexts hold dead fields (before any paging).
    pub context_count: usize,
    /// Those contexts, the largest waste first.
    pub contexts: Vec<ContextDoc>,
}

/// One context of [`ScopeDoc`].
#[derive(Serialize, Debug, Clone)]
#[serde(rename_all = "camelCase")]
pub struct ContextDoc {
    /// The context's node index.
    pub context_node_index: u64,
    /// The context's object id.
    pub context_node_id: u32,
    /// The context's retained size.
    pub retained_size: u64,
    /// The dead fields' retained sizes, summed.
    pub dead_fields_retained_size_sum: u64,
    /// Its dead fields, by retained size.
    pub dead_fields: Vec<DeadFieldDoc>,
}

/// One dead field of [`ContextDoc`].
#[derive(Serialize, Debug, Clone)]
#[serde(rename_all = "camelCase")]
pub struct DeadFieldDoc {
    /// The variable's name.
    pub name: String,
    /// The value's node index.
    pub value_node_index: u64,
    /// The value's object id.
    pub value_node_id: u32,
    /// The value's name (string values masked with `--redact`).
    pub value_name: String,
    /// The value's node type.
    pub value_type: String,
    /// The value's self size.
    pub self_size: u64,
    /// What the value keeps alive.
    pub retained_size: u64,
}

/// One script of [`ContextsDoc::scripts_without_scopes`].
#[derive(Serialize, Debug, Clone)]
#[serde(rename_all = "camelCase")]
pub struct ScriptWithoutScopesDoc {
    /// The script's node index.
    pub script_node_index: u64,
    /// The script's object id.
    pub script_node_id: u32,
    /// The script's name.
    pub script_name: String,
    /// How many of its contexts were met.
    pub context_count: u64,
}

impl ContextsDoc {
    /// The document of `snapshot`, every scope and context.
    pub fn of(snapshot: &Snapshot) -> ContextsDoc {
        let analysis = snapshot.dead_context_fields();
        let scopes: Vec<ScopeDoc> = analysis
            .scopes
            .iter()
            .map(|scope| ScopeDoc {
                scope_info_node_index: snapshot.node_index(scope.scope_info),
                scope_info_node_id: snapshot.node_id(scope.scope_info),
                script_node_index: snapshot.node_index(scope.script),
                script_node_id: snapshot.node_id(scope.script),
                script_name: scope.script_name.clone(),
                scope_name: scope.scope_name.map(|n| snapshot.display_name(n)),
                scope_start: scope.start,
                scope_end: scope.end,
                context_field_count: scope.field_count,
                context_count: scope.contexts.len(),
                contexts: scope
                    .contexts
                    .iter()
                    .map(|c| ContextDoc {
                        context_node_index: snapshot.node_index(c.context),
                        context_node_id: snapshot.node_id(c.context),
                        retained_size: snapshot.retained_size(c.context),
                        dead_fields_retained_size_sum: c.dead_retained,
                        dead_fields: c
                            .dead_fields
                            .iter()
                            .map(|f| DeadFieldDoc {
                                name: f.name.clone(),
                                value_node_index: snapshot.node_index(f.value),
                                value_node_id: snapshot.node_id(f.value),
                                value_name: snapshot.display_name(f.value),
                                value_type: snapshot.type_name(f.value).to_string(),
                                self_size: snapshot.self_size(f.value),
                                retained_size: snapshot.retained_size(f.value),
                            })
                            .collect(),
                    })
                    .collect(),
            })
            .collect();
        ContextsDoc {
            file: snapshot.path().display().to_string(),
            has_scope_tables: snapshot.has_scope_tables(),
            scope_count: scopes.len(),
            scopes,
            scripts_without_scopes: analysis
                .scripts_without_scopes
                .iter()
                .map(|s| ScriptWithoutScopesDoc {
                    script_node_index: snapshot.node_index(s.script),
                    script_node_id: snapshot.node_id(s.script),
                    script_name: s.script_name.clone(),
                    context_count: s.context_count,
                })
                .collect(),
        }
    }

    /// The document cut to `scopes` scopes from `offset` and `contexts` contexts per scope
    /// (the counts stay whole), for the MCP tool's pages.
    pub fn page(mut self, offset: usize, scopes: usize, contexts: usize) -> ContextsDoc {
        self.scopes = self.scopes.into_iter().skip(offset).take(scopes).collect();
        for scope in &mut self.scopes {
            scope.contexts.truncate(contexts);
        }
        self
    }
}

/// `name() in script [start–end]`, sanitised, the script's name cut to `width` characters.
pub fn scope_label(scope: &ScopeDoc, width: usize) -> String {
    use crate::format;
    use heaptui_common::util::sanitize::sanitize;
    format!(
        "{}{} [{}–{}]",
        scope
            .scope_name
            .as_deref()
            .filter(|n| !n.is_empty())
            .map(|n| format!("{}() in ", sanitize(n)))
            .unwrap_or_default(),
        sanitize(&format::truncate(&scope.script_name, width)),
        scope.scope_start,
        scope.scope_end
    )
}

/// One dead field with its context and scope, as a ranked list shows it.
pub struct RankedField<'a> {
    /// The function scope.
    pub scope: &'a ScopeDoc,
    /// The context holding the field.
    pub context: &'a ContextDoc,
    /// The field.
    pub field: &'a DeadFieldDoc,
}

/// Every dead field of `doc`, what it keeps alive (its value's retained size) largest first,
/// ties by context and field name.
pub fn ranked_fields(doc: &ContextsDoc) -> Vec<RankedField<'_>> {
    let mut out: Vec<RankedField> = doc
        .scopes
        .iter()
        .flat_map(|scope| {
            scope.contexts.iter().flat_map(move |context| {
                context.dead_fields.iter().map(move |field| RankedField {
                    scope,
                    context,
                    field,
                })
            })
        })
        .collect();
    out.sort_by(|a, b| {
        b.field
            .retained_size
            .cmp(&a.field.retained_size)
            .then(a.context.context_node_id.cmp(&b.context.context_node_id))
            .then(a.field.name.cmp(&b.field.name))
    });
    out
}

/// The one line said where a snapshot has no scope tables (Node 20–26 write none).
pub const NO_SCOPE_TABLES: &str =
    "no scope tables in this snapshot (V8 writes them from Chromium 156; Node 20–26 do not), so no closure-context field can be judged";
