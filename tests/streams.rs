//! Snapshots from streams: `heaptui summary -` with the snapshot piped into standard input,
//! FIFOs and bash's process substitution (`<(cmd)`), plain and gzipped, must reproduce Chrome
//! DevTools' goldens exactly as files do; a stream cut short gives one line naming the input;
//! and the TUI reads its keys from the terminal while the snapshot comes down a pipe.

use crate::common;
use crate::tui_harness;

use common::{assert_summary_matches, fixture, gunzip, json_of, read_json, root, summary_goldens};
use common::{class_key, TempDir};
use serde_json::Value;
use std::io::Write;
use std::path::Path;
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

/// Runs `heaptui ARGS…` with `input` written to its standard input from a thread (so a large
/// input cannot block against the output), failing the test after a minute (a hang).
fn heaptui_with_stdin(args: &[&str], input: Vec<u8>) -> Output {
    run_with_stdin(
        Command::new(env!("CARGO_BIN_EXE_heaptui")).args(args),
        input,
    )
}

fn run_with_stdin(command: &mut Command, input: Vec<u8>) -> Output {
    let mut child = command
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start");
    let mut stdin = child.stdin.take().unwrap();
    // heaptui may stop reading early (an error): a broken pipe here is expected then.
    let writer = std::thread::spawn(move || {
        let _ = stdin.write_all(&input);
    });
    let start = Instant::now();
    let pid = child.id();
    let waiter = std::thread::spawn(move || child.wait_with_output().unwrap());
    while !waiter.is_finished() {
        if start.elapsed() > Duration::from_secs(60) {
            // SAFETY: kill(2) on the child's pid, which has not been reaped yet.
            unsafe { libc::kill(pid as i32, libc::SIGKILL) };
            panic!("{command:?} did not finish within a minute");
        }
        std::thread::sleep(Duration::from_millis(10));
    }
    writer.join().unwrap();
    waiter.join().unwrap()
}

/// A FIFO in `dir` fed with `bytes` by a thread; joins the writer on drop.
struct Fifo {
    path: std::path::PathBuf,
    writer: Option<std::thread::JoinHandle<()>>,
}

impl Fifo {
    fn new(dir: &TempDir, name: &str, bytes: Vec<u8>) -> Fifo {
        let path = dir.path(name);
        let status = Command::new("mkfifo").arg(&path).status().expect("mkfifo");
        assert!(status.success());
        let p = path.clone();
        // Opening a FIFO for writing blocks until the reader opens it.
        let writer = std::thread::spawn(move || {
            let mut f = std::fs::OpenOptions::new().write(true).open(p).unwrap();
            let _ = f.write_all(&bytes);
        });
        Fifo {
            path,
            writer: Some(writer),
        }
    }
}

impl Drop for Fifo {
    fn drop(&mut self) {
        if let Some(w) = self.writer.take() {
            let _ = w.join();
        }
    }
}

#[test]
fn summary_from_standard_input_matches_devtools_plain_and_gzipped() {
    for (file, golden) in summary_goldens() {
        let gz = std::fs::read(root().join(&file)).unwrap();
        let plain = gunzip(&root().join(&file));
        for (form, bytes) in [("gzipped", gz), ("plain", plain)] {
            let out = heaptui_with_stdin(&["summary", "-", "--json"], bytes);
            assert_summary_matches(&format!("{file} on stdin, {form}"), &json_of(&out), &golden);
        }
    }
}

#[test]
fn summary_from_a_fifo_matches_devtools_plain_and_gzipped() {
    let dir = TempDir::new("fifo");
    for (i, (file, golden)) in summary_goldens().into_iter().enumerate() {
        let gz = std::fs::read(root().join(&file)).unwrap();
        let plain = gunzip(&root().join(&file));
        for (form, bytes) in [("gzipped", gz), ("plain", plain)] {
            let fifo = Fifo::new(&dir, &format!("{i}-{form}"), bytes);
            let path = fifo.path.to_str().unwrap();
            let out = common::heaptui(&["summary", path, "--json"]);
            assert_summary_matches(
                &format!("{file} in a FIFO, {form}"),
                &json_of(&out),
                &golden,
            );
        }
    }
}

