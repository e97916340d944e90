//! Work that needs a full pass over a heap (a Summary preset, ignoring a retainer) runs on a
//! thread of its own while the views keep taking keys: the event loop wakes up on a tick while
//! a job runs, shows its progress and collects its result. The thread holds its own handles on
//! the snapshots (they are reference counted), so quitting never waits for it: it dies with
//! the process.

use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::mpsc::{self, Receiver, TryRecvError};
use std::sync::Arc;
use std::time::Instant;

/// A computation running in the background.
pub struct Job<T> {
    label: String,
    started: Instant,
    /// Fraction done, in thousandths (an atomic so the worker never waits for the screen).
    done: Arc<AtomicU32>,
    result: Receiver<T>,
}

/// How a job reports how far it is (`0.0..=1.0`).
pub type Report<'a> = &'a (dyn Fn(f64) + Sync);

impl<T: Send + 'static> Job<T> {
    /// Runs `work` on a new thread; `label` says what it computes.
    pub fn spawn(label: String, work: impl FnOnce(Report) -> T + Send + 'static) -> Job<T> {
        let done = Arc::new(AtomicU32::new(0));
        let (send, result) = mpsc::channel();
        let shared = Arc::clone(&done);
        std::thread::spawn(move || {
            let report = move |fraction: f64| {
                shared.store(
                    (fraction.clamp(0.0, 1.0) * 1000.0) as u32,
                    Ordering::Relaxed,
                );
            };
            // The receiver is gone when the job was replaced or the user quit.
            let _ = send.send(work(&report));
        });
        Job {
            label,
            started: Instant::now(),
            done,
            result,
        }
    }

    /// The result, once the job is done; `Some(None)` if the worker died.
    pub fn finished(&self) -> Option<Option<T>> {
        match self.result.try_recv() {
            Ok(value) => Some(Some(value)),
            Err(TryRecvError::Empty) => None,
            Err(TryRecvError::Disconnected) => Some(None),
        }
    }

    /// `label 40% 1.2 s` for the status bar (`label… 1.2 s` while nothing was reported).
    pub fn progress(&self) -> String {
        let done = self.done.load(Ordering::Relaxed);
        let seconds = self.started.elapsed().as_secs_f64();
        if done == 0 {
            format!("{}… {seconds:.1} s", self.label)
        } else {
            format!(
                "{} {:.0}% {seconds:.1} s",
                self.label,
                f64::from(done) / 10.0
            )
        }
    }

    /// What the job computes.
    pub fn label(&self) -> &str {
        &self.label
    }
}

/// A component's answer while its job runs: the one place a result is taken in and the job
/// dropped, so every view that computes in the background polls the same way.
pub struct Pending<T> {
    job: Option<Job<T>>,
}

impl<T: Send + 'static> Pending<T> {
    /// Starts `work` on a thread of its own; `label` says what it computes.
    pub fn start(label: &str, work: impl FnOnce(Report) -> T + Send + 'static) -> Pending<T> {
        Pending {
            job: Some(Job::spawn(label.to_string(), work)),
        }
    }

    /// True while it computes.
    pub fn is_running(&self) -> bool {
        self.job.is_some()
    }

    /// `label 40% 1.2 s` while it computes.
    pub fn progress(&self) -> Option<String> {
        self.job.as_ref().map(Job::progress)
    }

    /// The result the moment it lands (`Some(None)` if the worker died), once; `None` while it
    /// computes and after it landed.
    pub fn poll(&mut self) -> Option<Option<T>> {
        let result = self.job.as_ref().and_then(Job::finished)?;
        self.job = None;
        Some(result)
    }
}

/// Waits for a job's result (tests and benches, which have no event loop).
pub fn wait<T: Send + 'static>(job: Job<T>) -> Option<T> {
    job.result.recv().ok()
}
