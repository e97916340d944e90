//! End-to-end tests: the real binary in a pseudo-terminal, its screen read through a vt100
//! emulator at each step of a leak hunt on the demo pair, plus start-up failures, Ctrl-C during
//! the load, SIGTERM and SIGHUP, resizing, NO_COLOR and idle CPU. `screenshots` (ignored)
//! renders the PNG sources.

use crate::tui_harness;

use std::time::Duration;
use tui_harness::{Pty, LEAVE_ALTERNATE_SCREEN};

const BASE: &str = "assets/demo/base.heapsnapshot.gz";
const AFTER: &str = "assets/demo/after.heapsnapshot.gz";
const KEY_DELAY: Duration = Duration::from_millis(30);

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}

/// Quits with `q` and checks the exit status and that the terminal was given back.
fn quit(pty: &mut Pty) -> Result<(), String> {
    pty.send(b"q");
    let code = pty.wait_exit()?;
    assert_eq!(code, 0, "q exits 0");
    assert!(
        contains(&pty.output(), LEAVE_ALTERNATE_SCREEN),
        "the alternate screen was left"
    );
    assert!(!pty.with_screen(|s| s.alternate_screen()));
    Ok(())
}

/// The leak hunt of the demo: Summary, filter, expand, retainers to the GC roots.
fn leak_hunt(size: (u16, u16)) -> Result<(), String> {
    let mut pty = Pty::heaptui(&[BASE, AFTER], size, &[]);
    pty.wait_for("# New")?;
    pty.wait_for("IncomingMessage")?;
    pty.wait_for("Comparison")?;
    pty.send(b"1");
    pty.wait_for("Retained Size")?;
    pty.wait_for("×")?;
    pty.send(b"/");
    pty.type_text("Incoming", KEY_DELAY);
    pty.wait_for("/Incoming▏")?;
    pty.send(b"\r");
    pty.wait_for("filter “Incoming”")?;
    pty.send(b"\r");
    pty.wait_for("IncomingMessage @")?;
    pty.send(b"j");
    pty.wait_for("· object · self")?;
    pty.send(b"\t");
    pty.send(b"p");
    pty.wait_for("cache")?;
    pty.wait_until("the path up to the global object", |s| {
        s.contains("(GC roots)") || s.contains("in global") || s.contains("system / Context")
    })?;
    let screen = pty.text();
    assert!(screen.contains("->cache in system / Context"), "{screen}");
    quit(&mut pty)
}

#[test]
fn leak_hunt_at_80x24() -> Result<(), String> {
    leak_hunt((80, 24))
}

#[test]
fn leak_hunt_at_120x40() -> Result<(), String> {
    leak_hunt((120, 40))
}

#[test]
fn comparison_opens_first_and_sorts() -> Result<(), String> {
    let mut pty = Pty::heaptui(&[BASE, AFTER], (100, 30), &[]);
    pty.wait_for("IncomingMessage")?;
    // Alloc. Size → … → # Delta: six presses of s.
    pty.type_text("ssssss", KEY_DELAY);
    pty.wait_until("sorted by # Delta", |s| {
        s.lines().nth(2).is_some_and(|l| l.contains("(string)"))
    })?;
    pty.send(b"S");
    pty.wait_until("reversed", |s| {
        !s.lines().nth(2).unwrap_or("").contains("(string)")
    })?;
    pty.send(b"?");
    pty.wait_for("any key closes this help")?;
    pty.send(b"x");
    pty.wait_until("help closed", |s| !s.contains("any key closes"))?;
    quit(&mut pty)
}

