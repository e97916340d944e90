//! The Constructor column: each node's class name, as a string index.
//!
//! Source: DevTools `HeapSnapshot.calculateObjectNames`. The class depends on the node *type*:
//! `hidden` → `(system)`, `code` → `(compiled code)`, `closure` → `Function`, `regexp` →
//! `RegExp`, `object`/`native` → the raw name (`<div id=…>` → `<div>`, `Detached <div …>` →
//! `Detached <div>`), any other type T → `(T)`.
//!
//! Class identity is the *string index*, as in DevTools: names added here are new strings, not
//! the file's strings with the same text, so e.g. the class `RegExp` of regexp nodes and an
//! object node named `RegExp` (`RegExp.prototype`) are different classes with the same name.

use crate::graph::strings::NewStrings;
use crate::graph::HeapGraph;
use heaptui_common::util::bits::BitVec;
use std::collections::HashMap;

/// Returns the class string index per node, in `memory` (any contents; its pages are reused
/// when it is large enough); class names that are not file strings are added to `new`
/// (deduplicated among themselves, as DevTools' `getIndexForString` does).
pub fn compute(graph: &HeapGraph, new: &mut NewStrings, memory: Vec<u32>) -> Vec<u32> {
    let k = graph.node_kinds;
    let mut index_for = |name: String| -> u32 { new.intern(&name) };
    let system = index_for("(system)".into());
    let code = index_for("(compiled code)".into());
    let function = index_for("Function".into());
    let regexp = index_for("RegExp".into());
    let type_count = graph.header.node_types.len();
    let by_type: Vec<u32> = (0..type_count)
        .map(|t| index_for(format!("({})", graph.header.node_types[t])))
        .collect();

    // Element names are told per name string, when a node first has it: strings are far
    // fewer than nodes, and reading a name's text is a random read. A string's short name is
    // interned at the first node with it, as the per-node test did.
    let string_count = graph.strings.len();
    let mut tested = BitVec::new(string_count);
    let mut is_element = BitVec::new(string_count);
    let mut element_class: HashMap<u32, u32, foldhash::fast::RandomState> = HashMap::default();
    let n = graph.node_count();
    let mut classes = memory;
    classes.clear();
    classes.extend((0..n).map(|node| {
        let t = Some(graph.node_type[node]);
        if t == k.hidden {
            system
        } else if t == k.object || t == k.native {
            let name_index = graph.node_name[node];
            let at = name_index as usize;
            if !tested.get(at) {
                tested.set(at);
                if let Some(short) = short_element_name(graph.strings.get(name_index)) {
                    is_element.set(at);
                    element_class.insert(name_index, index_for(short));
                }
            }
            if is_element.get(at) {
                element_class[&name_index]
            } else {
                name_index
            }
        } else if t == k.code {
            code
        } else if t == k.closure {
            function
        } else if t == k.regexp {
            regexp
        } else {
            by_type[graph.node_type[node] as usize]
        }
    }));
    classes
}

/// `<div id="a">` → `<div>`, `Detached <div id="a">` → `Detached <div>`; the same name again
/// for element names without attributes (they still get the added string, as in DevTools).
fn short_element_name(name: &str) -> Option<String> {
    let from = if name.starts_with('<') {
        0
    } else if name.starts_with("Detached <") {
        10
    } else {
        return None;
    };
    Some(match name[from..].find(' ') {
        Some(space) => format!("{}>", &name[..from + space]),
        None => name.to_string(),
    })
}

#[cfg(test)]
mod tests {
    use super::short_element_name;

    #[test]
    fn element_names_lose_attributes() {
        assert_eq!(
            short_element_name("<div id=\"a\">").as_deref(),
            Some("<div>")
        );
        assert_eq!(
            short_element_name("Detached <span class=x>").as_deref(),
            Some("Detached <span>")
        );
        assert_eq!(short_element_name("<br>").as_deref(), Some("<br>"));
        assert_eq!(short_element_name("Object"), None);
    }
}
