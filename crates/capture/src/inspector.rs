//! Finding, opening and closing an inspector. An endpoint's `/json/list` (HTTP, ureq) names its
//! debugging targets; a process's inspector is found among the TCP ports it listens on (its own
//! sockets, so another program's port is never mistaken for it). A Node process without one is
//! sent `SIGUSR1`, which makes Node listen on `127.0.0.1:9229` (or its `--inspect-port`); an
//! inspector heaptui opened is closed again by evaluating `process._debugEnd()` in it, and
//! heaptui checks that the port is gone.

use super::cdp::{connect_error, Cdp};
use super::process::{Process, DEFAULT_INSPECTOR_PORT};
use super::target::{resolve, Target};
use heaptui_common::error::{Error, Result};
use heaptui_common::util::sanitize::sanitize;
use serde::Deserialize;
use serde_json::json;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};
use std::time::{Duration, Instant};

/// How long `/json/list` may take to answer.
const HTTP_TIMEOUT: Duration = Duration::from_secs(3);
/// Largest `/json/list` answer read (a browser with many tabs stays far below).
const LIST_LIMIT: u64 = 4 << 20;
/// How long Node may take to open its inspector after `SIGUSR1`.
const OPEN_TIMEOUT: Duration = Duration::from_secs(10);
/// How long closing may take: a snapshot still being taken (after a cancellation) must end
/// before the target runs `process._debugEnd()`.
const CLOSE_TIMEOUT: Duration = Duration::from_secs(120);
/// How often the process's sockets are looked at while waiting for a port to open or close.
const POLL: Duration = Duration::from_millis(100);

/// One debugging target of an endpoint, as `/json/list` describes it.
#[derive(Debug, Clone, Deserialize)]
pub struct DebugTarget {
    /// Its id (a UUID for Node).
    #[serde(default)]
    pub id: String,
    /// `node`, `page`, `service_worker`, …
    #[serde(rename = "type", default)]
    pub kind: String,
    /// Its title (Node: the script).
    #[serde(default)]
    pub title: String,
    /// Its URL.
    #[serde(default)]
    pub url: String,
    /// `ws://host:port/path`; absent while another debugger is attached (Chromium).
    #[serde(rename = "webSocketDebuggerUrl", default)]
    pub websocket: Option<String>,
}

impl DebugTarget {
    /// The path part of the debugger URL; the host part is ignored, so an endpoint cannot
    /// send heaptui to another host.
    fn ws_path(&self) -> Option<&str> {
        let rest = self.websocket.as_deref()?.strip_prefix("ws://")?;
        Some(&rest[rest.find('/')?..])
    }

    /// `id (title)`, sanitised, for messages.
    pub fn describe(&self) -> String {
        let title = if self.title.is_empty() {
            &self.url
        } else {
            &self.title
        };
        format!("{} {} ({})", self.kind, sanitize(&self.id), sanitize(title))
    }
}

/// Where the snapshot comes from and how heaptui gets there, known before anything is
/// changed, so it can be shown for confirmation.
#[derive(Debug, Clone)]
pub enum Route {
    /// An inspector already listens here.
    Open {
        /// The address to connect to.
        addr: SocketAddr,
        /// The process, when the target was given as one.
        process: Option<Process>,
    },
    /// A known target's WebSocket path (a `ws://` TARGET).
    Direct {
        /// The address to connect to.
        addr: SocketAddr,
        /// The path.
        path: String,
    },
    /// The process has no inspector: heaptui opens one with `SIGUSR1` (and closes it).
    Signal {
        /// The Node process.
        process: Process,
        /// The port it will listen on (0: a free one).
        port: u16,
    },
}

/// Works out the route to `target`, enforcing the loopback rule. `page` chooses among several
/// targets later, at [`Session::connect`].
pub fn route(target: &Target, allow_remote: bool) -> Result<Route> {
    match target {
        Target::Pid(pid) => route_to_process(Process::find(*pid)?, allow_remote),
        Target::Endpoint { host, port } => Ok(Route::Open {
            addr: resolve(host, *port, allow_remote)?,
            process: None,
        }),
        Target::WebSocket { host, port, path } => Ok(Route::Direct {
            addr: resolve(host, *port, allow_remote)?,
            path: path.clone(),
        }),
    }
}

