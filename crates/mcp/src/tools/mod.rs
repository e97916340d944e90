//! The tools, one module each: a parameter struct (its JSON schema is the tool's input schema)
//! and a function from the session and the parameters to an [`Answer`](crate::answer::Answer).
//! Each is a thin call into the same library as the CLI: the documents come from
//! `heaptui_present`, the numbers from `heaptui_engine` and `heaptui_leaks`.

pub mod capture;
pub mod files;
pub mod objects;
pub mod paths;
pub mod query;
pub mod realms;
pub mod series;
pub mod views;

use crate::answer::ToolError;
use crate::handles::State;
use crate::session::Session;
use heaptui_engine::Snapshot;
use rmcp::model::{ProgressNotificationParam, ProgressToken};
use rmcp::{Peer, RoleServer};
use std::sync::Arc;

/// Progress is reported in these units: percent of the loads a call waits for.
const PROGRESS_TOTAL: f64 = 100.0;

/// One call's view of the session: the shared state and where its progress goes.
pub struct Call {
    /// The session.
    pub session: Arc<Session>,
    /// The client and the token it asked progress under, when it asked.
    pub progress: Option<(Peer<RoleServer>, ProgressToken)>,
}

impl Call {
    /// The loaded snapshot of `handle`, waiting for its load (reporting progress).
    pub async fn snapshot(&self, handle: &str) -> Result<Snapshot, ToolError> {
        Ok(self.snapshots(&[handle.to_string()]).await?.remove(0))
    }

    /// The loaded snapshots of `handles`, in order, waiting for their loads.
    pub async fn snapshots(&self, handles: &[String]) -> Result<Vec<Snapshot>, ToolError> {
        let entries = handles
            .iter()
            .map(|h| self.session.handles.get(h))
            .collect::<Result<Vec<_>, _>>()?;
        let mut out = Vec::with_capacity(entries.len());
        let n = entries.len() as f64;
        for (i, entry) in entries.iter().enumerate() {
            let mut state = entry.state.clone();
            loop {
                let now = state.borrow_and_update().clone();
                match now {
                    State::Ready(s) => {
                        out.push(s);
                        break;
                    }
                    State::Failed(reason) => {
                        return Err(ToolError::Load {
                            what: entry.handle.clone(),
                            reason,
                        })
                    }
                    State::Loading { phase, fraction } => {
                        let done = (i as f64 + fraction) / n * PROGRESS_TOTAL;
                        self.report(done, &format!("{}: {phase}", entry.handle))
                            .await;
                    }
                }
                if state.changed().await.is_err() {
                    return Err(ToolError::Internal(format!(
                        "the load of {} stopped without a result",
                        entry.handle
                    )));
                }
            }
        }
        Ok(out)
    }

    /// Sends a progress notification when the client asked for them.
    async fn report(&self, done: f64, message: &str) {
        if let Some((peer, token)) = &self.progress {
            // A client that went away cannot be told; the answer will not reach it either.
            let _ = peer
                .notify_progress(
                    ProgressNotificationParam::new(token.clone(), done)
                        .with_total(PROGRESS_TOTAL)
                        .with_message(message),
                )
                .await;
        }
    }
}

/// Runs `work` (an analysis over a loaded snapshot, CPU-bound) off the protocol's threads.
pub async fn blocking<T, F>(work: F) -> Result<T, ToolError>
where
    T: Send + 'static,
    F: FnOnce() -> T + Send + 'static,
{
    tokio::task::spawn_blocking(work)
        .await
        .map_err(|e| ToolError::Internal(format!("the analysis thread failed: {e}")))
}

/// The node of object `id` in `snapshot` (opened as `handle`).
pub fn node(snapshot: &Snapshot, handle: &str, id: u32) -> Result<u32, ToolError> {
    snapshot
        .node_for_id(id)
        .ok_or_else(|| ToolError::NoSuchObject {
            handle: handle.to_string(),
            id,
        })
}

/// A clap value enum named by `value` (`default` when absent), the CLI's spelling.
pub fn choice<E: clap::ValueEnum>(
    name: &str,
    value: Option<&str>,
    default: E,
) -> Result<E, ToolError> {
    let Some(value) = value else {
        return Ok(default);
    };
    E::from_str(value, true).map_err(|_| {
        let names: Vec<String> = E::value_variants()
            .iter()
            .filter_map(|v| v.to_possible_value().map(|p| p.get_name().to_string()))
            .collect();
        ToolError::Argument(format!(
            "{name} must be one of {}, not {}",
            names.join(", "),
            crate::safety::quoted(value)
        ))
    })
}

/// A depth argument, 1 by default, at most `max` (deeper trees grow past what an answer
/// should carry).
pub fn depth(value: Option<usize>, max: usize) -> Result<usize, ToolError> {
    match value.unwrap_or(1) {
        d @ 1.. if d <= max => Ok(d),
        _ => Err(ToolError::Argument(format!(
            "depth must be between 1 and {max}"
        ))),
    }
}
