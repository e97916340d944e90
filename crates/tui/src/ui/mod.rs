//! Drawing: one module per part of the screen. Each view's module has a `fit` that moves its
//! scroll position to the frame's size (called through [`super::app::App::layout`] before a
//! frame) and a `render` that only draws from `&App`.

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

use super::app::{App, Focus, Shown, View};
use super::keys;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::Frame;

/// Lays the app out for `frame` and draws it: the one call the event loop makes per frame.
pub fn draw(app: &mut App, frame: &mut Frame) {
    app.layout(frame.area());
    render(app, frame);
}

/// Draws the whole explorer into `frame`, at any size (a 1×1 terminal shows what fits).
pub fn render(app: &App, frame: &mut Frame) {
    let area = frame.area();
    let [title, body, status] = rows(area);
    bar::title(frame, title, app);
    match (app.view(), app.series()) {
        (View::Trend, Some(s)) => trend::render(frame, body, &s.trend, app.theme()),
        (View::Suspects, Some(s)) => suspects::render(frame, body, &s.suspects, app.theme()),
        (View::Containment | View::Dominators, _) => tree_view::render(frame, body, app),
        (View::Statistics, _) => {
            let complete = app.complete_snapshots();
            let shown = complete.map(|c| &c[app.summary_snapshot()]);
            statistics::render(frame, body, shown, app.theme())
        }
        _ => tables(app, frame, body),
    }
    bar::status(frame, status, app);
    match app.mode() {
        super::app::Mode::Help if app.help_page() == 0 => help::render_page(
            frame,
            area,
            app.theme(),
            keys::HELP,
            "any key closes this help · ? more keys (object views)",
        ),
        super::app::Mode::Help => help::render(frame, area, app.theme(), keys::VIEWS_HELP),
        super::app::Mode::Details => {
            if let Some(details) = app.details() {
                details::render(frame, area, details, app.theme());
            }
        }
        _ => {}
    }
}

/// The title bar, the body and the status bar.
fn rows(area: Rect) -> [Rect; 3] {
    Layout::vertical([
        Constraint::Length(1),
        Constraint::Min(0),
        Constraint::Length(1),
    ])
    .areas(area)
}

/// The part of the screen between the title and the status bar.
pub fn body(area: Rect) -> Rect {
    rows(area)[1]
}

/// A class table (Summary or Comparison) and the retainer pane in `body`.
fn tables(app: &App, frame: &mut Frame, body: Rect) {
    let (table_area, pane_area) = split(body, app.focus());
    let focused = app.focus() == Focus::Table;
    let (loaded, theme) = (app.loaded(), app.theme());
    match app.shown() {
        Shown::Summary(t) => table::render(frame, table_area, t, loaded, theme, focused),
        Shown::ById(t) => table::render(frame, table_area, t, loaded, theme, focused),
        Shown::ByClass(t) => table::render(frame, table_area, t, loaded, theme, focused),
    }
    retainers::render(frame, pane_area, app);
}

/// The table above, the retainer pane below; the focused one gets the larger share, and on a
/// short terminal only the focused one is drawn.
pub fn split(body: Rect, focus: Focus) -> (Rect, Rect) {
    if body.height < 10 {
        let empty = Rect { height: 0, ..body };
        return match focus {
            Focus::Table => (body, empty),
            Focus::Retainers => (empty, body),
        };
    }
    let pane = match focus {
        Focus::Table => body.height * 2 / 5,
        Focus::Retainers => body.height * 2 / 3,
    };
    let [top, bottom] =
        Layout::vertical([Constraint::Min(0), Constraint::Length(pane)]).areas(body);
    (top, bottom)
}

/// A `width` × `height` rectangle in the middle of `area` (both must fit in it).
fn centered(area: Rect, width: u16, height: u16) -> Rect {
    Rect {
        x: area.x + (area.width - width) / 2,
        y: area.y + (area.height - height) / 2,
        width,
        height,
    }
}
