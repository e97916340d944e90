//! heaptui's numbers against Chrome DevTools' own code: every golden in tests/golden (made by
//! scripts/gen-fixtures.sh from ../shared/oracle on real Node and Chromium snapshots) must be
//! reproduced exactly — every Summary row, every Comparison row, every retainer.

use crate::oracle;

use heaptui_engine::Aggregate;
use heaptui_engine::Snapshot;
use heaptui_engine::{ComparisonRows, MatchBy};
use oracle::{load, read_json, root, shared, Mismatches};
use serde_json::Value;
use std::collections::BTreeMap;
use std::path::Path;

fn goldens(kind: &str) -> Vec<Value> {
    oracle::goldens("tests/golden/index.json", kind)
}

fn key_of(row: &Aggregate) -> String {
    row.key()
}

#[test]
fn summary_matches_devtools_row_for_row() {
    let mut bad = Mismatches::default();
    for g in goldens("summary") {
        let golden = read_json(g["golden"].as_str().unwrap());
        let file = g["snapshots"][0].as_str().unwrap();
        let snap = shared(file);
        let totals = &golden["totals"];
        bad.check(
            || format!("{file} nodeCount"),
            snap.node_count().into(),
            &totals["nodeCount"],
        );
        bad.check(
            || format!("{file} edgeCount"),
            snap.edge_count().into(),
            &totals["edgeCount"],
        );
        bad.check(
            || format!("{file} totalSize"),
            snap.total_size().into(),
            &totals["totalSize"],
        );
        let stats = snap.statistics();
        let st = &golden["statistics"];
        for (name, ours, theirs) in [
            ("total", stats.total, &st["total"]),
            ("native.total", stats.native_total, &st["native"]["total"]),
            (
                "native.typedArrays",
                stats.typed_arrays,
                &st["native"]["typedArrays"],
            ),
            ("v8heap.total", stats.v8heap_total, &st["v8heap"]["total"]),
            ("v8heap.code", stats.code, &st["v8heap"]["code"]),
            (
                "v8heap.jsArrays",
                stats.js_arrays,
                &st["v8heap"]["jsArrays"],
            ),
            ("v8heap.strings", stats.strings, &st["v8heap"]["strings"]),
            ("v8heap.system", stats.system, &st["v8heap"]["system"]),
        ] {
            bad.check(|| format!("{file} statistics.{name}"), ours.into(), theirs);
        }
        // The "objects allocated between" filter, where the golden used one.
        let rows = match golden["nodeFilter"]["minNodeId"].as_u64() {
            Some(min) => {
                let max = golden["nodeFilter"]["maxNodeId"].as_u64().unwrap() as u32;
                snap.summary_allocated_between(min as u32, max)
            }
            None => snap.summary().to_vec(),
        };
        bad.check(
            || format!("{file} filterTotalCount"),
            rows.iter().map(|r| r.count).sum::<u64>().into(),
            &golden["filterTotalCount"],
        );
        bad.check(
            || format!("{file} filterTotalSize"),
            rows.iter().map(|r| r.shallow_size).sum::<u64>().into(),
            &golden["filterTotalSize"],
        );
        let ours: BTreeMap<String, &Aggregate> = rows.iter().map(|r| (key_of(r), r)).collect();
        let theirs: BTreeMap<String, &Value> = golden["classes"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| (c["classKey"].as_str().unwrap().to_string(), c))
            .collect();
        for key in theirs.keys().filter(|k| !ours.contains_key(*k)) {
            bad.0
                .push(format!("{file}: class {key:?} missing in heaptui"));
        }
        for key in ours.keys().filter(|k| !theirs.contains_key(*k)) {
            bad.0.push(format!("{file}: class {key:?} not in DevTools"));
        }
        for (key, c) in &theirs {
            let Some(r) = ours.get(key) else { continue };
            bad.check(
                || format!("{file} {key:?} name"),
                r.name.clone().into(),
                &c["name"],
            );
            bad.check(
                || format!("{file} {key:?} count"),
                r.count.into(),
                &c["count"],
            );
            bad.check(
                || format!("{file} {key:?} shallowSize"),
                r.shallow_size.into(),
                &c["shallowSize"],
            );
            bad.check(
                || format!("{file} {key:?} retainedSize"),
                r.retained_size.into(),
                &c["retainedSize"],
            );
            bad.check(
                || format!("{file} {key:?} distance"),
                r.distance.into(),
                &c["distance"],
            );
        }
        assert!(
            theirs.len() > 20,
            "{file}: suspiciously few classes in the golden"
        );
    }
    bad.assert_none();
}

