//! The one cursor of the TUI: the selected row of a list, table or tree and the first row
//! drawn. Every view moves and scrolls through it, so the moving keys mean the same
//! everywhere and the scrolling rule is written once.

use super::keys::Command;

/// A move of the selection, as the moving keys ask for it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Move {
    /// By this many rows (negative: up).
    By(isize),
    /// By this many pages (negative: up).
    Pages(isize),
    /// To the first row.
    Top,
    /// To the last row.
    Bottom,
}

impl Move {
    /// The move a command asks for, if it is a moving key.
    pub fn of(command: Command) -> Option<Move> {
        Some(match command {
            Command::Up => Move::By(-1),
            Command::Down => Move::By(1),
            Command::PageUp => Move::Pages(-1),
            Command::PageDown => Move::Pages(1),
            Command::Top => Move::Top,
            Command::Bottom => Move::Bottom,
            _ => return None,
        })
    }
}

/// The selected row of `len` rows and the first row drawn.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Cursor {
    at: usize,
    offset: usize,
}

impl Cursor {
    /// The selected row.
    pub fn at(&self) -> usize {
        self.at
    }

    /// The first row drawn.
    pub fn offset(&self) -> usize {
        self.offset
    }

    /// Selects row `at` (the caller knows it exists).
    pub fn select(&mut self, at: usize) {
        self.at = at;
    }

    /// Applies `step` to a list of `len` rows shown `page` rows at a time, clamped to it.
    pub fn apply(&mut self, step: Move, len: usize, page: usize) {
        let last = len.saturating_sub(1);
        self.at = match step {
            Move::By(delta) => self.at.saturating_add_signed(delta).min(last),
            Move::Pages(pages) => self
                .at
                .saturating_add_signed(pages.saturating_mul(page.max(1) as isize))
                .min(last),
            Move::Top => 0,
            Move::Bottom => last,
        };
    }

    /// Moves by `delta` rows within `len`.
    pub fn move_by(&mut self, delta: isize, len: usize) {
        self.apply(Move::By(delta), len, 1);
    }

    /// Keeps the selection within `len` rows.
    pub fn clamp(&mut self, len: usize) {
        self.at = self.at.min(len.saturating_sub(1));
    }

    /// Lays the list out in a window of `height` rows: the first row drawn moves as little as
    /// possible to show the selection (it stays when `height` is 0).
    pub fn fit(&mut self, height: usize, len: usize) {
        if height == 0 {
            return;
        }
        let offset = if self.at < self.offset {
            self.at
        } else if self.at >= self.offset + height {
            self.at + 1 - height
        } else {
            self.offset
        };
        self.offset = offset.min(len.saturating_sub(height));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn moves_clamp_and_the_window_follows() {
        let mut c = Cursor::default();
        c.apply(Move::By(5), 10, 3);
        c.fit(3, 10);
        assert_eq!((c.at(), c.offset()), (5, 3));
        c.apply(Move::Pages(-1), 10, 3);
        c.fit(3, 10);
        assert_eq!((c.at(), c.offset()), (2, 2));
        c.apply(Move::Bottom, 10, 3);
        c.apply(Move::By(4), 10, 3);
        c.fit(3, 10);
        assert_eq!((c.at(), c.offset()), (9, 7));
        c.apply(Move::Top, 10, 3);
        c.fit(0, 10);
        assert_eq!((c.at(), c.offset()), (0, 7), "no window: the offset stays");
    }
}
