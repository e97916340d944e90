//! What the tests against DevTools' own numbers share: the goldens' index, snapshots loaded
//! once per test binary, and a list of mismatches so one run reports all of them.

#![allow(dead_code)]

use heaptui_common::progress::Progress;
use heaptui_engine::Snapshot;
use serde_json::Value;
use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::{Arc, Mutex, OnceLock};

/// The repository's root.
pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The JSON file at `rel` (from the root), gunzipped when its name ends in `.gz`.
pub fn read_json(rel: &str) -> Value {
    let bytes = std::fs::read(root().join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"));
    let text = if rel.ends_with(".gz") {
        let mut out = String::new();
        std::io::Read::read_to_string(&mut flate2::read::GzDecoder::new(&bytes[..]), &mut out)
            .unwrap();
        out
    } else {
        String::from_utf8(bytes).unwrap()
    };
    serde_json::from_str(&text).unwrap()
}

/// The snapshot at `rel`, loaded once for every test of the binary.
pub fn load(rel: &str) -> Snapshot {
    Snapshot::load(&root().join(rel), Default::default(), &Progress::NONE)
        .unwrap_or_else(|e| panic!("{e}"))
}

/// The snapshot at `rel`, loaded once and shared by the read-only tests.
pub fn shared(rel: &str) -> Arc<Snapshot> {
    static CACHE: OnceLock<Mutex<HashMap<String, Arc<Snapshot>>>> = OnceLock::new();
    let cache = CACHE.get_or_init(Default::default);
    if let Some(s) = cache.lock().unwrap().get(rel) {
        return s.clone();
    }
    let s = Arc::new(load(rel));
    cache.lock().unwrap().insert(rel.to_string(), s.clone());
    s
}

/// The goldens of `kind` listed in the index at `index` (there must be some).
pub fn goldens(index: &str, kind: &str) -> Vec<Value> {
    let index = read_json(index);
    let all: Vec<Value> = index["goldens"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|g| g["kind"] == kind)
        .cloned()
        .collect();
    assert!(!all.is_empty(), "no {kind} goldens");
    all
}

/// Collects mismatches so one run reports all of them.
#[derive(Default)]
pub struct Mismatches(pub Vec<String>);

impl Mismatches {
    /// Notes `what` when `ours` differs from DevTools' `theirs`.
    pub fn check(&mut self, what: impl FnOnce() -> String, ours: Value, theirs: &Value) {
        if &ours != theirs {
            self.0
                .push(format!("{}: heaptui {ours} vs DevTools {theirs}", what()));
        }
    }

    /// Fails with the first mismatches, if there are any.
    pub fn assert_none(self) {
        let n = self.0.len();
        assert!(
            n == 0,
            "{n} mismatches, first ones:\n{}",
            self.0.into_iter().take(30).collect::<Vec<_>>().join("\n")
        );
    }
}

/// Checks what every DevTools edge row shows: the edge's type and name, and the id, name and
/// class of the object `t` (the golden row's object) stands for.
pub fn check_edge(
    bad: &mut Mismatches,
    at: &str,
    snap: &Snapshot,
    (edge, node): (usize, u32),
    e: &Value,
    t: &Value,
) {
    bad.check(
        || format!("{at} edgeType"),
        snap.edge_type_name(edge).into(),
        &e["edgeType"],
    );
    bad.check(
        || format!("{at} edgeName"),
        snap.edge_name(edge).into(),
        &e["edgeName"],
    );
    bad.check(|| format!("{at} id"), snap.node_id(node).into(), &t["id"]);
    bad.check(
        || format!("{at} name"),
        snap.display_name(node).into(),
        &t["name"],
    );
    bad.check(
        || format!("{at} className"),
        snap.class_name(node).into(),
        &t["className"],
    );
}
