//! `heaptui capture` against real Node processes that leak (scripts/fixtures/capture): over an
//! inspector the app opened (`--inspect=127.0.0.1:0`), over one heaptui opens with SIGUSR1 and
//! must close again, and by signal (a SIGUSR2 handler calling v8.writeHeapSnapshot, and Node's
//! own `--heapsnapshot-signal` with `--diagnostic-dir`). Each series must give complete 0600
//! files named as diagnostic reports are, on which `suspects` names the leak. Then every
//! failure the command promises a one-line error for, provoked for real, and the PTY run that
//! ends on the Comparison.
//!
//! Everything is loopback and bounded: each app ends by itself after two minutes, is killed
//! when its test ends, and every heaptui run has a time limit.

use crate::common;
use crate::tui_harness;

use common::TempDir;
use serde_json::Value;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// A heaptui run may take this long (a series of three at 1 s intervals takes about 4 s).
const LIMIT: Duration = Duration::from_secs(90);
/// Node's default inspector port, which SIGUSR1 opens: the tests that use it take turns.
static PORT_9229: Mutex<()> = Mutex::new(());

fn app_path(name: &str) -> PathBuf {
    common::root().join("scripts/fixtures/capture").join(name)
}

fn is_root() -> bool {
    // SAFETY: geteuid has no preconditions.
    unsafe { libc::geteuid() == 0 }
}

/// A Node app started by a test, killed when dropped.
struct App {
    child: Child,
    pid: u32,
    /// Its stderr so far (Node's "Debugger listening on …").
    stderr: std::sync::Arc<Mutex<String>>,
}

impl App {
    /// Starts `node OPTIONS… SCRIPT ARGS…` and waits for its "ready" line.
    fn start(node_options: &[&str], script: &str, args: &[&str]) -> App {
        let mut child = Command::new("node")
            .args(node_options)
            .arg(app_path(script))
            .args(args)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("node is installed");
        let stderr = std::sync::Arc::new(Mutex::new(String::new()));
        let mut err = child.stderr.take().unwrap();
        let sink = std::sync::Arc::clone(&stderr);
        std::thread::spawn(move || {
            let mut buf = [0u8; 4096];
            while let Ok(n) = err.read(&mut buf) {
                if n == 0 {
                    break;
                }
                sink.lock()
                    .unwrap()
                    .push_str(&String::from_utf8_lossy(&buf[..n]));
            }
        });
        let (tx, rx) = std::sync::mpsc::channel();
        let out = child.stdout.take().unwrap();
        std::thread::spawn(move || {
            for line in BufReader::new(out).lines() {
                let Ok(line) = line else { break };
                let _ = tx.send(line);
            }
        });
        let line = rx
            .recv_timeout(Duration::from_secs(60))
            .unwrap_or_else(|_| panic!("{script} did not get ready"));
        let pid: u32 = line.split(' ').nth(1).unwrap().parse().unwrap();
        assert_eq!(pid, child.id());
        // Keep draining stdout so the app never blocks on it.
        std::thread::spawn(move || while rx.recv().is_ok() {});
        App { child, pid, stderr }
    }

