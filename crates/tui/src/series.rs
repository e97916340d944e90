//! The Trend and Suspects views: each a list of rows the library computed and its
//! [`Cursor`], taking the moving keys and `Enter` on a suspect ([`SeriesViews::update`]).
//! Rows are never recomputed or re-sorted here.

use super::cursor::{Cursor, Move};
use super::keys::Command;
use heaptui_leaks::suspects::Suspect;
use heaptui_leaks::trend::TrendRow;

/// A scrollable list with a cursor.
pub struct SeriesList<T> {
    /// The rows, in the order the library ranked them.
    pub rows: Vec<T>,
    cursor: Cursor,
}

impl<T> SeriesList<T> {
    /// The list of `rows`, cursor on the first.
    pub fn new(rows: Vec<T>) -> Self {
        SeriesList {
            rows,
            cursor: Cursor::default(),
        }
    }

    /// The selected row's position.
    pub fn cursor(&self) -> usize {
        self.cursor.at()
    }

    /// The first row drawn.
    pub fn offset(&self) -> usize {
        self.cursor.offset()
    }

    /// The selected row.
    pub fn selected(&self) -> Option<&T> {
        self.rows.get(self.cursor.at())
    }

    /// Moves the cursor (pages of `page` rows), clamped to the list.
    pub fn apply(&mut self, step: Move, page: usize) {
        self.cursor.apply(step, self.rows.len(), page);
    }

    /// Keeps the cursor within a window of `height` rows from the first row drawn.
    pub fn fit(&mut self, height: usize) {
        self.cursor.fit(height, self.rows.len());
    }
}

/// What a key did to the Trend and Suspects views.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// The list shown moved.
    Moved,
    /// `Enter` on a suspect: open its holder in the Summary.
    OpenHolder,
    /// The key is not for these views.
    NotHere,
}

/// The views over three or more snapshots.
pub struct SeriesViews {
    /// The Trend list.
    pub trend: SeriesList<TrendRow>,
    /// The Suspects list.
    pub suspects: SeriesList<Suspect>,
}

impl SeriesViews {
    /// The Trend and Suspects views of the library's rows, each cursor on its first row.
    pub fn new(trend: Vec<TrendRow>, suspects: Vec<Suspect>) -> SeriesViews {
        SeriesViews {
            trend: SeriesList::new(trend),
            suspects: SeriesList::new(suspects),
        }
    }

    /// Applies `command` to the Suspects list (`suspects`) or the Trend list, pages of `page`
    /// rows: the moving keys, and `Enter` on a suspect.
    pub fn update(&mut self, suspects: bool, command: Command, page: usize) -> Outcome {
        if let Some(step) = Move::of(command) {
            match suspects {
                true => self.suspects.apply(step, page),
                false => self.trend.apply(step, page),
            }
            return Outcome::Moved;
        }
        match command {
            Command::Expand if suspects => Outcome::OpenHolder,
            _ => Outcome::NotHere,
        }
    }
}
