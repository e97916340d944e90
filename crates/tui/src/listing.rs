//! A list computed in the background (the modules, the realms, the dead closure variables):
//! its [`Pending`] job while it computes, then its value with a cursor. The views that list a
//! question's answer own one each; until the answer lands they draw `…` and the keys keep
//! working.

use super::cursor::{Cursor, Move};
use super::jobs::{Pending, Report};

/// An answer being computed, then listed with a cursor.
pub struct Listing<T> {
    pending: Pending<T>,
    value: Option<T>,
    /// The worker died: nothing will land.
    failed: bool,
    cursor: Cursor,
}

impl<T: Send + 'static> Listing<T> {
    /// Starts computing `work` on a thread of its own; `label` says what it computes.
    pub fn start(label: &str, work: impl FnOnce(Report) -> T + Send + 'static) -> Listing<T> {
        Listing {
            pending: Pending::start(label, work),
            value: None,
            failed: false,
            cursor: Cursor::default(),
        }
    }

    /// The answer, once computed.
    pub fn value(&self) -> Option<&T> {
        self.value.as_ref()
    }

    /// True when the computation died (the view says so instead of `…`).
    pub fn failed(&self) -> bool {
        self.failed
    }

    /// True while it computes.
    pub fn is_running(&self) -> bool {
        self.pending.is_running()
    }

    /// `label 40% 1.2 s` while it computes.
    pub fn progress(&self) -> Option<String> {
        self.pending.progress()
    }

    /// Takes in the answer once computed; returns whether it just landed.
    pub fn poll(&mut self) -> bool {
        let Some(result) = self.pending.poll() else {
            return false;
        };
        self.failed = result.is_none();
        self.value = result;
        true
    }

    /// The selected row.
    pub fn cursor(&self) -> usize {
        self.cursor.at()
    }

    /// The first row drawn.
    pub fn offset(&self) -> usize {
        self.cursor.offset()
    }

    /// Keeps the selection of `len` rows within a window of `height` rows.
    pub fn fit(&mut self, height: usize, len: usize) {
        self.cursor.fit(height, len);
    }

    /// Moves the selection of `len` rows (pages of `page` rows) when `step` is a move.
    pub fn apply(&mut self, step: Move, len: usize, page: usize) {
        self.cursor.apply(step, len, page.max(1));
    }
}
