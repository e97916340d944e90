//! Render tests of the object-level views on ratatui's test backend, on the real demo pair
//! (a Node server leaking `IncomingMessage`s): objects' contents opened in the Summary,
//! Comparison and retainer pane, the Containment, Dominators and Statistics views, the
//! details popup, presets and ignored retainers, drawn after real key presses and compared
//! with reviewed insta snapshots in tests/snapshots/.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use heaptui_common::progress::Progress;
use heaptui_engine::Snapshot;
use heaptui_tui::app::{App, Flow};
use heaptui_tui::data::Data;
use heaptui_tui::theme::Theme;
use heaptui_tui::ui;
use ratatui::backend::TestBackend;
use ratatui::buffer::Buffer;
use ratatui::Terminal;
use std::path::PathBuf;

fn demo(name: &str) -> Snapshot {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("assets/demo")
        .join(name);
    Snapshot::load(&path, Default::default(), &Progress::NONE).unwrap()
}

fn pair() -> App {
    let data = Data::new(vec![
        demo("base.heapsnapshot.gz"),
        demo("after.heapsnapshot.gz"),
    ])
    .unwrap();
    App::new(data, Theme { color: true })
}

/// Presses keys written as text: plain chars, `<Enter>`, `<Esc>`, `<Tab>`, `<Down>`, `<Up>`,
/// `<Left>`, `<Right>`, `<PgDn>`, `<PgUp>`, `<BS>`.
fn press(app: &mut App, keys: &str) -> Flow {
    let mut flow = Flow::Continue;
    let mut rest = keys;
    while let Some(c) = rest.chars().next() {
        let (code, len) = if c == '<' {
            let end = rest.find('>').expect("closing >");
            let code = match &rest[1..end] {
                "Enter" => KeyCode::Enter,
                "Esc" => KeyCode::Esc,
                "Tab" => KeyCode::Tab,
                "Down" => KeyCode::Down,
                "Up" => KeyCode::Up,
                "Left" => KeyCode::Left,
                "Right" => KeyCode::Right,
                "PgDn" => KeyCode::PageDown,
                "PgUp" => KeyCode::PageUp,
                "BS" => KeyCode::Backspace,
                other => panic!("unknown key <{other}>"),
            };
            (code, end + 1)
        } else {
            (KeyCode::Char(c), c.len_utf8())
        };
        let mut event = KeyEvent::new(code, KeyModifiers::NONE);
        if c.is_ascii_uppercase() {
            event.modifiers = KeyModifiers::SHIFT;
        }
        flow = app.update(event);
        rest = &rest[len..];
    }
    flow
}

fn draw(app: &mut App, width: u16, height: u16) -> Buffer {
    let mut terminal = Terminal::new(TestBackend::new(width, height)).unwrap();
    terminal.draw(|f| ui::draw(app, f)).unwrap();
    terminal.backend().buffer().clone()
}

fn text(buffer: &Buffer) -> String {
    let area = buffer.area;
    let mut out = String::new();
    for y in 0..area.height {
        let mut line = String::new();
        for x in 0..area.width {
            line.push_str(buffer[(x, y)].symbol());
        }
        out.push_str(line.trim_end());
        out.push('\n');
    }
    out
}

/// The text of `app` drawn at `width`×`height`.
fn screen(app: &mut App, width: u16, height: u16) -> String {
    text(&draw(app, width, height))
}

/// Waits for the background jobs (presets, ignored retainers) and takes their results in, as
/// the event loop does on its ticks.
fn settle(app: &mut App) {
    let start = std::time::Instant::now();
    while app.has_jobs() {
        app.collect_jobs();
        assert!(start.elapsed().as_secs() < 60, "a job took over a minute");
        std::thread::sleep(std::time::Duration::from_millis(5));
    }
    app.collect_jobs();
}

/// The line of `shown` holding `needle`.
fn line_with<'a>(shown: &'a str, needle: &str) -> &'a str {
    shown
        .lines()
        .find(|l| l.contains(needle))
        .unwrap_or_else(|| panic!("no line with {needle:?}:\n{shown}"))
}

