//! The app's part of "where are a class's new objects held" (`w` on a Comparison class row):
//! it hands the class's new objects to the [`NewPaths`] component, routes the keys of the
//! list to it and acts on what it says: `Enter` opens an example object in the Comparison
//! with its retainers, `Esc` goes back.

use super::{App, ComparisonTable, ComparisonView, Focus, View};
use crate::keys::Command;
use crate::new_paths::{self, NewPaths};
use crate::table::{Row, TableControl};

impl App {
    /// `w`: the paths of the selected Comparison class's new objects, by shape.
    pub(super) fn open_new_paths(&mut self) {
        if let Err(why) = self.start_new_paths() {
            self.message = Some(why.to_string());
        }
    }

    fn start_new_paths(&mut self) -> Result<(), &'static str> {
        if self.view != View::Comparison {
            return Err("w works on a class row of the Comparison (2)");
        }
        let Some(ComparisonView {
            table: ComparisonTable::ById(table),
            ..
        }) = &self.comparison
        else {
            return Err(
                "new objects need two snapshots of one process: these have unrelated object ids",
            );
        };
        let row = match table.selected() {
            Some(Row::Class { row, .. } | Row::Instance { row, .. } | Row::Content { row, .. }) => {
                row
            }
            None => return Err("select a class row first"),
        };
        let Some(complete) = &self.heap.complete else {
            return Err("where new objects are held appears when every snapshot's numbers are in");
        };
        let class = table.rows()[row].name.clone();
        let (base, after) = (&complete[0], &complete[complete.len() - 1]);
        // Every row of the class (DevTools splits a class by where it is defined), in id
        // order as `heaptui paths --new-since` follows them.
        let mut objects: Vec<u32> = table
            .rows()
            .iter()
            .filter(|r| r.name == class)
            .flat_map(|r| r.added.iter().copied())
            .collect();
        objects.sort_by_key(|&n| after.node_id(n));
        if objects.is_empty() {
            return Err("no new objects of this class: nothing to follow");
        }
        let since = base.path().display().to_string();
        self.paths = Some(NewPaths::start(after.clone(), since, class, objects));
        self.show(View::Paths);
        Ok(())
    }

    /// The keys of the paths list.
    pub(super) fn paths_command(&mut self, command: Command) {
        let page = self.pages.table;
        let Some(paths) = &mut self.paths else {
            return;
        };
        match paths.update(command, page) {
            new_paths::Outcome::Moved => {}
            new_paths::Outcome::Open { class, node } => self.open_example(&class, node),
            new_paths::Outcome::Back => self.show(View::Comparison),
            new_paths::Outcome::NotMine => {
                self.message =
                    Some("that key works in the Summary (1) and Comparison (2) views".to_string())
            }
        }
    }

    /// Shows `node`, a new object of `class`, in the Comparison with its retainers.
    fn open_example(&mut self, class: &str, node: u32) {
        self.show(View::Comparison);
        let loaded = self.heap.loaded();
        let Some(ComparisonView {
            table: ComparisonTable::ById(table),
            ..
        }) = &mut self.comparison
        else {
            return;
        };
        let scope = TableControl::scope(table, loaded);
        if table.reveal(class, node, scope, &self.filter) {
            self.sync_retainers();
            if self.retainers.is_some() {
                self.focus = Focus::Retainers;
            }
            self.message = Some("an example of this shape: its retainers below".to_string());
        } else {
            self.message = Some("that example is not listed in the Comparison".to_string());
        }
    }
}