fn route_to_process(process: Process, allow_remote: bool) -> Result<Route> {
    let pid = process.pid;
    if !process.same_network() {
        return Err(Error::capture(format!(
            "process {pid} runs in another network namespace (a container?): run heaptui \
             inside it, or give its inspector's HOST:PORT"
        )));
    }
    if let Some(addr) = find_inspector(&process, allow_remote) {
        return Ok(Route::Open {
            addr,
            process: Some(process),
        });
    }
    if !process.is_node() {
        return Err(Error::capture(format!(
            "process {pid} ({}) is not a Node process and has no open inspector",
            process.name()
        )));
    }
    if !process.catches(libc::SIGUSR1) {
        return Err(Error::capture(format!(
            "process {pid} does not handle SIGUSR1 (started with --disable-sigusr1?), so it \
             cannot be asked to open an inspector"
        )));
    }
    let hint = process.inspect_hint();
    if let Some(host) = hint.as_ref().and_then(|h| h.host.as_deref()) {
        let loopback =
            host == "localhost" || host.parse::<IpAddr>().is_ok_and(|ip| ip.is_loopback());
        if !loopback && !allow_remote {
            return Err(Error::capture(format!(
                "process {pid} would open its inspector on {} (its --inspect-port), reachable \
                 from the network; heaptui does that only with --allow-remote",
                sanitize(host)
            )));
        }
    }
    let port = hint.map_or(DEFAULT_INSPECTOR_PORT, |h| h.port);
    if port != 0 && port_taken(port) {
        return Err(taken_error(pid, port));
    }
    Ok(Route::Signal { port, process })
}

/// True when something already accepts connections on `127.0.0.1:port`.
fn port_taken(port: u16) -> bool {
    let addr = SocketAddr::new(IpAddr::V4(Ipv4Addr::LOCALHOST), port);
    std::net::TcpStream::connect_timeout(&addr, HTTP_TIMEOUT).is_ok()
}

fn taken_error(pid: u32, port: u16) -> Error {
    Error::capture(format!(
        "process {pid} cannot open its inspector: port {port} on 127.0.0.1 is taken by another \
         program"
    ))
}

/// The address heaptui connects to for a socket listening on `local`: loopback for a
/// wildcard or loopback address; another address only with `allow_remote`.
fn connect_addr(local: SocketAddr, allow_remote: bool) -> Option<SocketAddr> {
    let ip = match local.ip() {
        IpAddr::V4(v4) if v4.is_unspecified() => IpAddr::V4(Ipv4Addr::LOCALHOST),
        IpAddr::V6(v6) if v6.is_unspecified() => IpAddr::V6(Ipv6Addr::LOCALHOST),
        ip if ip.is_loopback() || allow_remote => ip,
        _ => return None,
    };
    Some(SocketAddr::new(ip, local.port()))
}

/// The process's listening socket that answers `/json/list` as an inspector: the port its
/// options name first, then Node's default, then the others.
fn find_inspector(process: &Process, allow_remote: bool) -> Option<SocketAddr> {
    let hint = process.inspect_hint().map(|h| h.port);
    let mut ports: Vec<SocketAddr> = process
        .listening()
        .into_iter()
        .filter_map(|a| connect_addr(a, allow_remote))
        .collect();
    ports.sort_by_key(|a| {
        (
            Some(a.port()) != hint,
            a.port() != DEFAULT_INSPECTOR_PORT,
            a.port(),
        )
    });
    ports.dedup();
    ports.into_iter().find(|&a| list(a).is_ok())
}

/// The debugging targets an endpoint lists.
pub fn list(addr: SocketAddr) -> Result<Vec<DebugTarget>> {
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .timeout_global(Some(HTTP_TIMEOUT))
        .proxy(None)
        .max_redirects(0)
        .build()
        .into();
    let url = format!("http://{addr}/json/list");
    let not_inspector = |why: String| Error::capture(format!("{addr} is not an inspector: {why}"));
    let mut response = agent.get(&url).call().map_err(|e| match e {
        ureq::Error::Io(io) => connect_error(addr, &io),
        ureq::Error::StatusCode(code) => not_inspector(format!("HTTP {code} for /json/list")),
        ureq::Error::Timeout(_) => Error::capture(format!("{addr}: no answer to /json/list")),
        other => not_inspector(other.to_string()),
    })?;
    let text = response
        .body_mut()
        .with_config()
        .limit(LIST_LIMIT)
        .read_to_string()
        .map_err(|e| not_inspector(e.to_string()))?;
    serde_json::from_str(&text)
        .map_err(|_| not_inspector("/json/list is not a list of targets".to_string()))
}

