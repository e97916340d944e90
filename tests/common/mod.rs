//! Helpers shared by the integration tests: running the real binary with a time limit, and
//! paths to the committed fixtures.
#![allow(dead_code)]

use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

/// The repository root.
pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// A committed fixture by name (`tests/fixtures/NAME.heapsnapshot.gz`).
pub fn fixture(name: &str) -> PathBuf {
    root()
        .join("tests/fixtures")
        .join(format!("{name}.heapsnapshot.gz"))
}

/// Runs `heaptui ARGS…`, failing the test if it runs longer than `limit` (a hang).
pub fn run_heaptui(args: &[&std::ffi::OsStr], limit: Duration) -> Output {
    run_heaptui_env(args, &[], limit)
}

/// `run_heaptui` with environment variables set for the child.
pub fn run_heaptui_env(
    args: &[&std::ffi::OsStr],
    env: &[(&str, &std::ffi::OsStr)],
    limit: Duration,
) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_heaptui"))
        .args(args)
        .envs(env.iter().copied())
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start heaptui");
    let start = Instant::now();
    // Drain the pipes on threads so a large output cannot block the child.
    let mut stdout = child.stdout.take().unwrap();
    let mut stderr = child.stderr.take().unwrap();
    let out = std::thread::spawn(move || {
        let mut v = Vec::new();
        std::io::Read::read_to_end(&mut stdout, &mut v).ok();
        v
    });
    let err = std::thread::spawn(move || {
        let mut v = Vec::new();
        std::io::Read::read_to_end(&mut stderr, &mut v).ok();
        v
    });
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if start.elapsed() > limit {
            child.kill().ok();
            panic!("heaptui {args:?} did not finish within {limit:?}");
        }
        std::thread::sleep(Duration::from_millis(10));
    };
    Output {
        status,
        stdout: out.join().unwrap(),
        stderr: err.join().unwrap(),
    }
}

/// `run_heaptui` for string arguments.
pub fn heaptui(args: &[&str]) -> Output {
    let args: Vec<&std::ffi::OsStr> = args.iter().map(std::ffi::OsStr::new).collect();
    run_heaptui(&args, Duration::from_secs(60))
}

/// Removes `dir` (if still there) when this test program exits. A folder a static holds (the
/// leak apps' runs, shared by several tests) is never dropped, and per-process folders are
/// shared by tests that cannot tell which is last; without this every `cargo test` would leave
/// hundreds of MB in the temporary folder.
pub fn remove_at_exit(dir: &Path) {
    use std::sync::{Mutex, Once};
    static LEFT: Mutex<Vec<PathBuf>> = Mutex::new(Vec::new());
    static HOOK: Once = Once::new();
    extern "C" fn remove_left() {
        let left = std::mem::take(&mut *LEFT.lock().unwrap_or_else(|e| e.into_inner()));
        for dir in left {
            let _ = std::fs::remove_dir_all(dir);
        }
    }
    HOOK.call_once(|| {
        // SAFETY: `remove_left` takes no arguments and does not unwind (it ignores every
        // error and recovers a poisoned lock); the test harness exits through `exit`, which
        // runs it once.
        unsafe { libc::atexit(remove_left) };
    });
    let mut left = LEFT.lock().unwrap_or_else(|e| e.into_inner());
    if !left.iter().any(|d| d == dir) {
        left.push(dir.to_path_buf());
    }
}

/// A fresh private temporary directory, removed when dropped (or when the program exits, for
/// one a static holds).
pub struct TempDir(pub PathBuf);

impl TempDir {
    /// Creates `…/heaptui-test-<tag>-<pid>-<n>`.
    pub fn new(tag: &str) -> TempDir {
        use std::sync::atomic::{AtomicUsize, Ordering};
        static N: AtomicUsize = AtomicUsize::new(0);
        let dir = std::env::temp_dir().join(format!(
            "heaptui-test-{tag}-{}-{}",
            std::process::id(),
            N.fetch_add(1, Ordering::Relaxed)
        ));
        std::fs::create_dir_all(&dir).unwrap();
        remove_at_exit(&dir);
        TempDir(dir)
    }

