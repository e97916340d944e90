//! The retainer pane under the table: the selected object's facts on the first line, then the
//! retainer tree, each row `edge in Name @id` with distance and sizes aligned on the right.

use crate::app::{App, Focus, View};
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
use tui_tree_widget::{Tree, TreeItem};

/// Distance, Shallow Size and Retained Size: widths of the right-hand columns.
const COLUMNS: [(&str, usize); 3] = [("Distance", 8), ("Shallow", 8), ("Retained", 8)];
/// The tree's open/closed symbol width.
const SYMBOL: usize = 2;

/// Draws the pane into `area`.
pub fn render(frame: &mut Frame, area: Rect, app: &App) {
    if area.height == 0 || area.width == 0 {
        return;
    }
    let focused = app.focus() == Focus::Retainers;
    let theme = *app.theme();
    let two = app.snapshots().len() == 2;
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
    let (Some(tree), Some(complete)) = (app.retainers(), app.complete_snapshots()) else {
        let hint = if app.view() == View::Comparison && app.compares_by_class() {
            "Matched by class: objects of different processes cannot be paired, so none are listed."
        } else if app.selected_instance().is_some() {
            "Computing the retainers and dominators: this pane fills in when they are done."
        } else {
            "Expand a class (Enter) and select an object to see what retains it."
        };
        // A selected class is named in full here, however narrow the table cut it.
        let line = match app.selected_class_name() {
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
    let items = items(
        tree,
        snapshot,
        None,
        &mut Vec::new(),
        body.width as usize,
        &theme,
    );
    let widget = Tree::new(&items)
        .expect("arena ids are unique")
        .highlight_style(if focused {
            theme.selected()
        } else {
            theme.selected_unfocused()
        });
    frame.render_stateful_widget(widget, body, &mut tree.widget_state());
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

/// Tree items for the rows listed under `parent`, each line exactly as wide as the pane so the
/// numbers align. Closed rows that can open get one hidden placeholder child (the widget shows
/// `▶` only for rows with children); their retainers are loaded when opened.
fn items(
    tree: &RetainerTree,
    snapshot: &Snapshot,
    parent: Option<usize>,
    path: &mut Vec<usize>,
    width: usize,
    theme: &Theme,
) -> Vec<TreeItem<'static, usize>> {
    let depth = path.len();
    let (ids, shown) = tree.listed(parent);
    let left = width.saturating_sub(depth * 2 + SYMBOL + columns_width());
    let mut out = Vec::new();
    for &id in ids.iter().take(shown) {
        path.push(id);
        let line = row_line(tree, snapshot, id, left, theme);
        let children = if tree.is_open(path) {
            items(tree, snapshot, Some(id), path, width, theme)
        } else if tree.expandable(snapshot, id) {
            vec![TreeItem::new_leaf(MORE, "")]
        } else {
            Vec::new()
        };
        path.pop();
        out.push(TreeItem::new(id, line, children).expect("arena ids are unique"));
    }
    let hidden = tree.hidden(parent);
    if hidden > 0 {
        let more = format!(
            "… {} more retainers (Enter shows the next {})",
            format::count(hidden as u64),
            crate::retainers::PAGE
        );
        out.push(TreeItem::new_leaf(MORE, Span::styled(more, theme.dim())));
    }
    out
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
