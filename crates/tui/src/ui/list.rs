//! A question's answer as a table: a heading line, the columns' header, then the rows from
//! the first one drawn, the selected one highlighted. Every cell is sanitised here (heap
//! strings), fitted to its column.

use crate::text;
use crate::theme::Theme;
use heaptui_common::util::sanitize::sanitize;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::Line;
use ratatui::widgets::Paragraph;
use ratatui::Frame;

/// One column: its title, its width (`None`: what the fixed ones leave) and alignment.
pub struct Column {
    /// The header's text.
    pub title: &'static str,
    /// Display columns, or the rest.
    pub width: Option<usize>,
    /// Numbers are right-aligned.
    pub right: bool,
}

/// A fixed-width left-aligned column.
pub const fn left(title: &'static str, width: usize) -> Column {
    Column {
        title,
        width: Some(width),
        right: false,
    }
}

/// A fixed-width right-aligned column (a number).
pub const fn right(title: &'static str, width: usize) -> Column {
    Column {
        title,
        width: Some(width),
        right: true,
    }
}

/// The column taking the width the others leave.
pub const fn rest(title: &'static str) -> Column {
    Column {
        title,
        width: None,
        right: false,
    }
}

/// What a table draws: its heading, its columns and its rows (cells unsanitised).
pub struct Table<'a> {
    /// The line above the header (what is listed, its totals).
    pub heading: String,
    /// The columns.
    pub columns: &'a [Column],
    /// The cells of the rows drawn, from the first one drawn ([`window`]).
    pub rows: Vec<Vec<String>>,
    /// The selected one among them.
    pub selected: Option<usize>,
    /// Said under the header when there are no rows (`…` while computing).
    pub empty: String,
    /// Whether the keys act on this table (the selection is drawn brighter).
    pub focused: bool,
}

/// Draws `table` into `area`.
pub fn render(frame: &mut Frame, area: Rect, table: &Table, theme: &Theme) {
    if area.height == 0 || area.width == 0 {
        return;
    }
    let width = area.width as usize;
    let widths = widths(table.columns, width);
    let line = |cells: Vec<String>, style: Style| {
        let mut out = String::new();
        for ((cell, column), w) in cells.iter().zip(table.columns).zip(&widths) {
            let cell = sanitize(cell);
            if column.right {
                out += &text::pad_left(&cell, *w);
            } else {
                out += &text::pad(&cell, *w);
            }
            out.push(' ');
        }
        Line::styled(text::pad(&out, width), style)
    };
    let mut lines = vec![Line::styled(
        text::pad(&sanitize(&table.heading), width),
        theme.header(),
    )];
    let titles = table.columns.iter().map(|c| c.title.to_string()).collect();
    lines.push(line(titles, theme.header()));
    let rows = (area.height as usize).saturating_sub(2);
    if table.rows.is_empty() {
        lines.push(Line::styled(
            text::pad(&sanitize(&table.empty), width),
            theme.dim(),
        ));
    }
    let selected = if table.focused {
        theme.selected()
    } else {
        theme.selected_unfocused()
    };
    for (at, cells) in table.rows.iter().enumerate().take(rows) {
        let style = if Some(at) == table.selected {
            selected
        } else {
            Style::new()
        };
        lines.push(line(cells.clone(), style));
    }
    frame.render_widget(Paragraph::new(lines), area);
}

/// The rows a table of `len` rows draws in a body of `height` lines (the heading and header
/// take two) from `offset`, and the selected one's place among them.
pub fn window(
    height: u16,
    len: usize,
    offset: usize,
    cursor: usize,
) -> (std::ops::Range<usize>, Option<usize>) {
    let rows = (height as usize).saturating_sub(2);
    let end = (offset + rows).min(len);
    let start = offset.min(end);
    (
        start..end,
        cursor.checked_sub(start).filter(|&c| c < end - start),
    )
}

/// Each column's width in `width` columns (one space after each).
fn widths(columns: &[Column], width: usize) -> Vec<usize> {
    let fixed: usize = columns.iter().filter_map(|c| c.width).map(|w| w + 1).sum();
    let flexible = columns.iter().filter(|c| c.width.is_none()).count().max(1);
    let rest = width.saturating_sub(fixed) / flexible;
    columns
        .iter()
        .map(|c| c.width.unwrap_or(rest.saturating_sub(1)))
        .collect()
}
