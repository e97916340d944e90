//! Leak hunting beyond DevTools, headless: different-process pairs compared by class, trends
//! over a series, the three-snapshot filter, and ranked suspects with their retaining path.

use crate::common;
use common::{fixture, heaptui, TempDir};
use serde_json::Value;

fn json(args: &[&str]) -> Value {
    let out = heaptui(args);
    assert!(
        out.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

fn row<'a>(doc: &'a Value, name: &str) -> &'a Value {
    doc["classes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["name"] == name)
        .unwrap_or_else(|| panic!("no {name} row"))
}

fn f(name: &str) -> String {
    fixture(name).to_str().unwrap().to_string()
}

#[test]
fn same_process_pairs_stay_matched_by_id() {
    for (a, b) in [
        ("leak-base", "leak-after"),
        ("leak-after", "leak-final"),
        ("leak-base", "leak-final"),
    ] {
        let doc = json(&["diff", &f(a), &f(b), "--json"]);
        assert_eq!(doc["matchedBy"], "id", "{a} → {b}");
        assert_eq!(doc["processCheck"]["sameFraction"], 1.0, "{a} → {b}");
        assert!(row(&doc, "IncomingMessage")["addedCount"].as_u64().unwrap() >= 200);
    }
}

#[test]
fn different_process_pairs_are_compared_by_class() {
    // Two runs of the same app: ids overlap (Node's start-up heap is deterministic) but name
    // different objects.
    let doc = json(&["diff", &f("leak-base"), &f("rerun-after"), "--json"]);
    assert_eq!(doc["matchedBy"], "class");
    let fraction = doc["processCheck"]["sameFraction"].as_f64().unwrap();
    assert!(
        fraction < 0.95 && doc["processCheck"]["sharedIds"].as_u64().unwrap() > 1000,
        "{}",
        doc["processCheck"]
    );
    let incoming = row(&doc, "IncomingMessage");
    assert_eq!(
        (
            incoming["baseCount"].as_u64(),
            incoming["afterCount"].as_u64()
        ),
        (Some(5), Some(205))
    );
    assert_eq!(incoming["countDelta"], 200);
    assert!(incoming["addedCount"].is_null() && incoming["removedCount"].is_null());
    // The text output says so.
    let text = String::from_utf8(
        heaptui(&["diff", &f("leak-base"), &f("rerun-after"), "--top", "3"]).stdout,
    )
    .unwrap();
    assert!(
        text.contains("matched by class only: the snapshots come from different processes"),
        "{text}"
    );
    // A flag forces either mode.
    assert_eq!(
        json(&[
            "diff",
            &f("leak-base"),
            &f("rerun-after"),
            "--json",
            "--match",
            "id"
        ])["matchedBy"],
        "id"
    );
    assert_eq!(
        json(&[
            "diff",
            &f("leak-base"),
            &f("leak-after"),
            "--json",
            "--match",
            "class"
        ])["matchedBy"],
        "class"
    );
}

#[test]
fn process_ids_in_diagnostic_file_names_decide() {
    let dir = TempDir::new("pids");
    let base = dir.path("Heap.20261124.101500.111.0.001.heapsnapshot.gz");
    let same = dir.path("Heap.20261124.103000.111.0.002.heapsnapshot.gz");
    let other = dir.path("Manual.Heap.20261124.103000.222.heapsnapshot.gz");
    std::fs::copy(fixture("leak-base"), &base).unwrap();
    std::fs::copy(fixture("leak-after"), &same).unwrap();
    std::fs::copy(fixture("leak-after"), &other).unwrap();
    let (b, s, o) = (
        base.to_str().unwrap(),
        same.to_str().unwrap(),
        other.to_str().unwrap(),
    );
    let doc = json(&["diff", b, s, "--json"]);
    assert_eq!(
        (
            doc["matchedBy"].as_str(),
            doc["processCheck"]["pids"].clone()
        ),
        (Some("id"), serde_json::json!([111, 111]))
    );
    // Same ids, but the names say another process: compared by class.
    let doc = json(&["diff", b, o, "--json"]);
    assert_eq!(
        (
            doc["matchedBy"].as_str(),
            doc["processCheck"]["pids"].clone()
        ),
        (Some("class"), serde_json::json!([111, 222]))
    );
}

#[test]
fn trend_marks_classes_that_grew_in_every_interval() {
    let doc = json(&[
        "trend",
        &f("leak-base"),
        &f("leak-after"),
        &f("leak-final"),
        "--json",
    ]);
    let incoming = row(&doc, "IncomingMessage");
    assert_eq!(incoming["counts"], serde_json::json!([5, 205, 405]));
    assert_eq!(incoming["grewEveryInterval"], true);
    // Sustained growth sorts first: every row before IncomingMessage grew in every interval too.
    let classes = doc["classes"].as_array().unwrap();
    let at = classes
        .iter()
        .position(|c| c["name"] == "IncomingMessage")
        .unwrap();
    assert!(classes[..at].iter().all(|c| c["grewEveryInterval"] == true));
    let shrinking = classes
        .iter()
        .rposition(|c| c["grewEveryInterval"] == false)
        .unwrap();
    assert!(shrinking > at);
}

#[test]
fn three_snapshot_filter_keeps_objects_allocated_between_s1_and_s2_still_alive() {
    let doc = json(&[
        "summary",
        &f("leak-final"),
        "--allocated-between",
        &f("leak-base"),
        &f("leak-after"),
        "--json",
    ]);
    // The golden test checks every row against DevTools; here the range and the leak.
    let golden: Value = serde_json::from_str(
        &std::fs::read_to_string(
            common::root().join("tests/golden/leak-final.allocated-between.summary.json"),
        )
        .unwrap(),
    )
    .unwrap();
    assert_eq!(
        doc["allocatedBetween"]["afterId"],
        golden["nodeFilter"]["minNodeId"]
    );
    assert_eq!(
        doc["allocatedBetween"]["upToId"],
        golden["nodeFilter"]["maxNodeId"]
    );
    // The 200 requests of the base → after interval are still cached in final.
    assert_eq!(row(&doc, "IncomingMessage")["count"], 200);
    assert_eq!(doc["filterTotalCount"], golden["filterTotalCount"]);
}

#[test]
fn suspects_rank_the_request_cache_first_with_its_path() {
    let doc = json(&[
        "suspects",
        &f("leak-base"),
        &f("leak-after"),
        &f("leak-final"),
        "--json",
    ]);
    assert_eq!(doc["matchedBy"], "id");
    assert_eq!(doc["holdersMatchedBy"], "id");
    let top = &doc["suspects"][0];
    // The holder: the `cache` array, which gained the 200 requests of each interval.
    let holder = &top["holder"];
    assert_eq!(holder["className"], "Array");
    assert_eq!(holder["holds"], "dominates");
    assert_eq!(holder["newObjects"], serde_json::json!([0, 200, 400]));
    let sizes: Vec<u64> = holder["retainedSizes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s.as_u64().unwrap())
        .collect();
    assert!(sizes[0] < sizes[1] && sizes[1] < sizes[2], "{sizes:?}");
    assert_eq!(top["growth"], serde_json::json!([200, 200]));
    assert_eq!(top["accumulates"][0]["className"], "IncomingMessage");
    assert_eq!(
        top["accumulates"][0]["counts"],
        serde_json::json!([0, 200, 400])
    );
    // The class row across the series, and the pattern.
    assert_eq!(top["name"], "IncomingMessage");
    assert_eq!(top["counts"], serde_json::json!([5, 205, 405]));
    assert_eq!(top["pattern"], "requests");
    // The holder's path names the variable, and the request handler that captures it with
    // its definition site.
    let path = top["holderPath"].as_array().unwrap();
    assert_eq!(path[0]["edgeName"], "cache");
    assert_eq!(path[0]["edgeType"], "context");
    assert_eq!(path[0]["className"], "system / Context");
    let handler = &path[1];
    assert_eq!(handler["edgeName"], "context");
    assert_eq!(handler["name"], "()");
    assert!(
        handler["location"]["scriptName"]
            .as_str()
            .is_some_and(|s| s.ends_with("leak-series.cjs")),
        "{handler}"
    );
    assert_eq!(top["pathChoice"], "explanatory");
    assert!(
        path.iter().all(|s| s["name"] != "(Stack roots)"),
        "{path:?}"
    );
    // The code list starts with the program's own code: the handler.
    assert_eq!(top["code"][0]["location"], handler["location"]);
    assert_eq!(top["code"][0]["role"], "onPath");
    // The whole path from a request: it sits in an array.
    assert_eq!(top["path"][0]["className"], "Array");
    // Engine internals (backing stores, code, roots) are never holders.
    for s in doc["suspects"].as_array().unwrap() {
        let class = s["holder"]["className"].as_str().unwrap();
        assert!(
            !class.starts_with('(')
                && (!class.starts_with("system / ") || class == "system / Context"),
            "{class}"
        );
    }
}

#[test]
fn paths_of_a_population_group_the_leaked_requests_under_the_cache() {
    // The 400 requests the demo app leaked since its first snapshot: one shape holds them all
    // (element of the `cache` array), and the groups account for every object.
    let doc = json(&[
        "paths",
        &f("leak-final"),
        "IncomingMessage",
        "--new-since",
        &f("leak-base"),
        "--json",
        "--top",
        "1000",
    ]);
    let diff = json(&["diff", &f("leak-base"), &f("leak-final"), "--json"]);
    let added = row(&diff, "IncomingMessage")["addedCount"]
        .as_u64()
        .unwrap();
    assert_eq!(doc["objects"].as_u64(), Some(added));
    let groups = doc["groups"].as_array().unwrap();
    let counted: u64 = groups.iter().map(|g| g["count"].as_u64().unwrap()).sum();
    assert_eq!(counted, added);
    assert_eq!(doc["shapes"].as_u64(), Some(groups.len() as u64));
    let first = &groups[0];
    assert!(
        first["count"].as_u64().unwrap() * 10 >= added * 9,
        "{first}"
    );
    let steps = first["path"].as_array().unwrap();
    assert_eq!(steps[0]["edgeType"], "element");
    assert_eq!(steps[0]["className"], "Array");
    assert!(
        steps.iter().any(|s| s["edgeName"] == "cache"),
        "the cache variable on the path: {steps:?}"
    );
    // Every example is an object of the class, to open with `show` or `retainers`.
    let example = format!("@{}", first["examples"][0]);
    let shown = json(&["show", &f("leak-final"), &example, "--json"]);
    assert_eq!(shown["node"]["className"], "IncomingMessage");
    // All instances, old ones included, are at least as many.
    let all = json(&["paths", &f("leak-final"), "IncomingMessage", "--json"]);
    assert!(all["objects"].as_u64().unwrap() >= added);
}

#[test]
fn paths_of_an_unknown_class_is_a_one_line_error() {
    let out = heaptui(&["paths", &f("leak-final"), "NoSuchClass"]);
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("no objects of class \"NoSuchClass\""), "{err}");
    assert_eq!(err.trim().lines().count(), 1, "{err}");
}
