//! Where each part of the explorer goes on a frame. The event loop computes a [`Screen`] once
//! per frame; the views fit their cursors to it, then draw into the same rectangles.

use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::widgets::Block;

/// The pane keys act on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Focus {
    /// The class table (or the object view's tree).
    Table,
    /// The retainer tree.
    Retainers,
}

/// The Suspects list's share of the view: a third, so the selected suspect has the rest.
const SUSPECTS_SHARE: usize = 3;
/// Lines the Suspects list keeps however short the view (when it has them).
const SUSPECTS_MIN: usize = 3;
/// The details popup's widest text, so lines stay readable on wide terminals.
const DETAILS_MAX_WIDTH: u16 = 100;

/// The parts of one frame.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Screen {
    /// The whole frame (popups go over it).
    pub area: Rect,
    /// The title bar.
    pub title: Rect,
    /// Between the bars: the view shown.
    pub body: Rect,
    /// The status bar.
    pub status: Rect,
    /// The table or tree above the retainer pane.
    pub upper: Rect,
    /// The retainer pane.
    pub pane: Rect,
}

impl Screen {
    /// The parts of a frame of `area`, the pane sized for `focus`.
    pub fn of(area: Rect, focus: Focus) -> Screen {
        let [title, body, status] = Layout::vertical([
            Constraint::Length(1),
            Constraint::Min(0),
            Constraint::Length(1),
        ])
        .areas(area);
        let (upper, pane) = split(body, focus);
        Screen {
            area,
            title,
            body,
            status,
            upper,
            pane,
        }
    }
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

/// The rows a list under a one-line header shows in `area` (its page height).
pub fn rows_under_header(area: Rect) -> usize {
    if area.height == 0 || area.width == 0 {
        return 0;
    }
    area.height as usize - 1
}

/// The retainer rows the pane shows in `area` when an object is selected (`has_tree`): all
/// but the border and the object's line.
pub fn pane_rows(area: Rect, has_tree: bool) -> usize {
    if area.height == 0 || area.width == 0 || !has_tree {
        return 0;
    }
    (area.height as usize).saturating_sub(2)
}

/// How many of `suspects` the Suspects list shows in a body of `height` lines (after its
/// heading).
pub fn suspects_rows(height: usize, suspects: usize) -> usize {
    let room = height.saturating_sub(1);
    suspects
        .min((room / SUSPECTS_SHARE).max(SUSPECTS_MIN))
        .min(room)
}

/// The details popup's place in `area`: most of it, centred.
pub fn details_popup(area: Rect) -> Rect {
    let width = area
        .width
        .saturating_sub(4)
        .clamp(area.width.min(20), DETAILS_MAX_WIDTH);
    let height = area.height.saturating_sub(2).max(area.height.min(3));
    centered(area, width, height)
}

/// The text inside the details popup's border: its width and the lines above its footer.
pub fn details_text(area: Rect) -> (usize, usize) {
    let inner = Block::bordered().inner(details_popup(area));
    (
        inner.width as usize,
        (inner.height as usize).saturating_sub(1),
    )
}

/// A `width` × `height` rectangle in the middle of `area` (both must fit in it).
pub fn centered(area: Rect, width: u16, height: u16) -> Rect {
    Rect {
        x: area.x + (area.width - width) / 2,
        y: area.y + (area.height - height) / 2,
        width,
        height,
    }
}
