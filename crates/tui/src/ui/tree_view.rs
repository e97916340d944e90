//! The Containment and Dominators views: a header naming the tree's top, then the tree's rows
//! (`edge :: value @id` in Containment, `value @id` in Dominators) with Distance, Shallow Size
//! and Retained Size (with its share of the total), and the retainer pane of the selected
//! object below, as under the class tables.

use super::objects;
use crate::object_tree::ObjectTree;
use crate::object_views::Kind;
use crate::theme::Theme;
use crate::{locations, text};
use heaptui_common::util::sanitize::sanitize;
use heaptui_engine::Snapshot;
use heaptui_present::{format, objects as present_objects};
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use ratatui::Frame;

/// The number columns: titles and widths (Retained Size holds its share too).
const COLUMNS: [(&str, usize); 3] = [("Distance", 8), ("Shallow Size", 12), ("Retained Size", 14)];
/// Room for the tree's first marker.
const MARKER: usize = 0;

/// An object view as drawn: its tree (once one is shown) and what the drawing shares.
pub struct Shown<'a> {
    /// Containment or Dominators.
    pub kind: Kind,
    /// The tree shown.
    pub tree: Option<&'a ObjectTree>,
    /// The snapshots, once complete.
    pub complete: Option<&'a [Snapshot]>,
    /// Colours or not.
    pub theme: &'a Theme,
    /// True when the tree has the focus (not the retainer pane).
    pub focused: bool,
    /// True when contents list the edges DevTools hides too.
    pub all_edges: bool,
}

/// Draws the object view `shown` (Containment or Dominators) into `tree_area`.
pub fn render(frame: &mut Frame, tree_area: Rect, shown: &Shown) {
    let (theme, focused) = (shown.theme, shown.focused);
    if tree_area.height > 0 && tree_area.width > 0 {
        let width = tree_area.width as usize;
        let numbers: usize = COLUMNS.iter().map(|&(_, w)| w + 1).sum();
        // Narrow terminals keep the object column readable and drop the numbers.
        let show_numbers = width >= numbers + 24;
        let name_width = if show_numbers { width - numbers } else { width };
        let mut titles = String::new();
        if show_numbers {
            for (title, w) in COLUMNS {
                titles.push(' ');
                titles.push_str(&text::pad_left(title, w));
            }
        }
        let mut lines = vec![Line::from(vec![
            Span::raw(text::pad(&title(shown), name_width)),
            Span::raw(titles),
        ])
        .style(theme.header())];
        match (shown.tree, shown.complete) {
            (Some(tree), Some(complete)) => {
                let snapshot = &complete[tree.snapshot];
                let height = tree_area.height as usize - 1;
                if tree.is_empty() {
                    lines.push(Line::styled(
                        text::pad(" nothing here: it keeps nothing else alive", width),
                        theme.dim(),
                    ));
                }
                for at in tree.offset()..(tree.offset() + height).min(tree.len()) {
                    let row = tree.row(at).expect("row in range");
                    let mut spans = objects::label(snapshot, tree, row, MARKER, name_width, theme);
                    if show_numbers {
                        let mut cells = String::new();
                        for (cell, (_, w)) in
                            objects::numbers(snapshot, tree, row).iter().zip(COLUMNS)
                        {
                            cells.push(' ');
                            cells.push_str(&text::pad_left(cell, w));
                        }
                        spans.push(Span::raw(cells));
                    }
                    let mut line = Line::from(spans);
                    if at == tree.cursor() {
                        line = line.patch_style(if focused {
                            theme.selected()
                        } else {
                            theme.selected_unfocused()
                        });
                    }
                    lines.push(line);
                }
            }
            _ => lines.push(Line::styled(
                "This view appears when the numbers are in.",
                theme.dim(),
            )),
        }
        frame.render_widget(Paragraph::new(lines), tree_area);
    }
}

/// The header's left part: what the tree shows.
fn title(shown: &Shown) -> String {
    let (Some(tree), Some(complete)) = (shown.tree, shown.complete) else {
        return String::new();
    };
    let snapshot = &complete[tree.snapshot];
    match shown.kind {
        Kind::Dominators if tree.root == snapshot.root() => {
            "Dominators · what the root keeps alive".to_string()
        }
        Kind::Dominators => {
            let retained = snapshot.retained_size(tree.root);
            format!(
                "Kept alive by {} @{} · {} ({:.1}%)",
                sanitize(&present_objects::value(snapshot, tree.root, 40)),
                snapshot.node_id(tree.root),
                format::bytes(retained),
                snapshot.retained_percent(retained)
            )
        }
        _ if tree.root == snapshot.root() => "Containment · the heap from the root".to_string(),
        _ => format!(
            "Contents of {} @{}",
            sanitize(&present_objects::value(snapshot, tree.root, 40)),
            snapshot.node_id(tree.root)
        ),
    }
}

/// The status bar's left part in the object view `shown`.
pub fn status(shown: &Shown) -> String {
    let (Some(tree), Some(complete)) = (shown.tree, shown.complete) else {
        return String::new();
    };
    let snapshot = &complete[tree.snapshot];
    let mut out = format!(
        " {} rows · {} total",
        format::count(tree.len() as u64),
        format::bytes(snapshot.total_size())
    );
    if shown.all_edges && shown.kind == Kind::Containment {
        out.push_str(" · hidden edges shown");
    }
    if let Some(location) = tree
        .selected_node()
        .and_then(|n| locations::short(snapshot, n))
    {
        out.push_str(&format!(" · at {}", sanitize(&location)));
    }
    out
}
