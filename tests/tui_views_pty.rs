//! End-to-end tests of the object-level views: the real binary in a pseudo-terminal at 80×24,
//! its screen read through a vt100 emulator, on the demo pair (a Node server leaking
//! `IncomingMessage`s). The walk of issue 14: Summary → open a leaked request → its `url`
//! property's value → Containment → Dominators; then Statistics, the details popup, a preset
//! and an ignored retainer computed in the background, and quitting in the middle of one.

use crate::tui_harness;

use std::time::Duration;
use tui_harness::{Pty, LEAVE_ALTERNATE_SCREEN};

const BASE: &str = "assets/demo/base.heapsnapshot.gz";
const AFTER: &str = "assets/demo/after.heapsnapshot.gz";
const KEY_DELAY: Duration = Duration::from_millis(30);

fn quit(pty: &mut Pty) -> Result<(), String> {
    pty.send(b"q");
    let code = pty.wait_exit()?;
    assert_eq!(code, 0, "q exits 0");
    assert!(
        pty.output()
            .windows(LEAVE_ALTERNATE_SCREEN.len())
            .any(|w| w == LEAVE_ALTERNATE_SCREEN),
        "the alternate screen was left"
    );
    Ok(())
}

/// Opens the first leaked request of the Summary (its contents listed under it).
fn open_a_request(pty: &mut Pty) -> Result<(), String> {
    pty.wait_for("IncomingMessage")?;
    pty.send(b"1");
    pty.wait_for("Retained Size")?;
    // The numbers are in once the Summary's objects can be listed.
    pty.wait_until("the numbers", |s| !s.contains("computing"))?;
    pty.send(b"/");
    pty.type_text("Incoming", KEY_DELAY);
    pty.send(b"\r");
    pty.wait_for("filter “Incoming”")?;
    pty.send(b"\r");
    pty.wait_for("IncomingMessage @")?;
    pty.send(b"j");
    pty.wait_for("· object · self")?;
    pty.send(b"\r");
    pty.wait_for("__proto__ :: ")
}

#[test]
fn the_walk_summary_contents_url_containment_dominators_at_80x24() -> Result<(), String> {
    let mut pty = Pty::heaptui(&[BASE, AFTER], (80, 24), &[]);
    open_a_request(&mut pty)?;
    // Down through the request's properties to its url.
    for _ in 0..30 {
        if pty.text().lines().any(|l| l.contains("url :: \"/item/")) {
            break;
        }
        pty.send(b"j");
        std::thread::sleep(KEY_DELAY);
    }
    pty.wait_until("the url's value", |s| {
        s.lines().any(|l| l.contains("url :: \"/item/"))
    })?;
    // Containment: the heap from the root.
    pty.send(b"5");
    pty.wait_for("Containment · the heap from the root")?;
    pty.wait_for(":: (GC roots) @")?;
    pty.send(b"\r");
    pty.wait_for("(Strong roots)")?;
    // Dominators: what the root keeps alive, by retained size with shares.
    pty.send(b"6");
    pty.wait_for("Dominators · what the root keeps alive")?;
    pty.wait_until("shares of the total", |s| {
        s.lines()
            .any(|l| l.contains("(GC roots) @3") && l.trim_end().ends_with('%'))
    })?;
    // Statistics, in 80 columns.
    pty.send(b"7");
    pty.wait_for("Other non-JS objects")?;
    let screen = pty.text();
    assert!(screen.contains(" Total "), "{screen}");
    quit(&mut pty)
}

#[test]
fn details_and_the_dominator_jump() -> Result<(), String> {
    let mut pty = Pty::heaptui(&[BASE, AFTER], (80, 24), &[]);
    open_a_request(&mut pty)?;
    pty.send(b"i");
    pty.wait_for("Dominators (u goes to the first")?;
    pty.wait_for("defined at node:_http_incoming:")?;
    pty.send(b"u");
    pty.wait_for("Kept alive by Array @")?;
    pty.send(b"u");
    pty.wait_for("Kept alive by system / Context @")?;
    quit(&mut pty)
}

#[test]
fn a_preset_and_an_ignored_retainer_compute_in_the_background() -> Result<(), String> {
    let mut pty = Pty::heaptui(&[BASE, AFTER], (80, 24), &[]);
    pty.wait_for("IncomingMessage")?;
    pty.send(b"1");
    pty.wait_until("the numbers", |s| !s.contains("computing"))?;
    // f f: objects allocated between the two snapshots.
    pty.send(b"f");
    pty.send(b"f");
    pty.wait_for("Objects allocated between base.heapsnapshot.gz")?;
    pty.wait_until("the preset's rows", |s| {
        s.contains("IncomingMessage ×200") && !s.contains("computing")
    })?;
    // Back to all objects, instantly.
    pty.send(b"F");
    pty.send(b"F");
    pty.wait_for("IncomingMessage ×205")?;
    // Ignore the request's first retainer (the cache array).
    pty.send(b"/");
    pty.type_text("Incoming", KEY_DELAY);
    pty.send(b"\r");
    pty.send(b"\r");
    pty.wait_for("IncomingMessage @")?;
    pty.send(b"j");
    pty.wait_for("[0] in Array @")?;
    pty.send(b"\t");
    pty.send(b"x");
    pty.wait_for("ignored")?;
    pty.wait_for("(X restores all)")?;
    pty.send(b"X");
    pty.wait_for("every ignored retainer restored")?;
    quit(&mut pty)
}

#[test]
fn quitting_never_waits_for_a_preset() -> Result<(), String> {
    let mut pty = Pty::heaptui(&[BASE, AFTER], (80, 24), &[]);
    pty.wait_for("IncomingMessage")?;
    pty.send(b"1");
    pty.wait_until("the numbers", |s| !s.contains("computing"))?;
    pty.send(b"F");
    pty.send(b"q");
    let started = std::time::Instant::now();
    assert_eq!(pty.wait_exit()?, 0);
    assert!(started.elapsed() < Duration::from_secs(5));
    Ok(())
}
