//! The Summary's presets in the explorer (`f` / `F`), as DevTools' filter drop-down: all
//! objects, objects allocated before the first snapshot or between two loaded ones (up to the
//! one shown), and the named filters. A preset's rows need a full pass over the heap, so they
//! are computed by a background [`Job`] and kept once computed: switching back and forth is
//! instant, and the keys keep working meanwhile.

use super::jobs::Job;
use super::table::ClassTable;
use heaptui_engine::{Aggregate, ObjectFilter, Snapshot};
use heaptui_present::format;
use heaptui_present::labels::file_label;
use heaptui_present::presets::{self, Preset};
use rayon::prelude::*;
use std::collections::HashMap;
use std::sync::Arc;

/// One entry of the drop-down.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Choice {
    /// DevTools' wording.
    pub title: String,
    /// The objects kept; `None` for all objects.
    pub filter: Option<ObjectFilter>,
}

/// The presets offered while snapshot `at` of `snapshots` is shown, in DevTools' order.
pub fn choices(snapshots: &[Snapshot], at: usize) -> Vec<Choice> {
    let label = |i: usize| file_label(snapshots[i].path());
    let mut out = vec![Choice {
        title: Preset::All.title().to_string(),
        filter: None,
    }];
    for i in 0..=at {
        let since = i.checked_sub(1);
        out.push(Choice {
            title: presets::allocated_title(since.map(label).as_deref(), &label(i)),
            filter: Some(presets::allocated(
                since.map(|s| &snapshots[s]),
                &snapshots[i],
            )),
        });
    }
    for preset in Preset::NAMED {
        out.push(Choice {
            title: preset.title().to_string(),
            filter: preset.named_filter().map(ObjectFilter::Named),
        });
    }
    out
}

/// A preset's rows, objects in listing order, and a note for the status bar.
pub struct PresetRows {
    /// The Summary rows.
    pub rows: Vec<Aggregate>,
    /// What the preset adds to the totals (the memory duplicated strings waste).
    pub note: Option<String>,
}

/// Computes `choice` for `snapshot`, reporting progress to `report`.
pub fn compute(snapshot: &Snapshot, choice: &Choice, report: super::jobs::Report) -> PresetRows {
    let filter = choice.filter.expect("all objects need no computing");
    let duplicates = ObjectFilter::Named(heaptui_engine::NamedFilter::DuplicatedStrings);
    let (rows, note) = if filter == duplicates {
        let (rows, d) = snapshot.duplicated_strings_summary(&|f| report(f * 0.8));
        let note = format!(
            "{} duplicated values · {} wasted by copies",
            format::count(d.groups.len() as u64),
            format::bytes(d.wasted)
        );
        (rows, Some(note))
    } else {
        (
            snapshot.summary_filtered(filter, &|f| report(f * 0.8)),
            None,
        )
    };
    // Listed objects by retained size, as every class's objects are (no keystroke sorts).
    let rows: Vec<Aggregate> = rows
        .into_par_iter()
        .map(|row| {
            let mut nodes = row.nodes.to_vec();
            snapshot.order_by_retained(&mut nodes);
            Aggregate {
                nodes: Arc::new(nodes),
                ..row
            }
        })
        .collect();
    report(1.0);
    PresetRows { rows, note }
}

/// A preset being computed.
struct Running {
    snapshot: usize,
    choice: usize,
    job: Job<PresetRows>,
}

/// What [`Presets::step`] decided.
#[derive(Debug, PartialEq, Eq)]
pub enum Step {
    /// The preset's table is ready: put it in place ([`Presets::swap`]).
    Ready(usize),
    /// It is being computed (now, or after the one under way); [`Presets::finished`] gives
    /// it when it is done.
    Computing(String),
    /// Nothing to do (one choice only).
    Nothing,
}

/// The presets' state for every snapshot: which one is shown, which the user asked for last,
/// the computed tables not shown, and the job under way. Jobs run one at a time; asking for
/// another preset meanwhile queues it.
#[derive(Default)]
pub struct Presets {
    current: HashMap<usize, usize>,
    requested: HashMap<usize, usize>,
    stash: HashMap<(usize, usize), ClassTable<Aggregate>>,
    notes: HashMap<(usize, usize), String>,
    titles: HashMap<(usize, usize), String>,
    running: Option<Running>,
    /// The choices per snapshot, found once (the id ranges need a pass over each snapshot's
    /// ids).
    choices: HashMap<usize, Vec<Choice>>,
}

impl Presets {
    /// The preset shown for snapshot `at` (0 is all objects).
    pub fn current(&self, at: usize) -> usize {
        self.current.get(&at).copied().unwrap_or(0)
    }

