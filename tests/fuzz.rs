//! A property-based fuzzer on stable Rust: real fixture snapshots (and the small seeds in
//! tests/fuzz_seeds) are mutated at random — bytes flipped, numbers replaced with edge values,
//! ranges cut, duplicated or spliced with JSON punctuation — and each result goes through the
//! parser and every analysis and view. Nothing may panic or hang; a bad input must be an error.
//!
//! CI runs a short budget; a long run is `HEAPTUI_FUZZ_SECONDS=600 cargo test --release --test
//! integration fuzz:: -- --nocapture`. A failing case is written to $TMPDIR/heaptui-fuzz-crash-*.heapsnapshot.

use crate::common;
use heaptui_engine::MatchBy;
use heaptui_engine::Snapshot;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// xorshift64*: deterministic from the seed printed at the start, so a failure can be replayed.
pub(crate) struct Rng(pub(crate) u64);

impl Rng {
    pub(crate) fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    pub(crate) fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

fn mutate(data: &mut Vec<u8>, rng: &mut Rng) {
    const TOKENS: &[&[u8]] = &[
        b"-",
        b"\"",
        b"\\",
        b"[",
        b"]",
        b"{",
        b"}",
        b",",
        b"\\u",
        b"\\ud800",
        b"0",
        b"4294967295",
        b"1e9",
        b" ",
        b"\xff",
    ];
    const NUMBERS: &[&[u8]] = &[
        b"0",
        b"1",
        b"2",
        b"3",
        b"6",
        b"7",
        b"255",
        b"256",
        b"65535",
        b"4294967295",
        b"4294967296",
        b"99999999999",
    ];
    for _ in 0..1 + rng.below(4) {
        if data.is_empty() {
            return;
        }
        let at = rng.below(data.len());
        match rng.below(7) {
            0 => data[at] = rng.next() as u8,
            1 => {
                // Replace the number around `at` (if any) by an edge value.
                let start = data[..at]
                    .iter()
                    .rposition(|b| !b.is_ascii_digit())
                    .map_or(0, |i| i + 1);
                let end = at
                    + data[at..]
                        .iter()
                        .position(|b| !b.is_ascii_digit())
                        .unwrap_or(data.len() - at);
                let n = NUMBERS[rng.below(NUMBERS.len())];
                data.splice(start..end, n.iter().copied());
            }
            2 => data.truncate(at),
            3 => {
                let end = (at + 1 + rng.below(64)).min(data.len());
                data.drain(at..end);
            }
            4 => {
                let end = (at + 1 + rng.below(256)).min(data.len());
                let copy = data[at..end].to_vec();
                let to = rng.below(data.len());
                data.splice(to..to, copy);
            }
            5 => {
                let t = TOKENS[rng.below(TOKENS.len())];
                data.splice(at..at, t.iter().copied());
            }
            _ => {
                // Small-number nudge: off-by-one errors live here.
                if data[at].is_ascii_digit() {
                    data[at] = if data[at] == b'9' { b'0' } else { data[at] + 1 };
                }
            }
        }
    }
}

/// Runs everything a user can reach on one input; returns whether it loaded.
fn exercise(data: Vec<u8>) -> bool {
    let Ok(snap) = Snapshot::from_bytes(Path::new("fuzz"), data.clone()) else {
        return false;
    };
    let other = Snapshot::from_bytes(Path::new("fuzz"), data).expect("loaded once, loads again");
    views(&snap, &other, &mut |_| {});
    true
}

/// JSON of a document, to compare two loads' views.
fn json(document: &impl serde::Serialize) -> String {
    serde_json::to_string(document).expect("documents serialise")
}

/// Every analysis and view a user can reach on `snap` (`other` is a second load to compare
/// with); the documents and names they give are handed to `out`, so that two loads of one
/// snapshot can be compared.
pub(crate) fn views(snap: &Snapshot, other: &Snapshot, out: &mut dyn FnMut(String)) {
    let rows = snap.summary().to_vec();
    for row in &rows {
        out(json(&heaptui_present::json::SummaryClass::of(snap, row)));
    }
    for matching in [MatchBy::Id, MatchBy::Class] {
        let _ = heaptui_engine::compare(snap, other, Some(matching));
    }
    let n = snap.node_count() as u32;
    for node in [0, n / 3, n / 2, n - 1]
        .into_iter()
        .chain(rows.iter().take(5).map(|r| r.nodes[0]))
    {
        for r in snap.retainers(node) {
            out(snap.display_name(r.node));
            out(snap.edge_name(r.edge));
            out(snap.class_name(r.node).to_string());
        }
        let _ = snap.auto_expanded_chain(node);
        out(format!("{:?}", snap.dominator_chain(node)));
        out(snap.display_name(node));
        // The object-level views: contents, values, locations, the dominator subtree.
        for c in snap.contents(node, true) {
            out(heaptui_present::objects::value(snap, c.node, 40));
        }
        out(format!("{:?}", snap.string_text(node)));
        let _ = snap.context_variables(node);
        let _ = snap.source_location(node);
        out(json(&heaptui_cli::dominators::build(snap, node, 2, 5)));
    }
    let first = rows.first().map_or(0, |r| r.nodes[0]);
    out(json(&heaptui_cli::retainers::build(snap, first, 2)));
    out(json(&heaptui_cli::show::build(snap, first, 2, false)));
    let ignored = snap.ignore_retainers(&[first, n / 2]);
    let ignoring = heaptui_cli::retainers::build_ignoring(snap, n - 1, 2, Some(&ignored));
    out(json(&ignoring));
    for filter in heaptui_present::presets::Preset::NAMED {
        let named = filter.named_filter().expect("a named preset");
        let _ = snap.summary_filtered(heaptui_engine::ObjectFilter::Named(named), &|_| {});
    }
    let _ = snap.duplicated_strings();
}

/// The fuzzers' time budget in seconds (`$HEAPTUI_FUZZ_SECONDS`, 20 by default) and seed
/// (`$HEAPTUI_FUZZ_SEED`, else from the clock).
pub(crate) fn budget() -> (u64, u64) {
    let seconds: u64 = std::env::var("HEAPTUI_FUZZ_SECONDS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(20);
    let seed: u64 = std::env::var("HEAPTUI_FUZZ_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| {
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .unwrap()
                .as_nanos() as u64
                | 1
        });
    (seconds, seed)
}

/// A case that runs longer than this is a hang.
const HANG_SECONDS: u64 = 20;

/// Aborts the test program when one case runs for more than [`HANG_SECONDS`], after saving
/// the case's input to the file it was started with.
pub(crate) struct Watchdog {
    /// Seconds since `epoch` when the current case started; 0 between cases.
    started: Arc<AtomicU64>,
    current: Arc<Mutex<Vec<u8>>>,
    epoch: Instant,
}

impl Watchdog {
    /// Starts watching; a hanging case is saved to `hang`.
    pub(crate) fn start(hang: PathBuf) -> Watchdog {
        let watchdog = Watchdog {
            started: Arc::default(),
            current: Arc::default(),
            epoch: Instant::now(),
        };
        let (started, current, epoch) = (
            Arc::clone(&watchdog.started),
            Arc::clone(&watchdog.current),
            watchdog.epoch,
        );
        std::thread::spawn(move || loop {
            std::thread::sleep(Duration::from_secs(1));
            let at = started.load(Ordering::Relaxed);
            if at > 0 && epoch.elapsed().as_secs() > at + HANG_SECONDS {
                let _ = std::fs::write(&hang, &*current.lock().unwrap());
                eprintln!(
                    "fuzz: an input ran for more than {HANG_SECONDS} s; saved to {}",
                    hang.display()
                );
                std::process::abort();
            }
        });
        watchdog
    }