/// Moves down until the selected object's edge is `edge` (at most `limit` rows).
fn down_to_edge(app: &mut App, edge: &str, limit: usize) {
    for _ in 0..limit {
        let shown = screen(app, 80, 24);
        if app.selected_instance().is_some() && selected_edge(app).as_deref() == Some(edge) {
            let _ = shown;
            return;
        }
        press(app, "<Down>");
    }
    panic!("no row with edge {edge}:\n{}", screen(app, 80, 24));
}

/// The name of the edge the selected contents row was reached by.
fn selected_edge(app: &App) -> Option<String> {
    let table = app.summaries().get(app.summary_snapshot())?;
    let heaptui_tui::table::Row::Content { row, index, at } = table.selected()? else {
        return None;
    };
    let tree = table.contents(row, index)?;
    let heaptui_tui::object_tree::TreeRow::Entry(id) = tree.row(at)? else {
        return None;
    };
    let edge = tree.entry(id).edge?;
    let snapshot = &app.complete_snapshots()?[tree.snapshot];
    Some(snapshot.edge_name(edge))
}

#[test]
fn an_object_opens_into_its_contents_in_devtools_order() {
    let mut app = pair();
    press(&mut app, "1/Incoming<Enter><Enter><Down>");
    let object = app.selected_instance().expect("an object row");
    press(&mut app, "<Enter>");
    let shown = screen(&mut app, 80, 24);
    insta::assert_snapshot!("contents_opened_80x24", shown);
    assert!(
        line_with(&shown, "IncomingMessage @95045").starts_with("▾"),
        "{shown}"
    );
    // The rows are the library's contents, in its (DevTools') order.
    let snapshot = app.complete_snapshots().unwrap()[object.snapshot()].clone();
    let contents = snapshot.contents(object.node, false);
    let table = &app.summaries()[app.summary_snapshot()];
    let Some(heaptui_tui::table::Row::Instance { row, index }) = table.selected() else {
        panic!("the object row stays selected")
    };
    let tree = table.contents(row, index).expect("the object is opened");
    assert_eq!(
        tree.len(),
        contents.len().min(heaptui_tui::object_tree::PAGE)
    );
    // Walking down reaches the request's url, with its string value.
    down_to_edge(&mut app, "url", 40);
    let shown = screen(&mut app, 80, 24);
    let url = line_with(&shown, "url :: ");
    assert!(url.contains("url :: \"/"), "{url}");
    // The retainer pane follows the selected contents row: the url string's retainers.
    let tree = app.retainers().expect("the url string's retainers");
    assert_eq!(snapshot.type_name(tree.object), "string");
    // ← on a contents row goes to the object, a second ← closes its contents.
    press(&mut app, "<Left>");
    assert_eq!(app.selected_instance(), Some(object));
    press(&mut app, "<Left>");
    assert!(!screen(&mut app, 80, 24).contains("url :: "));
}

#[test]
fn contents_nest_and_mark_cycles() {
    let mut app = pair();
    press(&mut app, "1/Incoming<Enter><Enter><Down><Enter><Down>");
    // __proto__ (IncomingMessage.prototype) → constructor → its prototype: a cycle.
    press(&mut app, "<Enter>");
    let shown = screen(&mut app, 120, 40);
    assert!(shown.contains("    ▾ __proto__ :: "), "{shown}");
    let mut found = false;
    for _ in 0..30 {
        press(&mut app, "<Down>");
        if selected_edge(&app).as_deref() == Some("constructor") {
            press(&mut app, "<Enter>");
            found = true;
            break;
        }
    }
    assert!(found, "a constructor edge under the prototype");
    let shown = screen(&mut app, 120, 40);
    assert!(
        shown.contains("↻ prototype :: "),
        "the prototype is already above: {shown}"
    );
}

#[test]
fn comparison_objects_open_too() {
    let mut app = pair();
    press(&mut app, "2/IncomingMessage<Enter><Enter><Down><Enter>");
    let shown = screen(&mut app, 100, 30);
    assert!(
        shown.contains("url :: \"/") || shown.contains(" :: "),
        "{shown}"
    );
    assert!(
        line_with(&shown, "+ IncomingMessage @").starts_with("▾"),
        "{shown}"
    );
}