    /// The port of the inspector the app opened itself (from Node's "Debugger listening").
    fn inspector_port(&self) -> u16 {
        let start = Instant::now();
        loop {
            let text = self.stderr.lock().unwrap().clone();
            if let Some(at) = text.find("ws://127.0.0.1:") {
                let rest = &text[at + "ws://127.0.0.1:".len()..];
                return rest[..rest.find('/').unwrap()].parse().unwrap();
            }
            assert!(
                start.elapsed() < Duration::from_secs(20),
                "no inspector: {text}"
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    fn alive(&mut self) -> bool {
        self.child.try_wait().unwrap().is_none()
    }

    fn pid_arg(&self) -> String {
        self.pid.to_string()
    }
}

impl Drop for App {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Runs `command` (a heaptui) with stdin closed, failing the test after `LIMIT`.
fn run(mut command: Command) -> Output {
    let mut child = command
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start heaptui");
    let mut out = child.stdout.take().unwrap();
    let mut err = child.stderr.take().unwrap();
    let out = std::thread::spawn(move || {
        let mut v = Vec::new();
        out.read_to_end(&mut v).ok();
        v
    });
    let err = std::thread::spawn(move || {
        let mut v = Vec::new();
        err.read_to_end(&mut v).ok();
        v
    });
    let start = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if start.elapsed() > LIMIT {
            child.kill().ok();
            panic!("heaptui did not finish within {LIMIT:?}");
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    Output {
        status,
        stdout: out.join().unwrap(),
        stderr: err.join().unwrap(),
    }
}

fn heaptui_command(args: &[&str]) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_heaptui"));
    command.args(args);
    command
}

fn capture(args: &[&str]) -> Output {
    let mut all = vec!["capture"];
    all.extend_from_slice(args);
    run(heaptui_command(&all))
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// The files a successful capture printed on stdout.
fn files(out: &Output) -> Vec<PathBuf> {
    assert!(
        out.status.success(),
        "capture failed: {}\n{}",
        out.status,
        stderr(out)
    );
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(PathBuf::from)
        .collect()
}

/// The last line of stderr, which for a failure is its one-line error.
fn error_line(out: &Output) -> String {
    let text = stderr(out);
    text.lines().last().unwrap_or_default().to_string()
}

/// Checks a failure: exit status 1 and a last line `heaptui: …` containing `needle`.
fn assert_fails(out: &Output, needle: &str) {
    assert_eq!(out.status.code(), Some(1), "{}", stderr(out));
    let line = error_line(out);
    assert!(
        line.starts_with("heaptui: ") && line.contains(needle),
        "expected {needle:?} in the error line, got:\n{}",
        stderr(out)
    );
}

/// `Baseline.Heap.yyyymmdd.hhmmss.PID.heapsnapshot` and the like.
fn assert_named(file: &Path, kind: &str, pid: u32, ext: &str) {
    let name = file.file_name().unwrap().to_str().unwrap();
    let parts: Vec<&str> = name.splitn(5, '.').collect();
    assert_eq!(parts[0], kind, "{name}");
    assert_eq!(parts[1], "Heap", "{name}");
    assert!(
        parts[2].len() == 8 && parts[2].bytes().all(|b| b.is_ascii_digit()),
        "{name}"
    );
    assert!(
        parts[3].len() == 6 && parts[3].bytes().all(|b| b.is_ascii_digit()),
        "{name}"
    );
    assert_eq!(parts[4], format!("{pid}.{ext}"), "{name}");
}

/// Complete (heaptui loads it without a warning and finds the leak's class) and private.
fn assert_complete_and_private(file: &Path) {
    let mode = std::fs::metadata(file).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o600, "{}", file.display());
    let out = common::heaptui(&["summary", file.to_str().unwrap(), "--json"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stderr(&out).is_empty(), "warnings: {}", stderr(&out));
    let doc: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(doc["nodeCount"].as_u64().unwrap() > 10_000);
    let classes = doc["classes"].as_array().unwrap();
    assert!(classes.iter().any(|c| c["name"] == "IncomingMessage"));
}

/// `suspects` on the series ranks the leaked requests first, growing, held by `cache`.
fn assert_suspects_name_the_leak(files: &[PathBuf]) {
    let mut args = vec!["suspects"];
    args.extend(files.iter().map(|f| f.to_str().unwrap()));
    args.push("--json");
    let out = common::heaptui(&args);
    assert!(out.status.success(), "{}", stderr(&out));
    let doc: Value = serde_json::from_slice(&out.stdout).unwrap();
    let top = &doc["suspects"][0];
    assert_eq!(top["name"], "IncomingMessage", "{}", doc["suspects"]);
    assert_eq!(top["pattern"], "requests");
    let counts: Vec<u64> = top["counts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c.as_u64().unwrap())
        .collect();
    assert!(
        counts.windows(2).all(|w| w[1] > w[0] + 10),
        "the leak grows: {counts:?}"
    );
    let path = top["path"].as_array().unwrap();
    assert!(
        path.iter().any(|s| s["edgeName"] == "cache"),
        "cache on the path: {path:?}"
    );
}

/// True when `addr` answers `/json/list` like an inspector.
fn inspector_answers(addr: SocketAddr) -> bool {
    let Ok(mut s) = TcpStream::connect_timeout(&addr, Duration::from_secs(2)) else {
        return false;
    };
    s.set_read_timeout(Some(Duration::from_secs(2))).unwrap();
    let _ = write!(s, "GET /json/list HTTP/1.0\r\nHost: {addr}\r\n\r\n");
    let mut text = String::new();
    let _ = s.read_to_string(&mut text);
    text.contains("webSocketDebuggerUrl")
}

fn local(port: u16) -> SocketAddr {
    SocketAddr::from(([127, 0, 0, 1], port))
}

#[test]
fn inspector_series_of_an_app_started_with_inspect() {
    let app = App::start(&["--inspect=127.0.0.1:0"], "leaky.cjs", &[]);
    let port = app.inspector_port();
    let out = TempDir::new("capture-inspect");
    let endpoint = format!("127.0.0.1:{port}");
    let dir = out.0.to_str().unwrap();
    let result = capture(&[
        &endpoint, "--count", "3", "--every", "1s", "--yes", "--out", dir,
    ]);
    let taken = files(&result);
    assert_eq!(taken.len(), 3, "{}", stderr(&result));
    for (i, file) in taken.iter().enumerate() {
        assert_eq!(file.parent().unwrap(), out.0);
        let kind = if i == 0 { "Baseline" } else { "Manual" };
        assert_named(file, kind, app.pid, "heapsnapshot");
        assert_complete_and_private(file);
    }
    assert_suspects_name_the_leak(&taken);
    assert!(
        stderr(&result).contains("heap ") && stderr(&result).contains("free in"),
        "the costs are shown: {}",
        stderr(&result)
    );
    // The app's own inspector stays open: heaptui closes only what it opened.
    assert!(inspector_answers(local(port)));

    // By pid, the inspector is found among the process's sockets; --gzip while streaming.
    let result = capture(&[
        &app.pid_arg(),
        "--gzip",
        "--type",
        "Leak",
        "--yes",
        "--out",
        dir,
    ]);
    let taken = files(&result);
    assert_named(&taken[0], "Leak", app.pid, "heapsnapshot.gz");
    assert_complete_and_private(&taken[0]);
    let gz = std::fs::read(&taken[0]).unwrap();
    assert_eq!(&gz[..2], b"\x1f\x8b", "gzip magic");
    assert!(inspector_answers(local(port)));
}

#[test]
fn sigusr1_series_of_a_plain_app_closes_the_inspector_it_opened() {
    let _port = PORT_9229.lock().unwrap_or_else(|e| e.into_inner());
    let mut app = App::start(&[], "leaky.cjs", &[]);
    let out = TempDir::new("capture-usr1");
    let result = capture(&[
        &app.pid_arg(),
        "--count",
        "3",
        "--every",
        "1s",
        "--yes",
        "--out",
        out.0.to_str().unwrap(),
    ]);
    let taken = files(&result);
    assert_eq!(taken.len(), 3);
    for file in &taken {
        assert_named(file, file_kind(file), app.pid, "heapsnapshot");
        assert_complete_and_private(file);
    }
    assert_suspects_name_the_leak(&taken);
    let text = stderr(&result);
    assert!(
        text.contains("opens one on 127.0.0.1:9229 with SIGUSR1"),
        "{text}"
    );
    assert!(
        text.contains("closed the inspector on 127.0.0.1:9229"),
        "{text}"
    );
    // Closed for real: nothing listens on 9229 any more, and the app lives on.
    assert!(TcpStream::connect_timeout(&local(9229), Duration::from_secs(1)).is_err());
    assert!(app.alive());
    assert!(app.stderr.lock().unwrap().contains("Debugger listening"));
}

fn file_kind(file: &Path) -> &str {
    file.file_name()
        .unwrap()
        .to_str()
        .unwrap()
        .split('.')
        .next()
        .unwrap()
}

#[test]
fn signal_mode_with_an_app_handler() {
    let out = TempDir::new("capture-handler");
    let dir = out.0.to_str().unwrap();
    let mut app = App::start(&[], "with-handler.cjs", &[dir]);
    let result = capture(&[
        &app.pid_arg(),
        "--signal",
        "--dir",
        dir,
        "--count",
        "3",
        "--every",
        "1s",
    ]);
    let taken = files(&result);
    assert_eq!(taken.len(), 3, "{}", stderr(&result));
    for (i, file) in taken.iter().enumerate() {
        assert_named(file, &format!("Manual{}", i + 1), app.pid, "heapsnapshot");
        let out = common::heaptui(&["summary", file.to_str().unwrap(), "--json"]);
        assert!(
            out.status.success() && out.stderr.is_empty(),
            "{}",
            stderr(&out)
        );
    }
    assert_suspects_name_the_leak(&taken);
    assert!(app.alive());

    // The wrong folder: the snapshot never appears there, and the wait times out.
    let elsewhere = TempDir::new("capture-elsewhere");
    let result = capture(&[
        &app.pid_arg(),
        "--signal",
        "SIGUSR2",
        "--dir",
        elsewhere.0.to_str().unwrap(),
        "--timeout",
        "2s",
    ]);
    assert_fails(
        &result,
        "timed out after 2 s waiting for a new .heapsnapshot in",
    );
}

#[test]
fn signal_mode_with_heapsnapshot_signal_finds_the_diagnostic_dir() {
    let out = TempDir::new("capture-diag");
    let option = format!("--diagnostic-dir={}", out.0.display());
    let app = App::start(
        &["--heapsnapshot-signal=SIGUSR2", &option],
        "leaky.cjs",
        &[],
    );
    let result = capture(&[&app.pid_arg(), "--signal", "--count", "3", "--every", "1s"]);
    let taken = files(&result);
    assert_eq!(taken.len(), 3, "{}", stderr(&result));
    for (i, file) in taken.iter().enumerate() {
        assert_eq!(file.parent().unwrap(), out.0, "found from --diagnostic-dir");
        let name = file.file_name().unwrap().to_str().unwrap();
        assert!(
            name.starts_with("Heap.")
                && name.ends_with(&format!(".{}.0.{:03}.heapsnapshot", app.pid, i + 1)),
            "{name}"
        );
        assert_complete_and_private(file);
    }
    assert_suspects_name_the_leak(&taken);
}

#[test]
fn a_signal_the_process_does_not_handle_is_not_sent() {
    let mut app = App::start(&[], "leaky.cjs", &[]);
    let result = capture(&[&app.pid_arg(), "--signal"]);
    assert_fails(&result, "does not handle SIGUSR2, which would kill it");
    let result = capture(&[&app.pid_arg(), "--signal=USR2"]);
    assert_fails(&result, "does not handle SIGUSR2, which would kill it");
    // The process id after the option is taken for the signal's name: the error says so.
    let result = capture(&["--signal", &app.pid_arg()]);
    assert_eq!(result.status.code(), Some(2), "a usage error");
    assert!(
        stderr(&result).contains("is not a signal; the process id goes first"),
        "{}",
        stderr(&result)
    );
    std::thread::sleep(Duration::from_millis(300));
    assert!(app.alive());
}

#[test]
fn missing_and_non_node_processes() {
    // A pid that was just freed.
    let mut gone = Command::new("true").spawn().unwrap();
    let pid = gone.id();
    gone.wait().unwrap();
    let result = capture(&[&pid.to_string(), "--yes"]);
    assert_fails(&result, &format!("no such process: {pid}"));

    let mut sleeper = Command::new("sleep").arg("60").spawn().unwrap();
    let result = capture(&[&sleeper.id().to_string(), "--yes"]);
    sleeper.kill().unwrap();
    sleeper.wait().unwrap();
    assert_fails(
        &result,
        "(sleep) is not a Node process and has no open inspector",
    );
}

#[test]
fn another_users_process_is_permission_denied() {
    // As root, heaptui itself drops to `nobody` and targets a root-owned Node process; as
    // another user, the root-owned init process serves.
    let app;
    let (mut command, pid) = if is_root() {
        app = App::start(&[], "leaky.cjs", &[]);
        let mut c = Command::new("setpriv");
        c.args(["--reuid=65534", "--regid=65534", "--clear-groups"])
            .arg(env!("CARGO_BIN_EXE_heaptui"));
        (c, app.pid)
    } else {
        (Command::new(env!("CARGO_BIN_EXE_heaptui")), 1)
    };
    command.args(["capture", &pid.to_string(), "--yes", "--out", "/tmp"]);
    let result = run(command);
    assert_fails(
        &result,
        &format!("permission denied: process {pid} belongs to user root"),
    );
}

/// A TCP server on a free loopback port that answers every request with HTTP 404, as any
/// web server would, for as long as it lives.
fn not_an_inspector() -> (u16, std::thread::JoinHandle<()>) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let server = std::thread::spawn(move || {
        listener.set_nonblocking(true).unwrap();
        let start = Instant::now();
        while start.elapsed() < Duration::from_secs(20) {
            match listener.accept() {
                Ok((mut s, _)) => {
                    s.set_nonblocking(false).unwrap();
                    s.set_read_timeout(Some(Duration::from_secs(2))).unwrap();
                    let mut buf = [0u8; 2048];
                    let _ = s.read(&mut buf);
                    let _ = s.write_all(
                        b"HTTP/1.1 404 Not Found\r\ncontent-length: 9\r\nconnection: close\r\n\r\nnot found",
                    );
                }
                Err(_) => std::thread::sleep(Duration::from_millis(20)),
            }
        }
    });
    (port, server)
}

#[test]
fn ports_that_are_not_inspectors() {
    let (port, _server) = not_an_inspector();
    let result = capture(&[&format!("127.0.0.1:{port}"), "--yes"]);
    assert_fails(
        &result,
        &format!("127.0.0.1:{port} is not an inspector: HTTP 404"),
    );
    let result = capture(&[&format!("ws://127.0.0.1:{port}/x"), "--yes"]);
    assert_fails(&result, "is not a debugger WebSocket endpoint");

    // Nothing listens: refused.
    let free = TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let result = capture(&[&format!("127.0.0.1:{free}"), "--yes"]);
    assert_fails(&result, "connection refused");

    // Not loopback: refused before any connection (a documentation address).
    let result = capture(&["192.0.2.1:9229", "--yes"]);
    assert_fails(&result, "not a loopback address");
}

#[test]
fn inspector_port_taken_by_another_program() {
    let _port = PORT_9229.lock().unwrap_or_else(|e| e.into_inner());
    let squatter = TcpListener::bind("127.0.0.1:9229").expect("port 9229 free for the test");
    let mut app = App::start(&[], "leaky.cjs", &[]);
    let result = capture(&[&app.pid_arg(), "--yes"]);
    assert_fails(
        &result,
        "port 9229 on 127.0.0.1 is taken by another program",
    );
    assert!(app.alive());
    drop(squatter);
}

/// Waits until `dir` holds a file of at least `bytes`.
fn wait_for_growth(dir: &Path, bytes: u64) -> PathBuf {
    let start = Instant::now();
    loop {
        for entry in std::fs::read_dir(dir).unwrap() {
            let entry = entry.unwrap();
            if entry.metadata().unwrap().len() >= bytes {
                return entry.path();
            }
        }
        assert!(
            start.elapsed() < Duration::from_secs(60),
            "no capture started"
        );
        std::thread::sleep(Duration::from_millis(10));
    }
}

#[test]
fn target_killed_mid_capture_keeps_a_partial_only_when_asked() {
    let mut app = App::start(&["--inspect=127.0.0.1:0"], "big-heap.cjs", &["150"]);
    let port = app.inspector_port();
    let out = TempDir::new("capture-killed");
    let command = heaptui_command(&[
        "capture",
        &format!("127.0.0.1:{port}"),
        "--yes",
        "--keep-partial",
        "--out",
        out.0.to_str().unwrap(),
    ]);
    let heaptui = std::thread::spawn(move || run(command));
    let writing = wait_for_growth(&out.0, 1 << 20);
    app.child.kill().unwrap();
    app.child.wait().unwrap();
    let result = heaptui.join().unwrap();
    assert_fails(
        &result,
        &format!("process {} exited during the capture", app.pid),
    );
    assert!(!writing.exists(), "no snapshot-named file is left");
    let left: Vec<String> = std::fs::read_dir(&out.0)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(left.len(), 1, "{left:?}");
    assert!(left[0].ends_with(".heapsnapshot.partial"), "{left:?}");
    assert!(error_line(&result).contains("partial file kept"));
}

/// A small tmpfs mounted for one test (root only), unmounted when dropped.
struct Mount(TempDir);

impl Mount {
    fn tmpfs(options: &str) -> Option<Mount> {
        if !is_root() {
            return None;
        }
        let dir = TempDir::new("capture-tmpfs");
        let status = Command::new("mount")
            .args(["-t", "tmpfs", "-o", options, "tmpfs"])
            .arg(&dir.0)
            .status()
            .ok()?;
        status.success().then_some(Mount(dir))
    }
}

impl Drop for Mount {
    fn drop(&mut self) {
        let _ = Command::new("umount").arg(&self.0 .0).status();
    }
}

fn entries(dir: &Path) -> usize {
    std::fs::read_dir(dir).unwrap().count()
}

#[test]
fn full_and_read_only_output_folders() {
    let app = App::start(&["--inspect=127.0.0.1:0"], "leaky.cjs", &[]);
    let endpoint = format!("127.0.0.1:{}", app.inspector_port());
    let Some(tiny) = Mount::tmpfs("size=1m") else {
        eprintln!("skipped: mounting a 1 MB tmpfs needs root (full-disk case)");
        return;
    };
    let dir = tiny.0 .0.to_str().unwrap();
    let result = capture(&[&endpoint, "--yes", "--out", dir]);
    assert_fails(&result, "not enough free space for the snapshot");
    let result = capture(&[&endpoint, "--yes", "--force", "--out", dir]);
    assert_fails(&result, "disk full");
    assert_eq!(entries(&tiny.0 .0), 0, "the partial file is removed");

    let read_only = Mount::tmpfs("size=1m,ro").expect("a read-only tmpfs");
    let dir = read_only.0 .0.to_str().unwrap();
    let result = capture(&[&endpoint, "--yes", "--force", "--out", dir]);
    assert_fails(
        &result,
        "cannot create the snapshot file: Read-only file system",
    );
}

#[test]
fn pty_series_of_two_opens_on_the_comparison() -> Result<(), String> {
    let _port = PORT_9229.lock().unwrap_or_else(|e| e.into_inner());
    let app = App::start(&[], "leaky.cjs", &[]);
    let out = TempDir::new("capture-pty");
    let args: Vec<String> = [
        "capture",
        &app.pid_arg(),
        "--count",
        "2",
        "--every",
        "2s",
        "--open",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    let mut pty = tui_harness::Pty::spawn(&tui_harness::binary(), &args, &out.0, (80, 24), &[]);
    pty.wait_for("Take 2 snapshots, every 0:02? [y/N]")?;
    pty.send(b"y\r");
    pty.wait_for("snapshot 2/2 in 0:0")?;
    pty.wait_for("q stops")?;
    pty.wait_for("Comparison")?;
    pty.wait_for("IncomingMessage")?;
    let screen = pty.text();
    assert!(screen.contains("# New"), "{screen}");
    pty.send(b"q");
    assert_eq!(pty.wait_exit()?, 0);
    let names: Vec<String> = std::fs::read_dir(&out.0)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(names.len(), 2, "{names:?}");
    assert!(TcpStream::connect_timeout(&local(9229), Duration::from_secs(1)).is_err());
    Ok(())
}

#[test]
fn pty_q_during_the_countdown_keeps_what_was_taken() -> Result<(), String> {
    let app = App::start(&["--inspect=127.0.0.1:0"], "leaky.cjs", &[]);
    let out = TempDir::new("capture-q");
    let endpoint = format!("127.0.0.1:{}", app.inspector_port());
    let args: Vec<String> = [
        "capture", &endpoint, "--count", "5", "--every", "1m", "--yes",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    let mut pty = tui_harness::Pty::spawn(&tui_harness::binary(), &args, &out.0, (100, 24), &[]);
    pty.wait_for("snapshot 2/5 in 1:00")?;
    pty.send(b"q");
    assert_eq!(pty.wait_exit()?, 0);
    pty.wait_for("stopped after 1 of 5 snapshots")?;
    assert_eq!(entries(&out.0), 1);
    Ok(())
}

#[test]
fn the_picker_shows_snapshots_as_they_arrive() -> Result<(), String> {
    let app = App::start(&["--inspect=127.0.0.1:0"], "leaky.cjs", &[]);
    let endpoint = format!("127.0.0.1:{}", app.inspector_port());
    let out = TempDir::new("capture-picker");
    let dir = out.0.to_str().unwrap().to_string();
    // The folder is empty at first: the picker opens and waits.
    let mut pty = tui_harness::Pty::heaptui(&[&dir], (120, 24), &[]);
    pty.wait_for("No .heapsnapshot or .heapsnapshot.gz file here yet")?;
    pty.wait_for("Watching the folder")?;
    let first = files(&capture(&[&endpoint, "--yes", "--out", &dir]));
    pty.wait_for("process ")?;
    pty.wait_for("1 snapshot")?;
    let second = files(&capture(&[&endpoint, "--yes", "--out", &dir]));
    assert_ne!(first, second);
    let name = second[0].file_name().unwrap().to_str().unwrap().to_string();
    pty.wait_for(&name)?;
    pty.wait_for("2 snapshots")?;
    // Settled: both readable, the pair is suggested and Enter opens their Comparison.
    pty.wait_until("both settled", |s| !s.contains("being written"))?;
    pty.wait_for("★ suggested pair")?;
    pty.send(b"\r");
    pty.wait_for("# New")?;
    pty.wait_for("2 Comparison")?;
    pty.send(b"q");
    assert_eq!(pty.wait_exit()?, 0);
    Ok(())
}

#[test]
fn sigterm_during_a_series_still_closes_the_inspector() {
    let _port = PORT_9229.lock().unwrap_or_else(|e| e.into_inner());
    let mut app = App::start(&[], "leaky.cjs", &[]);
    let out = TempDir::new("capture-term");
    let mut heaptui = heaptui_command(&[
        "capture",
        &app.pid_arg(),
        "--count",
        "3",
        "--every",
        "1m",
        "--yes",
        "--out",
        out.0.to_str().unwrap(),
    ])
    .stdin(Stdio::null())
    .stdout(Stdio::piped())
    .stderr(Stdio::piped())
    .spawn()
    .unwrap();
    // The first snapshot is written: heaptui now waits a minute with the inspector open.
    let start = Instant::now();
    while !std::fs::read_dir(&out.0).unwrap().any(|e| {
        let name = e.unwrap().file_name();
        name.to_string_lossy().starts_with("Baseline.")
    }) {
        assert!(
            start.elapsed() < Duration::from_secs(30),
            "no first snapshot"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
    std::thread::sleep(Duration::from_millis(500));
    assert!(inspector_answers(local(9229)), "open between the snapshots");
    // SAFETY: kill only sends SIGTERM to the heaptui child.
    assert_eq!(unsafe { libc::kill(heaptui.id() as i32, libc::SIGTERM) }, 0);
    let start = Instant::now();
    let status = loop {
        if let Some(status) = heaptui.try_wait().unwrap() {
            break status;
        }
        assert!(
            start.elapsed() < Duration::from_secs(30),
            "heaptui did not stop"
        );
        std::thread::sleep(Duration::from_millis(20));
    };
    let mut text = String::new();
    heaptui
        .stderr
        .take()
        .unwrap()
        .read_to_string(&mut text)
        .unwrap();
    assert_eq!(status.code(), Some(130), "{text}");
    assert!(
        text.contains("closed the inspector on 127.0.0.1:9229"),
        "{text}"
    );
    assert!(text.trim_end().ends_with("heaptui: interrupted"), "{text}");
    let mut listed = String::new();
    heaptui
        .stdout
        .take()
        .unwrap()
        .read_to_string(&mut listed)
        .unwrap();
    assert_eq!(listed.lines().count(), 1, "the snapshot taken is listed");
    assert!(TcpStream::connect_timeout(&local(9229), Duration::from_secs(1)).is_err());
    assert!(app.alive());
}

/// A headless Chromium with a throwaway profile on a page that leaks, killed when dropped.
struct Browser {
    child: Child,
    profile: TempDir,
}

impl Browser {
    /// Starts Chromium, if installed, on a `data:` page that keeps `Leak` objects; `None`
    /// when there is no Chromium.
    fn start() -> Option<(Browser, u16)> {
        let chromium = std::env::var("CHROMIUM").unwrap_or_else(|_| "/usr/bin/chromium".into());
        if !Path::new(&chromium).exists() {
            return None;
        }
        let profile = TempDir::new("capture-chromium");
        let page = "data:text/html,<title>leaky page</title><script>class Leak{constructor(n)\
                    {this.n=n}};window.kept=[];setInterval(()=>kept.push(new Leak(kept.length)),5)\
                    </script>";
        let child = Command::new(chromium)
            .args([
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--disable-extensions",
                "--remote-debugging-port=0",
            ])
            .arg(format!("--user-data-dir={}", profile.0.display()))
            .arg(page)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .ok()?;
        let browser = Browser { child, profile };
        let active = browser.profile.path("DevToolsActivePort");
        let start = Instant::now();
        loop {
            if let Ok(text) = std::fs::read_to_string(&active) {
                if let Some(port) = text.lines().next().and_then(|l| l.parse().ok()) {
                    return Some((browser, port));
                }
            }
            assert!(
                start.elapsed() < Duration::from_secs(30),
                "Chromium did not start"
            );
            std::thread::sleep(Duration::from_millis(100));
        }
    }
}

impl Drop for Browser {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

#[test]
fn a_chromium_page_over_its_remote_debugging_port() {
    let Some((_browser, port)) = Browser::start() else {
        eprintln!("skipped: no Chromium (apt-get install chromium; CI installs it as root)");
        return;
    };
    let out = TempDir::new("capture-page");
    let endpoint = format!("127.0.0.1:{port}");
    // The page may take a moment to be listed.
    let start = Instant::now();
    let result = loop {
        // No --page: the one page is chosen over the browser's own UI targets.
        let result = capture(&[
            &endpoint,
            "--count",
            "2",
            "--every",
            "1s",
            "--yes",
            "--out",
            out.0.to_str().unwrap(),
        ]);
        if result.status.success() || start.elapsed() > Duration::from_secs(20) {
            break result;
        }
        std::thread::sleep(Duration::from_millis(500));
    };
    let taken = files(&result);
    assert_eq!(taken.len(), 2);
    // A page has no process id of its own to tell: 0 stands for it.
    assert_named(&taken[0], "Baseline", 0, "heapsnapshot");
    let out = common::heaptui(&[
        "diff",
        taken[0].to_str().unwrap(),
        taken[1].to_str().unwrap(),
        "--json",
        "--filter",
        "Leak",
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    let doc: Value = serde_json::from_slice(&out.stdout).unwrap();
    let leak = doc["classes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["name"] == "Leak")
        .unwrap_or_else(|| panic!("Leak grows: {doc}"));
    assert!(leak["addedCount"].as_u64().unwrap() > 50, "{leak}");
    assert_eq!(
        leak["removedCount"], 0,
        "ids match within one session: {leak}"
    );
}
