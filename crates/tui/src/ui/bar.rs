//! The title bar (views, keys) and the status bar (totals of what is listed, sort, filter, file
//! names; or the filter prompt; or a message).

use crate::app::{App, Mode, Pending, Shown, View};
use crate::classes::ClassRow;
use crate::pair::ONE_INTERVAL;
use crate::table::{ClassTable, TableControl};
use crate::text;
use heaptui_common::util::sanitize::sanitize;
use heaptui_present::labels::file_label;
use heaptui_present::suspects as wording;
use ratatui::layout::Rect;
use ratatui::style::Modifier;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use ratatui::Frame;

/// What the title bar says while a background stage computes (benches look for it).
pub const BUSY: &str = "computing";

/// ` heaptui  1 Summary  2 Comparison` and, on the right, what the background computes and
/// the help and quit keys.
pub fn title(frame: &mut Frame, area: Rect, app: &App) {
    let theme = app.theme();
    let tab = |label: &'static str, active: bool, available: bool| {
        let style = match (active, available) {
            (true, _) => theme.tab_active(),
            (false, true) => theme.bar(),
            (false, false) => theme.bar().patch(theme.dim()),
        };
        Span::styled(label, style)
    };
    let mut spans = vec![
        Span::styled(" heaptui ", theme.bar().add_modifier(Modifier::BOLD)),
        tab(" 1 Summary ", app.view() == View::Summary, true),
        tab(
            " 2 Comparison ",
            app.view() == View::Comparison,
            app.has_comparison(),
        ),
    ];
    if app.has_series() {
        spans.push(tab(" 3 Trend ", app.view() == View::Trend, true));
        spans.push(tab(" 4 Suspects ", app.view() == View::Suspects, true));
    } else if app.view() == View::Suspects {
        // A pair's Suspects get a tab while they are shown, as the object views do.
        spans.push(tab(" 4 Suspects ", true, true));
    }
    // The object views get a tab while they are shown (the keys are in the help).
    match app.view() {
        View::Containment => spans.push(tab(" 5 Containment ", true, true)),
        View::Dominators => spans.push(tab(" 6 Dominators ", true, true)),
        View::Statistics => spans.push(tab(" 7 Statistics ", true, true)),
        View::Paths => spans.push(tab(" w Paths ", true, true)),
        View::Query => spans.push(tab(" : Query ", true, true)),
        View::Modules => spans.push(tab(" M Modules ", true, true)),
        View::Realms => spans.push(tab(" R Realms ", true, true)),
        View::Contexts => spans.push(tab(" C Contexts ", true, true)),
        _ => {}
    }
    let keys = " ? help  q quit ";
    // While the background computes, say so before the keys (the keys go first when short).
    let busy = app
        .working()
        .filter(|_| app.pending() != Pending::Nothing)
        .map(|w| format!(" {BUSY} {w} ·"))
        .or_else(|| app.job_progress().map(|p| format!(" {BUSY} {p} ·")));
    let used: usize = spans.iter().map(Span::width).sum();
    let room = (area.width as usize).saturating_sub(used);
    let right = match busy {
        Some(busy) if text::width(&busy) + text::width(keys) < room => busy + keys,
        Some(busy) if text::width(&busy) < room => busy,
        _ if text::width(keys) < room => keys.to_string(),
        _ => String::new(),
    };
    spans.push(Span::raw(" ".repeat(room - text::width(&right))));
    spans.push(Span::styled(right, theme.bar()));
    frame.render_widget(Paragraph::new(Line::from(spans)).style(theme.bar()), area);
}

