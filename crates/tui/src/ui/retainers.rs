//! The retainer pane under the table: the selected object's facts on the first line, then the
//! retainer tree, each row `edge in Name @id` with distance and sizes aligned on the right.

use crate::retainers::{RetainerTree, MORE};
use crate::theme::Theme;
use crate::{locations, text};
use heaptui_common::util::sanitize::sanitize;
use heaptui_engine::{shown_distance, Snapshot};
use heaptui_present::{format, labels};
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph};
use ratatui::Frame;

/// What the pane says without a tree: objects matched by class are not listed.
pub const BY_CLASS: &str =
    "Matched by class: objects of different processes cannot be paired, so none are listed.";
/// What the pane says without a tree: an object is selected, its retainers are computing.
pub const COMPUTING: &str =
    "Computing the retainers and dominators: this pane fills in when they are done.";
/// What the pane says without a tree: no object is selected.
pub const SELECT: &str = "Expand a class (Enter) and select an object to see what retains it.";

/// Distance, Shallow Size and Retained Size: widths of the right-hand columns.
const COLUMNS: [(&str, usize); 3] = [("Distance", 8), ("Shallow", 8), ("Retained", 8)];
/// The tree's open/closed symbol width.
const SYMBOL: usize = 2;

/// The retainer pane as drawn: its tree (once an object is selected and the retainers are
/// known) and what the drawing shares.
pub struct Pane<'a> {
    /// The selected object's retainer tree.
    pub tree: Option<&'a RetainerTree>,
    /// The snapshots, once complete.
    pub complete: Option<&'a [Snapshot]>,
    /// Colours or not.
    pub theme: &'a Theme,
    /// True when the pane has the focus.
    pub focused: bool,
    /// True with two snapshots: the object's line names its file.
    pub names_file: bool,
    /// What the pane says while it has no tree.
    pub hint: &'static str,
    /// The selected class row's full name, when a class is selected.
    pub class: Option<&'a str>,
}

/// Draws `pane` into `area`.
pub fn render(frame: &mut Frame, area: Rect, pane: &Pane) {
    if area.height == 0 || area.width == 0 {
        return;
    }
    let focused = pane.focused;
    let theme = *pane.theme;
    let two = pane.names_file;
    let mut block = Block::new()
        .borders(Borders::TOP)
        .border_style(theme.border(focused))
        .title(Span::styled(" Retainers ", theme.header()));
    if area.width as usize > columns_width() + 24 {
        block = block.title(Line::styled(column_titles(), theme.dim()).right_aligned());
    }
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let [details, body] =
        Layout::vertical([Constraint::Length(1), Constraint::Min(0)]).areas(inner);
    let (Some(tree), Some(complete)) = (pane.tree, pane.complete) else {
        let hint = pane.hint;
        // A selected class is named in full here, however narrow the table cut it.
        let line = match pane.class {
            Some(class) => {
                let name = sanitize(class).into_owned();
                let (name, _) = text::fit(&name, details.width as usize);
                let used = text::width(&name);
                let (hint, _) = text::fit(
                    &format!(" · {hint}"),
                    (details.width as usize).saturating_sub(used),
                );
                Line::from(vec![
                    Span::styled(name, theme.header()),
                    Span::styled(hint, theme.dim()),
                ])
            }
            None => Line::from(Span::styled(hint, theme.dim())),
        };
        frame.render_widget(Paragraph::new(line), details);
        return;
    };
    let snapshot = &complete[tree.snapshot];
    let label = two.then(|| labels::file_label(snapshot.path()));
    let line = details_line(snapshot, tree.object, label, details.width, &theme);
    frame.render_widget(Paragraph::new(line), details);
    if body.height == 0 {
        return;
    }
    if let Some(progress) = tree.pending_progress() {
        let text = format!("{progress} (keys keep working)");
        frame.render_widget(Paragraph::new(Span::styled(text, theme.dim())), body);
        return;
    }
    if tree.top().is_empty() {
        let text = "No retainers: nothing the pane lists points at this object.";
        frame.render_widget(Paragraph::new(Span::styled(text, theme.dim())), body);
        return;
    }
    let highlight = if focused {
        theme.selected()
    } else {
        theme.selected_unfocused()
    };
    let visible = tree.visible();
    let (offset, height) = (tree.offset(), body.height as usize);
    let lines: Vec<Line> = visible
        .iter()
        .skip(offset)
        .take(height)
        .map(|path| tree_line(tree, snapshot, path, body.width as usize, &theme))
        .collect();
    frame.render_widget(Paragraph::new(lines), body);
    let selected = tree.selected_path();
    if let Some(at) = visible
        .iter()
        .skip(offset)
        .take(height)
        .position(|p| *p == selected)
    {
        let row = Rect {
            y: body.y + at as u16,
            height: 1,
            ..body
        };
        frame.buffer_mut().set_style(row, highlight);
    }
}

