//! The class tables' own keys (Summary and Comparison): the moving keys, opening and closing
//! classes and objects, `Esc`, the sort keys and `/`. A table takes a key and says what it did
//! ([`Outcome`]); the app acts on what is not the table's to do (the prompt, the message).

use super::classes::{Loaded, SortKey};
use super::cursor::Move;
use super::filter::Filter;
use super::keys::Command;
use super::table::TableControl;

/// What a key did to a class table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// The table took the key (it moved, opened, closed or sorted, or had nothing to do).
    Done,
    /// `/`: the filter prompt opens on this table.
    Prompt,
    /// The table cannot do what the key asks, and says why.
    Message(&'static str),
    /// The key is not the table's.
    NotMine,
}

/// What the table's keys need from the app: the snapshots as loaded, the filter's matcher and
/// the rows per page.
pub struct Keys<'a> {
    /// The snapshots as far as they have loaded.
    pub loaded: Loaded<'a>,
    /// The matcher of class names.
    pub filter: &'a Filter,
    /// Rows per page, as laid out for the last frame.
    pub page: usize,
}

impl dyn TableControl + '_ {
    /// Applies a key's `command` to the table.
    pub fn update(&mut self, command: Command, keys: Keys) -> Outcome {
        if let Some(step) = Move::of(command) {
            self.apply(step, keys.page.max(1));
            return Outcome::Done;
        }
        match command {
            Command::Expand => {
                let scope = self.scope(keys.loaded);
                self.expand(scope);
            }
            Command::Collapse => {
                self.collapse();
            }
            Command::Back => {
                // Esc collapses, else clears the filter.
                if !self.collapse() {
                    self.set_filter("", keys.filter);
                }
            }
            Command::Filter => return Outcome::Prompt,
            Command::NextSort => self.next_sort(keys.filter),
            Command::ReverseSort => self.reverse_sort(keys.filter),
            Command::SortByDelta => return self.sort_by(SortKey::Delta, keys.filter),
            Command::SortByRetained => return self.sort_by(SortKey::Retained, keys.filter),
            _ => return Outcome::NotMine,
        }
        Outcome::Done
    }

    fn sort_by(&mut self, key: SortKey, filter: &Filter) -> Outcome {
        if self.sort_by_key(key, filter) {
            return Outcome::Done;
        }
        Outcome::Message(match key {
            SortKey::Delta => "d sorts the Comparison (2) by # Delta",
            SortKey::Retained => "r sorts the Summary (1) by Retained Size",
        })
    }
}
