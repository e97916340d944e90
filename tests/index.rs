//! The opt-in index (`--index`): written once to a private cache folder, reused on the next
//! open with output byte-identical to a load without it, and never trusted: a stale, truncated
//! or corrupted index is noticed, rebuilt and the output stays the same; an unwritable folder
//! falls back with a note; `heaptui index --prune` removes stale indexes and keeps the cap.

use crate::common::{self, TempDir};
use crate::fuzz::Rng;
use std::ffi::OsStr;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::Output;
use std::time::Duration;

/// The line `--timings` prints when a snapshot was reopened from its index.
const REOPENED: &str = "reopen from the index";

/// Runs heaptui with `HEAPTUI_INDEX_DIR` (and `XDG_CACHE_HOME`, `HOME`) pointing into `cache`,
/// so no test touches the real cache.
fn run(cache: &Path, args: &[&OsStr], extra_env: &[(&str, &OsStr)]) -> Output {
    let dir = cache.join("index");
    let home = cache.join("home");
    let mut env: Vec<(&str, &OsStr)> = vec![
        ("HEAPTUI_INDEX_DIR", dir.as_os_str()),
        ("XDG_CACHE_HOME", home.as_os_str()),
        ("HOME", home.as_os_str()),
    ];
    env.retain(|(k, _)| !extra_env.iter().any(|(e, _)| e == k));
    env.extend_from_slice(extra_env);
    env.retain(|(k, _)| !k.is_empty());
    common::run_heaptui_env(args, &env, Duration::from_secs(120))
}

fn os<'a>(args: &[&'a str]) -> Vec<&'a OsStr> {
    args.iter().map(|a| OsStr::new(*a)).collect()
}

/// `summary --json` of `snap` with the index and its timings (which say whether it was used).
fn indexed_summary(snap: &Path) -> Vec<&OsStr> {
    os(&[
        "summary",
        snap.to_str().unwrap(),
        "--json",
        "--index",
        "--timings",
    ])
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// The index files in `folder`.
pub(crate) fn index_files(folder: &Path) -> Vec<PathBuf> {
    let Ok(read) = std::fs::read_dir(folder) else {
        return Vec::new();
    };
    read.flatten()
        .map(|e| e.path())
        .filter(|p| p.to_string_lossy().ends_with(".heaptui-index"))
        .collect()
}

/// A private copy of a fixture (tests change its time and content).
fn copy_of(dir: &TempDir, name: &str, as_name: &str) -> PathBuf {
    let path = dir.path(as_name);
    std::fs::copy(common::fixture(name), &path).unwrap();
    path
}

#[test]
fn first_run_writes_a_private_index_and_the_next_reuses_it_with_identical_output() {
    let cache = TempDir::new("index-reuse");
    let after = common::fixture("leak-after");
    let after = after.to_str().unwrap();
    let base = common::fixture("leak-base");
    let last = common::fixture("leak-final");
    let (base, last) = (base.to_str().unwrap(), last.to_str().unwrap());
    // An object with retainers and properties: the first row of the Summary's largest class.
    let plain = common::heaptui(&["query", after, "--class", "^Array$", "--json"]);
    let id = common::json_of(&plain)["objects"][0]["id"]
        .as_u64()
        .unwrap();
    let id = format!("@{id}");
    let commands: Vec<Vec<&str>> = vec![
        vec!["summary", after, "--json"],
        vec!["retainers", after, &id, "--json"],
        vec!["show", after, &id, "--json"],
        vec!["statistics", after, "--json"],
        vec!["suspects", base, after, last, "--json"],
    ];
    for (i, command) in commands.iter().enumerate() {
        let without = common::heaptui(command);
        assert!(
            without.status.success(),
            "{command:?}: {}",
            stderr(&without)
        );
        let mut indexed = command.clone();
        indexed.extend(["--index", "--timings"]);
        let first = run(&cache.0, &os(&indexed), &[]);
        let second = run(&cache.0, &os(&indexed), &[]);
        assert_eq!(
            first.stdout, without.stdout,
            "{command:?}, writing the index"
        );
        assert_eq!(second.stdout, without.stdout, "{command:?}, from the index");
        if i == 0 {
            assert!(
                stderr(&first).contains("index written to"),
                "{}",
                stderr(&first)
            );
            assert!(!stderr(&first).contains(REOPENED));
        }
        assert!(stderr(&second).contains(REOPENED), "{}", stderr(&second));
        assert!(!stderr(&second).contains("index written"));
    }
    let folder = cache.path("index");
    let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode(&folder), 0o700);
    let files = index_files(&folder);
    assert_eq!(files.len(), 3, "one index per snapshot: {files:?}");
    for f in &files {
        assert_eq!(mode(f), 0o600, "{}", f.display());
    }
    // HEAPTUI_INDEX=1 turns it on; --no-index turns it off again.
    let summary = os(&["summary", after, "--json", "--timings"]);
    let on = run(&cache.0, &summary, &[("HEAPTUI_INDEX", OsStr::new("1"))]);
    assert!(stderr(&on).contains(REOPENED));
    let mut no = summary.clone();
    no.push(OsStr::new("--no-index"));
    let off = run(&cache.0, &no, &[("HEAPTUI_INDEX", OsStr::new("1"))]);
    assert!(!stderr(&off).contains(REOPENED));
    assert_eq!(on.stdout, off.stdout);
}

