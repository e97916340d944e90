//! The help popup: every key from the keymap table, centred over the view.

use crate::tui::keys::HELP;
use crate::tui::theme::Theme;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Clear, Paragraph};
use ratatui::Frame;

/// Width of the key column.
const KEY_WIDTH: usize = 11;

/// Draws the popup over `area` (clipped on small terminals).
pub fn render(frame: &mut Frame, area: Rect, theme: &Theme) {
    let text_width = HELP
        .iter()
        .map(|(_, what)| KEY_WIDTH + 1 + what.chars().count())
        .max()
        .unwrap_or(0);
    let width = (text_width as u16 + 4).min(area.width);
    let height = (HELP.len() as u16 + 3).min(area.height);
    let popup = Rect {
        x: area.x + (area.width - width) / 2,
        y: area.y + (area.height - height) / 2,
        width,
        height,
    };
    let mut lines: Vec<Line> = HELP
        .iter()
        .map(|(keys, what)| {
            Line::from(vec![
                Span::styled(format!("{keys:<KEY_WIDTH$} "), theme.header()),
                Span::raw(*what),
            ])
        })
        .collect();
    lines.push(Line::styled("any key closes this help", theme.dim()));
    let block = Block::bordered()
        .title(Span::styled(" Keys ", theme.header()))
        .border_style(theme.border(true));
    frame.render_widget(Clear, popup);
    frame.render_widget(Paragraph::new(lines).block(block), popup);
}
