//! The class table: a header, then only the rows that fit on screen, built on demand from the
//! virtual list. Columns keep their width; on a narrow terminal the least useful columns are
//! dropped so the Constructor column stays readable, and names are cut with `…`.

use crate::classes::{ClassRow, Column, Loaded, Scope};
use crate::instances::{self, Change};
use crate::object_tree::{ObjectTree, TreeRow};
use crate::table::{ClassTable, Row, TableControl, Widths};
use crate::text;
use crate::theme::Theme;
use heaptui_common::util::sanitize::sanitize;
use heaptui_engine::{Partial, Snapshot};
use heaptui_present::labels;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use ratatui::Frame;

use super::objects;

/// The Constructor column keeps at least this many columns before numbers are dropped.
const MIN_NAME: usize = 16;
/// Room for the expand marker (`▸ `) or an object row's indent.
const MARKER: usize = 2;
/// What an object row adds to its name: the `+ ` of the Comparison and ` @123456`.
const OBJECT_EXTRA: usize = 10;
/// The Constructor column asks for at most this many columns before titles shorten: room for
/// an object row like `+ IncomingMessage @97875` (longer names are cut with `…` and shown in
/// full on the pane's first line).
const NAME_WANTED: usize = 32;
/// The sort marker after a sortable column's title (`▼`); its place is kept in every sortable
/// column so that columns do not move when the sort does.
const SORT_MARKER: usize = 1;

/// A number column as drawn: which of [`ClassRow::COLUMNS`], how wide, under which title.
#[derive(Debug, Clone, Copy)]
struct Shown {
    index: usize,
    width: usize,
    title: &'static str,
}

impl Shown {
    fn new<R: ClassRow>(index: usize, cell: usize, short: bool) -> Shown {
        let c = &R::COLUMNS[index];
        let title = if short { c.short } else { c.title };
        let marker = if c.sort.is_some() { SORT_MARKER } else { 0 };
        Shown {
            index,
            width: cell.max(text::width(title) + marker),
            title,
        }
    }
}

/// Draws `table` into `area`, from its first row drawn (the layout step put it there).
pub fn render<R: ClassRow>(
    frame: &mut Frame,
    area: Rect,
    table: &ClassTable<R>,
    loaded: Loaded,
    theme: &Theme,
    focused: bool,
) {
    if area.height == 0 || area.width == 0 {
        return;
    }
    let width = area.width as usize;
    let (columns, name_width) = layout::<R>(table.widths(), width);
    let height = area.height as usize - 1;
    let mut lines = vec![header::<R>(table, &columns, name_width, theme)];
    if table.is_empty() {
        let hint = format!("no class matches “{}”", sanitize(table.pattern()));
        lines.push(Line::styled(text::pad(&hint, width), theme.dim()));
    }
    let scope = table.scope(loaded);
    for at in table.offset()..(table.offset() + height).min(table.len()) {
        let row = table.row_at(at).expect("row in range");
        let mut line = match row {
            Row::Class { row, listed } => {
                class_line(table, row, listed, &columns, name_width, theme, scope)
            }
            Row::Instance { row, index } => {
                let instance = table.instance(row, index);
                let cells = R::instance_cells(&instance, scope);
                let line = instance_line(
                    &instance,
                    loaded.snapshots,
                    &cells,
                    &columns,
                    name_width,
                    theme,
                );
                if table.contents(row, index).is_some() {
                    opened_marker(line, theme)
                } else {
                    line
                }
            }
            Row::Content { row, index, at } => {
                let object = table.instance(row, index);
                let tree = table.contents(row, index);
                match (tree, loaded.complete(object.snapshot())) {
                    (Some(tree), Some(snapshot)) => {
                        content_line::<R>(snapshot, tree, at, &columns, name_width, theme)
                    }
                    _ => Line::default(),
                }
            }
        };
        if at == table.cursor() {
            line = line.patch_style(if focused {
                theme.selected()
            } else {
                theme.selected_unfocused()
            });
        }
        lines.push(line);
    }
    frame.render_widget(Paragraph::new(lines), area);
}

/// The number columns next to the Constructor column, and its width. Numbers keep their full
/// width, but when the names need the room (up to half the table) the titles shorten, the
/// least useful first; only then, below [`MIN_NAME`], are columns dropped.
fn layout<R: ClassRow>(widths: &Widths, width: usize) -> (Vec<Shown>, usize) {
    let name_width = |shown: &[Shown]| {
        width
            .saturating_sub(MARKER)
            .saturating_sub(shown.iter().map(|c| c.width + 1).sum())
    };
    let mut shown: Vec<Shown> = (0..R::COLUMNS.len())
        .map(|i| Shown::new::<R>(i, widths.cells[i], false))
        .collect();
    let wanted = (widths.name + OBJECT_EXTRA).min(NAME_WANTED).min(width / 2);
    let mut by_priority: Vec<usize> = (0..shown.len()).collect();
    by_priority.sort_by_key(|&i| R::COLUMNS[i].priority);
    for &i in &by_priority {
        if name_width(&shown) >= wanted {
            break;
        }
        shown[i] = Shown::new::<R>(i, widths.cells[i], true);
    }
    let min_name = MIN_NAME.min(width / 3);
    while !shown.is_empty() && name_width(&shown) < min_name {
        let drop = (0..shown.len())
            .min_by_key(|&i| R::COLUMNS[shown[i].index].priority)
            .expect("non-empty");
        shown.remove(drop);
    }
    let name = name_width(&shown);
    (shown, name)
}

