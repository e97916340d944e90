//! Broken, truncated and hostile-shaped inputs: every one must give a one-line error that names
//! the file and says what is wrong, exit status 1, no panic and no hang, in every headless
//! command. Real fixtures are cut and corrupted; hand-written JSON covers shapes Node never
//! writes.

use crate::common;
use common::{fixture, gunzip, heaptui, TempDir};

/// Asserts a clean failure and returns the message.
fn fails(path: &std::path::Path) -> String {
    let p = path.to_str().unwrap();
    let out = heaptui(&["summary", p]);
    let stderr = String::from_utf8_lossy(&out.stderr).to_string();
    assert_eq!(
        out.status.code(),
        Some(1),
        "{p}: expected exit 1, stderr: {stderr}"
    );
    assert!(!stderr.contains("panicked"), "{p}: panic: {stderr}");
    assert_eq!(
        stderr.trim_end().lines().count(),
        1,
        "{p}: not one line: {stderr}"
    );
    assert!(stderr.starts_with("heaptui: "), "{stderr}");
    let name = path.file_name().unwrap().to_str().unwrap();
    assert!(
        stderr.contains(name),
        "{p}: the error does not name the file: {stderr}"
    );
    assert!(out.stdout.is_empty(), "{p}: printed output despite failing");
    stderr
}

fn write(dir: &TempDir, name: &str, bytes: &[u8]) -> std::path::PathBuf {
    let path = dir.path(name);
    std::fs::write(&path, bytes).unwrap();
    path
}

/// A minimal valid snapshot (root → one object) to derive broken variants from.
fn tiny(nodes: &str, edges: &str, node_count: u32, edge_count: u32, strings: &str) -> String {
    format!(
        r#"{{"snapshot":{{"meta":{{"node_fields":["type","name","id","self_size","edge_count"],
        "node_types":[["hidden","object","synthetic"],"string","number","number","number"],
        "edge_fields":["type","name_or_index","to_node"],"edge_types":[["property","element","weak"],"string_or_number","node"]}},
        "node_count":{node_count},"edge_count":{edge_count}}},
        "nodes":[{nodes}],"edges":[{edges}],"strings":[{strings}]}}"#
    )
}

