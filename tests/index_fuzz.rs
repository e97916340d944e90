//! An index whose checksums are right but whose values are wrong (another build's writer with
//! a bug, a crafted file in the cache folder) is never trusted either: each section is edited
//! and its checksum recomputed ([`heaptui_engine::reseal_index`]), so only the check of the
//! values on open stands between the edit and the views. A wrong value must be caught (a note,
//! the index rebuilt, the output unchanged) or harmless to every view: never a panic or a hang.
//!
//! CI runs a short budget; a long run is `HEAPTUI_FUZZ_SECONDS=600 cargo test --release --test
//! integration index_fuzz:: -- --nocapture`. A failing case's index is written to
//! $TMPDIR/heaptui-index-fuzz-crash-*.heaptui-index.

use crate::common::{self, TempDir};
use crate::fuzz::{budget, views, Rng, Watchdog};
use heaptui_common::progress::Progress;
use heaptui_engine::{index_sections, reseal_index, IndexSection, LoadOptions, Snapshot};
use std::path::{Path, PathBuf};
use std::sync::OnceLock;
use std::time::{Duration, Instant};

/// The note a load gives when it did not use the index.
const NOT_USED: &str = "the index was not used (";

/// The index cache folder of this test program. The engine finds its cache folder in the
/// environment, which is the process's own: it is set once, before any index is written, to
/// a folder of this program only (no other module loads with an index in process).
fn cache() -> &'static Path {
    static CACHE: OnceLock<PathBuf> = OnceLock::new();
    CACHE.get_or_init(|| {
        let dir = std::env::temp_dir().join(format!("heaptui-index-fuzz-{}", std::process::id()));
        std::env::set_var("HEAPTUI_INDEX_DIR", &dir);
        dir
    })
}

fn load(snap: &Path, index: bool) -> Snapshot {
    let options = LoadOptions {
        index,
        ..LoadOptions::default()
    };
    Snapshot::load(snap, options, &Progress::NONE).unwrap()
}

/// Everything the views of `snap` show, in one string.
fn output(snap: &Snapshot, other: &Snapshot) -> String {
    let mut all = String::new();
    views(snap, other, &mut |text| {
        all.push_str(&text);
        all.push('\n');
    });
    all
}

/// A fixture indexed: its private copy, its index file, the index's bytes and the views'
/// output without an index.
struct Indexed {
    name: &'static str,
    snap: PathBuf,
    index: PathBuf,
    good: Vec<u8>,
    sections: Vec<IndexSection>,
    plain: String,
}

impl Drop for Indexed {
    /// The index goes with the test, and the cache folder with the last one.
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.index);
        let _ = std::fs::remove_dir(cache());
    }
}

fn indexed(dir: &TempDir, name: &'static str) -> Indexed {
    let snap = dir.path(&format!("{name}.heapsnapshot.gz"));
    std::fs::copy(common::fixture(name), &snap).unwrap();
    // The copy is flushed before its key is taken: where the file system caches writes (FUSE,
    // virtiofs), flushing them later moves the modification time, and the index written for
    // the copy would rightly be refused as stale on the next open.
    std::fs::File::open(&snap).unwrap().sync_all().unwrap();
    let plain_load = load(&snap, false);
    let plain = output(&plain_load, &plain_load);
    let before = index_files();
    let written = load(&snap, true);
    assert!(
        !written.from_index(),
        "{name}: a new index, not one found in {}: {:?}",
        cache().display(),
        written.notes()
    );
    let index = index_files()
        .into_iter()
        .find(|f| !before.contains(f))
        .unwrap_or_else(|| panic!("{name}: no index written: {:?}", written.notes()));
    let good = std::fs::read(&index).unwrap();
    let sections = index_sections(&index).unwrap();
    // The index as written is used, with the same output.
    let reopened = load(&snap, true);
    assert!(reopened.from_index(), "{name}: {:?}", reopened.notes());
    assert_eq!(
        output(&reopened, &plain_load),
        plain,
        "{name}: from the index"
    );
    Indexed {
        name,
        snap,
        index,
        good,
        sections,
        plain,
    }
}

/// The index files in this program's cache folder.
fn index_files() -> Vec<PathBuf> {
    crate::index::index_files(cache())
}

/// The section `name` of `sections`.
fn section<'a>(sections: &'a [IndexSection], name: &str) -> &'a IndexSection {
    sections.iter().find(|s| s.name == name).unwrap()
}

/// The byte range of `s` in the file.
fn bytes_of(s: &IndexSection) -> std::ops::Range<usize> {
    let start = s.offset as usize;
    start..start + (s.len as usize) * s.element_size as usize
}

fn u32_at(bytes: &[u8], s: &IndexSection, i: usize) -> u32 {
    let at = s.offset as usize + 4 * i;
    u32::from_le_bytes(bytes[at..at + 4].try_into().unwrap())
}

