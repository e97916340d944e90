//! The Trend view: per class, the object count in each snapshot, a sparkline and the change
//! from the first to the last; `↑` marks classes that grew in every interval. The rows come
//! sorted by sustained growth from the library.

use crate::series::SeriesList;
use crate::text;
use crate::theme::Theme;
use heaptui_common::util::sanitize::sanitize;
use heaptui_leaks::trend::TrendRow;
use heaptui_present::format;
use heaptui_present::labels::sparkline;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use ratatui::Frame;

/// The Constructor column keeps at least this many columns.
const MIN_NAME: usize = 16;

/// Draws `list` into `area`.
pub fn render(frame: &mut Frame, area: Rect, list: &SeriesList<TrendRow>, theme: &Theme) {
    if area.height == 0 || area.width == 0 {
        return;
    }
    let width = area.width as usize;
    let snapshots = list.rows.first().map_or(0, |r| r.counts.len());
    // Every count column is as wide as the widest count, so columns never jump.
    let count_width = list
        .rows
        .iter()
        .flat_map(|r| r.counts.iter())
        .map(|&c| text::width(&format::count(c)))
        .max()
        .unwrap_or(1)
        .max(3);
    let delta_width = list
        .rows
        .iter()
        .map(|r| text::width(&format::signed_count(r.count_delta())))
        .max()
        .unwrap_or(0)
        .max(text::width("# Delta"));
    let trend_width = snapshots.max(text::width("Trend"));
    let numbers = snapshots * (count_width + 1) + trend_width + 1 + delta_width + 1;
    let name_width = width.saturating_sub(2 + numbers).max(MIN_NAME.min(width));
    let height = area.height as usize - 1;
    let mut header = format!(
        "  {}",
        text::pad("Constructor · sustained growth ▼", name_width)
    );
    for i in 1..=snapshots {
        header.push(' ');
        header.push_str(&text::pad_left(&format!("#{i}"), count_width));
    }
    header.push(' ');
    header.push_str(&text::pad("Trend", trend_width));
    header.push(' ');
    header.push_str(&text::pad_left("# Delta", delta_width));
    let mut lines = vec![Line::styled(text::pad(&header, width), theme.header())];
    let end = (list.offset() + height).min(list.rows.len());
    for at in list.offset()..end {
        let r = &list.rows[at];
        let mark = if r.grew_every_interval() {
            "↑ "
        } else {
            "  "
        };
        let mut numbers = String::new();
        for &c in &r.counts {
            numbers.push(' ');
            numbers.push_str(&text::pad_left(&format::count(c), count_width));
        }
        numbers.push(' ');
        numbers.push_str(&text::pad(&sparkline(&r.counts), trend_width));
        numbers.push(' ');
        numbers.push_str(&text::pad_left(
            &format::signed_count(r.count_delta()),
            delta_width,
        ));
        let mut line = Line::from(vec![
            Span::styled(mark, theme.added()),
            Span::raw(text::pad(&sanitize(&r.name), name_width)),
            Span::raw(numbers),
        ]);
        if at == list.cursor() {
            line = line.patch_style(theme.selected());
        }
        lines.push(line);
    }
    frame.render_widget(Paragraph::new(lines), area);
}
