//! Realms and dead closure-context fields against DevTools' own code: `heaptui realms --json`,
//! `heaptui contexts --json` and `summary --named-filter` compared field by field with the
//! oracle's `native-contexts`, `contexts` and `summary --named-filter` goldens
//! (`tests/golden/realms`, made by `scripts/gen-realm-fixtures.sh` from real Chromium 156 pages
//! and a Node app with a `vm` context); snapshots without scope tables (Node 20, 26) answered
//! in one line; broken scope tables refused in one line, unknown sections still tolerated.

use crate::common::{self, assert_summary_matches, gunzip, heaptui, json_of, TempDir};
use crate::oracle::{read_json, Mismatches};
use serde_json::Value;

const INDEX: &str = "tests/golden/realms/index.json";

/// The fixture file of a golden's fixture name (`chromium-iframe.heapsnapshot`).
fn fixture_of(golden: &Value) -> String {
    let name = golden["file"]
        .as_str()
        .unwrap()
        .trim_end_matches(".heapsnapshot");
    format!("tests/fixtures/{name}.heapsnapshot.gz")
}

/// The goldens of the index whose file name ends with `suffix`.
fn goldens(suffix: &str) -> Vec<(String, Value)> {
    let index = read_json(INDEX);
    let all: Vec<(String, Value)> = index["goldens"]
        .as_array()
        .unwrap()
        .iter()
        .map(|g| g.as_str().unwrap())
        .filter(|g| g.ends_with(suffix))
        .map(|g| {
            (
                g.to_string(),
                read_json(&format!("tests/golden/realms/{g}")),
            )
        })
        .collect();
    assert!(!all.is_empty(), "no {suffix} goldens");
    all
}

fn run_json(args: &[&str]) -> Value {
    json_of(&heaptui(args))
}

fn check_fields(bad: &mut Mismatches, at: &str, ours: &Value, theirs: &Value, fields: &[&str]) {
    for field in fields {
        // The oracle leaves out what DevTools left undefined; heaptui says null.
        let theirs = theirs.get(field).unwrap_or(&Value::Null);
        bad.check(|| format!("{at} {field}"), ours[field].clone(), theirs);
    }
}

#[test]
fn realms_match_devtools_native_context_sizes() {
    let mut bad = Mismatches::default();
    for (name, golden) in goldens(".native-contexts.json") {
        let file = fixture_of(&golden);
        let ours = run_json(&["realms", &file, "--json"]);
        let theirs = golden["nativeContexts"].as_array().unwrap();
        let mine = ours["nativeContexts"].as_array().unwrap();
        assert_eq!(mine.len(), theirs.len(), "{name}: native contexts");
        assert!(
            mine.len() >= 2,
            "{name}: the fixtures have two realms or more"
        );
        for (i, (o, t)) in mine.iter().zip(theirs).enumerate() {
            let fields = [
                "nodeId",
                "nodeIndex",
                "nodeName",
                "attributedSize",
                "retainedSize",
                "selfSize",
            ];
            check_fields(&mut bad, &format!("{name} [{i}]"), o, t, &fields);
            assert_eq!(
                o["filter"],
                format!("nativeContext_{}", t["nodeIndex"]),
                "{name}: the realm's named filter"
            );
        }
        check_fields(
            &mut bad,
            &name,
            &ours,
            &golden,
            &["sharedSize", "noAttributionSize"],
        );
        let fields = [
            "contextCount",
            "retainedByContextSize",
            "retainedByContextCount",
            "notRetainedByContextSize",
            "notRetainedByContextCount",
            "totalSize",
        ];
        let at = format!("{name} retainedByContext");
        check_fields(
            &mut bad,
            &at,
            &ours["retainedByContext"],
            &golden["retainedByContext"],
            &fields,
        );
        // The sizes account for the whole heap, as DevTools' do.
        let attributed: u64 = mine
            .iter()
            .map(|c| c["attributedSize"].as_u64().unwrap())
            .sum();
        let total = attributed
            + ours["sharedSize"].as_u64().unwrap()
            + ours["noAttributionSize"].as_u64().unwrap();
        assert_eq!(total, ours["retainedByContext"]["totalSize"], "{name}");
    }
    bad.assert_none();
}

