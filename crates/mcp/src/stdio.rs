//! The stdio transport: rmcp's line transport, with an answer for the lines it would drop.
//!
//! rmcp (3.11) silently ignores a line on stdin that is not JSON (on purpose, rust-sdk#938)
//! and answers well-formed JSON that is not a message with a bare "Invalid request" and no id.
//! The server promises a JSON-RPC error with a one-line reason for every malformed request, so
//! a small filter sits between stdin and rmcp's own `AsyncRwTransport`:
//!
//! - a line that is not JSON is answered `-32700 Parse error: <reason>`, id `null`;
//! - JSON that rmcp would not take as a request, notification or response (the same serde type
//!   rmcp parses, `RxJsonRpcMessage<RoleServer>`) is answered `-32600 Invalid Request:
//!   <reason>`, with its id when it has a usable one and `null` otherwise (JSON-RPC 2.0 §5);
//!   notification-shaped objects (a `method`, no `id`) always pass: rmcp decides on those and a
//!   notification never gets an answer;
//! - every other line is handed to rmcp byte for byte, unchanged.
//!
//! One task owns stdout: it writes rmcp's answers (which rmcp writes into an in-memory pipe)
//! and the filter's refusals whole line by whole line, so they never interleave.

use rmcp::model::ErrorCode;
use rmcp::service::RxJsonRpcMessage;
use rmcp::transport::async_rw::{AsyncRwTransport, DEFAULT_MAX_LINE_LENGTH};
use rmcp::RoleServer;
use serde_json::{json, Value};
use tokio::io::{
    AsyncBufRead, AsyncBufReadExt, AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt, BufReader,
    DuplexStream,
};
use tokio::sync::mpsc::{unbounded_channel, UnboundedReceiver, UnboundedSender};

/// The longest line taken (rmcp's own cap); a longer one is refused as a parse error.
pub const MAX_LINE: usize = DEFAULT_MAX_LINE_LENGTH;
/// The longest reason in a refusal, in characters.
const MAX_REASON_CHARS: usize = 200;
/// The in-memory pipes' buffer between the filter, rmcp and the writer.
const PIPE_BYTES: usize = 1 << 20;

/// What the filter does with one line (without its newline).
#[derive(Debug, PartialEq)]
pub enum Verdict {
    /// Hand it to rmcp unchanged.
    Pass,
    /// Answer it with this JSON-RPC error line (no newline) instead.
    Refuse(String),
}

/// The verdict on one line of stdin (its `\n` removed).
pub fn verdict(line: &[u8]) -> Verdict {
    let line = line.strip_suffix(b"\r").unwrap_or(line);
    let body = line.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(line);
    if body.iter().all(u8::is_ascii_whitespace) {
        return Verdict::Pass;
    }
    let value: Value = match serde_json::from_slice(body) {
        Ok(value) => value,
        Err(e) => return Verdict::Refuse(refusal(ErrorCode::PARSE_ERROR, "Parse error", &e, None)),
    };
    let Err(e) = serde_json::from_slice::<RxJsonRpcMessage<RoleServer>>(body) else {
        return Verdict::Pass;
    };
    let Some(object) = value.as_object() else {
        return Verdict::Refuse(refusal(
            ErrorCode::INVALID_REQUEST,
            "Invalid Request",
            &"a JSON-RPC message is an object (batches are not part of MCP)",
            None,
        ));
    };
    if object.get("method").is_some_and(Value::is_string) && !object.contains_key("id") {
        return Verdict::Pass;
    }
    let id = object
        .get("id")
        .filter(|id| id.is_string() || id.is_i64() || id.is_u64());
    let reason: &dyn std::fmt::Display = if object.get("jsonrpc") != Some(&json!("2.0")) {
        &"\"jsonrpc\" must be \"2.0\""
    } else {
        &e
    };
    Verdict::Refuse(refusal(
        ErrorCode::INVALID_REQUEST,
        "Invalid Request",
        reason,
        id,
    ))
}

/// A JSON-RPC error response, one line: `title: reason` (controls flattened, capped).
fn refusal(
    code: ErrorCode,
    title: &str,
    reason: &dyn std::fmt::Display,
    id: Option<&Value>,
) -> String {
    let reason: String = reason
        .to_string()
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .take(MAX_REASON_CHARS)
        .collect();
    json!({
        "jsonrpc": "2.0",
        "id": id.cloned().unwrap_or(Value::Null),
        "error": { "code": code.0, "message": format!("{title}: {reason}") },
    })
    .to_string()
}