#[test]
fn missing_file_exits_1_with_a_one_line_error() -> Result<(), String> {
    let mut pty = Pty::heaptui(&["no-such-file.heapsnapshot"], (80, 24), &[]);
    let code = pty.wait_exit()?;
    assert_eq!(code, 1);
    let screen = pty.text();
    let lines: Vec<&str> = screen.lines().filter(|l| !l.trim().is_empty()).collect();
    assert_eq!(
        lines.len(),
        1,
        "only the error is left on screen:\n{screen}"
    );
    assert!(
        lines[0].starts_with("heaptui: no-such-file.heapsnapshot: "),
        "{screen}"
    );
    assert!(!pty.with_screen(|s| s.alternate_screen()));
    let output = pty.output();
    assert!(
        !contains(&output, b"\x1b[?1049h") || contains(&output, LEAVE_ALTERNATE_SCREEN),
        "an alternate screen entered is left"
    );
    Ok(())
}

/// A named pipe nobody writes to: opening it blocks, so the load never finishes by itself.
fn endless_snapshot(name: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("heaptui-pty-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    crate::common::remove_at_exit(&dir);
    let fifo = dir.join(name);
    let _ = std::fs::remove_file(&fifo);
    let status = std::process::Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .unwrap();
    assert!(status.success(), "mkfifo");
    fifo
}

/// Removes a FIFO of [`endless_snapshot`], and its folder once the last one is gone.
fn remove_fifo(fifo: &std::path::Path) {
    std::fs::remove_file(fifo).unwrap();
    // Other tests may still have theirs in the folder: then it stays for them to remove.
    let _ = std::fs::remove_dir(fifo.parent().unwrap());
}

fn cancel_during_load(key: &[u8], name: &str) -> Result<(), String> {
    let fifo = endless_snapshot(name);
    let mut pty = Pty::heaptui(&[fifo.to_str().unwrap()], (80, 24), &[]);
    pty.wait_for("Loading 1 snapshot")?;
    pty.wait_for("Reading file")?;
    pty.send(key);
    let code = pty.wait_exit()?;
    assert_eq!(code, 0, "cancelling is a clean exit");
    assert!(contains(&pty.output(), LEAVE_ALTERNATE_SCREEN));
    assert!(!pty.with_screen(|s| s.alternate_screen()));
    let screen = pty.text();
    assert!(screen.trim().is_empty(), "nothing left behind:\n{screen}");
    remove_fifo(&fifo);
    Ok(())
}

#[test]
fn ctrl_c_during_load_exits_cleanly() -> Result<(), String> {
    cancel_during_load(b"\x03", "ctrl-c.heapsnapshot")
}

#[test]
fn q_during_load_exits_cleanly() -> Result<(), String> {
    cancel_during_load(b"q", "q.heapsnapshot")
}

/// Sends `signal` to the program and checks it exits promptly with `128 + signal`, having
/// left the alternate screen and shown the cursor again.
fn killed_by(pty: &mut Pty, signal: i32) -> Result<(), String> {
    let before = pty.output().len();
    // SAFETY: kill(2) on the pid of the child this test started.
    assert_eq!(unsafe { libc::kill(pty.pid() as i32, signal) }, 0, "kill");
    pty.timeout = Duration::from_secs(5);
    let code = pty.wait_exit()?;
    assert_eq!(
        code,
        128 + signal as u32,
        "the exit status names the signal"
    );
    let output = pty.output();
    let tail = &output[before..];
    assert!(
        contains(tail, LEAVE_ALTERNATE_SCREEN),
        "the alternate screen was left after the signal"
    );
    assert!(contains(tail, b"\x1b[?25h"), "the cursor was shown again");
    assert!(!pty.with_screen(|s| s.alternate_screen()));
    Ok(())
}

fn signal_during_load(signal: i32, name: &str) -> Result<(), String> {
    let fifo = endless_snapshot(name);
    let mut pty = Pty::heaptui(&[fifo.to_str().unwrap()], (80, 24), &[]);
    pty.wait_for("Reading file")?;
    let result = killed_by(&mut pty, signal);
    remove_fifo(&fifo);
    result
}

fn signal_in_the_views(signal: i32) -> Result<(), String> {
    let mut pty = Pty::heaptui(&[BASE, AFTER], (80, 24), &[]);
    pty.wait_for("IncomingMessage")?;
    pty.send(b"1");
    pty.wait_for("Retained Size")?;
    killed_by(&mut pty, signal)
}

#[test]
fn sigterm_during_load_restores_the_terminal() -> Result<(), String> {
    signal_during_load(libc::SIGTERM, "sigterm.heapsnapshot")
}

#[test]
fn sighup_during_load_restores_the_terminal() -> Result<(), String> {
    signal_during_load(libc::SIGHUP, "sighup.heapsnapshot")
}

#[test]
fn sigterm_in_the_views_restores_the_terminal() -> Result<(), String> {
    signal_in_the_views(libc::SIGTERM)
}

#[test]
fn sighup_in_the_views_restores_the_terminal() -> Result<(), String> {
    signal_in_the_views(libc::SIGHUP)
}

#[test]
fn redraws_on_resize() -> Result<(), String> {
    let mut pty = Pty::heaptui(&[AFTER], (80, 24), &[]);
    pty.wait_for("Retained Size")?;
    pty.resize(120, 30);
    pty.wait_until("the title bar redrawn 120 wide", |s| {
        s.lines().next().is_some_and(|l| l.trim_end().len() > 100)
    })?;
    pty.resize(10, 3);
    pty.wait_until("a 10×3 frame", |s| {
        s.lines().next().is_some_and(|l| l.contains("heaptui"))
    })?;
    pty.resize(1, 1);
    std::thread::sleep(Duration::from_millis(300));
    assert!(pty.alive(), "a 1×1 terminal does not crash it");
    pty.resize(80, 24);
    pty.wait_for("Retained Size")?;
    quit(&mut pty)
}

#[test]
fn no_color_draws_without_colors() -> Result<(), String> {
    let mut pty = Pty::heaptui(&[BASE, AFTER], (80, 24), &[("NO_COLOR", "1")]);
    pty.wait_for("IncomingMessage")?;
    std::thread::sleep(Duration::from_millis(300));
    let (colored, reversed) = pty.with_screen(|s| {
        let (rows, cols) = s.size();
        let mut colored = 0;
        let mut reversed = 0;
        for r in 0..rows {
            for c in 0..cols {
                let cell = s.cell(r, c).unwrap();
                if cell.fgcolor() != vt100::Color::Default
                    || cell.bgcolor() != vt100::Color::Default
                {
                    colored += 1;
                }
                if cell.inverse() {
                    reversed += 1;
                }
            }
        }
        (colored, reversed)
    });
    assert_eq!(colored, 0, "no cell has a color:\n{}", pty.text());
    assert!(reversed > 0, "the selection is shown in reverse video");
    quit(&mut pty)
}

/// CPU time (user + system, in clock ticks) the process has used so far.
fn cpu_ticks(pid: u32) -> u64 {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap();
    // Fields after the command name (which may contain spaces) start at ") ".
    let fields: Vec<&str> = stat[stat.rfind(')').unwrap() + 2..].split(' ').collect();
    fields[11].parse::<u64>().unwrap() + fields[12].parse::<u64>().unwrap()
}

#[test]
fn idle_costs_no_cpu() -> Result<(), String> {
    let mut pty = Pty::heaptui(&[BASE, AFTER], (80, 24), &[]);
    pty.wait_for("IncomingMessage")?;
    std::thread::sleep(Duration::from_millis(500));
    let before = cpu_ticks(pty.pid());
    std::thread::sleep(Duration::from_secs(2));
    let used = cpu_ticks(pty.pid()) - before;
    // A busy loop would burn ~200 ticks here; a blocked read burns none.
    assert!(used <= 5, "{used} ticks of CPU in 2 s idle");
    quit(&mut pty)
}

/// Writes HTML renderings of the real program's screen for `scripts/screenshots.sh`.
#[test]
#[ignore = "run by scripts/screenshots.sh with HEAPTUI_SCREENSHOT_DIR set"]
fn screenshots() -> Result<(), String> {
    let dir = std::env::var("HEAPTUI_SCREENSHOT_DIR").expect("HEAPTUI_SCREENSHOT_DIR");
    let dir = std::path::PathBuf::from(dir);
    std::fs::create_dir_all(&dir).unwrap();
    let size = (110, 32);
    let save = |pty: &Pty, name: &str| {
        std::thread::sleep(Duration::from_millis(400));
        let html = pty.with_screen(|s| tui_harness::screen_html(s, name));
        std::fs::write(dir.join(format!("{name}.html")), html).unwrap();
        // The page size, for the browser window that takes the picture.
        let (w, h) = tui_harness::html_size(size.0, size.1);
        std::fs::write(dir.join(format!("{name}.size")), format!("{w},{h}\n")).unwrap();
    };

    let mut pty = Pty::heaptui(&[BASE, AFTER], size, &[]);
    pty.wait_for("IncomingMessage")?;
    pty.type_text("ssssss", KEY_DELAY);
    pty.wait_until("sorted by # Delta", |s| {
        s.lines().nth(2).is_some_and(|l| l.contains("(string)"))
    })?;
    // The cursor followed (compiled code) through the sort: back to the top, down to
    // IncomingMessage, and open its first new object.
    pty.type_text("gjjjjjjj", KEY_DELAY);
    pty.send(b"\r");
    pty.wait_for("+ IncomingMessage @")?;
    pty.send(b"j");
    pty.wait_for("· object · self")?;
    save(&pty, "comparison");
    quit(&mut pty)?;

    let mut pty = Pty::heaptui(&[BASE, AFTER], size, &[]);
    pty.wait_for("IncomingMessage")?;
    pty.send(b"1/");
    pty.type_text("Incoming", KEY_DELAY);
    pty.wait_for("/Incoming▏")?;
    save(&pty, "summary-filter");
    pty.send(b"\r\r");
    pty.wait_for("IncomingMessage @")?;
    pty.send(b"j\tp");
    pty.wait_for("in global")?;
    save(&pty, "retainers");
    // Back to the table, and the request's contents down to its url.
    pty.send(b"\t\r");
    pty.wait_for("__proto__ :: ")?;
    pty.type_text(&"j".repeat(22), KEY_DELAY);
    pty.wait_for("url :: \"/item/")?;
    save(&pty, "contents");
    // What the root keeps alive, the largest opened.
    pty.send(b"6");
    pty.wait_for("Dominators · what the root keeps alive")?;
    pty.send(b"j\r");
    pty.wait_for("{request, connection, listening}")?;
    save(&pty, "dominators");
    quit(&mut pty)
}

/// Bytes that would act on the terminal if a heap string reached it raw. heaptui itself never
/// writes OSC, BEL, NUL, C1 controls or bidi controls, so none may appear anywhere in what it
/// wrote; the hostile CSI sequences (clear screen, cursor and device queries) must not either.
fn raw_hostile_bytes(output: &[u8]) -> Vec<&'static str> {
    let forbidden: &[(&str, &[u8])] = &[
        ("OSC (ESC ])", b"\x1b]"),
        ("BEL", b"\x07"),
        ("NUL", b"\x00"),
        ("the hostile clear screen", b"\x1b[2J\x1b[HCLEARED"),
        ("a cursor position query", b"\x1b[6n"),
        ("a device attributes query", b"\x1b[c"),
    ];
    let mut found: Vec<&'static str> = forbidden
        .iter()
        .filter(|(_, bytes)| contains(output, bytes))
        .map(|&(what, _)| what)
        .collect();
    // C1 controls as UTF-8: C2 80 – C2 9F.
    if output
        .windows(2)
        .any(|w| w[0] == 0xc2 && (0x80..=0x9f).contains(&w[1]))
    {
        found.push("a C1 control");
    }
    // U+202A–U+202E (E2 80 AA–AE) and U+2066–U+2069 (E2 81 A6–A9).
    if output.windows(3).any(|w| {
        w[0] == 0xe2
            && ((w[1] == 0x80 && (0xaa..=0xae).contains(&w[2]))
                || (w[1] == 0x81 && (0xa6..=0xa9).contains(&w[2])))
    }) {
        found.push("a bidi control");
    }
    found
}

