//! The folder picker's state (`heaptui DIR`): the folder's snapshots grouped by process, a
//! cursor, the marked files and the suggested pair, and how keys change them. Nothing here
//! draws: [`super::ui::picker::render`] reads this state.

use super::folder::{self, Entry, Health};
use super::keys;
use super::theme::Theme;
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use std::cmp::Reverse;
use std::collections::HashMap;
use std::path::PathBuf;

/// The picker's keys and what they do, for its help popup (and the key handling below).
pub const HELP: &[(&str, &str)] = &[
    ("↑ ↓  j k", "move"),
    ("g G", "first / last file"),
    ("Space", "mark / unmark a file"),
    ("Enter", "open the marked files, oldest first as base"),
    ("", "(nothing marked: the suggested ★ pair)"),
    ("r", "read the folder again"),
    ("?", "this help"),
    ("q Esc Ctrl-C", "quit"),
];

/// The warning shown when the files to open come from different processes.
pub const CROSS_PROCESS: &str = "different processes: compared by class";

/// What the event loop does after a key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// Keep picking.
    Continue,
    /// Leave the program.
    Quit,
    /// Load these files, oldest first.
    Open(Vec<PathBuf>),
}

/// The picker's state.
pub struct Picker {
    /// The folder shown.
    pub dir: PathBuf,
    /// Its snapshots in display order: grouped by process (the group with the newest snapshot
    /// first, files without a pid last), oldest first within a group.
    pub entries: Vec<Entry>,
    /// The selected entry.
    pub cursor: usize,
    /// The marked entries, in the order they were marked.
    pub marked: Vec<usize>,
    /// The suggested pair: the two newest readable files of one process (of the newest such
    /// process; files without a pid only when no process has two).
    pub suggested: Vec<usize>,
    /// True while the help popup is shown.
    pub help: bool,
    /// A one-line message, cleared by the next key.
    pub message: Option<String>,
    /// Colors or not.
    pub theme: Theme,
}

impl Picker {
    /// The picker on the `entries` of `dir`, cursor on the first suggested file.
    pub fn new(dir: PathBuf, entries: Vec<Entry>, theme: Theme) -> Picker {
        let mut picker = Picker {
            dir,
            entries: Vec::new(),
            cursor: 0,
            marked: Vec::new(),
            suggested: Vec::new(),
            help: false,
            message: None,
            theme,
        };
        picker.set_entries(entries);
        picker.cursor = picker.suggested.first().copied().unwrap_or(0);
        picker
    }

    /// Shows the folder's files as they are now (from [`folder::Watch`]), keeping the cursor
    /// and the marks on the files still there.
    pub fn refresh(&mut self, entries: Vec<Entry>) {
        self.set_entries(entries);
    }

    /// Sorts `entries` into display order, computes the suggestion and keeps the marks of the
    /// files still there and markable.
    fn set_entries(&mut self, mut entries: Vec<Entry>) {
        let mut newest: HashMap<Option<u32>, folder::Stamp> = HashMap::new();
        for e in &entries {
            let n = newest.entry(e.pid).or_default();
            *n = (*n).max(e.stamp);
        }
        entries.sort_by(|a, b| {
            let key = |e: &Entry| (e.pid.is_none(), Reverse(newest[&e.pid]), e.pid);
            (key(a), a.stamp, &a.name).cmp(&(key(b), b.stamp, &b.name))
        });
        let marked: Vec<PathBuf> = self.marked.iter().map(|&i| self.path(i)).collect();
        let selected = self.entries.get(self.cursor).map(|e| e.path.clone());
        self.entries = entries;
        self.marked = marked
            .iter()
            .filter_map(|p| self.entries.iter().position(|e| &e.path == p))
            .filter(|&i| self.entries[i].health == Health::Ok)
            .collect();
        self.suggested = suggest(&self.entries);
        self.cursor = selected
            .and_then(|p| self.entries.iter().position(|e| e.path == p))
            .unwrap_or(0);
    }

    fn path(&self, i: usize) -> PathBuf {
        self.entries[i].path.clone()
    }