#[test]
fn comparison_matches_devtools_row_for_row() {
    let mut bad = Mismatches::default();
    for g in goldens("compare") {
        let golden = read_json(g["golden"].as_str().unwrap());
        let base_file = g["snapshots"][0].as_str().unwrap();
        let after_file = g["snapshots"][1].as_str().unwrap();
        let base = load(base_file);
        let after = shared(after_file);
        let comparison = heaptui_engine::compare(&base, &after, Some(MatchBy::Id));
        let ComparisonRows::ById(rows) = comparison.rows else {
            unreachable!("matched by id as asked")
        };
        let what = format!("{base_file} → {after_file}");
        let ours: BTreeMap<String, _> = rows
            .iter()
            .map(|d| {
                let key = match d.location {
                    Some(l) => format!("{},{},{},{}", l.script_id, l.line, l.column, d.name),
                    None => format!(",{}", d.name),
                };
                (key, d)
            })
            .collect();
        let theirs: BTreeMap<String, &Value> = golden["classes"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| (c["classKey"].as_str().unwrap().to_string(), c))
            .collect();
        for key in theirs.keys().filter(|k| !ours.contains_key(*k)) {
            bad.0
                .push(format!("{what}: class {key:?} missing in heaptui"));
        }
        for key in ours.keys().filter(|k| !theirs.contains_key(*k)) {
            bad.0.push(format!("{what}: class {key:?} not in DevTools"));
        }
        for (key, c) in &theirs {
            let Some(d) = ours.get(key) else { continue };
            bad.check(
                || format!("{what} {key:?} name"),
                d.name.clone().into(),
                &c["name"],
            );
            bad.check(
                || format!("{what} {key:?} addedCount"),
                d.added.len().into(),
                &c["addedCount"],
            );
            bad.check(
                || format!("{what} {key:?} removedCount"),
                d.removed.len().into(),
                &c["removedCount"],
            );
            bad.check(
                || format!("{what} {key:?} countDelta"),
                d.count_delta().into(),
                &c["countDelta"],
            );
            bad.check(
                || format!("{what} {key:?} addedSize"),
                d.added_size.into(),
                &c["addedSize"],
            );
            bad.check(
                || format!("{what} {key:?} removedSize"),
                d.removed_size.into(),
                &c["removedSize"],
            );
            bad.check(
                || format!("{what} {key:?} sizeDelta"),
                d.size_delta().into(),
                &c["sizeDelta"],
            );
        }
        assert!(!theirs.is_empty(), "{what}: empty golden");
    }
    bad.assert_none();
}

/// `depth` is how many levels the golden expands from here (cycles are marked only where the
/// oracle tries to expand, i.e. at depth > 1).
fn check_edges(
    bad: &mut Mismatches,
    snap: &Snapshot,
    node: u32,
    golden_edges: &Value,
    depth: usize,
    ancestors: &mut Vec<u32>,
    at: &str,
) {
    let ours = snap.retainers(node);
    let theirs = golden_edges["edges"].as_array().unwrap();
    bad.check(
        || format!("{at} retainer count"),
        ours.len().into(),
        &golden_edges["total"],
    );
    for (i, (r, e)) in ours.iter().zip(theirs).enumerate() {
        let at = format!("{at}[{i}]");
        let t = &e["retainer"];
        oracle::check_edge(bad, &at, snap, (r.edge, r.node), e, t);
        bad.check(
            || format!("{at} distance"),
            r.distance.into(),
            &t["distance"],
        );
        bad.check(
            || format!("{at} selfSize"),
            snap.self_size(r.node).into(),
            &t["selfSize"],
        );
        bad.check(
            || format!("{at} retainedSize"),
            snap.retained_size(r.node).into(),
            &t["retainedSize"],
        );
        let id = snap.node_id(r.node);
        let cycled = t["cycledWithAncestor"].as_bool().unwrap_or(false);
        let ours_cycled = depth > 1 && ancestors.contains(&id);
        bad.check(
            || format!("{at} cycledWithAncestor"),
            ours_cycled.into(),
            &cycled.into(),
        );
        match t.get("retainers") {
            Some(nested) if depth > 1 && !cycled => {
                ancestors.push(id);
                check_edges(
                    bad,
                    snap,
                    r.node,
                    nested,
                    depth - 1,
                    ancestors,
                    &format!("{at}>"),
                );
                ancestors.pop();
            }
            Some(_) => bad
                .0
                .push(format!("{at}: DevTools expands a node heaptui would not")),
            None => {}
        }
    }
}