/// Walks the hostile fixture's views (the hostile classes, their objects, retainers to the GC
/// roots, and strings) and checks every byte heaptui wrote: the hostile text is shown escaped
/// and never reaches the terminal raw.
#[test]
fn hostile_snapshot_never_reaches_the_terminal_raw() -> Result<(), String> {
    let mut pty = Pty::heaptui(&["tests/fixtures/hostile.heapsnapshot.gz"], (120, 40), &[]);
    pty.wait_for("Retained Size")?;
    let mut seen = String::new();
    for (pattern, shown) in [
        ("CLEARED", "\\x1b[2J\\x1b[HCLEARED"),
        ("pwned", "\\x1b]0;pwned title\\x07"),
        ("52;c", "\\x1b]52;c;cm0gLXJmIH4=\\x07"),
        ("C1-CSI", "\\x9b31mC1-CSI\\x9c"),
    ] {
        pty.send(b"/");
        pty.type_text(pattern, KEY_DELAY);
        pty.send(b"\r");
        pty.wait_for(&format!("filter “{pattern}”"))?;
        pty.wait_for(shown)?;
        // Open the class, select its first object, its retainers up to the GC roots.
        pty.send(b"\r");
        pty.wait_for(" @")?;
        pty.send(b"j");
        pty.wait_for("· self")?;
        pty.send(b"\t");
        std::thread::sleep(KEY_DELAY);
        pty.send(b"p");
        std::thread::sleep(Duration::from_millis(300));
        seen.push_str(&pty.text());
        // Leave the pane, collapse, clear the filter.
        for _ in 0..3 {
            pty.send(b"\x1b");
            std::thread::sleep(Duration::from_millis(100));
        }
        pty.wait_until("the filter cleared", |s| !s.contains("filter “"))?;
    }
    // Strings: the largest first, then a few pages of them.
    pty.send(b"/");
    pty.type_text("(string)", KEY_DELAY);
    pty.send(b"\r");
    pty.wait_for("filter “(string)”")?;
    pty.send(b"\r");
    pty.wait_for(" @")?;
    for _ in 0..5 {
        pty.send(b"\x1b[6~");
        std::thread::sleep(Duration::from_millis(100));
        seen.push_str(&pty.text());
    }
    pty.send(b"\t");
    std::thread::sleep(KEY_DELAY);
    pty.send(b"p");
    std::thread::sleep(Duration::from_millis(300));
    seen.push_str(&pty.text());
    quit(&mut pty)?;
    for escaped in ["\\x1b[2J", "\\x1b]0;pwned title\\x07", "\\x9b"] {
        assert!(seen.contains(escaped), "{escaped} shown escaped:\n{seen}");
    }
    let found = raw_hostile_bytes(&pty.output());
    assert!(found.is_empty(), "written raw to the terminal: {found:?}");
    Ok(())
}

