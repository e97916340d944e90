//! The loading screen: one progress bar and the current phase per file.

use crate::loader::LoadProgress;
use crate::text;
use crate::theme::Theme;
use heaptui_common::util::sanitize::sanitize;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Paragraph};
use ratatui::Frame;

/// Draws the loading screen for `progress`.
pub fn render(frame: &mut Frame, progress: &LoadProgress, theme: &Theme) {
    let area = frame.area();
    let width = area.width.min(72);
    let inner_width = width.saturating_sub(2) as usize;
    let mut lines = vec![Line::from(format!(
        "Loading {} snapshot{}…",
        progress.files.len(),
        if progress.files.len() == 1 { "" } else { "s" }
    ))];
    for file in &progress.files {
        lines.push(Line::raw(""));
        let (label, _) = text::fit(&sanitize(&file.label), inner_width);
        lines.push(Line::styled(label, theme.header()));
        let percent = format!(" {:>3.0}%", 100.0 * file.fraction);
        let bar_width = inner_width.saturating_sub(percent.len());
        lines.push(Line::from(vec![
            bar(file.fraction, bar_width, theme),
            Span::raw(percent),
        ]));
        lines.push(Line::styled(
            text::pad(&file.phase, inner_width),
            theme.dim(),
        ));
    }
    if let Some(stage) = progress.stage {
        lines.push(Line::raw(""));
        lines.push(Line::raw(stage));
    }
    lines.push(Line::raw(""));
    lines.push(Line::styled("q or Ctrl-C to cancel", theme.dim()));
    let height = (lines.len() as u16 + 2).min(area.height);
    let popup = crate::layout::centered(area, width, height);
    let block = Block::bordered()
        .title(Span::styled(" heaptui ", theme.header()))
        .border_style(theme.border(true));
    frame.render_widget(Paragraph::new(lines).block(block), popup);
}

/// A bar of `width` cells, `fraction` of them filled (`█`, then `░`).
fn bar(fraction: f64, width: usize, theme: &Theme) -> Span<'static> {
    let filled = ((fraction.clamp(0.0, 1.0) * width as f64).round() as usize).min(width);
    let text = "█".repeat(filled) + &"░".repeat(width - filled);
    Span::styled(text, theme.gauge())
}