#[test]
fn containment_lists_the_heap_from_the_root() {
    let mut app = pair();
    press(&mut app, "5");
    let shown = screen(&mut app, 80, 24);
    insta::assert_snapshot!("containment_80x24", shown);
    assert!(shown.contains(":: (GC roots) @"), "{shown}");
    assert!(shown.contains(":: global @"), "{shown}");
    let tree = app.containment_tree().unwrap();
    let snapshot = app.complete_snapshots().unwrap()[tree.snapshot].clone();
    assert_eq!(tree.root, snapshot.root());
    assert_eq!(tree.len(), snapshot.contents(snapshot.root(), false).len());
    // (GC roots) opens into the root categories.
    press(&mut app, "<Enter>");
    let shown = screen(&mut app, 80, 24);
    assert!(shown.contains("(Strong roots) @"), "{shown}");
    // `c` on an object shows its contents; 5 goes back to the root.
    press(&mut app, "1/Incoming<Enter><Enter><Down>c");
    let shown = screen(&mut app, 80, 24);
    assert!(shown.contains("Contents of IncomingMessage @"), "{shown}");
    assert!(
        shown.contains("url :: \"/") || shown.contains("socket :: "),
        "{shown}"
    );
    press(&mut app, "5");
    assert!(screen(&mut app, 80, 24).contains("Containment · the heap from the root"));
}

#[test]
fn dominators_show_what_objects_keep_alive() {
    let mut app = pair();
    press(&mut app, "6");
    let shown = screen(&mut app, 80, 24);
    insta::assert_snapshot!("dominators_80x24", shown);
    let tree = app.dominators_tree().unwrap();
    let snapshot = app.complete_snapshots().unwrap()[tree.snapshot].clone();
    let children = snapshot.dominated(&[snapshot.root()]).remove(0);
    assert_eq!(
        tree.len(),
        children.len().min(heaptui_tui::object_tree::PAGE) + 1,
        "a page of children and a more row"
    );
    let sizes: Vec<u64> = children
        .iter()
        .map(|&c| snapshot.retained_size(c))
        .collect();
    assert!(sizes.windows(2).all(|w| w[0] >= w[1]), "largest first");
    assert!(
        line_with(&shown, "(GC roots) @3").ends_with("12%"),
        "{shown}"
    );
    // D on a leaked request: what it keeps alive; u: its dominator, the request selected.
    press(&mut app, "1/Incoming<Enter><Enter><Down>D");
    let shown = screen(&mut app, 80, 24);
    assert!(shown.contains("Kept alive by IncomingMessage @"), "{shown}");
    press(&mut app, "1u");
    let shown = screen(&mut app, 80, 24);
    assert!(
        shown.contains("Kept alive by Array @"),
        "the cache array: {shown}"
    );
    let selected = app.selected_instance().unwrap();
    assert_eq!(snapshot.class_name(selected.node), "IncomingMessage");
    // u again walks up: the array's dominator.
    press(&mut app, "u");
    assert!(screen(&mut app, 80, 24).contains("Kept alive by system / Context @"));
}

#[test]
fn statistics_fit_80_columns_and_equal_the_library() {
    let mut app = pair();
    press(&mut app, "7");
    let shown = screen(&mut app, 80, 24);
    insta::assert_snapshot!("statistics_80x24", shown);
    let snapshot = app.complete_snapshots().unwrap()[app.summary_snapshot()].clone();
    let s = snapshot.statistics();
    for row in heaptui_present::statistics::rows(s) {
        let line = line_with(&shown, row.label);
        assert!(
            line.contains(&heaptui_present::format::bytes(row.size)),
            "{line}"
        );
    }
    assert!(line_with(&shown, " Total ").contains(&heaptui_present::format::bytes(s.total)));
    assert!(shown.lines().all(|l| l.chars().count() <= 80));
    // b: the base snapshot's statistics.
    press(&mut app, "b");
    let shown = screen(&mut app, 80, 24);
    assert!(shown.contains("base.heapsnapshot.gz"), "{shown}");
}