/// The filter prompt while it is open, else the message if any, else the totals of the listed
/// rows, the sort order and the filter on the left (in an object view, its `object_status`)
/// and the file name(s) on the right.
pub fn status(frame: &mut Frame, area: Rect, app: &App, object_status: String) {
    let theme = app.theme();
    let width = area.width as usize;
    let pattern = sanitize(app.pattern()).into_owned();
    let line = if app.mode() == Mode::Filter {
        Line::from(vec![
            Span::styled(
                format!("/{pattern}▏"),
                theme.bar().add_modifier(Modifier::BOLD),
            ),
            Span::styled(
                text::pad(
                    "  Enter keep · Esc clear",
                    width.saturating_sub(text::width(&pattern) + 2),
                ),
                theme.bar(),
            ),
        ])
    } else if app.mode() == Mode::Query {
        let typed = sanitize(app.query_prompt()).into_owned();
        Line::from(vec![
            Span::styled(
                format!(":{typed}▏"),
                theme.bar().add_modifier(Modifier::BOLD),
            ),
            Span::styled(
                text::pad(
                    "  --class RE --type T --min-retained 1MB … · Enter run · Esc leave",
                    width.saturating_sub(text::width(&typed) + 2),
                ),
                theme.bar(),
            ),
        ])
    } else if let Some(message) = app.message() {
        Line::styled(
            text::pad(&format!(" {}", sanitize(message)), width),
            theme.message(),
        )
    } else {
        let series = app.series();
        let summary = match (app.view(), app.shown()) {
            (View::Trend, _) => format!(
                " {} classes · ↑ grew in every interval",
                series.map_or(0, |s| s.trend.rows.len())
            ),
            (View::Suspects, _) => match series {
                Some(s) if app.one_interval() => {
                    format!(" {} suspects · {ONE_INTERVAL}", s.suspects.rows.len())
                }
                Some(s) => format!(" {} suspects", s.suspects.rows.len()),
                None => format!(" … {ONE_INTERVAL}"),
            },
            (
                View::Containment
                | View::Dominators
                | View::Statistics
                | View::Query
                | View::Modules
                | View::Realms
                | View::Contexts,
                _,
            ) => object_status,
            (View::Paths, _) => paths_status(app),
            (_, Shown::Summary(t)) => match app.preset_label() {
                Some(preset) => format!("{} · {}", listing(t), sanitize(&preset)),
                None => listing(t),
            },
            (_, Shown::ById(t)) => listing(t),
            (_, Shown::ByClass(t)) => listing(t),
        };
        // The totals come first; the file names get what is left (at least a short stub).
        let files = files(app);
        let room = width.saturating_sub(2 + text::width(&files).min(16));
        let (left, _) = text::fit(&summary, room);
        let (files, _) = text::fit(&files, width.saturating_sub(text::width(&left) + 2));
        // A pair's first suspect gets the room the totals and the file names leave.
        let (suspect, _) = text::fit(
            &first_suspect(app),
            width.saturating_sub(text::width(&left) + text::width(&files) + 2),
        );
        let left = left + &suspect;
        let gap = width.saturating_sub(text::width(&left) + text::width(&files));
        Line::from(vec![
            Span::raw(left),
            Span::raw(" ".repeat(gap)),
            Span::raw(files),
        ])
    };
    frame.render_widget(Paragraph::new(line).style(theme.bar()), area);
}

/// ` N classes · X objects · size · filter “p”` (the header shows the sort order).
fn listing<R: ClassRow>(table: &ClassTable<R>) -> String {
    let mut out = format!(" {}", table.totals());
    if !table.pattern().is_empty() {
        out.push_str(&format!(" · filter “{}”", sanitize(table.pattern())));
    }
    out
}

/// ` · 4 suspects (4): cache holds 600 IncomingMessage (+600)`: a pair's first
/// suspect once computed, in the present crate's words; empty until then, and for a series
/// (its Suspects view opens first).
fn first_suspect(app: &App) -> String {
    let Some(list) = app.series().filter(|_| app.one_interval()) else {
        return String::new();
    };
    match list.suspects.rows.first() {
        Some(first) => format!(
            " · {} suspect{} (4): {}",
            list.suspects.rows.len(),
            if list.suspects.rows.len() == 1 {
                ""
            } else {
                "s"
            },
            sanitize(&wording::headline(first)),
        ),
        None => String::new(),
    }
}

/// ` 200 new objects · 3 shapes · Enter: an example's retainers · Esc: back`.
fn paths_status(app: &App) -> String {
    let Some(paths) = app.new_paths() else {
        return String::new();
    };
    let shapes = match paths.shapes().map(|s| s.document.shapes) {
        Some(1) => "1 shape".to_string(),
        Some(n) => format!("{n} shapes"),
        None => "… shapes".to_string(),
    };
    format!(
        " {} new objects · {shapes} · Enter: an example's retainers · Esc: back",
        heaptui_present::format::count(paths.objects() as u64)
    )
}

/// The file the Summary shows, `first → last` for the Comparison, or the series.
fn files(app: &App) -> String {
    let label = |i: usize| sanitize(&file_label(app.snapshots()[i].path())).into_owned();
    let last = app.snapshots().len() - 1;
    match app.view() {
        View::Comparison | View::Paths => format!("{} → {} ", label(0), label(last)),
        View::Trend | View::Suspects => {
            format!("{} snapshots: {} … {} ", last + 1, label(0), label(last))
        }
        View::Summary
        | View::Containment
        | View::Dominators
        | View::Statistics
        | View::Query
        | View::Modules
        | View::Realms
        | View::Contexts => {
            format!("{} ", label(app.summary_snapshot()))
        }
    }
}
