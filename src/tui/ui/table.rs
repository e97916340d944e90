//! The class table: a header, then only the rows that fit on screen, built on demand from the
//! virtual list. Columns keep their width; on a narrow terminal the least useful columns are
//! dropped so the Constructor column stays readable, and names are cut with `…`.

use crate::present::labels;
use crate::snapshot::Partial;
use crate::tui::classes::{ClassRow, Column, Loaded, Scope};
use crate::tui::instances::{self, Change};
use crate::tui::table::{ClassTable, Row, TableControl};
use crate::tui::text;
use crate::tui::theme::Theme;
use crate::util::sanitize::sanitize;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use ratatui::Frame;

/// The Constructor column keeps at least this many columns before numbers are dropped.
const MIN_NAME: usize = 16;
/// Room for the expand marker (`▸ `) or an object row's indent.
const MARKER: usize = 2;

/// Scrolls `table` so its cursor is in view in `area`; returns the rows it shows (the page
/// height).
pub fn fit(table: &mut dyn TableControl, area: Rect) -> usize {
    if area.height == 0 || area.width == 0 {
        return 0;
    }
    let height = area.height as usize - 1;
    table.scroll_into_view(height);
    height
}

/// Draws `table` into `area`, from its first row drawn ([`fit`] put it there).
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
    let columns = visible_columns::<R>(table.widths(), width);
    let name_width = width
        .saturating_sub(MARKER)
        .saturating_sub(columns.iter().map(|&(_, w)| w + 1).sum());
    let height = area.height as usize - 1;
    let mut lines = vec![header::<R>(table, &columns, name_width, theme)];
    if table.is_empty() {
        let hint = format!("no class matches “{}”", sanitize(table.pattern()));
        lines.push(Line::styled(text::pad(&hint, width), theme.dim()));
    }
    let scope = table.scope(loaded);
    for at in table.offset..(table.offset + height).min(table.len()) {
        let row = table.row_at(at).expect("row in range");
        let mut line = match row {
            Row::Class { row, listed } => {
                class_line(table, row, listed, &columns, name_width, theme, scope)
            }
            Row::Instance { row, index } => {
                let instance = table.instance(row, index);
                let cells = R::instance_cells(&instance, scope);
                instance_line(
                    &instance,
                    loaded.snapshots,
                    &cells,
                    &columns,
                    name_width,
                    theme,
                )
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

/// The numeric columns that fit next to a readable Constructor column: `(index, width)`.
fn visible_columns<R: ClassRow>(widths: &[usize], width: usize) -> Vec<(usize, usize)> {
    let mut shown: Vec<(usize, usize)> = widths.iter().copied().enumerate().collect();
    let min_name = MIN_NAME.min(width / 3);
    while !shown.is_empty()
        && MARKER + min_name + shown.iter().map(|&(_, w)| w + 1).sum::<usize>() > width
    {
        let drop = (0..shown.len())
            .min_by_key(|&i| R::COLUMNS[shown[i].0].priority)
            .expect("non-empty");
        shown.remove(drop);
    }
    shown
}

fn header<R: ClassRow>(
    table: &ClassTable<R>,
    columns: &[(usize, usize)],
    name_width: usize,
    theme: &Theme,
) -> Line<'static> {
    let (sort, reverse) = table.sort();
    let arrow = R::arrow(sort, reverse);
    let sorted_column = |c: &Column<R::Sort>| c.sort == Some(sort);
    let mut title = "Constructor".to_string();
    if sort == R::SORTS[0] {
        title.push_str(&format!(" {arrow}"));
    } else if !columns.iter().any(|&(i, _)| sorted_column(&R::COLUMNS[i])) {
        // Sorted by something without a column of its own here (Count, or a dropped column).
        title.push_str(&format!(" · {} {arrow}", R::sort_title(sort)));
    }
    let mut spans = vec![Span::raw(
        " ".repeat(MARKER) + &text::pad(&title, name_width),
    )];
    for &(i, w) in columns {
        let c = &R::COLUMNS[i];
        // The arrow takes the gap before the title, so titles keep DevTools' names at 80
        // columns; the sorted header is set off as a block so the arrow reads as its own.
        spans.push(if sorted_column(c) {
            Span::styled(
                format!("{arrow}{}", text::pad_left(c.title, w)),
                theme.sorted(),
            )
        } else {
            Span::raw(format!(" {}", text::pad_left(c.title, w)))
        });
    }
    Line::from(spans).style(theme.header())
}

fn cells_spans(cells: &[String], columns: &[(usize, usize)]) -> String {
    let mut out = String::new();
    for &(i, w) in columns {
        out.push(' ');
        out.push_str(&text::pad_left(&cells[i], w));
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
    columns: &[(usize, usize)],
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

fn instance_line(
    instance: &instances::Instance,
    snapshots: &[Partial],
    cells: &[String],
    columns: &[(usize, usize)],
    name_width: usize,
    theme: &Theme,
) -> Line<'static> {
    let snapshot = &snapshots[instance.snapshot as usize];
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
