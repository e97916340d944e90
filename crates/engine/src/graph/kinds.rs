//! The node and edge type enums differ between V8 versions, so the positions of the types the
//! analysis tests for are looked up by name in the header's `meta` (DevTools' `indexOf`).

use super::header::Header;

/// Positions of node types in `meta.node_types`; `None` when a snapshot lacks the type.
#[derive(Debug, Clone, Copy, Default)]
#[allow(missing_docs)]
pub struct NodeKinds {
    pub hidden: Option<u8>,
    pub array: Option<u8>,
    pub string: Option<u8>,
    pub object: Option<u8>,
    pub code: Option<u8>,
    pub closure: Option<u8>,
    pub regexp: Option<u8>,
    pub number: Option<u8>,
    pub native: Option<u8>,
    pub synthetic: Option<u8>,
    pub cons_string: Option<u8>,
    pub sliced_string: Option<u8>,
}

/// Positions of edge types in `meta.edge_types`; `invisible` is DevTools' extra type, one past
/// the snapshot's own.
#[derive(Debug, Clone, Copy, Default)]
#[allow(missing_docs)]
pub struct EdgeKinds {
    pub context: Option<u8>,
    pub element: Option<u8>,
    pub property: Option<u8>,
    pub internal: Option<u8>,
    pub hidden: Option<u8>,
    pub shortcut: Option<u8>,
    pub weak: Option<u8>,
    pub invisible: Option<u8>,
}

fn find(types: &[String], name: &str) -> Option<u8> {
    types
        .iter()
        .position(|t| t == name)
        .and_then(|i| u8::try_from(i).ok())
}

impl NodeKinds {
    /// Looks the node types up in the header.
    pub fn from_header(h: &Header) -> Self {
        let t = &h.node_types;
        NodeKinds {
            hidden: find(t, "hidden"),
            array: find(t, "array"),
            string: find(t, "string"),
            object: find(t, "object"),
            code: find(t, "code"),
            closure: find(t, "closure"),
            regexp: find(t, "regexp"),
            number: find(t, "number"),
            native: find(t, "native"),
            synthetic: find(t, "synthetic"),
            cons_string: find(t, "concatenated string"),
            sliced_string: find(t, "sliced string"),
        }
    }
}

impl EdgeKinds {
    /// Looks the edge types up in the header.
    pub fn from_header(h: &Header) -> Self {
        let t = &h.edge_types;
        EdgeKinds {
            context: find(t, "context"),
            element: find(t, "element"),
            property: find(t, "property"),
            internal: find(t, "internal"),
            hidden: find(t, "hidden"),
            shortcut: find(t, "shortcut"),
            weak: find(t, "weak"),
            invisible: u8::try_from(t.len()).ok(),
        }
    }
}