#[test]
fn details_show_value_dominators_and_variables() {
    let mut app = pair();
    press(&mut app, "1/Incoming<Enter><Enter><Down>i");
    let shown = screen(&mut app, 80, 24);
    insta::assert_snapshot!("details_80x24", shown);
    assert!(shown.contains("Dominators (u goes to the first"), "{shown}");
    assert!(shown.contains("defined at node:_http_incoming:"), "{shown}");
    press(&mut app, "<Esc>");
    assert_ne!(app.mode(), heaptui_tui::app::Mode::Details);
    // A closure: its captured variables with their sizes.
    press(&mut app, "<Esc><Esc>/counterClosure<Esc>");
    press(&mut app, "/Function<Enter><Enter>");
    let table = &app.summaries()[app.summary_snapshot()];
    let snapshot = app.complete_snapshots().unwrap()[app.summary_snapshot()].clone();
    let heaptui_tui::table::Row::Class { row, .. } = table.selected().unwrap() else {
        panic!("a class row")
    };
    let at = table.rows()[row]
        .nodes
        .iter()
        .position(|&n| !snapshot.context_variables(n).is_empty())
        .expect("a closure with variables");
    press(&mut app, &"<Down>".repeat(at + 1));
    press(&mut app, "i");
    let shown = screen(&mut app, 100, 40);
    assert!(shown.contains("Captured variables"), "{shown}");
    press(&mut app, "<Esc>");
    // A long string: its whole value, wrapped and scrolled.
    press(&mut app, "<Esc><Esc>/(string)<Enter><Enter><Down>i");
    let details = app.details().expect("the popup");
    let value = snapshot.string_text(details.node).unwrap();
    let shown = screen(&mut app, 80, 24);
    assert!(shown.contains("Value ("), "{shown}");
    let first: String = value.chars().take(20).collect();
    assert!(
        shown.contains(&first) || value.chars().any(|c| c.is_control()),
        "{shown}"
    );
    press(&mut app, "<PgDn>");
    press(&mut app, "q");
}

#[test]
fn presets_filter_the_summary_in_the_background() {
    let mut app = pair();
    press(&mut app, "1");
    let all_rows = app.summaries()[app.summary_snapshot()].rows().len();
    // All → Objects allocated before base.heapsnapshot.gz → … between base and after.
    press(&mut app, "ff");
    settle(&mut app);
    let shown = screen(&mut app, 80, 24);
    assert!(shown.contains("Objects allocated between"), "{shown}");
    let snapshots = app.complete_snapshots().unwrap().to_vec();
    let (base, after) = (&snapshots[0], &snapshots[1]);
    let expected = after.summary_filtered(
        heaptui_present::presets::allocated(Some(base), after),
        &|_| {},
    );
    let table = &app.summaries()[app.summary_snapshot()];
    assert_eq!(table.rows().len(), expected.len());
    let total: u64 = table.rows().iter().map(|r| r.count).sum();
    assert_eq!(total, expected.iter().map(|r| r.count).sum::<u64>());
    assert!(table.rows().len() < all_rows);
    // Duplicated strings: the memory copies waste in the status bar.
    press(&mut app, "f");
    settle(&mut app);
    let shown = screen(&mut app, 100, 24);
    insta::assert_snapshot!("preset_duplicated_strings_100x24", shown);
    assert!(shown.contains("wasted by copies"), "{shown}");
    // F F F back to all objects: kept tables, no computing.
    press(&mut app, "FFF");
    assert!(!app.has_jobs());
    assert_eq!(
        app.summaries()[app.summary_snapshot()].rows().len(),
        all_rows
    );
    assert!(app.preset_label().is_none());
    // Presets belong to the Summary.
    press(&mut app, "2f");
    assert!(screen(&mut app, 80, 24).contains("presets filter the Summary"));
}

#[test]
fn ignoring_a_retainer_recomputes_the_path() {
    let mut app = pair();
    press(&mut app, "1/Incoming<Enter><Enter><Down><Tab>");
    let tree = app.retainers().unwrap();
    let object = tree.object;
    let first = tree.entry(tree.top()[0]).retainer.node;
    press(&mut app, "x");
    assert!(app.has_jobs());
    settle(&mut app);
    let tree = app.retainers().unwrap();
    assert!(tree.is_ignored(first));
    let snapshot = app.complete_snapshots().unwrap()[tree.snapshot].clone();
    let view = snapshot.ignore_retainers(&[first]);
    let expected: Vec<u32> = snapshot
        .auto_expanded_chain_ignoring(Some(&view), object)
        .iter()
        .map(|s| s.retainer.node)
        .collect();
    let path: Vec<u32> = tree
        .selected_path()
        .iter()
        .map(|&id| tree.entry(id).retainer.node)
        .collect();
    assert_eq!(
        path, expected,
        "the pane opens the path DevTools opens after the ignore"
    );
    let shown = screen(&mut app, 80, 24);
    insta::assert_snapshot!("retainer_ignored_80x24", shown);
    assert!(shown.contains("ignored"), "{shown}");
    assert_eq!(app.ignored_count(), 1);
    press(&mut app, "X");
    assert_eq!(app.ignored_count(), 0);
    assert!(!app.retainers().unwrap().is_ignored(first));
}

