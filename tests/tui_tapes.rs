//! Replays every VHS tape in assets/tapes against the built binary, so the demo recordings
//! cannot rot: `Type "heaptui …"` + `Enter` starts the binary in a pseudo-terminal (in the
//! repository root, the tape's working directory), keys and text are typed into it, and after
//! every step the program must still run and show something. A `# expect: TEXT` comment
//! waits for TEXT on the screen. The tape must end with the program exiting 0.

use crate::tui_harness;

use std::path::Path;
use std::time::Duration;
use tui_harness::{key_bytes, Pty};

/// Per-character delay when typing (keys arrive as separate events, as in a recording).
const TYPING: Duration = Duration::from_millis(20);
/// Sleeps are honoured up to this long; expectations wait on their own. A recording honours
/// them whole, for its pace.
const MAX_SLEEP: Duration = Duration::from_secs(2);
/// Set to a folder, the replays also write each tape's recording there as `NAME.cast`
/// (scripts/record-demo.sh).
const RECORD_ENV: &str = "HEAPTUI_RECORD";
/// Where the recordings kept in the repository live.
const RECORDINGS: &str = "assets/recordings";

/// The terminal VHS would give this tape: font cells of about 0.6 × 1.2 font sizes.
#[derive(Debug)]
struct Geometry {
    width: f64,
    height: f64,
    font_size: f64,
    padding: f64,
}

impl Geometry {
    fn size(&self) -> (u16, u16) {
        let cols = (self.width - 2.0 * self.padding) / (0.6 * self.font_size);
        let rows = (self.height - 2.0 * self.padding) / (1.2 * self.font_size);
        ((cols as u16).max(80), (rows as u16).max(24))
    }
}