/// Walks the secrets fixture (Summary, string and Session classes, their objects and
/// retainers); returns every screen seen and every byte written.
fn secrets_walk(args: &[&str]) -> Result<(String, Vec<u8>), String> {
    let mut pty = Pty::heaptui(args, (160, 40), &[]);
    pty.wait_for("Retained Size")?;
    let mut seen = pty.text();
    for pattern in [
        "Session",
        "(sliced string)",
        "(concatenated string)",
        "(string)",
    ] {
        pty.send(b"/");
        pty.type_text(pattern, KEY_DELAY);
        pty.send(b"\r");
        pty.wait_for(&format!("filter “{pattern}”"))?;
        pty.send(b"\r");
        pty.wait_for(" @")?;
        for _ in 0..3 {
            pty.send(b"j");
            std::thread::sleep(Duration::from_millis(100));
            seen.push_str(&pty.text());
        }
        pty.send(b"\t");
        std::thread::sleep(KEY_DELAY);
        pty.send(b"p");
        std::thread::sleep(Duration::from_millis(300));
        seen.push_str(&pty.text());
        pty.send(b"\t");
        std::thread::sleep(KEY_DELAY);
        for _ in 0..3 {
            pty.send(b"\x1b[6~");
            std::thread::sleep(Duration::from_millis(100));
            seen.push_str(&pty.text());
        }
        for _ in 0..2 {
            pty.send(b"\x1b");
            std::thread::sleep(Duration::from_millis(100));
        }
        pty.wait_until("the filter cleared", |s| !s.contains("filter “"))?;
    }
    quit(&mut pty)?;
    Ok((seen, pty.output()))
}

