//! The query view (`:`): the objects a typed query chooses, with the flags of `heaptui
//! query` ([`heaptui_present::query_line`]), one row per object (id, class, name, distance,
//! self and retained size) sortable as the query's `--sort`. The selection is computed by the
//! present crate in the background (`…` meanwhile); the selected object's retainers fill the
//! pane below, and `W` asks what releasing all of them would free.

use super::cursor::{Cursor, Move};
use super::jobs::Pending;
use super::keys::Command;
use heaptui_common::error::Result;
use heaptui_engine::Snapshot;
use heaptui_present::query::{self, Query, QueryObject, QuerySort, Scope};
use heaptui_present::query_line::QueryLine;

/// The orders `s` steps through, as `--sort` names them.
const SORTS: [QuerySort; 4] = [
    QuerySort::Retained,
    QuerySort::SelfSize,
    QuerySort::Distance,
    QuerySort::Id,
];

/// What a query chose: its objects in their order and the document of `heaptui query`
/// (counts and sizes, the filters in words; no objects listed in it).
pub struct Answer {
    /// The chosen objects (nodes), in the shown order.
    pub nodes: Vec<u32>,
    /// Count, self size, retained size once, filters in words.
    pub document: Query,
}

/// What a key did to the query view.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// It moved or sorted (or there is nothing yet).
    Done,
    /// `Enter`: look at the selected object's retainers.
    Open,
    /// `W`: what releasing the chosen objects would free.
    WhatIf,
    /// `Esc` or `←`: back to the Summary.
    Back,
    /// The key is not the view's.
    NotMine,
}

/// One query's objects on one snapshot.
pub struct QueryView {
    /// The snapshot queried.
    pub snapshot: usize,
    /// The query as typed.
    pub text: String,
    handle: Snapshot,
    pending: Pending<Result<Answer>>,
    answer: Option<Result<Answer>>,
    sort: QuerySort,
    reverse: bool,
    cursor: Cursor,
}

impl QueryView {
    /// Starts selecting the objects of `snapshot` (snapshot `at`) that `line` chooses
    /// (`text` as typed), reachable from `from` when given, new since `base` when given.
    pub fn start(
        at: usize,
        snapshot: Snapshot,
        base: Option<Snapshot>,
        from: Option<u32>,
        text: String,
        line: QueryLine,
    ) -> QueryView {
        let handle = snapshot.clone();
        let sort = line.sort;
        let pending = Pending::start("query", move |_| {
            let filters = line.filters.filters()?;
            let scope = Scope {
                new_since: base.as_ref(),
                from,
            };
            let mut nodes = query::select(&snapshot, &filters, scope)?;
            let document = Query::new(&snapshot, &filters, scope, &nodes, 0);
            query::sort(&snapshot, &mut nodes, sort);
            Ok(Answer { nodes, document })
        });
        QueryView {
            snapshot: at,
            text,
            handle,
            pending,
            answer: None,
            sort,
            reverse: false,
            cursor: Cursor::default(),
        }
    }

    /// The answer once computed: the objects, or why the query failed.
    pub fn answer(&self) -> Option<&Result<Answer>> {
        self.answer.as_ref()
    }

    /// The chosen objects once computed.
    pub fn nodes(&self) -> &[u32] {
        match &self.answer {
            Some(Ok(a)) => &a.nodes,
            _ => &[],
        }
    }

    /// The object on row `at`, as `heaptui query` lists it.
    pub fn object(&self, at: usize) -> Option<QueryObject> {
        self.nodes()
            .get(at)
            .map(|&n| QueryObject::of(&self.handle, n))
    }

    /// The selected object (a node), once computed.
    pub fn selected(&self) -> Option<u32> {
        self.nodes().get(self.cursor.at()).copied()
    }

    /// The snapshot queried.
    pub fn handle(&self) -> &Snapshot {
        &self.handle
    }

    /// The order shown and whether it is reversed.
    pub fn sort(&self) -> (QuerySort, bool) {
        (self.sort, self.reverse)
    }

    /// True while the query runs.
    pub fn is_running(&self) -> bool {
        self.pending.is_running()
    }

    /// `query… 1.2 s` while it runs.
    pub fn progress(&self) -> Option<String> {
        self.pending.progress()
    }

    /// Takes in the answer once computed; returns whether it just landed.
    pub fn poll(&mut self) -> bool {
        let Some(result) = self.pending.poll() else {
            return false;
        };
        self.answer = Some(result.unwrap_or_else(|| {
            Err(heaptui_common::error::Error::usage(
                "the query stopped unexpectedly",
            ))
        }));
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

    /// Keeps the selection within a window of `height` rows.
    pub fn fit(&mut self, height: usize) {
        let len = self.nodes().len();
        self.cursor.fit(height, len);
    }

    /// Applies a key's `command` (pages of `page` rows).
    pub fn update(&mut self, command: Command, page: usize) -> Outcome {
        if let Some(step) = Move::of(command) {
            let len = self.nodes().len();
            self.cursor.apply(step, len, page.max(1));
            return Outcome::Done;
        }
        match command {
            Command::Expand => Outcome::Open,
            Command::WhatIf => Outcome::WhatIf,
            Command::Back | Command::Collapse => Outcome::Back,
            Command::NextSort => {
                let next = SORTS
                    .iter()
                    .position(|&s| s == self.sort)
                    .map_or(0, |i| i + 1);
                self.resort(SORTS[next % SORTS.len()], false);
                Outcome::Done
            }
            Command::ReverseSort => {
                self.resort(self.sort, !self.reverse);
                Outcome::Done
            }
            Command::SortByRetained => {
                let reverse = self.sort == QuerySort::Retained && !self.reverse;
                self.resort(QuerySort::Retained, reverse);
                Outcome::Done
            }
            _ => Outcome::NotMine,
        }
    }

    /// Puts the objects in `sort`'s order (reversed or not), the same object selected.
    fn resort(&mut self, sort: QuerySort, reverse: bool) {
        let selected = self.selected();
        self.sort = sort;
        self.reverse = reverse;
        let Some(Ok(answer)) = &mut self.answer else {
            return;
        };
        query::sort(&self.handle, &mut answer.nodes, sort);
        if reverse {
            answer.nodes.reverse();
        }
        let at = selected.and_then(|s| answer.nodes.iter().position(|&n| n == s));
        self.cursor.select(at.unwrap_or(0));
    }
}
