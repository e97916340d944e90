//! `heaptui mcp`: the leak hunt for coding agents. A Model Context Protocol server on stdio
//! (rmcp, the official Rust SDK) whose tools are thin calls into the same library as the CLI,
//! so every number is the CLI's; safe with private data and hostile heap strings (files only
//! under the roots, string values redacted unless `--show-values`, heap strings quoted,
//! escaped and capped).
#![warn(missing_docs)]

pub mod answer;
pub mod handles;
pub mod safety;
pub mod server;
pub mod session;
pub mod stdio;
pub mod tools;

pub use session::Config;

use std::path::PathBuf;

/// Arguments of `heaptui mcp`.
#[derive(clap::Args, Debug)]
pub struct Args {
    /// A folder whose snapshot files the server may open (repeatable); the working directory
    /// when none is given. Symlinks and `..` are resolved before the check.
    #[arg(long = "root", value_name = "DIR")]
    pub roots: Vec<PathBuf>,
    /// Show string values from the heap; without it they are masked (letters x, digits 0).
    #[arg(long)]
    pub show_values: bool,
    /// Offer the `capture` tool: snapshots of live processes over their loopback inspector,
    /// with `heaptui capture`'s safety.
    #[arg(long)]
    pub allow_capture: bool,
}

impl Args {
    /// The server's configuration; `check_memory` from the global `--no-memory-check`.
    pub fn config(&self, check_memory: bool, index: bool) -> Config {
        Config {
            roots: if self.roots.is_empty() {
                vec![PathBuf::from(".")]
            } else {
                self.roots.clone()
            },
            show_values: self.show_values,
            check_memory,
            allow_capture: self.allow_capture,
            index,
        }
    }
}

use rmcp::ServiceExt;

/// Why the server could not run.
#[derive(Debug)]
pub enum ServeError {
    /// A `--root` cannot be resolved.
    Root(std::io::Error),
    /// The runtime could not start.
    Runtime(std::io::Error),
    /// The MCP session could not be set up (a client that never initialised).
    Protocol(String),
}

impl std::fmt::Display for ServeError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ServeError::Root(e) => write!(f, "a --root cannot be used: {e}"),
            ServeError::Runtime(e) => write!(f, "cannot start the server's runtime: {e}"),
            ServeError::Protocol(m) => write!(f, "the MCP session failed: {m}"),
        }
    }
}

impl std::error::Error for ServeError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            ServeError::Root(e) | ServeError::Runtime(e) => Some(e),
            ServeError::Protocol(_) => None,
        }
    }
}

/// Threads answering the protocol: requests only wait on loads and analyses, which run on
/// threads of their own.
const PROTOCOL_THREADS: usize = 2;

/// Serves MCP on standard input and output until the client closes the connection.
pub fn serve_stdio(config: Config) -> Result<(), ServeError> {
    let session = session::Session::new(config).map_err(ServeError::Root)?;
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(PROTOCOL_THREADS)
        .enable_all()
        .build()
        .map_err(ServeError::Runtime)?;
    runtime.block_on(async move {
        let (transport, writer) = stdio::transport();
        let server = server::HeapServer::new(session)
            .serve(transport)
            .await
            .map_err(|e| ServeError::Protocol(e.to_string()))?;
        server
            .waiting()
            .await
            .map_err(|e| ServeError::Protocol(e.to_string()))?;
        // Every answer out before the process ends.
        let _ = writer.await;
        Ok(())
    })
}