const SECRETS: &str = "tests/fixtures/secrets.heapsnapshot.gz";

#[test]
fn redact_keeps_secrets_off_the_terminal() -> Result<(), String> {
    // Without --redact the walk does show the marker secrets, so the check below can fail.
    let (seen, output) = secrets_walk(&[SECRETS])?;
    assert!(seen.contains("SECRET") && seen.contains("alice@"), "{seen}");
    assert!(contains(&output, b"alice@"));
    let (seen, output) = secrets_walk(&["--redact", SECRETS])?;
    for secret in ["SECRET", "alice@"] {
        assert!(!seen.contains(secret), "{secret} on screen:\n{seen}");
        assert!(!contains(&output, secret.as_bytes()), "{secret} written");
    }
    Ok(())
}

#[test]
fn different_processes_are_compared_by_class() -> Result<(), String> {
    let base = "tests/fixtures/leak-base.heapsnapshot.gz";
    let mut pty = Pty::heaptui(
        &[base, "tests/fixtures/rerun-after.heapsnapshot.gz"],
        (100, 30),
        &[],
    );
    pty.wait_for("# After")?;
    pty.wait_for("matched by class only: the snapshots come from different processes")?;
    let screen = pty.text();
    assert!(!screen.contains("# New"), "{screen}");
    quit(&mut pty)?;
    let mut pty = Pty::heaptui(
        &[base, "tests/fixtures/leak-after.heapsnapshot.gz"],
        (100, 30),
        &[],
    );
    pty.wait_for("# New")?;
    let screen = pty.text();
    assert!(!screen.contains("matched by class"), "{screen}");
    quit(&mut pty)
}