fn columns_width() -> usize {
    COLUMNS.iter().map(|&(_, w)| w + 1).sum()
}

fn column_titles() -> String {
    let mut out = String::new();
    for (title, w) in COLUMNS {
        out.push(' ');
        out.push_str(&text::pad_left(title, w));
    }
    out
}

/// `Name @id · type · self · retained · distance`, then a string's value or where a function
/// was defined.
fn details_line(
    snapshot: &Snapshot,
    node: u32,
    file: Option<String>,
    width: u16,
    theme: &Theme,
) -> Line<'static> {
    let mut facts = format!(
        " · {} · self {} · retained {} · distance {}",
        snapshot.type_name(node),
        format::bytes(snapshot.self_size(node)),
        format::bytes(snapshot.retained_size(node)),
        format::distance(snapshot.shown_distance(node)),
    );
    if let Some(location) = locations::short(snapshot, node) {
        let location = sanitize(&location).into_owned();
        facts.push_str(&format!(" · at {location}"));
    }
    if let Some(file) = file {
        facts.push_str(&format!(" · in {}", sanitize(&file)));
    }
    let id = format!(" @{}", snapshot.node_id(node));
    let width = width as usize;
    // The name (a string's value) gets what the facts leave, but at least a third.
    let room = width
        .saturating_sub(text::width(&facts) + text::width(&id))
        .max(width / 3);
    let raw = labels::object_name(snapshot, node, room + 1);
    let (name, _) = text::fit(&sanitize(&raw), room);
    let used = text::width(&name) + text::width(&id);
    let (facts, _) = text::fit(&facts, width.saturating_sub(used));
    Line::from(vec![
        Span::styled(name, theme.header()),
        Span::styled(id, theme.dim()),
        Span::raw(facts),
    ])
}

/// The line of the visible row at `path`: indented by its depth, `▶` for a row that can open,
/// `▼` for an open one, then the retainer with its numbers aligned on the right (a pane-wide
/// line), or a level's "… N more" row.
fn tree_line(
    tree: &RetainerTree,
    snapshot: &Snapshot,
    path: &[usize],
    width: usize,
    theme: &Theme,
) -> Line<'static> {
    let depth = path.len() - 1;
    let id = path[depth];
    let indent = " ".repeat(depth * 2);
    if id == MORE {
        let parent = depth.checked_sub(1).map(|d| path[d]);
        let more = format!(
            "… {} more retainers (Enter shows the next {})",
            format::count(tree.hidden(parent) as u64),
            crate::retainers::PAGE
        );
        return Line::from(vec![
            Span::raw(format!("{indent}  ")),
            Span::styled(more, theme.dim()),
        ]);
    }
    let symbol = if tree.is_open(path) {
        "▼ "
    } else if tree.expandable(snapshot, id) {
        "▶ "
    } else {
        "  "
    };
    let left = width.saturating_sub(depth * 2 + SYMBOL + columns_width());
    let mut line = row_line(tree, snapshot, id, left, theme);
    line.spans.insert(0, Span::raw(format!("{indent}{symbol}")));
    line
}

fn row_line(
    tree: &RetainerTree,
    snapshot: &Snapshot,
    id: usize,
    left: usize,
    theme: &Theme,
) -> Line<'static> {
    let entry = tree.entry(id);
    let r = &entry.retainer;
    let edge = sanitize(&labels::edge_of(snapshot, r.edge)).into_owned();
    let id_text = format!(" @{}", snapshot.node_id(r.node));
    let cycle = if entry.cycled { " ↻ cycle" } else { "" };
    // The edge keeps up to half the room; the name gets the rest.
    let (edge, _) = text::fit(&edge, left / 2);
    let room =
        left.saturating_sub(text::width(&edge) + 4 + text::width(&id_text) + text::width(cycle));
    let name = labels::object_name(snapshot, r.node, room + 1);
    let (name, _) = text::fit(&sanitize(&name), room);
    let used = text::width(&edge) + 4 + text::width(&name) + text::width(&id_text);
    let distance = if tree.is_ignored(r.node) {
        // DevTools writes "ignored" in the Distance column.
        "ignored".to_string()
    } else {
        format::distance(shown_distance(r.distance))
    };
    let cells = [
        distance,
        format::bytes(snapshot.self_size(r.node)),
        format::bytes(snapshot.retained_size(r.node)),
    ];
    let mut numbers = String::new();
    for (cell, (_, w)) in cells.iter().zip(COLUMNS) {
        numbers.push(' ');
        numbers.push_str(&text::pad_left(cell, w));
    }
    Line::from(vec![
        Span::styled(edge, theme.edge()),
        Span::raw(" in "),
        Span::raw(name),
        Span::styled(id_text, theme.dim()),
        Span::styled(text::pad(cycle, left.saturating_sub(used)), theme.dim()),
        Span::raw(numbers),
    ])
}
