//! Asking one snapshot questions: `query` (objects by filters), `what-if` (what releasing
//! objects frees) and `modules` (memory by npm package, app file and Node internals). Each
//! answer of the real binary is checked against a count made here independently: the
//! Summary's class counts, scans of the graph through the engine's public API, a brute-force
//! reachability count, DevTools' retained sizes (the oracle's goldens), and a real express
//! app's packages.

use crate::common::{self, fixture, heaptui, json_of, TempDir};
use crate::leak_patterns;
use crate::oracle;
use heaptui_engine::{DomState, EdgeKind, Snapshot};
use serde_json::Value;
use std::collections::HashSet;
use std::sync::OnceLock;

/// `heaptui ARGS… --json`, parsed.
fn json(args: &[&str]) -> Value {
    let mut all = args.to_vec();
    all.push("--json");
    json_of(&heaptui(&all))
}

/// The fixture `name` as a path string.
fn snap(name: &str) -> String {
    fixture(name).to_str().unwrap().to_string()
}

/// `name` as an anchored regex matching itself only.
fn exactly(name: &str) -> String {
    let mut out = String::from("^");
    for c in name.chars() {
        if "\\.+*?()|[]{}^$".contains(c) {
            out.push('\\');
        }
        out.push(c);
    }
    out.push('$');
    out
}

/// The objects of the Summary class `class` (every row of that name).
fn class_nodes(s: &Snapshot, class: &str) -> Vec<u32> {
    s.summary()
        .iter()
        .filter(|r| r.name == class)
        .flat_map(|r| r.nodes.iter().copied())
        .collect()
}

/// Every object the Summary lists.
fn summary_nodes(s: &Snapshot) -> Vec<u32> {
    s.summary()
        .iter()
        .flat_map(|r| r.nodes.iter().copied())
        .collect()
}

#[test]
fn a_class_query_counts_what_the_summary_counts() {
    for name in ["leak-final", "node24-3", "chromium-detached", "bun-3"] {
        let file = snap(name);
        let summary = json(&["summary", &file]);
        let classes = summary["classes"].as_array().unwrap();
        // The five largest classes and one class with a regex character in its name.
        let mut picked: Vec<&str> = classes
            .iter()
            .take(5)
            .map(|c| c["name"].as_str().unwrap())
            .collect();
        picked.extend(
            classes
                .iter()
                .map(|c| c["name"].as_str().unwrap())
                .find(|n| n.contains('(')),
        );
        for class in picked {
            let rows: Vec<&Value> = classes.iter().filter(|c| c["name"] == class).collect();
            let count: u64 = rows.iter().map(|r| r["count"].as_u64().unwrap()).sum();
            let shallow: u64 = rows
                .iter()
                .map(|r| r["shallowSize"].as_u64().unwrap())
                .sum();
            let q = json(&["query", &file, "--class", &exactly(class), "--top", "3"]);
            assert_eq!(q["count"], count, "{name}: {class}");
            assert_eq!(q["selfSize"], shallow, "{name}: {class}");
            if rows.len() == 1 {
                // DevTools' class retained size counts each object once, as the query does.
                assert_eq!(
                    q["retainedSize"], rows[0]["retainedSize"],
                    "{name}: {class}"
                );
            }
            let listed = q["objects"].as_array().unwrap();
            assert_eq!(listed.len() as u64, count.min(3), "{name}: {class}");
            assert!(listed.iter().all(|o| o["className"] == class));
        }
    }
}