/// One tape command.
#[derive(Debug, PartialEq)]
enum Step {
    /// Text typed (`Type`).
    Type(String),
    /// A key pressed `count` times.
    Key(&'static [u8], usize),
    /// A pause.
    Sleep(Duration),
    /// `# expect: TEXT`.
    Expect(String),
    /// Settings, output and visibility commands: nothing to replay.
    Nothing,
}

/// `"text"`, `'text'` or `` `text` `` → text.
fn quoted(s: &str) -> Result<String, String> {
    let s = s.trim();
    let first = s.chars().next().ok_or("missing text")?;
    if !matches!(first, '"' | '\'' | '`') || !s.ends_with(first) || s.len() < 2 {
        return Err(format!("expected quoted text, got {s}"));
    }
    Ok(s[1..s.len() - 1].to_string())
}

fn duration(s: &str) -> Result<Duration, String> {
    let s = s.trim();
    let (number, scale) = if let Some(ms) = s.strip_suffix("ms") {
        (ms, 0.001)
    } else if let Some(secs) = s.strip_suffix('s') {
        (secs, 1.0)
    } else {
        (s, 1.0)
    };
    let n: f64 = number.parse().map_err(|_| format!("bad duration {s}"))?;
    Ok(Duration::from_secs_f64(n * scale))
}

/// Parses one line; `geometry` collects the `Set` commands that size the terminal.
fn parse(line: &str, geometry: &mut Geometry) -> Result<Step, String> {
    let line = line.trim();
    if let Some(text) = line.strip_prefix("# expect:") {
        return Ok(Step::Expect(text.trim().to_string()));
    }
    if line.is_empty() || line.starts_with('#') {
        return Ok(Step::Nothing);
    }
    let (command, rest) = line.split_once(' ').unwrap_or((line, ""));
    // `Type@100ms`, `Down@50ms 3`: the speed does not matter for a replay.
    let command = command.split('@').next().unwrap_or(command);
    match command {
        "Output" | "Require" | "Hide" | "Show" | "Screenshot" | "Source" => Ok(Step::Nothing),
        "Set" => {
            let (key, value) = rest.split_once(' ').unwrap_or((rest, ""));
            let number = || {
                value
                    .trim()
                    .parse::<f64>()
                    .map_err(|_| format!("bad Set {line}"))
            };
            match key {
                "Width" => geometry.width = number()?,
                "Height" => geometry.height = number()?,
                "FontSize" => geometry.font_size = number()?,
                "Padding" => geometry.padding = number()?,
                _ => {}
            }
            Ok(Step::Nothing)
        }
        "Type" => Ok(Step::Type(quoted(rest)?)),
        "Sleep" => Ok(Step::Sleep(duration(rest)?)),
        key => {
            let bytes = key_bytes(key).ok_or_else(|| format!("unknown command {key}"))?;
            let count = if rest.trim().is_empty() {
                1
            } else {
                rest.trim()
                    .parse()
                    .map_err(|_| format!("bad count in {line}"))?
            };
            Ok(Step::Key(bytes, count))
        }
    }
}

/// Replays one tape, waiting up to `timeout` for each expectation; the error names the tape
/// line and shows the screen.
fn replay(tape: &Path, timeout: Duration) -> Result<(), String> {
    let name = tape.file_name().unwrap().to_string_lossy().into_owned();
    let text = std::fs::read_to_string(tape).map_err(|e| format!("{name}: {e}"))?;
    let mut geometry = Geometry {
        width: 1200.0,
        height: 600.0,
        font_size: 22.0,
        padding: 60.0,
    };
    let steps: Vec<(usize, Step)> = text
        .lines()
        .enumerate()
        .map(|(i, line)| parse(line, &mut geometry).map(|s| (i + 1, s)))
        .collect::<Result<_, _>>()
        .map_err(|e| format!("{name}: {e}"))?;
    let recording = std::env::var_os(RECORD_ENV).map(std::path::PathBuf::from);
    let mut pty: Option<Pty> = None;
    let mut command_line = String::new();
    let mut expectations = 0;
    for (index, (line, step)) in steps.iter().enumerate() {
        let at = format!("{name}:{line}");
        match (step, pty.as_mut()) {
            (Step::Type(text), None) => command_line.push_str(text),
            (Step::Key(b"\r", _), None) => {
                let words: Vec<&str> = command_line.split_whitespace().collect();
                match words.split_first() {
                    Some((&"heaptui", args)) => {
                        let mut p = Pty::heaptui(args, geometry.size(), &[]);
                        p.timeout = timeout;
                        pty = Some(p);
                    }
                    Some((&"clear", [])) | None => {}
                    _ => {
                        return Err(format!(
                            "{at}: the replayer only runs heaptui, not {command_line:?}"
                        ))
                    }
                }
                command_line.clear();
            }
            (Step::Key(..), None) | (Step::Expect(_), None) => {
                return Err(format!("{at}: keys or expectations before heaptui started"))
            }
            (Step::Type(text), Some(p)) => p.type_text(text, TYPING),
            (Step::Key(bytes, count), Some(p)) => {
                for _ in 0..*count {
                    p.send(bytes);
                    // A lone Escape must not merge with the next key into a sequence.
                    std::thread::sleep(TYPING * 3);
                }
            }
            (Step::Sleep(d), _) if recording.is_some() => std::thread::sleep(*d),
            (Step::Sleep(d), _) => std::thread::sleep((*d).min(MAX_SLEEP)),
            (Step::Expect(text), Some(p)) => {
                p.wait_for(text).map_err(|e| format!("{at}: {e}"))?;
                expectations += 1;
            }
            (Step::Nothing, _) => continue,
        }
        if let Some(p) = pty.as_mut() {
            let more_input = steps[index + 1..]
                .iter()
                .any(|(_, s)| matches!(s, Step::Type(_) | Step::Key(..) | Step::Expect(_)));
            if more_input && !p.alive() {
                return Err(format!("{at}: heaptui exited early; screen:\n{}", p.text()));
            }
            if more_input && p.alive() && p.text().trim().is_empty() {
                // The first frame may still be on its way (after the last key the screen is
                // empty because heaptui quit and gave the terminal back: nothing to wait for).
                p.wait_until("a non-empty screen", |s| !s.trim().is_empty())
                    .map_err(|e| format!("{at}: {e}"))?;
            }
        }
    }
    let mut p = pty.ok_or_else(|| format!("{name}: the tape never starts heaptui"))?;
    let code = p.wait_exit().map_err(|e| format!("{name}: {e}"))?;
    if code != 0 {
        return Err(format!("{name}: heaptui exited with {code}"));
    }
    if expectations == 0 {
        return Err(format!("{name}: no # expect: lines, so nothing is checked"));
    }
    if let Some(dir) = recording {
        let cast = dir.join(name.replace(".tape", ".cast"));
        std::fs::write(&cast, p.asciicast(&recording_title(&name, &text)))
            .map_err(|e| format!("{}: {e}", cast.display()))?;
    }
    Ok(())
}

/// A recording's title: its tape and a hash of the tape's text, so a stale recording shows.
fn recording_title(name: &str, tape: &str) -> String {
    // FNV-1a, 64 bits: stable across builds and platforms, which std's hasher is not.
    let hash = tape.bytes().fold(0xcbf2_9ce4_8422_2325u64, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    });
    format!("heaptui · {name} · {hash:016x}")
}

