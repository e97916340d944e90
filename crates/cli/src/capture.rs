//! `heaptui capture TARGET`: takes one snapshot or a series of a running process, over its
//! inspector or by signal, shows what it costs and asks first, prints progress on stderr and
//! the files on stdout; with `--open` it hands the files back for the TUI ([`Outcome::Open`],
//! which the app layer opens).

use crossterm::event::{self, Event, KeyCode, KeyEventKind, KeyModifiers};
use heaptui_capture::inspector::{self, Route, Session};
use heaptui_capture::output::{self, Output};
use heaptui_capture::process::{self, Process};
use heaptui_capture::safety::Estimate;
use heaptui_capture::target::Target;
use heaptui_capture::{heap, signal, Cancel, Step};
use heaptui_common::error::{Error, Result};
use heaptui_common::util::sanitize::sanitize;
use heaptui_present::format;
use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// Exit status when a capture was interrupted (Ctrl-C, SIGTERM), as a shell reports SIGINT.
pub const EXIT_INTERRUPTED: i32 = 130;
/// How often the progress line and the countdown are redrawn.
const REDRAW: Duration = Duration::from_millis(250);

/// Arguments of `heaptui capture`.
#[derive(clap::Args, Debug)]
pub struct Args {
    /// A Node process id, the HOST:PORT of an inspector (Node `--inspect`, Chromium
    /// `--remote-debugging-port`), or a ws:// debugger URL.
    pub target: String,
    /// Signal mode: send this signal (default SIGUSR2) and wait for the snapshot the process
    /// writes (`--heapsnapshot-signal` or a handler calling v8.writeHeapSnapshot). Both
    /// `--signal SIGUSR2` and `--signal=SIGUSR2` name it.
    #[arg(long, value_name = "NAME", num_args = 0..=1,
          default_missing_value = "SIGUSR2", conflicts_with_all = ["gzip", "kind", "page"],
          value_parser = parse_signal)]
    pub signal: Option<i32>,
    /// Signal mode: the folder the process writes snapshots to (default: its
    /// --diagnostic-dir, else its working directory).
    #[arg(long, value_name = "DIR", requires = "signal")]
    pub dir: Option<PathBuf>,
    /// Where to write the snapshots.
    #[arg(
        long,
        value_name = "DIR",
        default_value = ".",
        conflicts_with = "signal"
    )]
    pub out: PathBuf,
    /// Snapshot type in the file name (default: Baseline for the first, Manual after).
    #[arg(long = "type", value_name = "TYPE")]
    pub kind: Option<String>,
    /// Write .heapsnapshot.gz, compressed while streaming.
    #[arg(long)]
    pub gzip: bool,
    /// Take a series of N snapshots.
    #[arg(long, value_name = "N", default_value_t = 1)]
    pub count: u32,
    /// The interval of a series (`90s`, `5m`, `1h`).
    #[arg(long, value_name = "DURATION", default_value = "5m", value_parser = parse_duration)]
    pub every: Duration,
    /// Give up on one snapshot after this long.
    #[arg(long, value_name = "DURATION", default_value = "10m", value_parser = parse_duration)]
    pub timeout: Duration,
    /// Open the snapshots in the TUI afterwards (two: Comparison; three or more: Suspects).
    #[arg(long)]
    pub open: bool,
    /// Do not ask for confirmation.
    #[arg(long, short)]
    pub yes: bool,
    /// Capture even when the output folder seems too small for the snapshot.
    #[arg(long)]
    pub force: bool,
    /// Allow connecting to a non-loopback address (a debugger port runs any code it is sent).
    #[arg(long)]
    pub allow_remote: bool,
    /// Keep a failed capture's partial file, renamed `….partial`.
    #[arg(long)]
    pub keep_partial: bool,
    /// The target to capture when an endpoint lists several: its id, or text in its title or
    /// URL.
    #[arg(long, value_name = "ID|TEXT")]
    pub page: Option<String>,
}

/// Parses `SIGUSR2`, `USR2` or a number. A process id given after `--signal` lands here
/// (the option takes an optional value), so that mistake is named.
fn parse_signal(text: &str) -> std::result::Result<i32, String> {
    process::signal_number(text).ok_or_else(|| {
        if text.bytes().all(|b| b.is_ascii_digit()) {
            format!("{text} is not a signal; the process id goes first: heaptui capture {text} --signal")
        } else {
            format!("{text:?} is not a signal name")
        }
    })
}