#[test]
fn each_realm_and_shared_and_none_are_summary_filters_as_in_devtools() {
    let summaries = goldens("Context.json").into_iter().chain(
        goldens(".json")
            .into_iter()
            .filter(|(n, _)| n.contains(".summary.nativeContext_")),
    );
    let mut seen = 0;
    for (name, golden) in summaries {
        let filter = golden["nodeFilter"]["filterName"]
            .as_str()
            .unwrap()
            .to_string();
        let file = fixture_of(&golden);
        let ours = run_json(&["summary", &file, "--named-filter", &filter, "--json"]);
        assert_summary_matches(&name, &ours, &golden);
        seen += 1;
    }
    // Three fixtures, each with shared, none and two realms or more.
    assert!(seen >= 12, "{seen} filter goldens");
}

#[test]
fn dead_closure_fields_match_devtools_context_analyzer() {
    let mut bad = Mismatches::default();
    let mut dead_values = 0;
    for (name, golden) in goldens(".contexts.json") {
        let file = fixture_of(&golden);
        let ours = run_json(&["contexts", &file, "--json"]);
        check_fields(
            &mut bad,
            &name,
            &ours,
            &golden,
            &["hasScopeTables", "scriptsWithoutScopes"],
        );
        let (mine, theirs) = (
            ours["scopes"].as_array().unwrap(),
            golden["scopes"].as_array().unwrap(),
        );
        assert_eq!(mine.len(), theirs.len(), "{name}: scopes");
        for (i, (o, t)) in mine.iter().zip(theirs).enumerate() {
            let at = format!("{name} scope {i}");
            let fields = [
                "scopeInfoNodeIndex",
                "scopeInfoNodeId",
                "scriptNodeIndex",
                "scriptNodeId",
                "scriptName",
                "scopeName",
                "scopeStart",
                "scopeEnd",
                "contextFieldCount",
            ];
            check_fields(&mut bad, &at, o, t, &fields);
            let (oc, tc) = (
                o["contexts"].as_array().unwrap(),
                t["contexts"].as_array().unwrap(),
            );
            assert_eq!(oc.len(), tc.len(), "{at}: contexts");
            for (j, (o, t)) in oc.iter().zip(tc).enumerate() {
                let at = format!("{at} context {j}");
                let fields = [
                    "contextNodeIndex",
                    "contextNodeId",
                    "retainedSize",
                    "deadFieldsRetainedSizeSum",
                ];
                check_fields(&mut bad, &at, o, t, &fields);
                let (of, tf) = (
                    o["deadFields"].as_array().unwrap(),
                    t["deadFields"].as_array().unwrap(),
                );
                assert_eq!(of.len(), tf.len(), "{at}: dead fields");
                for (k, (o, t)) in of.iter().zip(tf).enumerate() {
                    let fields = [
                        "name",
                        "valueNodeIndex",
                        "valueNodeId",
                        "valueName",
                        "valueType",
                        "selfSize",
                        "retainedSize",
                    ];
                    check_fields(&mut bad, &format!("{at} field {k}"), o, t, &fields);
                    dead_values += usize::from(t["retainedSize"].as_u64().unwrap() > 100_000);
                }
            }
        }
    }
    bad.assert_none();
    // The closures page keeps three payloads and two lookup tables (each > 100 kB) for nothing.
    assert!(dead_values >= 5, "{dead_values} large dead values");
}

#[test]
fn the_closures_page_names_both_leaking_variables_first() {
    let out = heaptui(&[
        "contexts",
        "tests/fixtures/chromium-closures.heapsnapshot.gz",
    ]);
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    let contexts: Vec<&str> = text
        .lines()
        .filter(|l| l.starts_with("   context @"))
        .collect();
    assert!(
        contexts
            .iter()
            .take(3)
            .all(|l| l.contains(": payload = Array @")),
        "{text}"
    );
    assert!(
        contexts
            .iter()
            .skip(3)
            .all(|l| l.contains(": lookupTable = Map @")),
        "{text}"
    );
    let md = heaptui(&[
        "contexts",
        "tests/fixtures/chromium-closures.heapsnapshot.gz",
        "--format",
        "markdown",
    ]);
    let md = String::from_utf8(md.stdout).unwrap();
    assert_eq!(
        md.lines().filter(|l| l.contains("| payload |")).count(),
        3,
        "{md}"
    );
}