#[test]
fn tiny_valid_snapshot_loads() {
    let dir = TempDir::new("tiny");
    let p = write(
        &dir,
        "ok.heapsnapshot",
        tiny("2,0,1,0,1, 1,1,3,40,0", "0,2,5", 2, 1, r#""","Obj","x""#).as_bytes(),
    );
    let out = heaptui(&["summary", "--json", p.to_str().unwrap()]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["classes"][0]["name"], "Obj");
    assert_eq!(v["classes"][0]["retainedSize"], 40);
}

/// An element edge's index is not a name: one beyond the strings loads, and a property edge's
/// bad name is reported as itself, not as the larger index beside it (the parser's largest
/// value of the column is only an upper bound of the names).
#[test]
fn element_indexes_beyond_the_strings_are_not_names() {
    let dir = TempDir::new("elements");
    let nodes = "2,0,1,0,2, 1,1,3,40,0";
    let strings = r#""","Obj","x""#;
    let ok = write(
        &dir,
        "ok.heapsnapshot",
        tiny(nodes, "1,9,5, 0,2,5", 2, 2, strings).as_bytes(),
    );
    let out = heaptui(&["summary", "--json", ok.to_str().unwrap()]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let bad = write(
        &dir,
        "bad.heapsnapshot",
        tiny(nodes, "1,9,5, 0,7,5", 2, 2, strings).as_bytes(),
    );
    let out = heaptui(&["summary", "--json", bad.to_str().unwrap()]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success());
    assert!(stderr.contains("string 7"), "{stderr}");
}

#[test]
fn each_kind_of_broken_file_is_refused_with_a_reason() {
    let dir = TempDir::new("broken");
    let cases: Vec<(&str, Vec<u8>, &str)> = vec![
        ("empty.heapsnapshot", vec![], "empty"),
        (
            "text.heapsnapshot",
            b"hello, world".to_vec(),
            "not a heap snapshot",
        ),
        (
            "array.heapsnapshot",
            b"[1,2,3]".to_vec(),
            "not a heap snapshot",
        ),
        (
            "other.json",
            br#"{"name":"package","version":"1.0.0"}"#.to_vec(),
            "no \"snapshot\" header",
        ),
        (
            "nometa.heapsnapshot",
            br#"{"snapshot":{"node_count":1,"edge_count":0},"nodes":[],"edges":[],"strings":[]}"#
                .to_vec(),
            "meta",
        ),
        (
            "renamed.heapsnapshot",
            tiny("2,0,1,0,1, 1,1,3,40,0", "0,2,5", 2, 1, r#""","Obj","x""#)
                .replace("self_size", "size")
                .into_bytes(),
            "self_size",
        ),
        (
            "count.heapsnapshot",
            tiny("2,0,1,0,1, 1,1,3,40,0", "0,2,5", 3, 1, r#""","Obj","x""#).into_bytes(),
            "header promises",
        ),
        (
            "values.heapsnapshot",
            tiny("2,0,1,0,1, 1,1,3,40", "0,2,5", 2, 1, r#""","Obj","x""#).into_bytes(),
            "values",
        ),
        (
            "to_node.heapsnapshot",
            tiny("2,0,1,0,1, 1,1,3,40,0", "0,2,50", 2, 1, r#""","Obj","x""#).into_bytes(),
            "node index 50",
        ),
        (
            "to_node_misaligned.heapsnapshot",
            tiny("2,0,1,0,1, 1,1,3,40,0", "0,2,3", 2, 1, r#""","Obj","x""#).into_bytes(),
            "not a node",
        ),
        (
            "name.heapsnapshot",
            tiny("2,0,1,0,1, 1,9,3,40,0", "0,2,5", 2, 1, r#""","Obj","x""#).into_bytes(),
            "string 9",
        ),
        (
            "edge_name.heapsnapshot",
            tiny("2,0,1,0,1, 1,1,3,40,0", "0,7,5", 2, 1, r#""","Obj","x""#).into_bytes(),
            "string 7",
        ),
        (
            "overrun.heapsnapshot",
            tiny("2,0,1,0,2, 1,1,3,40,0", "0,2,5", 2, 1, r#""","Obj","x""#).into_bytes(),
            "edge_count",
        ),
        (
            "negative.heapsnapshot",
            tiny("2,0,1,0,1, 1,1,3,-40,0", "0,2,5", 2, 1, r#""","Obj","x""#).into_bytes(),
            "negative",
        ),
        (
            "huge.heapsnapshot",
            tiny(
                "2,0,1,0,1, 1,1,3,99999999999,0",
                "0,2,5",
                2,
                1,
                r#""","Obj","x""#,
            )
            .into_bytes(),
            "too large",
        ),
        (
            "float.heapsnapshot",
            tiny("2,0,1,0,1, 1,1,3,4.5,0", "0,2,5", 2, 1, r#""","Obj","x""#).into_bytes(),
            "not an integer",
        ),
        (
            "type.heapsnapshot",
            tiny("2,0,1,0,1, 9,1,3,40,0", "0,2,5", 2, 1, r#""","Obj","x""#).into_bytes(),
            "node type 9",
        ),
        (
            "escape.heapsnapshot",
            tiny("2,0,1,0,1, 1,1,3,40,0", "0,2,5", 2, 1, r#""","O\qbj","x""#).into_bytes(),
            "escape",
        ),
        (
            "uescape.heapsnapshot",
            tiny(
                "2,0,1,0,1, 1,1,3,40,0",
                "0,2,5",
                2,
                1,
                r#""","O\u12zz","x""#,
            )
            .into_bytes(),
            "escape",
        ),
        (
            "gzip.heapsnapshot.gz",
            vec![0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 3, 1, 2, 3, 4],
            "gzip",
        ),
        (
            "hugecount.heapsnapshot",
            tiny(
                "2,0,1,0,1, 1,1,3,40,0",
                "0,2,5",
                4_000_000_000,
                1,
                r#""","Obj","x""#,
            )
            .into_bytes(),
            "header promises",
        ),
    ];
    for (name, bytes, reason) in cases {
        let path = write(&dir, name, &bytes);
        let message = fails(&path);
        assert!(
            message.contains(reason),
            "{name}: expected {reason:?} in {message:?}"
        );
    }
}

/// A snapshot taken with allocation tracking (an object's `trace_node_id` names its
/// allocation stack) whose `trace_tree` is `tree`.
fn tracked(tree: &str) -> String {
    format!(
        r#"{{"snapshot":{{"meta":{{"node_fields":["type","name","id","self_size","edge_count","trace_node_id"],
        "node_types":[["hidden","object","synthetic"],"string","number","number","number","number"],
        "edge_fields":["type","name_or_index","to_node"],"edge_types":[["property","element","weak"],"string_or_number","node"],
        "trace_function_info_fields":["function_id","name","script_name","script_id","line","column"],
        "trace_node_fields":["id","function_info_index","count","size","children"]}},
        "node_count":2,"edge_count":1,"trace_function_count":1}},
        "nodes":[2,0,1,0,1,0, 1,1,3,40,0,2],"edges":[0,2,6],
        "trace_function_infos":[1,3,4,7,10,5],"trace_tree":{tree},
        "strings":["","Obj","x","make","/app/make.js"]}}"#
    )
}

#[test]
fn a_broken_allocation_trace_costs_the_stacks_not_the_snapshot() {
    let dir = TempDir::new("traces");
    for (name, tree, warned) in [
        ("ok.heapsnapshot", "[1,0,1,40,[2,0,1,40,[]]]", false),
        ("short-node.heapsnapshot", "[1,0,1,40,[2,0,[]]]", true),
        ("no-children.heapsnapshot", "[1,0,1,40]", true),
        ("not-numbers.heapsnapshot", "[1,0,\"x\",40,[]]", true),
    ] {
        let p = write(&dir, name, tracked(tree).as_bytes());
        let out = heaptui(&["summary", "--json", p.to_str().unwrap()]);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(out.status.success(), "{name}: {stderr}");
        let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        assert_eq!(v["classes"][0]["name"], "Obj", "{name}");
        assert_eq!(
            stderr.contains("allocation stacks left out"),
            warned,
            "{name}: {stderr}"
        );
    }
}

#[test]
fn lone_surrogates_and_invalid_utf8_are_loaded_not_refused() {
    let dir = TempDir::new("utf");
    let mut bytes = tiny(
        "2,0,1,0,1, 1,1,3,40,0",
        "0,2,5",
        2,
        1,
        r#""","\ud800Obj","x""#,
    )
    .into_bytes();
    let at = bytes.windows(3).position(|w| w == b"Obj").unwrap();
    bytes.insert(at, 0xff);
    let path = write(&dir, "utf.heapsnapshot", &bytes);
    let out = heaptui(&["summary", "--json", path.to_str().unwrap()]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["classes"][0]["name"], "\u{FFFD}\u{FFFD}Obj");
}

#[test]
fn paths_that_are_not_readable_files() {
    let dir = TempDir::new("paths");
    let m = fails(&dir.0);
    assert!(m.contains("directory"), "{m}");
    let m = fails(&dir.path("missing.heapsnapshot"));
    assert!(m.contains("No such file"), "{m}");
    let file = write(&dir, "plain", b"x");
    let m = fails(&file.join("child.heapsnapshot"));
    assert!(m.contains("cannot read"), "{m}");
}

/// Cuts a real snapshot at many offsets in every section: each cut is refused with a reason,
/// except cuts in the trailing strings section that keep every needed string.
#[test]
fn truncated_real_snapshots_fail_cleanly_at_every_offset() {
    let dir = TempDir::new("cut");
    let full = gunzip(&fixture("chromium-detached"));
    let len = full.len();
    let strings_at = full.windows(9).position(|w| w == b"\"strings\"").unwrap();
    let mut offsets: Vec<usize> = (1..40).map(|i| i * len / 40).collect();
    offsets.extend([1, 10, 100, strings_at - 1, strings_at + 5, len - 3, len - 1]);
    let mut refused = 0;
    for (i, cut) in offsets.into_iter().enumerate() {
        let path = write(&dir, &format!("cut{i}-at-{cut}.heapsnapshot"), &full[..cut]);
        let out = heaptui(&["summary", "--json", path.to_str().unwrap()]);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(!stderr.contains("panicked"), "cut at {cut}: {stderr}");
        if out.status.success() {
            assert!(
                cut > strings_at,
                "cut at {cut} (before strings at {strings_at}) was accepted"
            );
            assert!(
                stderr.contains("warning") && stderr.contains("truncated"),
                "cut at {cut}: no warning: {stderr}"
            );
        } else {
            assert_eq!(out.status.code(), Some(1));
            assert!(
                stderr.contains("truncated") || stderr.contains("values"),
                "cut at {cut}: {stderr}"
            );
            refused += 1;
        }
    }
    assert!(refused >= 30, "only {refused} cuts refused");
    // A truncated gzip stream.
    let gz = std::fs::read(fixture("chromium-detached")).unwrap();
    let path = write(&dir, "cut.heapsnapshot.gz", &gz[..gz.len() / 2]);
    assert!(fails(&path).contains("gzip"));
}

#[test]
fn errors_are_the_same_in_every_command() {
    let dir = TempDir::new("cmds");
    let bad = write(&dir, "bad.heapsnapshot", b"{\"snapshot\":");
    let good = fixture("chromium-detached");
    for args in [
        vec!["retainers", bad.to_str().unwrap(), "@1"],
        vec!["diff", bad.to_str().unwrap(), good.to_str().unwrap()],
        vec!["diff", good.to_str().unwrap(), bad.to_str().unwrap()],
    ] {
        let out = heaptui(&args);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(1), "{args:?}: {stderr}");
        assert!(
            stderr.contains("bad.heapsnapshot") && stderr.contains("truncated"),
            "{args:?}: {stderr}"
        );
    }
    let out = heaptui(&["retainers", good.to_str().unwrap(), "@nope"]);
    assert_eq!(out.status.code(), Some(1));
    let out = heaptui(&["retainers", good.to_str().unwrap(), "@999999999"]);
    assert!(String::from_utf8_lossy(&out.stderr).contains("no object with id @999999999"));
    let out = heaptui(&["summary"]);
    assert_eq!(out.status.code(), Some(2), "usage errors exit 2");
}

#[test]
fn library_errors_keep_their_kind_file_and_offset() {
    use heaptui_common::progress::Progress;
    use {heaptui_common::ErrorKind, heaptui_engine::Snapshot};
    let load = |path: &std::path::Path| {
        Snapshot::load(path, Default::default(), &Progress::NONE)
            .err()
            .expect("a failure")
    };
    let dir = TempDir::new("kinds");
    let missing = dir.path("missing.heapsnapshot");
    let e = load(&missing);
    assert_eq!(e.kind(), ErrorKind::Io);
    assert_eq!(e.file(), Some(missing.as_path()));
    let io = std::error::Error::source(&e)
        .and_then(|s| s.downcast_ref::<std::io::Error>())
        .expect("the io error is kept");
    assert_eq!(io.kind(), std::io::ErrorKind::NotFound);

    let mut cut = gunzip(&fixture("leak-base"));
    cut.truncate(cut.len() / 3);
    let truncated = write(&dir, "cut.heapsnapshot", &cut);
    let e = load(&truncated);
    assert_eq!(e.kind(), ErrorKind::Malformed);
    assert!(e.offset().is_some_and(|at| at as usize <= cut.len()), "{e}");

    let text = write(&dir, "text.heapsnapshot", b"hello");
    assert_eq!(load(&text).kind(), ErrorKind::Malformed);
}