    /// The preset last asked for on snapshot `at`.
    fn requested(&self, at: usize) -> usize {
        self.requested
            .get(&at)
            .copied()
            .unwrap_or_else(|| self.current(at))
    }

    /// The shown preset's title and note for snapshot `at`, unless it shows all objects.
    pub fn label(&self, at: usize) -> Option<String> {
        let choice = self.current(at);
        if choice == 0 {
            return None;
        }
        let title = self.titles.get(&(at, choice))?;
        Some(match self.notes.get(&(at, choice)) {
            Some(note) => format!("{title} · {note}"),
            None => title.clone(),
        })
    }

    /// Asks for the preset `delta` on from the last one asked for on snapshot `at`.
    pub fn step(&mut self, snapshots: &[Snapshot], at: usize, delta: isize) -> Step {
        let count = self.choices_of(snapshots, at).len();
        if count < 2 {
            return Step::Nothing;
        }
        let next = (self.requested(at) as isize + delta).rem_euclid(count as isize) as usize;
        self.requested.insert(at, next);
        self.start(snapshots, at, next)
    }

    /// Asks for `choice` on snapshot `at` (a realm's named filter): offered from then on
    /// with the others.
    pub fn request(&mut self, snapshots: &[Snapshot], at: usize, choice: Choice) -> Step {
        let choices = self.choices_of(snapshots, at);
        let index = match choices.iter().position(|c| *c == choice) {
            Some(index) => index,
            None => {
                let list = self.choices.entry(at).or_default();
                list.push(choice);
                list.len() - 1
            }
        };
        self.requested.insert(at, index);
        self.start(snapshots, at, index)
    }

    /// Makes choice `next` of snapshot `at` ready, or computing.
    fn start(&mut self, snapshots: &[Snapshot], at: usize, next: usize) -> Step {
        let choice = self.choices_of(snapshots, at)[next].clone();
        self.titles.insert((at, next), choice.title.clone());
        if next == self.current(at) || next == 0 || self.stash.contains_key(&(at, next)) {
            return Step::Ready(next);
        }
        if self.running.is_some() {
            return Step::Computing(choice.title);
        }
        let snapshot = snapshots[at].clone();
        let title = choice.title.clone();
        let job = Job::spawn(title.clone(), move |report| {
            compute(&snapshot, &choice, report)
        });
        self.running = Some(Running {
            snapshot: at,
            choice: next,
            job,
        });
        Step::Computing(title)
    }

    fn choices_of(&mut self, snapshots: &[Snapshot], at: usize) -> &[Choice] {
        self.choices
            .entry(at)
            .or_insert_with(|| choices(snapshots, at))
    }

    /// Puts preset `choice`'s table of snapshot `at` in `shown`'s place (`table` when it was
    /// just computed, else the one kept), keeping the table it replaces.
    pub fn swap(
        &mut self,
        at: usize,
        choice: usize,
        shown: &mut ClassTable<Aggregate>,
        table: Option<ClassTable<Aggregate>>,
    ) {
        if choice == self.current(at) {
            return;
        }
        let Some(table) = table.or_else(|| self.stash.remove(&(at, choice))) else {
            return;
        };
        let old = std::mem::replace(shown, table);
        self.stash.insert((at, self.current(at)), old);
        self.current.insert(at, choice);
    }

    /// Keeps a computed table that is not to be shown now.
    pub fn keep(&mut self, at: usize, choice: usize, table: ClassTable<Aggregate>) {
        self.stash.insert((at, choice), table);
    }

    /// True when `choice` of snapshot `at` is the one the user asked for last.
    pub fn is_wanted(&self, at: usize, choice: usize) -> bool {
        self.requested(at) == choice
    }

    /// After a job: starts the preset asked for meanwhile on snapshot `at`, if it needs one.
    pub fn resume(&mut self, snapshots: &[Snapshot], at: usize) -> Step {
        let wanted = self.requested(at);
        self.start(snapshots, at, wanted)
    }

    /// True while a preset is being computed.
    pub fn is_running(&self) -> bool {
        self.running.is_some()
    }

    /// `label 40% 1.2 s` of the preset being computed.
    pub fn progress(&self) -> Option<String> {
        self.running.as_ref().map(|r| r.job.progress())
    }

    /// The computed preset once its job is done: `(snapshot, choice, rows)` (`None` rows if
    /// the job died); its note is kept for the status bar.
    pub fn finished(&mut self) -> Option<(usize, usize, Option<Vec<Aggregate>>)> {
        let done = self.running.as_ref()?.job.finished()?;
        let Running {
            snapshot, choice, ..
        } = self.running.take()?;
        let rows = done.map(|rows| {
            if let Some(note) = rows.note {
                self.notes.insert((snapshot, choice), note);
            }
            rows.rows
        });
        Some((snapshot, choice, rows))
    }
}