fn set_u32(bytes: &mut [u8], s: &IndexSection, i: usize, value: u32) {
    let at = s.offset as usize + 4 * i;
    bytes[at..at + 4].copy_from_slice(&value.to_le_bytes());
}

/// Writes `bytes` as the index of `case` with the table `sections`, checksums recomputed.
/// Written aside and renamed into place, as the engine writes: a file still mapped by a
/// snapshot is never cut under it.
fn write_resealed(case: &Indexed, bytes: &[u8], sections: Vec<IndexSection>) {
    let aside = case.index.with_extension("edited");
    std::fs::write(&aside, bytes).unwrap();
    reseal_index(&aside, sections).unwrap();
    std::fs::rename(&aside, &case.index).unwrap();
}

/// Held by each test of this module for its whole run: they share the cache folder, and each
/// finds its indexes as the files that appear in it.
static ONE_AT_A_TIME: std::sync::Mutex<()> = std::sync::Mutex::new(());

fn one_at_a_time() -> std::sync::MutexGuard<'static, ()> {
    ONE_AT_A_TIME.lock().unwrap_or_else(|e| e.into_inner())
}

/// Opens `case`'s snapshot with its (edited) index: whether the index was used, the notes and
/// the views' output.
fn open(case: &Indexed) -> (bool, String, String) {
    let snap = load(&case.snap, true);
    let other = load(&case.snap, true);
    let used = snap.from_index();
    (used, snap.notes().join("\n"), output(&snap, &other))
}

/// Each value the engine relies on, made wrong by hand: each is caught on open, named in the
/// note, and the snapshot loads as without an index.
#[test]
fn wrong_values_with_right_checksums_are_caught_and_rebuilt() {
    let _alone = one_at_a_time();
    let dir = TempDir::new("index-values");
    let case = indexed(&dir, "leak-after");
    let sections = case.sections.clone();
    let n = section(&sections, "node_type").len as u32;
    let m = section(&sections, "edge_to").len as u32;
    let root_dominated = |bytes: &[u8], i: usize| {
        let order = section(&sections, "dfs_order");
        u32_at(bytes, order, i)
    };
    type Edit<'a> = Box<dyn Fn(&mut Vec<u8>) + 'a>;
    let set = |name: &'static str, i: usize, value: u32| -> Edit {
        let s = section(&sections, name).clone();
        Box::new(move |bytes: &mut Vec<u8>| set_u32(bytes, &s, i, value))
    };
    let dominator = section(&sections, "dominator").clone();
    // An edge named by a string: V8's third edge type is `property`.
    let types = section(&sections, "edge_type");
    let property = case.good[bytes_of(types)]
        .iter()
        .position(|&t| t == 2)
        .unwrap();
    let cases: Vec<(&str, Edit)> = vec![
        ("edge_to", set("edge_to", m as usize / 2, n)),
        ("first_edge", set("first_edge", n as usize / 2, u32::MAX)),
        ("node_name", set("node_name", 3, u32::MAX)),
        ("edge_name", set("edge_name", property, u32::MAX - 1)),
        ("classes", set("classes", n as usize - 1, u32::MAX)),
        ("retainer_first", set("retainer_first", 1, m)),
        ("retainer", set("retainer_sources", m as usize / 3, n - 1)),
        ("dfs_order", set("dfs_order", 1, 0)),
        ("Summary row", set("row_nodes", 0, n)),
        (
            "node_type",
            Box::new(|bytes: &mut Vec<u8>| {
                let s = section(&sections, "node_type");
                bytes[s.offset as usize + 1] = 200;
            }),
        ),
        (
            // Two nodes that dominate each other: a walk up the tree would never end.
            "dominator",
            Box::new(move |bytes: &mut Vec<u8>| {
                let (a, b) = (root_dominated(bytes, 5), root_dominated(bytes, 9));
                set_u32(bytes, &dominator, a as usize, b);
                set_u32(bytes, &dominator, b as usize, a);
            }),
        ),
    ];
    for (what, edit) in cases {
        let mut bytes = case.good.clone();
        edit(&mut bytes);
        write_resealed(&case, &bytes, sections.clone());
        let (used, notes, out) = open(&case);
        assert!(!used, "{what}: the wrong value went unnoticed");
        assert!(notes.contains(NOT_USED), "{what}: {notes}");
        let note = notes.lines().find(|l| l.contains(NOT_USED)).unwrap();
        assert!(note.contains(what), "{what}: the note names it: {note}");
        assert!(
            notes.contains("index written to"),
            "{what}: rebuilt: {notes}"
        );
        assert_eq!(out, case.plain, "{what}: the output as without an index");
    }
    // Resealed without an edit, the index is used again.
    write_resealed(&case, &case.good, sections);
    assert!(open(&case).0);
}

