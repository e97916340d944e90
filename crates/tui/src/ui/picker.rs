//! Draws the folder picker: a title bar, the snapshots under one header per process, the
//! cross-process warning when it applies, and a status bar (message or what Enter opens).

use super::help;
use crate::folder::{Entry, Health};
use crate::picker::{self, Picker};
use crate::text;
use crate::theme::Theme;
use heaptui_common::util::sanitize::sanitize;
use heaptui_present::format;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use ratatui::Frame;

/// Draws the picker into `frame`, at any size.
pub fn render(picker: &Picker, frame: &mut Frame) {
    let theme = &picker.theme;
    let area = frame.area();
    let warning = picker.warning();
    let [title, body, warn, status] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Min(0),
        Constraint::Length(u16::from(warning.is_some())),
        Constraint::Length(1),
    ])
    .areas(area);
    let width = area.width as usize;
    let dir = sanitize(&picker.dir.display().to_string()).into_owned();
    let keys = " ? help  q quit ";
    let left = format!(" heaptui  Open snapshots in {dir}");
    let (left, _) = text::fit(&left, width.saturating_sub(text::width(keys)));
    let line = format!(
        "{}{keys}",
        text::pad(&left, width - text::width(keys).min(width))
    );
    frame.render_widget(Paragraph::new(line).style(theme.bar()), title);
    frame.render_widget(Paragraph::new(rows(picker, body)), body);
    if let Some(warning) = warning {
        let text = text::pad(&format!(" ⚠ {warning}"), width);
        frame.render_widget(Paragraph::new(text).style(theme.message()), warn);
    }
    let (text, style) = match &picker.message {
        Some(message) => (format!(" {}", sanitize(message)), theme.message()),
        None => (hint(picker), theme.bar()),
    };
    frame.render_widget(Paragraph::new(text::pad(&text, width)).style(style), status);
    if picker.help {
        help::render(frame, area, theme, picker::HELP);
    }
}

/// What Enter does now.
fn hint(picker: &Picker) -> String {
    let n = picker.chosen().len();
    let (files, them) = if n == 1 {
        ("file", "it")
    } else {
        ("files", "them, oldest first")
    };
    if !picker.marked.is_empty() {
        format!(" {n} marked · Enter opens {them} · Space marks / unmarks")
    } else if !picker.suggested.is_empty() {
        " ★ suggested pair: Enter opens it · Space marks other files".to_string()
    } else if n > 0 {
        format!(" Enter opens the selected {files} · Space marks files")
    } else if picker.entries.is_empty() {
        " Watching the folder: snapshots show here as they are written · q quits".to_string()
    } else {
        " Space marks files · r reads the folder again".to_string()
    }
}

/// The lines of `body`: a header before each process's files, scrolled so the cursor shows.
fn rows<'a>(picker: &'a Picker, body: Rect) -> Vec<Line<'a>> {
    let theme = &picker.theme;
    let chosen = picker.chosen();
    let width = body.width as usize;
    let mut lines = Vec::new();
    if picker.entries.is_empty() {
        lines.push(Line::raw(
            " No .heapsnapshot or .heapsnapshot.gz file here yet.",
        ));
    }
    let mut cursor_line = 0;
    for (i, entry) in picker.entries.iter().enumerate() {
        if i == 0 || picker.entries[i - 1].pid != entry.pid {
            lines.push(Line::styled(
                text::pad(&group_title(picker, entry), width),
                theme.header(),
            ));
        }
        if i == picker.cursor {
            cursor_line = lines.len();
        }
        let role = chosen.iter().position(|&c| c == i).map(|at| match at {
            _ if chosen.len() == 1 => "open".to_string(),
            0 => "base".to_string(),
            at if at + 1 == chosen.len() => "after".to_string(),
            at => format!("#{}", at + 1),
        });
        let mark = if picker.marked.contains(&i) {
            "[x]"
        } else if picker.marked.is_empty() && picker.suggested.contains(&i) {
            " ★ "
        } else {
            "[ ]"
        };
        lines.push(row(entry, mark, role, i == picker.cursor, width, theme));
    }
    let height = body.height as usize;
    let skip = (cursor_line + 1).saturating_sub(height);
    lines.into_iter().skip(skip).collect()
}

/// ` process 4242 · 3 snapshots` or ` no pid in the name · 2 snapshots`.
fn group_title(picker: &Picker, first: &Entry) -> String {
    let count = picker.entries.iter().filter(|e| e.pid == first.pid).count();
    let files = if count == 1 { "snapshot" } else { "snapshots" };
    match first.pid {
        Some(pid) => format!(" process {pid} · {count} {files}"),
        None => format!(" no pid in the name · {count} {files}"),
    }
}

/// One file: mark, role (base / after), type, time, size, state, name.
fn row<'a>(
    entry: &Entry,
    mark: &str,
    role: Option<String>,
    selected: bool,
    width: usize,
    theme: &Theme,
) -> Line<'a> {
    let (state, state_style) = match &entry.health {
        Health::Ok => ("ok", Style::new()),
        Health::Unreadable(_) => ("unreadable", theme.removed()),
        Health::Writing => ("being written", theme.matched()),
    };
    let size = match entry.health {
        Health::Unreadable(_) => "—".to_string(),
        _ => format::bytes(entry.size),
    };
    let kind = sanitize(entry.kind.as_deref().unwrap_or("—")).into_owned();
    let time_style = if entry.named_time {
        Style::new()
    } else {
        theme.dim()
    };
    let name = sanitize(&entry.name).into_owned();
    let role_style = if role.is_some() {
        theme.added().add_modifier(Modifier::BOLD)
    } else {
        Style::new()
    };
    let cells = [
        (format!("   {mark} "), role_style),
        (text::pad(role.as_deref().unwrap_or(""), 6), role_style),
        (text::pad(&kind, 9), Style::new()),
        (text::pad(&entry.stamp.display(), 21), time_style),
        (text::pad_left(&size, 9), Style::new()),
        (format!("  {}", text::pad(state, 15)), state_style),
    ];
    let used: usize = cells.iter().map(|(c, _)| text::width(c)).sum();
    let name = text::pad(&name, width.saturating_sub(used));
    let mut spans: Vec<Span> = cells
        .into_iter()
        .map(|(c, style)| Span::styled(c, style))
        .collect();
    spans.push(Span::raw(name));
    let line = Line::from(spans);
    if selected {
        line.style(theme.selected())
    } else {
        line
    }
}
