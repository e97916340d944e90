//! The help popup: every key of a keymap table (the views' or the picker's), centred over the
//! screen.

use crate::text;
use crate::theme::Theme;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Clear, Paragraph};
use ratatui::Frame;

/// Least width of the key column.
const KEY_WIDTH: usize = 11;

/// Draws the popup listing `keys` (key, what it does) over `area` (clipped on small
/// terminals).
pub fn render(frame: &mut Frame, area: Rect, theme: &Theme, keys: &[(&str, &str)]) {
    render_page(frame, area, theme, keys, "any key closes this help");
}

/// [`render`] with `hint` as its last line (what the keys do in the popup).
pub fn render_page(
    frame: &mut Frame,
    area: Rect,
    theme: &Theme,
    keys: &[(&str, &str)],
    hint: &str,
) {
    let key_width = keys
        .iter()
        .map(|(key, _)| text::width(key))
        .fold(KEY_WIDTH, usize::max);
    let text_width = keys
        .iter()
        .map(|(_, what)| key_width + 1 + what.chars().count())
        .max()
        .unwrap_or(0);
    let width = (text_width as u16 + 4).min(area.width);
    let height = (keys.len() as u16 + 3).min(area.height);
    let popup = crate::layout::centered(area, width, height);
    let mut lines: Vec<Line> = keys
        .iter()
        .map(|(key, what)| {
            Line::from(vec![
                Span::styled(text::pad(key, key_width + 1), theme.header()),
                Span::raw(*what),
            ])
        })
        .collect();
    lines.push(Line::styled(hint.to_string(), theme.dim()));
    let block = Block::bordered()
        .title(Span::styled(" Keys ", theme.header()))
        .border_style(theme.border(true));
    frame.render_widget(Clear, popup);
    frame.render_widget(Paragraph::new(lines).block(block), popup);
}
