//! The bastion workflow's headless side: the CI gate's exit status, Markdown reports that carry
//! the same numbers as JSON, redaction that hides every seeded secret, completions and man page.

use crate::common;
use common::{fixture, heaptui};
use heaptui_common::progress::Progress;
use heaptui_engine::Snapshot;

fn demo(name: &str) -> String {
    common::root()
        .join("assets/demo")
        .join(name)
        .to_str()
        .unwrap()
        .to_string()
}

#[test]
fn ci_gate_fails_with_status_3_only_when_a_budget_is_exceeded() {
    let (base, after) = (demo("base.heapsnapshot.gz"), demo("after.heapsnapshot.gz"));
    // The demo leaks 200 IncomingMessage objects between the two snapshots.
    let out = heaptui(&[
        "diff",
        &base,
        &after,
        "--json",
        "--fail-on",
        "IncomingMessage:+199",
    ]);
    assert_eq!(out.status.code(), Some(3));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("IncomingMessage grew by +200 objects (budget +199)"),
        "{stderr}"
    );
    serde_json::from_slice::<serde_json::Value>(&out.stdout).expect("the report is still printed");

    let out = heaptui(&[
        "diff",
        &base,
        &after,
        "--fail-on",
        "IncomingMessage:+200",
        "--fail-on-size",
        "+100MB",
    ]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );

    let out = heaptui(&[
        "diff",
        &base,
        &after,
        "--fail-on-size",
        "IncomingMessage:+1kB",
    ]);
    assert_eq!(out.status.code(), Some(3));
    assert!(String::from_utf8_lossy(&out.stderr).contains("IncomingMessage grew by +49.6 kB"));

    let out = heaptui(&["diff", &base, &after, "--fail-on", "IncomingMessage"]);
    assert_eq!(out.status.code(), Some(1), "a malformed budget is an error");
}

#[test]
fn markdown_reports_carry_the_json_numbers_and_the_leak_path() {
    let (base, after) = (demo("base.heapsnapshot.gz"), demo("after.heapsnapshot.gz"));
    let json = heaptui(&["diff", &base, &after, "--json", "--filter", "Incoming"]);
    let md = heaptui(&[
        "diff", &base, &after, "--format", "markdown", "--sort", "delta", "--top", "5", "--filter",
        "Incoming",
    ]);
    let md = String::from_utf8(md.stdout).unwrap();
    let rows: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap();
    let incoming = rows["classes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["name"] == "IncomingMessage")
        .unwrap();
    let line = format!(
        "| IncomingMessage | {} | {} | +{} |",
        incoming["addedCount"], incoming["removedCount"], incoming["countDelta"]
    );
    assert!(md.contains(&line), "{line} not in:\n{md}");
    // The path of a new IncomingMessage ends in the leaking `cache` array's context.
    assert!(md.contains("Retaining path of `IncomingMessage @"), "{md}");
    assert!(md.contains("cache in system / Context"), "{md}");

    let md = String::from_utf8(
        heaptui(&["summary", &after, "--format", "markdown", "--top", "3"]).stdout,
    )
    .unwrap();
    assert!(md.starts_with("### Heap summary"), "{md}");
    assert_eq!(
        md.lines()
            .filter(|l| l.starts_with("| ") && !l.starts_with("| Constructor"))
            .count(),
        3,
        "{md}"
    );
}

#[test]
fn redaction_hides_every_seeded_secret_in_every_output() {
    let path = fixture("secrets");
    let p = path.to_str().unwrap();
    let snap = Snapshot::load(&path, Default::default(), &Progress::NONE).unwrap();
    // Objects that show a secret: its strings, and the objects they are properties of.
    let holders: Vec<String> = (0..snap.node_count() as u32)
        .filter(|&n| snap.display_name(n).contains("SECRET-5eed"))
        .take(40)
        .map(|n| format!("@{}", snap.node_id(n)))
        .collect();
    assert!(
        holders.len() >= 20,
        "the fixture holds its secrets ({})",
        holders.len()
    );
    let mut leaked_without_redact = false;
    for id in &holders {
        for format in [&["--json"][..], &[][..]] {
            let mut args = vec!["retainers", p, id, "--depth", "3"];
            args.extend_from_slice(format);
            let plain = String::from_utf8(heaptui(&args).stdout).unwrap();
            leaked_without_redact |= plain.contains("SECRET-5eed");
            args.push("--redact");
            let out = heaptui(&args);
            assert!(out.status.success());
            let redacted = String::from_utf8(out.stdout).unwrap();
            assert!(
                !redacted.contains("SECRET") && !redacted.contains("alice@"),
                "{id} {format:?} leaks:\n{redacted}"
            );
        }
    }
    assert!(
        leaked_without_redact,
        "the test would pass even without redaction"
    );
    for args in [
        vec!["summary", p, "--redact"],
        vec!["summary", p, "--redact", "--format", "markdown"],
        vec!["diff", p, p, "--redact", "--json"],
    ] {
        let out = String::from_utf8(heaptui(&args).stdout).unwrap();
        assert!(
            !out.contains("SECRET") && !out.contains("alice@"),
            "{args:?}"
        );
    }
    // Lengths are kept: the masked value has the secret's length.
    let masked = heaptui_common::util::redact::mask("SECRET-5eed00-alice@example.com");
    assert_eq!(masked.chars().count(), 31);
}

#[test]
fn completions_and_man_page_come_from_the_command_definitions() {
    for shell in ["bash", "zsh", "fish"] {
        let out = heaptui(&["completions", shell]);
        assert!(out.status.success());
        let text = String::from_utf8(out.stdout).unwrap();
        for sub in ["summary", "diff", "retainers", "fail-on"] {
            assert!(text.contains(sub), "{shell} completions lack {sub}");
        }
    }
    let man = String::from_utf8(heaptui(&["man"]).stdout).unwrap();
    assert!(
        man.contains(".TH heaptui 1") && man.contains("summary") && man.contains("redact"),
        "{man}"
    );
}
