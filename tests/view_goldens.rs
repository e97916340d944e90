//! The object-level views against Chrome DevTools' own code: every golden in
//! tests/golden/views (made by scripts/gen-view-goldens.sh with ../shared/oracle on the real
//! Node, `exposeInternals` and Chromium fixtures) must be reproduced exactly: objects'
//! contents row for row, the presets' Summary rows, the Retainers pane with ignored
//! retainers, the dominator tree's children and the Statistics view. The tests do not need
//! the oracle.

use crate::oracle;

use heaptui_cli::json_views::StatisticsDoc;
use heaptui_engine::Snapshot;
use heaptui_engine::{shown_distance, Aggregate, NamedFilter, ObjectFilter};
use oracle::{read_json, shared, Mismatches};
use serde_json::Value;
use std::collections::BTreeMap;
use std::sync::Arc;

fn goldens(kind: &str) -> Vec<Value> {
    oracle::goldens("tests/golden/views/index.json", kind)
}

/// The golden's JSON and its snapshot.
fn golden_and_snapshot(g: &Value) -> (Value, Arc<Snapshot>, String) {
    let file = g["snapshot"].as_str().unwrap().to_string();
    (
        read_json(g["golden"].as_str().unwrap()),
        shared(&file),
        file,
    )
}

fn node_of(snap: &Snapshot, id: u64, at: &str) -> u32 {
    snap.node_for_id(id as u32)
        .unwrap_or_else(|| panic!("{at}: no node @{id}"))
}

#[test]
fn object_contents_match_devtools_row_for_row() {
    let mut bad = Mismatches::default();
    let mut rows = 0;
    for kind in ["edges", "edges-all"] {
        for g in goldens(kind) {
            let (golden, snap, file) = golden_and_snapshot(&g);
            let id = g["nodeId"].as_u64().unwrap();
            let at = format!("{file} {kind} @{id}");
            let node = node_of(&snap, id, &at);
            let all = kind == "edges-all";
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
                || format!("{at} retainedSize"),
                snap.retained_size(node).into(),
                &n["retainedSize"],
            );
            let ours = snap.contents(node, all);
            bad.check(
                || format!("{at} totalLength"),
                ours.len().into(),
                &golden["totalLength"],
            );
            bad.check(
                || format!("{at} count"),
                snap.content_count(node, all).into(),
                &golden["totalLength"],
            );
            for (i, (c, e)) in ours
                .iter()
                .zip(golden["edges"].as_array().unwrap())
                .enumerate()
            {
                rows += 1;
                let at = format!("{at}[{i}]");
                let t = &e["node"];
                oracle::check_edge(&mut bad, &at, &snap, (c.edge, c.node), e, t);
                bad.check(
                    || format!("{at} type"),
                    snap.type_name(c.node).into(),
                    &t["type"],
                );
                bad.check(
                    || format!("{at} selfSize"),
                    snap.self_size(c.node).into(),
                    &t["selfSize"],
                );
                bad.check(
                    || format!("{at} retainedSize"),
                    snap.retained_size(c.node).into(),
                    &t["retainedSize"],
                );
                bad.check(
                    || format!("{at} distance"),
                    snap.raw_distance(c.node).into(),
                    &t["distance"],
                );
                bad.check(
                    || format!("{at} detachedDOMTreeNode"),
                    snap.is_detached_dom_node(c.node).into(),
                    &t["detachedDOMTreeNode"].as_bool().unwrap_or(false).into(),
                );
            }
        }
    }
    assert!(rows > 1000, "only {rows} content rows checked");
    bad.assert_none();
}

