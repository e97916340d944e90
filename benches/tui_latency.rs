//! Keystroke latency of the TUI on a big snapshot: each key's `App::update` plus one full
//! redraw on an 80×24 test backend, as a user over SSH would press them.
//!
//!     HEAPTUI_BENCH_SNAPSHOT=/tmp/heaptui-bench/bench-1500.heapsnapshot cargo bench --bench tui_latency
//!
//! (benches/bench.sh generates that file.) Prints the time of every key and the worst one;
//! then the object views' keys (contents of an object with 120 000 edges, Containment,
//! Dominators, Statistics, details, presets, ignoring a retainer), and how long the two
//! background jobs (a preset, an ignored retainer) take to finish.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use heaptui_common::progress::Progress;
use heaptui_engine::Snapshot;
use heaptui_tui::app::{App, View};
use heaptui_tui::data::Data;
use heaptui_tui::theme::Theme;
use heaptui_tui::ui;
use ratatui::backend::TestBackend;
use ratatui::Terminal;
use std::time::Instant;

/// Seconds between the first frame and the first key.
const SETTLE_SECONDS: u64 = 2;

fn main() {
    let path = std::env::var("HEAPTUI_BENCH_SNAPSHOT")
        .unwrap_or_else(|_| "/tmp/heaptui-bench/bench-1500.heapsnapshot".into());
    let started = Instant::now();
    let snapshot = Snapshot::load(
        std::path::Path::new(&path),
        Default::default(),
        &Progress::NONE,
    )
    .expect("load the bench snapshot");
    println!(
        "{path}: {} nodes, {} edges, loaded in {:.2} s",
        snapshot.node_count(),
        snapshot.edge_count(),
        started.elapsed().as_secs_f64()
    );
    let started = Instant::now();
    let data = Data::new(vec![snapshot]).expect("data");
    println!(
        "view data (summary rows, instance order) built in {:.2} s",
        started.elapsed().as_secs_f64()
    );
    let mut app = App::new(data, Theme { color: true });
    let mut terminal = Terminal::new(TestBackend::new(80, 24)).unwrap();
    terminal.draw(|f| ui::draw(&mut app, f)).unwrap();
    let key = |c: KeyCode| KeyEvent::new(c, KeyModifiers::NONE);
    let ch = |c: char| key(KeyCode::Char(c));
    // The first keys the moment the numbers land, while the app still finds the snapshot's
    // script names on a thread of its own: the retainer pane must not wait for them.
    let mut first = Timed::default();
    first.press(&mut app, &mut terminal, "j (first key after load)", ch('j'));
    first.press(&mut app, &mut terminal, "k (second key)", ch('k'));
    // Then a user reads the first screen (the script names land meanwhile).
    std::thread::sleep(std::time::Duration::from_secs(SETTLE_SECONDS));
    terminal.draw(|f| ui::draw(&mut app, f)).unwrap();
    let mut steps: Vec<(String, KeyEvent)> = vec![
        ("j (move)".into(), ch('j')),
        ("s (sort by next column)".into(), ch('s')),
        ("S (reverse)".into(), ch('S')),
        ("s".into(), ch('s')),
        ("/ (open filter)".into(), ch('/')),
    ];
    for c in "string".chars() {
        steps.push((format!("type '{c}'"), ch(c)));
    }
    steps.extend([
        ("Enter (keep filter)".into(), key(KeyCode::Enter)),
        (
            "Enter (expand the largest class)".into(),
            key(KeyCode::Enter),
        ),
        ("j".into(), ch('j')),
        ("PgDn".into(), key(KeyCode::PageDown)),
        ("G (bottom of millions of objects)".into(), ch('G')),
        ("g (top)".into(), ch('g')),
        ("j".into(), ch('j')),
        ("Tab (retainers of the object)".into(), key(KeyCode::Tab)),
        ("p (path to the GC roots)".into(), ch('p')),
        ("Tab".into(), key(KeyCode::Tab)),
        ("h (collapse)".into(), ch('h')),
        ("Esc (clear filter)".into(), key(KeyCode::Esc)),
        ("/".into(), ch('/')),
    ]);
    for c in "Customer".chars() {
        steps.push((format!("type '{c}'"), ch(c)));
    }
    steps.extend([
        ("Enter".into(), key(KeyCode::Enter)),
        ("Enter (expand)".into(), key(KeyCode::Enter)),
        ("G".into(), ch('G')),
        ("Tab".into(), key(KeyCode::Tab)),
        ("p".into(), ch('p')),
    ]);
    let mut timed = Timed::default();
    for (name, k) in steps {
        timed.press(&mut app, &mut terminal, &name, k);
    }
    println!("worst: {} at {:.2} ms", timed.worst.0, timed.worst.1);
    object_views(&mut app, &mut terminal);
}

/// Timed key presses, each with one redraw, and the slowest of them.
#[derive(Default)]
struct Timed {
    worst: (String, f64),
}

impl Timed {
    /// Presses `k` and redraws, printing and keeping the time under `name`.
    fn press(
        &mut self,
        app: &mut App,
        terminal: &mut Terminal<TestBackend>,
        name: &str,
        k: KeyEvent,
    ) {
        let t = Instant::now();
        app.update(k);
        terminal.draw(|f| ui::draw(app, f)).unwrap();
        let ms = t.elapsed().as_secs_f64() * 1e3;
        println!("  {name:<40} {ms:>8.2} ms");
        if ms > self.worst.1 {
            self.worst = (name.to_string(), ms);
        }
    }
}

