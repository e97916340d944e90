//! Render tests of the TUI on ratatui's test backend, on the real demo pair (a Node server
//! leaking `IncomingMessage`s): each view drawn after real key presses, compared with reviewed
//! insta snapshots in tests/snapshots/.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use heaptui_common::progress::Progress;
use heaptui_engine::Snapshot;
use heaptui_tui::app::{App, Flow};
use heaptui_tui::app::{ComparisonTable, Focus, Mode, View};
use heaptui_tui::data::Data;
use heaptui_tui::loader::{FileProgress, LoadProgress};
use heaptui_tui::retainers::{RetainerTree, MORE, PAGE};
use heaptui_tui::theme::Theme;
use heaptui_tui::ui;
use ratatui::backend::TestBackend;
use ratatui::buffer::Buffer;
use ratatui::style::{Color, Modifier};
use ratatui::Terminal;
use std::path::PathBuf;
use std::time::{Duration, Instant};

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

fn key(code: KeyCode) -> KeyEvent {
    KeyEvent::new(code, KeyModifiers::NONE)
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
        let mut event = key(code);
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

/// The buffer row holding `needle`, if any.
fn row_of(buffer: &Buffer, needle: &str) -> Option<u16> {
    text(buffer)
        .lines()
        .position(|l| l.contains(needle))
        .map(|y| y as u16)
}

#[test]
fn comparison_is_the_default_view_with_two_snapshots() {
    let mut app = pair();
    assert_eq!(app.view(), View::Comparison);
    insta::assert_snapshot!("comparison_default_80x24", screen(&mut app, 80, 24));
}

#[test]
fn summary_sorted_by_retained_size() {
    let mut app = pair();
    press(&mut app, "1");
    assert_eq!(app.view(), View::Summary);
    insta::assert_snapshot!("summary_by_retained_80x24", screen(&mut app, 80, 24));
}

#[test]
fn summary_filtered_fuzzily() {
    let mut app = pair();
    press(&mut app, "1/req<Enter>");
    assert!(
        (app.mode() != Mode::Filter),
        "Enter keeps the filter and returns to the table"
    );
    assert_eq!(app.pattern(), "req");
    insta::assert_snapshot!("summary_filter_req_80x24", screen(&mut app, 80, 24));
}

#[test]
fn filter_narrows_at_every_keystroke_and_esc_clears_it() {
    let mut app = pair();
    press(&mut app, "1");
    let all = app.summaries()[1].listed_classes();
    press(&mut app, "/I");
    let after_i = app.summaries()[1].listed_classes();
    press(&mut app, "ncomingM");
    let narrowed = app.summaries()[1].listed_classes();
    assert!((app.mode() == Mode::Filter));
    assert!(
        all > after_i && after_i > narrowed && narrowed >= 1,
        "{all} {after_i} {narrowed}"
    );
    let shown = screen(&mut app, 80, 24);
    assert!(
        shown.contains("/IncomingM▏"),
        "the prompt shows the pattern:\n{shown}"
    );
    press(&mut app, "<BS>");
    assert_eq!(app.pattern(), "Incoming");
    press(&mut app, "<Esc>");
    assert!((app.mode() != Mode::Filter));
    assert_eq!(app.pattern(), "");
    assert_eq!(app.summaries()[1].listed_classes(), all);
    // Esc in the table (nothing to collapse) clears a kept filter too.
    press(&mut app, "/Date<Enter><Esc>");
    assert_eq!(app.summaries()[1].listed_classes(), all);
}

#[test]
fn filter_matches_are_highlighted() {
    let mut app = pair();
    press(&mut app, "1/Incoming<Enter>");
    let buffer = draw(&mut app, 80, 24);
    let y = row_of(&buffer, "IncomingMessage ×").expect("class row");
    let line = text(&buffer).lines().nth(y as usize).unwrap().to_string();
    let x = line[..line.find("IncomingMessage").unwrap()]
        .chars()
        .count() as u16;
    for dx in 0..8 {
        assert_eq!(buffer[(x + dx, y)].fg, Color::Yellow, "matched char {dx}");
    }
    // The first unmatched char is not highlighted ('M'); the selected row keeps its own colors.
    assert_ne!(buffer[(x + 8, y)].fg, Color::Yellow);
}

#[test]
fn class_expanded_with_instances() {
    let mut app = pair();
    press(&mut app, "1/Incoming<Enter><Enter><Down>");
    let selected = app.selected_instance().expect("an object is selected");
    let s = &app.snapshots()[selected.snapshot()];
    assert_eq!(s.class_name(selected.node), "IncomingMessage");
    insta::assert_snapshot!("summary_class_expanded_80x24", screen(&mut app, 80, 24));
}

#[test]
fn details_show_a_string_value_and_a_function_location() {
    let mut app = pair();
    press(&mut app, "1/Function<Enter><Enter><Down>");
    let shown = screen(&mut app, 160, 40);
    let details = shown
        .lines()
        .find(|l| l.contains("· closure ·"))
        .unwrap_or_else(|| panic!("a closure's details line:\n{shown}"));
    let at = details.split(" · at ").nth(1).expect("a location");
    let parts: Vec<&str> = at.split(" · ").next().unwrap().rsplitn(3, ':').collect();
    assert!(
        parts.len() == 3 && parts[0].parse::<u32>().is_ok() && parts[1].parse::<u32>().is_ok(),
        "script:line:column in {details}"
    );
    press(&mut app, "<Esc><Esc>/(string)<Enter><Enter><Down>");
    let shown = screen(&mut app, 160, 40);
    let details = shown
        .lines()
        .find(|l| l.contains("· string ·"))
        .unwrap_or_else(|| panic!("a string's details line:\n{shown}"));
    assert!(details.starts_with('"'), "the value, quoted: {details}");
}

#[test]
fn comparison_instances_are_marked_new_and_deleted() {
    let mut app = pair();
    press(&mut app, "/object shape<Enter>");
    let table = by_id(&app);
    let Some(heaptui_tui::table::Row::Class { row, .. }) = table.selected() else {
        panic!("a class row is selected")
    };
    let class = &table.rows()[row];
    assert_eq!(class.name, "(object shape)");
    assert!(!class.added.is_empty() && !class.removed.is_empty());
    press(&mut app, "<Enter>");
    let shown = screen(&mut app, 100, 30);
    insta::assert_snapshot!("comparison_class_expanded_100x30", shown);
    assert!(
        shown.contains("  + (object shape)") || shown.contains("  + "),
        "{shown}"
    );
    // New objects first (from the after snapshot), then deleted ones (from the base).
    press(&mut app, "G");
    let last = app.selected_instance().unwrap();
    assert_eq!(
        last.snapshot(),
        0,
        "the last object is a deleted one, from the base"
    );
    let shown = screen(&mut app, 100, 30);
    assert!(shown.contains("  − "), "{shown}");
}

#[test]
fn retainer_tree_opened_to_the_gc_roots() {
    let mut app = pair();
    press(&mut app, "1/Incoming<Enter><Enter><Down><Tab>");
    assert_eq!(app.focus(), Focus::Retainers);
    press(&mut app, "p");
    let tree = app.retainers().unwrap();
    let deepest = tree.entry(tree.selected().unwrap());
    assert_eq!(deepest.retainer.distance, 1, "stops at distance 1");
    let big = screen(&mut app, 120, 40);
    assert!(big.contains("->cache in system / Context"), "{big}");
    assert!(big.contains("clearImmediate in global"), "{big}");
    assert!(
        big.contains("↻ cycle"),
        "a retainer already on the path is marked: {big}"
    );
    insta::assert_snapshot!("retainers_path_to_roots_120x40", big);
    insta::assert_snapshot!("retainers_path_to_roots_80x24", screen(&mut app, 80, 24));
}

#[test]
fn path_to_roots_matches_the_library_chain() {
    let mut app = pair();
    press(&mut app, "1/Incoming<Enter><Enter><Down>p");
    let tree = app.retainers().unwrap();
    let snapshot = &app.complete_snapshots().unwrap()[tree.snapshot];
    let chain = snapshot.auto_expanded_chain(tree.object);
    let path: Vec<u32> = tree
        .selected_path()
        .iter()
        .map(|&id| tree.entry(id).retainer.node)
        .collect();
    let expected: Vec<u32> = chain.iter().map(|step| step.retainer.node).collect();
    assert_eq!(
        path, expected,
        "p opens what DevTools opens (the chain is under 20 levels)"
    );
}

#[test]
fn retainers_load_lazily_and_cycles_do_not_open() {
    let mut app = pair();
    press(&mut app, "1/Incoming<Enter><Enter><Down>");
    let tree = app.retainers().unwrap();
    assert!(tree
        .top()
        .iter()
        .all(|&id| tree.entry(id).children.is_none()));
    press(&mut app, "<Tab>p");
    // Walk down to the cycle row under `clearImmediate in global` and try to open it.
    let tree = app.retainers().unwrap();
    let cycle = tree
        .visible()
        .into_iter()
        .position(|p| {
            p.last()
                .is_some_and(|&id| id != MORE && tree.entry(id).cycled)
        })
        .expect("a cycle row");
    let at = tree
        .visible()
        .iter()
        .position(|p| p.as_slice() == tree.selected_path().as_slice())
        .unwrap();
    press(&mut app, &"<Down>".repeat(cycle - at));
    let tree = app.retainers().unwrap();
    let id = tree.selected().unwrap();
    assert!(tree.entry(id).cycled);
    press(&mut app, "<Enter>");
    assert!(app.message().is_some(), "opening a cycle says why not");
    let tree = app.retainers().unwrap();
    assert!(
        tree.entry(id).children.is_none(),
        "a cycle is never expanded"
    );
}

#[test]
fn retainers_are_listed_a_page_at_a_time() {
    let app = pair();
    let snapshot = &app.complete_snapshots().unwrap()[1];
    // An object shape shared by many objects has hundreds of retainers.
    let summary = snapshot.summary();
    let shapes = summary.iter().find(|r| r.name == "(object shape)").unwrap();
    let node = *shapes
        .nodes
        .iter()
        .find(|&&n| snapshot.retainers(n).len() > 2 * PAGE)
        .expect("a widely shared object");
    let total = snapshot.retainers(node).len();
    let mut tree = RetainerTree::new(1, snapshot, node);
    let visible = tree.visible();
    assert_eq!(visible.len(), PAGE + 1);
    assert_eq!(visible[PAGE], vec![MORE]);
    tree.apply(heaptui_tui::cursor::Move::Bottom, 1);
    assert!(
        tree.expand(snapshot),
        "Enter on the more row lists the next page"
    );
    assert_eq!(tree.visible().len(), (2 * PAGE).min(total) + 1);
    assert_eq!(
        tree.selected_path().as_slice(),
        tree.visible()[PAGE].as_slice()
    );
}

#[test]
fn help_popup_lists_every_key() {
    let mut app = pair();
    press(&mut app, "?");
    let shown = screen(&mut app, 80, 24);
    for (keys, _) in heaptui_tui::keys::HELP {
        assert!(shown.contains(keys), "help lists {keys}:\n{shown}");
    }
    insta::assert_snapshot!("help_80x24", shown);
    press(&mut app, "j");
    assert!((app.mode() != Mode::Help), "any key closes the help");
}

#[test]
fn sorting_cycles_columns_and_reverses() {
    let mut app = pair();
    // Comparison: Alloc. Size → Freed Size → Size Delta → Constructor → # New → # Deleted → # Delta.
    press(&mut app, "ssssss");
    let table = by_id(&app);
    assert_eq!(
        table.sort(),
        (heaptui_present::sort::ComparisonSort::Delta, false)
    );
    assert_eq!(table.rows()[0].name, "(string)", "largest # Delta first");
    insta::assert_snapshot!("comparison_by_delta_80x24", screen(&mut app, 80, 24));
    press(&mut app, "S");
    let table = by_id(&app);
    assert!(table.rows()[0].count_delta() <= table.rows()[1].count_delta());
    assert!(screen(&mut app, 80, 24).contains("# Delta▲"));
}

#[test]
fn sorting_keeps_the_selection_and_expanded_classes() {
    let mut app = pair();
    press(&mut app, "1/Incoming<Enter><Enter><Down><Down><Esc>");
    assert_eq!(
        app.pattern(),
        "Incoming",
        "the first Esc collapsed, the filter stays"
    );
    assert!(!app.summaries()[1].is_expanded(0) && app.summaries()[1].cursor() == 0);
    press(&mut app, "<Esc>");
    assert_eq!(app.pattern(), "", "the second Esc cleared the filter");
    press(&mut app, "<Down>");
    let name = |app: &App| match app.summaries()[1].selected() {
        Some(heaptui_tui::table::Row::Class { row, .. }) => {
            app.summaries()[1].rows()[row].name.clone()
        }
        other => panic!("{other:?}"),
    };
    let before = name(&app);
    press(&mut app, "s");
    assert_eq!(name(&app), before, "the selection follows its class");
    // An expanded class stays expanded, with the cursor on the same object.
    press(&mut app, "/Incoming<Enter><Enter><Down><Down>");
    let object = app.selected_instance();
    assert!(object.is_some());
    press(&mut app, "s");
    assert_eq!(app.selected_instance(), object);
    press(&mut app, "S");
    assert_eq!(app.selected_instance(), object);
    press(&mut app, "/<Esc>");
    assert_eq!(
        app.selected_instance(),
        object,
        "clearing the filter keeps it too"
    );
}

#[test]
fn summary_switches_between_snapshots() {
    let mut app = pair();
    press(&mut app, "1");
    assert_eq!(app.summary_snapshot(), 1, "the after snapshot by default");
    press(&mut app, "b");
    assert_eq!(app.summary_snapshot(), 0);
    let shown = screen(&mut app, 80, 24);
    assert!(shown.contains("base.heapsnapshot.gz"), "{shown}");
    assert!(
        !shown.contains("IncomingMessage ×205"),
        "the base has no leak yet"
    );
    // The filter and the sort go along, so the same classes can be compared.
    press(&mut app, "b/Session<Enter>sS");
    assert!(screen(&mut app, 80, 24).contains("SessionKey ×54"));
    press(&mut app, "b");
    assert_eq!(app.summary_snapshot(), 0);
    assert_eq!(app.pattern(), "Session");
    assert_eq!(app.summaries()[0].sort(), app.summaries()[1].sort());
    let shown = screen(&mut app, 80, 24);
    assert!(
        shown.contains("SessionKey ×4") && shown.contains("Constructor ▼"),
        "{shown}"
    );
}

#[test]
fn one_snapshot_opens_summary_and_refuses_comparison() {
    let data = Data::new(vec![demo("after.heapsnapshot.gz")]).unwrap();
    let mut app = App::new(data, Theme { color: true });
    assert_eq!(app.view(), View::Summary);
    press(&mut app, "2");
    assert_eq!(app.view(), View::Summary);
    let shown = screen(&mut app, 80, 24);
    assert!(shown.contains("Comparison needs two snapshots"), "{shown}");
    press(&mut app, "<Tab>");
    assert!(app.message().unwrap().contains("select an object"));
}

#[test]
fn navigation_keys_move_through_the_virtual_list() {
    let mut app = pair();
    press(&mut app, "1");
    draw(&mut app, 80, 24);
    press(&mut app, "G");
    let last = app.summaries()[1].cursor();
    assert_eq!(last + 1, app.summaries()[1].len());
    press(&mut app, "g<PgDn>");
    let page = app.pages().table;
    assert_eq!(app.summaries()[1].cursor(), page);
    press(&mut app, "<PgUp>jjk");
    assert_eq!(app.summaries()[1].cursor(), 1);
    assert_eq!(press(&mut app, "q"), Flow::Quit);
}

#[test]
fn no_color_uses_only_bold_and_reverse() {
    let data = Data::new(vec![
        demo("base.heapsnapshot.gz"),
        demo("after.heapsnapshot.gz"),
    ])
    .unwrap();
    let mut app = App::new(data, Theme { color: false });
    press(&mut app, "1/Incoming<Enter><Enter><Down><Tab>p");
    for buffer in [draw(&mut app, 80, 24), {
        press(&mut app, "?");
        draw(&mut app, 80, 24)
    }] {
        for cell in buffer.content() {
            assert_eq!((cell.fg, cell.bg), (Color::Reset, Color::Reset), "{cell:?}");
        }
    }
    press(&mut app, "<Esc>");
    let buffer = draw(&mut app, 80, 24);
    let y = row_of(&buffer, "clearImmediate in").unwrap();
    assert!(
        buffer[(10, y)].modifier.contains(Modifier::REVERSED),
        "selection is reversed"
    );
    // With colors, the selection has a background color.
    let mut colored = pair();
    press(&mut colored, "1");
    let buffer = draw(&mut colored, 80, 24);
    assert_ne!(buffer[(5, 2)].bg, Color::Reset);
}

#[test]
fn tiny_terminals_never_panic() {
    let mut app = pair();
    let steps = [
        "",
        "1",
        "/In",
        "<Enter><Enter><Down>",
        "<Tab>p",
        "?",
        "<Esc>2",
    ];
    for step in steps {
        press(&mut app, step);
        for width in 0..=24 {
            for height in 0..=8 {
                draw(&mut app, width, height);
            }
        }
        draw(&mut app, 1, 1);
        draw(&mut app, 10, 3);
        draw(&mut app, 300, 100);
    }
    let mut app = pair();
    press(&mut app, "1/Incoming<Enter><Enter><Down><Tab>p");
    insta::assert_snapshot!("retainers_tiny_30x8", screen(&mut app, 30, 8));
    insta::assert_snapshot!("summary_tiny_10x3", {
        press(&mut app, "<Tab>");
        screen(&mut app, 10, 3)
    });
}

#[test]
fn loading_screen_shows_a_bar_and_phase_per_file() {
    let progress = LoadProgress {
        files: vec![
            FileProgress {
                label: "base.heapsnapshot.gz".into(),
                phase: "Parsing edges".into(),
                fraction: 0.5,
            },
            FileProgress {
                label: "evil\x1b[2J.heapsnapshot".into(),
                phase: "Retained sizes".into(),
                fraction: 0.98,
            },
        ],
        stage: None,
        complete: 0,
    };
    let mut terminal = Terminal::new(TestBackend::new(80, 24)).unwrap();
    let theme = Theme { color: true };
    terminal
        .draw(|f| ui::loading::render(f, &progress, &theme))
        .unwrap();
    let shown = text(terminal.backend().buffer());
    assert!(
        shown.contains("evil\\x1b[2J"),
        "file names are sanitised: {shown}"
    );
    insta::assert_snapshot!("loading_80x24", shown);
    for (w, h) in [(1, 1), (10, 3), (0, 0), (20, 5)] {
        let mut t = Terminal::new(TestBackend::new(w, h)).unwrap();
        t.draw(|f| ui::loading::render(f, &progress, &theme))
            .unwrap();
    }
}

/// A minimal snapshot: the root retains `objects` objects of class `class` (element edges),
/// one more object through an edge named `edge`, and a string `string`.
fn synthetic(class: &str, objects: usize, edge: &str, string: &str) -> PathBuf {
    use std::fmt::Write;
    let strings = ["", class, edge, string, "Holder"];
    let n = objects + 3;
    let mut nodes = String::new();
    let mut edges = String::new();
    // Root: synthetic (9), edges to every object, the holder and the string.
    write!(nodes, "9,0,1,0,{},0,0", objects + 2).unwrap();
    for i in 0..objects {
        write!(nodes, ",3,1,{},32,0,0,0", 3 + 2 * i).unwrap();
        write!(
            edges,
            "{}1,{},{}",
            if i == 0 { "" } else { "," },
            i,
            7 * (i + 1)
        )
        .unwrap();
    }
    // The holder (class "Holder") holds the string through the edge named `edge`.
    write!(nodes, ",3,4,{},40,1,0,0", 3 + 2 * objects).unwrap();
    write!(
        nodes,
        ",2,3,{},{},0,0,0",
        5 + 2 * objects,
        16 + string.len()
    )
    .unwrap();
    let sep = if objects == 0 { "" } else { "," };
    write!(
        edges,
        "{sep}2,4,{},1,{},{}",
        7 * (objects + 1),
        objects,
        7 * (objects + 2)
    )
    .unwrap();
    write!(edges, ",2,2,{}", 7 * (objects + 2)).unwrap();
    let json = format!(
        r#"{{"snapshot":{{"meta":{{"node_fields":["type","name","id","self_size","edge_count","trace_node_id","detachedness"],"node_types":[["hidden","array","string","object","code","closure","regexp","number","native","synthetic","concatenated string","sliced string","symbol","bigint","object shape"],"string","number","number","number","number","number"],"edge_fields":["type","name_or_index","to_node"],"edge_types":[["context","element","property","internal","hidden","shortcut","weak"],"string_or_number","node"],"location_fields":["object_index","script_id","line","column"]}},"node_count":{n},"edge_count":{},"trace_function_count":0}},"nodes":[{nodes}],"edges":[{edges}],"locations":[],"strings":{}}}"#,
        objects + 3,
        serde_json::to_string(&strings).unwrap()
    );
    let dir = std::env::temp_dir().join(format!("heaptui-tui-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    crate::common::remove_at_exit(&dir);
    let path = dir.join(format!("synthetic-{objects}.heapsnapshot"));
    std::fs::write(&path, json).unwrap();
    path
}

#[test]
fn heap_strings_cannot_reach_the_terminal_unescaped() {
    let evil_class = "Evil\x1b[31mClass\u{202e}";
    let path = synthetic(
        evil_class,
        2,
        "edge\x1b]0;pwned\x07",
        "value\x1b[2J\u{9b}1m",
    );
    let snapshot = Snapshot::load(&path, Default::default(), &Progress::NONE).unwrap();
    let mut app = App::new(Data::new(vec![snapshot]).unwrap(), Theme { color: true });
    let mut screens = vec![screen(&mut app, 100, 30)];
    // Expand the string class and select the string: its value and its retainer edge show.
    press(&mut app, "/string<Enter><Enter><Down>");
    screens.push(screen(&mut app, 100, 30));
    press(&mut app, "<Esc><Esc>/Evil<Enter><Enter><Down>");
    screens.push(screen(&mut app, 100, 30));
    let all = screens.join("\n");
    for bad in ['\x1b', '\u{202e}', '\u{9b}', '\x07'] {
        assert!(!all.contains(bad), "{bad:?} reached the screen:\n{all}");
    }
    assert!(all.contains("Evil\\x1b[31mClass\\u{202e}"), "{all}");
    assert!(all.contains("value\\x1b[2J\\x9b1m"), "{all}");
    assert!(all.contains("edge\\x1b]0;pwned\\x07"), "{all}");
}

#[test]
fn a_million_objects_scroll_without_building_rows() {
    let path = synthetic("Leak", 1_000_000, "holder", "s");
    let snapshot = Snapshot::load(&path, Default::default(), &Progress::NONE).unwrap();
    let mut app = App::new(Data::new(vec![snapshot]).unwrap(), Theme { color: true });
    press(&mut app, "/Leak<Enter>");
    let t = Instant::now();
    press(&mut app, "<Enter>");
    draw(&mut app, 80, 24);
    let expand = t.elapsed();
    assert_eq!(app.summaries()[0].len(), 1_000_001);
    let t = Instant::now();
    for keys in [
        "G", "<PgUp>", "k", "g", "<PgDn>", "j", "G", "<Up>", "/<BS>", "k<Enter>",
    ] {
        press(&mut app, keys);
        draw(&mut app, 80, 24);
    }
    let keys = t.elapsed();
    // Each key is O(rows on screen); building a row per object would take seconds here.
    assert!(keys < Duration::from_millis(500), "10 keys took {keys:?}");
    assert!(expand < Duration::from_secs(5), "expanding took {expand:?}");
    let shown = screen(&mut app, 80, 24);
    assert!(shown.contains("Leak @"), "{shown}");
}

fn fixture(name: &str) -> Snapshot {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(format!("{name}.heapsnapshot.gz"));
    Snapshot::load(&path, Default::default(), &Progress::NONE).unwrap()
}

fn fixtures(names: &[&str]) -> App {
    let data = Data::new(names.iter().map(|n| fixture(n)).collect()).unwrap();
    App::new(data, Theme { color: true })
}

#[test]
fn different_processes_compare_by_class() {
    let mut app = fixtures(&["leak-base", "rerun-after"]);
    assert_eq!(app.view(), View::Comparison);
    assert!(
        !matches!(app.comparison().unwrap().table, ComparisonTable::ById(_)),
        "no id-matched table"
    );
    let ComparisonTable::ByClass(table) = &app.comparison().unwrap().table else {
        panic!("a class-matched table")
    };
    assert!(table.rows().iter().any(|r| r.name == "IncomingMessage"));
    assert!(app.message().unwrap().contains("matched by class only"));
    insta::assert_snapshot!("comparison_by_class_100x24", screen(&mut app, 100, 24));
    // The status line keeps saying it after the message is gone.
    press(&mut app, "j");
    assert!(screen(&mut app, 100, 24).contains("matched by class ·"));
    // A class lists no objects (ids are unrelated), so there are no retainers to open.
    press(&mut app, "/IncomingMessage<Enter><Enter>j");
    assert!(app.selected_instance().is_none());
    // 2 shows the note again.
    press(&mut app, "12");
    assert!(screen(&mut app, 100, 24).contains("different processes"));
}

#[test]
fn one_process_compares_by_id() {
    let mut app = fixtures(&["leak-base", "leak-after"]);
    assert!(matches!(
        app.comparison().unwrap().table,
        ComparisonTable::ById(_)
    ));
    assert!(app.message().is_none(), "nothing to warn about");
    let shown = screen(&mut app, 100, 24);
    assert!(
        shown.contains("# New") && !shown.contains("matched by class"),
        "{shown}"
    );
}

#[test]
fn three_snapshots_open_suspects_and_trend() {
    let mut app = fixtures(&["leak-base", "leak-after", "leak-final"]);
    assert_eq!(app.view(), View::Suspects);
    let suspects = &app.series().unwrap().suspects;
    assert_eq!(
        suspects.rows[0].leading().unwrap().class_name,
        "IncomingMessage"
    );
    let shown = screen(&mut app, 120, 30);
    assert!(shown.contains(" 1. Array @"), "{shown}");
    assert!(shown.contains("->cache in system / Context"), "{shown}");
    assert!(shown.contains("leak-series.cjs:98:34"), "{shown}");
    insta::assert_snapshot!("suspects_120x30", shown);
    // At 80x24 the selected suspect keeps its holder, growth, path and code.
    let shown = screen(&mut app, 80, 24);
    assert!(shown.contains("400 IncomingMessage (+200 +200)"), "{shown}");
    assert!(shown.contains("code to look at:"), "{shown}");
    insta::assert_snapshot!("suspects_80x24", shown);
    press(&mut app, "3");
    assert_eq!(app.view(), View::Trend);
    let trend = &app.series().unwrap().trend;
    assert!(trend.rows[0].grew_every_interval());
    insta::assert_snapshot!("trend_100x24", screen(&mut app, 100, 24));
    // Moving works; table keys are refused with a hint; Comparison is first → last.
    press(&mut app, "jj");
    assert_eq!(app.series().unwrap().trend.cursor(), 2);
    press(&mut app, "/");
    assert!((app.mode() != Mode::Filter));
    assert!(app.message().is_some());
    press(&mut app, "2");
    assert_eq!(app.view(), View::Comparison);
    let shown = screen(&mut app, 120, 30);
    assert!(
        shown.contains("leak-base.heapsnapshot.gz → leak-final"),
        "{shown}"
    );
    // b cycles through the three Summaries.
    press(&mut app, "1");
    assert_eq!(app.summary_snapshot(), 2);
    press(&mut app, "b");
    assert_eq!(app.summary_snapshot(), 0);
    press(&mut app, "bb");
    assert_eq!(app.summary_snapshot(), 2);
}

#[test]
fn enter_on_a_suspect_opens_its_holder_with_its_retainers() {
    let mut app = fixtures(&["leak-base", "leak-after", "leak-final"]);
    let holder = app.series().unwrap().suspects.rows[0].holder.node;
    press(&mut app, "<Enter>");
    assert_eq!(app.view(), View::Summary);
    assert_eq!(app.summary_snapshot(), 2, "the last snapshot's Summary");
    assert_eq!(app.selected_instance().map(|i| i.node), Some(holder));
    let tree = app.retainers().expect("the retainer pane");
    assert_eq!((tree.snapshot, tree.object), (2, holder));
    assert_eq!(app.focus(), Focus::Retainers);
    assert!(
        app.message().unwrap().contains("Array @"),
        "{:?}",
        app.message()
    );
    let shown = screen(&mut app, 100, 30);
    assert!(
        shown.contains("cache"),
        "the pane shows what holds it: {shown}"
    );
    // Back in Suspects, the second suspect opens its own holder; a filter hiding its class is
    // cleared on the way.
    press(&mut app, "<Esc>/Map<Enter>4j<Enter>");
    let second = &app.series().unwrap().suspects.rows[1];
    assert_eq!(
        app.selected_instance().map(|i| i.node),
        Some(second.holder.node)
    );
    assert_eq!(app.pattern(), "");
}

/// The folder picker on the demo folder, drawn at every small size and after its keys.
#[test]
fn folder_picker_draws_at_any_size() {
    use heaptui_tui::folder;
    use heaptui_tui::picker::Picker;
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("assets/demo");
    let entries = folder::scan(&dir).unwrap();
    let mut picker = Picker::new(dir, entries, Theme { color: true });
    let draw_picker = |picker: &Picker, width, height| {
        let mut terminal = Terminal::new(TestBackend::new(width, height)).unwrap();
        terminal.draw(|f| ui::picker::render(picker, f)).unwrap();
        text(terminal.backend().buffer())
    };
    for keys in [&[][..], &[KeyCode::Char(' ')], &[KeyCode::Char('?')]] {
        for code in keys {
            picker.update(key(*code));
        }
        for width in 0..=24 {
            for height in 0..=8 {
                draw_picker(&picker, width, height);
            }
        }
        draw_picker(&picker, 300, 100);
    }
    picker.update(key(KeyCode::Esc));
    let screen = draw_picker(&picker, 120, 10);
    assert!(
        screen.contains("no pid in the name · 2 snapshots"),
        "{screen}"
    );
    assert!(screen.contains("1 marked · Enter opens it"), "{screen}");
}

/// The id-matched Comparison table of `app`.
fn by_id(app: &App) -> &heaptui_tui::table::ClassTable<heaptui_engine::ClassDiff> {
    match &app.comparison().expect("a Comparison").table {
        ComparisonTable::ById(table) => table,
        ComparisonTable::ByClass(_) => panic!("an id-matched table"),
    }
}

#[test]
fn comparison_works_before_the_numbers_land_and_keeps_its_state_when_they_do() {
    use heaptui_tui::app::Pending;
    use heaptui_tui::data::{Early, Numbers, Orders};
    let snapshots = vec![demo("base.heapsnapshot.gz"), demo("after.heapsnapshot.gz")];
    let partials = snapshots.iter().map(|s| (**s).clone()).collect();
    let early = Early::new(partials).unwrap();
    let id_rows = match early.comparison.as_ref().map(|c| &c.rows) {
        Some(heaptui_engine::ComparisonRows::ById(rows)) => Some(rows.clone()),
        _ => None,
    };
    let mut app = App::start(early, Theme { color: true });
    assert_eq!(
        (app.view(), app.pending()),
        (View::Comparison, Pending::Numbers)
    );
    // Sort by # Delta, filter, expand the class and select an object: all before any
    // retained size exists.
    press(&mut app, "ssssss/Incoming<Enter><Enter><Down>");
    let table = by_id(&app);
    assert_eq!(
        table.sort(),
        (heaptui_present::sort::ComparisonSort::Delta, false)
    );
    assert_eq!(table.listed_classes(), 1);
    let selected = app.selected_instance().expect("an object row");
    let shown = screen(&mut app, 80, 24);
    assert!(shown.contains("+ IncomingMe"), "{shown}");
    assert!(shown.contains("fills in when they are done"), "{shown}");
    // The Summary shows counts and shallow sizes, the rest pending.
    press(&mut app, "1");
    let summary = screen(&mut app, 80, 24);
    assert!(summary.contains('…'), "{summary}");
    press(&mut app, "2");

    let numbers = Numbers::new(snapshots);
    let orders = Orders::new(&numbers.snapshots, &numbers.summaries, id_rows.as_deref());
    app.complete(numbers);
    app.order(orders);
    assert_eq!(app.pending(), Pending::Nothing);
    let table = by_id(&app);
    assert_eq!(
        table.sort(),
        (heaptui_present::sort::ComparisonSort::Delta, false)
    );
    assert_eq!(table.listed_classes(), 1, "the filter stays");
    assert_eq!(
        app.selected_instance(),
        Some(selected),
        "the selection stays"
    );
    assert!(app.retainers().is_some(), "the retainer pane fills in");
    press(&mut app, "1");
    let summary = screen(&mut app, 80, 24);
    assert!(!summary.contains('…'), "{summary}");
}

#[test]
fn d_and_r_sort_by_delta_and_retained_with_one_key_and_the_marker_sits_on_its_column() {
    use heaptui_present::sort::{ComparisonSort, SummarySort};
    let mut app = pair();
    press(&mut app, "d");
    assert_eq!(by_id(&app).sort(), (ComparisonSort::Delta, false));
    assert_eq!(
        by_id(&app).rows()[0].name,
        "(string)",
        "largest # Delta first"
    );
    let shown = screen(&mut app, 80, 24);
    let header = shown.lines().nth(1).unwrap();
    assert!(header.contains("# Delta▼"), "{header}");
    assert_eq!(header.matches(['▼', '▲']).count(), 1, "{header}");
    press(&mut app, "d");
    assert_eq!(
        by_id(&app).sort(),
        (ComparisonSort::Delta, true),
        "again reverses"
    );
    // At 80 columns the class names are not cut while the numbers are short.
    assert!(shown.contains("IncomingMessage "), "{shown}");
    press(&mut app, "r");
    assert!(
        app.message().unwrap().contains("Summary"),
        "r is the Summary's"
    );

    press(&mut app, "1s");
    assert_eq!(app.summaries()[1].sort().0, SummarySort::Name);
    press(&mut app, "r");
    assert_eq!(app.summaries()[1].sort(), (SummarySort::Retained, false));
    let header = screen(&mut app, 80, 24).lines().nth(1).unwrap().to_string();
    assert!(header.trim_end().ends_with("Retained Size▼"), "{header}");
    press(&mut app, "r");
    assert_eq!(app.summaries()[1].sort(), (SummarySort::Retained, true));
    assert!(screen(&mut app, 80, 24).contains("Retained Size▲"));
}

#[test]
fn a_selected_class_is_named_in_full_above_the_retainers() {
    let mut app = pair();
    press(&mut app, "1/{ModuleWrap<Enter>");
    let shown = screen(&mut app, 80, 24);
    let table_row = shown.lines().nth(2).unwrap();
    assert!(table_row.contains('…'), "cut in the table: {table_row}");
    assert!(
        shown.contains("{ModuleWrap, setImportModuleDynamicallyCallback"),
        "{shown}"
    );
}