#[test]
fn retainers_match_devtools_edge_for_edge() {
    let mut bad = Mismatches::default();
    for gold in goldens("retainers") {
        let golden = read_json(gold["golden"].as_str().unwrap());
        let file = gold["snapshots"][0].as_str().unwrap();
        let snap = shared(file);
        let id = gold["nodeId"].as_u64().unwrap() as u32;
        let at = format!("{file} @{id}");
        let node = snap
            .node_for_id(id)
            .unwrap_or_else(|| panic!("{at}: not found"));
        let n = &golden["node"];
        bad.check(
            || format!("{at} name"),
            snap.display_name(node).into(),
            &n["name"],
        );
        bad.check(
            || format!("{at} className"),
            snap.class_name(node).into(),
            &n["className"],
        );
        bad.check(
            || format!("{at} type"),
            snap.type_name(node).into(),
            &n["type"],
        );
        bad.check(
            || format!("{at} selfSize"),
            snap.self_size(node).into(),
            &n["selfSize"],
        );
        bad.check(
            || format!("{at} retainedSize"),
            snap.retained_size(node).into(),
            &n["retainedSize"],
        );
        bad.check(
            || format!("{at} distance"),
            snap.raw_distance(node).into(),
            &n["distance"],
        );
        bad.check(
            || format!("{at} dominatorId"),
            snap.node_id(snap.dominator(node)).into(),
            &n["dominatorId"],
        );
        bad.check(
            || format!("{at} retainerCount"),
            snap.retainer_count(node).into(),
            &n["retainerCount"],
        );
        let depth = gold["depth"].as_u64().unwrap_or(1) as usize;
        check_edges(
            &mut bad,
            &snap,
            node,
            &golden["retainers"],
            depth,
            &mut vec![id],
            &at,
        );

        let chain = snap.auto_expanded_chain(node);
        let theirs = golden["autoExpandedChain"].as_array().unwrap();
        bad.check(
            || format!("{at} chain length"),
            chain.len().into(),
            &theirs.len().into(),
        );
        for (i, (s, t)) in chain.iter().zip(theirs).enumerate() {
            let r = &s.retainer;
            bad.check(
                || format!("{at} chain[{i}] edgeName"),
                snap.edge_name(r.edge).into(),
                &t["edgeName"],
            );
            bad.check(
                || format!("{at} chain[{i}] id"),
                snap.node_id(r.node).into(),
                &t["id"],
            );
            bad.check(
                || format!("{at} chain[{i}] distance"),
                r.distance.into(),
                &t["distance"],
            );
            bad.check(
                || format!("{at} chain[{i}] cycled"),
                s.cycled.into(),
                &t["cycledWithAncestor"].as_bool().unwrap_or(false).into(),
            );
        }
        let doms: Vec<u32> = snap
            .dominator_chain(node)
            .iter()
            .map(|&n| snap.node_id(n))
            .collect();
        let their_doms: Vec<u32> = golden["dominatorChain"]
            .as_array()
            .unwrap()
            .iter()
            .map(|d| d["nodeId"].as_u64().unwrap() as u32)
            .collect();
        bad.check(
            || format!("{at} dominator chain"),
            doms.into(),
            &their_doms.into(),
        );
    }
    bad.assert_none();
}

#[test]
fn fixtures_exist_for_every_golden() {
    for g in read_json("tests/golden/index.json")["goldens"]
        .as_array()
        .unwrap()
    {
        for s in g["snapshots"].as_array().unwrap() {
            assert!(Path::new(&root().join(s.as_str().unwrap())).exists(), "{s}");
        }
    }
}