/// The transport to serve, after starting its filter on stdin and its writer to stdout (on
/// the current runtime). Await the writer after the service ends: it finishes once rmcp has
/// closed the transport and every answer is out.
pub fn transport() -> (
    AsyncRwTransport<RoleServer, DuplexStream, DuplexStream>,
    tokio::task::JoinHandle<std::io::Result<()>>,
) {
    let (to_rmcp, rmcp_in) = tokio::io::duplex(PIPE_BYTES);
    let (rmcp_out, from_rmcp) = tokio::io::duplex(PIPE_BYTES);
    let (refusals, refused) = unbounded_channel();
    tokio::spawn(filter(tokio::io::stdin(), to_rmcp, refusals));
    let writer = tokio::spawn(write_out(from_rmcp, refused, tokio::io::stdout()));
    (AsyncRwTransport::new(rmcp_in, rmcp_out), writer)
}

/// Reads stdin a line at a time: passes good lines to rmcp, refusals to the writer. Ends at
/// the end of stdin (closing rmcp's input) or when either side is gone.
async fn filter(
    input: impl AsyncRead + Unpin,
    mut to_rmcp: impl AsyncWrite + Unpin,
    refusals: UnboundedSender<String>,
) {
    let mut input = BufReader::new(input);
    let mut line = Vec::new();
    loop {
        line.clear();
        let read = (&mut input)
            .take(MAX_LINE as u64 + 1)
            .read_until(b'\n', &mut line)
            .await;
        match read {
            Ok(0) | Err(_) => break,
            Ok(_) => {}
        }
        let verdict = if line.len() > MAX_LINE && !line.ends_with(b"\n") {
            if skip_line(&mut input).await.is_err() {
                break;
            }
            Verdict::Refuse(refusal(
                ErrorCode::PARSE_ERROR,
                "Parse error",
                &format_args!("the line is longer than {MAX_LINE} bytes"),
                None,
            ))
        } else {
            verdict(line.strip_suffix(b"\n").unwrap_or(&line))
        };
        let sent = match verdict {
            Verdict::Pass => to_rmcp.write_all(&line).await.is_ok(),
            Verdict::Refuse(answer) => refusals.send(answer).is_ok(),
        };
        if !sent {
            break;
        }
    }
    let _ = to_rmcp.shutdown().await;
}

/// Consumes the rest of an over-long line, through its newline.
async fn skip_line(input: &mut (impl AsyncBufRead + Unpin)) -> std::io::Result<()> {
    loop {
        let buf = input.fill_buf().await?;
        if buf.is_empty() {
            return Ok(());
        }
        match buf.iter().position(|&b| b == b'\n') {
            Some(i) => {
                input.consume(i + 1);
                return Ok(());
            }
            None => {
                let n = buf.len();
                input.consume(n);
            }
        }
    }
}

/// Writes rmcp's answers and the filter's refusals to `out`, whole lines only, until rmcp
/// closes its side; then the refusals still queued.
async fn write_out(
    from_rmcp: impl AsyncRead + Unpin,
    mut refused: UnboundedReceiver<String>,
    mut out: impl AsyncWrite + Unpin,
) -> std::io::Result<()> {
    let mut answers = BufReader::new(from_rmcp).split(b'\n');
    loop {
        tokio::select! {
            biased;
            Some(refusal) = refused.recv() => {
                out.write_all(refusal.as_bytes()).await?;
                out.write_all(b"\n").await?;
                out.flush().await?;
            }
            answer = answers.next_segment() => match answer? {
                Some(mut answer) => {
                    answer.push(b'\n');
                    out.write_all(&answer).await?;
                    out.flush().await?;
                }
                None => break,
            },
        }
    }
    while let Ok(refusal) = refused.try_recv() {
        out.write_all(refusal.as_bytes()).await?;
        out.write_all(b"\n").await?;
    }
    out.flush().await
}

#[cfg(test)]
mod tests {
    use super::*;

    fn refused(line: &str) -> Value {
        match verdict(line.as_bytes()) {
            Verdict::Refuse(answer) => serde_json::from_str(&answer).unwrap(),
            Verdict::Pass => panic!("{line:?} passed"),
        }
    }

    #[test]
    fn verdicts() {
        let ok = r#"{"jsonrpc":"2.0","id":1,"method":"tools/list","params":{}}"#;
        assert_eq!(verdict(ok.as_bytes()), Verdict::Pass);
        assert_eq!(verdict(b""), Verdict::Pass);
        assert_eq!(
            verdict(br#"{"jsonrpc":"2.0","method":"x/unknown"}"#),
            Verdict::Pass
        );
        let bad = refused(r#"{"jsonrpc": "2.0", "id": 99, "method": "#);
        assert_eq!(bad["id"], Value::Null);
        assert_eq!(bad["error"]["code"], -32700);
        assert!(bad["error"]["message"]
            .as_str()
            .unwrap()
            .starts_with("Parse error: "));
        let invalid = refused(r#"{"jsonrpc":"1.0","id":4,"method":"ping"}"#);
        assert_eq!(invalid["id"], 4);
        assert_eq!(invalid["error"]["code"], -32600);
        assert_eq!(refused("[1,2]")["id"], Value::Null);
        assert_eq!(refused(r#"{"jsonrpc":"2.0"}"#)["error"]["code"], -32600);
    }
}