/// Compares Summary rows with a golden's classes and totals.
fn check_summary(bad: &mut Mismatches, at: &str, rows: &[Aggregate], golden: &Value) {
    bad.check(
        || format!("{at} filterTotalCount"),
        rows.iter().map(|r| r.count).sum::<u64>().into(),
        &golden["filterTotalCount"],
    );
    bad.check(
        || format!("{at} filterTotalSize"),
        rows.iter().map(|r| r.shallow_size).sum::<u64>().into(),
        &golden["filterTotalSize"],
    );
    let ours: BTreeMap<String, &Aggregate> = rows.iter().map(|r| (r.key(), r)).collect();
    let theirs: BTreeMap<String, &Value> = golden["classes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| (c["classKey"].as_str().unwrap().to_string(), c))
        .collect();
    for key in theirs.keys().filter(|k| !ours.contains_key(*k)) {
        bad.0
            .push(format!("{at}: class {key:?} missing in heaptui"));
    }
    for key in ours.keys().filter(|k| !theirs.contains_key(*k)) {
        bad.0.push(format!("{at}: class {key:?} not in DevTools"));
    }
    for (key, c) in &theirs {
        let Some(r) = ours.get(key) else { continue };
        bad.check(
            || format!("{at} {key:?} count"),
            r.count.into(),
            &c["count"],
        );
        bad.check(
            || format!("{at} {key:?} shallowSize"),
            r.shallow_size.into(),
            &c["shallowSize"],
        );
        bad.check(
            || format!("{at} {key:?} retainedSize"),
            r.retained_size.into(),
            &c["retainedSize"],
        );
        bad.check(
            || format!("{at} {key:?} distance"),
            r.distance.into(),
            &c["distance"],
        );
    }
}

fn named_filter(devtools_name: &str) -> NamedFilter {
    [
        NamedFilter::DuplicatedStrings,
        NamedFilter::RetainedByDetachedDomNodes,
        NamedFilter::RetainedByContexts,
        NamedFilter::RetainedByConsole,
        NamedFilter::RetainedByEventHandlers,
    ]
    .into_iter()
    .find(|f| f.devtools_name() == devtools_name)
    .unwrap_or_else(|| panic!("unknown filter {devtools_name}"))
}

#[test]
fn presets_match_devtools_named_filters_and_id_ranges() {
    let mut bad = Mismatches::default();
    let mut non_empty = 0;
    for g in goldens("named-filter")
        .into_iter()
        .chain(goldens("id-range"))
    {
        let (golden, snap, file) = golden_and_snapshot(&g);
        let nf = &golden["nodeFilter"];
        let (filter, what) = match nf["filterName"].as_str() {
            Some(name) => (ObjectFilter::Named(named_filter(name)), name.to_string()),
            None => (
                ObjectFilter::IdRange {
                    after_id: nf["minNodeId"].as_u64().unwrap() as u32,
                    up_to_id: nf["maxNodeId"].as_u64().unwrap() as u32,
                },
                format!("ids {}..{}", nf["minNodeId"], nf["maxNodeId"]),
            ),
        };
        let rows = snap.summary_filtered(filter, &|_| {});
        non_empty += usize::from(!rows.is_empty());
        check_summary(&mut bad, &format!("{file} {what}"), &rows, &golden);
    }
    assert!(
        non_empty >= 8,
        "most presets keep some objects: {non_empty}"
    );
    bad.assert_none();
}

#[test]
fn duplicated_strings_group_the_filtered_strings() {
    for g in goldens("named-filter") {
        let (golden, snap, file) = golden_and_snapshot(&g);
        if golden["nodeFilter"]["filterName"] != "duplicatedStrings" {
            continue;
        }
        let d = snap.duplicated_strings();
        let members: u64 = d.groups.iter().map(|g| g.count).sum();
        assert_eq!(
            Value::from(members),
            golden["filterTotalCount"],
            "{file}: the groups hold exactly the strings the filter keeps"
        );
        let size: u64 = d.groups.iter().map(|g| g.total_self_size).sum();
        assert_eq!(Value::from(size), golden["filterTotalSize"], "{file}");
        assert!(d.groups.iter().all(|g| g.count >= 2));
        assert!(
            d.wasted < size && d.wasted > 0,
            "{file}: {} of {size}",
            d.wasted
        );
        assert!(d
            .groups
            .windows(2)
            .all(|w| w[0].total_retained_size >= w[1].total_retained_size));
    }
}

#[test]
fn ignored_retainers_match_devtools() {
    let mut bad = Mismatches::default();
    for g in goldens("ignore") {
        let (golden, snap, file) = golden_and_snapshot(&g);
        let id = g["nodeId"].as_u64().unwrap();
        let node = node_of(&snap, id, &file);
        let ignored_ids: Vec<u32> = golden["ignoredIds"]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| node_of(&snap, v.as_u64().unwrap(), &file))
            .collect();
        let at = format!("{file} @{id} ignoring {}", golden["ignoredIds"]);
        let view = snap.ignore_retainers(&ignored_ids);
        bad.check(
            || format!("{at} distanceForRetainersView"),
            snap.retainers_view_distance(Some(&view), node).into(),
            &golden["node"]["distanceForRetainersView"],
        );
        bad.check(
            || format!("{at} distance (unchanged)"),
            snap.raw_distance(node).into(),
            &golden["node"]["distance"],
        );
        check_retainers(
            &mut bad,
            &snap,
            &view,
            node,
            &golden["retainers"],
            2,
            &mut vec![id as u32],
            &at,
        );
        let chain = snap.auto_expanded_chain_ignoring(Some(&view), node);
        let theirs = golden["autoExpandedChain"].as_array().unwrap();
        bad.check(
            || format!("{at} chain length"),
            chain.len().into(),
            &theirs.len().into(),
        );
        for (i, (s, t)) in chain.iter().zip(theirs).enumerate() {
            bad.check(
                || format!("{at} chain[{i}] id"),
                snap.node_id(s.retainer.node).into(),
                &t["id"],
            );
            bad.check(
                || format!("{at} chain[{i}] distance"),
                s.retainer.distance.into(),
                &t["distance"],
            );
            bad.check(
                || format!("{at} chain[{i}] ignored"),
                view.is_ignored(s.retainer.node).into(),
                &t["ignored"].as_bool().unwrap_or(false).into(),
            );
        }
    }
    bad.assert_none();
}