/// Parses `500ms`, `90s`, `5m`, `1h`, `1m30s` or plain seconds.
pub fn parse_duration(text: &str) -> std::result::Result<Duration, String> {
    let bad = || format!("{text:?} is not a duration (like 30s, 5m, 1h)");
    if let Ok(seconds) = text.parse::<u64>() {
        return Ok(Duration::from_secs(seconds));
    }
    let mut total = Duration::ZERO;
    let mut rest = text;
    while !rest.is_empty() {
        let digits = rest.bytes().take_while(u8::is_ascii_digit).count();
        let (number, tail) = rest.split_at(digits);
        let number: u64 = number.parse().map_err(|_| bad())?;
        let units = tail.bytes().take_while(u8::is_ascii_alphabetic).count();
        let (unit, tail) = tail.split_at(units);
        total += match unit {
            "ms" => Duration::from_millis(number),
            "s" => Duration::from_secs(number),
            "m" => Duration::from_secs(number * 60),
            "h" => Duration::from_secs(number * 3600),
            _ => return Err(bad()),
        };
        rest = tail;
    }
    if total.is_zero() {
        return Err(bad());
    }
    Ok(total)
}

/// How the snapshots are taken.
enum Mode {
    /// Over a protocol session.
    Inspector(Box<Session>),
    /// By a signal the process answers, into its folder.
    Signal {
        process: Process,
        number: i32,
        dir: PathBuf,
    },
}

/// What happens after a capture.
#[derive(Debug, PartialEq, Eq)]
pub enum Outcome {
    /// Exit with this status (the files and any error were printed).
    Exit(i32),
    /// `--open`: open these snapshots in the TUI, oldest first.
    Open(Vec<PathBuf>),
}

/// Runs `heaptui capture`.
pub fn run(args: &Args) -> Result<Outcome> {
    if let Some(kind) = &args.kind {
        if !output::valid_kind(kind) {
            return usage(&format!(
                "--type {}: letters, digits and '-' only",
                sanitize(kind)
            ));
        }
    }
    if args.count == 0 {
        return usage("--count must be at least 1");
    }
    let target = Target::parse(&args.target)?;
    let cancel = Cancel::default();
    let mut mode = prepare(args, &target, &cancel)?;
    let taken = series(args, &mut mode, &cancel);
    let closed = match mode {
        Mode::Inspector(session) => finish(*session),
        Mode::Signal { .. } => Ok(()),
    };
    let (files, error) = match (taken, closed) {
        (Ok(files), Ok(())) => (files, None),
        (Ok(files), Err(e)) => (files, Some(e)),
        (Err((files, e)), _) => (files, Some(e)),
    };
    for file in &files {
        println!("{}", sanitize(&file.display().to_string()));
    }
    if let Some(e) = error {
        eprintln!("heaptui: {e}");
        return Ok(Outcome::Exit(if cancel.is_set() {
            EXIT_INTERRUPTED
        } else {
            super::EXIT_ERROR
        }));
    }
    if args.open && !files.is_empty() {
        return Ok(Outcome::Open(files));
    }
    if !files.is_empty() {
        let names: Vec<String> = files.iter().map(|f| shell_word(f)).collect();
        eprintln!("heaptui: open them with: heaptui {}", names.join(" "));
    }
    Ok(Outcome::Exit(0))
}

fn usage(message: &str) -> Result<Outcome> {
    eprintln!("heaptui: {message}");
    Ok(Outcome::Exit(super::EXIT_USAGE))
}

