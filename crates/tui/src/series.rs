//! The state of the Trend and Suspects views: a list of rows the library computed, a cursor
//! and a scroll offset. Rows are never recomputed or re-sorted here.

/// A scrollable list with a cursor.
pub struct SeriesList<T> {
    /// The rows, in the order the library ranked them.
    pub rows: Vec<T>,
    cursor: usize,
    /// First row drawn; the layout step keeps the cursor in view.
    pub offset: usize,
}

impl<T> SeriesList<T> {
    /// The list of `rows`, cursor on the first.
    pub fn new(rows: Vec<T>) -> Self {
        SeriesList {
            rows,
            cursor: 0,
            offset: 0,
        }
    }

    /// The selected row's position.
    pub fn cursor(&self) -> usize {
        self.cursor
    }

    /// Moves the cursor by `delta` rows, clamped to the list.
    pub fn move_by(&mut self, delta: isize) {
        let last = self.rows.len().saturating_sub(1);
        self.cursor = self.cursor.saturating_add_signed(delta).min(last);
    }

    /// Moves the cursor to the first row.
    pub fn to_top(&mut self) {
        self.cursor = 0;
    }

    /// Moves the cursor to the last row.
    pub fn to_bottom(&mut self) {
        self.cursor = self.rows.len().saturating_sub(1);
    }

    /// Adjusts [`SeriesList::offset`] so the cursor is within `height` rows from it.
    pub fn scroll_into_view(&mut self, height: usize) {
        self.offset =
            super::scroll::offset_showing(self.cursor, self.offset, height, self.rows.len());
    }
}
