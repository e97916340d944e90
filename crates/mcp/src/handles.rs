//! The snapshots a session opened, by handle (`s1`, `s2`, …). A load runs on a thread of its
//! own while the server keeps answering; tools that need the snapshot wait for it, reporting
//! its progress. Loads run one at a time: the engine's memory check compares one load's need
//! with what is available, which two concurrent loads would each see as free.

use heaptui_common::progress::Progress;
use heaptui_engine::{LoadOptions, Snapshot};
use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use tokio::sync::watch;

/// Snapshots open at once: each holds its whole analysis in memory (about 100 bytes per
/// node), so a session that forgets to close them is stopped before it exhausts the machine.
pub const MAX_OPEN: usize = 8;

/// Progress steps below this fraction are not reported: a notification per percent is
/// plenty for an agent and keeps the channel quiet.
const PROGRESS_STEP: f64 = 0.01;

/// Where a snapshot's load is.
#[derive(Clone)]
pub enum State {
    /// Loading: the phase under way and the fraction of the whole load done.
    Loading {
        /// What the load is doing.
        phase: String,
        /// `0.0..=1.0`.
        fraction: f64,
    },
    /// Loaded and analysed.
    Ready(Snapshot),
    /// The load failed; the one-line reason.
    Failed(String),
}

/// One opened snapshot.
pub struct Entry {
    /// Its handle.
    pub handle: String,
    /// The file (canonical).
    pub path: PathBuf,
    /// Its load's state, watched by the tools waiting for it.
    pub state: watch::Receiver<State>,
    /// Its `duplicated_strings` document once computed: a pass over every string (seconds on a
    /// 1.5 GB snapshot), so it is made once per snapshot and dropped when it is closed.
    pub duplicated_strings: std::sync::OnceLock<serde_json::Value>,
}

/// The open snapshots of a session.
pub struct Handles {
    entries: Mutex<BTreeMap<String, Arc<Entry>>>,
    next: Mutex<u32>,
    /// Held by the load under way (see the module's note on the memory check).
    one_load: Arc<Mutex<()>>,
    options: LoadOptions,
}

/// Why a handle cannot be used.
#[derive(Debug)]
pub enum HandleError {
    /// No snapshot has this handle (never opened, or closed).
    Unknown(String),
    /// [`MAX_OPEN`] snapshots are open.
    TooMany,
}

impl std::fmt::Display for HandleError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            HandleError::Unknown(h) => write!(
                f,
                "no open snapshot has the handle {} (see the list tool)",
                crate::safety::quoted(h)
            ),
            HandleError::TooMany => {
                write!(f, "{MAX_OPEN} snapshots are open already; close one first")
            }
        }
    }
}

impl std::error::Error for HandleError {}

impl Handles {
    /// No snapshots yet; loads will use `options` (redaction, memory check).
    pub fn new(options: LoadOptions) -> Handles {
        Handles {
            entries: Mutex::new(BTreeMap::new()),
            next: Mutex::new(1),
            one_load: Arc::new(Mutex::new(())),
            options,
        }
    }

    /// Starts loading `path` in the background and gives its entry.
    pub fn open(&self, path: PathBuf) -> Result<Arc<Entry>, HandleError> {
        let mut entries = self.entries.lock().expect("handles lock");
        if entries.len() >= MAX_OPEN {
            return Err(HandleError::TooMany);
        }
        let handle = {
            let mut next = self.next.lock().expect("handles lock");
            let h = format!("s{next}");
            *next += 1;
            h
        };
        let (tx, rx) = watch::channel(State::Loading {
            phase: "Waiting for another load".to_string(),
            fraction: 0.0,
        });
        let entry = Arc::new(Entry {
            handle: handle.clone(),
            path: path.clone(),
            state: rx,
            duplicated_strings: std::sync::OnceLock::new(),
        });
        entries.insert(handle, entry.clone());
        let options = self.options;
        let one_load = self.one_load.clone();
        std::thread::spawn(move || {
            let _turn = one_load.lock().unwrap_or_else(|e| e.into_inner());
            let last = Mutex::new(-1.0f64);
            let sink = |phase: &str, fraction: f64| {
                let mut last = last.lock().unwrap_or_else(|e| e.into_inner());
                if fraction - *last >= PROGRESS_STEP || fraction >= 1.0 {
                    *last = fraction;
                    tx.send_replace(State::Loading {
                        phase: phase.to_string(),
                        fraction,
                    });
                }
            };
            let result = Snapshot::load(&path, options, &Progress::new(&sink));
            tx.send_replace(match result {
                Ok(snapshot) => State::Ready(snapshot),
                Err(e) => State::Failed(e.to_string()),
            });
        });
        Ok(entry)
    }

    /// The entry of `handle`.
    pub fn get(&self, handle: &str) -> Result<Arc<Entry>, HandleError> {
        self.entries
            .lock()
            .expect("handles lock")
            .get(handle)
            .cloned()
            .ok_or_else(|| HandleError::Unknown(handle.to_string()))
    }

    /// Forgets `handle`; its memory is given back once no answer in flight uses it.
    pub fn close(&self, handle: &str) -> Result<Arc<Entry>, HandleError> {
        self.entries
            .lock()
            .expect("handles lock")
            .remove(handle)
            .ok_or_else(|| HandleError::Unknown(handle.to_string()))
    }

    /// Every open entry, by handle.
    pub fn all(&self) -> Vec<Arc<Entry>> {
        self.entries
            .lock()
            .expect("handles lock")
            .values()
            .cloned()
            .collect()
    }
}