#[allow(clippy::too_many_arguments)]
fn check_retainers(
    bad: &mut Mismatches,
    snap: &Snapshot,
    view: &heaptui_engine::IgnoredRetainers,
    node: u32,
    golden: &Value,
    depth: usize,
    ancestors: &mut Vec<u32>,
    at: &str,
) {
    let ours = snap.retainers_ignoring(Some(view), node);
    bad.check(
        || format!("{at} retainer count"),
        ours.len().into(),
        &golden["total"],
    );
    for (i, (r, e)) in ours
        .iter()
        .zip(golden["edges"].as_array().unwrap())
        .enumerate()
    {
        let at = format!("{at}[{i}]");
        let t = &e["retainer"];
        bad.check(
            || format!("{at} edgeName"),
            snap.edge_name(r.edge).into(),
            &e["edgeName"],
        );
        bad.check(|| format!("{at} id"), snap.node_id(r.node).into(), &t["id"]);
        bad.check(
            || format!("{at} distance"),
            r.distance.into(),
            &t["distance"],
        );
        bad.check(
            || format!("{at} ignored"),
            view.is_ignored(r.node).into(),
            &t["ignored"],
        );
        let id = snap.node_id(r.node);
        if let Some(nested) = t.get("retainers") {
            if depth > 1 && !ancestors.contains(&id) {
                ancestors.push(id);
                check_retainers(
                    bad,
                    snap,
                    view,
                    r.node,
                    nested,
                    depth - 1,
                    ancestors,
                    &format!("{at}>"),
                );
                ancestors.pop();
            }
        }
    }
}

#[test]
fn dominator_tree_children_match_devtools() {
    let mut bad = Mismatches::default();
    let mut children_checked = 0;
    for g in goldens("dominated") {
        let (golden, snap, file) = golden_and_snapshot(&g);
        bad.check(
            || format!("{file} root id"),
            snap.node_id(snap.root()).into(),
            &golden["rootId"],
        );
        bad.check(
            || format!("{file} totalSize"),
            snap.total_size().into(),
            &golden["totalSize"],
        );
        let entries = golden["nodes"].as_array().unwrap();
        let parents: Vec<u32> = entries
            .iter()
            .map(|e| node_of(&snap, e["id"].as_u64().unwrap(), &file))
            .collect();
        // Distinct parents, as `dominated` asks.
        let mut seen = std::collections::HashSet::new();
        let (entries, parents): (Vec<&Value>, Vec<u32>) = entries
            .iter()
            .zip(parents)
            .filter(|(_, p)| seen.insert(*p))
            .unzip();
        let lists = snap.dominated(&parents);
        for ((entry, parent), ours) in entries.iter().zip(&parents).zip(lists) {
            let at = format!("{file} @{}", entry["id"]);
            bad.check(
                || format!("{at} retainedSize"),
                snap.retained_size(*parent).into(),
                &entry["retainedSize"],
            );
            let mut theirs: Vec<(u64, u64)> = entry["children"]
                .as_array()
                .unwrap()
                .iter()
                .map(|c| {
                    (
                        c["id"].as_u64().unwrap(),
                        c["retainedSize"].as_u64().unwrap(),
                    )
                })
                .collect();
            // The view's order: retained size, largest first, then id.
            theirs.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
            let ours: Vec<(u64, u64)> = ours
                .iter()
                .map(|&c| (snap.node_id(c).into(), snap.retained_size(c)))
                .collect();
            children_checked += ours.len();
            bad.check(
                || format!("{at} children"),
                serde_json::to_value(&ours).unwrap(),
                &serde_json::to_value(&theirs).unwrap(),
            );
        }
    }
    assert!(children_checked > 10_000, "{children_checked} children");
    bad.assert_none();
}

#[test]
fn statistics_match_devtools() {
    let index = read_json("tests/golden/index.json");
    let mut checked = 0;
    for g in index["goldens"].as_array().unwrap() {
        if g["kind"] != "summary" || g.get("idRange").is_some() {
            continue;
        }
        let golden = read_json(g["golden"].as_str().unwrap());
        let file = g["snapshots"][0].as_str().unwrap();
        let snap = shared(file);
        let mut ours =
            serde_json::to_value(StatisticsDoc::of(String::new(), snap.statistics())).unwrap();
        ours.as_object_mut().unwrap().remove("file");
        assert_eq!(
            ours, golden["statistics"],
            "{file}: the Statistics view's numbers"
        );
        checked += 1;
    }
    assert!(checked >= 5);
}

#[test]
fn shown_distances_hide_system_and_unreachable_objects() {
    assert_eq!(shown_distance(3), Some(3));
    assert_eq!(shown_distance(100_000_001), None);
    assert_eq!(shown_distance(200_000_000), None);
}