/// `diff <(zcat BASE) <(cat AFTER)` in bash: two streams at once, as the Comparison golden.
#[test]
fn diff_of_two_process_substitutions_matches_devtools() {
    let golden = read_json("tests/golden/leak-base__leak-after.compare.json");
    let script = format!(
        "exec \"$0\" diff <(zcat '{}') <(cat '{}') --json",
        fixture("leak-base").display(),
        fixture("leak-after").display()
    );
    let out = run_with_stdin(
        Command::new("bash")
            .args(["-c", &script])
            .arg(env!("CARGO_BIN_EXE_heaptui")),
        Vec::new(),
    );
    let ours = json_of(&out);
    assert_eq!(ours["matchedBy"], "id");
    let rows: std::collections::HashMap<String, &Value> = ours["classes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| (class_key(r), r))
        .collect();
    let theirs = golden["classes"].as_array().unwrap();
    assert_eq!(rows.len(), theirs.len());
    for class in theirs {
        let key = class["classKey"].as_str().unwrap();
        let row = rows.get(key).unwrap_or_else(|| panic!("{key:?} missing"));
        for field in [
            "addedCount",
            "removedCount",
            "countDelta",
            "addedSize",
            "removedSize",
            "sizeDelta",
        ] {
            assert_eq!(row[field], class[field], "{key:?} {field}");
        }
    }
}

#[test]
fn diff_with_the_after_snapshot_on_standard_input() {
    let base = fixture("leak-base");
    let after = fixture("leak-after");
    let from_files = common::heaptui(&[
        "diff",
        base.to_str().unwrap(),
        after.to_str().unwrap(),
        "--json",
    ]);
    let piped = heaptui_with_stdin(
        &["diff", base.to_str().unwrap(), "-", "--json"],
        std::fs::read(&after).unwrap(),
    );
    let (files, piped) = (json_of(&from_files), json_of(&piped));
    assert!(files["classes"].as_array().unwrap().len() > 20);
    assert_eq!(files["classes"], piped["classes"]);
    assert_eq!(piped["after"], "-");
}

/// Cuts of the plain and the gzipped snapshot at several depths: each is one line on stderr
/// naming standard input (or the FIFO's path) and saying what is wrong, exit status 1.
#[test]
fn a_stream_cut_short_is_one_line_naming_the_input() {
    let gz = std::fs::read(fixture("leak-base")).unwrap();
    let plain = gunzip(&fixture("leak-base"));
    let nodes_at = find(&plain, b"\"nodes\"");
    let edges_at = find(&plain, b"\"edges\"");
    let cuts: Vec<(&str, Vec<u8>, &str)> = vec![
        ("header", plain[..200].to_vec(), "truncated"),
        (
            "nodes",
            plain[..nodes_at + 5000].to_vec(),
            "truncated inside the \"nodes\" array",
        ),
        (
            "edges",
            plain[..edges_at + 5000].to_vec(),
            "truncated inside the \"edges\" array",
        ),
        (
            "gzip",
            gz[..gz.len() / 2].to_vec(),
            "corrupt or truncated gzip data",
        ),
        ("empty", Vec::new(), "is empty"),
    ];
    let dir = TempDir::new("cut");
    for (what, bytes, expected) in cuts {
        let out = heaptui_with_stdin(&["summary", "-"], bytes.clone());
        check_one_line_error(what, &out, "heaptui: standard input: ", expected);
        let fifo = Fifo::new(&dir, what, bytes);
        let out = common::heaptui(&["summary", fifo.path.to_str().unwrap()]);
        let prefix = format!("heaptui: {}: ", fifo.path.display());
        check_one_line_error(what, &out, &prefix, expected);
    }
}

fn check_one_line_error(what: &str, out: &Output, prefix: &str, expected: &str) {
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{what}: {stderr}");
    assert!(out.stdout.is_empty(), "{what}: nothing on stdout");
    assert_eq!(stderr.lines().count(), 1, "{what}: one line: {stderr}");
    assert!(stderr.starts_with(prefix), "{what}: {stderr}");
    assert!(stderr.contains(expected), "{what}: {stderr}");
}

fn find(haystack: &[u8], needle: &[u8]) -> usize {
    haystack
        .windows(needle.len())
        .position(|w| w == needle)
        .unwrap()
}

#[test]
fn standard_input_can_be_read_only_once() {
    let out = heaptui_with_stdin(
        &["diff", "-", "-"],
        std::fs::read(fixture("leak-base")).unwrap(),
    );
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert_eq!(
        stderr.trim_end(),
        "heaptui: standard input: is given more than once; it can be read only once"
    );
}

/// `cat SNAP | heaptui -` in a terminal: the snapshot comes down the pipe, the keys from the
/// terminal (crossterm opens /dev/tty when stdin is not one).
#[test]
fn the_tui_reads_a_piped_snapshot_and_keys_from_the_terminal() -> Result<(), String> {
    let script = format!(
        "cat '{}' | exec \"$0\" -",
        root().join("assets/demo/base.heapsnapshot.gz").display()
    );
    let binary = tui_harness::binary();
    let args = ["-c".to_string(), script, binary.display().to_string()];
    let mut pty = tui_harness::Pty::spawn(Path::new("/bin/sh"), &args, &root(), (80, 24), &[]);
    pty.wait_for("Retained Size")?;
    pty.wait_for("standard input")?;
    pty.send(b"/");
    pty.type_text("Incoming", Duration::from_millis(30));
    pty.send(b"\r");
    pty.wait_for("filter “Incoming”")?;
    pty.send(b"q");
    assert_eq!(pty.wait_exit()?, 0);
    assert!(!pty.with_screen(|s| s.alternate_screen()));
    Ok(())
}