/// Looks at the target, shows the costs, asks, and gets ready to capture (for a process
/// without an inspector: opens one).
fn prepare(args: &Args, target: &Target, cancel: &Cancel) -> Result<Mode> {
    if let Some(number) = args.signal {
        let Target::Pid(pid) = target else {
            return Err(Error::usage("--signal needs a process id as TARGET"));
        };
        let process = Process::find(*pid)?;
        signal::check(&process, number)?;
        let dir = signal::snapshot_dir(&process, args.dir.as_deref())?;
        let estimate = Estimate::new(process.rss().unwrap_or(0), true, &dir, false)?;
        note(&format!(
            "target: process {} ({}), {} → a new snapshot in {}",
            process.pid,
            process.name(),
            process::signal_name(number),
            shown(&dir)
        ));
        check_costs(args, &estimate, &dir, true)?;
        confirm(args)?;
        watch_signals(cancel)?;
        return Ok(Mode::Signal {
            process,
            number,
            dir,
        });
    }
    let route = inspector::route(target, args.allow_remote)?;
    match &route {
        Route::Signal { process, port } => {
            let estimate = Estimate::new(process.rss().unwrap_or(0), true, &args.out, args.gzip)?;
            let at = if *port == 0 {
                "a free port".to_string()
            } else {
                format!("127.0.0.1:{port}")
            };
            note(&format!(
                "target: process {} ({}) has no inspector open: heaptui opens one on {at} \
                 with SIGUSR1 and closes it afterwards",
                process.pid,
                process.name()
            ));
            // The resident memory overestimates the heap: the disk is checked once the
            // inspector tells the heap's size.
            check_costs(args, &estimate, &args.out, false)?;
            confirm(args)?;
            watch_signals(cancel)?;
            let mut session = Session::connect(&route, args.page.as_deref())?;
            if let Some(addr) = session.opened() {
                note(&format!(
                    "opened the inspector of process {} on {addr}",
                    process.pid
                ));
            }
            // The heap's real size replaces the resident memory in the disk check.
            let usage = heap::usage(&mut session)?;
            let estimate = Estimate::new(usage.used, false, &args.out, args.gzip)?;
            refuse_if_full(args, &estimate, &args.out)?;
            Ok(Mode::Inspector(Box::new(session)))
        }
        _ => {
            let mut session = Session::connect(&route, args.page.as_deref())?;
            let usage = heap::usage(&mut session)?;
            let pid = session
                .pid
                .map_or_else(|| "pid unknown".to_string(), |p| format!("process {p}"));
            note(&format!("target: {pid}, inspector {}", session.cdp.addr));
            let estimate = Estimate::new(usage.used, false, &args.out, args.gzip)?;
            check_costs(args, &estimate, &args.out, true)?;
            confirm(args)?;
            watch_signals(cancel)?;
            Ok(Mode::Inspector(Box::new(session)))
        }
    }
}

/// Shows the heap, memory and disk figures with the warning, and refuses a full disk when
/// `refuse`.
fn check_costs(args: &Args, e: &Estimate, dir: &Path, refuse: bool) -> Result<()> {
    let heap = if e.from_rss {
        format!("resident memory {} (heap unknown yet)", size(e.heap))
    } else {
        format!("heap {} used", size(e.heap))
    };
    let memory = e.memory_available.map_or("unknown".to_string(), size);
    note(&format!(
        "{heap} · memory available {memory} · free in {}: {} · each snapshot ≈ {}",
        shown(dir),
        size(e.disk_available),
        size(e.file)
    ));
    let up_to = if e.from_rss { "up to " } else { "about " };
    note(&format!(
        "a snapshot pauses the process while it is taken, and the process needs {up_to}{} more \
         memory meanwhile",
        size(e.memory())
    ));
    if e.memory_tight() {
        note("warning: the machine may not have that much memory available");
    }
    if refuse {
        refuse_if_full(args, e, dir)?;
    }
    if args.count > 1 && !e.fits(u64::from(args.count)) {
        note(&format!(
            "warning: {} snapshots of about {} may not fit in {}",
            args.count,
            size(e.file),
            shown(dir)
        ));
    }
    Ok(())
}

fn refuse_if_full(args: &Args, e: &Estimate, dir: &Path) -> Result<()> {
    if e.fits(1) || args.force {
        return Ok(());
    }
    Err(Error::capture(format!(
        "{}: not enough free space for the snapshot (≈ {} needed, {} free); free some, write \
         elsewhere (--out), compress (--gzip) or capture anyway (--force)",
        shown(dir),
        size(e.file),
        size(e.disk_available)
    )))
}

/// Asks on a terminal unless `--yes`; scripts (no terminal) are not asked.
fn confirm(args: &Args) -> Result<()> {
    if args.yes || !std::io::stdin().is_terminal() || !std::io::stderr().is_terminal() {
        return Ok(());
    }
    let what = if args.count == 1 {
        "Take a snapshot".to_string()
    } else {
        format!("Take {} snapshots, every {}", args.count, clock(args.every))
    };
    eprint!("{what}? [y/N] ");
    let mut answer = String::new();
    std::io::stdin()
        .read_line(&mut answer)
        .map_err(|e| Error::terminal("cannot read the answer", e))?;
    match answer.trim() {
        "y" | "Y" | "yes" | "Yes" => Ok(()),
        _ => Err(Error::capture("not confirmed: nothing was captured")),
    }
}