#[test]
fn snapshots_without_scope_tables_say_so_in_one_line() {
    for file in [
        "tests/fixtures/node26-1.heapsnapshot.gz",
        "tests/fixtures/leak-base.heapsnapshot.gz",
    ] {
        let out = heaptui(&["contexts", file]);
        assert!(out.status.success(), "{file}");
        let text = String::from_utf8(out.stdout).unwrap();
        assert_eq!(text.lines().count(), 1, "{file}: {text}");
        assert!(text.contains("no scope tables"), "{file}: {text}");
        let json = run_json(&["contexts", file, "--json"]);
        assert_eq!(json["hasScopeTables"], false, "{file}");
    }
}

/// The iframe fixture's text with `from` replaced by `to` (once).
fn edited(dir: &TempDir, name: &str, from: &str, to: &str) -> std::path::PathBuf {
    edited_fixture("chromium-iframe", dir, name, from, to)
}

/// A fixture's text with `from` replaced by `to` (once), written to `dir/name`.
fn edited_fixture(
    fixture: &str,
    dir: &TempDir,
    name: &str,
    from: &str,
    to: &str,
) -> std::path::PathBuf {
    let text = String::from_utf8(gunzip(&common::fixture(fixture))).unwrap();
    assert!(text.contains(from), "the fixture has {from}");
    let path = dir.path(name);
    std::fs::write(&path, text.replacen(from, to, 1)).unwrap();
    path
}

#[test]
fn broken_scope_tables_are_refused_in_one_line_and_unknown_sections_tolerated() {
    let dir = TempDir::new("realms-malformed");
    let cases = [
        (
            "letters.heapsnapshot",
            "\"scopes\":[",
            "\"scopes\":[x,",
            "\"scopes\" table is not an array of integers",
        ),
        (
            "ragged.heapsnapshot",
            "\"scopes\":[",
            "\"scopes\":[7,",
            "not a multiple of its 5 fields",
        ),
        (
            "no-field.heapsnapshot",
            "\"scope_id\",",
            "\"scope_ident\",",
            "has no \"scope_id\" field",
        ),
    ];
    for (name, from, to, says) in cases {
        let path = edited(&dir, name, from, to);
        for command in ["realms", "contexts"] {
            let out = heaptui(&[command, path.to_str().unwrap()]);
            let stderr = String::from_utf8_lossy(&out.stderr);
            assert_eq!(out.status.code(), Some(1), "{name}: {stderr}");
            assert_eq!(stderr.trim_end().lines().count(), 1, "{name}: {stderr}");
            assert!(
                stderr.contains(name) && stderr.contains(says),
                "{name}: {stderr}"
            );
        }
    }
    let path = edited(
        &dir,
        "future.heapsnapshot",
        "\"strings\":[",
        "\"future_table\":[[1],{\"a\":\"]\"}],\"strings\":[",
    );
    let ours = run_json(&["realms", path.to_str().unwrap(), "--json"]);
    let golden = read_json("tests/golden/realms/chromium-iframe.native-contexts.json");
    assert_eq!(ours["sharedSize"], golden["sharedSize"]);
}

#[test]
fn variable_names_from_the_heap_reach_the_terminal_escaped() {
    let dir = TempDir::new("realms-hostile");
    // The variable's name in the string table, shared by the context edge and the scope table.
    let path = edited_fixture(
        "chromium-closures",
        &dir,
        "hostile.heapsnapshot",
        "\"lookupTable\"",
        "\"lookup\\u001b[2J\\u202eTable\"",
    );
    for format in ["text", "markdown"] {
        let out = heaptui(&["contexts", path.to_str().unwrap(), "--format", format]);
        let text = String::from_utf8(out.stdout).unwrap();
        assert!(
            !text.contains('\u{1b}') && !text.contains('\u{202e}'),
            "{format}: {text:?}"
        );
        // Shown visibly (Markdown escapes the backslash once more).
        assert!(
            text.contains("x1b") && text.contains("u{202e}Table"),
            "{format}: {text}"
        );
    }
    let json = run_json(&["contexts", path.to_str().unwrap(), "--json"]);
    assert_eq!(
        json["scopes"][1]["contexts"][0]["deadFields"][0]["name"],
        "lookup\u{1b}[2J\u{202e}Table"
    );
}

