//! Signal mode: the process writes the snapshot itself when sent a signal (Node's
//! `--heapsnapshot-signal`, or a handler calling `v8.writeHeapSnapshot`). heaptui sends the
//! signal and waits for a new `.heapsnapshot` file in the process's snapshot folder
//! (`--dir`, else its `--diagnostic-dir`, else its working directory) to be complete: the
//! process no longer has it open, its size held still between two looks, and it ends the
//! way a snapshot's JSON ends.
//!
//! A signal the process does not catch would kill it, so it is never sent.

use super::process::{signal_name, Process};
use super::{Cancel, Step};
use heaptui_common::error::{Error, Result};
use std::collections::HashSet;
use std::io::{Read, Seek, SeekFrom};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// How often the folder is looked at while the process writes.
const POLL: Duration = Duration::from_millis(200);

/// The folder the process writes its snapshots to: `given`, else its `--diagnostic-dir`
/// (relative to its working directory), else its working directory.
pub fn snapshot_dir(process: &Process, given: Option<&Path>) -> Result<PathBuf> {
    if let Some(dir) = given {
        return Ok(dir.to_path_buf());
    }
    let cwd = process.cwd()?;
    Ok(match process.node_option("diagnostic-dir").flatten() {
        Some(dir) => cwd.join(dir),
        None => cwd,
    })
}

/// Checks that sending `signal` is safe: the process catches it.
pub fn check(process: &Process, signal: i32) -> Result<()> {
    if process.catches(signal) {
        return Ok(());
    }
    let name = signal_name(signal);
    Err(Error::capture(format!(
        "process {} does not handle {name}, which would kill it; start it with \
         --heapsnapshot-signal={name} or give it a handler that writes a snapshot",
        process.pid
    )))
}

/// Sends `signal` and waits up to `timeout` for the new snapshot in `dir` to be complete.
pub fn capture(
    process: &Process,
    signal: i32,
    dir: &Path,
    timeout: Duration,
    cancel: &Cancel,
    report: &mut dyn FnMut(Step),
) -> Result<PathBuf> {
    check(process, signal)?;
    let before: HashSet<PathBuf> = snapshots(dir)?.into_iter().collect();
    process.signal(signal)?;
    let start = Instant::now();
    let mut last_size = None;
    loop {
        cancel.check()?;
        std::thread::sleep(POLL);
        let fresh = snapshots(dir)?
            .into_iter()
            .filter(|p| !before.contains(p))
            .max_by_key(|p| std::fs::metadata(p).and_then(|m| m.modified()).ok());
        if let Some(file) = &fresh {
            let size = std::fs::metadata(file).map(|m| m.len()).unwrap_or(0);
            report(Step::Writing { file, bytes: size });
            let settled = last_size == Some(size) && size > 0;
            if settled && !process.has_open(file) && ends_complete(file) {
                return Ok(file.clone());
            }
            last_size = Some(size);
        }
        if !process.alive() {
            return Err(Error::capture(format!(
                "process {} exited before its snapshot was complete",
                process.pid
            )));
        }
        if start.elapsed() > timeout {
            let what = match &fresh {
                Some(f) => format!(
                    "{} to be complete",
                    heaptui_common::util::sanitize::sanitize(&f.display().to_string())
                ),
                None => format!(
                    "a new .heapsnapshot in {} after {}",
                    heaptui_common::util::sanitize::sanitize(&dir.display().to_string()),
                    signal_name(signal)
                ),
            };
            return Err(Error::capture(format!(
                "timed out after {} s waiting for {what} (--timeout, --dir)",
                timeout.as_secs()
            )));
        }
    }
}

/// The `.heapsnapshot` files of `dir` (Node writes them uncompressed).
fn snapshots(dir: &Path) -> Result<Vec<PathBuf>> {
    let entries = std::fs::read_dir(dir)
        .map_err(|e| Error::io("cannot list the snapshot folder", e).in_file(dir))?;
    Ok(entries
        .filter_map(|e| e.ok())
        .filter(|e| e.file_name().to_string_lossy().ends_with(".heapsnapshot"))
        .map(|e| e.path())
        .collect())
}

/// True when the file's last non-blank byte closes the snapshot's JSON object.
fn ends_complete(path: &Path) -> bool {
    let Ok(mut file) = std::fs::File::open(path) else {
        return false;
    };
    let mut tail = [0u8; 64];
    let len = file.metadata().map(|m| m.len()).unwrap_or(0);
    let take = len.min(tail.len() as u64);
    let read = file
        .seek(SeekFrom::Start(len - take))
        .and_then(|_| file.read_exact(&mut tail[..take as usize]));
    read.is_ok()
        && tail[..take as usize]
            .iter()
            .rev()
            .find(|b| !b.is_ascii_whitespace())
            == Some(&b'}')
}
