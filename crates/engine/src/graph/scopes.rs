//! The scope tables newer V8 writes beside the graph (Chromium 156; Node 26 does not yet):
//! every function and block scope of each script, the variables its context holds and the
//! variables of outer scopes it reads. DevTools' ContextAnalyzer reads them to tell which
//! closure-context fields no live closure can read.
//!
//! Values are kept as DevTools' loader reads them: its number parser reads digits only, so a
//! minus sign is dropped (V8 writes the script scope's id as `-2`, DevTools reads `2`).

use std::ops::Range;

/// One scope of a script, a row of the `scopes` table.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct ScopeRow {
    /// The script's node index (ordinal × node field count), as written: the scopes' key.
    pub script_node_index: u32,
    /// The scope's id, unique within its script (V8 writes its start position).
    pub scope_id: u32,
    /// Nesting depth within the script (0 for the outermost scope); a row's parent is the
    /// nearest earlier row of the same script one level up.
    pub depth: u32,
    /// Its context variables, a range of [`ScopeTables::var_names`] (in slot order).
    pub vars: Range<usize>,
    /// The outer variables it reads, a range of [`ScopeTables::uses`].
    pub uses: Range<usize>,
}

/// A variable use: the declaring scope's id (in the same script) and the variable's slot.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct ScopeUse {
    /// The id of the scope that declares the variable.
    pub declaring_scope_id: u32,
    /// The variable's slot in that scope's context variables.
    pub slot_index: u32,
}

/// The parsed scope tables.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct ScopeTables {
    /// True when the snapshot has a non-empty `scopes` table (DevTools' test).
    pub present: bool,
    /// The scopes, in file order.
    pub rows: Vec<ScopeRow>,
    /// Context variable names (string indexes), per scope in slot order.
    pub var_names: Vec<u32>,
    /// Variable uses, per scope.
    pub uses: Vec<ScopeUse>,
}