#[test]
fn unknown_named_filters_are_refused_with_the_names() {
    let out = heaptui(&[
        "summary",
        "tests/fixtures/node-vm.heapsnapshot.gz",
        "--named-filter",
        "nativeContext_x",
    ]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains("sharedNativeContext") && stderr.contains("nativeContext_<nodeIndex>"),
        "{stderr}"
    );
}

#[test]
fn the_mcp_tools_answer_what_the_cli_answers() {
    use crate::mcp::{answer, call, cli, refusal, same, session, text};
    use serde_json::json;
    let fixtures = common::root().join("tests/fixtures");
    let steps = vec![
        call(
            "open",
            json!({ "paths": ["node-vm.heapsnapshot.gz", "chromium-closures.heapsnapshot.gz", "node26-1.heapsnapshot.gz"] }),
        ),
        call("realms", json!({ "handle": "s1" })),
        call("dead_closure_vars", json!({ "handle": "s2" })),
        call(
            "dead_closure_vars",
            json!({ "handle": "s2", "offset": 1, "limit": 1, "contexts": 1 }),
        ),
        call("dead_closure_vars", json!({ "handle": "s3" })),
        call(
            "dead_closure_vars",
            json!({ "handle": "s2", "contexts": 0 }),
        ),
        call("realms", json!({ "handle": "s9" })),
        call("realms", json!({ "handle": "s2", "limit": 1 })),
        call(
            "summary",
            json!({ "handle": "s1", "named_filter": "sharedNativeContext", "limit": 200 }),
        ),
        call(
            "summary",
            json!({ "handle": "s1", "named_filter": "nativeContext_1", "preset": "contexts" }),
        ),
    ];
    let results = session(
        &["mcp", "--root", fixtures.to_str().unwrap()],
        &fixtures,
        None,
        steps,
    );
    let realms = cli(&["realms", "tests/fixtures/node-vm.heapsnapshot.gz"]);
    same(answer(&results[1]), &realms, "realms");
    let contexts = cli(&[
        "contexts",
        "tests/fixtures/chromium-closures.heapsnapshot.gz",
    ]);
    let mcp = answer(&results[2]);
    assert_eq!(mcp["scopeCount"], 2);
    let first_three = |scope: &Value| {
        let mut s = scope.clone();
        s["contexts"] = Value::Array(
            s["contexts"].as_array().unwrap()[..3.min(s["contexts"].as_array().unwrap().len())]
                .to_vec(),
        );
        s
    };
    for (i, scope) in contexts["scopes"].as_array().unwrap().iter().enumerate() {
        same(
            &mcp["scopes"][i],
            &first_three(scope),
            &format!("scopes[{i}]"),
        );
    }
    // String values are redacted by default: the widget's name is a string field.
    assert!(
        !serde_json::to_string(mcp).unwrap().contains("\"alpha\""),
        "{mcp}"
    );
    assert!(
        text(&results[2]).contains("\"lookupTable\""),
        "{}",
        text(&results[2])
    );
    let paged = answer(&results[3]);
    assert_eq!(paged["scopes"].as_array().unwrap().len(), 1);
    assert_eq!(paged["scopes"][0]["contexts"].as_array().unwrap().len(), 1);
    same(
        &paged["scopes"][0]["scopeStart"],
        &contexts["scopes"][1]["scopeStart"],
        "page",
    );
    assert_eq!(paged["page"]["total"], 2);
    assert!(
        text(&results[4]).contains("no scope tables"),
        "{}",
        text(&results[4])
    );
    assert_eq!(answer(&results[4])["hasScopeTables"], false);
    assert!(refusal(&results[5]).contains("contexts must be between 1 and 20"));
    assert!(refusal(&results[6]).contains("s9"));
    let one = answer(&results[7]);
    assert_eq!(one["nativeContexts"].as_array().unwrap().len(), 1);
    assert_eq!(one["page"]["nextOffset"], 1);
    let shared = cli(&[
        "summary",
        "tests/fixtures/node-vm.heapsnapshot.gz",
        "--named-filter",
        "sharedNativeContext",
    ]);
    let mcp = answer(&results[8]);
    for field in ["filterTotalCount", "filterTotalSize"] {
        same(&mcp[field], &shared[field], field);
    }
    let rows = shared["classes"].as_array().unwrap();
    same(
        &mcp["classes"],
        &Value::Array(rows[..rows.len().min(200)].to_vec()),
        "classes",
    );
    assert!(refusal(&results[9]).contains("not both"));
}
