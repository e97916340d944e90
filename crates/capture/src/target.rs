//! What `heaptui capture TARGET` names: a process id, the `HOST:PORT` of an inspector (a Node
//! `--inspect` port, a Chromium `--remote-debugging-port`), or one target's `ws://` debugger
//! URL; and the rule that connections go to loopback addresses only unless the user allows
//! others (`--allow-remote`), since a debugger port runs any code it is sent.

use heaptui_common::error::{Error, Result};
use std::net::{SocketAddr, ToSocketAddrs};

/// A parsed TARGET.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    /// A local process by id.
    Pid(u32),
    /// An inspector's HTTP endpoint, whose `/json/list` names the debugger URLs.
    Endpoint {
        /// Host name or address as given.
        host: String,
        /// TCP port.
        port: u16,
    },
    /// One target's debugger WebSocket URL (`ws://host:port/path`).
    WebSocket {
        /// Host name or address as given.
        host: String,
        /// TCP port.
        port: u16,
        /// The path, with its leading `/`.
        path: String,
    },
}

impl Target {
    /// Parses `1234`, `host:port`, `[::1]:port`, `http://host:port` or `ws://host:port/path`.
    pub fn parse(text: &str) -> Result<Target> {
        let bad = |why: &str| {
            Error::usage(format!(
                "{}: {why} (give a PID, HOST:PORT or a ws:// URL)",
                heaptui_common::util::sanitize::sanitize(text)
            ))
        };
        if let Ok(pid) = text.parse::<u32>() {
            return if pid == 0 {
                Err(bad("not a process id"))
            } else {
                Ok(Target::Pid(pid))
            };
        }
        if text.starts_with("wss://") || text.starts_with("https://") {
            return Err(bad(
                "TLS is not supported; use ws:// (an SSH tunnel for remote hosts)",
            ));
        }
        let (rest, ws) = match text.strip_prefix("ws://") {
            Some(rest) => (rest, true),
            None => (text.strip_prefix("http://").unwrap_or(text), false),
        };
        let (authority, path) = match rest.find('/') {
            Some(at) => (&rest[..at], &rest[at..]),
            None => (rest, ""),
        };
        let (host, port) = authority.rsplit_once(':').ok_or_else(|| bad("no port"))?;
        let port: u16 = port.parse().map_err(|_| bad("not a port number"))?;
        let host = host.trim_start_matches('[').trim_end_matches(']');
        if host.is_empty() || port == 0 {
            return Err(bad("no host or port"));
        }
        let host = host.to_string();
        if ws {
            if path.len() < 2 {
                return Err(bad("a debugger URL needs the target's path"));
            }
            Ok(Target::WebSocket {
                host,
                port,
                path: path.to_string(),
            })
        } else if path.is_empty() || path == "/" {
            Ok(Target::Endpoint { host, port })
        } else {
            Err(bad("give the inspector's HOST:PORT without a path"))
        }
    }
}

/// Resolves `host:port` and enforces the loopback rule: every address it names must be a
/// loopback one unless `allow_remote`. Returns the first address.
pub fn resolve(host: &str, port: u16, allow_remote: bool) -> Result<SocketAddr> {
    let shown = heaptui_common::util::sanitize::sanitize(host).into_owned();
    let addrs: Vec<SocketAddr> = (host, port)
        .to_socket_addrs()
        .map_err(|e| Error::capture(format!("cannot resolve {shown}: {e}")))?
        .collect();
    let first = *addrs
        .first()
        .ok_or_else(|| Error::capture(format!("cannot resolve {shown}: no address")))?;
    if !allow_remote {
        if let Some(remote) = addrs.iter().find(|a| !a.ip().is_loopback()) {
            return Err(Error::capture(format!(
                "{shown}:{port} is not a loopback address ({}); a debugger port runs any code \
                 it is sent, so heaptui connects to other hosts only with --allow-remote",
                remote.ip()
            )));
        }
    }
    Ok(first)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_targets() {
        assert_eq!(Target::parse("4242").unwrap(), Target::Pid(4242));
        assert_eq!(
            Target::parse("127.0.0.1:9229").unwrap(),
            Target::Endpoint {
                host: "127.0.0.1".into(),
                port: 9229
            }
        );
        assert_eq!(
            Target::parse("http://[::1]:9222/").unwrap(),
            Target::Endpoint {
                host: "::1".into(),
                port: 9222
            }
        );
        assert_eq!(
            Target::parse("ws://localhost:9229/0f2c").unwrap(),
            Target::WebSocket {
                host: "localhost".into(),
                port: 9229,
                path: "/0f2c".into()
            }
        );
        for bad in ["0", "host", "h:x", "ws://h:1", "wss://h:1/x", "h:1/x", ":9"] {
            assert!(Target::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn only_loopback_without_allow_remote() {
        assert!(resolve("127.0.0.1", 9229, false).is_ok());
        assert!(resolve("::1", 9229, false).is_ok());
        let err = resolve("192.0.2.7", 9229, false).unwrap_err();
        assert!(err.to_string().contains("--allow-remote"), "{err}");
        assert!(resolve("192.0.2.7", 9229, true).is_ok());
    }
}