#[test]
fn help_has_a_page_of_the_object_views_keys() {
    let mut app = pair();
    press(&mut app, "??");
    let shown = screen(&mut app, 80, 24);
    insta::assert_snapshot!("help_views_80x24", shown);
    for (keys, _) in heaptui_tui::keys::VIEWS_HELP {
        assert!(shown.contains(keys), "help lists {keys}:\n{shown}");
    }
    press(&mut app, "j");
    assert_ne!(app.mode(), heaptui_tui::app::Mode::Help);
}

#[test]
fn hidden_edges_toggle() {
    let mut app = pair();
    press(&mut app, "5.");
    assert!(screen(&mut app, 80, 24).contains("the ones DevTools hides"));
    assert!(app.shows_hidden_edges());
    press(&mut app, ".");
    assert!(!app.shows_hidden_edges());
}

#[test]
fn object_views_wait_for_the_numbers() {
    let snapshots = [demo("base.heapsnapshot.gz"), demo("after.heapsnapshot.gz")];
    let partials = snapshots
        .iter()
        .map(|s| heaptui_engine::Partial::clone(s))
        .collect();
    let early = heaptui_tui::data::Early::new(partials).unwrap();
    let mut app = App::start(early, Theme { color: true });
    for key in ["5", "6", "7", "i"] {
        press(&mut app, key);
        assert!(
            screen(&mut app, 80, 24).contains("when every snapshot's numbers are in"),
            "{key}"
        );
    }
}

