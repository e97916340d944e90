//! Loading: parse, settle the graph, then run the analysis, one snapshot at a time
//! ([`one`]) or several together, every snapshot's classes first ([`load_together`]).

use super::{indexed, Inner, LoadOptions, Partial, Snapshot};
use crate::analysis::detachedness::DomStates;
use crate::analysis::{self, Gate, Hooks, Results, Schedule, Stage};
use crate::parse;
use heaptui_common::error::{Error, Result};
use heaptui_common::progress::Progress;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Instant;

/// What a [`load_together`] reports while it runs, from its loading threads.
pub enum LoadEvent<'a> {
    /// File `file` is in `label`, `fraction` of its load done.
    Progress {
        /// Index of the file in the list given.
        file: usize,
        /// The phase under way.
        label: &'a str,
        /// Fraction of the file's load done, `0.0..=1.0`.
        fraction: f64,
    },
    /// File `file` could not be loaded (the others go on; [`load_together`] returns the
    /// first error when they are done).
    Failed {
        /// Index of the file in the list given.
        file: usize,
        /// What went wrong.
        error: &'a Error,
    },
    /// A stage of file `file` landed: `snapshot` has it (and every earlier one).
    Landed {
        /// Index of the file in the list given.
        file: usize,
        /// The stage.
        stage: Stage,
        /// The snapshot, with that stage.
        snapshot: Partial,
    },
    /// Every file's classes have landed: emitted once, after each file's own
    /// `Landed { stage: Classes }`, and only when every parse succeeded. With two or more files
    /// no file's dominators start until the handler returns, so work that needs every
    /// snapshot's classes (a Comparison) can run here without sharing the cores with the
    /// heaviest stage; with one file nothing waits for it.
    EveryClassesLanded {
        /// The snapshots in the order given, each with its classes.
        snapshots: Vec<Partial>,
    },
}

/// Loads one snapshot on the calling thread, the whole analysis as fast as possible.
/// With the index asked for, reopens from it, or writes it after loading.
pub(super) fn one(path: &Path, options: LoadOptions, progress: &Progress) -> Result<Snapshot> {
    let (slot, mut notes) = indexed::slot(path, options);
    if let Some(inner) = slot
        .as_ref()
        .and_then(|slot| indexed::reopen(path, options, slot, &mut notes))
    {
        progress.done();
        return Partial { inner }
            .complete()
            .ok_or_else(|| Error::internal("an index without every stage"));
    }
    let (parsed, timings) = parse_file(path, options, progress)?;
    let snapshot = analyse(path, parsed, options, timings, progress);
    match &slot {
        Some(slot) => indexed::write(&snapshot, slot, notes),
        None => snapshot.add_notes(notes),
    }
    Ok(snapshot)
}

