//! Progress reporting for long loads: each stage reports its name and the overall fraction
//! done, so the TUI's loading screen can draw a bar per file.

/// A progress sink shared by the threads of one load.
pub struct Progress<'a> {
    sink: Option<&'a Sink>,
}

/// The callback type: phase name and overall fraction done.
pub type Sink = dyn Fn(&str, f64) + Sync;

impl<'a> Progress<'a> {
    /// Reports to `sink` (phase name, fraction of the whole load in `0.0..=1.0`).
    pub fn new(sink: &'a Sink) -> Self {
        Progress { sink: Some(sink) }
    }

    /// Reports nothing.
    pub fn none() -> Progress<'static> {
        Progress { sink: None }
    }

    /// Reports that `phase` is under way and the load is `fraction` done.
    pub fn report(&self, phase: &str, fraction: f64) {
        if let Some(sink) = self.sink {
            sink(phase, fraction.clamp(0.0, 1.0));
        }
    }
}