/// The header: each title right-aligned over its numbers, the sorted one followed by `▼` or
/// `▲` in its own column (sortable columns keep that place blank otherwise), so the marker
/// reads without colour and belongs to its own title.
fn header<R: ClassRow>(
    table: &ClassTable<R>,
    columns: &[Shown],
    name_width: usize,
    theme: &Theme,
) -> Line<'static> {
    let (sort, reverse) = table.sort();
    let arrow = R::arrow(sort, reverse);
    let sorted_column = |c: &Column<R::Sort>| c.sort == Some(sort);
    let mut title = "Constructor".to_string();
    if sort == R::SORTS[0] {
        title.push_str(&format!(" {arrow}"));
    } else if !columns.iter().any(|c| sorted_column(&R::COLUMNS[c.index])) {
        // Sorted by something without a column of its own here (Count, or a dropped column).
        title.push_str(&format!(" · {} {arrow}", R::sort_title(sort)));
    }
    let mut spans = vec![Span::raw(
        " ".repeat(MARKER) + &text::pad(&title, name_width),
    )];
    for shown in columns {
        let c = &R::COLUMNS[shown.index];
        let text = |marker: &str| {
            format!(
                " {}",
                text::pad_left(&format!("{}{marker}", shown.title), shown.width)
            )
        };
        spans.push(match c.sort {
            Some(s) if s == sort => Span::styled(text(arrow), theme.sorted()),
            Some(_) => Span::raw(text(" ")),
            None => Span::raw(text("")),
        });
    }
    Line::from(spans).style(theme.header())
}

fn cells_spans(cells: &[String], columns: &[Shown]) -> String {
    let mut out = String::new();
    for shown in columns {
        out.push(' ');
        out.push_str(&text::pad_left(&cells[shown.index], shown.width));
    }
    out
}

/// Spans for `name` cut to `width` columns with the chars at `highlight` emphasised.
fn highlighted(name: &str, width: usize, highlight: &[usize], theme: &Theme) -> Vec<Span<'static>> {
    let (fitted, kept) = text::fit(name, width);
    if highlight.is_empty() {
        return vec![Span::raw(fitted)];
    }
    let mut spans = Vec::new();
    let mut plain = String::new();
    for (i, c) in fitted.chars().enumerate() {
        if i < kept && highlight.contains(&i) {
            if !plain.is_empty() {
                spans.push(Span::raw(std::mem::take(&mut plain)));
            }
            spans.push(Span::styled(c.to_string(), theme.matched()));
        } else {
            plain.push(c);
        }
    }
    if !plain.is_empty() {
        spans.push(Span::raw(plain));
    }
    spans
}

fn class_line<R: ClassRow>(
    table: &ClassTable<R>,
    row: usize,
    listed: usize,
    columns: &[Shown],
    name_width: usize,
    theme: &Theme,
    scope: Scope,
) -> Line<'static> {
    let class = &table.rows()[row];
    let marker = if table.is_expanded(row) {
        "▾ "
    } else {
        "▸ "
    };
    let suffix = class.suffix().map(|s| format!(" {s}")).unwrap_or_default();
    let suffix_width = text::width(&suffix).min(name_width / 2);
    let name = sanitize(class.name());
    let mut spans = vec![Span::styled(marker, theme.dim())];
    spans.extend(highlighted(
        &name,
        name_width - suffix_width,
        table.highlight(listed),
        theme,
    ));
    let used: usize = spans[1..].iter().map(Span::width).sum();
    let suffix = text::pad(&suffix, name_width - used);
    spans.push(Span::styled(suffix, theme.dim()));
    spans.push(Span::raw(cells_spans(&class.cells(scope), columns)));
    Line::from(spans)
}

/// An opened object's row: `▾` where its indent was.
fn opened_marker(mut line: Line<'static>, theme: &Theme) -> Line<'static> {
    if let Some(first) = line.spans.first_mut() {
        *first = Span::styled(text::pad("▾", MARKER.min(first.width())), theme.dim());
    }
    line
}

/// Row `at` of an opened object's contents: the tree's label under the object, its numbers
/// in the table's columns.
fn content_line<R: ClassRow>(
    snapshot: &Snapshot,
    tree: &ObjectTree,
    at: usize,
    columns: &[Shown],
    name_width: usize,
    theme: &Theme,
) -> Line<'static> {
    let Some(row) = tree.row(at) else {
        return Line::default();
    };
    let mut spans = objects::label(
        snapshot,
        tree,
        row,
        MARKER + objects::INDENT,
        MARKER + name_width,
        theme,
    );
    let cells = match row {
        TreeRow::Entry(id) => R::content_cells(snapshot, tree.entry(id).node),
        TreeRow::More { .. } => vec![String::new(); R::COLUMNS.len()],
    };
    spans.push(Span::raw(cells_spans(&cells, columns)));
    Line::from(spans)
}

fn instance_line(
    instance: &instances::Instance,
    snapshots: &[Partial],
    cells: &[String],
    columns: &[Shown],
    name_width: usize,
    theme: &Theme,
) -> Line<'static> {
    let snapshot = &snapshots[instance.snapshot()];
    let (mark, mark_style) = match instance.change {
        Change::None => ("", Style::new()),
        Change::New => ("+ ", theme.added()),
        Change::Deleted => ("− ", theme.removed()),
    };
    let id = format!(" @{}", snapshot.node_id(instance.node));
    let room = name_width.saturating_sub(text::width(mark) + text::width(&id));
    let raw = labels::object_name(snapshot, instance.node, room + 1);
    let (name, _) = text::fit(&sanitize(&raw), room);
    let used = text::width(mark) + text::width(&name);
    Line::from(vec![
        Span::raw(" ".repeat(MARKER)),
        Span::styled(mark, mark_style),
        Span::raw(name),
        Span::styled(text::pad(&id, name_width.saturating_sub(used)), theme.dim()),
        Span::raw(cells_spans(cells, columns)),
    ])
}