    /// A case with this input starts.
    pub(crate) fn case(&self, input: &[u8]) {
        self.current.lock().unwrap().clear();
        self.current.lock().unwrap().extend_from_slice(input);
        let now = self.epoch.elapsed().as_secs().max(1);
        self.started.store(now, Ordering::Relaxed);
    }

    /// The case is over.
    pub(crate) fn done(&self) {
        self.started.store(0, Ordering::Relaxed);
    }
}

fn corpus() -> Vec<(String, Vec<u8>)> {
    let mut seeds = Vec::new();
    for entry in std::fs::read_dir(common::root().join("tests/fuzz_seeds")).unwrap() {
        let path = entry.unwrap().path();
        seeds.push((path.display().to_string(), std::fs::read(&path).unwrap()));
    }
    for name in ["chromium-detached", "internals"] {
        seeds.push((name.to_string(), common::gunzip(&common::fixture(name))));
    }
    seeds
}

#[test]
fn seeds_load_cleanly() {
    for (name, data) in corpus() {
        let snap =
            Snapshot::from_bytes(Path::new(&name), data).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert!(snap.warnings().is_empty(), "{name}: {:?}", snap.warnings());
        assert!(!snap.summary().is_empty(), "{name}");
    }
}

#[test]
fn mutated_snapshots_never_panic_or_hang() {
    let (seconds, seed) = budget();
    println!("fuzz: seed {seed}, {seconds} s");
    let corpus = corpus();
    let mut rng = Rng(seed);
    let deadline = Instant::now() + Duration::from_secs(seconds);
    let hang = std::env::temp_dir().join(format!("heaptui-fuzz-hang-{seed}.heapsnapshot"));
    let watchdog = Watchdog::start(hang);
    let (mut runs, mut loaded) = (0u64, 0u64);
    while Instant::now() < deadline {
        let (name, seed_data) = &corpus[rng.below(corpus.len())];
        let mut data = seed_data.clone();
        mutate(&mut data, &mut rng);
        watchdog.case(&data);
        let input = data.clone();
        let outcome = std::panic::catch_unwind(|| exercise(input));
        if outcome.is_err() {
            let crash =
                std::env::temp_dir().join(format!("heaptui-fuzz-crash-{seed}-{runs}.heapsnapshot"));
            std::fs::write(&crash, &data).unwrap();
            panic!("fuzz: panic on a mutation of {name} after {runs} runs (seed {seed}); input saved to {}", crash.display());
        }
        watchdog.done();
        runs += 1;
        loaded += u64::from(outcome.unwrap_or(false));
    }
    println!("fuzz: {runs} inputs in {seconds} s ({loaded} loaded and fully analysed), no panic, no hang");
    assert!(
        loaded > 0,
        "no mutated input loaded: the mutations are too destructive to test analysis"
    );
}
