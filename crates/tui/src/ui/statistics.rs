//! The Statistics view: DevTools' categories (code, strings, JS arrays, typed arrays, system
//! objects, other JS and non-JS objects) with sizes, shares and bars that fit the terminal,
//! then the V8 heap, native memory and the total.

use crate::text;
use crate::theme::Theme;
use heaptui_engine::Snapshot;
use heaptui_present::{format, statistics};
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use ratatui::Frame;

/// Width of the category column.
const LABEL: usize = 22;
/// Width of the size and share columns together.
const NUMBERS: usize = 9 + 1 + 6 + 2;

/// Draws the Statistics view of `snapshot` into `area`.
pub fn render(frame: &mut Frame, area: Rect, snapshot: Option<&Snapshot>, theme: &Theme) {
    if area.height == 0 || area.width == 0 {
        return;
    }
    let Some(snapshot) = snapshot else {
        frame.render_widget(
            Paragraph::new(Span::styled(
                "The Statistics view appears when the numbers are in.",
                theme.dim(),
            )),
            area,
        );
        return;
    };
    let s = snapshot.statistics();
    let width = area.width as usize;
    let bar_width = width.saturating_sub(LABEL + NUMBERS + 2);
    let row = |label: &str, size: u64, bar: bool| -> Line<'static> {
        let mut spans = vec![
            Span::raw(text::pad(&format!(" {label}"), LABEL)),
            Span::raw(format!(
                "{:>9} {:>6}  ",
                format::bytes(size),
                statistics::percent(size, s.total)
            )),
        ];
        if bar {
            spans.push(Span::styled(
                statistics::bar(size, s.total, bar_width),
                theme.gauge(),
            ));
        }
        Line::from(spans)
    };
    let mut lines = vec![Line::styled(
        text::pad(" Statistics · the heap by category", width),
        theme.header(),
    )];
    for r in statistics::rows(s) {
        lines.push(row(r.label, r.size, true));
    }
    lines.push(Line::raw(""));
    lines.push(row("V8 heap", s.v8heap_total, false));
    lines.push(row("Native (embedder)", s.native_total, false));
    lines.push(row("Total", s.total, false).style(theme.header()));
    frame.render_widget(Paragraph::new(lines), area);
}

/// The status bar's left part in the Statistics view of `snapshot` (once complete).
pub fn status(snapshot: Option<&Snapshot>) -> String {
    snapshot.map_or_else(String::new, |s| {
        format!(
            " total {} · b next snapshot",
            format::bytes(s.statistics().total)
        )
    })
}
