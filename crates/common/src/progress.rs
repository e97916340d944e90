//! Progress reporting for long loads. Each stage of a load says which [`Phase`] it is in and how
//! far through it; one table of phase weights ([`Phase::weight`]) turns that into the fraction of
//! the whole load, so the TUI's loading bar advances with time.

/// The phases of one load, in order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Phase {
    /// Opening (and for gzip, decompressing) the input.
    Reading,
    /// Finding the sections and reading the header.
    Scanning,
    /// Parsing the `nodes` array (the strings are parsed beside it).
    ParsingNodes,
    /// Parsing the `edges` array.
    ParsingEdges,
    /// Validating cross-references and building the edge index.
    CheckingReferences,
    /// DOM state, retainers, page ownership, the DFS, dominators, distances, class names.
    Analysing,
    /// Retained sizes, class retained sizes and statistics.
    RetainedSizes,
}

impl Phase {
    /// Every phase, in load order.
    pub const ALL: [Phase; 7] = [
        Phase::Reading,
        Phase::Scanning,
        Phase::ParsingNodes,
        Phase::ParsingEdges,
        Phase::CheckingReferences,
        Phase::Analysing,
        Phase::RetainedSizes,
    ];

    /// The phase's share of a whole load's wall time, from `--timings` on the 1.5 GB bench
    /// snapshot (uncompressed, page cache warm): parse 1.1 s of which the edges take about
    /// two thirds, the two analysis lanes 2.5 s, the last phase 0.3 s. Gzip inputs spend longer
    /// reading; the bar then waits at the start instead of at the end.
    pub const fn weight(self) -> f64 {
        match self {
            Phase::Reading => 0.01,
            Phase::Scanning => 0.01,
            Phase::ParsingNodes => 0.08,
            Phase::ParsingEdges => 0.17,
            Phase::CheckingReferences => 0.03,
            Phase::Analysing => 0.62,
            Phase::RetainedSizes => 0.08,
        }
    }

    /// What the loading screen says during the phase.
    pub const fn label(self) -> &'static str {
        match self {
            Phase::Reading => "Reading file",
            Phase::Scanning => "Scanning sections",
            Phase::ParsingNodes => "Parsing nodes",
            Phase::ParsingEdges => "Parsing edges",
            Phase::CheckingReferences => "Checking references",
            Phase::Analysing => "Building retainers, dominators",
            Phase::RetainedSizes => "Retained sizes, Summary",
        }
    }

    /// The fraction of the whole load done when this phase is `within` done.
    pub fn overall(self, within: f64) -> f64 {
        let before: f64 = Phase::ALL
            .iter()
            .take_while(|&&p| p != self)
            .map(|p| p.weight())
            .sum();
        (before + self.weight() * within.clamp(0.0, 1.0)).min(1.0)
    }
}

/// A progress sink shared by the threads of one load.
pub struct Progress<'a> {
    sink: Option<&'a Sink<'a>>,
}

/// The callback type: what is under way and the overall fraction done.
pub type Sink<'a> = dyn Fn(&str, f64) + Sync + 'a;

impl<'a> Progress<'a> {
    /// Reports nothing.
    pub const NONE: Progress<'static> = Progress { sink: None };

    /// Reports to `sink` (label of the phase, fraction of the whole load in `0.0..=1.0`).
    pub fn new(sink: &'a Sink<'a>) -> Self {
        Progress { sink: Some(sink) }
    }

    /// Reports that `phase` is `within` (`0.0..=1.0`) done.
    pub fn report(&self, phase: Phase, within: f64) {
        if let Some(sink) = self.sink {
            sink(phase.label(), phase.overall(within));
        }
    }

    /// Reports that `phase` is `within` done, saying what it does in `label` (say, how many
    /// bytes of a stream are read).
    pub fn report_as(&self, phase: Phase, label: &str, within: f64) {
        if let Some(sink) = self.sink {
            sink(label, phase.overall(within));
        }
    }

    /// Reports that the load is complete.
    pub fn done(&self) {
        if let Some(sink) = self.sink {
            sink("Done", 1.0);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::Phase;

    #[test]
    fn weights_cover_the_whole_load_in_order() {
        let total: f64 = Phase::ALL.iter().map(|p| p.weight()).sum();
        assert!((total - 1.0).abs() < 1e-9, "{total}");
        let starts: Vec<f64> = Phase::ALL.iter().map(|p| p.overall(0.0)).collect();
        assert!(starts.windows(2).all(|w| w[0] < w[1]), "{starts:?}");
        assert!((Phase::RetainedSizes.overall(1.0) - 1.0).abs() < 1e-9);
    }
}
