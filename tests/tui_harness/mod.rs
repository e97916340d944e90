//! Runs the real `heaptui` binary in a pseudo-terminal and reads its screen through a vt100
//! emulator, for the end-to-end tests, the tape replayer and the screenshots.
// Each test crate that includes this module uses a different subset of it.
#![allow(dead_code)]

use portable_pty::{native_pty_system, Child, CommandBuilder, MasterPty, PtySize};
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// How long to wait for any expected screen text or exit; generous for a loaded CI machine.
pub const TIMEOUT: Duration = Duration::from_secs(20);

/// The repository root, where the demo snapshots and tapes live.
pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The binary under test.
pub fn binary() -> PathBuf {
    PathBuf::from(env!("CARGO_BIN_EXE_heaptui"))
}

/// The longest pause a recording keeps: a viewer should not watch a snapshot load.
pub const RECORDING_IDLE_LIMIT: Duration = Duration::from_millis(1500);

/// The leave-alternate-screen sequence a restored terminal must have received.
pub const LEAVE_ALTERNATE_SCREEN: &[u8] = b"\x1b[?1049l";

/// One read of a program's output and when it came, since the start.
type Chunk = (Duration, Vec<u8>);

/// A program running in a pseudo-terminal.
pub struct Pty {
    child: Box<dyn Child + Send + Sync>,
    master: Box<dyn MasterPty + Send>,
    writer: Box<dyn Write + Send>,
    screen: Arc<Mutex<vt100::Parser>>,
    output: Arc<Mutex<Vec<u8>>>,
    /// Each read of the program's output with the time since the start, for recordings.
    chunks: Arc<Mutex<Vec<Chunk>>>,
    size: (u16, u16),
    status: Option<portable_pty::ExitStatus>,
    /// How long [`Pty::wait_for`] and [`Pty::wait_exit`] wait.
    pub timeout: Duration,
}

impl Pty {
    /// Starts `program args…` in `dir` on a `cols`×`rows` terminal, with `TERM=xterm-256color`,
    /// `NO_COLOR` unset and `env` added.
    pub fn spawn(
        program: &Path,
        args: &[String],
        dir: &Path,
        (cols, rows): (u16, u16),
        env: &[(&str, &str)],
    ) -> Pty {
        let pair = native_pty_system()
            .openpty(PtySize {
                rows,
                cols,
                pixel_width: 0,
                pixel_height: 0,
            })
            .expect("open a pty");
        let mut cmd = CommandBuilder::new(program);
        cmd.args(args);
        cmd.cwd(dir);
        cmd.env("TERM", "xterm-256color");
        cmd.env_remove("NO_COLOR");
        for (k, v) in env {
            cmd.env(k, v);
        }
        let child = pair.slave.spawn_command(cmd).expect("spawn in the pty");
        drop(pair.slave);
        let screen = Arc::new(Mutex::new(vt100::Parser::new(rows, cols, 0)));
        let output = Arc::new(Mutex::new(Vec::new()));
        let chunks = Arc::new(Mutex::new(Vec::new()));
        let mut reader = pair.master.try_clone_reader().expect("pty reader");
        let (s, o, c) = (
            Arc::clone(&screen),
            Arc::clone(&output),
            Arc::clone(&chunks),
        );
        let started = Instant::now();
        std::thread::spawn(move || {
            let mut buf = [0u8; 8192];
            // Ends with EOF or EIO once the child and its terminal are gone.
            while let Ok(n) = reader.read(&mut buf) {
                if n == 0 {
                    break;
                }
                feed(&mut s.lock().unwrap_or_else(|e| e.into_inner()), &buf[..n]);
                o.lock().unwrap().extend_from_slice(&buf[..n]);
                c.lock()
                    .unwrap()
                    .push((started.elapsed(), buf[..n].to_vec()));
            }
        });
        let writer = pair.master.take_writer().expect("pty writer");
        Pty {
            child,
            master: pair.master,
            writer,
            screen,
            output,
            chunks,
            size: (cols, rows),
            status: None,
            timeout: TIMEOUT,
        }
    }

    /// Starts the heaptui binary with `args` in the repository root.
    pub fn heaptui(args: &[&str], size: (u16, u16), env: &[(&str, &str)]) -> Pty {
        let args: Vec<String> = args.iter().map(|s| s.to_string()).collect();
        Pty::spawn(&binary(), &args, &root(), size, env)
    }

    /// Types `bytes` into the terminal.
    pub fn send(&mut self, bytes: &[u8]) {
        self.writer.write_all(bytes).expect("write to the pty");
        self.writer.flush().expect("flush the pty");
    }

    /// Types `text` one key at a time, as a person would (each key is its own event).
    pub fn type_text(&mut self, text: &str, delay: Duration) {
        for c in text.chars() {
            self.send(c.to_string().as_bytes());
            std::thread::sleep(delay);
        }
    }

