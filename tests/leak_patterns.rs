//! Leak suspects on real leaking apps: each app in scripts/fixtures/patterns leaks in one known
//! way while unrelated work comes and goes; it runs now, with node, writing three snapshots
//! from one process — by itself, or as a loopback service driven by
//! scripts/fixtures/lib/drive.cjs, which sends requests and asks for a snapshot on SIGUSR2
//! (a fresh stack) or through a debug route (from inside running code). expected.json says
//! what each app leaks and where the fix is. heaptui's *first* suspect must name the fix (a
//! variable on the holder's path or a function in its code list), accumulate the leaking
//! class first, grow by what the app leaked in each interval, and match the pattern.
//!
//! The same apps run twice make series across processes (the service restarted after its
//! first snapshot): the holder is then found by its path's shape, and must be the object the
//! restarted service's own series finds.
//!
//! Apps that need what this machine lacks (npm's registry, Chromium for detached DOM) are
//! reported as skipped; the node-only apps always run. Apps run a few at a time.

use crate::common;
use common::{heaptui, npm_deps, TempDir};
use serde_json::Value;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::{Mutex, OnceLock};

/// Apps running at once: they mostly wait on each other's requests and on writing snapshots.
const PARALLEL_APPS: usize = 3;
/// How far a per-interval growth may be above or below what the app leaked: the request in
/// flight when a handler writes the snapshot, a straggler of the warm-up.
const SLACK: i64 = 2;
/// Apps run twice for series across processes.
const TWICE: &[&str] = &["listeners.cjs", "closures.cjs", "process-listeners.cjs"];

pub(crate) fn patterns_dir() -> PathBuf {
    common::root().join("scripts/fixtures/patterns")
}

pub(crate) fn expected() -> Vec<Value> {
    serde_json::from_str(&std::fs::read_to_string(patterns_dir().join("expected.json")).unwrap())
        .unwrap()
}

/// The apps' snapshots: per app (and `name#2` for second runs), the folder holding
/// 1–3.heapsnapshot; and the apps skipped, with why.
struct Runs {
    dirs: HashMap<String, TempDir>,
    skipped: Vec<String>,
}

/// Runs every app once (and those in [`TWICE`] twice), a few at a time; done once per test
/// binary.
fn runs() -> &'static Runs {
    static RUNS: OnceLock<Runs> = OnceLock::new();
    RUNS.get_or_init(|| {
        let apps = expected();
        let npm = TempDir::new("pattern-npm");
        let npm = apps
            .iter()
            .any(|a| a["needs"] == "npm")
            .then(|| npm_deps(&patterns_dir(), &npm).map(|()| npm))
            .flatten();
        let chromium = std::env::var("CHROMIUM").unwrap_or_else(|_| "/usr/bin/chromium".into());
        let ws = TempDir::new("pattern-ws");
        let ws = (Path::new(&chromium).exists()
            && npm_deps(&common::root().join("scripts/fixtures"), &ws).is_some())
        .then_some(ws);
        let mut skipped = Vec::new();
        let mut jobs: Vec<(String, Value, Option<PathBuf>)> = Vec::new();
        for app in &apps {
            let name = app["app"].as_str().unwrap().to_string();
            let deps = match app["needs"].as_str().unwrap() {
                "npm" => match &npm {
                    Some(d) => Some(d.0.clone()),
                    None => {
                        skipped.push(format!("{name} (npm ci failed)"));
                        continue;
                    }
                },
                "chromium" => match &ws {
                    Some(d) => Some(d.0.clone()),
                    None => {
                        skipped.push(format!("{name} (no Chromium)"));
                        continue;
                    }
                },
                _ => npm.as_ref().map(|d| d.0.clone()),
            };
            jobs.push((name.clone(), app.clone(), deps.clone()));
            if TWICE.contains(&name.as_str()) {
                jobs.push((format!("{name}#2"), app.clone(), deps));
            }
        }
        let queue = Mutex::new(jobs);
        let dirs = Mutex::new(HashMap::new());
        std::thread::scope(|scope| {
            for _ in 0..PARALLEL_APPS {
                scope.spawn(|| loop {
                    let Some((key, app, deps)) = queue.lock().unwrap().pop() else {
                        break;
                    };
                    let dir = run_app(&app, deps.as_deref());
                    dirs.lock().unwrap().insert(key, dir);
                });
            }
        });
        Runs {
            dirs: dirs.into_inner().unwrap(),
            skipped,
        }
    })
}

