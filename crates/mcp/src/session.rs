//! What a server session holds: its configuration, the roots files must lie under, and the
//! open snapshots.

use crate::answer::ToolError;
use crate::handles::Handles;
use crate::safety::Roots;
use heaptui_engine::LoadOptions;
use rmcp::{Peer, RoleServer};
use std::path::PathBuf;
use std::time::Duration;

/// How long the client gets to list its roots: a client that does not answer must not hold
/// up an `open`.
const CLIENT_ROOTS_TIMEOUT: Duration = Duration::from_secs(5);

/// How the server was started.
#[derive(Debug, Clone)]
pub struct Config {
    /// The folders files may be opened from (`--root`, the working directory by default).
    pub roots: Vec<PathBuf>,
    /// Show string values from the heap (`--show-values`); masked otherwise.
    pub show_values: bool,
    /// Refuse loads whose estimated memory need exceeds what is available.
    pub check_memory: bool,
    /// Offer the `capture` tool (`--allow-capture`).
    pub allow_capture: bool,
    /// Reopen snapshots from their index, or write one (`--index`).
    pub index: bool,
}

/// The state of one server session.
pub struct Session {
    /// How the server was started.
    pub config: Config,
    /// The roots given at start, resolved.
    pub roots: Roots,
    /// The open snapshots.
    pub handles: Handles,
}

impl Session {
    /// A session with no snapshots open; fails when a root cannot be resolved.
    pub fn new(config: Config) -> std::io::Result<Session> {
        let roots = Roots::new(&config.roots)?;
        let handles = Handles::new(LoadOptions {
            check_memory: config.check_memory,
            redact: !config.show_values,
            index: config.index,
        });
        Ok(Session {
            config,
            roots,
            handles,
        })
    }

    /// The file `asked` names, when it is a regular file under the start roots or the
    /// client's MCP roots (asked for when the client has them).
    pub async fn resolve(
        &self,
        asked: &str,
        peer: &Peer<RoleServer>,
    ) -> Result<PathBuf, ToolError> {
        let first = self.roots.resolve(asked);
        if first.is_ok() {
            return Ok(first?);
        }
        let client = client_roots(peer).await;
        if client.is_empty() {
            return Ok(first?);
        }
        Ok(self.roots.with(&client).resolve(asked)?)
    }
}

impl Session {
    /// The folder `asked` names, when it lies under the roots (for `capture`'s output).
    pub async fn resolve_dir(
        &self,
        asked: &str,
        peer: &Peer<RoleServer>,
    ) -> Result<PathBuf, ToolError> {
        let client = client_roots(peer).await;
        Ok(self.roots.with(&client).resolve_dir(asked)?)
    }
}

/// The client's `file://` roots, if it declares any and answers in time.
#[allow(deprecated)] // Roots are deprecated in the newest protocol, still sent by clients.
async fn client_roots(peer: &Peer<RoleServer>) -> Vec<PathBuf> {
    let declares = peer
        .peer_info()
        .is_some_and(|info| info.capabilities.roots.is_some());
    if !declares {
        return Vec::new();
    }
    match tokio::time::timeout(CLIENT_ROOTS_TIMEOUT, peer.list_roots()).await {
        Ok(Ok(list)) => list
            .roots
            .iter()
            .filter_map(|r| r.uri.strip_prefix("file://"))
            .map(PathBuf::from)
            .collect(),
        _ => Vec::new(),
    }
}
