//! The details popup: the object's facts, dominators, variables and whole string value,
//! wrapped to the popup and scrolled (↑ ↓ PgUp PgDn), over the views.

use crate::details::{Details, Kind};
use crate::layout;
use crate::text;
use crate::theme::Theme;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Clear, Paragraph};
use ratatui::Frame;

/// Draws `details` over `area`.
pub fn render(frame: &mut Frame, area: Rect, details: &Details, theme: &Theme) {
    let popup = layout::details_popup(area);
    let block = Block::bordered()
        .title(Span::styled(
            format!(
                " {} ",
                text::fit(&details.title, popup.width as usize / 2).0
            ),
            theme.header(),
        ))
        .border_style(theme.border(true));
    let inner = block.inner(popup);
    let height = (inner.height as usize).saturating_sub(1);
    let mut lines: Vec<Line> = details
        .wrapped()
        .iter()
        .skip(details.scroll)
        .take(height)
        .map(|(kind, line)| match kind {
            Kind::Heading => Line::styled(line.clone(), theme.header()),
            Kind::Text => Line::raw(line.clone()),
            Kind::Value => Line::styled(line.clone(), theme.edge()),
        })
        .collect();
    lines.resize(height, Line::raw(""));
    let shown = details.wrapped().len();
    let end = (details.scroll + height).min(shown);
    lines.push(Line::styled(
        format!(
            "{}–{end} of {shown} · ↑↓ PgUp PgDn · u dominator · D kept alive · Esc closes",
            (details.scroll + 1).min(end)
        ),
        theme.dim(),
    ));
    frame.render_widget(Clear, popup);
    frame.render_widget(Paragraph::new(lines).block(block), popup);
}