/// What each object view shows on tiny terminals: the 1×1 and 10×3 screens whole (the
/// title bar's first cells, the view's first line cut with `…`, the status bar), and on the
/// larger ones the title bar, the view's header and first row, and the status bar.
#[test]
fn tiny_terminals_never_panic_in_the_object_views() {
    type Screens = [(u16, u16, &'static [&'static str]); 4];
    let steps: [(&str, Screens); 5] = [
        (
            "5<Enter>",
            [
                (1, 1, &[""]),
                (10, 3, &[" heaptui", "Containme…", "  after.h…"]),
                (
                    30,
                    8,
                    &[
                        " heaptui  1 Summary  2 Compari",
                        "Containment · the heap from t…",
                        "▾ [1] :: (GC roots) @3",
                        " 37 rows · …  after.heapsnaps…",
                    ],
                ),
                (
                    80,
                    24,
                    &[
                        " heaptui  1 Summary  2 Comparison  5 Containment",
                        "Containment · the heap from the root        Distance Shallow Size  Retained Size",
                        "▾ [1] :: (GC roots) @3                             −          0 B    500 kB  12%",
                        " 37 rows · 4.3 MB total                                   after.heapsnapshot.gz",
                    ],
                ),
            ],
        ),
        (
            "6<Enter>",
            [
                (1, 1, &[""]),
                (10, 3, &[" heaptui", "Dominator…", "  after.h…"]),
                (
                    30,
                    8,
                    &[
                        " heaptui  1 Summary  2 Compari",
                        "Dominators · what the root ke…",
                        "▾ (GC roots) @3",
                        " 202 rows ·…  after.heapsnaps…",
                    ],
                ),
                (
                    80,
                    24,
                    &[
                        " heaptui  1 Summary  2 Comparison  6 Dominators",
                        "Dominators · what the root keeps alive      Distance Shallow Size  Retained Size",
                        "▾ (GC roots) @3                                    −          0 B    500 kB  12%",
                        " 202 rows · 4.3 MB total                                  after.heapsnapshot.gz",
                    ],
                ),
            ],
        ),
        (
            "7",
            [
                (1, 1, &[""]),
                (10, 3, &[" heaptui", " Statisti…", "  after.h…"]),
                (
                    30,
                    8,
                    &[
                        " heaptui  1 Summary  2 Compari",
                        " Statistics · the heap by cat…",
                        " Code                    1.6 M",
                        " total 4.3 …  after.heapsnaps…",
                    ],
                ),
                (
                    80,
                    24,
                    &[
                        " heaptui  1 Summary  2 Comparison  7 Statistics",
                        " Statistics · the heap by category",
                        " Code                    1.6 MB  37.3%  ██████████████▏",
                        " total 4.3 MB · b next snapshot                           after.heapsnapshot.gz",
                    ],
                ),
            ],
        ),
        (
            "1/Incoming<Enter><Enter><Down><Enter>",
            [
                (1, 1, &[""]),
                (10, 3, &[" heaptui", "  Constru…", "  after.h…"]),
                (
                    30,
                    8,
                    &[
                        " heaptui  1 Summary  2 Compari",
                        "  Constructor        Retained▼",
                        "▾ Incoming… ×205   157 kB   4%",
                        " 1 classes …  after.heapsnaps…",
                    ],
                ),
                (
                    80,
                    24,
                    &[
                        " heaptui  1 Summary  2 Comparison",
                        "  Constructor                             Distance  Shallow Size  Retained Size▼",
                        "▾ IncomingMessage ×205                           13       50.8 kB    157 kB   4%",
                        " 1 classes · 205 objects · 50.8 kB · filter “Incoming”    after.heapsnapshot.gz",
                    ],
                ),
            ],
        ),
        (
            "i",
            [
                (1, 1, &["┌"]),
                (10, 3, &["┌ Inco… ─┐", "│0–0 of 6│", "└────────┘"]),
                (
                    30,
                    8,
                    &[
                        " heaptui  1 Summary  2 Compari",
                        "  ┌ IncomingMess… ─────────┐d▼",
                        "▾ │type object · class Inco│4%",
                        " 1 classes …  after.heapsnaps…",
                    ],
                ),
                (
                    80,
                    24,
                    &[
                        " heaptui  1 Summary  2 Comparison",
                        "  ┌ IncomingMessage @95045 ──────────────────────────────────────────────────┐e▼",
                        "▾ │type object · class IncomingMessage · id @95045                           │4%",
                        " 1 classes · 205 objects · 50.8 kB · filter “Incoming”    after.heapsnapshot.gz",
                    ],
                ),
            ],
        ),
    ];
    let mut app = pair();
    for (keys, screens) in steps {
        press(&mut app, keys);
        for (w, h, expected) in screens {
            let shown = screen(&mut app, w, h);
            let lines: Vec<&str> = shown.lines().collect();
            assert_eq!(lines.len(), h as usize, "{keys} at {w}×{h}:\n{shown}");
            // Small screens are compared whole; larger ones by their first three lines and
            // their status bar.
            let checked: Vec<&str> = if expected.len() == h as usize {
                lines.clone()
            } else {
                let mut some = lines[..3].to_vec();
                some.push(lines[lines.len() - 1]);
                some
            };
            assert_eq!(checked.len(), expected.len(), "{keys} at {w}×{h}");
            for (line, want) in checked.iter().zip(expected.iter()) {
                assert!(
                    line.starts_with(want),
                    "{keys} at {w}×{h}: {line:?} should start with {want:?}:\n{shown}"
                );
            }
        }
    }
}

/// The leak fixture pair of one process (`tests/fixtures/leak-base`, `leak-after`): a server
/// caching every `IncomingMessage` in an array.
fn leak_pair() -> (App, [String; 2]) {
    let paths = ["leak-base", "leak-after"].map(crate::common::fixture);
    let load = |p: &PathBuf| Snapshot::load(p, Default::default(), &Progress::NONE).unwrap();
    let data = Data::new(paths.iter().map(load).collect()).unwrap();
    let names = paths.map(|p| p.display().to_string());
    (App::new(data, Theme { color: true }), names)
}

