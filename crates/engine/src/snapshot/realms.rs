//! Realms and closure contexts: the sizes each native context holds (DevTools'
//! `getNativeContextSizes`, `getRetainedByContextSummary`) and the closure-context fields no
//! live closure can read (`analyzeContexts`).

use super::{NamedFilter, Snapshot};
use crate::analysis::{dead_context_fields, native_contexts};

pub use crate::analysis::dead_context_fields::{
    Analysis as ContextFieldAnalysis, DeadContext, DeadField, DeadScope, ScriptWithoutScopes,
};

/// One native context (a realm: the main world, a `vm` context, an iframe, an extension).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NativeContextSize {
    /// The `system / NativeContext` node.
    pub node: u32,
    /// The self sizes of every object only this native context reaches.
    pub attributed_size: u64,
}

/// The heap by realm.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Realms {
    /// Each native context, in node order.
    pub native_contexts: Vec<NativeContextSize>,
    /// The self sizes of objects several native contexts reach.
    pub shared_size: u64,
    /// The self sizes of objects no native context reaches.
    pub unattributed_size: u64,
}

/// DevTools' "retained by contexts" summary: objects (with a self size) that only closure
/// contexts keep alive, and the others.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RetainedByContexts {
    /// Closure contexts (`system / Context`) with a self size.
    pub context_count: u64,
    /// Objects the `objectsRetainedByContexts` filter keeps.
    pub retained_count: u64,
    /// Their self sizes.
    pub retained_size: u64,
    /// The other objects.
    pub not_retained_count: u64,
    /// Their self sizes.
    pub not_retained_size: u64,
}

impl Snapshot {
    /// Every node's native-context attribution, computed once.
    pub(super) fn native_context_attribution(&self) -> &native_contexts::Attribution {
        self.inner
            .native_contexts
            .get_or_init(|| native_contexts::attribute(self.graph()))
    }

    /// The node index DevTools addresses a node by (ordinal × node field count), as in the
    /// `nativeContext_<nodeIndex>` filter.
    pub fn node_index(&self, node: u32) -> u64 {
        u64::from(node) * self.graph().header.node_fields.len() as u64
    }

    /// The sizes each native context holds, shared and unattributed (DevTools'
    /// `getNativeContextSizes`).
    pub fn realms(&self) -> Realms {
        let attribution = self.native_context_attribution();
        let sizes = native_contexts::sizes(attribution, &self.classes().self_size);
        Realms {
            native_contexts: attribution
                .native_contexts
                .iter()
                .zip(sizes.attributed)
                .map(|(&node, attributed_size)| NativeContextSize {
                    node,
                    attributed_size,
                })
                .collect(),
            shared_size: sizes.shared,
            unattributed_size: sizes.unattributed,
        }
    }

    /// DevTools' `getRetainedByContextSummary`.
    pub fn retained_by_contexts(&self) -> RetainedByContexts {
        let passing = self.passing(NamedFilter::RetainedByContexts);
        let graph = self.graph();
        let mut out = RetainedByContexts {
            context_count: 0,
            retained_count: 0,
            retained_size: 0,
            not_retained_count: 0,
            not_retained_size: 0,
        };
        for (node, &size) in self.classes().self_size.iter().enumerate() {
            if size == 0 {
                continue;
            }
            let size = u64::from(size);
            if passing.get(node) {
                out.retained_count += 1;
                out.retained_size += size;
            } else {
                out.not_retained_count += 1;
                out.not_retained_size += size;
            }
            let name = graph.raw_name(node as u32);
            if name == "system / Context" || name.starts_with("system / Context / ") {
                out.context_count += 1;
            }
        }
        out
    }

    /// True when the snapshot has the scope tables newer V8 writes (Chromium 156; not Node
    /// 20–26), without which no context field can be judged.
    pub fn has_scope_tables(&self) -> bool {
        self.graph().scopes.present
    }

    /// The closure-context fields no live closure can read, per function scope (DevTools'
    /// `analyzeContexts`).
    pub fn dead_context_fields(&self) -> ContextFieldAnalysis {
        dead_context_fields::analyze(&dead_context_fields::Inputs {
            graph: self.graph(),
            retained: &self.dominance().retained,
        })
    }
}