#[test]
fn a_stale_index_is_rebuilt_with_a_note() {
    let cache = TempDir::new("index-stale");
    let snap = copy_of(&cache, "leak-after", "snap.heapsnapshot.gz");
    let args = indexed_summary(&snap);
    assert!(run(&cache.0, &args, &[]).status.success());
    // Touched: same bytes, a new modification time.
    let file = std::fs::File::options().write(true).open(&snap).unwrap();
    file.set_modified(std::time::SystemTime::now() + Duration::from_secs(5))
        .unwrap();
    drop(file);
    let touched = run(&cache.0, &args, &[]);
    let note = stderr(&touched);
    assert!(
        note.contains("the index was not used (the snapshot changed): rebuilding it"),
        "{note}"
    );
    assert!(note.contains("index written to"), "{note}");
    assert!(stderr(&run(&cache.0, &args, &[])).contains(REOPENED));
    // Replaced by another snapshot: the output is the new snapshot's.
    std::fs::copy(common::fixture("leak-final"), &snap).unwrap();
    let replaced = run(&cache.0, &args, &[]);
    assert!(stderr(&replaced).contains("the snapshot changed"));
    let plain = common::heaptui(&["summary", snap.to_str().unwrap(), "--json"]);
    assert_eq!(replaced.stdout, plain.stdout);
    assert_eq!(
        index_files(&cache.path("index")).len(),
        1,
        "rewritten in place"
    );
}

/// Like the snapshot parser's fuzzer, on a real index: cut at random lengths, random bytes and
/// bits flipped. Each is detected (a note, no reuse), rebuilt, and the output is unchanged.
#[test]
fn a_truncated_or_corrupted_index_is_detected_and_rebuilt() {
    let cache = TempDir::new("index-corrupt");
    let snap = common::fixture("node24-1");
    let args = indexed_summary(&snap);
    let plain = common::heaptui(&["summary", snap.to_str().unwrap(), "--json"]);
    assert!(run(&cache.0, &args, &[]).status.success());
    let files = index_files(&cache.path("index"));
    let [index] = &files[..] else {
        panic!("one index: {files:?}");
    };
    let good = std::fs::read(index).unwrap();
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    let cases = 24;
    for case in 0..cases {
        let mut bad = good.clone();
        let what = match case % 3 {
            0 => {
                let cut = rng.below(good.len());
                bad.truncate(cut);
                format!("cut at {cut}")
            }
            1 => {
                let at = rng.below(good.len());
                bad[at] = bad[at].wrapping_add(1 + rng.below(255) as u8);
                format!("byte {at} changed")
            }
            _ => {
                let at = rng.below(good.len());
                bad[at] ^= 1 << rng.below(8);
                format!("a bit of byte {at} flipped")
            }
        };
        std::fs::write(index, &bad).unwrap();
        let out = run(&cache.0, &args, &[]);
        let note = stderr(&out);
        assert!(out.status.success(), "{what}: {note}");
        assert_eq!(out.stdout, plain.stdout, "{what}");
        assert!(!note.contains(REOPENED), "{what} went unnoticed: {note}");
        assert!(note.contains("the index was not used ("), "{what}: {note}");
        assert!(note.contains("index written to"), "{what}: rebuilt: {note}");
        let again = run(&cache.0, &args, &[]);
        assert!(
            stderr(&again).contains(REOPENED),
            "{what}: the rebuilt index is used"
        );
        assert_eq!(again.stdout, plain.stdout, "{what}");
    }
}