#[test]
fn key_4_on_a_pair_shows_its_suspects_and_the_comparison_names_the_first() {
    let (mut app, [base, after]) = leak_pair();
    press(&mut app, "4");
    assert_eq!(app.view(), heaptui_tui::app::View::Suspects);
    let shown = screen(&mut app, 120, 30);
    assert!(
        shown.contains("one interval: suspects from 2 snapshots"),
        "{shown}"
    );
    settle(&mut app);
    let cli = crate::common::json_of(&crate::common::heaptui(&[
        "suspects", &base, &after, "--json",
    ]));
    let first = &cli["suspects"][0]["holder"];
    let holder = format!("{} @{}", first["name"].as_str().unwrap(), first["id"]);
    let rows = &app.series().expect("the pair's suspects").suspects.rows;
    let suspects = rows.len();
    assert_eq!(suspects.min(10), cli["suspects"].as_array().unwrap().len());
    assert_eq!(u64::from(rows[0].holder.id), first["id"].as_u64().unwrap());
    let shown = screen(&mut app, 120, 30);
    assert!(line_with(&shown, " 1. ").contains(&holder), "{shown}");
    assert!(
        shown.contains("one interval: suspects from 2 snapshots"),
        "{shown}"
    );
    // The Comparison's status line names it, with what accumulates under it.
    press(&mut app, "2");
    let shown = screen(&mut app, 200, 30);
    let status = shown.lines().last().unwrap();
    let leading = &cli["suspects"][0]["accumulates"][0];
    let class = leading["className"].as_str().unwrap();
    // Named by the variable that keeps the holder (the first step of its path), first.
    let step = &cli["suspects"][0]["holderPath"][0];
    let kept_in = step["edgeName"].as_str().unwrap();
    assert!(
        matches!(step["edgeType"].as_str(), Some("context" | "property")),
        "{step}"
    );
    assert!(
        status.contains(&format!(" · {suspects} suspects (4): {kept_in} holds ")),
        "{status}"
    );
    assert!(status.contains(class), "{status}");
}

#[test]
fn w_on_a_comparison_class_lists_where_its_new_objects_are_held_as_heaptui_paths_does() {
    let (mut app, [base, after]) = leak_pair();
    let class = "(concatenated string)";
    press(&mut app, "2/concatenated<Enter>");
    assert_eq!(app.selected_class_name(), Some(class));
    press(&mut app, "w");
    assert_eq!(app.view(), heaptui_tui::app::View::Paths);
    settle(&mut app);
    let cli = crate::common::json_of(&crate::common::heaptui(&[
        "paths",
        &after,
        class,
        "--new-since",
        &base,
        "--json",
    ]));
    let paths = app.new_paths().unwrap();
    let ours = serde_json::to_value(&paths.shapes().unwrap().document).unwrap();
    assert!(
        cli["shapes"].as_u64().unwrap() > 1,
        "a class of several shapes"
    );
    for field in ["objects", "shapes", "more"] {
        assert_eq!(ours[field], cli[field], "{field}");
    }
    let counts = |doc: &serde_json::Value| -> Vec<(u64, serde_json::Value)> {
        doc["groups"]
            .as_array()
            .unwrap()
            .iter()
            .map(|g| (g["count"].as_u64().unwrap(), g["path"].clone()))
            .collect()
    };
    assert_eq!(counts(&ours), counts(&cli));
    // Drawn most common first, each with its count.
    let shown = screen(&mut app, 120, 30);
    let first = cli["groups"][0]["count"].as_u64().unwrap().to_string();
    assert!(
        shown
            .lines()
            .nth(2)
            .unwrap()
            .trim_start()
            .starts_with(&first),
        "{shown}"
    );
    // Enter opens an example of the first shape in the Comparison, its retainers below.
    press(&mut app, "<Enter>");
    assert_eq!(app.view(), heaptui_tui::app::View::Comparison);
    let selected = app.selected_instance().expect("the example selected");
    let snapshot = &app.complete_snapshots().unwrap()[1];
    let example = cli["groups"][0]["examples"][0].as_u64().unwrap();
    assert_eq!(u64::from(snapshot.node_id(selected.node)), example);
    assert_eq!(app.retainers().unwrap().object, selected.node);
    assert_eq!(app.focus(), heaptui_tui::app::Focus::Retainers);
}
