//! Drawing: one module per part of the screen, each a `render` that only draws, into the
//! frame's [`Screen`] computed once by [`draw`] (the views fitted their cursors to the same
//! screen just before).

mod bar;
pub mod details;
mod help;
pub mod loading;
pub mod objects;
pub mod picker;
pub mod retainers;
pub mod statistics;
pub mod suspects;
pub mod table;
pub mod tree_view;
pub mod trend;

use crate::app::{App, Focus, Mode, Shown, View};
use crate::keys;
use crate::layout::Screen;
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

/// Draws the whole explorer into `frame`, at any size (a 1×1 terminal shows what fits).
fn render(app: &App, screen: &Screen, frame: &mut Frame) {
    let body = screen.body;
    bar::title(frame, screen.title, app);
    match (app.view(), app.series()) {
        (View::Trend, Some(s)) => trend::render(frame, body, &s.trend, app.theme()),
        (View::Suspects, Some(s)) => suspects::render(frame, body, &s.suspects, app.theme()),
        (View::Containment | View::Dominators, _) => tree_view::render(frame, screen, app),
        (View::Statistics, _) => {
            let complete = app.complete_snapshots();
            let shown = complete.map(|c| &c[app.summary_snapshot()]);
            statistics::render(frame, body, shown, app.theme())
        }
        _ => tables(app, frame, screen),
    }
    bar::status(frame, screen.status, app);
    let area = screen.area;
    match app.mode() {
        Mode::Help if app.help_page() == 0 => help::render_page(
            frame,
            area,
            app.theme(),
            keys::HELP,
            "any key closes this help · ? more keys (object views)",
        ),
        Mode::Help => help::render(frame, area, app.theme(), keys::VIEWS_HELP),
        Mode::Details => {
            if let Some(details) = app.details() {
                details::render(frame, area, details, app.theme());
            }
        }
        _ => {}
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
    retainers::render(frame, screen.pane, app);
}