/// Parses and settles a file: the parsed graph and the phases' wall times.
fn parse_file(
    path: &Path,
    options: LoadOptions,
    progress: &Progress,
) -> Result<(parse::Parsed, Vec<(&'static str, std::time::Duration)>)> {
    let start = Instant::now();
    let parse_options = parse::Options {
        check_memory: options.check_memory,
    };
    let mut parsed = parse::load(path, parse_options, progress)?;
    let parse_time = start.elapsed();
    let dom_time = analysis::prepare(&mut parsed.graph);
    Ok((parsed, vec![("parse", parse_time), ("dom state", dom_time)]))
}

fn shared(
    path: &Path,
    parsed: parse::Parsed,
    options: LoadOptions,
    load_timings: Vec<(&'static str, std::time::Duration)>,
) -> (Arc<Inner>, Vec<u32>) {
    let parse::Parsed {
        mut graph,
        self_size,
        warnings,
    } = parsed;
    // The DOM link states move out of the shared graph, two bits per node.
    let dom_states = DomStates::from_states(&graph.detachedness);
    graph.detachedness = Vec::new();
    let inner = Arc::new(Inner {
        path: path.to_path_buf(),
        redact: options.redact,
        warnings,
        graph,
        results: Results::default(),
        load_timings,
        dom_states,
        notes: Default::default(),
        native_contexts: Default::default(),
    });
    (inner, self_size)
}

/// Analyses a parsed snapshot on the calling thread.
pub(super) fn analyse(
    path: &Path,
    parsed: parse::Parsed,
    options: LoadOptions,
    load_timings: Vec<(&'static str, std::time::Duration)>,
    progress: &Progress,
) -> Snapshot {
    let (inner, self_size) = shared(path, parsed, options, load_timings);
    let hooks = Hooks {
        progress,
        landed: &|_| {},
        schedule: Schedule::Throughput,
    };
    analysis::analyze(&inner.graph, self_size, &inner.results, &hooks);
    progress.done();
    Partial { inner }
        .complete()
        .expect("the analysis lands every stage")
}

/// Loads `paths` together, each on its own thread, every snapshot's classes (parse, shallow
/// sizes, class names) before any snapshot's dominators when there are two or more.
/// `events` hears each file's progress, each stage as it lands, and
/// [`LoadEvent::EveryClassesLanded`]. Returns the complete snapshots in the order given, or the
/// first error.
pub fn load_together(
    paths: &[PathBuf],
    options: LoadOptions,
    events: &(dyn Fn(LoadEvent) + Sync),
) -> Result<Vec<Snapshot>> {
    let count = paths.len();
    // The lanes of one snapshot do not compete with another's: then nothing is held back.
    // Otherwise the dominators wait for every load's classes and for the handler of
    // `EveryClassesLanded`.
    let held = if count >= 2 { count + 1 } else { 0 };
    let gate = Gate::new(held);
    let (classes_in, classes) = std::sync::mpsc::channel();
    let results: Vec<Result<Snapshot>> = std::thread::scope(|scope| {
        let gate = &gate;
        let ticket = gate.ticket();
        scope.spawn(move || {
            // Its ticket arrives when this ends, announced or not (a panic included).
            let _ticket = ticket;
            let mut partials: Vec<Option<Partial>> = vec![None; count];
            for ClassesIn { file, snapshot } in classes.iter().take(count) {
                partials[file] = snapshot;
            }
            if let Some(snapshots) = partials.into_iter().collect() {
                events(LoadEvent::EveryClassesLanded { snapshots });
            }
        });
        let loads: Vec<_> = paths
            .iter()
            .enumerate()
            .map(|(file, path)| {
                let slot = ClassesSlot::new(file, classes_in.clone());
                // Each load runs on a thread of its own, not on the rayon pool: a main lane
                // that waits at the gate must not hold a pool thread others need.
                scope.spawn(move || {
                    let loaded = load_one_of_many(file, path, options, gate, events, &slot);
                    if let Err(error) = &loaded {
                        events(LoadEvent::Failed { file, error });
                    }
                    loaded
                })
            })
            .collect();
        loads
            .into_iter()
            .map(|load| {
                load.join().unwrap_or_else(|panic| {
                    std::panic::resume_unwind(panic);
                })
            })
            .collect()
    });
    results.into_iter().collect()
}

/// One load's classes, or `None` for a load that ended without them.
struct ClassesIn {
    file: usize,
    snapshot: Option<Partial>,
}

/// Where a load sends its classes for `EveryClassesLanded`: exactly once, `None` if it is
/// dropped first (a failed parse, a panic), so nothing waits for a load that is gone.
struct ClassesSlot {
    file: usize,
    sender: std::sync::Mutex<Option<std::sync::mpsc::Sender<ClassesIn>>>,
}

impl ClassesSlot {
    fn new(file: usize, sender: std::sync::mpsc::Sender<ClassesIn>) -> ClassesSlot {
        ClassesSlot {
            file,
            sender: std::sync::Mutex::new(Some(sender)),
        }
    }

    fn send(&self, snapshot: Option<Partial>) {
        let sender = self.sender.lock().unwrap_or_else(|e| e.into_inner()).take();
        if let Some(sender) = sender {
            // The collector may be gone already (another load failed first).
            let _ = sender.send(ClassesIn {
                file: self.file,
                snapshot,
            });
        }
    }
}

impl Drop for ClassesSlot {
    fn drop(&mut self) {
        self.send(None);
    }
}

fn load_one_of_many(
    file: usize,
    path: &Path,
    options: LoadOptions,
    gate: &Gate,
    events: &(dyn Fn(LoadEvent) + Sync),
    slot: &ClassesSlot,
) -> Result<Snapshot> {
    let report = move |label: &str, fraction: f64| {
        events(LoadEvent::Progress {
            file,
            label,
            fraction,
        })
    };
    let progress = Progress::new(&report);
    // The ticket arrives when the classes land, or when a failed parse drops it.
    let ticket = gate.ticket();
    let (index_slot, mut notes) = indexed::slot(path, options);
    let reopened = index_slot
        .as_ref()
        .and_then(|slot| indexed::reopen(path, options, slot, &mut notes));
    let (inner, self_size) = match reopened {
        Some(inner) => (inner, None),
        None => {
            let (parsed, timings) = parse_file(path, options, &progress)?;
            let (inner, self_size) = shared(path, parsed, options, timings);
            (inner, Some(self_size))
        }
    };
    let landed = |stage: Stage| {
        let snapshot = Partial {
            inner: Arc::clone(&inner),
        };
        events(LoadEvent::Landed {
            file,
            stage,
            snapshot: snapshot.clone(),
        });
        // After the event: `EveryClassesLanded` follows every file's own `Classes`.
        if stage == Stage::Classes {
            slot.send(Some(snapshot));
        }
    };
    let Some(self_size) = self_size else {
        // Reopened: every stage is in.
        for stage in [Stage::Classes, Stage::Distances, Stage::Dominators] {
            landed(stage);
        }
        ticket.arrive();
        progress.done();
        return Partial { inner }
            .complete()
            .ok_or_else(|| Error::internal("an index without every stage"));
    };
    let hooks = Hooks {
        progress: &progress,
        landed: &landed,
        schedule: Schedule::ClassesFirst(&ticket),
    };
    analysis::analyze(&inner.graph, self_size, &inner.results, &hooks);
    progress.done();
    let snapshot = Partial { inner }
        .complete()
        .ok_or_else(|| Error::internal("the analysis ended before its last stage"))?;
    match &index_slot {
        Some(index_slot) => indexed::write(&snapshot, index_slot, notes),
        None => snapshot.add_notes(notes),
    }
    Ok(snapshot)
}
