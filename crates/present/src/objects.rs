//! How one object reads in the object-level views (contents, Containment, Dominators,
//! details), as DevTools' Object column writes it: strings quoted, regular expressions between
//! slashes, functions with `()`, arrays with `[]`, numbers by their value where the snapshot
//! has it. Nothing here is sanitised: callers escape for their output.

use heaptui_engine::{DomState, Snapshot};

/// The Object column of `node`, its string values cut to `max` chars (from the library, so
/// `--redact` masking applies); oddballs by what they are (`undefined`, `null`, …).
pub fn value(snapshot: &Snapshot, node: u32, max: usize) -> String {
    let name = snapshot.display_name(node);
    if snapshot.is_string(node) {
        let value: String = name.chars().take(max).collect();
        return format!("\"{value}\"");
    }
    match snapshot.type_name(node) {
        "regexp" => format!("/{name}/"),
        "closure" => format!("{name}()"),
        "array" if name.is_empty() => "(internal array)[]".to_string(),
        "array" => format!("{name}[]"),
        "number" => snapshot.number_value(node).unwrap_or(name),
        "hidden" => snapshot.oddball_value(node).unwrap_or(name),
        _ if name.is_empty() => snapshot.class_name(node).to_string(),
        _ => name,
    }
}

/// An edge name as the contents rows write it: `(empty)` for an unnamed edge, else as the
/// Retainers pane does (`[3]`, `->ctx`, `{internal}`).
pub fn edge(snapshot: &Snapshot, edge: usize) -> String {
    let name = snapshot.edge_name(edge);
    if name.is_empty() {
        return "(empty)".to_string();
    }
    super::labels::edge(snapshot.edge_type_name(edge), &name)
}

/// A DOM link state in words.
pub fn dom_state(state: DomState) -> &'static str {
    match state {
        DomState::Unknown => "unknown",
        DomState::Attached => "attached",
        DomState::Detached => "detached",
    }
}
