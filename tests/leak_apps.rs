//! Leak suspects on apps the heuristics were not written for (scripts/fixtures/apps): real
//! services on libraries people run (Koa, Hapi, graphql-js, Socket.IO, p-queue, React server
//! rendering, lru-cache, undici, EventTarget, keyv) under Node 24 and 26, and one on Bun,
//! each leaking in its own way, driven by requests on loopback, with snapshots written by the
//! app's own signal handler, by Node's `--heapsnapshot-signal` or from inside running code.
//! Each app records what it leaked and what its leaking holder stores (leaked.json, its own
//! count). heaptui's *first* suspect must name the app's fix (a variable on the holder's path
//! or a function in its code list), count at least [`COUNTED_MIN`] of what the app leaked as
//! its members, and say what the holder stores directly as the app counts it.
//!
//! The apps and their libraries are installed now (`npm ci` into a temp dir, with the apps
//! copied next to `node_modules`), and so are the runtimes (scripts/fixtures/runtimes); when
//! npm cannot install them, the apps are reported as skipped.

use crate::common;
use common::{heaptui, json_of, npm_deps, TempDir};
use serde_json::Value;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::{Mutex, OnceLock};

/// Apps running at once: they mostly wait on their own requests and on writing snapshots.
const PARALLEL_APPS: usize = 3;
/// The share of what an app leaked its first suspect must count as members (a few leaked
/// objects may be held elsewhere besides: the request in flight, a reused socket's state).
const COUNTED_MIN: f64 = 0.9;

fn apps_dir() -> PathBuf {
    common::root().join("scripts/fixtures/apps")
}

fn expected() -> Vec<Value> {
    serde_json::from_str(&std::fs::read_to_string(apps_dir().join("expected.json")).unwrap())
        .unwrap()
}

/// The runtime binaries inside an `npm ci` of scripts/fixtures/runtimes.
fn runtime_binary(runtimes: &Path, name: &str) -> PathBuf {
    match name {
        "bun" => runtimes.join("node_modules/@oven/bun-linux-x64/bin/bun"),
        node => runtimes.join(format!("node_modules/{node}/bin/node")),
    }
}

/// The apps' output folders (1–3.heapsnapshot, leaked.json) by app, or why none ran.
struct Runs {
    dirs: HashMap<String, TempDir>,
    skipped: Option<String>,
}

/// Installs the apps and the runtimes, and runs every app, a few at a time; once per binary.
fn runs() -> &'static Runs {
    static RUNS: OnceLock<Runs> = OnceLock::new();
    RUNS.get_or_init(|| {
        let deps = TempDir::new("apps-npm");
        let runtimes = TempDir::new("apps-runtimes");
        let installed = npm_deps(&apps_dir(), &deps).is_some()
            && npm_deps(&common::root().join("scripts/fixtures/runtimes"), &runtimes).is_some();
        if !installed {
            return Runs {
                dirs: HashMap::new(),
                skipped: Some("npm ci failed".into()),
            };
        }
        for entry in std::fs::read_dir(apps_dir()).unwrap() {
            let path = entry.unwrap().path();
            let script = path
                .extension()
                .is_some_and(|e| e == "cjs" || e == "mjs" || e == "js");
            if script {
                std::fs::copy(&path, deps.0.join(path.file_name().unwrap())).unwrap();
            }
        }
        let queue = Mutex::new(expected());
        let dirs = Mutex::new(HashMap::new());
        std::thread::scope(|scope| {
            for _ in 0..PARALLEL_APPS {
                scope.spawn(|| loop {
                    let Some(app) = queue.lock().unwrap().pop() else {
                        break;
                    };
                    let dir = run_app(&app, &deps.0, &runtimes.0);
                    let name = app["app"].as_str().unwrap().to_string();
                    dirs.lock().unwrap().insert(name, dir);
                });
            }
        });
        Runs {
            dirs: dirs.into_inner().unwrap(),
            skipped: None,
        }
    })
}

/// Runs one app (copied into `deps`) with its runtime into a fresh folder (three tries: a
/// loaded machine can time a request out).
fn run_app(app: &Value, deps: &Path, runtimes: &Path) -> TempDir {
    let name = app["app"].as_str().unwrap();
    let binary = runtime_binary(runtimes, app["runtime"].as_str().unwrap());
    let mut errors = String::new();
    for _ in 0..3 {
        let out = TempDir::new("app");
        let flags = app["flags"].as_array().map_or(&[][..], Vec::as_slice);
        let flags = flags
            .iter()
            .map(|f| f.as_str().unwrap().replace("OUT", out.0.to_str().unwrap()));
        let result = Command::new(&binary)
            .args(flags)
            .arg(deps.join(name))
            .arg(&out.0)
            .current_dir(deps)
            .output()
            .expect("the runtime starts");
        errors.push_str(&String::from_utf8_lossy(&result.stderr));
        if result.status.success() && out.path("leaked.json").exists() {
            return out;
        }
    }
    panic!("{name} failed three times:\n{errors}");
}