/// Runs one app into a fresh folder (three tries: a loaded machine can time a browser out).
pub(crate) fn run_app(app: &Value, deps: Option<&Path>) -> TempDir {
    let name = app["app"].as_str().unwrap();
    let out = TempDir::new("pattern");
    let mut errors = String::new();
    let ran = (0..3).any(|_| {
        let mut run = Command::new("node");
        let flags = app["nodeFlags"].as_array().map_or(&[][..], Vec::as_slice);
        if app.get("plan").is_some() {
            // The driver starts the app with its flags.
            run.arg(common::root().join("scripts/fixtures/lib/drive.cjs"));
        } else {
            run.args(flags.iter().map(|f| f.as_str().unwrap()));
        }
        run.arg(patterns_dir().join(name)).arg(&out.0);
        if let Some(d) = deps {
            run.env("FIXTURE_DEPS_DIR", d);
        }
        let result = run.output().expect("node is installed");
        errors.push_str(&String::from_utf8_lossy(&result.stderr));
        result.status.success()
    });
    assert!(ran, "{name} failed three times:\n{errors}");
    out
}

fn snapshot(dir: &TempDir, i: usize) -> String {
    dir.path(&format!("{i}.heapsnapshot"))
        .to_str()
        .unwrap()
        .to_string()
}

/// `heaptui suspects --json` on three snapshots.
fn suspects(snaps: [String; 3]) -> Value {
    let result = heaptui(&["suspects", &snaps[0], &snaps[1], &snaps[2], "--json"]);
    assert!(
        result.status.success(),
        "{}",
        String::from_utf8_lossy(&result.stderr)
    );
    serde_json::from_slice(&result.stdout).unwrap()
}

/// True when `f` (a function of a suspect's JSON) is defined at `site`, `FILE:LINE` (1-based).
fn defined_at(f: &Value, site: &str) -> bool {
    let (script, line) = site.rsplit_once(':').unwrap();
    let at = &f["location"];
    at["scriptName"]
        .as_str()
        .is_some_and(|s| s.ends_with(&format!("/{script}")))
        && at["line"].as_i64() == Some(line.parse::<i64>().unwrap() - 1)
}

