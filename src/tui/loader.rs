//! Loads the snapshots in parallel on a background thread while the main thread draws the
//! loading screen and listens for q / Ctrl-C. Progress callbacks only store the latest phase and
//! fraction per file; the loading screen reads them on its ~10 Hz redraw.

use super::data::Data;
use crate::error::Result;
use crate::present::labels::file_label;
use crate::progress::Progress;
use crate::snapshot::{LoadOptions, Snapshot};
use rayon::prelude::*;
use std::path::PathBuf;
use std::sync::mpsc::{self, Receiver, TryRecvError};
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
        }
    }
}

/// A load running in the background.
pub struct Loader {
    progress: Arc<Mutex<LoadProgress>>,
    result: Receiver<Result<Data>>,
}

impl Loader {
    /// Starts loading `files` (all at once, on rayon's pool) with `options`, then builds the
    /// views' rows.
    pub fn spawn(files: Vec<PathBuf>, options: LoadOptions) -> Loader {
        let progress = Arc::new(Mutex::new(LoadProgress::new(&files)));
        let (send, result) = mpsc::channel();
        let shared = Arc::clone(&progress);
        std::thread::spawn(move || {
            // The receiver is gone when the user quit during the load: nothing left to do.
            let _ = send.send(load(&files, options, shared));
        });
        Loader { progress, result }
    }

    /// A copy of the current progress, for drawing.
    pub fn progress(&self) -> LoadProgress {
        lock(&self.progress).clone()
    }

    /// The outcome, once the load has finished.
    pub fn finished(&self) -> Option<Result<Data>> {
        match self.result.try_recv() {
            Ok(result) => Some(result),
            Err(TryRecvError::Empty) => None,
            Err(TryRecvError::Disconnected) => Some(Err(crate::error::Error::internal(
                "the loading thread stopped unexpectedly",
            ))),
        }
    }
}

fn lock(progress: &Mutex<LoadProgress>) -> std::sync::MutexGuard<'_, LoadProgress> {
    // A panic while holding the lock cannot leave the progress inconsistent: keep drawing it.
    progress.lock().unwrap_or_else(|e| e.into_inner())
}

fn load(
    files: &[PathBuf],
    options: LoadOptions,
    progress: Arc<Mutex<LoadProgress>>,
) -> Result<Data> {
    let snapshots: Vec<Snapshot> = files
        .par_iter()
        .enumerate()
        .map(|(i, path)| {
            // `Progress` takes a `'static` callback: it owns a handle on the shared state.
            let progress = Arc::clone(&progress);
            let report = move |phase: &str, fraction: f64| {
                let mut p = lock(&progress);
                let file = &mut p.files[i];
                if file.phase != phase {
                    file.phase = phase.to_string();
                }
                file.fraction = fraction;
            };
            Snapshot::load(path, options, &Progress::new(&report))
        })
        .collect::<Result<_>>()?;
    lock(&progress).stage = match snapshots.len() {
        1 => None,
        2 => Some("Comparing snapshots"),
        _ => Some("Comparing snapshots and ranking leak suspects"),
    };
    Data::new(snapshots)
}