/// The target to capture: the one whose id, title or URL contains `page`; without `page`, the
/// only Node process or page (a browser's own UI and workers are passed over), else the only
/// target. Only targets with a debugger URL (none attached yet) count.
pub fn choose(
    addr: SocketAddr,
    targets: Vec<DebugTarget>,
    page: Option<&str>,
) -> Result<DebugTarget> {
    let mut usable: Vec<DebugTarget> = targets
        .into_iter()
        .filter(|t| t.ws_path().is_some())
        .filter(|t| page.is_none_or(|p| t.id == p || t.title.contains(p) || t.url.contains(p)))
        .collect();
    let main = |t: &DebugTarget| t.kind == "node" || t.kind == "page";
    if page.is_none() && usable.iter().filter(|t| main(t)).count() == 1 {
        usable.retain(main);
    }
    match usable.len() {
        1 => Ok(usable.into_iter().next().expect("one target")),
        0 if page.is_some() => Err(Error::capture(format!(
            "{addr}: no debugging target matches --page {}",
            sanitize(page.unwrap_or_default())
        ))),
        0 => Err(Error::capture(format!(
            "{addr}: no debugging target is free (another debugger attached?)"
        ))),
        n => {
            let names: Vec<String> = usable.iter().take(5).map(DebugTarget::describe).collect();
            Err(Error::capture(format!(
                "{addr} has {n} targets; choose one with --page ID|TEXT: {}{}",
                names.join(", "),
                if n > 5 { ", …" } else { "" }
            )))
        }
    }
}

/// A connection to the target, and the inspector heaptui opened for it, if it did.
pub struct Session {
    /// The protocol connection.
    pub cdp: Cdp,
    /// The target's process id (from the TARGET, else `process.pid` in the target; `None` for
    /// a browser page).
    pub pid: Option<u32>,
    /// The inspector heaptui opened, to close in [`Session::finish`] (or on drop).
    opened: Option<(Process, SocketAddr)>,
}

impl Session {
    /// Follows `route`: opens the inspector when needed and connects.
    pub fn connect(route: &Route, page: Option<&str>) -> Result<Session> {
        let (addr, path, process, opened) = match route {
            Route::Direct { addr, path } => (*addr, path.clone(), None, None),
            Route::Open { addr, process } => {
                let target = choose(*addr, list(*addr)?, page)?;
                let path = target.ws_path().unwrap_or_default().to_string();
                (*addr, path, process.clone(), None)
            }
            Route::Signal { process, port } => {
                let addr = open(process, *port)?;
                let guard = Some((process.clone(), addr));
                // From here on, failing to connect still closes what was opened.
                let target = list(addr).and_then(|t| choose(addr, t, page));
                let target = match target {
                    Ok(t) => t,
                    Err(e) => {
                        let _ = close_opened(process, addr);
                        return Err(e);
                    }
                };
                let path = target.ws_path().unwrap_or_default().to_string();
                (addr, path, Some(process.clone()), guard)
            }
        };
        let cdp = match Cdp::connect(addr, &path) {
            Ok(cdp) => cdp,
            Err(e) => {
                if let Some((p, a)) = &opened {
                    let _ = close_opened(p, *a);
                }
                return Err(e);
            }
        };
        let mut session = Session {
            cdp,
            pid: process.as_ref().map(|p| p.pid),
            opened,
        };
        if session.pid.is_none() {
            session.pid = session.evaluate_pid();
        }
        Ok(session)
    }

    /// True when heaptui opened the inspector (and will close it).
    pub fn opened(&self) -> Option<SocketAddr> {
        self.opened.as_ref().map(|(_, a)| *a)
    }

    fn evaluate_pid(&mut self) -> Option<u32> {
        let params = json!({ "expression": "process.pid", "returnByValue": true });
        let result = self
            .cdp
            .simple("Runtime.evaluate", params, HTTP_TIMEOUT)
            .ok()?;
        result["result"]["value"]
            .as_u64()
            .and_then(|v| u32::try_from(v).ok())
    }

    /// Closes the inspector heaptui opened, if it did, and checks that it is closed.
    pub fn finish(mut self) -> Result<()> {
        match self.opened.take() {
            Some((process, addr)) => close_with(&mut self.cdp, &process, addr),
            None => Ok(()),
        }
    }
}

