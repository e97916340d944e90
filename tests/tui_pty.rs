//! End-to-end tests: the real binary in a pseudo-terminal, its screen read through a vt100
//! emulator at each step of a leak hunt on the demo pair, plus start-up failures, Ctrl-C during
//! the load, resizing, NO_COLOR and idle CPU. `screenshots` (ignored) renders the PNG sources.

mod tui_harness;

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
    let fifo = dir.join(name);
    let _ = std::fs::remove_file(&fifo);
    let status = std::process::Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .unwrap();
    assert!(status.success(), "mkfifo");
    fifo
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
    quit(&mut pty)
}