#[test]
fn filters_choose_what_an_independent_scan_chooses() {
    let file = snap("leak-final");
    let s = oracle::shared("tests/fixtures/leak-final.heapsnapshot.gz");
    let count = |args: &[&str]| {
        let mut all = vec!["query", file.as_str(), "--top", "1"];
        all.extend(args);
        json(&all)["count"].as_u64().unwrap() as usize
    };
    let everything = summary_nodes(&s);

    // A property, then its value: the url of one request.
    let messages = class_nodes(&s, "IncomingMessage");
    let url_of = |n: u32| {
        s.edges_from(n)
            .find(|&(e, _)| s.edge_kind(e) == EdgeKind::Property && s.edge_name(e) == "url")
            .map(|(_, to)| s.string_text(to))
    };
    let with_url: Vec<u32> = messages
        .iter()
        .copied()
        .filter(|&n| url_of(n).is_some())
        .collect();
    assert!(!with_url.is_empty());
    assert_eq!(
        count(&["--class", "^IncomingMessage$", "--property", "url"]),
        with_url.len()
    );
    let url = url_of(with_url[0]).flatten().unwrap();
    let same_url = with_url
        .iter()
        .filter(|&&n| url_of(n).flatten().as_deref() == Some(url.as_str()))
        .count();
    let by_value = [
        "--class",
        "^IncomingMessage$",
        "--property",
        "url",
        "--value",
    ];
    assert_eq!(count(&[&by_value[..], &[url.as_str()]].concat()), same_url);
    assert!(same_url < with_url.len(), "the value must narrow: {url}");
    // Redacted: the same objects, the value not printed.
    let mut redacted = vec!["query", file.as_str(), "--redact"];
    redacted.extend(by_value);
    redacted.push(&url);
    let out = heaptui(&redacted);
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success() && !text.contains(url.as_str()),
        "{text}"
    );
    assert!(text.contains(&format!(" {} objects", same_url)), "{text}");

    // Sizes (human units), distances, types, each against a scan of the Summary's objects.
    let scan = |keep: &dyn Fn(u32) -> bool| everything.iter().filter(|&&n| keep(n)).count();
    assert_eq!(
        count(&["--min-retained", "1kB", "--max-self", "300"]),
        scan(&|n| s.retained_size(n) >= 1000 && s.self_size(n) <= 300)
    );
    assert_eq!(
        count(&["--min-self", "0.1kB", "--max-retained", "768B"]),
        scan(&|n| s.self_size(n) >= 100 && s.retained_size(n) <= 768)
    );
    assert_eq!(
        count(&["--min-distance", "13", "--max-distance", "14"]),
        scan(&|n| matches!(s.shown_distance(n), Some(13..=14)))
    );
    assert_eq!(
        count(&["--type", "closure"]),
        scan(&|n| s.type_name(n) == "closure")
    );

    // Reachable from the leak's array: a walk over the edges that hold, made here.
    let array = s.node_for_id(94943).unwrap();
    let reached = walk(&s, &[array], &HashSet::new());
    assert_eq!(
        count(&["--from", "@94943", "--class", "^IncomingMessage$"]),
        messages.iter().filter(|n| reached.contains(n)).count()
    );

    // New since the base: the 400 requests the app leaked between the two snapshots.
    let base = snap("leak-base");
    assert_eq!(
        count(&["--class", "^IncomingMessage$", "--new-since", &base]),
        400
    );

    // Detached DOM nodes of the Chromium page.
    let page = oracle::shared("tests/fixtures/chromium-detached.heapsnapshot.gz");
    let detached = summary_nodes(&page)
        .into_iter()
        .filter(|&n| page.dom_state(n) == DomState::Detached)
        .count();
    assert!(detached > 0);
    let q = json(&["query", &snap("chromium-detached"), "--dom", "detached"]);
    assert_eq!(q["count"], detached);

    // Orders.
    for (sort, key) in [("self", "selfSize"), ("retained", "retainedSize")] {
        let q = json(&["query", &file, "--sort", sort, "--top", "50"]);
        let v: Vec<u64> = q["objects"]
            .as_array()
            .unwrap()
            .iter()
            .map(|o| o[key].as_u64().unwrap())
            .collect();
        assert!(v.windows(2).all(|w| w[0] >= w[1]), "{sort}: {v:?}");
    }
    let q = json(&["query", &file, "--sort", "distance", "--top", "50"]);
    let d: Vec<i64> = q["objects"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| o["distance"].as_i64().unwrap_or(i64::MAX))
        .collect();
    assert!(d.windows(2).all(|w| w[0] <= w[1]), "{d:?}");

    // Bad filters are one line each.
    for bad in [
        &["--class", "("][..],
        &["--min-retained", "lots"],
        &["--dom", "floating"],
    ] {
        let mut all = vec!["query", file.as_str()];
        all.extend(bad);
        let out = heaptui(&all);
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(1), "{bad:?}: {err}");
        assert_eq!(err.trim().lines().count(), 1, "{bad:?}: {err}");
    }
}

/// The nodes reached from `starts` over the edges that hold, never entering `blocked`.
fn walk(s: &Snapshot, starts: &[u32], blocked: &HashSet<u32>) -> HashSet<u32> {
    let mut seen: HashSet<u32> = HashSet::new();
    let mut stack: Vec<u32> = Vec::new();
    for &start in starts {
        if !blocked.contains(&start) && seen.insert(start) {
            stack.push(start);
        }
    }
    while let Some(node) = stack.pop() {
        for (edge, to) in s.edges_from(node) {
            if s.edge_holds(edge) && !blocked.contains(&to) && seen.insert(to) {
                stack.push(to);
            }
        }
    }
    seen
}

/// What releasing a set frees, by brute force: the nodes the roots reach before and not
/// after. The roots are DevTools' numbering's: the root, then every node the root does not
/// reach and nothing holds (an orphan), then whatever those do not reach, one by one.
struct BruteForce<'a> {
    s: &'a Snapshot,
    roots: Vec<u32>,
}

