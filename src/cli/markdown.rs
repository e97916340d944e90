//! `--format markdown`: the top rows and the leak's retaining path as Markdown, ready to paste
//! into an issue. Everything from the snapshot is escaped for both the terminal and Markdown.

use super::format;
use crate::analysis::aggregates::Aggregate;
use crate::analysis::diff::ClassDiff;
use crate::snapshot::{shown_distance, Snapshot};

/// Escapes text for a Markdown table cell (and for the terminal).
pub fn cell(text: &str) -> String {
    let safe = crate::sanitize::sanitize(text);
    let mut out = String::with_capacity(safe.len());
    for c in safe.chars() {
        if matches!(
            c,
            '|' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '#' | '\\'
        ) {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// The retaining path of `node` as a numbered list (`edge` in `Class @id`).
pub fn path(snapshot: &Snapshot, node: u32) -> String {
    let g = &snapshot.graph;
    let mut out = format!(
        "Retaining path of `{} @{}` ({} retained):\n\n",
        cell(&format::truncate(&snapshot.display_name(node), 60)).replace('`', "'"),
        g.node_id[node as usize],
        format::bytes(snapshot.analysis.retained[node as usize])
    );
    for (i, step) in snapshot.auto_expanded_chain(node).iter().enumerate() {
        let r = &step.retainer;
        out.push_str(&format!(
            "{}. {} in {} @{} (distance {})\n",
            i + 1,
            cell(&super::retainers::edge_label(
                g.edge_type_name(r.edge),
                &g.edge_name(r.edge)
            )),
            cell(snapshot.class_name(r.node)),
            g.node_id[r.node as usize],
            format::distance(shown_distance(r.distance))
        ));
    }
    out
}

/// The Summary rows as a table, with the path of the largest object of the first class.
pub fn summary(snapshot: &Snapshot, rows: &[&Aggregate]) -> String {
    let mut out = format!(
        "### Heap summary: {}\n\n{} objects in {} nodes, total {}\n\n| Constructor | Distance | Count | Shallow | Retained |\n|---|--:|--:|--:|--:|\n",
        cell(&crate::error::input_name(&snapshot.path)),
        format::count(rows.iter().map(|r| r.count).sum()),
        format::count(snapshot.node_count() as u64),
        format::bytes(snapshot.total_size())
    );
    for r in rows {
        out.push_str(&format!(
            "| {} | {} | {} | {} | {} |\n",
            cell(&r.name),
            format::distance(shown_distance(r.distance)),
            format::count(r.count),
            format::bytes(r.shallow_size),
            format::bytes(r.retained_size)
        ));
    }
    if let Some(top) = rows.first() {
        if let Some(&node) = top
            .nodes
            .iter()
            .max_by_key(|&&n| snapshot.analysis.retained[n as usize])
        {
            out.push('\n');
            out.push_str(&path(snapshot, node));
        }
    }
    out
}

/// The Comparison rows as a table, with the path of the first new object of the first class.
pub fn diff(base: &Snapshot, after: &Snapshot, rows: &[ClassDiff]) -> String {
    let mut out = format!(
        "### Heap comparison: {} → {}\n\n| Constructor | # New | # Deleted | # Delta | Alloc. Size | Freed Size | Size Delta |\n|---|--:|--:|--:|--:|--:|--:|\n",
        cell(&crate::error::input_name(&base.path)),
        cell(&crate::error::input_name(&after.path))
    );
    for r in rows {
        out.push_str(&format!(
            "| {} | {} |\n",
            cell(&r.name),
            super::diff::cells(r).join(" | ")
        ));
    }
    if let Some(&node) = rows.iter().find_map(|r| r.added.first()) {
        out.push('\n');
        out.push_str(&path(after, node));
    }
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn cells_escape_markdown_and_controls() {
        assert_eq!(super::cell("a|b"), "a\\|b");
        assert_eq!(super::cell("<div>"), "\\<div\\>");
        assert_eq!(super::cell("\u{1b}[2J"), "\\\\x1b\\[2J");
    }
}
