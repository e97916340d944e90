//! The Suspects view: the library's ranked leak suspects as a list, one line each (the holder,
//! the class that accumulates most with its growth per interval, the holder's retained size in
//! each snapshot), and below it the selected suspect in full: what it holds, its path to the
//! GC roots step by step with functions' definition sites, the code to look at and the leak
//! pattern it looks like. `Enter` opens the holder in the Summary with its retainers.

use crate::layout;
use crate::pair::ONE_INTERVAL;
use crate::series::SeriesList;
use crate::text;
use crate::theme::Theme;
use heaptui_common::util::sanitize::sanitize;
use heaptui_leaks::suspects::Suspect;
use heaptui_present::suspects as wording;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use ratatui::Frame;

/// Functions shown in the detail at most (the path gets the lines left).
const CODE_LINES: usize = 4;
/// Classes of what the holder stores named in its one line (the program's own come first).
const STORED_CLASSES: usize = 2;

/// Draws `list` into `area`; `one_interval` when it is a pair's (the heading says so).
pub fn render(
    frame: &mut Frame,
    area: Rect,
    list: &SeriesList<Suspect>,
    theme: &Theme,
    one_interval: bool,
) {
    if area.height == 0 || area.width == 0 {
        return;
    }
    let width = area.width as usize;
    let height = area.height as usize;
    let by_shape = list.rows.first().is_some_and(|s| s.by_shape);
    let heading = format!(
        "  Leak suspects · {} · {}",
        if one_interval {
            ONE_INTERVAL
        } else {
            "growing holders, most growth first"
        },
        wording::matching_short(by_shape)
    );
    let mut lines = vec![Line::styled(text::pad(&heading, width), theme.header())];
    if list.rows.is_empty() {
        lines.push(Line::styled(
            text::pad(
                "  no object accumulated new objects across the series",
                width,
            ),
            theme.dim(),
        ));
    }
    let page = layout::suspects_rows(height, list.rows.len());
    let end = (list.offset() + page).min(list.rows.len());
    for at in list.offset()..end {
        let line = list_line(at, &list.rows[at], width, theme);
        lines.push(if at == list.cursor() {
            line.patch_style(theme.selected())
        } else {
            line
        });
    }
    if let Some(s) = list.selected() {
        let room = height.saturating_sub(lines.len());
        lines.extend(detail(s, width, room, theme));
    }
    frame.render_widget(Paragraph::new(lines), area);
}

/// Draws the pair's Suspects while they compute: the heading and `…`.
pub fn pending(frame: &mut Frame, area: Rect, theme: &Theme) {
    if area.height == 0 || area.width == 0 {
        return;
    }
    let width = area.width as usize;
    let lines = vec![
        Line::styled(
            text::pad(&format!("  Leak suspects · {ONE_INTERVAL}"), width),
            theme.header(),
        ),
        Line::styled(
            text::pad("  … computing the suspects (keys keep working)", width),
            theme.dim(),
        ),
    ];
    frame.render_widget(Paragraph::new(lines), area);
}

/// `text` escaped for the terminal.
fn safe(text: String) -> String {
    sanitize(&text).into_owned()
}

fn list_line(at: usize, s: &Suspect, width: usize, theme: &Theme) -> Line<'static> {
    let rank = format!("{:>2}. ", at + 1);
    let facts = format!(
        " · {} · retained {}",
        safe(wording::leading(s)),
        wording::retained(s)
    );
    let room = width.saturating_sub(text::width(&rank) + text::width(&facts).min(width / 2));
    let (name, used) = text::fit(&safe(wording::holder(s)), room);
    Line::from(vec![
        Span::raw(rank.clone()),
        Span::styled(name, theme.header()),
        Span::raw(text::pad(
            &facts,
            width.saturating_sub(text::width(&rank) + used),
        )),
    ])
}

/// The selected suspect in `room` lines: what it holds, its path (cut in the middle when it
/// does not fit), its code, its pattern, and what Enter does.
fn detail(s: &Suspect, width: usize, room: usize, theme: &Theme) -> Vec<Line<'static>> {
    let line = |text: String, style| Line::styled(text::pad(&text, width), style);
    let class = if s.holder_name == s.holder_class {
        String::new()
    } else {
        format!(" ({})", safe(s.holder_class.clone()))
    };
    let title = format!("─ {}{class}", safe(wording::holder(s)));
    let mut head = vec![
        line(title, theme.header()),
        line(
            format!(
                "  {}: {}",
                wording::summary(s),
                safe(wording::accumulates(s, 3))
            ),
            theme.edge(),
        ),
    ];
    if !s.stores.is_empty() {
        head.push(line(
            format!("  stores: {}", safe(wording::stores(s, STORED_CLASSES))),
            theme.edge(),
        ));
    }
    if let Some(p) = s.pattern {
        head.push(line(format!("  likely: {}", p.hint), theme.dim()));
    }
    if let Some(a) = s.allocated_at.first() {
        head.push(line(
            format!("  allocated at: {}", safe(wording::allocation_site(a))),
            theme.edge(),
        ));
    }
    let code: Vec<Line> = s
        .code
        .iter()
        .take(CODE_LINES)
        .map(|f| line(format!("    {}", safe(wording::function(f))), theme.edge()))
        .collect();
    let tail = line(
        "  Enter: open the holder in the Summary, its retainers below".to_string(),
        theme.dim(),
    );
    let fixed = head.len() + 1 + usize::from(!code.is_empty()) + code.len() + 1;
    let path_room = room.saturating_sub(fixed);
    let mut lines = head;
    lines.push(line(
        format!("  path to the roots ({}):", safe(wording::path_end(s))),
        theme.dim(),
    ));
    lines.extend(
        steps(s, path_room)
            .into_iter()
            .map(|t| line(format!("    ← {}", safe(t)), theme.edge())),
    );
    if !code.is_empty() {
        lines.push(line("  code to look at:".to_string(), theme.dim()));
        lines.extend(code);
    }
    lines.push(tail);
    lines.truncate(room);
    lines
}

/// The holder path's steps in at most `room` lines: the first ones and the last, with how
/// many were left out between them.
fn steps(s: &Suspect, room: usize) -> Vec<String> {
    let all: Vec<String> = s.holder_path.iter().map(wording::step).collect();
    if all.len() <= room {
        return all;
    }
    if room < 3 {
        return all.into_iter().take(room).collect();
    }
    let head = room - 2;
    let mut out: Vec<String> = all[..head].to_vec();
    out.push(format!("… {} more", all.len() - head - 1));
    out.push(all[all.len() - 1].clone());
    out
}
