//! End-to-end tests of the heap's questions in the explorer (issue 23): the real binary in a
//! pseudo-terminal at 80×24 on committed fixtures, each view's numbers checked against the
//! headless command's JSON run in the same test (`query`, `what-if --query`, `modules`,
//! `realms`, `summary --named-filter`, `contexts`), and each view's screen kept as a reviewed
//! insta snapshot.

use crate::common::{heaptui, json_of};
use crate::tui_harness;

use heaptui_present::format;
use serde_json::Value;
use std::time::Duration;
use tui_harness::Pty;

const KEY_DELAY: Duration = Duration::from_millis(20);

fn fixture(name: &str) -> String {
    format!("tests/fixtures/{name}.heapsnapshot.gz")
}

fn json(args: &[&str]) -> Value {
    let mut all = args.to_vec();
    all.push("--json");
    json_of(&heaptui(&all))
}

/// The explorer on `file` with every number in (nothing computing), in the Summary.
fn explore(file: &str) -> Result<Pty, String> {
    let mut pty = Pty::heaptui(&[file], (80, 24), &[]);
    pty.wait_for("Retained Size")?;
    pty.wait_until("the numbers", |s| !s.contains("computing"))?;
    Ok(pty)
}

/// Waits until nothing computes (the title bar says so while a question does); the screen,
/// each line's trailing blanks cut (the emulator keeps blanks that earlier frames wrote).
fn settled(pty: &mut Pty) -> Result<String, String> {
    pty.wait_until("the answer", |s| !s.contains("computing"))?;
    Ok(pty
        .text()
        .lines()
        .map(|l| l.trim_end().to_string() + "\n")
        .collect())
}