impl Drop for Session {
    fn drop(&mut self) {
        if let Some((process, addr)) = self.opened.take() {
            let _ = close_with(&mut self.cdp, &process, addr);
        }
    }
}

/// Sends `SIGUSR1` and waits for the process to listen on an inspector port.
fn open(process: &Process, port: u16) -> Result<SocketAddr> {
    let pid = process.pid;
    let before = process.listening();
    process.signal(libc::SIGUSR1)?;
    let start = Instant::now();
    while start.elapsed() < OPEN_TIMEOUT {
        std::thread::sleep(POLL);
        if !process.alive() {
            return Err(Error::capture(format!("process {pid} exited")));
        }
        let fresh = process
            .listening()
            .into_iter()
            .filter(|a| !before.contains(a))
            .filter_map(|a| connect_addr(a, false))
            .find(|&a| list(a).is_ok());
        if let Some(addr) = fresh {
            return Ok(addr);
        }
    }
    if port != 0 && port_taken(port) {
        return Err(taken_error(pid, port));
    }
    Err(Error::capture(format!(
        "process {pid} did not open an inspector within {} s of SIGUSR1",
        OPEN_TIMEOUT.as_secs()
    )))
}

/// Asks the target to close its inspector over `cdp`, then checks the port is gone.
fn close_with(cdp: &mut Cdp, process: &Process, addr: SocketAddr) -> Result<()> {
    if !process.alive() {
        return Ok(());
    }
    // The answer may never come: closing the inspector closes this connection.
    let asked = cdp.send(
        "Runtime.evaluate",
        json!({ "expression": "process._debugEnd()" }),
    );
    if asked.is_ok() {
        cdp.wait_closed(CLOSE_TIMEOUT);
    }
    wait_port_closed(process, addr)
}

/// Closes an inspector heaptui opened but has no connection to.
fn close_opened(process: &Process, addr: SocketAddr) -> Result<()> {
    let path = list(addr)
        .ok()
        .and_then(|t| t.into_iter().find_map(|t| t.ws_path().map(str::to_string)));
    match path.map(|p| Cdp::connect(addr, &p)) {
        Some(Ok(mut cdp)) => close_with(&mut cdp, process, addr),
        _ => wait_port_closed(process, addr),
    }
}

fn wait_port_closed(process: &Process, addr: SocketAddr) -> Result<()> {
    let start = Instant::now();
    while start.elapsed() < OPEN_TIMEOUT {
        let listening = process.listening();
        if !process.alive() || !listening.iter().any(|a| a.port() == addr.port()) {
            return Ok(());
        }
        std::thread::sleep(POLL);
    }
    Err(Error::capture(format!(
        "the inspector heaptui opened in process {} on {addr} did not close and still \
         listens (restarting the process closes it)",
        process.pid
    )))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn target(kind: &str, id: &str, title: &str) -> DebugTarget {
        DebugTarget {
            id: id.into(),
            kind: kind.into(),
            title: title.into(),
            url: format!("https://example.test/{id}"),
            websocket: Some(format!("ws://10.9.9.9:1/devtools/page/{id}")),
        }
    }

    #[test]
    fn chooses_the_page_and_never_another_host() {
        let addr: SocketAddr = "127.0.0.1:9222".parse().unwrap();
        let list = vec![
            target("page", "A", "shop"),
            target("browser_ui", "B", "Omnibox Popup"),
            target("service_worker", "C", "sw"),
        ];
        let chosen = choose(addr, list.clone(), None).unwrap();
        assert_eq!(chosen.id, "A");
        // The debugger URL's host is ignored: heaptui stays on the address it was given.
        assert_eq!(chosen.ws_path(), Some("/devtools/page/A"));
        assert_eq!(choose(addr, list.clone(), Some("sw")).unwrap().id, "C");
        let two_pages = vec![target("page", "A", "shop"), target("page", "D", "cart")];
        let err = choose(addr, two_pages, None).unwrap_err();
        assert!(
            err.to_string()
                .contains("has 2 targets; choose one with --page"),
            "{err}"
        );
        let attached = DebugTarget {
            websocket: None,
            ..target("node", "E", "app.js")
        };
        assert!(choose(addr, vec![attached], None).is_err());
    }
}
