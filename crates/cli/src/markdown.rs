//! `--format markdown`: the top rows and the leak's retaining path as Markdown, ready to paste
//! into an issue. Everything from the snapshot is escaped for both the terminal and Markdown.

use heaptui_common::util::input_name;
use heaptui_engine::{shown_distance, Aggregate, ClassChange, ClassDiff, Snapshot, Verdict};
use heaptui_leaks::suspects::Suspect;
use heaptui_present::suspects as wording;
use heaptui_present::{cells, format, labels};

/// Escapes text for a Markdown table cell (and for the terminal).
pub fn cell(text: &str) -> String {
    let safe = heaptui_common::util::sanitize::sanitize(text);
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
    let mut out = format!(
        "Retaining path of `{} @{}` ({} retained):\n\n",
        cell(&format::truncate(&snapshot.display_name(node), 60)).replace('`', "'"),
        snapshot.node_id(node),
        format::bytes(snapshot.retained_size(node))
    );
    for (i, step) in snapshot.auto_expanded_chain(node).iter().enumerate() {
        let r = &step.retainer;
        out.push_str(&format!(
            "{}. {} in {} @{} (distance {})\n",
            i + 1,
            cell(&labels::edge_of(snapshot, r.edge)),
            cell(snapshot.class_name(r.node)),
            snapshot.node_id(r.node),
            format::distance(shown_distance(r.distance))
        ));
    }
    out
}

/// The Summary rows as a table, with the path of the largest object of the first class.
pub fn summary(snapshot: &Snapshot, rows: &[&Aggregate]) -> String {
    let mut out = format!(
        "### Heap summary: {}\n\n{} objects in {} nodes, total {}\n\n| Constructor | Distance | Count | Shallow | Retained |\n|---|--:|--:|--:|--:|\n",
        cell(&input_name(snapshot.path())),
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
        if let Some(&node) = top.nodes.iter().max_by_key(|&&n| snapshot.retained_size(n)) {
            out.push('\n');
            out.push_str(&path(snapshot, node));
        }
    }
    out
}

/// The id-matched Comparison rows as a table, with the path of the first new object of the
/// first class.
pub fn diff(base: &Snapshot, after: &Snapshot, rows: &[ClassDiff]) -> String {
    let mut out = format!(
        "### Heap comparison: {} → {}\n\n| Constructor | # New | # Deleted | # Delta | Alloc. Size | Freed Size | Size Delta |\n|---|--:|--:|--:|--:|--:|--:|\n",
        cell(&input_name(base.path())),
        cell(&input_name(after.path()))
    );
    for r in rows {
        out.push_str(&format!(
            "| {} | {} |\n",
            cell(&r.name),
            cells::comparison(r).join(" | ")
        ));
    }
    if let Some(&node) = rows.iter().find_map(|r| r.added.first()) {
        out.push('\n');
        out.push_str(&path(after, node));
    }
    out
}

/// The class-matched Comparison rows as a table, under the note on why objects were not
/// matched.
pub fn changes(verdict: &Verdict, rows: &[ClassChange]) -> String {
    let mut out = format!(
        "### Heap comparison by class\n\n{}\n\n| Constructor | # Base | # After | # Delta | Base Size | After Size | Size Delta |\n|---|--:|--:|--:|--:|--:|--:|\n",
        cell(&labels::matching_note(verdict))
    );
    for r in rows {
        out.push_str(&format!(
            "| {} | {} |\n",
            cell(&r.name),
            cells::change(r).join(" | ")
        ));
    }
    out
}

/// Classes of what the top suspect's holder stores listed (the program's first).
const STORED_SHOWN: usize = 6;

/// The leak suspects as a table, then for the top suspect its path to the roots and the code
/// to look at; `note` says why ids could not match objects, when the reader must be told.
pub fn suspects(list: &[Suspect], by_shape: bool, note: Option<&str>) -> String {
    let matching = match note {
        Some(note) => format!("{} ({})", wording::MATCHING_RENUMBERED, cell(note)),
        None => wording::matching(by_shape).to_string(),
    };
    let mut out = format!(
        "### Leak suspects\n\n{matching}\n\n| # | Holder | Accumulates | Growth | Retained | Pattern |\n|--:|---|---|---|---|---|\n"
    );
    for (i, s) in list.iter().enumerate() {
        out.push_str(&format!(
            "| {} | {} | {} | {} | {} | {} |\n",
            i + 1,
            cell(&format!("{} ({})", wording::holder(s), s.holder_class)),
            cell(&wording::accumulates(s, 3)),
            cell(&wording::growth(s)),
            cell(&wording::retained(s)),
            s.pattern.map_or("", |p| p.hint)
        ));
    }
    if let Some(s) = list.first() {
        out.push_str(&format!(
            "\nPath of the top suspect's holder to the GC roots ({}):\n\n",
            cell(&wording::path_end(s))
        ));
        for (i, step) in s.holder_path.iter().enumerate() {
            out.push_str(&format!("{}. {}\n", i + 1, cell(&wording::step(step))));
        }
        if !s.stores.is_empty() {
            out.push_str("\nWhat the holder stores directly:\n\n");
            for stored in s.stores.iter().take(STORED_SHOWN) {
                out.push_str(&format!(
                    "- {}\n",
                    cell(&wording::stored(stored, s.by_shape))
                ));
            }
        }
        if !s.code.is_empty() {
            out.push_str("\nCode to look at:\n\n");
            for f in &s.code {
                out.push_str(&format!("- {}\n", cell(&wording::function(f))));
            }
        }
        if !s.allocated_at.is_empty() {
            out.push_str("\nAllocated at:\n\n");
            for a in &s.allocated_at {
                out.push_str(&format!("- {}\n", cell(&wording::allocation_site(a))));
            }
        }
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