/// The words inside a popup's border, its wrapped lines joined again.
fn popup_text(screen: &str) -> String {
    let inside: Vec<&str> = screen
        .lines()
        .filter_map(|l| {
            let start = l.find('│')? + '│'.len_utf8();
            let end = l.rfind('│')?;
            (end > start).then(|| &l[start..end])
        })
        .collect();
    inside
        .join(" ")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

fn u64_of(v: &Value) -> u64 {
    v.as_u64().unwrap_or_else(|| panic!("not a number: {v}"))
}

fn quit(pty: &mut Pty) -> Result<(), String> {
    pty.send(b"q");
    assert_eq!(pty.wait_exit()?, 0, "q exits 0");
    Ok(())
}

#[test]
fn a_typed_query_lists_what_heaptui_query_lists_and_what_if_frees_the_same() -> Result<(), String> {
    let file = fixture("leak-final");
    let doc = json(&["query", &file, "--class", "^Item$", "--top", "3"]);
    let mut pty = explore(&file)?;
    pty.send(b":");
    pty.type_text("--class ^Item$", KEY_DELAY);
    pty.wait_for(":--class ^Item$▏")?;
    pty.send(b"\r");
    pty.wait_for(": Query")?;
    let shown = settled(&mut pty)?;
    let heading = format!(
        "{} objects · self {} · retained {}",
        format::count(u64_of(&doc["count"])),
        format::bytes(u64_of(&doc["selfSize"])),
        format::bytes(u64_of(&doc["retainedSize"]))
    );
    assert!(shown.contains(&heading), "{heading}\n{shown}");
    // The rows in the command's order (retained size, largest first).
    for object in doc["objects"].as_array().unwrap() {
        let row = format!("@{}", object["id"]);
        let line = shown
            .lines()
            .find(|l| l.starts_with(&row))
            .unwrap_or_else(|| panic!("no row {row}:\n{shown}"));
        assert!(
            line.trim_end()
                .ends_with(&format::bytes(u64_of(&object["retainedSize"]))),
            "{line}"
        );
    }
    // The selected object's retainers fill the pane below.
    assert!(shown.contains("Retainers"), "{shown}");
    insta::assert_snapshot!("questions_query_80x24", shown);
    // Enter: into the selected object's retainers; Tab back to the objects.
    pty.send(b"\r");
    pty.wait_for("its retainers · i details")?;
    pty.send(b"\t");

    // W: what releasing them frees, as `what-if --query` says.
    let what_if = json(&["what-if", &file, "--query", "--class", "^Item$"]);
    pty.send(b"W");
    pty.wait_for("What releasing them frees")?;
    let popup = settled(&mut pty)?;
    let freed = format!(
        "frees {} ({} objects)",
        format::bytes(u64_of(&what_if["freedSize"])),
        format::count(u64_of(&what_if["freedCount"]))
    );
    assert!(popup_text(&popup).contains(&freed), "{freed}\n{popup}");
    insta::assert_snapshot!("questions_what_if_80x24", popup);
    pty.send(b"x");
    pty.wait_until("the popup closed", |s| !s.contains("What releasing"))?;

    // A mistake in the query is one line; the view stays.
    pty.send(b":");
    for _ in 0.."--class ^Item$".len() {
        pty.send(b"\x7f");
    }
    pty.type_text("--class (", KEY_DELAY);
    pty.send(b"\r");
    pty.wait_for("query: the class pattern is not a regex")?;
    pty.send(b":");
    pty.type_text(" --bogus", KEY_DELAY);
    pty.send(b"\r");
    pty.wait_for("query: unexpected argument '--bogus'")?;
    // Esc leaves the query view for the Summary.
    pty.send(tui_harness::key_bytes("Escape").unwrap());
    pty.wait_until("the Summary", |s| {
        !s.contains(": Query") && s.contains("Constructor")
    })?;
    quit(&mut pty)
}

#[test]
fn modules_list_what_heaptui_modules_lists() -> Result<(), String> {
    let file = fixture("leak-final");
    let doc = json(&["modules", &file, "--top", "1000"]);
    let mut pty = explore(&file)?;
    pty.send(b"M");
    pty.wait_for("M Modules")?;
    let shown = settled(&mut pty)?;
    let heading = format!(
        "total {}, {} not under any module's code",
        format::bytes(u64_of(&doc["totalSize"])),
        format::bytes(u64_of(&doc["unattributedSize"]))
    );
    assert!(shown.contains(&heading), "{heading}\n{shown}");
    let modules = doc["modules"].as_array().unwrap();
    let first = &modules[0];
    let line = shown.lines().nth(3).expect("the first module's row");
    assert!(
        line.contains(&format::bytes(u64_of(&first["retainedSize"])))
            && line.contains(&format::count(u64_of(&first["objects"]))),
        "{first}\n{line}"
    );
    insta::assert_snapshot!("questions_modules_80x24", shown);
    pty.send(b"\r");
    pty.wait_for(&format!("{} script", first["scripts"]))?;
    quit(&mut pty)
}

#[test]
fn realms_list_what_heaptui_realms_lists_and_open_a_realms_summary() -> Result<(), String> {
    let file = fixture("chromium-iframe");
    let doc = json(&["realms", &file]);
    let mut pty = explore(&file)?;
    pty.send(b"R");
    pty.wait_for("R Realms")?;
    let shown = settled(&mut pty)?;
    let contexts = doc["nativeContexts"].as_array().unwrap();
    assert!(contexts.len() >= 2, "{doc}");
    for c in contexts {
        let filter = c["filter"].as_str().unwrap();
        let line = shown
            .lines()
            .find(|l| l.contains(filter))
            .unwrap_or_else(|| panic!("no {filter}:\n{shown}"));
        assert!(
            line.contains(&format::bytes(u64_of(&c["attributedSize"]))),
            "{line}"
        );
        assert!(line.contains(&format!("@{}", c["nodeId"])), "{line}");
    }
    for (filter, size) in [
        ("sharedNativeContext", &doc["sharedSize"]),
        ("noNativeContext", &doc["noAttributionSize"]),
    ] {
        let line = shown.lines().find(|l| l.contains(filter)).unwrap();
        assert!(line.contains(&format::bytes(u64_of(size))), "{line}");
    }
    insta::assert_snapshot!("questions_realms_80x24", shown);
    // Enter on the first realm: the Summary of its objects, as `summary --named-filter`.
    let filter = contexts[0]["filter"].as_str().unwrap();
    let summary = json(&["summary", &file, "--named-filter", filter]);
    pty.send(b"\r");
    pty.wait_for(&format!("preset: {filter}:"))?;
    // The next key clears the message: the totals of the realm's objects show.
    pty.send(b"j");
    pty.wait_for(&format!("· {filter}:"))?;
    let summary_screen = settled(&mut pty)?;
    let objects = format!(
        "{} objects",
        format::count(u64_of(&summary["filterTotalCount"]))
    );
    assert!(
        summary_screen.contains(&objects),
        "{objects}\n{summary_screen}"
    );
    quit(&mut pty)
}

#[test]
fn dead_closure_variables_list_what_heaptui_contexts_lists() -> Result<(), String> {
    let file = fixture("chromium-closures");
    let doc = json(&["contexts", &file]);
    let mut fields: Vec<&Value> = doc["scopes"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|s| s["contexts"].as_array().unwrap())
        .flat_map(|c| c["deadFields"].as_array().unwrap())
        .collect();
    fields.sort_by_key(|f| std::cmp::Reverse(u64_of(&f["retainedSize"])));
    assert!(!fields.is_empty(), "{doc}");
    let mut pty = explore(&file)?;
    pty.send(b"C");
    pty.wait_for("C Contexts")?;
    let shown = settled(&mut pty)?;
    assert!(
        shown.contains(&format!("{} closure variables", fields.len())),
        "{shown}"
    );
    let first = shown.lines().nth(3).expect("the first variable's row");
    assert!(
        first.contains(&format::bytes(u64_of(&fields[0]["retainedSize"])))
            && first.contains(fields[0]["name"].as_str().unwrap()),
        "{}\n{first}",
        fields[0]
    );
    insta::assert_snapshot!("questions_contexts_80x24", shown);
    // Enter: the context's contents in the Containment view.
    pty.send(b"\r");
    pty.wait_for("5 Containment")?;
    quit(&mut pty)
}

#[test]
fn a_snapshot_without_scope_tables_says_so_in_one_line() -> Result<(), String> {
    let file = fixture("node26-1");
    let doc = json(&["contexts", &file]);
    assert_eq!(doc["hasScopeTables"], false);
    let mut pty = explore(&file)?;
    pty.send(b"C");
    pty.wait_for("no scope tables in this snapshot")?;
    quit(&mut pty)
}

#[test]
fn the_help_has_a_page_of_the_questions_keys() -> Result<(), String> {
    let mut pty = explore(&fixture("leak-final"))?;
    pty.send(b"?");
    pty.wait_for("any key closes this help")?;
    for _ in 0..3 {
        pty.send(b"?");
        std::thread::sleep(KEY_DELAY);
    }
    pty.wait_for("query: heaptui query's flags")?;
    let shown = settled(&mut pty)?;
    for (key, what) in heaptui_tui::keys::QUESTIONS_HELP {
        assert!(
            shown.contains(key) && shown.contains(what),
            "{key}:\n{shown}"
        );
    }
    insta::assert_snapshot!("questions_help_80x24", shown);
    quit(&mut pty)
}