    /// The entries Enter opens, oldest first: the marked ones (same time: in marking order),
    /// else the suggested pair, else the selected file if it is readable.
    pub fn chosen(&self) -> Vec<usize> {
        let mut chosen = if !self.marked.is_empty() {
            self.marked.clone()
        } else if !self.suggested.is_empty() {
            self.suggested.clone()
        } else {
            let selected = self.entries.get(self.cursor);
            let readable = selected.is_some_and(|e| e.health == Health::Ok);
            readable.then_some(self.cursor).into_iter().collect()
        };
        chosen.sort_by_key(|&i| self.entries[i].stamp);
        chosen
    }

    /// The warning for files of different processes among those Enter opens, if so.
    pub fn warning(&self) -> Option<&'static str> {
        let mut pids = self
            .chosen()
            .into_iter()
            .filter_map(|i| self.entries[i].pid);
        let first = pids.next()?;
        pids.any(|p| p != first).then_some(CROSS_PROCESS)
    }

    /// Applies one key press.
    pub fn update(&mut self, key: KeyEvent) -> Outcome {
        self.message = None;
        if keys::is_interrupt(&key) {
            return Outcome::Quit;
        }
        if self.help {
            self.help = false;
            return Outcome::Continue;
        }
        if key
            .modifiers
            .intersects(KeyModifiers::CONTROL | KeyModifiers::ALT)
        {
            return Outcome::Continue;
        }
        let last = self.entries.len().saturating_sub(1);
        match key.code {
            KeyCode::Char('q') | KeyCode::Esc => return Outcome::Quit,
            KeyCode::Up | KeyCode::Char('k') => self.cursor = self.cursor.saturating_sub(1),
            KeyCode::Down | KeyCode::Char('j') => self.cursor = (self.cursor + 1).min(last),
            KeyCode::Home | KeyCode::Char('g') => self.cursor = 0,
            KeyCode::End | KeyCode::Char('G') => self.cursor = last,
            KeyCode::Char(' ') => self.toggle_mark(),
            KeyCode::Enter => return self.open(),
            KeyCode::Char('r') => self.rescan(),
            KeyCode::Char('?') => self.help = true,
            _ => {}
        }
        Outcome::Continue
    }

    fn toggle_mark(&mut self) {
        let Some(entry) = self.entries.get(self.cursor) else {
            return;
        };
        if let Some(at) = self.marked.iter().position(|&i| i == self.cursor) {
            self.marked.remove(at);
            return;
        }
        match &entry.health {
            Health::Ok => self.marked.push(self.cursor),
            Health::Unreadable(why) => {
                self.message = Some(format!("cannot mark {}: unreadable ({why})", entry.name))
            }
            Health::Writing => {
                self.message = Some(format!(
                    "cannot mark {}: still being written (r reads the folder again)",
                    entry.name
                ))
            }
        }
    }

    fn open(&mut self) -> Outcome {
        let chosen = self.chosen();
        if chosen.is_empty() {
            self.message = Some("nothing to open: mark files with Space".to_string());
            return Outcome::Continue;
        }
        Outcome::Open(chosen.into_iter().map(|i| self.path(i)).collect())
    }

    fn rescan(&mut self) {
        match folder::scan(&self.dir) {
            Ok(entries) => self.set_entries(entries),
            Err(e) => self.message = Some(e.to_string()),
        }
    }
}