/// `heaptui suspects --json` on an app's three snapshots.
fn suspects(dir: &TempDir) -> Value {
    let snaps: Vec<String> = (1..=3)
        .map(|i| dir.path(&format!("{i}.heapsnapshot")).display().to_string())
        .collect();
    let mut args = vec!["suspects"];
    args.extend(snaps.iter().map(String::as_str));
    args.push("--json");
    json_of(&heaptui(&args))
}

/// What the app recorded: its count of leaked objects at each snapshot, and what its holder
/// stores at the last.
fn leaked(dir: &TempDir) -> (Vec<u64>, u64) {
    let record: Value =
        serde_json::from_str(&std::fs::read_to_string(dir.path("leaked.json")).unwrap()).unwrap();
    let counts = record["counts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c.as_u64().unwrap())
        .collect();
    (counts, record["stored"].as_u64().unwrap())
}

/// Every app that ran, with its expectations and its folder; all of them must have run unless
/// npm could not install them.
fn ran() -> Vec<(Value, &'static TempDir)> {
    let runs = runs();
    if let Some(why) = &runs.skipped {
        println!("leaking apps skipped: {why}");
        return Vec::new();
    }
    let apps = expected();
    assert!(apps.len() >= 10, "too few apps: {}", apps.len());
    apps.into_iter()
        .map(|app| {
            let dir = &runs.dirs[app["app"].as_str().unwrap()];
            (app, dir)
        })
        .collect()
}

#[test]
fn each_app_s_first_suspect_names_its_fix_and_counts_what_it_leaked() {
    for (app, dir) in ran() {
        let name = app["app"].as_str().unwrap();
        let top = &suspects(dir)["suspects"][0];
        let path = top["holderPath"].as_array().unwrap();
        let names_fix = |fix: &Value| {
            let edge = fix["edge"].as_str().unwrap();
            path.iter().any(|s| s["edgeName"] == edge)
        };
        assert!(
            app["fix"].as_array().unwrap().iter().any(names_fix),
            "{name}: the first suspect names none of {}: {path:?}",
            app["fix"]
        );
        let (counts, _) = leaked(dir);
        let leaked = counts[2] - counts[0];
        let members = top["holder"]["newObjects"][2].as_u64().unwrap();
        assert!(
            members as f64 >= COUNTED_MIN * leaked as f64,
            "{name}: leaked {leaked}, the first suspect counts {members}: {top}"
        );
    }
}

#[test]
fn what_each_holder_stores_is_what_the_app_counts() {
    for (app, dir) in ran() {
        let name = app["app"].as_str().unwrap();
        let doc = suspects(dir);
        let top = &doc["suspects"][0];
        let stores = top["stores"].as_array().unwrap();
        let class = app["stores"].as_str().unwrap();
        let row = stores
            .iter()
            .find(|s| s["className"] == class)
            .unwrap_or_else(|| panic!("{name}: no {class} stored: {stores:?}"));
        let (counts, stored) = leaked(dir);
        assert_eq!(row["count"], stored, "{name}: {row}");
        if doc["matchedBy"] == "id" {
            // New since the first snapshot: what the app added after it.
            assert_eq!(row["newObjects"], counts[2] - counts[0], "{name}: {row}");
        }
        // The program's classes come first, then other objects, then the runtime's values.
        let order = |s: &Value| match s["origin"].as_str().unwrap() {
            "program" => 0,
            "object" => 1,
            _ => 2,
        };
        assert!(
            stores.windows(2).all(|w| order(&w[0]) <= order(&w[1])),
            "{name}: {stores:?}"
        );
        // What they keep alive is part of what the holder retains, and each keeps itself.
        let kept: u64 = stores
            .iter()
            .map(|s| s["retainedSize"].as_u64().unwrap())
            .sum();
        let holder = top["holder"]["retainedSizes"][2].as_u64().unwrap();
        assert!(kept <= holder, "{name}: stores keep {kept} of {holder}");
        let count = row["count"].as_u64().unwrap();
        let objects = row["keptObjects"].as_u64().unwrap();
        assert!(objects >= count, "{name}: {row}");
        assert_eq!(row["averageKeptObjects"], objects / count, "{name}: {row}");
    }
}

#[test]
fn the_reports_say_what_the_holder_stores() {
    let Some((app, dir)) = ran()
        .into_iter()
        .find(|(a, _)| a["app"] == "koa-tracing.mjs")
    else {
        return;
    };
    let (_, stored) = leaked(dir);
    let snaps: Vec<String> = (1..=3)
        .map(|i| dir.path(&format!("{i}.heapsnapshot")).display().to_string())
        .collect();
    let class = app["stores"].as_str().unwrap();
    for (format, line) in [
        ("text", format!("   stores: {stored} {class} (")),
        ("markdown", format!("- {stored} {class} (")),
    ] {
        let mut args: Vec<&str> = vec!["suspects"];
        args.extend(snaps.iter().map(String::as_str));
        args.extend(["--format", format]);
        let out = heaptui(&args);
        assert!(out.status.success(), "{format}");
        let report = String::from_utf8_lossy(&out.stdout);
        assert!(
            report.contains(&line),
            "{format}: {line:?} missing in\n{report}"
        );
    }
}