    /// A path inside the directory.
    pub fn path(&self, name: &str) -> PathBuf {
        self.0.join(name)
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// Installs a package.json + lockfile's dependencies (from the folder `from`) into a temp dir
/// with `npm ci` (npm's cache serves what it holds); None when npm fails.
pub fn npm_deps(from: &Path, into: &TempDir) -> Option<()> {
    for f in ["package.json", "package-lock.json"] {
        std::fs::copy(from.join(f), into.path(f)).ok()?;
    }
    let status = Command::new("npm")
        .args(["ci", "--no-audit", "--no-fund", "--loglevel=error"])
        .current_dir(&into.0)
        .status()
        .ok()?;
    status.success().then_some(())
}

/// Decompresses a fixture.
pub fn gunzip(path: &Path) -> Vec<u8> {
    use std::io::Read;
    let mut out = Vec::new();
    flate2::read::GzDecoder::new(std::fs::File::open(path).unwrap())
        .read_to_end(&mut out)
        .unwrap();
    out
}

/// The JSON a successful run printed.
pub fn json_of(out: &Output) -> Value {
    assert!(
        out.status.success(),
        "exit {:?}: {}",
        out.status,
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("valid JSON")
}

/// A JSON file of the repository.
pub fn read_json(rel: &str) -> Value {
    serde_json::from_str(&std::fs::read_to_string(root().join(rel)).unwrap()).unwrap()
}

/// The summary goldens (without a node filter): (fixture path, golden).
pub fn summary_goldens() -> Vec<(String, Value)> {
    let index = read_json("tests/golden/index.json");
    let all: Vec<(String, Value)> = index["goldens"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|g| g["kind"] == "summary" && g.get("idRange").is_none())
        .map(|g| {
            (
                g["snapshots"][0].as_str().unwrap().to_string(),
                read_json(g["golden"].as_str().unwrap()),
            )
        })
        .collect();
    assert!(all.len() >= 5, "too few summary goldens");
    all
}

/// DevTools' class key of a row of heaptui's JSON output.
pub fn class_key(row: &Value) -> String {
    match row["location"].as_object() {
        Some(l) => format!(
            "{},{},{},{}",
            l["scriptId"],
            l["line"],
            l["column"],
            row["name"].as_str().unwrap()
        ),
        None => format!(",{}", row["name"].as_str().unwrap()),
    }
}

/// Checks every Summary row and the totals of `summary --json` output against a golden.
pub fn assert_summary_matches(what: &str, ours: &Value, golden: &Value) {
    let mut bad = Vec::new();
    for field in ["nodeCount", "edgeCount", "totalSize"] {
        if ours[field] != golden["totals"][field] {
            bad.push(format!(
                "{field}: {} vs {}",
                ours[field], golden["totals"][field]
            ));
        }
    }
    for field in ["filterTotalCount", "filterTotalSize"] {
        if ours[field] != golden[field] {
            bad.push(format!("{field}: {} vs {}", ours[field], golden[field]));
        }
    }
    let rows: std::collections::HashMap<String, &Value> = ours["classes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| (class_key(r), r))
        .collect();
    let theirs = golden["classes"].as_array().unwrap();
    if rows.len() != theirs.len() {
        bad.push(format!("{} classes vs {}", rows.len(), theirs.len()));
    }
    for class in theirs {
        let key = class["classKey"].as_str().unwrap();
        let Some(row) = rows.get(key) else {
            bad.push(format!("class {key:?} missing"));
            continue;
        };
        for field in ["count", "shallowSize", "retainedSize"] {
            if row[field] != class[field] {
                bad.push(format!(
                    "{key:?} {field}: {} vs {}",
                    row[field], class[field]
                ));
            }
        }
        // heaptui prints null where DevTools shows "−": its distances from 100000000 up, and
        // its "no distance" (-5: objects its BFS never reached, as Bun's snapshots have).
        let distance_ok = match row["distance"].as_u64() {
            Some(d) => class["distance"] == d,
            None => class["distance"]
                .as_i64()
                .is_some_and(|d| !(0..100_000_000).contains(&d)),
        };
        if !distance_ok {
            bad.push(format!(
                "{key:?} distance: {} vs {}",
                row["distance"], class["distance"]
            ));
        }
    }
    assert!(
        bad.is_empty(),
        "{what}: {} mismatches: {:?}",
        bad.len(),
        &bad[..bad.len().min(20)]
    );
}
