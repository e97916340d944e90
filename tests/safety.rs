//! What heaptui guarantees to a user on a production bastion, headless side: heap strings
//! never reach the terminal raw, and heaptui never writes to a snapshot or its folder.

use crate::common;
use common::{fixture, heaptui, TempDir};
use heaptui_common::progress::Progress;
use heaptui_engine::Snapshot;

/// Bytes that act on a terminal: C0 controls except newline, DEL, C1 controls (as UTF-8),
/// bidi overrides and isolates.
fn dangerous(text: &str) -> Vec<char> {
    text.chars()
        .filter(|&c| {
            (c.is_control() && c != '\n')
                || matches!(c, '\u{80}'..='\u{9f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
        })
        .collect()
}

#[test]
fn hostile_strings_are_escaped_in_text_and_json_output() {
    let hostile = fixture("hostile");
    let path = hostile.to_str().unwrap();
    let snap = Snapshot::load(&hostile, Default::default(), &Progress::NONE).unwrap();
    // An object whose class name is an escape sequence, for the retainers command.
    let rows = snap.summary();
    let evil = rows
        .iter()
        .find(|r| r.name.starts_with("\u{1b}[2J"))
        .expect("the hostile class is in the fixture");
    let evil_id = format!("@{}", snap.node_id(evil.nodes[0]));
    // A hostile string value with retainers named by hostile property names.
    let value = (0..snap.node_count() as u32)
        .find(|&n| snap.display_name(n).contains("pwned title") && snap.type_name(n) == "string")
        .expect("hostile string value");
    let value_id = format!("@{}", snap.node_id(value));

    for args in [
        vec!["summary", path],
        vec!["summary", path, "--json"],
        vec!["diff", path, path],
        vec!["diff", path, path, "--json"],
        vec!["retainers", path, &evil_id, "--depth", "3"],
        vec!["retainers", path, &evil_id, "--json", "--depth", "3"],
        vec!["retainers", path, &value_id, "--depth", "3"],
        vec!["retainers", path, &value_id, "--json", "--depth", "3"],
    ] {
        let out = heaptui(&args);
        assert!(
            out.status.success(),
            "{args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        let text = String::from_utf8(out.stdout).expect("UTF-8 output");
        let found = dangerous(&text);
        assert!(found.is_empty(), "{args:?} printed raw {found:?}");
        if args.contains(&"--json") {
            serde_json::from_str::<serde_json::Value>(&text).expect("still valid JSON");
        }
        if args[0] == "summary" {
            // The content is shown, escaped — not dropped.
            let shown = if args.contains(&"--json") {
                "\\u001b[2J\\u001b[HCLEARED"
            } else {
                "\\x1b[2J\\x1b[HCLEARED"
            };
            assert!(
                text.contains(shown),
                "{args:?}: the hostile class name is not shown escaped"
            );
        }
    }
    // The JSON round-trips to the exact hostile name.
    let out = heaptui(&["summary", path, "--json"]);
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(v["classes"]
        .as_array()
        .unwrap()
        .iter()
        .any(|c| c["name"] == "\u{9b}31mC1-CSI\u{9c}"));
}

#[test]
fn error_messages_escape_hostile_file_names() {
    let dir = TempDir::new("names");
    let path = dir.path("evil\u{1b}]0;title\u{7}.heapsnapshot");
    std::fs::write(&path, b"not json").unwrap();
    let out = common::run_heaptui(
        &["summary".as_ref(), path.as_os_str()],
        std::time::Duration::from_secs(30),
    );
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(dangerous(&stderr).is_empty(), "raw escapes in {stderr:?}");
    assert!(stderr.contains("evil\\x1b]0;title\\x07"), "{stderr}");
}

fn listing(dir: &std::path::Path) -> Vec<(String, u64, std::time::SystemTime, u32, Vec<u8>)> {
    use std::os::unix::fs::PermissionsExt;
    let mut entries: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| {
            let e = e.unwrap();
            let m = e.metadata().unwrap();
            (
                e.file_name().to_string_lossy().to_string(),
                m.len(),
                m.modified().unwrap(),
                m.permissions().mode(),
                std::fs::read(e.path()).unwrap(),
            )
        })
        .collect();
    entries.sort_by(|a, b| a.0.cmp(&b.0));
    entries
}

#[test]
fn snapshots_and_their_folder_are_never_written() {
    use std::os::unix::fs::PermissionsExt;
    let dir = TempDir::new("readonly");
    let base = dir.path("base.heapsnapshot.gz");
    let after = dir.path("after.heapsnapshot");
    std::fs::copy(fixture("leak-base"), &base).unwrap();
    std::fs::write(&after, common::gunzip(&fixture("leak-after"))).unwrap();
    // Read-only files must be enough.
    for f in [&base, &after] {
        std::fs::set_permissions(f, std::fs::Permissions::from_mode(0o400)).unwrap();
    }
    let before = listing(&dir.0);
    let (b, a) = (base.to_str().unwrap(), after.to_str().unwrap());
    for args in [
        vec!["summary", a],
        vec!["diff", b, a, "--json"],
        vec!["retainers", a, "@95045", "--depth", "2"],
    ] {
        let out = heaptui(&args);
        assert!(
            out.status.success(),
            "{args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    assert!(before == listing(&dir.0), "the snapshot folder changed");
}