/// From here on, SIGINT, SIGTERM and SIGHUP stop the capture cleanly (closing what heaptui
/// opened); a second one exits at once.
fn watch_signals(cancel: &Cancel) -> Result<()> {
    use signal_hook::consts::{SIGHUP, SIGINT, SIGTERM};
    for signal in [SIGINT, SIGTERM, SIGHUP] {
        let flag = std::sync::Arc::clone(&cancel.0);
        signal_hook::flag::register_conditional_shutdown(signal, EXIT_INTERRUPTED, flag)
            .and_then(|_| signal_hook::flag::register(signal, std::sync::Arc::clone(&cancel.0)))
            .map_err(|e| Error::terminal("cannot watch signals", e))?;
    }
    Ok(())
}

/// Takes the series; on failure, the files already taken come with the error.
fn series(
    args: &Args,
    mode: &mut Mode,
    cancel: &Cancel,
) -> std::result::Result<Vec<PathBuf>, (Vec<PathBuf>, Error)> {
    let mut files = Vec::new();
    for i in 0..args.count {
        if i > 0 {
            match countdown(args.every, i + 1, args.count, cancel) {
                Ok(true) => {}
                Ok(false) => {
                    note(&format!("stopped after {i} of {} snapshots", args.count));
                    break;
                }
                Err(e) => return Err((files, e)),
            }
        }
        let kind = match (&args.kind, i) {
            (Some(kind), _) => kind.as_str(),
            (None, 0) => "Baseline",
            (None, _) => "Manual",
        };
        let started = Instant::now();
        let mut line = Progress::new(i + 1, args.count);
        let taken = match mode {
            Mode::Inspector(session) => capture_one(args, session, kind, cancel, &mut line),
            Mode::Signal {
                process,
                number,
                dir,
            } => signal::capture(process, *number, dir, args.timeout, cancel, &mut |s| {
                line.show(s)
            }),
        };
        line.clear();
        match taken {
            Ok(file) => {
                let bytes = std::fs::metadata(&file).map_or(0, |m| m.len());
                note(&format!(
                    "wrote {} ({} in {:.1} s)",
                    shown(&file),
                    size(bytes),
                    started.elapsed().as_secs_f64()
                ));
                files.push(file);
            }
            Err(e) => return Err((files, e)),
        }
    }
    Ok(files)
}

fn capture_one(
    args: &Args,
    session: &mut Session,
    kind: &str,
    cancel: &Cancel,
    line: &mut Progress,
) -> Result<PathBuf> {
    if !args.force {
        let usage = heap::usage(session)?;
        refuse_if_full(
            args,
            &Estimate::new(usage.used, false, &args.out, args.gzip)?,
            &args.out,
        )?;
    }
    let pid = session.pid.unwrap_or(0);
    let out = Output::create(&args.out, kind, pid, args.gzip, args.keep_partial)?;
    heap::take(session, out, args.timeout, cancel, &mut |s| line.show(s))
}

/// Closes what heaptui opened, saying so.
fn finish(session: Session) -> Result<()> {
    let opened = session.opened();
    session.finish()?;
    if let Some(addr) = opened {
        note(&format!("closed the inspector on {addr}"));
    }
    Ok(())
}

/// Waits `every` before snapshot `next` of `count`, showing the time left; on a terminal `q`
/// stops the series (false). Ctrl-C cancels.
fn countdown(every: Duration, next: u32, count: u32, cancel: &Cancel) -> Result<bool> {
    let end = Instant::now() + every;
    let keys = std::io::stdin().is_terminal() && std::io::stderr().is_terminal();
    let _raw = if keys { RawMode::enter() } else { None };
    let hint = if _raw.is_some() { " · q stops" } else { "" };
    loop {
        cancel.check()?;
        let left = end.saturating_duration_since(Instant::now());
        if left.is_zero() {
            if keys {
                eprint!("\r\x1b[K");
            }
            return Ok(true);
        }
        if keys {
            eprint!("\r\x1b[Ksnapshot {next}/{count} in {}{hint}", clock(left));
        }
        if _raw.is_some() && event::poll(REDRAW.min(left)).unwrap_or(false) {
            if let Ok(Event::Key(key)) = event::read() {
                let ctrl_c =
                    key.modifiers.contains(KeyModifiers::CONTROL) && key.code == KeyCode::Char('c');
                if key.kind == KeyEventKind::Press && ctrl_c {
                    cancel.0.store(true, std::sync::atomic::Ordering::Relaxed);
                } else if key.kind == KeyEventKind::Press
                    && matches!(key.code, KeyCode::Char('q') | KeyCode::Esc)
                {
                    eprint!("\r\x1b[K");
                    return Ok(false);
                }
            }
        } else if _raw.is_none() {
            std::thread::sleep(REDRAW.min(left));
        }
    }
}

