//! The rows of an object tree (an opened object's contents, the Containment and Dominators
//! views): indent, open marker, `edge :: value @id`, a cycle mark, then the number cells.

use crate::object_tree::{ObjectTree, TreeRow, PAGE};
use crate::text;
use crate::theme::Theme;
use heaptui_common::util::sanitize::sanitize;
use heaptui_engine::Snapshot;
use heaptui_present::{cells, format, objects};
use ratatui::text::Span;

/// Columns one level of the tree indents by.
pub const INDENT: usize = 2;

/// The left part of `row`, exactly `width` columns wide, starting `indent` columns in.
pub fn label(
    snapshot: &Snapshot,
    tree: &ObjectTree,
    row: TreeRow,
    indent: usize,
    width: usize,
    theme: &Theme,
) -> Vec<Span<'static>> {
    let (id, depth) = match row {
        TreeRow::More { depth, hidden, .. } => {
            let lead = indent + depth * INDENT;
            let more = format!(
                "… {} more (Enter shows the next {PAGE})",
                format::count(hidden as u64)
            );
            return vec![
                Span::raw(" ".repeat(lead.min(width))),
                Span::styled(text::pad(&more, width.saturating_sub(lead)), theme.dim()),
            ];
        }
        TreeRow::Entry(id) => (id, tree.entry(id).depth),
    };
    let e = tree.entry(id);
    let lead = (indent + depth * INDENT).min(width);
    let marker = if e.cycled {
        "↻ "
    } else if tree.is_open(id) {
        "▾ "
    } else if tree.expandable(snapshot, id) {
        "▸ "
    } else {
        "  "
    };
    let mut room = width.saturating_sub(lead + text::width(marker));
    let mut spans = vec![
        Span::raw(" ".repeat(lead)),
        Span::styled(marker, theme.dim()),
    ];
    if let Some(edge) = e.edge {
        let edge = sanitize(&objects::edge(snapshot, edge)).into_owned();
        // The edge keeps up to half the room; the value gets the rest.
        let (edge, _) = text::fit(&edge, room / 2);
        room = room.saturating_sub(text::width(&edge) + 4);
        spans.push(Span::styled(edge, theme.edge()));
        spans.push(Span::styled(" :: ", theme.dim()));
    }
    let id_text = format!(" @{}", snapshot.node_id(e.node));
    let value_room = room.saturating_sub(text::width(&id_text));
    let value = objects::value(snapshot, e.node, value_room + 1);
    let (value, _) = text::fit(&sanitize(&value), value_room);
    let used = text::width(&value);
    spans.push(Span::raw(value));
    spans.push(Span::styled(
        text::pad(&id_text, room.saturating_sub(used)),
        theme.dim(),
    ));
    spans
}

/// Distance, Shallow Size and Retained Size (with its share) of a tree row's object; empty
/// for a "more" row.
pub fn numbers(snapshot: &Snapshot, tree: &ObjectTree, row: TreeRow) -> [String; 3] {
    match row {
        TreeRow::Entry(id) => cells::object(snapshot, Some(snapshot), tree.entry(id).node),
        TreeRow::More { .. } => Default::default(),
    }
}
