//! One heap snapshot over the DevTools protocol: `Runtime.getHeapUsage` for the safety
//! estimate, then `HeapProfiler.takeHeapSnapshot` with progress reports, each
//! `addHeapSnapshotChunk` written to the output file as it arrives.
//!
//! The object ids of a snapshot stay comparable with the next one only while the protocol
//! session lives (closing a session clears V8's id map), so a series is taken on one session.

use super::inspector::Session;
use super::output::Output;
use super::{Cancel, Step};
use heaptui_common::error::{Error, Result};
use serde_json::{json, Value};
use std::path::PathBuf;
use std::time::{Duration, Instant};

/// How long a target whose connection broke may take to finish exiting.
const EXIT_GRACE: Duration = Duration::from_secs(2);
/// How long the small commands may take.
const COMMAND_TIMEOUT: Duration = Duration::from_secs(10);

/// The JavaScript heap's size as V8 reports it.
#[derive(Debug, Clone, Copy)]
pub struct HeapUsage {
    /// Bytes in use.
    pub used: u64,
    /// Bytes reserved.
    pub total: u64,
}

/// `Runtime.getHeapUsage`.
pub fn usage(session: &mut Session) -> Result<HeapUsage> {
    let r = session
        .cdp
        .simple("Runtime.getHeapUsage", json!({}), COMMAND_TIMEOUT)?;
    let number = |k: &str| r[k].as_f64().map(|v| v as u64);
    match (number("usedSize"), number("totalSize")) {
        (Some(used), Some(total)) => Ok(HeapUsage { used, total }),
        _ => Err(Error::capture(format!(
            "{}: Runtime.getHeapUsage gave no sizes",
            session.cdp.addr
        ))),
    }
}

/// Takes a snapshot into `out` within `timeout`; returns the finished file.
pub fn take(
    session: &mut Session,
    mut out: Output,
    timeout: Duration,
    cancel: &Cancel,
    report: &mut dyn FnMut(Step),
) -> Result<PathBuf> {
    let deadline = Instant::now() + timeout;
    let mut last = 0u8;
    let mut on_event = |method: &str, params: Value| -> Result<()> {
        match method {
            "HeapProfiler.addHeapSnapshotChunk" => {
                let chunk = params["chunk"].as_str().unwrap_or_default();
                out.write(chunk.as_bytes())?;
                if let Some(&b) = chunk.trim_end().as_bytes().last() {
                    last = b;
                }
                report(Step::Streaming { bytes: out.written });
            }
            "HeapProfiler.reportHeapSnapshotProgress" => {
                let n = |k: &str| params[k].as_u64().unwrap_or(0);
                report(Step::Traversing {
                    done: n("done"),
                    total: n("total"),
                });
            }
            _ => {}
        }
        Ok(())
    };
    let params = json!({ "reportProgress": true });
    let result = session.cdp.call(
        "HeapProfiler.takeHeapSnapshot",
        params,
        deadline,
        cancel,
        &mut on_event,
    );
    if let Err(e) = result {
        let e = if Instant::now() > deadline {
            Error::capture(format!(
                "{}: the snapshot took longer than {} s (--timeout)",
                session.cdp.addr,
                timeout.as_secs()
            ))
        } else {
            explain(session, e, cancel)
        };
        return Err(abandon(out, e));
    }
    if out.written == 0 || last != b'}' {
        let e = Error::capture(format!(
            "{}: the snapshot stream ended incomplete ({} bytes)",
            session.cdp.addr, out.written
        ));
        return Err(abandon(out, e));
    }
    out.finish()
}

/// Removes the partial file and returns the error; or keeps the file, saying where in the error.
pub fn abandon(out: Output, error: Error) -> Error {
    match out.abandon() {
        Some(kept) => {
            let kept =
                heaptui_common::util::sanitize::sanitize(&kept.display().to_string()).into_owned();
            Error::capture(format!("{error} (partial file kept: {kept})"))
        }
        None => error,
    }
}

/// Says what a failed capture means: cancelled, the target died, or as it was.
fn explain(session: &Session, error: Error, cancel: &Cancel) -> Error {
    if cancel.is_set() {
        return Error::capture("interrupted");
    }
    if let Some(pid) = session.pid {
        // A dying process closes its sockets before it is gone: give it a moment.
        let start = Instant::now();
        while start.elapsed() < EXIT_GRACE {
            let gone = super::process::Process::find(pid).map_or(true, |p| !p.alive());
            if gone {
                return Error::capture(format!("process {pid} exited during the capture"));
            }
            std::thread::sleep(Duration::from_millis(50));
        }
    }
    error
}
