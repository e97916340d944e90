//! `capture`: one snapshot of a live process, over its inspector, with `heaptui capture`'s
//! safety: only when the server was started with `--allow-capture`, loopback inspectors only,
//! the disk checked before writing, a new 0600 file that never overwrites, an inspector heaptui
//! opened closed again, no partial file left behind. The file goes to a folder under the
//! roots, and can be opened at once.

use super::{blocking, Call};
use crate::answer::{Answer, ToolError, ToolResult};
use crate::safety::quoted;
use heaptui_capture::inspector::{self, Session};
use heaptui_capture::output::Output;
use heaptui_capture::safety::Estimate;
use heaptui_capture::target::Target;
use heaptui_capture::{heap, Cancel};
use rmcp::schemars::{self, JsonSchema};
use rmcp::{Peer, RoleServer};
use serde::Deserialize;
use serde_json::json;
use std::path::PathBuf;
use std::time::Duration;

/// How long one snapshot may take: the process is paused meanwhile, so a capture that hangs
/// is stopped rather than waited on (`heaptui capture`'s default).
const CAPTURE_TIMEOUT: Duration = Duration::from_secs(600);

/// Arguments of `capture`.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct CaptureArgs {
    /// The process: a PID (its inspector, or one heaptui opens and closes), a loopback
    /// HOST:PORT of an open inspector, or a ws:// URL.
    pub target: String,
    /// The folder to write to, under the roots (default: the first root).
    pub out: Option<String>,
    /// Compress while writing.
    pub gzip: Option<bool>,
    /// Open the snapshot at once (default true): the answer carries its handle.
    pub open: Option<bool>,
}

/// `capture`: one snapshot of a live process.
pub async fn capture(call: &Call, peer: &Peer<RoleServer>, args: CaptureArgs) -> ToolResult {
    if !call.session.config.allow_capture {
        return Err(ToolError::Disabled(
            "capture is off: start the server with --allow-capture to take snapshots of live processes",
        ));
    }
    let dir = match &args.out {
        Some(out) => call.session.resolve_dir(out, peer).await?,
        None => call.session.roots.dirs()[0].clone(),
    };
    let gzip = args.gzip.unwrap_or(false);
    let target = args.target.clone();
    let file = blocking(move || take(&target, dir, gzip))
        .await?
        .map_err(|e| ToolError::Capture(e.to_string()))?;
    let shown = file.display().to_string();
    let mut doc = json!({ "file": shown });
    let mut text = format!("captured {}\n", quoted(&shown));
    if args.open.unwrap_or(true) {
        let entry = call.session.handles.open(file)?;
        call.snapshot(&entry.handle).await?;
        doc["handle"] = entry.handle.clone().into();
        text.push_str(&format!("opened as {}\n", entry.handle));
    }
    Ok(Answer {
        structured: doc,
        text,
    })
}

/// Takes the snapshot: the route (loopback only), the connection, the disk check, the file.
fn take(target: &str, dir: PathBuf, gzip: bool) -> heaptui_common::error::Result<PathBuf> {
    let target = Target::parse(target)?;
    let route = inspector::route(&target, false)?;
    let mut session = Session::connect(&route, None)?;
    let taken = (|| {
        let usage = heap::usage(&mut session)?;
        let estimate = Estimate::new(usage.used, false, &dir, gzip)?;
        if !estimate.fits(1) {
            return Err(heaptui_common::error::Error::capture(format!(
                "not enough free space in the output folder for the snapshot (about {} bytes needed, {} free)",
                estimate.file, estimate.disk_available
            )));
        }
        let out = Output::create(&dir, "Manual", session.pid.unwrap_or(0), gzip, false)?;
        heap::take(
            &mut session,
            out,
            CAPTURE_TIMEOUT,
            &Cancel::never(),
            &mut |_| {},
        )
    })();
    // The inspector heaptui opened is closed whatever happened.
    let closed = session.finish();
    let file = taken?;
    closed?;
    Ok(file)
}
