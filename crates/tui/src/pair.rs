//! The Suspects of a pair (`4` with two snapshots): one interval's leak suspects, ranked by the
//! leaks crate as `heaptui suspects BASE AFTER` ranks them ([`crate::data::series`]). They
//! are computed in a background job once the pair's numbers are in, so no key or frame waits
//! for them; until then the view says they are pending (`…`). The Comparison's status line
//! names the first one when they land.

use super::data;
use super::jobs::Job;
use super::series::SeriesViews;
use heaptui_engine::Snapshot;
use heaptui_leaks::suspects::Suspect;
use heaptui_leaks::trend::TrendRow;

/// What the views say the pair's Suspects are (the status line, the Suspects heading).
pub const ONE_INTERVAL: &str = "one interval: suspects from 2 snapshots";

/// The pair's trend and suspects: computing, or computed.
#[derive(Default)]
pub struct PairSuspects {
    job: Option<Job<(Vec<TrendRow>, Vec<Suspect>)>>,
    views: Option<SeriesViews>,
}

impl PairSuspects {
    /// Starts computing the suspects of the two complete `snapshots` (oldest first).
    pub fn start(&mut self, snapshots: Vec<Snapshot>) {
        debug_assert_eq!(snapshots.len(), 2, "a pair");
        self.job = Some(Job::spawn("suspects".to_string(), move |_| {
            data::series(&snapshots)
        }));
    }

    /// True while they are computing.
    pub fn is_running(&self) -> bool {
        self.job.is_some()
    }

    /// Takes in the job's result once it is done; returns whether it just landed.
    pub fn poll(&mut self) -> bool {
        let Some(job) = &self.job else {
            return false;
        };
        let Some(result) = job.finished() else {
            return false;
        };
        self.job = None;
        // A worker that died leaves the view pending-free and empty.
        let (trend, suspects) = result.unwrap_or_default();
        self.views = Some(SeriesViews::new(trend, suspects));
        true
    }

    /// The Trend and Suspects views of the pair, once computed.
    pub fn views(&self) -> Option<&SeriesViews> {
        self.views.as_ref()
    }

    /// The same, to move in them.
    pub fn views_mut(&mut self) -> Option<&mut SeriesViews> {
        self.views.as_mut()
    }
}
