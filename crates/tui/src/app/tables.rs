//! The class tables' part of the app: the keys of the Summary and Comparison tables and of
//! the retainer pane below them (the object views' pane too), and the Trend and Suspects
//! lists' keys with `Enter` on a suspect opening its holder in the Summary.

use super::{App, Focus, Mode, View};
use crate::cursor::Move;
use crate::keys::Command;
use crate::retainers;
use crate::series;
use crate::table::TableControl;
use crate::table_keys::{self, Keys};
use heaptui_present::labels;

impl App {
    /// The keys of the class tables and the retainer pane below them (the object views' pane
    /// too).
    pub(super) fn table_command(&mut self, command: Command) {
        if self.focus == Focus::Retainers {
            if let Some(tree) = &mut self.retainers {
                let snapshot = self.heap.complete.as_ref().map(|c| &c[tree.snapshot]);
                match tree.update(command, snapshot, self.pages.tree.max(1)) {
                    retainers::Outcome::Done => return,
                    retainers::Outcome::Leave => return self.focus = Focus::Table,
                    retainers::Outcome::NothingToOpen => {
                        self.message = Some("no further retainers to open here".to_string());
                        return;
                    }
                    retainers::Outcome::NotHere => {}
                }
            }
        }
        let page = self.pages.table;
        let current = self.table();
        let keys = Keys {
            loaded: current.scope.loaded,
            filter: current.filter,
            page,
        };
        match current.table.update(command, keys) {
            table_keys::Outcome::Done => {}
            table_keys::Outcome::Prompt => {
                self.mode = Mode::Filter;
                self.focus = Focus::Table;
            }
            table_keys::Outcome::Message(m) => self.message = Some(m.to_string()),
            table_keys::Outcome::NotMine => self.shared_command(command),
        }
    }

    /// The keys under the class tables that reach past the table shown: `b` (the next
    /// snapshot's Summary), `Tab` (to the retainer pane) and `p` (its path to the roots).
    fn shared_command(&mut self, command: Command) {
        match command {
            Command::SwitchSnapshot => {
                if self.heap.snapshots.len() > 1 {
                    self.switch_snapshot();
                    let label =
                        labels::file_label(self.heap.snapshots[self.summary_snapshot].path());
                    self.message = Some(format!("Summary of {label}"));
                } else {
                    self.message = Some("only one snapshot is loaded".to_string());
                }
            }
            Command::ToggleFocus if self.retainers.is_some() => self.focus = Focus::Retainers,
            Command::ToggleFocus => self.message = Some(self.no_tree_message()),
            Command::PathToRoots => self.path_to_roots(),
            _ => {}
        }
    }

    /// The Trend and Suspects views take the moving keys and `Enter` on a suspect; the rest
    /// (filter, expand, sort, retainers) belong to the class tables.
    pub(super) fn series_command(&mut self, command: Command) {
        let suspects = self.view == View::Suspects;
        let outcome = match self.series.as_mut().or(self.pair.views_mut()) {
            Some(series) => series.update(suspects, command, self.pages.table),
            // A pair's suspects still computing: nothing to move yet.
            None if Move::of(command).is_some() => series::Outcome::Moved,
            None => series::Outcome::NotHere,
        };
        match outcome {
            series::Outcome::Moved => {}
            series::Outcome::OpenHolder => self.open_holder(),
            series::Outcome::NotHere => {
                self.message =
                    Some("that key works in the Summary (1) and Comparison (2) views".to_string())
            }
        }
    }

    /// Opens the selected suspect's holder: the Summary of the last snapshot with the holder's
    /// class expanded, the holder selected and its retainers in the focused pane.
    fn open_holder(&mut self) {
        let Some(s) = self.series().and_then(|series| series.suspects.selected()) else {
            return;
        };
        let (class, node) = (s.holder_class.clone(), s.holder.node);
        let title = heaptui_present::suspects::holder(s);
        let last = self.heap.snapshots.len() - 1;
        self.summary_snapshot = last;
        self.show(View::Summary);
        let loaded = self.heap.loaded();
        let table = &mut self.summaries[last];
        let scope = table.scope(loaded);
        if table.reveal(&class, node, scope, &self.filter) {
            self.sync_retainers();
            if self.retainers.is_some() {
                self.focus = Focus::Retainers;
            }
            self.message = Some(format!("the holder {title}: its retainers below"));
        } else {
            self.message = Some(format!("the holder {title} is not listed in the Summary"));
        }
    }

    /// Shows the Summary of the next snapshot (cycling) with the same filter and sort, so the
    /// same classes can be compared across snapshots.
    fn switch_snapshot(&mut self) {
        let from = &self.summaries[self.summary_snapshot];
        let (sort, reverse) = from.sort();
        let pattern = from.pattern().to_string();
        self.summary_snapshot = (self.summary_snapshot + 1) % self.heap.snapshots.len();
        self.show(View::Summary);
        let to = &mut self.summaries[self.summary_snapshot];
        to.resort(sort, reverse, &self.filter);
        TableControl::set_filter(to, &pattern, &self.filter);
    }

    fn path_to_roots(&mut self) {
        let from_selection = self.focus == Focus::Retainers;
        match (&mut self.retainers, &self.heap.complete) {
            (Some(tree), Some(complete)) if !tree.top().is_empty() => {
                tree.path_to_roots(&complete[tree.snapshot], from_selection);
                self.focus = Focus::Retainers;
            }
            (Some(_), _) => self.message = Some("this object has no retainers".to_string()),
            (None, _) => self.message = Some(self.no_tree_message()),
        }
    }

    /// Why the retainer pane has no tree.
    fn no_tree_message(&self) -> String {
        if self.heap.complete.is_none() && self.selected_instance().is_some() {
            "the retainers appear when the dominators are computed".to_string()
        } else {
            no_object_message()
        }
    }
}

fn no_object_message() -> String {
    "select an object first: expand a class (Enter) and move onto an object".to_string()
}