/// Every recording in assets/recordings was made from its tape as the tape is now: editing a
/// tape means running scripts/record-demo.sh again. The recording must also show what the
/// tape expects, played back through a terminal emulator.
#[test]
fn recordings_are_made_from_their_tapes_as_they_are() {
    let dir = tui_harness::root().join(RECORDINGS);
    let mut casts = 0;
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_none_or(|e| e != "cast") {
            continue;
        }
        casts += 1;
        let name = path
            .file_name()
            .unwrap()
            .to_string_lossy()
            .replace(".cast", ".tape");
        let tape = std::fs::read_to_string(tui_harness::root().join("assets/tapes").join(&name))
            .unwrap_or_else(|e| panic!("{}: no tape {name}: {e}", path.display()));
        let cast = std::fs::read_to_string(&path).unwrap();
        let mut lines = cast.lines();
        let header: serde_json::Value = serde_json::from_str(lines.next().unwrap()).unwrap();
        assert_eq!(
            header["title"].as_str(),
            Some(recording_title(&name, &tape).as_str()),
            "{} is stale: run scripts/record-demo.sh",
            path.display()
        );
        let (cols, rows) = (
            header["width"].as_u64().unwrap(),
            header["height"].as_u64().unwrap(),
        );
        let mut screen = vt100::Parser::new(rows as u16, cols as u16, 0);
        let mut seen = String::new();
        let mut clock = 0.0;
        for line in lines {
            let event: serde_json::Value = serde_json::from_str(line).unwrap();
            let at = event[0].as_f64().unwrap();
            assert!(at >= clock, "{}: time goes back at {at}", path.display());
            clock = at;
            screen.process(event[2].as_str().unwrap().as_bytes());
            seen.push_str(&screen.screen().contents());
        }
        for expected in tape
            .lines()
            .filter_map(|l| l.trim().strip_prefix("# expect:"))
        {
            assert!(
                seen.contains(expected.trim()),
                "{}: never shows {expected:?}",
                path.display()
            );
        }
    }
    assert!(casts > 0, "the demo recording is in {RECORDINGS}");
}

fn tapes() -> Vec<std::path::PathBuf> {
    let dir = tui_harness::root().join("assets/tapes");
    let mut tapes: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "tape"))
        .collect();
    tapes.sort();
    tapes
}

#[test]
fn every_tape_has_its_replay_test() {
    let names: Vec<String> = tapes()
        .iter()
        .map(|t| t.file_name().unwrap().to_string_lossy().into_owned())
        .collect();
    assert_eq!(names, TAPES, "assets/tapes and TAPES list the same tapes");
}

/// Replays `assets/tapes/NAME`.
fn replays(name: &str) {
    let tape = tui_harness::root().join("assets/tapes").join(name);
    if let Err(e) = replay(&tape, tui_harness::TIMEOUT) {
        panic!("{e}");
    }
}

/// One test per tape, so the test threads replay them side by side (most of a replay is
/// waiting), and `TAPES`, the tapes there must be.
macro_rules! tape_tests {
    ($($test:ident: $file:literal),* $(,)?) => {
        const TAPES: &[&str] = &[$($file),*];
        $(
            #[test]
            fn $test() {
                replays($file);
            }
        )*
    };
}

tape_tests! {
    comparison_tape_replays: "comparison.tape",
    containment_tape_replays: "containment.tape",
    contents_tape_replays: "contents.tape",
    demo_tape_replays: "demo.tape",
    dominators_tape_replays: "dominators.tape",
    picker_tape_replays: "picker.tape",
    presets_tape_replays: "presets.tape",
    statistics_tape_replays: "statistics.tape",
    summary_tape_replays: "summary.tape",
}

#[test]
fn the_parser_understands_vhs() {
    let mut g = Geometry {
        width: 1200.0,
        height: 700.0,
        font_size: 16.0,
        padding: 20.0,
    };
    assert_eq!(
        parse("Type@100ms \"a b\"", &mut g),
        Ok(Step::Type("a b".into()))
    );
    assert_eq!(parse("Down 3", &mut g), Ok(Step::Key(b"\x1b[B", 3)));
    assert_eq!(parse("Ctrl+C", &mut g), Ok(Step::Key(b"\x03", 1)));
    assert_eq!(
        parse("Sleep 1.5s", &mut g),
        Ok(Step::Sleep(Duration::from_millis(1500)))
    );
    assert_eq!(
        parse("Sleep 500ms", &mut g),
        Ok(Step::Sleep(Duration::from_millis(500)))
    );
    assert_eq!(
        parse("# expect: x y", &mut g),
        Ok(Step::Expect("x y".into()))
    );
    assert_eq!(parse("# a comment", &mut g), Ok(Step::Nothing));
    assert!(
        parse("Frobnicate", &mut g).is_err(),
        "unknown commands fail the replay"
    );
    parse("Set Width 1000", &mut g).unwrap();
    assert_eq!(g.size(), (100, 34));
}

#[test]
fn a_wrong_expectation_fails_the_replay() {
    let dir = std::env::temp_dir().join(format!("heaptui-tapes-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    crate::common::remove_at_exit(&dir);
    let tape = dir.join("broken.tape");
    std::fs::write(
        &tape,
        "Type \"heaptui assets/demo/after.heapsnapshot.gz\"\nEnter\n# expect: Retained Size\n# expect: No Such Text\nType \"q\"\n",
    )
    .unwrap();
    let err = replay(&tape, Duration::from_secs(3)).unwrap_err();
    assert!(
        err.contains("broken.tape:4") && err.contains("No Such Text"),
        "{err}"
    );
    // A tape whose program quits while input remains fails too.
    std::fs::write(
        &tape,
        "Type \"heaptui assets/demo/after.heapsnapshot.gz\"\nEnter\n# expect: Retained Size\nType \"q\"\nSleep 1s\nDown\n",
    )
    .unwrap();
    let err = replay(&tape, Duration::from_secs(3)).unwrap_err();
    assert!(err.contains("exited early"), "{err}");
}