/// One random edit of an index: a byte of a section changed, a 4-byte value set to an edge
/// value, two elements swapped, a section shortened or moved, or the small structures' first
/// bytes (the header) changed. Returns what it did.
fn mutate(bytes: &mut [u8], sections: &mut [IndexSection], rng: &mut Rng) -> String {
    let n = section(sections, "node_type").len as u32;
    let m = section(sections, "edge_to").len as u32;
    let i = rng.below(sections.len());
    let s = sections[i].clone();
    let range = bytes_of(&s);
    let elements = s.len as usize;
    if range.is_empty() {
        sections[i].len += 1;
        return format!("{} lengthened", s.name);
    }
    match rng.below(6) {
        0 => {
            let at = range.start + rng.below(range.len());
            bytes[at] ^= 1 << rng.below(8);
            format!("a bit of {} byte {} flipped", s.name, at - range.start)
        }
        1 if s.element_size == 4 => {
            let edges = [
                0,
                1,
                n - 1,
                n,
                n + 1,
                m - 1,
                m,
                m + 1,
                u32::MAX,
                u32::MAX - 1,
            ];
            let value = edges[rng.below(edges.len())];
            let at = rng.below(elements);
            set_u32(bytes, &s, at, value);
            format!("{}[{at}] set to {value}", s.name)
        }
        2 => {
            let size = s.element_size as usize;
            let (a, b) = (rng.below(elements), rng.below(elements));
            for k in 0..size {
                bytes.swap(range.start + a * size + k, range.start + b * size + k);
            }
            format!("{}[{a}] and [{b}] swapped", s.name)
        }
        3 => {
            let len = rng.below(elements) as u64;
            sections[i].len = len;
            format!("{} cut to {len} elements", s.name)
        }
        4 => {
            let small = bytes_of(section(sections, "small"));
            let at = small.start + rng.below(small.len().min(96));
            bytes[at] = rng.next() as u8;
            format!("small byte {} set", at - small.start)
        }
        _ => {
            let other = rng.below(sections.len());
            sections[i].offset = sections[other].offset;
            format!("{} moved onto {}", s.name, sections[other].name)
        }
    }
}

#[test]
fn resealed_random_edits_never_panic_or_hang() {
    let _alone = one_at_a_time();
    let (seconds, seed) = budget();
    println!("index fuzz: seed {seed}, {seconds} s");
    let dir = TempDir::new("index-fuzz");
    let fixtures: Vec<Indexed> = ["node24-1", "chromium-detached", "bun-1"]
        .into_iter()
        .map(|name| indexed(&dir, name))
        .collect();
    let mut rng = Rng(seed);
    let deadline = Instant::now() + Duration::from_secs(seconds);
    let hang = std::env::temp_dir().join(format!("heaptui-index-fuzz-hang-{seed}.heaptui-index"));
    let watchdog = Watchdog::start(hang);
    let (mut runs, mut caught, mut same, mut changed) = (0u64, 0u64, 0u64, 0u64);
    while Instant::now() < deadline {
        let case = &fixtures[rng.below(fixtures.len())];
        let mut bytes = case.good.clone();
        let mut sections = case.sections.clone();
        let what: Vec<String> = (0..1 + rng.below(3))
            .map(|_| mutate(&mut bytes, &mut sections, &mut rng))
            .collect();
        write_resealed(case, &bytes, sections);
        let edited = std::fs::read(&case.index).unwrap();
        watchdog.case(&edited);
        let outcome = std::panic::catch_unwind(|| open(case));
        watchdog.done();
        let Ok((used, notes, out)) = outcome else {
            let crash = std::env::temp_dir().join(format!(
                "heaptui-index-fuzz-crash-{seed}-{runs}.heaptui-index"
            ));
            std::fs::write(&crash, &edited).unwrap();
            panic!(
                "index fuzz: panic on {} ({what:?}) after {runs} runs (seed {seed}); index saved to {}",
                case.name,
                crash.display()
            );
        };
        if used {
            // Wrong values may pass (a size, an id, a name): then only the views differ.
            if out == case.plain {
                same += 1;
            } else {
                changed += 1;
            }
        } else {
            assert!(notes.contains(NOT_USED), "{} {what:?}: {notes}", case.name);
            assert_eq!(out, case.plain, "{} {what:?}: rebuilt", case.name);
            caught += 1;
        }
        runs += 1;
    }
    println!(
        "index fuzz: {runs} edited indexes in {seconds} s: {caught} caught and rebuilt, \
         {same} used with the same output, {changed} used with other values; no panic, no hang"
    );
    assert!(
        caught > 0,
        "no edit was caught: the edits do not reach the check"
    );
}
