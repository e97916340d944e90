//! Drawing: one module per part of the screen, each a `render` that only draws, into the
//! frame's [`Screen`] computed once by [`draw`] (the views fitted their cursors to the same
//! screen just before).

mod bar;
pub mod details;
mod help;
pub mod list;
pub mod loading;
pub mod new_paths;
pub mod objects;
pub mod picker;
pub mod questions;
pub mod retainers;
pub mod statistics;
pub mod suspects;
pub mod table;
pub mod tree_view;
pub mod trend;

use crate::app::{App, Focus, Mode, Shown, View};
use crate::keys;
use crate::layout::Screen;
use crate::object_views::Kind;
use heaptui_engine::Snapshot;
use ratatui::layout::Rect;
use ratatui::Frame;

/// Lays the app out for `frame` and draws it: the one call the event loop makes per frame.
/// The frame's [`Screen`] is computed once, for the views to fit their cursors to and to draw
/// into.
pub fn draw(app: &mut App, frame: &mut Frame) {
    let screen = Screen::of(frame.area(), app.focus());
    app.layout(&screen);
    render(app, &screen, frame);
}

/// Draws the whole explorer into `frame`, at any size (a 1×1 terminal shows what fits): each
/// view from its own state and what the drawing shares (the theme, the focus).
fn render(app: &App, screen: &Screen, frame: &mut Frame) {
    let body = screen.body;
    bar::title(frame, screen.title, app);
    match (app.view(), app.series()) {
        (View::Trend, Some(s)) => trend::render(frame, body, &s.trend, app.theme()),
        (View::Suspects, Some(s)) => {
            suspects::render(frame, body, &s.suspects, app.theme(), app.one_interval())
        }
        (View::Suspects, None) => suspects::pending(frame, body, app.theme()),
        (View::Paths, _) => {
            if let Some(paths) = app.new_paths() {
                new_paths::render(frame, body, paths, app.theme());
            }
        }
        (View::Containment | View::Dominators, _) => {
            if let Some(shown) = object_view(app) {
                tree_view::render(frame, screen.upper, &shown);
            }
            retainers::render(frame, screen.pane, &pane(app));
        }
        (View::Statistics, _) => {
            statistics::render(frame, body, statistics_snapshot(app), app.theme())
        }
        (View::Query | View::Modules | View::Realms | View::Contexts, _) => {
            question(app, frame, screen)
        }
        _ => tables(app, frame, screen),
    }
    let object_status = match app.view() {
        View::Statistics => statistics::status(statistics_snapshot(app)),
        View::Query | View::Modules | View::Realms | View::Contexts => questions::status(app),
        _ => object_view(app).map_or_else(String::new, |v| tree_view::status(&v)),
    };
    bar::status(frame, screen.status, app, object_status);
    let area = screen.area;
    match app.mode() {
        Mode::Help if app.help_page() == 0 => help::render_page(
            frame,
            area,
            app.theme(),
            keys::HELP,
            "any key closes this help · ? more keys (object views)",
        ),
        Mode::Help if app.help_page() == 1 => help::render_page(
            frame,
            area,
            app.theme(),
            keys::VIEWS_HELP,
            "any key closes this help · ? more keys (a pair)",
        ),
        Mode::Help if app.help_page() == 2 => help::render_page(
            frame,
            area,
            app.theme(),
            keys::PAIR_HELP,
            "any key closes this help · ? more keys (questions)",
        ),
        Mode::Help => help::render(frame, area, app.theme(), keys::QUESTIONS_HELP),
        Mode::WhatIf => {
            if let Some(release) = app.release() {
                questions::render_release(frame, area, release, app.theme());
            }
        }
        Mode::Details => {
            if let Some(details) = app.details() {
                details::render(frame, area, details, app.theme());
            }
        }
        _ => {}
    }
}

/// A question's view: the query's objects over the retainer pane, or a list.
fn question(app: &App, frame: &mut Frame, screen: &Screen) {
    let theme = app.theme();
    match app.view() {
        View::Query => {
            if let Some(q) = app.query_view() {
                let focused = app.focus() == Focus::Table;
                questions::render_query(frame, screen.upper, q, theme, focused);
            }
            retainers::render(frame, screen.pane, &pane(app));
        }
        View::Modules => {
            if let Some(v) = app.modules_view() {
                questions::render_modules(frame, screen.body, v, theme);
            }
        }
        View::Realms => {
            if let Some(v) = app.realms_view() {
                questions::render_realms(frame, screen.body, v, theme);
            }
        }
        _ => {
            if let Some(v) = app.contexts_view() {
                questions::render_contexts(frame, screen.body, v, theme);
            }
        }
    }
}

/// A class table (Summary or Comparison) and the retainer pane.
fn tables(app: &App, frame: &mut Frame, screen: &Screen) {
    let table_area: Rect = screen.upper;
    let focused = app.focus() == Focus::Table;
    let (loaded, theme) = (app.loaded(), app.theme());
    match app.shown() {
        Shown::Summary(t) => table::render(frame, table_area, t, loaded, theme, focused),
        Shown::ById(t) => table::render(frame, table_area, t, loaded, theme, focused),
        Shown::ByClass(t) => table::render(frame, table_area, t, loaded, theme, focused),
    }
    retainers::render(frame, screen.pane, &pane(app));
}

/// The object view shown (Containment or Dominators) as its drawing takes it.
fn object_view(app: &App) -> Option<tree_view::Shown<'_>> {
    let kind = match app.view() {
        View::Containment => Kind::Containment,
        View::Dominators => Kind::Dominators,
        _ => return None,
    };
    Some(tree_view::Shown {
        kind,
        tree: app.object_tree(),
        complete: app.complete_snapshots(),
        theme: app.theme(),
        focused: app.focus() == Focus::Table,
        all_edges: app.shows_hidden_edges(),
    })
}

/// The snapshot the Statistics view shows, once complete.
fn statistics_snapshot(app: &App) -> Option<&Snapshot> {
    app.complete_snapshots().map(|c| &c[app.summary_snapshot()])
}

/// The retainer pane as its drawing takes it, with what it says while it has no tree.
fn pane(app: &App) -> retainers::Pane<'_> {
    let hint = if app.view() == View::Comparison && app.compares_by_class() {
        retainers::BY_CLASS
    } else if app.selected_instance().is_some() {
        retainers::COMPUTING
    } else {
        retainers::SELECT
    };
    retainers::Pane {
        tree: app.retainers(),
        complete: app.complete_snapshots(),
        theme: app.theme(),
        focused: app.focus() == Focus::Retainers,
        names_file: app.snapshots().len() == 2,
        hint,
        class: app.selected_class_name(),
    }
}
