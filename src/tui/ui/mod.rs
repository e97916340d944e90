//! Drawing: one module per part of the screen. Render functions read the app's state and draw;
//! the only state they write is the view's (scroll offsets and page heights), as ratatui's
//! stateful widgets do.

mod bar;
mod help;
pub mod loading;
pub mod picker;
mod retainers;
mod suspects;
mod table;
mod trend;

use super::app::{App, Focus, View};
use super::keys;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::Frame;

/// Draws the whole explorer into `frame`, at any size (a 1×1 terminal shows what fits).
pub fn render(app: &mut App, frame: &mut Frame) {
    let area = frame.area();
    let [title, body, status] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Min(0),
        Constraint::Length(1),
    ])
    .areas(area);
    bar::title(frame, title, app);
    let theme = app.theme;
    match (app.view, &mut app.trend, &mut app.suspects) {
        (View::Trend, Some(list), _) => app.pages.0 = trend::render(frame, body, list, &theme),
        (View::Suspects, _, Some(list)) => {
            app.pages.0 = suspects::render(frame, body, list, &theme)
        }
        _ => tables(app, frame, body),
    }
    bar::status(frame, status, app);
    if app.help {
        help::render(frame, area, &app.theme, keys::HELP);
    }
}

/// A class table (Summary or Comparison) and the retainer pane in `body`.
fn tables(app: &mut App, frame: &mut Frame, body: Rect) {
    let (table_area, pane_area) = split(body, app.focus);
    let focused = app.focus == Focus::Table;
    let theme = app.theme;
    let page = match (app.view, &mut app.comparison, &mut app.class_comparison) {
        (View::Comparison, Some(t), _) => {
            table::render(frame, table_area, t, &app.snapshots, &theme, focused)
        }
        (View::Comparison, _, Some(t)) => {
            table::render(frame, table_area, t, &app.snapshots, &theme, focused)
        }
        _ => table::render(
            frame,
            table_area,
            &mut app.summaries[app.summary_snapshot],
            &app.snapshots,
            &theme,
            focused,
        ),
    };
    let tree_page = retainers::render(frame, pane_area, app);
    app.pages = (page, tree_page);
}

/// The table above, the retainer pane below; the focused one gets the larger share, and on a
/// short terminal only the focused one is drawn.
fn split(body: Rect, focus: Focus) -> (Rect, Rect) {
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
