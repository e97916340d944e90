//! Leak suspects on real leaking apps: each app in scripts/fixtures/patterns leaks in one known
//! way while unrelated garbage comes and goes; it runs now, with node, writing three snapshots
//! from one process. heaptui must rank the leaking class first, recognise the pattern, and show
//! a retaining path that names the culprit (expected.json says what each app leaks).
//!
//! Apps that need what this machine lacks (npm's registry for rxjs, Chromium for detached DOM)
//! are reported as skipped; the node-only apps always run.

mod common;
use common::{heaptui, TempDir};
use serde_json::Value;
use std::path::Path;
use std::process::Command;

fn patterns_dir() -> std::path::PathBuf {
    common::root().join("scripts/fixtures/patterns")
}

/// Installs a package.json + lockfile's dependencies into a temp dir; None when npm fails.
fn npm_deps(from: &Path, into: &TempDir) -> Option<()> {
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

#[test]
fn each_leak_pattern_app_has_its_culprit_ranked_first() {
    let expected: Vec<Value> = serde_json::from_str(
        &std::fs::read_to_string(patterns_dir().join("expected.json")).unwrap(),
    )
    .unwrap();
    let rxjs_deps = TempDir::new("rxjs-deps");
    let ws_deps = TempDir::new("ws-deps");
    let mut checked = Vec::new();
    let mut skipped = Vec::new();
    for app in &expected {
        let name = app["app"].as_str().unwrap();
        let deps = match app["needs"].as_str().unwrap() {
            "npm" => match npm_deps(&patterns_dir(), &rxjs_deps) {
                Some(()) => Some(&rxjs_deps),
                None => {
                    skipped.push(format!("{name} (npm ci failed)"));
                    continue;
                }
            },
            "chromium" => {
                let chromium =
                    std::env::var("CHROMIUM").unwrap_or_else(|_| "/usr/bin/chromium".into());
                if !Path::new(&chromium).exists()
                    || npm_deps(&common::root().join("scripts/fixtures"), &ws_deps).is_none()
                {
                    skipped.push(format!("{name} (no Chromium)"));
                    continue;
                }
                Some(&ws_deps)
            }
            _ => None,
        };
        let out = TempDir::new("pattern");
        // The apps are real processes (a browser for one): on a loaded machine a run can time
        // out, so each gets three tries before its failure counts.
        let mut errors = String::new();
        let ran = (0..3).any(|_| {
            let mut run = Command::new("node");
            run.arg(patterns_dir().join(name)).arg(&out.0);
            if let Some(d) = deps {
                run.env("FIXTURE_DEPS_DIR", &d.0);
            }
            let result = run.output().expect("node is installed");
            errors.push_str(&String::from_utf8_lossy(&result.stderr));
            result.status.success()
        });
        assert!(ran, "{name} failed three times:\n{errors}");
        let snaps: Vec<String> = (1..=3)
            .map(|i| {
                out.path(&format!("{i}.heapsnapshot"))
                    .to_str()
                    .unwrap()
                    .to_string()
            })
            .collect();
        let result = heaptui(&["suspects", &snaps[0], &snaps[1], &snaps[2], "--json"]);
        assert!(
            result.status.success(),
            "{name}: {}",
            String::from_utf8_lossy(&result.stderr)
        );
        let doc: Value = serde_json::from_slice(&result.stdout).unwrap();
        let top = &doc["suspects"][0];
        assert_eq!(
            top["name"], app["suspect"],
            "{name}: suspects {}",
            doc["suspects"]
        );
        assert_eq!(top["pattern"], app["pattern"], "{name}");
        let per_interval = app["perInterval"].as_u64().unwrap();
        let counts: Vec<u64> = top["counts"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c.as_u64().unwrap())
            .collect();
        assert!(
            counts[1] >= counts[0] + per_interval && counts[2] >= counts[1] + per_interval,
            "{name}: {counts:?}"
        );
        let path = top["path"].as_array().unwrap();
        for culprit in app["pathContains"].as_array().unwrap() {
            assert!(
                path.iter().any(|s| &s["edgeName"] == culprit),
                "{name}: {culprit} not on the path {path:?}"
            );
        }
        checked.push(name);
    }
    println!("leak patterns checked: {checked:?}; skipped: {skipped:?}");
    assert!(
        checked.len() >= 4,
        "too few apps ran: {checked:?}, skipped {skipped:?}"
    );
}
