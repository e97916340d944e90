//! Keeping a cursor in view: the one scrolling rule every list and tree of the TUI follows.

/// The first row to show so that row `cursor` of `len` is within a window of `height` rows,
/// moving the window from `offset` as little as possible (unchanged when `height` is 0).
pub fn offset_showing(cursor: usize, offset: usize, height: usize, len: usize) -> usize {
    if height == 0 {
        return offset;
    }
    let offset = if cursor < offset {
        cursor
    } else if cursor >= offset + height {
        cursor + 1 - height
    } else {
        offset
    };
    offset.min(len.saturating_sub(height))
}