#[test]
fn three_snapshots_rank_suspects() -> Result<(), String> {
    let mut pty = Pty::heaptui(
        &[
            "tests/fixtures/leak-base.heapsnapshot.gz",
            "tests/fixtures/leak-after.heapsnapshot.gz",
            "tests/fixtures/leak-final.heapsnapshot.gz",
        ],
        (120, 30),
        &[],
    );
    pty.wait_for(" 1. Array @")?;
    // The loading screen may be gone before a screen check: look in what was written.
    // (ratatui skips unchanged blank cells, so words are written apart.)
    assert!(contains(&pty.output(), b"Loading"));
    pty.wait_for("->cache in system / Context")?;
    // Enter opens the holder in the Summary, its retainers in the pane below.
    pty.send(b"\r");
    pty.wait_for("its retainers below")?;
    pty.wait_for("cache in system / Context")?;
    pty.send(b"4");
    pty.wait_for(" 1. Array @")?;
    pty.send(b"3");
    pty.wait_for("Constructor · sustained growth")?;
    pty.wait_for("↑ IncomingMessage")?;
    pty.send(b"2");
    pty.wait_for("leak-base.heapsnapshot.gz → leak-final.heapsnapshot.gz")?;
    quit(&mut pty)
}

const BASELINE: &str = "Baseline.Heap.20261124.101500.4242.heapsnapshot.gz";
const NODE: &str = "Heap.20261124.103000.4242.0.002.heapsnapshot.gz";
const MANUAL: &str = "Manual.Heap.20261124.110000.5151.heapsnapshot.gz";

