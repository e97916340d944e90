//! The API of the object-level views: an object's contents (Summary, Comparison, Containment),
//! what its values are (numbers, whole strings, a closure's variables), its DOM state, the
//! dominator tree top down (Dominators) and script names for locations.

use super::{ContentEdge, ContextVariable, DomState, Location, Partial, Snapshot, SourceLocation};
use crate::analysis::scripts::{Script, ScriptNames};
use crate::analysis::{contents, dominator_tree, values};

impl Partial {
    /// The synthetic root node (the Containment view's top, the dominator tree's root).
    pub fn root(&self) -> u32 {
        self.graph().root
    }

    /// How many rows [`Snapshot::contents`] lists (without sorting them).
    pub fn content_count(&self, node: u32, all: bool) -> usize {
        contents::count(self.graph(), node, all)
    }

    /// A number's value, where the snapshot wrote it (masked with `redact`).
    pub fn number_value(&self, node: u32) -> Option<String> {
        values::number_value(self.graph(), node).map(|value| self.display_name(value))
    }

    /// True when the node's value is `value`: a string's whole text, or a number's value where
    /// the snapshot wrote one. Compared unmasked: redaction hides values in what a snapshot
    /// shows, not in what it matches.
    pub fn value_is(&self, node: u32, value: &str) -> bool {
        let graph = self.graph();
        if Some(graph.node_type[node as usize]) == graph.node_kinds.string {
            return graph.raw_name(node) == value;
        }
        if self.is_string(node) {
            return values::string_text(graph, node).as_deref() == Some(value);
        }
        values::number_value(graph, node).is_some_and(|v| graph.raw_name(v) == value)
    }

    /// True when the snapshot masks string values in what it hands out (`redact`).
    pub fn redacts(&self) -> bool {
        self.inner.redact
    }

    /// What an oddball is (`undefined`, `null`, `true`, `false`), where the snapshot says.
    pub fn oddball_value(&self, node: u32) -> Option<String> {
        values::oddball_value(self.graph(), node).map(|v| self.graph().raw_name(v).to_string())
    }

    /// A string's whole text (cons strings assembled, at most [`values::MAX_TEXT`] bytes),
    /// masked with `redact`; `None` for other objects.
    pub fn string_text(&self, node: u32) -> Option<String> {
        let text = values::string_text(self.graph(), node)?;
        Some(if self.inner.redact {
            heaptui_common::util::redact::mask(&text)
        } else {
            text
        })
    }

    /// The variables a closure captured, innermost scope first (empty for other objects).
    pub fn context_variables(&self, node: u32) -> Vec<ContextVariable> {
        values::context_variables(self.graph(), node)
    }

    /// A node's DOM link state.
    pub fn dom_state(&self, node: u32) -> DomState {
        self.inner.dom_states.state(node)
    }

    /// True for native nodes detached from every document (DevTools' `detachedDOMTreeNode`).
    pub fn is_detached_dom_node(&self, node: u32) -> bool {
        let graph = self.graph();
        Some(graph.node_type[node as usize]) == graph.node_kinds.native
            && self.dom_state(node) == DomState::Detached
    }

    /// The names of this snapshot's scripts (found on first use).
    pub(super) fn script_names(&self) -> &ScriptNames {
        self.inner
            .results
            .scripts
            .get_or_init(|| ScriptNames::find(self.graph()))
    }

    /// Finds the script names now, instead of when the first location is shown (a pass over
    /// the script nodes and the locations, tens of milliseconds on a big snapshot: a front end
    /// can do it on a thread of its own). The load's side lane finds them when it is done, so
    /// after a complete load this usually returns at once.
    pub fn find_script_names(&self) {
        let _ = self.script_names();
    }

    /// True once the script names are found ([`Partial::find_script_names`]).
    pub fn script_names_found(&self) -> bool {
        self.inner.results.scripts.get().is_some()
    }

    /// Where a function (or an object's constructor) was defined, without waiting for the
    /// script names: `Err(location)` (no script name yet) while they are still being found on
    /// another thread, so a front end can show the name as pending and draw it when it lands.
    pub fn source_location_if_found(&self, node: u32) -> Option<Result<SourceLocation, Location>> {
        match self.inner.results.scripts.get() {
            Some(names) => names.source_location(self.graph(), node).map(Ok),
            None => self.graph().location(node).map(Err),
        }
    }

    /// The snapshot's named scripts (their nodes and source texts), by script id.
    pub fn scripts(&self) -> Vec<Script> {
        self.script_names().scripts(self.graph())
    }

    /// Every node with a recorded location (closures, objects with a constructor's), in
    /// ordinal order.
    pub fn located_nodes(&self) -> impl Iterator<Item = (u32, Location)> + '_ {
        self.graph().locations.iter().copied()
    }

    /// The name (URL or file) of the script a location is in, if the snapshot gives one.
    pub fn script_name(&self, location: &Location) -> Option<&str> {
        self.script_names().get(location.script_id)
    }
}

impl Snapshot {
    /// An object's contents, as DevTools lists them when it is expanded: its edges but the
    /// invisible ones (all of them with `all`), largest retained size first.
    pub fn contents(&self, node: u32, all: bool) -> Vec<ContentEdge> {
        contents::contents(self.graph(), &self.dominance().retained, node, all)
    }

    /// What each of `parents` (distinct nodes) keeps alive on its own: the nodes it
    /// immediately dominates, largest retained size first. One scan for all of them.
    pub fn dominated(&self, parents: &[u32]) -> Vec<Vec<u32>> {
        let dominance = self.dominance();
        dominator_tree::children(
            &dominance.dominators.dominator,
            &dominance.retained,
            &self.graph().node_id,
            self.graph().root,
            parents,
        )
    }
}
