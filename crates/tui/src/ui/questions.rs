//! The questions' views: the query's objects, memory by module, the heap by realm and the
//! closure variables no live closure can read, each a table of what the present crate
//! computed ([`list`]); and the popup of what releasing the query's objects frees, in the
//! words of `heaptui what-if`. Only drawing: the numbers come from the views' documents.

use super::list::{self, left, rest, right, Column, Table};
use crate::app::App;
use crate::query_view::QueryView;
use crate::questions::{ContextsView, ModulesView, RealmsView};
use crate::theme::Theme;
use crate::what_if::Release;
use heaptui_common::util::sanitize::sanitize;
use heaptui_present::documents::realms::{ranked_fields, scope_label, NO_SCOPE_TABLES};
use heaptui_present::format;
use heaptui_present::query::QuerySort;
use heaptui_present::release;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Clear, Paragraph, Wrap};
use ratatui::Frame;

/// What a list says while its answer computes.
const COMPUTING: &str = "  … computing (keys keep working)";
/// What a list says when its computation died.
const FAILED: &str = "  the answer could not be computed";
/// Characters of a script's name a scope's label keeps.
const SCRIPT_CHARS: usize = 40;

const QUERY_COLUMNS: [Column; 6] = [
    left("Id", 11),
    rest("Class"),
    rest("Name"),
    right("Dist", 4),
    right("Self", 9),
    right("Retained", 9),
];

/// `retained ↓` for the heading: the order shown.
fn sort_words(query: &QueryView) -> String {
    let (sort, reverse) = query.sort();
    let name = match sort {
        QuerySort::Retained => "retained",
        QuerySort::SelfSize => "self",
        QuerySort::Distance => "distance",
        QuerySort::Id => "id",
    };
    format!(
        "sorted by {name}{}",
        if reverse { " (reversed)" } else { "" }
    )
}

/// The query's objects (the retainer pane is drawn below by the caller).
pub fn render_query(
    frame: &mut Frame,
    area: Rect,
    query: &QueryView,
    theme: &Theme,
    focused: bool,
) {
    let (heading, empty) = match query.answer() {
        None => (format!("  Query “{}”", query.text), COMPUTING.to_string()),
        Some(Err(e)) => (format!("  Query “{}”", query.text), format!("  {e}")),
        Some(Ok(answer)) => {
            let d = &answer.document;
            (
                format!(
                    "  {} objects · self {} · retained {} · {} · “{}”",
                    format::count(d.count as u64),
                    format::bytes(d.self_size),
                    format::bytes(d.retained_size),
                    sort_words(query),
                    query.text
                ),
                "  no object passes these filters".to_string(),
            )
        }
    };
    let (shown, selected) = list::window(
        area.height,
        query.nodes().len(),
        query.offset(),
        query.cursor(),
    );
    let rows = shown
        .filter_map(|at| query.object(at))
        .map(|o| {
            vec![
                format!("@{}", o.id),
                o.class_name,
                o.name,
                o.distance.map_or("−".to_string(), |d| d.to_string()),
                format::bytes(o.self_size),
                format::bytes(o.retained_size),
            ]
        })
        .collect();
    let table = Table {
        heading,
        columns: &QUERY_COLUMNS,
        rows,
        selected,
        empty,
        focused,
    };
    list::render(frame, area, &table, theme);
}

const MODULE_COLUMNS: [Column; 5] = [
    rest("Module"),
    right("Retained", 9),
    right("%", 6),
    right("Objects", 9),
    left("Dup", 3),
];

/// Memory by module.
pub fn render_modules(frame: &mut Frame, area: Rect, view: &ModulesView, theme: &Theme) {
    let doc = view.listing.value();
    let heading = match doc {
        Some(d) => format!(
            "  Memory by module: total {}, {} not under any module's code",
            format::bytes(d.total_size),
            format::bytes(d.unattributed_size)
        ),
        None => "  Memory by module".to_string(),
    };
    let (shown, selected) = list::window(
        area.height,
        view.len(),
        view.listing.offset(),
        view.listing.cursor(),
    );
    let rows = doc.map_or_else(Vec::new, |d| {
        d.modules[shown]
            .iter()
            .map(|m| {
                vec![
                    heaptui_present::modules::label(m),
                    format::bytes(m.retained_size),
                    format!("{:.1}%", m.percent),
                    format::count(m.objects),
                    if m.duplicated { "yes" } else { "" }.to_string(),
                ]
            })
            .collect()
    });
    let table = Table {
        heading,
        columns: &MODULE_COLUMNS,
        rows,
        selected,
        empty: empty(
            view.listing.is_running(),
            view.listing.failed(),
            "no module",
        ),
        focused: true,
    };
    list::render(frame, area, &table, theme);
}

/// What an empty list says: computing, failed, or `none`.
fn empty(running: bool, failed: bool, none: &str) -> String {
    match (running, failed) {
        (true, _) => COMPUTING.to_string(),
        (_, true) => FAILED.to_string(),
        _ => format!("  {none}"),
    }
}

const REALM_COLUMNS: [Column; 4] = [
    right("Attributed", 10),
    left("Filter", 22),
    left("Id", 10),
    rest("Realm"),
];

