//! A Chrome DevTools Protocol client over one WebSocket (tungstenite): numbered commands,
//! their responses and the events in between, read with a short socket timeout so waits can
//! end on a deadline or a cancellation without a thread per connection.
//!
//! Messages are read one at a time and handed on, so a snapshot streamed as thousands of
//! `HeapProfiler.addHeapSnapshotChunk` events never sits in memory whole.

use super::Cancel;
use heaptui_common::error::{Error, Result};
use serde::Deserialize;
use serde_json::{json, Value};
use std::net::{SocketAddr, TcpStream};
use std::time::{Duration, Instant};
use tungstenite::{Message, WebSocket};

/// How long a TCP connect and the WebSocket handshake may take.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(5);
/// How often a wait looks at its deadline and the cancellation flag.
const TICK: Duration = Duration::from_millis(200);
/// How long a blocked write may take before the target counts as hung.
const WRITE_TIMEOUT: Duration = Duration::from_secs(30);

/// One connection to one debugging target.
pub struct Cdp {
    socket: WebSocket<TcpStream>,
    next_id: u64,
    /// The address connected to, for messages.
    pub addr: SocketAddr,
}

/// A message from the target: a response (`id`) or an event (`method`).
#[derive(Deserialize)]
struct Incoming {
    id: Option<u64>,
    method: Option<String>,
    #[serde(default)]
    params: Value,
    #[serde(default)]
    result: Value,
    error: Option<Value>,
}

impl Cdp {
    /// Connects to `ws://addr/path` (the Host header is the address itself, which inspectors
    /// accept as not a DNS-rebinding attempt).
    pub fn connect(addr: SocketAddr, path: &str) -> Result<Cdp> {
        let stream = TcpStream::connect_timeout(&addr, CONNECT_TIMEOUT)
            .map_err(|e| connect_error(addr, &e))?;
        let set = |s: &TcpStream, read: Duration| {
            s.set_read_timeout(Some(read))
                .and_then(|_| s.set_write_timeout(Some(WRITE_TIMEOUT)))
                .and_then(|_| s.set_nodelay(true))
                .map_err(|e| Error::capture(format!("{addr}: {e}")))
        };
        set(&stream, CONNECT_TIMEOUT)?;
        let url = format!("ws://{addr}{path}");
        let (socket, _) = tungstenite::client(url.as_str(), stream).map_err(|e| {
            let why = match e {
                tungstenite::HandshakeError::Interrupted(_) => "no answer".to_string(),
                tungstenite::HandshakeError::Failure(e) => e.to_string(),
            };
            Error::capture(format!(
                "{addr} is not a debugger WebSocket endpoint ({why})"
            ))
        })?;
        set(socket.get_ref(), TICK)?;
        Ok(Cdp {
            socket,
            next_id: 1,
            addr,
        })
    }

    /// Sends a command without waiting; returns its id.
    pub fn send(&mut self, method: &str, params: Value) -> Result<u64> {
        let id = self.next_id;
        self.next_id += 1;
        let text = json!({ "id": id, "method": method, "params": params }).to_string();
        self.socket
            .send(Message::text(text))
            .map_err(|e| self.closed_error(&e))?;
        Ok(id)
    }

    /// Sends a command and waits for its result until `deadline`, handing every event that
    /// arrives meanwhile to `on_event` (method, params); an error from it ends the wait.
    pub fn call(
        &mut self,
        method: &str,
        params: Value,
        deadline: Instant,
        cancel: &Cancel,
        on_event: &mut dyn FnMut(&str, Value) -> Result<()>,
    ) -> Result<Value> {
        let id = self.send(method, params)?;
        loop {
            cancel.check()?;
            if Instant::now() > deadline {
                return Err(Error::capture(format!(
                    "{}: no answer to {method} in time",
                    self.addr
                )));
            }
            let Some(message) = self.next()? else {
                continue;
            };
            if message.id == Some(id) {
                if let Some(error) = message.error {
                    let why = error["message"].as_str().unwrap_or("error").to_string();
                    return Err(Error::capture(format!(
                        "{}: {method} failed: {}",
                        self.addr,
                        heaptui_common::util::sanitize::sanitize(&why)
                    )));
                }
                return Ok(message.result);
            }
            if let Some(event) = &message.method {
                on_event(event, message.params)?;
            }
        }
    }

    /// A command whose events do not matter.
    pub fn simple(&mut self, method: &str, params: Value, timeout: Duration) -> Result<Value> {
        let deadline = Instant::now() + timeout;
        self.call(method, params, deadline, &Cancel::never(), &mut |_, _| {
            Ok(())
        })
    }

    /// Reads until the target closes the connection (answering its close frame) or `timeout`
    /// passes; true when it closed.
    pub fn wait_closed(&mut self, timeout: Duration) -> bool {
        let deadline = Instant::now() + timeout;
        while Instant::now() < deadline {
            match self.socket.read() {
                Ok(_) => {}
                Err(tungstenite::Error::Io(e)) if is_timeout(&e) => {}
                Err(_) => return true,
            }
        }
        false
    }

    /// The next message, or `None` when none arrived within one tick.
    fn next(&mut self) -> Result<Option<Incoming>> {
        match self.socket.read() {
            Ok(Message::Text(text)) => serde_json::from_str(text.as_str()).map(Some).map_err(|e| {
                Error::capture(format!(
                    "{}: not a DevTools protocol message: {e}",
                    self.addr
                ))
            }),
            Ok(_) => Ok(None),
            Err(tungstenite::Error::Io(e)) if is_timeout(&e) => Ok(None),
            Err(e) => Err(self.closed_error(&e)),
        }
    }

    fn closed_error(&self, e: &tungstenite::Error) -> Error {
        Error::capture(format!("{}: the connection closed ({e})", self.addr))
    }
}

impl Drop for Cdp {
    fn drop(&mut self) {
        let _ = self.socket.close(None);
        let _ = self.socket.flush();
    }
}

fn is_timeout(e: &std::io::Error) -> bool {
    matches!(
        e.kind(),
        std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut
    )
}

/// Refused, unreachable or timed out, said plainly.
pub fn connect_error(addr: SocketAddr, e: &std::io::Error) -> Error {
    match e.kind() {
        std::io::ErrorKind::ConnectionRefused => Error::capture(format!(
            "{addr}: connection refused (no inspector listens there)"
        )),
        _ if is_timeout(e) => Error::capture(format!("{addr}: no answer (connect timed out)")),
        _ => Error::capture(format!("{addr}: cannot connect: {e}")),
    }
}
