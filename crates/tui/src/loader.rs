//! Loads the snapshots together on background threads while the main thread draws and listens
//! for keys, and builds the views' data in its stages ([`Update`]): the first frame's as soon
//! as every snapshot's classes are known, then the numbers, then the listing orders. Progress
//! callbacks only store the latest phase and fraction per file; the screen reads them on its
//! ~10 Hz redraw.

use super::data::{Early, Numbers, Orders};
use heaptui_common::error::Error;
use heaptui_engine::{ClassDiff, ComparisonRows, LoadEvent, LoadOptions, Partial, Stage};
use heaptui_present::labels::file_label;
use std::path::PathBuf;
use std::sync::mpsc::{self, Receiver, Sender, TryRecvError};
use std::sync::{Arc, Mutex};

/// Where one file's load is.
#[derive(Debug, Clone, PartialEq)]
pub struct FileProgress {
    /// The file name (not sanitised).
    pub label: String,
    /// The phase under way.
    pub phase: String,
    /// Fraction done, `0.0..=1.0`.
    pub fraction: f64,
}

/// What the loading screen shows.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct LoadProgress {
    /// One entry per file, in command-line order.
    pub files: Vec<FileProgress>,
    /// The step after all files are loaded (comparing), if under way.
    pub stage: Option<&'static str>,
    /// Files whose every stage has landed.
    pub complete: usize,
}

impl LoadProgress {
    /// Every file waiting to start.
    pub fn new(files: &[PathBuf]) -> Self {
        LoadProgress {
            files: files
                .iter()
                .map(|f| FileProgress {
                    label: file_label(f),
                    phase: "Waiting".to_string(),
                    fraction: 0.0,
                })
                .collect(),
            stage: None,
            complete: 0,
        }
    }

    /// What the background is doing once the views are up, for the title bar: the
    /// dominators with the files' mean progress, then the object orders.
    pub fn working(&self) -> String {
        if self.complete == self.files.len() {
            return "object orders".to_string();
        }
        let mean =
            self.files.iter().map(|f| f.fraction).sum::<f64>() / self.files.len().max(1) as f64;
        format!("dominators {:.0}%", 100.0 * mean)
    }
}

/// What the background hands the views, in this order.
pub enum Update {
    /// The first frame's data.
    Early(Early),
    /// The complete numbers.
    Numbers(Numbers),
    /// The listing orders.
    Orders(Orders),
    /// A load failed.
    Failed(Error),
}

/// A load running in the background.
pub struct Loader {
    progress: Arc<Mutex<LoadProgress>>,
    updates: Receiver<Update>,
}

impl Loader {
    /// Starts loading `files` together with `options` (every snapshot's classes first), then
    /// builds the views' data stage by stage.
    pub fn spawn(files: Vec<PathBuf>, options: LoadOptions) -> Loader {
        let progress = Arc::new(Mutex::new(LoadProgress::new(&files)));
        let (send, updates) = mpsc::channel();
        let shared = Arc::clone(&progress);
        // The receiver is gone when the user quit: the sends then fail and the work is moot.
        std::thread::spawn(move || run(&files, options, &shared, &send));
        Loader { progress, updates }
    }

    /// A copy of the current progress, for drawing.
    pub fn progress(&self) -> LoadProgress {
        lock(&self.progress).clone()
    }

    /// The next update, if one is ready.
    pub fn next(&self) -> Option<Update> {
        match self.updates.try_recv() {
            Ok(update) => Some(update),
            Err(TryRecvError::Empty) => None,
            Err(TryRecvError::Disconnected) => None,
        }
    }
}

fn lock(progress: &Mutex<LoadProgress>) -> std::sync::MutexGuard<'_, LoadProgress> {
    // A panic while holding the lock cannot leave the progress inconsistent: keep drawing it.
    progress.lock().unwrap_or_else(|e| e.into_inner())
}

/// The loading thread: loads, and builds each stage's data as its inputs land.
fn run(
    files: &[PathBuf],
    options: LoadOptions,
    progress: &Arc<Mutex<LoadProgress>>,
    updates: &Sender<Update>,
) {
    let count = files.len();
    // The first frame is built while the dominators wait (`EveryClassesLanded`); the
    // Comparison's id-matched rows are kept for the orders.
    let by_id: Mutex<Option<Vec<ClassDiff>>> = Mutex::new(None);
    let first_frame = |partials: Vec<Partial>| {
        let Ok(early) = Early::new(partials) else {
            return;
        };
        if let Some(ComparisonRows::ById(rows)) = early.comparison.as_ref().map(|c| &c.rows) {
            *by_id.lock().unwrap_or_else(|e| e.into_inner()) = Some(rows.clone());
        }
        if updates.send(Update::Early(early)).is_ok() {
            // The Comparison's working arrays are free again while the loads go on.
            heaptui_common::util::system::release_freed_memory();
        }
    };
    let events = |event: LoadEvent| match event {
        LoadEvent::Progress {
            file,
            label,
            fraction,
        } => {
            let mut p = lock(progress);
            let entry = &mut p.files[file];
            if entry.phase != label {
                entry.phase = label.to_string();
            }
            entry.fraction = fraction;
        }
        LoadEvent::Landed {
            stage: Stage::Dominators,
            ..
        } => lock(progress).complete += 1,
        // Said at once: the other files' loads would take long to end.
        LoadEvent::Failed { error, .. } => {
            let _ = updates.send(Update::Failed(error.clone()));
        }
        LoadEvent::EveryClassesLanded { snapshots } => first_frame(snapshots),
        LoadEvent::Landed { .. } => {}
    };
    let loaded = heaptui_engine::load_together(files, options, &events);
    let by_id = by_id.into_inner().unwrap_or_else(|e| e.into_inner());
    let snapshots = match loaded {
        Ok(snapshots) => snapshots,
        Err(e) => {
            let _ = updates.send(Update::Failed(e));
            return;
        }
    };
    lock(progress).stage = match count {
        1 => None,
        2 => Some("Comparing snapshots"),
        _ => Some("Comparing snapshots and ranking leak suspects"),
    };
    // The views get the numbers first; the orders follow from copies (the snapshots and the
    // rows' object lists are shared, not copied).
    let numbers = Numbers::new(snapshots.clone());
    let summaries = numbers.summaries.clone();
    if updates.send(Update::Numbers(numbers)).is_ok() {
        let orders = Orders::new(&snapshots, &summaries, by_id.as_deref());
        let _ = updates.send(Update::Orders(orders));
        drop((snapshots, summaries));
        // The loads' and the orderings' working arrays, freed, would otherwise stay resident
        // for as long as the session lasts.
        heaptui_common::util::system::release_freed_memory();
    }
}
