//! The headless verbs of the object-level views, run as a user would (the real binary on the
//! committed fixtures): `show`, `dominators`, `statistics`, `summary --preset` and
//! `retainers --ignore`, their JSON checked against the DevTools goldens in
//! tests/golden/views, and script names checked against the scripts that made the fixtures.

use crate::common;
use common::{fixture, heaptui};
use serde_json::Value;

fn json(args: &[&str]) -> Value {
    let out = heaptui(args);
    assert!(
        out.status.success(),
        "heaptui {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

fn text(args: &[&str]) -> String {
    let out = heaptui(args);
    assert!(out.status.success(), "heaptui {args:?}");
    String::from_utf8(out.stdout).unwrap()
}

fn golden(name: &str) -> Value {
    let path = common::root().join("tests/golden/views").join(name);
    serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap()
}

fn f(name: &str) -> String {
    fixture(name).to_str().unwrap().to_string()
}

#[test]
fn show_lists_an_objects_edges_in_devtools_order() {
    // The leaked request's retainer: the `cache` array, 400 elements.
    let leaked = golden("leak-final.ignore.95045.json");
    let cache = leaked["ignoredIds"][0].as_u64().unwrap().to_string();
    let doc = json(&["show", &f("leak-final"), &format!("@{cache}"), "--json"]);
    let theirs = golden(&format!("leak-final.edges.{cache}.json"));
    let ours = doc["edges"].as_array().unwrap();
    assert_eq!(Value::from(ours.len()), theirs["totalLength"]);
    assert!(ours.len() > 100, "the cache holds the leaked requests");
    for (o, t) in ours.iter().zip(theirs["edges"].as_array().unwrap()) {
        assert_eq!(o["edgeName"], t["edgeName"]);
        assert_eq!(o["edgeType"], t["edgeType"]);
        for field in [
            "id",
            "name",
            "className",
            "type",
            "selfSize",
            "retainedSize",
        ] {
            assert_eq!(o["node"][field], t["node"][field], "{field} of {o}");
        }
    }
    assert_eq!(doc["node"]["id"].to_string(), cache);
    // Element names sort as strings: [10] before [2].
    let names: Vec<&str> = ours
        .iter()
        .map(|e| e["edgeName"].as_str().unwrap())
        .collect();
    let at = |n: &str| names.iter().position(|&x| x == n);
    if let (Some(ten), Some(two)) = (at("10"), at("2")) {
        let same_size = ours[ten]["node"]["retainedSize"] == ours[two]["node"]["retainedSize"];
        assert!(!same_size || ten < two, "{names:?}");
    }
}

#[test]
fn show_nests_contents_and_marks_cycles() {
    let doc = json(&["show", &f("leak-final"), "@95045", "--depth", "4", "--json"]);
    let mut cycles = 0;
    let mut nested = 0;
    fn walk(edges: &Value, cycles: &mut usize, nested: &mut usize) {
        for e in edges.as_array().unwrap() {
            if e["node"]["cycledWithAncestor"] == true {
                *cycles += 1;
                assert!(e["node"].get("edges").is_none(), "a cycle is not expanded");
            }
            if let Some(inner) = e["node"].get("edges") {
                *nested += 1;
                walk(inner, cycles, nested);
            }
        }
    }
    walk(&doc["edges"], &mut cycles, &mut nested);
    assert!(
        nested > 10 && cycles > 0,
        "{nested} nested, {cycles} cycles"
    );
    // The request's url is one of its properties, with its string value.
    let url = doc["edges"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["edgeName"] == "url")
        .expect("an url property");
    assert_eq!(url["node"]["type"], "string");
    assert!(
        url["node"]["name"].as_str().unwrap().starts_with('/'),
        "{url}"
    );
    let shown = text(&["show", &f("leak-final"), "@95045"]);
    assert!(shown.contains("url :: \"/"), "{shown}");
}

/// The 1-based line `line` of a fixture script.
fn script_line(script: &str, line: u64) -> String {
    let source =
        std::fs::read_to_string(common::root().join("scripts/fixtures").join(script)).unwrap();
    source
        .lines()
        .nth(line as usize - 1)
        .unwrap_or("")
        .to_string()
}

#[test]
fn locations_name_their_script_in_every_json() {
    // The fixture's scripts: scripts/fixtures/leak-series.cjs (changed since the fixture was
    // made, so only its name is checked) and lib/orders.cjs (unchanged: lines are checked).
    let summary = json(&["summary", &f("leak-final"), "--json", "--filter", "Item"]);
    let items: Vec<&Value> = summary["classes"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["name"] == "Item")
        .collect();
    assert_eq!(items.len(), 2, "two Item classes, split by location");
    let names: Vec<&str> = items
        .iter()
        .map(|c| c["location"]["scriptName"].as_str().expect("a script name"))
        .collect();
    assert!(
        names
            .iter()
            .any(|n| n.ends_with("/scripts/fixtures/leak-series.cjs")),
        "{names:?}"
    );
    let orders = items
        .iter()
        .find(|c| {
            c["location"]["scriptName"]
                .as_str()
                .unwrap()
                .ends_with("lib/orders.cjs")
        })
        .expect("the Item of lib/orders.cjs");
    let line = script_line(
        "lib/orders.cjs",
        orders["location"]["line"].as_u64().unwrap() + 1,
    );
    assert!(line.contains("constructor("), "{line:?}");
    let diff = json(&["diff", &f("leak-base"), &f("leak-final"), "--json"]);
    assert!(diff["classes"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|c| c["location"]["scriptName"].as_str())
        .any(|n| n.ends_with("leak-series.cjs")));
    // A closure listed in an object's contents carries its location too: the script's
    // top-level context holds its functions.
    let context = json(&["show", &f("leak-final"), "@6179", "--json"]);
    let closures: Vec<&Value> = context["edges"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["edgeType"] == "context" && e["node"]["type"] == "closure")
        .collect();
    assert!(!closures.is_empty());
    for c in closures {
        let l = &c["node"]["location"];
        assert!(l["scriptName"].as_str().unwrap().ends_with(".cjs"), "{c}");
    }
    // Chromium: the page's inline script is named by its URL.
    let rows = json(&[
        "summary",
        &f("chromium-detached"),
        "--json",
        "--filter",
        "Row",
    ]);
    let row = rows["classes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["name"] == "Row")
        .unwrap();
    let name = row["location"]["scriptName"].as_str().unwrap();
    assert!(name.starts_with("http://127.0.0.1:"), "{name}");
}

#[test]
fn a_closures_location_points_at_its_source() {
    use heaptui_present::labels;
    let snap = heaptui_engine::Snapshot::load(
        &fixture("leak-final"),
        Default::default(),
        &heaptui_common::progress::Progress::NONE,
    )
    .unwrap();
    let functions = snap
        .summary()
        .iter()
        .find(|r| r.name == "Function")
        .unwrap();
    let place_order = *functions
        .nodes
        .iter()
        .find(|&&n| snap.display_name(n) == "placeOrder")
        .expect("the closure placeOrder of lib/orders.cjs");
    let location = snap.source_location(place_order).expect("a location");
    let shown = labels::source_location(&location);
    let mut parts = shown.rsplitn(3, ':');
    let (column, line, script) = (parts.next(), parts.next(), parts.next());
    assert_eq!(script, Some("orders.cjs"), "{shown}");
    let line: u64 = line.unwrap().parse().unwrap();
    let column: usize = column.unwrap().parse().unwrap();
    let source = script_line("lib/orders.cjs", line);
    assert!(
        source.contains("function placeOrder("),
        "line {line}: {source:?}"
    );
    assert_eq!(
        source.find('(').map(|at| at + 1),
        Some(column),
        "1-based column of the parameter list in {source:?}"
    );
}

#[test]
fn dominators_list_what_an_object_keeps_alive() {
    let doc = json(&[
        "dominators",
        &f("leak-final"),
        "--depth",
        "2",
        "--top",
        "5",
        "--json",
    ]);
    let theirs = golden("leak-final.dominated.json");
    assert_eq!(doc["node"]["id"], theirs["rootId"]);
    assert_eq!(doc["totalSize"], theirs["totalSize"]);
    let root = &theirs["nodes"][0];
    assert_eq!(
        Value::from(doc["node"]["childCount"].as_u64().unwrap()),
        Value::from(root["children"].as_array().unwrap().len())
    );
    let mut expected: Vec<(u64, u64)> = root["children"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            (
                c["retainedSize"].as_u64().unwrap(),
                c["id"].as_u64().unwrap(),
            )
        })
        .collect();
    expected.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
    let children = doc["node"]["children"].as_array().unwrap();
    assert_eq!(children.len(), 5);
    for (c, (size, id)) in children.iter().zip(&expected) {
        assert_eq!(c["id"], *id);
        assert_eq!(c["retainedSize"], *size);
        assert!(c["children"].is_array(), "two levels listed");
    }
    let share: f64 = children[0]["retainedPercent"].as_f64().unwrap();
    let want = 100.0 * expected[0].0 as f64 / theirs["totalSize"].as_f64().unwrap();
    assert!((share - want).abs() < 0.01, "{share} vs {want}");
    let shown = text(&["dominators", &f("leak-final"), "@95045"]);
    assert!(shown.starts_with("    768 B"), "{shown}");
}

#[test]
fn statistics_prints_devtools_numbers() {
    let doc = json(&["statistics", &f("chromium-detached"), "--json"]);
    let summary: Value = serde_json::from_str(
        &std::fs::read_to_string(
            common::root().join("tests/golden/chromium-detached.summary.json"),
        )
        .unwrap(),
    )
    .unwrap();
    for field in ["total", "v8heap", "native", "chart"] {
        assert_eq!(doc[field], summary["statistics"][field], "{field}");
    }
    let shown = text(&["statistics", &f("chromium-detached")]);
    assert!(shown.contains("Other non-JS objects"), "{shown}");
    assert!(shown.lines().all(|l| l.chars().count() <= 80), "{shown}");
}

#[test]
fn summary_presets_equal_devtools_filters() {
    let cases = [
        ("detached-dom", "objectsRetainedByDetachedDomNodes"),
        ("contexts", "objectsRetainedByContexts"),
        ("duplicated-strings", "duplicatedStrings"),
        ("event-handlers", "objectsRetainedByEventHandlers"),
        ("console", "objectsRetainedByConsole"),
    ];
    for (preset, filter) in cases {
        let doc = json(&[
            "summary",
            &f("chromium-detached"),
            "--preset",
            preset,
            "--json",
        ]);
        let theirs = golden(&format!("chromium-detached.named.{filter}.summary.json"));
        assert_eq!(
            doc["filterTotalCount"], theirs["filterTotalCount"],
            "{preset}"
        );
        assert_eq!(
            doc["filterTotalSize"], theirs["filterTotalSize"],
            "{preset}"
        );
        assert_eq!(doc["preset"], preset);
        let ours: Vec<(&Value, &Value)> = doc["classes"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| (&c["name"], &c["retainedSize"]))
            .collect();
        let theirs: Vec<(&Value, &Value)> = theirs["classes"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| (&c["name"], &c["retainedSize"]))
            .collect();
        assert_eq!(ours, theirs, "{preset}: rows in DevTools' order");
    }
    let dups = json(&[
        "summary",
        &f("leak-final"),
        "--preset",
        "duplicated-strings",
        "--json",
    ]);
    let d = &dups["duplicatedStrings"];
    assert!(d["groups"].as_u64().unwrap() > 10, "{d}");
    assert!(d["wastedSize"].as_u64().unwrap() > 0, "{d}");
    assert!(d["wastedSize"].as_u64() < dups["filterTotalSize"].as_u64());
    // Allocated before the base: the ids up to the base's largest, in the final snapshot.
    let before = json(&[
        "summary",
        &f("leak-final"),
        "--preset",
        "allocated-before",
        "--earlier",
        &f("leak-base"),
        "--json",
    ]);
    let theirs = golden("leak-final.allocated-before.summary.json");
    assert_eq!(before["filterTotalCount"], theirs["filterTotalCount"]);
    assert_eq!(before["filterTotalSize"], theirs["filterTotalSize"]);
    assert_eq!(
        before["allocatedBetween"]["upToId"],
        theirs["nodeFilter"]["maxNodeId"]
    );
    let out = heaptui(&["summary", &f("leak-final"), "--preset", "allocated-between"]);
    assert_eq!(
        out.status.code(),
        Some(1),
        "allocated-between needs --earlier"
    );
    assert!(String::from_utf8_lossy(&out.stderr).contains("--earlier"));
}

#[test]
fn retainers_ignore_steps_past_a_retainer_as_devtools_does() {
    for name in [
        "leak-final.ignore.95045.json",
        "leak-final.ignore2.95045.json",
    ] {
        let theirs = golden(name);
        let mut args = vec!["retainers".to_string(), f("leak-final"), "@95045".into()];
        for id in theirs["ignoredIds"].as_array().unwrap() {
            args.push("--ignore".into());
            args.push(format!("@{id}"));
        }
        args.extend(["--json".into(), "--depth".into(), "2".into()]);
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let doc = json(&args);
        assert_eq!(doc["ignoredIds"], theirs["ignoredIds"]);
        assert_eq!(
            doc["node"]["distanceForRetainersView"],
            theirs["node"]["distanceForRetainersView"]
        );
        let path: Vec<&Value> = doc["pathToRoot"]
            .as_array()
            .unwrap()
            .iter()
            .map(|s| &s["id"])
            .collect();
        let their_path: Vec<&Value> = theirs["autoExpandedChain"]
            .as_array()
            .unwrap()
            .iter()
            .map(|s| &s["id"])
            .collect();
        assert_eq!(path, their_path, "{name}");
        let ignored: Vec<&Value> = doc["retainers"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|r| r["retainer"]["ignored"] == true)
            .collect();
        assert_eq!(
            ignored.len(),
            1,
            "the ignored retainer is still listed, marked"
        );
        assert!(ignored[0]["retainer"]["distance"].is_null(), "shown as −");
    }
    let plain = json(&["retainers", &f("leak-final"), "@95045", "--json"]);
    assert_eq!(plain["ignoredIds"], Value::Array(vec![]));
    let out = heaptui(&["retainers", &f("leak-final"), "@95045", "--ignore", "nope"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("not an object id"));
}