#[test]
fn an_unwritable_folder_falls_back_to_the_default_cache_then_to_no_index() {
    let cache = TempDir::new("index-readonly");
    let snap = common::fixture("leak-after");
    let args = indexed_summary(&snap);
    let plain = common::heaptui(&["summary", snap.to_str().unwrap(), "--json"]);
    // A folder under a regular file cannot be created, even by root (who ignores mode bits).
    let blocker = cache.path("a-file");
    std::fs::write(&blocker, b"").unwrap();
    let unwritable = blocker.join("index");
    let out = run(
        &cache.0,
        &args,
        &[("HEAPTUI_INDEX_DIR", unwritable.as_os_str())],
    );
    let note = stderr(&out);
    assert_eq!(out.stdout, plain.stdout);
    assert!(note.contains("cannot write the index in"), "{note}");
    let default = cache.path("home").join("heaptui").join("index");
    assert!(
        note.contains(&format!("wrote it in {}", default.display())),
        "{note}"
    );
    assert_eq!(
        note.lines().filter(|l| l.contains("cannot write")).count(),
        1
    );
    assert_eq!(index_files(&default).len(), 1);
    // The fallback is found on the next open.
    let again = run(
        &cache.0,
        &args,
        &[("HEAPTUI_INDEX_DIR", unwritable.as_os_str())],
    );
    assert!(stderr(&again).contains(REOPENED));
    // No folder can be written: no index, the output unchanged.
    let nowhere = [
        ("HEAPTUI_INDEX_DIR", unwritable.as_os_str()),
        ("XDG_CACHE_HOME", blocker.as_os_str()),
        ("HOME", blocker.as_os_str()),
    ];
    let out = run(&cache.0, &args, &nowhere);
    let note = stderr(&out);
    assert_eq!(out.stdout, plain.stdout);
    assert!(note.contains("going on without one"), "{note}");
}

#[test]
fn prune_removes_stale_indexes_and_keeps_the_cache_under_its_cap() {
    let cache = TempDir::new("index-prune");
    let kept = copy_of(&cache, "leak-base", "kept.heapsnapshot.gz");
    let gone = copy_of(&cache, "leak-after", "gone.heapsnapshot.gz");
    let changed = copy_of(&cache, "leak-final", "changed.heapsnapshot.gz");
    let index = |files: &[&Path]| {
        let mut args = vec![OsStr::new("index")];
        args.extend(files.iter().map(|f| f.as_os_str()));
        run(&cache.0, &args, &[])
    };
    let out = index(&[&kept, &gone, &changed]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(
        String::from_utf8_lossy(&out.stdout)
            .matches(": indexed")
            .count(),
        3
    );
    let again = index(&[&kept]);
    assert!(
        String::from_utf8_lossy(&again.stdout).contains("kept.heapsnapshot.gz: index up to date")
    );
    let folder = cache.path("index");
    assert_eq!(index_files(&folder).len(), 3);
    std::fs::remove_file(&gone).unwrap();
    std::fs::copy(common::fixture("leak-base"), &changed).unwrap();
    let pruned = run(&cache.0, &os(&["index", "--prune"]), &[]);
    let text = String::from_utf8_lossy(&pruned.stdout);
    assert!(text.contains("(its snapshot is gone)"), "{text}");
    assert!(text.contains("(the snapshot changed)"), "{text}");
    assert!(text.contains("pruned 2 index files"), "{text}");
    assert_eq!(index_files(&folder).len(), 1);
    // A cap below one index's size empties the cache.
    let capped = run(
        &cache.0,
        &os(&["index", "--prune"]),
        &[("HEAPTUI_INDEX_CAP", OsStr::new("1kB"))],
    );
    let text = String::from_utf8_lossy(&capped.stdout);
    assert!(text.contains("(over the size cap)"), "{text}");
    assert!(index_files(&folder).is_empty());
}