/// The heap by realm.
pub fn render_realms(frame: &mut Frame, area: Rect, view: &RealmsView, theme: &Theme) {
    let realms = view.rows();
    let heading = match view.listing.value() {
        Some(d) => format!(
            "  Realms: {} native contexts · Enter: the Summary of a realm's objects",
            d.native_contexts.len()
        ),
        None => "  Realms (native contexts)".to_string(),
    };
    let (shown, selected) = list::window(
        area.height,
        realms.len(),
        view.listing.offset(),
        view.listing.cursor(),
    );
    let rows = realms[shown]
        .iter()
        .map(|r| {
            vec![
                format::bytes(r.attributed_size),
                r.filter.clone(),
                r.node_id.map_or_else(String::new, |id| format!("@{id}")),
                r.name.clone(),
            ]
        })
        .collect();
    let table = Table {
        heading,
        columns: &REALM_COLUMNS,
        rows,
        selected,
        empty: empty(view.listing.is_running(), view.listing.failed(), "no realm"),
        focused: true,
    };
    list::render(frame, area, &table, theme);
}

const CONTEXT_COLUMNS: [Column; 5] = [
    right("Retained", 9),
    left("Variable", 14),
    rest("Value"),
    left("Context", 10),
    rest("Scope"),
];

/// The closure variables no live closure can read, what each keeps alive first.
pub fn render_contexts(frame: &mut Frame, area: Rect, view: &ContextsView, theme: &Theme) {
    let doc = view.listing.value();
    if let Some(d) = doc.filter(|d| !d.has_scope_tables) {
        let lines = vec![
            Line::styled(
                "  Closure variables no live closure can read",
                theme.header(),
            ),
            Line::raw(format!("  {}", sanitize(NO_SCOPE_TABLES))),
        ];
        debug_assert!(!d.has_scope_tables);
        frame.render_widget(Paragraph::new(lines).wrap(Wrap { trim: false }), area);
        return;
    }
    let fields = doc.map(ranked_fields).unwrap_or_default();
    let heading = match doc {
        Some(d) => format!(
            "  {} closure variables no live closure can read, in {} scopes",
            format::count(fields.len() as u64),
            d.scope_count
        ),
        None => "  Closure variables no live closure can read".to_string(),
    };
    let (shown, selected) = list::window(
        area.height,
        fields.len(),
        view.listing.offset(),
        view.listing.cursor(),
    );
    let rows = fields[shown]
        .iter()
        .map(|r| {
            vec![
                format::bytes(r.field.retained_size),
                r.field.name.clone(),
                format!("{} @{}", r.field.value_name, r.field.value_node_id),
                format!("@{}", r.context.context_node_id),
                scope_label(r.scope, SCRIPT_CHARS),
            ]
        })
        .collect();
    let table = Table {
        heading,
        columns: &CONTEXT_COLUMNS,
        rows,
        selected,
        empty: empty(
            view.listing.is_running(),
            view.listing.failed(),
            "every closure variable is read by a live closure",
        ),
        focused: true,
    };
    list::render(frame, area, &table, theme);
}

/// The popup of what releasing the query's objects frees, over `area`.
pub fn render_release(frame: &mut Frame, area: Rect, release: &Release, theme: &Theme) {
    let popup = crate::layout::details_popup(area);
    let block = Block::bordered()
        .title(Span::styled(" What releasing them frees ", theme.header()))
        .border_style(theme.border(true));
    let mut lines: Vec<Line> = match release.document() {
        None if release.is_running() => vec![Line::raw(format!(
            "… releasing {} objects (keys keep working)",
            format::count(release.released as u64)
        ))],
        None => vec![Line::raw(FAILED.trim_start().to_string())],
        Some(doc) => {
            let mut lines: Vec<Line> = release::lines(doc).into_iter().map(Line::raw).collect();
            lines.push(Line::styled("the largest of them:", theme.header()));
            for o in &doc.members {
                lines.push(Line::raw(format!(
                    "@{} {} {} retained",
                    o.id,
                    sanitize(&format::truncate(&o.class_name, 40)),
                    format::bytes(o.retained_size)
                )));
            }
            if doc.more > 0 {
                lines.push(Line::raw(format!(
                    "… {} more",
                    format::count(doc.more as u64)
                )));
            }
            lines
        }
    };
    lines.push(Line::styled("any key closes", theme.dim()));
    frame.render_widget(Clear, popup);
    frame.render_widget(
        Paragraph::new(lines)
            .block(block)
            .wrap(Wrap { trim: false }),
        popup,
    );
}

/// The status line of a question's view.
pub fn status(app: &App) -> String {
    use crate::app::View;
    match app.view() {
        View::Query => {
            match app.query_view() {
                Some(q) => format!(
                " {} objects · Enter retainers · W what releasing them frees · s sort · Esc back",
                q.answer()
                    .and_then(|a| a.as_ref().ok())
                    .map_or("…".to_string(), |a| format::count(a.document.count as u64))
            ),
                None => String::new(),
            }
        }
        View::Modules => " Enter: a module's scripts and source · Esc back".to_string(),
        View::Realms => " Enter: the Summary of the realm's objects · Esc back".to_string(),
        View::Contexts => " Enter: the context's contents · Esc back".to_string(),
        _ => String::new(),
    }
}
