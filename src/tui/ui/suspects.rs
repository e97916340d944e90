//! The Suspects view: the library's ranked leak suspects, three lines each — the class with its
//! counts across the series and the memory its new objects hold, the retaining path most of its
//! new objects share (`edge in Class ← …`, towards the GC roots), and the leak pattern it looks
//! like, if any.

use crate::leaks::suspects::Suspect;
use crate::present::format;
use crate::present::labels::{self, sparkline};
use crate::tui::series::SeriesList;
use crate::tui::text;
use crate::tui::theme::Theme;
use crate::util::sanitize::sanitize;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use ratatui::Frame;

/// Screen lines per suspect.
const LINES: usize = 3;

/// Scrolls `list` so its cursor is in view in `area`; returns the suspects it shows (the
/// page height).
pub fn fit(list: &mut SeriesList<Suspect>, area: Rect) -> usize {
    if area.height == 0 || area.width == 0 {
        return 0;
    }
    let page = (area.height as usize - 1) / LINES;
    list.scroll_into_view(page);
    page.max(1)
}

/// Draws `list` into `area`.
pub fn render(frame: &mut Frame, area: Rect, list: &SeriesList<Suspect>, theme: &Theme) {
    if area.height == 0 || area.width == 0 {
        return;
    }
    let width = area.width as usize;
    let mut lines = vec![Line::styled(
        text::pad(
            "  Leak suspects · grew in every interval, then memory held by new objects",
            width,
        ),
        theme.header(),
    )];
    if list.rows.is_empty() {
        lines.push(Line::styled(
            text::pad("  no class grew across the series", width),
            theme.dim(),
        ));
    }
    let page = (area.height as usize - 1) / LINES;
    let end = (list.offset + page).min(list.rows.len());
    for at in list.offset..end {
        let mut block = suspect_lines(at, &list.rows[at], width, theme);
        if at == list.cursor() {
            block = block
                .into_iter()
                .map(|l| l.patch_style(theme.selected()))
                .collect();
        }
        lines.extend(block);
    }
    frame.render_widget(Paragraph::new(lines), area);
}

fn suspect_lines(at: usize, s: &Suspect, width: usize, theme: &Theme) -> Vec<Line<'static>> {
    let counts = labels::counts(&s.trend.counts);
    let facts = format!(
        "  {}  {}  +{} new  holds {}",
        sparkline(&s.trend.counts),
        counts,
        format::count(s.new_objects as u64),
        format::bytes(s.held_size)
    );
    let rank = format!("{:>2}. ", at + 1);
    let room = width.saturating_sub(text::width(&rank) + text::width(&facts).min(width / 2));
    let (name, _) = text::fit(&sanitize(&s.trend.name), room);
    let used = text::width(&rank) + text::width(&name);
    let path = labels::path(&s.path, &|t| sanitize(t).into_owned());
    let path = format!(
        "    path ({:.0}% of new objects): {path}",
        100.0 * s.path_share
    );
    let hint = s
        .pattern
        .map_or_else(String::new, |p| format!("    likely: {}", p.hint));
    vec![
        Line::from(vec![
            Span::raw(rank),
            Span::styled(name, theme.header()),
            Span::raw(text::pad(&facts, width.saturating_sub(used))),
        ]),
        Line::styled(text::pad(&path, width), theme.edge()),
        Line::styled(text::pad(&hint, width), theme.dim()),
    ]
}