/// A folder as diagnostic reports leave it: renamed copies of the fixtures (two snapshots of
/// process 4242, one of process 5151, written an hour ago), a dangling symlink (unreadable)
/// and a file written just now (still being written).
fn snapshot_folder(test: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("heaptui-picker-{test}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let hour_ago = std::time::SystemTime::now() - Duration::from_secs(3600);
    let fixtures = tui_harness::root().join("tests/fixtures");
    for (fixture, name) in [
        ("leak-base.heapsnapshot.gz", BASELINE),
        ("leak-after.heapsnapshot.gz", NODE),
        ("rerun-after.heapsnapshot.gz", MANUAL),
    ] {
        std::fs::copy(fixtures.join(fixture), dir.join(name)).unwrap();
        let file = std::fs::File::options()
            .write(true)
            .open(dir.join(name))
            .unwrap();
        file.set_modified(hour_ago).unwrap();
    }
    std::os::unix::fs::symlink(dir.join("missing"), dir.join("gone.heapsnapshot")).unwrap();
    std::fs::write(dir.join("fresh.heapsnapshot"), b"{").unwrap();
    dir
}

/// The screen line that shows `needle`.
fn line_of(screen: &str, needle: &str) -> String {
    let line = screen.lines().find(|l| l.contains(needle));
    line.unwrap_or_else(|| panic!("{needle} on screen:\n{screen}"))
        .to_string()
}

#[test]
fn folder_picker_suggests_a_pair_of_one_process() -> Result<(), String> {
    let dir = snapshot_folder("suggest");
    let mut pty = Pty::heaptui(&[dir.to_str().unwrap()], (140, 30), &[]);
    pty.wait_for("process 4242 · 2 snapshots")?;
    let screen = pty.text();
    assert!(screen.contains("process 5151 · 1 snapshot"), "{screen}");
    assert!(
        screen.contains("no pid in the name · 2 snapshots"),
        "{screen}"
    );
    assert!(
        screen.contains("suggested pair: Enter opens it"),
        "{screen}"
    );
    let (base, after) = (line_of(&screen, BASELINE), line_of(&screen, NODE));
    assert!(
        base.contains("★  base") && base.contains("Baseline"),
        "{base}"
    );
    assert!(base.contains("2026-11-24 10:15:00"), "{base}");
    assert!(
        after.contains("★  after") && after.contains("Node"),
        "{after}"
    );
    assert!(!line_of(&screen, MANUAL).contains('★'), "{screen}");
    assert!(line_of(&screen, "gone.heapsnapshot").contains("unreadable"));
    assert!(line_of(&screen, "fresh.heapsnapshot").contains("being written"));
    // Neither the file being written (last) nor the unreadable one can be marked.
    pty.type_text("G ", KEY_DELAY);
    pty.wait_for("cannot mark fresh.heapsnapshot: still being written")?;
    pty.type_text("k ", KEY_DELAY);
    pty.wait_for("cannot mark gone.heapsnapshot: unreadable")?;
    pty.send(b"?");
    pty.wait_for("mark / unmark a file")?;
    pty.send(b"x");
    pty.wait_until("help closed", |s| !s.contains("any key closes"))?;
    pty.send(b"\r");
    pty.wait_for("# New")?;
    pty.wait_for("IncomingMessage")?;
    let screen = pty.text();
    assert!(
        screen.contains(&format!("{BASELINE} → Heap.20261124.103000.4242")),
        "{screen}"
    );
    quit(&mut pty)?;
    std::fs::remove_dir_all(&dir).unwrap();
    Ok(())
}

#[test]
fn folder_picker_warns_across_processes() -> Result<(), String> {
    let dir = snapshot_folder("cross");
    let mut pty = Pty::heaptui(&[dir.to_str().unwrap()], (140, 30), &[]);
    pty.wait_for("process 4242")?;
    // The cursor starts on the suggested base: mark it, then the 5151 snapshot (first row).
    pty.send(b" ");
    pty.wait_for("1 marked")?;
    pty.type_text("g ", KEY_DELAY);
    pty.wait_for("different processes: compared by class")?;
    pty.wait_for("2 marked")?;
    let screen = pty.text();
    assert!(line_of(&screen, BASELINE).contains("[x] base"), "{screen}");
    assert!(line_of(&screen, MANUAL).contains("[x] after"), "{screen}");
    pty.send(b"\r");
    pty.wait_for("matched by class")?;
    pty.wait_for("# After")?;
    quit(&mut pty)?;
    std::fs::remove_dir_all(&dir).unwrap();
    Ok(())
}

#[test]
fn folder_picker_quits_with_esc() -> Result<(), String> {
    let dir = snapshot_folder("esc");
    let mut pty = Pty::heaptui(&[dir.to_str().unwrap()], (80, 24), &[]);
    pty.wait_for("process 4242")?;
    pty.send(b"\x1b");
    assert_eq!(pty.wait_exit()?, 0, "Esc exits 0");
    assert!(contains(&pty.output(), LEAVE_ALTERNATE_SCREEN));
    assert!(!pty.with_screen(|s| s.alternate_screen()));
    std::fs::remove_dir_all(&dir).unwrap();
    Ok(())
}

/// A base/after pair (the same generated heap twice) big enough that the dominators take a
/// while after the first frame: `(folder, base, after)`; the folder is removed on drop.
fn generated_pair() -> (GeneratedDir, String, String) {
    let dir =
        GeneratedDir(std::env::temp_dir().join(format!("heaptui-staged-{}", std::process::id())));
    std::fs::create_dir_all(&dir.0).unwrap();
    let base = dir.0.join("base.heapsnapshot");
    let after = dir.0.join("after.heapsnapshot");
    let status = std::process::Command::new("node")
        .arg(tui_harness::root().join("benches/gen-bench-snapshot.cjs"))
        .arg("60000")
        .arg(&base)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .status()
        .expect("node runs");
    assert!(status.success(), "the generator failed");
    std::fs::copy(&base, &after).unwrap();
    let path = |p: &std::path::Path| p.to_str().unwrap().to_string();
    let (base, after) = (path(&base), path(&after));
    (dir, base, after)
}

struct GeneratedDir(std::path::PathBuf);

impl Drop for GeneratedDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

#[test]
fn comparison_is_drawn_while_the_numbers_compute_and_q_quits_at_any_stage() -> Result<(), String> {
    let (_dir, base, after) = generated_pair();
    let mut pty = Pty::heaptui(&[&base, &after], (80, 24), &[]);
    // The Comparison comes up while the title bar says the dominators are computing.
    pty.wait_until("the Comparison with the dominators computing", |s| {
        s.contains("# New") && s.contains("computing dominators")
    })?;
    // The numbers land: nothing computes any more, and the Summary has its retained sizes.
    pty.wait_until("the load to finish", |s| !s.contains("computing"))?;
    pty.send(b"1");
    pty.wait_until("the Summary's retained sizes", |s| {
        s.contains("Retained Size") && s.contains('%')
    })?;
    quit(&mut pty)?;

    // q while the background still works: the program leaves at once, terminal restored.
    let mut pty = Pty::heaptui(&[&base, &after], (80, 24), &[]);
    pty.wait_for("computing")?;
    let asked = std::time::Instant::now();
    quit(&mut pty)?;
    assert!(
        asked.elapsed() < Duration::from_secs(3),
        "q took {:?}",
        asked.elapsed()
    );
    Ok(())
}