impl<'a> BruteForce<'a> {
    fn new(s: &'a Snapshot) -> BruteForce<'a> {
        let n = s.node_count() as u32;
        let mut held = vec![false; n as usize];
        for node in 0..n {
            for (edge, to) in s.edges_from(node) {
                if s.edge_holds(edge) {
                    held[to as usize] = true;
                }
            }
        }
        let mut roots = vec![s.root()];
        let from_root = walk(s, &roots, &HashSet::new());
        let orphans: Vec<u32> = (0..n)
            .filter(|&v| !from_root.contains(&v) && !held[v as usize])
            .collect();
        let from_orphans = walk(s, &orphans, &HashSet::new());
        roots.extend(&orphans);
        roots.extend((0..n).filter(|v| !from_root.contains(v) && !from_orphans.contains(v)));
        BruteForce { s, roots }
    }

    /// The freed nodes' count and self sizes.
    fn freed(&self, set: &[u32]) -> (usize, u64) {
        let blocked: HashSet<u32> = set.iter().copied().collect();
        let alive = walk(self.s, &self.roots, &blocked);
        let freed = (0..self.s.node_count() as u32).filter(|n| !alive.contains(n));
        freed.fold((0, 0), |(c, b), n| (c + 1, b + self.s.self_size(n)))
    }
}

#[test]
fn what_if_frees_what_a_brute_force_reachability_count_frees() {
    for name in ["leak-final", "internals"] {
        let file = snap(name);
        let s = oracle::shared(&format!("tests/fixtures/{name}.heapsnapshot.gz"));
        let brute = BruteForce::new(&s);
        let all = summary_nodes(&s);
        // One object at a time: the brute force, the engine and the retained size agree.
        for &node in all.iter().step_by(all.len() / 150) {
            let (count, bytes) = brute.freed(&[node]);
            assert_eq!(bytes, s.retained_size(node), "{name} @{}", s.node_id(node));
            let release = s.release(&[node]);
            assert_eq!((release.freed.len(), release.freed_size), (count, bytes));
        }
        // Sets through the binary: objects sharing what they hold, spread ones, a class.
        let largest = {
            let mut by_size = all.clone();
            s.order_by_retained(&mut by_size);
            by_size
        };
        let sets: Vec<Vec<u32>> = vec![
            largest[..4].to_vec(),
            all.iter().copied().step_by(all.len() / 40).collect(),
            largest[10..60].to_vec(),
        ];
        for set in sets {
            let ids: Vec<String> = set.iter().map(|&n| format!("@{}", s.node_id(n))).collect();
            let mut args = vec!["what-if", file.as_str()];
            args.extend(ids.iter().map(String::as_str));
            let doc = json(&args);
            let (count, bytes) = brute.freed(&set);
            assert_eq!(doc["freedSize"], bytes, "{name}: {ids:?}");
            assert_eq!(doc["freedCount"], count, "{name}: {ids:?}");
            let members = doc["membersRetainedSize"].as_u64().unwrap();
            let own: u64 = set
                .iter()
                .filter(|&&m| {
                    // Members no other member dominates.
                    !s.dominator_chain(m)[1..].iter().any(|d| set.contains(d))
                })
                .map(|&m| s.retained_size(m))
                .sum();
            assert_eq!(members, own, "{name}: {ids:?}");
            assert!(bytes >= own, "{name}: freed {bytes} < {own}");
        }
    }
    // A class chosen by a query: every request of the leak.
    let file = snap("leak-final");
    let s = oracle::shared("tests/fixtures/leak-final.heapsnapshot.gz");
    let messages = class_nodes(&s, "IncomingMessage");
    let doc = json(&["what-if", &file, "--query", "--class", "^IncomingMessage$"]);
    let (count, bytes) = BruteForce::new(&s).freed(&messages);
    assert_eq!(doc["released"], messages.len());
    assert_eq!(
        (doc["freedCount"].as_u64(), doc["freedSize"].as_u64()),
        (Some(count as u64), Some(bytes))
    );
    let kept = &doc["stillHeld"];
    assert!(
        kept["count"].as_u64().unwrap() > 0,
        "the requests share their sockets' server"
    );
}

#[test]
fn what_if_of_one_object_frees_its_devtools_retained_size() {
    let mut checked = 0;
    for golden in oracle::goldens("tests/golden/index.json", "retainers") {
        let file = golden["snapshots"][0].as_str().unwrap();
        let s = oracle::shared(file);
        let doc = oracle::read_json(golden["golden"].as_str().unwrap());
        let mut objects = vec![&doc["node"]];
        objects.extend(
            doc["retainers"]["edges"]
                .as_array()
                .into_iter()
                .flatten()
                .map(|e| &e["retainer"]),
        );
        for o in objects {
            let Some(node) = s.node_for_id(o["id"].as_u64().unwrap() as u32) else {
                continue;
            };
            if node == s.root() {
                continue;
            }
            assert_eq!(
                s.release(&[node]).freed_size,
                o["retainedSize"].as_u64().unwrap(),
                "{file} @{}",
                o["id"]
            );
            checked += 1;
        }
    }
    assert!(checked > 50, "only {checked} objects checked");
    // And through the binary, for one of them.
    let doc = json(&["what-if", &snap("leak-final"), "@95035"]);
    assert_eq!(doc["freedSize"], 152);
}

/// The express app of the leak patterns, run once: its third snapshot.
fn express_snapshot() -> &'static str {
    static RUN: OnceLock<(TempDir, TempDir)> = OnceLock::new();
    let (_, out) = RUN.get_or_init(|| {
        let deps = TempDir::new("modules-npm");
        common::npm_deps(&leak_patterns::patterns_dir(), &deps)
            .expect("npm ci of scripts/fixtures/patterns");
        let app = leak_patterns::expected()
            .into_iter()
            .find(|a| a["app"] == "express-cache.cjs")
            .unwrap();
        let out = leak_patterns::run_app(&app, Some(&deps.0));
        (deps, out)
    });
    out.0
        .join("3.heapsnapshot")
        .to_str()
        .unwrap()
        .to_string()
        .leak()
}