    /// The screen's text, one line per row.
    pub fn text(&self) -> String {
        let parser = self.screen.lock().unwrap_or_else(|e| e.into_inner());
        // See `feed`: an emulator caught mid-resize reads as empty until the next frame.
        std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| parser.screen().contents()))
            .unwrap_or_default()
    }

    /// Everything the program wrote so far.
    pub fn output(&self) -> Vec<u8> {
        self.output.lock().unwrap().clone()
    }

    /// The output so far as an asciicast v2 recording (asciinema's format: a header line, then
    /// one `[seconds, "o", text]` line per read) titled `title`. Pauses longer than
    /// [`RECORDING_IDLE_LIMIT`] (waiting for a load) are shortened to it.
    pub fn asciicast(&self, title: &str) -> String {
        let (cols, rows) = self.size;
        let header = serde_json::json!({
            "version": 2, "width": cols, "height": rows, "title": title,
            "env": {"TERM": "xterm-256color"},
        });
        let mut cast = format!("{header}\n");
        let (mut clock, mut last) = (0.0f64, 0.0f64);
        // A read may end inside a UTF-8 sequence: its tail waits for the next read.
        let mut pending: Vec<u8> = Vec::new();
        for (at, bytes) in self.chunks.lock().unwrap().iter() {
            let at = at.as_secs_f64();
            clock += (at - last).min(RECORDING_IDLE_LIMIT.as_secs_f64());
            last = at;
            pending.extend_from_slice(bytes);
            let valid = match std::str::from_utf8(&pending) {
                Ok(_) => pending.len(),
                Err(e) if e.error_len().is_none() => e.valid_up_to(),
                Err(_) => pending.len(),
            };
            let text = String::from_utf8_lossy(&pending[..valid]).into_owned();
            pending.drain(..valid);
            if !text.is_empty() {
                cast.push_str(
                    &serde_json::json!([(clock * 1e3).round() / 1e3, "o", text]).to_string(),
                );
                cast.push('\n');
            }
        }
        cast
    }

    /// Runs `f` on the emulated screen.
    pub fn with_screen<T>(&self, f: impl FnOnce(&vt100::Screen) -> T) -> T {
        f(self.screen.lock().unwrap().screen())
    }

    /// Waits until the screen shows `needle`; the error carries the screen for the report.
    pub fn wait_for(&mut self, needle: &str) -> Result<(), String> {
        self.wait_until(&format!("{needle:?} on screen"), |text| {
            text.contains(needle)
        })
    }

    /// Waits until `check` accepts the screen text.
    pub fn wait_until(&mut self, what: &str, check: impl Fn(&str) -> bool) -> Result<(), String> {
        let start = Instant::now();
        loop {
            let text = self.text();
            if check(&text) {
                return Ok(());
            }
            if start.elapsed() > self.timeout {
                let (timeout, alive) = (self.timeout, self.alive());
                return Err(format!(
                    "timed out after {timeout:?} waiting for {what}; alive: {alive}; screen:\n{text}"
                ));
            }
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// True while the program runs.
    pub fn alive(&mut self) -> bool {
        self.poll_exit().is_none()
    }

    fn poll_exit(&mut self) -> Option<&portable_pty::ExitStatus> {
        if self.status.is_none() {
            self.status = self.child.try_wait().expect("wait on the child");
        }
        self.status.as_ref()
    }

    /// Waits for the program to exit; returns its exit code.
    pub fn wait_exit(&mut self) -> Result<u32, String> {
        let start = Instant::now();
        loop {
            if let Some(status) = self.poll_exit() {
                let code = status.exit_code();
                // Let the reader drain the last bytes the program wrote.
                std::thread::sleep(Duration::from_millis(200));
                return Ok(code);
            }
            if start.elapsed() > self.timeout {
                return Err(format!(
                    "the program did not exit within {:?}; screen:\n{}",
                    self.timeout,
                    self.text()
                ));
            }
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// The process id, for resource checks.
    pub fn pid(&self) -> u32 {
        self.child.process_id().expect("child pid")
    }

    /// Resizes the terminal (the program gets SIGWINCH) and the emulated screen.
    pub fn resize(&mut self, cols: u16, rows: u16) {
        self.screen
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .set_size(rows, cols);
        self.master
            .resize(PtySize {
                rows,
                cols,
                pixel_width: 0,
                pixel_height: 0,
            })
            .expect("resize the pty");
    }
}

impl Drop for Pty {
    fn drop(&mut self) {
        if self.alive() {
            let _ = self.child.kill();
        }
    }
}

/// The escape sequence a terminal sends for a VHS key name (`Enter`, `Down`, `Ctrl+C`, …).
pub fn key_bytes(name: &str) -> Option<&'static [u8]> {
    Some(match name {
        "Enter" => b"\r",
        "Tab" => b"\t",
        "Escape" => b"\x1b",
        "Backspace" => b"\x7f",
        "Space" => b" ",
        "Up" => b"\x1b[A",
        "Down" => b"\x1b[B",
        "Right" => b"\x1b[C",
        "Left" => b"\x1b[D",
        "PageUp" => b"\x1b[5~",
        "PageDown" => b"\x1b[6~",
        "Home" => b"\x1b[H",
        "End" => b"\x1b[F",
        "Ctrl+C" => b"\x03",
        _ => return None,
    })
}

/// Pixel size of one terminal cell in [`screen_html`] (DejaVu Sans Mono at 15 px).
pub const CELL: (f64, f64) = (9.04, 18.0);
/// Padding around the screen in [`screen_html`], in pixels.
pub const PADDING: f64 = 12.0;

/// The page size [`screen_html`] needs for a `cols`×`rows` screen, in pixels.
pub fn html_size(cols: u16, rows: u16) -> (u32, u32) {
    (
        (f64::from(cols) * CELL.0 + 2.0 * PADDING).ceil() as u32,
        (f64::from(rows) * CELL.1 + 2.0 * PADDING).ceil() as u32,
    )
}

/// The screen as an HTML page with its colors and attributes, for screenshots.
pub fn screen_html(screen: &vt100::Screen, title: &str) -> String {
    let (rows, cols) = screen.size();
    let mut body = String::new();
    for row in 0..rows {
        body.push_str("<div>");
        let mut run = String::new();
        let mut style = String::new();
        for col in 0..cols {
            let Some(cell) = screen.cell(row, col) else {
                continue;
            };
            if cell.is_wide_continuation() {
                continue;
            }
            let s = cell_style(cell);
            if s != style && !run.is_empty() {
                body.push_str(&format!("<span style=\"{style}\">{run}</span>"));
                run.clear();
            }
            style = s;
            let text = cell.contents();
            let text = if text.is_empty() {
                " ".to_string()
            } else {
                text
            };
            run.push_str(&html_escape(&text));
        }
        body.push_str(&format!("<span style=\"{style}\">{run}</span></div>"));
    }
    format!(
        "<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>{}</title><style>\
         html,body{{margin:0;background:{BG};}}\
         .screen{{padding:{PADDING}px;font-family:'DejaVu Sans Mono',monospace;font-size:15px;\
         line-height:{}px;color:{FG};background:{BG};}}\
         .screen div{{white-space:pre;height:{}px;}}</style></head>\
         <body><div class=\"screen\">{body}</div></body></html>\n",
        html_escape(title),
        CELL.1,
        CELL.1
    )
}

const FG: &str = "#d8dee9";
const BG: &str = "#1d2129";

fn cell_style(cell: &vt100::Cell) -> String {
    let (mut fg, mut bg) = (color(cell.fgcolor(), FG), color(cell.bgcolor(), BG));
    if cell.inverse() {
        std::mem::swap(&mut fg, &mut bg);
    }
    let mut s = format!("color:{fg};background:{bg};");
    if cell.bold() {
        s.push_str("font-weight:bold;");
    }
    if cell.underline() {
        s.push_str("text-decoration:underline;");
    }
    if cell.italic() {
        s.push_str("font-style:italic;");
    }
    s
}

/// A terminal color as CSS: the 16 ANSI colors of a dark theme, the 256-color cube, RGB.
fn color(c: vt100::Color, default: &str) -> String {
    const ANSI: [&str; 16] = [
        "#2e3440", "#e06c75", "#98c379", "#e5c07b", "#528bff", "#c678dd", "#56b6c2", "#d8dee9",
        "#6b7280", "#ef7f88", "#a8d68a", "#f0cf8e", "#7aa6ff", "#d38ce8", "#6fcdd9", "#ffffff",
    ];
    match c {
        vt100::Color::Default => default.to_string(),
        vt100::Color::Idx(i) if i < 16 => ANSI[i as usize].to_string(),
        vt100::Color::Idx(i) if i >= 232 => {
            let v = 8 + 10 * (i - 232);
            format!("#{v:02x}{v:02x}{v:02x}")
        }
        vt100::Color::Idx(i) => {
            let i = i - 16;
            let level = |n: u8| if n == 0 { 0 } else { 55 + 40 * n };
            format!(
                "#{:02x}{:02x}{:02x}",
                level(i / 36),
                level((i / 6) % 6),
                level(i % 6)
            )
        }
        vt100::Color::Rgb(r, g, b) => format!("#{r:02x}{g:02x}{b:02x}"),
    }
}

fn html_escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

/// Feeds the program's output to the emulator. vt100 0.15 can panic on output written for the
/// size before a resize (its bookkeeping of wrapped rows, `Grid::col_wrap`), which is a race
/// between the program and the test, not a fault of the program: the emulator then starts
/// afresh at its size, and the program's next full redraw (it redraws in full after every
/// resize) fills it again.
fn feed(parser: &mut vt100::Parser, bytes: &[u8]) {
    let fed = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| parser.process(bytes)));
    if fed.is_err() {
        let (rows, cols) = parser.screen().size();
        *parser = vt100::Parser::new(rows, cols, 0);
    }
}