/// Raw mode for the countdown's keys, left on drop.
struct RawMode;

impl RawMode {
    fn enter() -> Option<RawMode> {
        crossterm::terminal::enable_raw_mode().ok().map(|_| RawMode)
    }
}

impl Drop for RawMode {
    fn drop(&mut self) {
        let _ = crossterm::terminal::disable_raw_mode();
    }
}

/// The progress line of one capture on stderr (only on a terminal), redrawn at most every
/// [`REDRAW`].
struct Progress {
    label: String,
    terminal: bool,
    drawn: Option<Instant>,
}

impl Progress {
    fn new(n: u32, count: u32) -> Progress {
        let label = if count == 1 {
            "snapshot".to_string()
        } else {
            format!("snapshot {n}/{count}")
        };
        Progress {
            label,
            terminal: std::io::stderr().is_terminal(),
            drawn: None,
        }
    }

    fn show(&mut self, step: Step) {
        if !self.terminal || self.drawn.is_some_and(|t| t.elapsed() < REDRAW) {
            return;
        }
        self.drawn = Some(Instant::now());
        let what = match step {
            Step::Traversing { done, total } if total > 0 => {
                format!("walking the heap {}%", done * 100 / total)
            }
            Step::Traversing { .. } => "walking the heap".to_string(),
            Step::Streaming { bytes } => format!("writing {}", size(bytes)),
            Step::Writing { file, bytes } => {
                format!("the process writes {} ({})", shown(file), size(bytes))
            }
        };
        let mut err = std::io::stderr().lock();
        let _ = write!(err, "\r\x1b[K{}: {what}", self.label);
        let _ = err.flush();
    }

    fn clear(&mut self) {
        if self.terminal && self.drawn.is_some() {
            eprint!("\r\x1b[K");
        }
    }
}

/// A size as `format::bytes` says it, in GB from 1 GB on (free disk and memory).
fn size(bytes: u64) -> String {
    if bytes >= 1_000_000_000 {
        format!("{:.1} GB", bytes as f64 / 1e9)
    } else {
        format::bytes(bytes)
    }
}

/// One message line on stderr.
fn note(message: &str) {
    eprintln!("heaptui: {message}");
}

fn shown(path: &Path) -> String {
    sanitize(&path.display().to_string()).into_owned()
}

/// `4:59`, `1:02:03`.
fn clock(d: Duration) -> String {
    let s = d.as_secs() + u64::from(d.subsec_nanos() > 0);
    if s >= 3600 {
        format!("{}:{:02}:{:02}", s / 3600, s / 60 % 60, s % 60)
    } else {
        format!("{}:{:02}", s / 60, s % 60)
    }
}

/// A path as one shell word: as is when plain, else in single quotes.
fn shell_word(path: &Path) -> String {
    let text = shown(path);
    let plain = text
        .bytes()
        .all(|b| b.is_ascii_alphanumeric() || b"/._-+:@%".contains(&b));
    if plain {
        text
    } else {
        format!("'{}'", text.replace('\'', r"'\''"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_durations() {
        assert_eq!(parse_duration("5m"), Ok(Duration::from_secs(300)));
        assert_eq!(parse_duration("1m30s"), Ok(Duration::from_secs(90)));
        assert_eq!(parse_duration("500ms"), Ok(Duration::from_millis(500)));
        assert_eq!(parse_duration("2"), Ok(Duration::from_secs(2)));
        assert_eq!(parse_duration("2h"), Ok(Duration::from_secs(7200)));
        for bad in ["", "m", "5x", "0s", "-1s"] {
            assert!(parse_duration(bad).is_err(), "{bad}");
        }
        assert_eq!(clock(Duration::from_millis(299_100)), "5:00");
        assert_eq!(clock(Duration::from_secs(3723)), "1:02:03");
        assert_eq!(shell_word(Path::new("a b")), "'a b'");
    }
}
