//! Time to the first useful frame of the TUI, driven in a real pseudo-terminal (80×24) and read
//! through a vt100 emulator, next to the headless commands on the same files in the same
//! minutes:
//!
//!     cargo bench --bench first_frame -- [--runs N] [--bin NAME=PATH]… FILE [FILE]
//!
//! With one FILE it times `heaptui FILE` until the Summary is drawn, and `heaptui summary
//! --json FILE`; with two, `heaptui BASE AFTER` until the Comparison is drawn, `summary --json
//! BASE` and `diff --json BASE AFTER`. "Drawn" is the view's header on screen; "complete" is
//! when the title bar no longer says a background stage is computing (the same moment for a
//! binary that computes everything before its first frame). Binaries (default: this build)
//! alternate run by run, so a comparison holds while the machine's speed drifts. Peak RSS is
//! the largest `VmHWM` of the TUI process seen while it runs.

use portable_pty::{native_pty_system, CommandBuilder, PtySize};
use std::io::{Read, Write};
use std::path::PathBuf;
use std::process::Command;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// How long one TUI run may take before the bench gives up on it.
const RUN_LIMIT: Duration = Duration::from_secs(300);
/// How often the screen is looked at.
const POLL: Duration = Duration::from_millis(5);
/// What the title bar says while a background stage runs (see `tui::ui::bar`).
const BUSY: &str = "computing";

struct Timing {
    first_frame: f64,
    complete: f64,
    peak_rss_mb: f64,
}

fn vm_hwm_mb(pid: u32) -> Option<f64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kb: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb / 1024.0)
}

/// Runs the TUI on `files` until one of `headers` is on screen and nothing is computing, then
/// quits.
fn tui_run(bin: &str, files: &[String], headers: &[&str]) -> Timing {
    let pair = native_pty_system()
        .openpty(PtySize {
            rows: 24,
            cols: 80,
            pixel_width: 0,
            pixel_height: 0,
        })
        .expect("open a pty");
    let mut cmd = CommandBuilder::new(bin);
    cmd.args(files);
    cmd.env("TERM", "xterm-256color");
    let started = Instant::now();
    let mut child = pair.slave.spawn_command(cmd).expect("spawn in the pty");
    drop(pair.slave);
    let pid = child.process_id().expect("a pid");
    let screen = Arc::new(Mutex::new(vt100::Parser::new(24, 80, 0)));
    let mut reader = pair.master.try_clone_reader().expect("pty reader");
    let shared = Arc::clone(&screen);
    std::thread::spawn(move || {
        let mut buf = [0u8; 8192];
        while let Ok(n) = reader.read(&mut buf) {
            if n == 0 {
                break;
            }
            shared.lock().unwrap().process(&buf[..n]);
        }
    });
    let mut writer = pair.master.take_writer().expect("pty writer");
    let (mut first_frame, mut peak) = (None, 0.0f64);
    let complete = loop {
        assert!(started.elapsed() < RUN_LIMIT, "{bin}: no frame in time");
        std::thread::sleep(POLL);
        peak = peak.max(vm_hwm_mb(pid).unwrap_or(0.0));
        let text = screen.lock().unwrap().screen().contents();
        let now = started.elapsed().as_secs_f64();
        if first_frame.is_none() && headers.iter().any(|h| text.contains(h)) {
            first_frame = Some(now);
        }
        if first_frame.is_some() && !text.contains(BUSY) {
            break now;
        }
    };
    writer.write_all(b"q").expect("send q");
    writer.flush().ok();
    let _ = child.wait();
    Timing {
        first_frame: first_frame.expect("drawn"),
        complete,
        peak_rss_mb: peak,
    }
}

/// Wall time and peak RSS (MB) of a headless command, from `/usr/bin/time`.
fn headless(bin: &str, args: &[String]) -> (f64, f64) {
    let out = Command::new("/usr/bin/time")
        .args(["-f", "%e %M", bin])
        .args(args)
        .stdout(std::process::Stdio::null())
        .output()
        .expect("run /usr/bin/time");
    let stderr = String::from_utf8_lossy(&out.stderr);
    let last = stderr.lines().last().unwrap_or_default();
    let mut fields = last.split_whitespace();
    let wall = fields
        .next()
        .and_then(|f| f.parse().ok())
        .unwrap_or(f64::NAN);
    let kb: f64 = fields
        .next()
        .and_then(|f| f.parse().ok())
        .unwrap_or(f64::NAN);
    (wall, kb / 1024.0)
}

fn main() {
    let mut runs = 3;
    let mut bins: Vec<(String, String)> = Vec::new();
    let mut files: Vec<String> = Vec::new();
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        match a.as_str() {
            "--runs" => runs = args.next().and_then(|n| n.parse().ok()).expect("--runs N"),
            "--bin" => {
                let spec = args.next().expect("--bin NAME=PATH");
                let (name, path) = spec.split_once('=').expect("--bin NAME=PATH");
                bins.push((name.into(), path.into()));
            }
            "--bench" => {}
            _ => files.push(a),
        }
    }
    if bins.is_empty() {
        let here = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target/release/heaptui");
        bins.push(("this build".into(), here.display().to_string()));
    }
    assert!(
        matches!(files.len(), 1 | 2),
        "give one snapshot (Summary) or two (Comparison)"
    );
    // The Comparison's header: `# New` when objects pair by id, `# Base` when the snapshots
    // come from different processes and only classes match.
    let headers: &[&str] = if files.len() == 2 {
        &["# New", "# Base"]
    } else {
        &["Retained Size"]
    };
    println!(
        "machine: {} cores; files: {}",
        std::thread::available_parallelism().map_or(0, |n| n.get()),
        files.join(" ")
    );
    for f in &files {
        // Warm the page cache so runs compare the program, not the disk.
        let _ = std::fs::read(f);
    }
    for run in 1..=runs {
        for (name, bin) in &bins {
            let t = tui_run(bin, &files, headers);
            let (summary, summary_rss) =
                headless(bin, &["summary".into(), "--json".into(), files[0].clone()]);
            let mut line = format!(
                "run {run} {name:>12}: TUI first frame {:6.2} s, complete {:6.2} s, peak {:6.0} MB | summary {summary:6.2} s {summary_rss:6.0} MB",
                t.first_frame, t.complete, t.peak_rss_mb
            );
            if files.len() == 2 {
                let mut diff_args = vec!["diff".to_string(), "--json".into()];
                diff_args.extend(files.iter().cloned());
                let (diff, diff_rss) = headless(bin, &diff_args);
                line.push_str(&format!(" | diff {diff:6.2} s {diff_rss:6.0} MB"));
            }
            println!(
                "{line} | first frame / summary {:.2}",
                t.first_frame / summary
            );
        }
    }
}