/// The two newest readable files of one process, oldest first: of the process with the newest
/// such pair, preferring known processes over files without a pid. Empty when there is none.
pub fn suggest(entries: &[Entry]) -> Vec<usize> {
    let mut by_pid: HashMap<Option<u32>, Vec<usize>> = HashMap::new();
    for (i, e) in entries.iter().enumerate() {
        if e.health == Health::Ok {
            by_pid.entry(e.pid).or_default().push(i);
        }
    }
    by_pid
        .into_values()
        .filter(|files| files.len() >= 2)
        .map(|mut files| {
            files.sort_by_key(|&i| (entries[i].stamp, &entries[i].name));
            files.split_off(files.len() - 2)
        })
        .max_by_key(|pair| {
            let newest = &entries[pair[1]];
            (newest.pid.is_some(), newest.stamp, newest.pid)
        })
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::folder::{parse_name, Stamp};

    fn entry(name: &str, health: Health, mtime: u64) -> Entry {
        let info = parse_name(name);
        let path = PathBuf::from("/d").join(name);
        Entry {
            pid: heaptui_engine::pid_of(&path),
            kind: info.as_ref().map(|i| i.kind.clone()),
            named_time: info.is_some(),
            stamp: info.map_or(
                Stamp {
                    civil: mtime,
                    fine: 0,
                },
                |i| i.stamp,
            ),
            size: 1,
            health,
            path,
            name: name.to_string(),
        }
    }

    fn press(picker: &mut Picker, code: KeyCode) -> Outcome {
        picker.update(KeyEvent::new(code, KeyModifiers::NONE))
    }

    fn names(picker: &Picker, indices: &[usize]) -> Vec<String> {
        indices
            .iter()
            .map(|&i| picker.entries[i].name.clone())
            .collect()
    }

    #[test]
    fn groups_suggests_and_opens() {
        let entries = vec![
            entry("gone.heapsnapshot", Health::Unreadable("x".into()), 1),
            entry(
                "Manual.Heap.20261124.110000.5151.heapsnapshot.gz",
                Health::Ok,
                0,
            ),
            entry(
                "Heap.20261124.103000.4242.0.002.heapsnapshot.gz",
                Health::Ok,
                0,
            ),
            entry(
                "OOM.Heap.20261124.104500.4242.heapsnapshot",
                Health::Writing,
                0,
            ),
            entry(
                "Baseline.Heap.20261124.101500.4242.heapsnapshot.gz",
                Health::Ok,
                0,
            ),
            entry(
                "Heap.20261124.090000.4242.0.001.heapsnapshot",
                Health::Ok,
                0,
            ),
        ];
        let mut picker = Picker::new(PathBuf::from("/d"), entries, Theme { color: false });
        let order: Vec<_> = picker.entries.iter().map(|e| e.pid).collect();
        assert_eq!(
            order,
            [
                Some(5151),
                Some(4242),
                Some(4242),
                Some(4242),
                Some(4242),
                None
            ]
        );
        let pair = [
            "Baseline.Heap.20261124.101500.4242.heapsnapshot.gz",
            "Heap.20261124.103000.4242.0.002.heapsnapshot.gz",
        ];
        assert_eq!(names(&picker, &picker.suggested), pair);
        assert_eq!(picker.cursor, picker.suggested[0]);
        assert_eq!(picker.warning(), None);
        // The file still being written cannot be marked.
        picker.cursor = 4;
        press(&mut picker, KeyCode::Char(' '));
        assert!(picker
            .message
            .as_ref()
            .unwrap()
            .contains("still being written"));
        // The 5151 file, then the 4242 baseline: opened oldest first, with a warning.
        press(&mut picker, KeyCode::Char('g'));
        press(&mut picker, KeyCode::Char(' '));
        press(&mut picker, KeyCode::Char('j'));
        press(&mut picker, KeyCode::Char('j'));
        press(&mut picker, KeyCode::Char(' '));
        assert_eq!(picker.warning(), Some(CROSS_PROCESS));
        let Outcome::Open(files) = press(&mut picker, KeyCode::Enter) else {
            panic!("Enter opens")
        };
        let files: Vec<_> = files.iter().map(|f| f.file_name().unwrap()).collect();
        assert_eq!(
            files,
            [pair[0], "Manual.Heap.20261124.110000.5151.heapsnapshot.gz"]
        );
        assert_eq!(press(&mut picker, KeyCode::Esc), Outcome::Quit);
    }

    #[test]
    fn without_pids_the_two_newest_are_suggested() {
        let entries = vec![
            entry("a.heapsnapshot", Health::Ok, 3),
            entry("b.heapsnapshot", Health::Ok, 1),
            entry("c.heapsnapshot", Health::Ok, 2),
        ];
        let picker = Picker::new(PathBuf::from("/d"), entries, Theme { color: false });
        assert_eq!(
            names(&picker, &picker.suggested),
            ["c.heapsnapshot", "a.heapsnapshot"]
        );
        let single = vec![entry("a.heapsnapshot", Health::Ok, 3)];
        let mut picker = Picker::new(PathBuf::from("/d"), single, Theme { color: false });
        assert!(picker.suggested.is_empty());
        assert_eq!(
            press(&mut picker, KeyCode::Enter),
            Outcome::Open(vec![PathBuf::from("/d/a.heapsnapshot")])
        );
    }
}