/// Checks that `top` (a first suspect) leads to the app's fix and grew as the app leaked.
fn check_first_suspect(name: &str, app: &Value, top: &Value) {
    let leading = &top["accumulates"][0];
    assert_eq!(
        leading["className"], app["suspect"],
        "{name}: what accumulates first: {top}"
    );
    assert_eq!(top["pattern"], app["pattern"], "{name}: {top}");
    let per_interval = app["perInterval"].as_i64().unwrap();
    let counts: Vec<i64> = leading["counts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c.as_i64().unwrap())
        .collect();
    for w in counts.windows(2) {
        assert!(
            (w[1] - w[0] - per_interval).abs() <= SLACK,
            "{name}: {} per interval expected, counts {counts:?} under {}",
            per_interval,
            top["holder"]
        );
    }
    let path = top["holderPath"].as_array().unwrap();
    let code = top["code"].as_array().unwrap();
    let names_fix = |fix: &Value| {
        if let Some(edge) = fix["edge"].as_str() {
            return path.iter().any(|s| s["edgeName"] == edge);
        }
        code.iter()
            .any(|f| defined_at(f, fix["code"].as_str().unwrap()))
    };
    assert!(
        app["fix"].as_array().unwrap().iter().any(names_fix),
        "{name}: the first suspect names none of {}: path {path:?}, code {code:?}",
        app["fix"]
    );
}

#[test]
fn each_app_s_first_suspect_leads_to_its_fix() {
    let runs = runs();
    let mut checked = Vec::new();
    for app in expected() {
        let name = app["app"].as_str().unwrap();
        let Some(dir) = runs.dirs.get(name) else {
            continue;
        };
        let doc = suspects([1, 2, 3].map(|i| snapshot(dir, i)));
        assert_eq!(doc["matchedBy"], "id", "{name}");
        let top = &doc["suspects"][0];
        check_first_suspect(name, &app, top);
        // In one process, new objects are new: none under the holder in the first snapshot,
        // and its retained size grows with them.
        let holder = &top["holder"];
        assert_eq!(holder["newObjects"][0], 0, "{name}: {holder}");
        // What the holder stores directly, where the app says how many it keeps.
        if let Some(stored) = app.get("stores") {
            let row = top["stores"]
                .as_array()
                .unwrap()
                .iter()
                .find(|s| s["className"] == stored["className"]);
            assert_eq!(
                row.map(|r| &r["count"]),
                Some(&stored["count"]),
                "{name}: {}",
                top["stores"]
            );
        }
        // Run with allocation tracking, the app's own function that allocated what leaks
        // comes first (or its caller, where V8 inlined it); without it there are no stacks.
        let allocated = top["allocatedAt"].as_array().unwrap();
        match app["allocatedIn"].as_array() {
            Some(sites) => assert!(
                allocated.first().is_some_and(|a| sites
                    .iter()
                    .any(|site| defined_at(a, site.as_str().unwrap()))),
                "{name}: {allocated:?}"
            ),
            None => assert!(allocated.is_empty(), "{name}: {allocated:?}"),
        }
        checked.push(name.to_string());
    }
    println!(
        "leak pattern apps checked: {checked:?}; skipped: {:?}",
        runs.skipped
    );
    assert!(
        checked.len() >= 8,
        "too few apps ran: {checked:?}, skipped {:?}",
        runs.skipped
    );
}

#[test]
fn a_series_across_a_restart_finds_the_same_holder_by_its_path() {
    let runs = runs();
    let apps = expected();
    for name in TWICE {
        let app = apps.iter().find(|a| a["app"] == *name).unwrap();
        let (Some(a), Some(b)) = (runs.dirs.get(*name), runs.dirs.get(&format!("{name}#2"))) else {
            continue;
        };
        // Two real processes differ in what they hold besides the leak (about one pair in
        // twenty-five ranked another holder first in our runs, see the note): a failed
        // pair is run once more from scratch, and the second pair must pass.
        let first = std::panic::catch_unwind(|| check_across_restart(name, app, a, b));
        if let Err(failure) = first {
            let why = failure
                .downcast_ref::<String>()
                .map_or("(no message)", String::as_str);
            eprintln!("{name}: a pair of runs failed, running it again: {why}");
            // The apps run twice need Node alone (their npm folder is gone by now).
            assert_eq!(app["needs"], "node", "{name}");
            let (a, b) = (run_app(app, None), run_app(app, None));
            check_across_restart(name, app, &a, &b);
        }
    }
}

/// Checks the series of `a`'s first snapshot and `b`'s last two (the service restarted after
/// its first snapshot: ids are unrelated from there on).
fn check_across_restart(name: &str, app: &Value, a: &TempDir, b: &TempDir) {
    let across = suspects([snapshot(a, 1), snapshot(b, 2), snapshot(b, 3)]);
    assert_eq!(across["matchedBy"], "class", "{name}");
    assert_eq!(across["holdersMatchedBy"], "pathShape", "{name}");
    let top = &across["suspects"][0];
    check_first_suspect(name, app, top);
    // The very holder the restarted service's own series finds (the same last snapshot).
    // Its path is checked above (it names the fix); paths of equal cost may differ with
    // the searches made before (src/leaks/explain.rs), so they are not compared.
    let same = suspects([1, 2, 3].map(|i| snapshot(b, i)));
    assert_eq!(
        top["holder"]["id"], same["suspects"][0]["holder"]["id"],
        "{name}"
    );
    let sizes = top["holder"]["retainedSizes"].as_array().unwrap();
    assert!(
        sizes.iter().all(|s| s.is_u64()),
        "{name}: found in each: {sizes:?}"
    );
}

#[test]
fn the_reports_show_where_tracked_apps_allocated_what_leaks() {
    let runs = runs();
    let mut checked = 0;
    for app in expected().iter().filter(|a| a.get("allocatedIn").is_some()) {
        let name = app["app"].as_str().unwrap();
        let Some(dir) = runs.dirs.get(name) else {
            continue;
        };
        let snaps = [1, 2, 3].map(|i| snapshot(dir, i));
        let doc = suspects(snaps.clone());
        let site = &doc["suspects"][0]["allocatedAt"][0];
        let at = &site["location"];
        let script = at["scriptName"]
            .as_str()
            .unwrap()
            .rsplit('/')
            .next()
            .unwrap();
        // As DevTools links it: 1-based line and column.
        let shown = format!(
            "{}() {script}:{}:{}",
            site["functionName"].as_str().unwrap(),
            at["line"].as_u64().unwrap() + 1,
            at["column"].as_u64().unwrap() + 1
        );
        for (format, heading) in [("text", "   allocated at: "), ("markdown", "- ")] {
            let mut args = vec!["suspects", &snaps[0], &snaps[1], &snaps[2]];
            args.extend(["--format", format]);
            let out = heaptui(&args);
            assert!(out.status.success(), "{name} {format}");
            let report = String::from_utf8_lossy(&out.stdout);
            assert!(
                report.contains(&format!("{heading}{shown} · ")),
                "{name} {format}: {shown} missing in\n{report}"
            );
        }
        checked += 1;
    }
    assert!(checked >= 1, "no tracked app ran");
}
