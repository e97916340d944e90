//! Keystroke latency of the TUI on a big snapshot: each key's `App::update` plus one full
//! redraw on an 80×24 test backend, as a user over SSH would press them.
//!
//!     HEAPTUI_BENCH_SNAPSHOT=/tmp/heaptui-bench/bench-1500.heapsnapshot cargo bench --bench tui_latency
//!
//! (benches/bench.sh generates that file.) Prints the time of every key and the worst one.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use heaptui::progress::Progress;
use heaptui::tui::app::App;
use heaptui::tui::data::Data;
use heaptui::tui::theme::Theme;
use heaptui::tui::ui;
use heaptui::Snapshot;
use ratatui::backend::TestBackend;
use ratatui::Terminal;
use std::time::Instant;

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
    let mut worst = (String::new(), 0.0f64);
    for (name, k) in steps {
        let t = Instant::now();
        app.update(k);
        terminal.draw(|f| ui::draw(&mut app, f)).unwrap();
        let ms = t.elapsed().as_secs_f64() * 1e3;
        println!("  {name:<40} {ms:>8.2} ms");
        if ms > worst.1 {
            worst = (name, ms);
        }
    }
    println!("worst: {} at {:.2} ms", worst.0, worst.1);
}