/// Moves down the tree shown (untimed) until its selected row satisfies `wanted`.
fn select(
    app: &mut App,
    terminal: &mut Terminal<TestBackend>,
    what: &str,
    wanted: impl Fn(&App) -> bool,
) {
    for _ in 0..10_000 {
        if wanted(app) {
            return;
        }
        app.update(KeyEvent::new(KeyCode::Down, KeyModifiers::NONE));
        terminal.draw(|f| ui::draw(app, f)).unwrap();
    }
    panic!("no row {what}");
}

/// The edge the selected row of the tree shown was reached by.
fn selected_edge(app: &App) -> Option<String> {
    let tree = app.object_tree()?;
    let heaptui_tui::object_tree::TreeRow::Entry(id) = tree.selected()? else {
        return None;
    };
    let edge = tree.entry(id).edge?;
    Some(app.complete_snapshots()?[tree.snapshot].edge_name(edge))
}

/// Waits for the background jobs, reporting how long they took from `since`.
fn finish_jobs(app: &mut App, what: &str, since: Instant) {
    while app.has_jobs() {
        app.collect_jobs();
        std::thread::sleep(std::time::Duration::from_millis(1));
    }
    app.collect_jobs();
    println!(
        "  (background) {what:<27} {:>8.2} ms",
        since.elapsed().as_secs_f64() * 1e3
    );
}

/// The object views' keys on the bench heap: `globalThis.benchHeap.metadata` is an array of
/// 120 000 objects (one per four customers): 120 000 element edges.
fn object_views(app: &mut App, terminal: &mut Terminal<TestBackend>) {
    let key = |c: KeyCode| KeyEvent::new(c, KeyModifiers::NONE);
    let ch = |c: char| key(KeyCode::Char(c));
    let enter = key(KeyCode::Enter);
    let mut timed = Timed::default();
    println!("object views:");
    timed.press(app, terminal, "5 (Containment)", ch('5'));
    select(app, terminal, "global", |a| {
        selected_edge(a).is_some_and(|e| e.parse::<u32>().is_ok())
            && a.object_tree()
                .and_then(|t| t.selected_node())
                .zip(a.complete_snapshots())
                .is_some_and(|(n, c)| c[0].display_name(n) == "global")
    });
    timed.press(app, terminal, "Enter (global's contents)", enter);
    for edge in ["benchHeap", "metadata"] {
        select(app, terminal, edge, |a| {
            selected_edge(a).as_deref() == Some(edge)
        });
        let name = match edge {
            "metadata" => "Enter (metadata: 120 000 edges)".to_string(),
            _ => format!("Enter ({edge}'s contents)"),
        };
        timed.press(app, terminal, &name, enter);
    }
    let t = Instant::now();
    timed.press(app, terminal, "j (into 120 000 contents)", ch('j'));
    // Its first row, the arrays' shared map, has millions of retainers: the pane lists them
    // in the background.
    finish_jobs(app, "the pane's retainers", t);
    for (name, k) in [
        ("G (to the more row)", ch('G')),
        ("Enter (the next 100)", enter),
        ("i (details)", ch('i')),
        ("Esc (close details)", key(KeyCode::Esc)),
        ("c (contents of the selected object)", ch('c')),
        ("D (what it keeps alive)", ch('D')),
        ("u (to its dominator)", ch('u')),
        ("6 (Dominators from the root)", ch('6')),
    ] {
        timed.press(app, terminal, name, k);
    }
    if app.view() == View::Dominators {
        // From the root: the root's children by retained size.
        timed.press(app, terminal, "5", ch('5'));
        timed.press(app, terminal, "6", ch('6'));
    }
    for (name, k) in [
        ("Enter (expand the largest)", enter),
        ("j", ch('j')),
        ("7 (Statistics)", ch('7')),
        ("1 (Summary)", ch('1')),
    ] {
        timed.press(app, terminal, name, k);
    }
    let t = Instant::now();
    timed.press(app, terminal, "f (next preset: a job)", ch('f'));
    finish_jobs(app, "objects allocated before", t);
    let t = Instant::now();
    timed.press(app, terminal, "f (duplicated strings: a job)", ch('f'));
    finish_jobs(app, "duplicated strings", t);
    timed.press(app, terminal, "F (back: kept table)", ch('F'));
    timed.press(app, terminal, "F (all objects: kept)", ch('F'));
    // A retainer of a Customer: ignore it.
    let mut keys: Vec<(String, KeyEvent)> = vec![
        ("Esc (collapse)".into(), key(KeyCode::Esc)),
        ("Esc (clear the filter)".into(), key(KeyCode::Esc)),
        ("/".into(), ch('/')),
    ];
    keys.extend("Customer".chars().map(|c| (format!("type '{c}'"), ch(c))));
    keys.extend([
        ("Enter".to_string(), enter),
        ("Enter (expand Customer)".to_string(), enter),
        ("j".to_string(), ch('j')),
        ("Enter (open the customer)".to_string(), enter),
        ("Tab (its retainers)".to_string(), key(KeyCode::Tab)),
    ]);
    for (name, k) in keys {
        timed.press(app, terminal, &name, k);
    }
    let t = Instant::now();
    timed.press(app, terminal, "x (ignore the retainer: a job)", ch('x'));
    finish_jobs(app, "ignoring a retainer", t);
    timed.press(app, terminal, "X (restore all)", ch('X'));
    println!(
        "worst of the object views: {} at {:.2} ms",
        timed.worst.0, timed.worst.1
    );
}