#[test]
fn modules_attribute_an_express_apps_memory_to_its_packages() {
    let file = express_snapshot();
    let doc = json(&["modules", file, "--top", "1000"]);
    let modules = doc["modules"].as_array().unwrap();
    let module = |name: &str| modules.iter().find(|m| m["name"] == name);
    let sizes: u64 = modules
        .iter()
        .map(|m| m["retainedSize"].as_u64().unwrap())
        .sum();
    let total = doc["totalSize"].as_u64().unwrap();
    let unattributed = doc["unattributedSize"].as_u64().unwrap();
    // Each object counted once: the modules and the rest are the heap's self sizes.
    let summary = json(&["summary", file, "--top", "100000"]);
    let shallow: u64 = summary["classes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["shallowSize"].as_u64().unwrap())
        .sum();
    assert!(sizes + unattributed <= total);
    assert!(sizes <= shallow, "{sizes} > {shallow}");
    for package in ["express", "qs", "body-parser"] {
        let m = module(package).unwrap_or_else(|| panic!("no {package}: {doc}"));
        assert_eq!(m["kind"], "package");
        assert!(m["retainedSize"].as_u64().unwrap() > 0, "{m}");
        assert!(m["scripts"].as_u64().unwrap() > 0, "{m}");
        assert!(m["sourceSize"].as_u64().unwrap() > 0, "{m}");
    }
    assert!(module("node internals").is_some());
    // The app's own file holds the leaked pages its constructor made.
    let app = modules
        .iter()
        .find(|m| m["kind"] == "app" && m["name"].as_str().unwrap().ends_with("express-cache.cjs"))
        .expect("the app's file");
    let pages = json(&["query", file, "--class", "^CachedPage$"]);
    assert!(pages["count"].as_u64().unwrap() > 0, "{pages}");
    assert!(app["retainedSize"].as_u64().unwrap() >= pages["selfSize"].as_u64().unwrap());
    // The lockfile installs `ms` twice (send keeps its own): a duplicated package.
    let ms = doc["duplicates"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["name"] == "ms" && d["reason"] == "samePackage")
        .expect("ms installed twice");
    assert_eq!(ms["at"].as_array().unwrap().len(), 2);
    assert_eq!(module("ms").unwrap()["duplicated"], true);
    // Text and Markdown say the same.
    let text = String::from_utf8_lossy(&heaptui(&["modules", file]).stdout).into_owned();
    assert!(
        text.contains("express (package)") && text.contains("duplicated: ms"),
        "{text}"
    );
    let md = heaptui(&["modules", file, "--format", "markdown"]).stdout;
    assert!(String::from_utf8_lossy(&md).contains("| express (package) |"));
}

#[test]
fn modules_of_a_committed_fixture_name_its_scripts() {
    let doc = json(&["modules", &snap("leak-final")]);
    let modules = doc["modules"].as_array().unwrap();
    let app = modules
        .iter()
        .find(|m| m["name"].as_str().unwrap().ends_with("leak-series.cjs"))
        .expect("the leaking app's file");
    assert_eq!(app["kind"], "app");
    assert!(app["retainedSize"].as_u64().unwrap() > 0);
    let sizes: u64 = modules
        .iter()
        .map(|m| m["retainedSize"].as_u64().unwrap())
        .sum();
    assert!(
        sizes + doc["unattributedSize"].as_u64().unwrap() <= doc["totalSize"].as_u64().unwrap()
    );
    assert!(doc["duplicates"].as_array().unwrap().is_empty(), "{doc}");
}
