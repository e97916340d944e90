//! What `/proc` says about a target process (Linux): whether it exists and may be signalled,
//! what program it runs, its resident memory, its working directory, the Node options on its
//! command line and in `NODE_OPTIONS`, which signals it catches and which TCP ports it listens
//! on (matched through its socket inodes, in its own network namespace).
//!
//! Nothing here changes the process except [`signal`].

use heaptui_common::error::{Error, Result};
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};
use std::path::{Path, PathBuf};

/// A process looked up by pid.
#[derive(Debug, Clone)]
pub struct Process {
    /// Its id.
    pub pid: u32,
    /// `/proc/PID/comm`: the thread name (Node's main thread is `node`).
    pub comm: String,
    /// The command line's words (`/proc/PID/cmdline`).
    pub args: Vec<String>,
    /// The words of `NODE_OPTIONS` in its environment (empty when unreadable or unset).
    pub node_options: Vec<String>,
    /// The real user id that owns it.
    pub uid: u32,
}

/// `[host:]port` of an inspector option (`--inspect=…`, `--inspect-port=…`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InspectHint {
    /// The host part, when given (`0.0.0.0`, `127.0.0.1`, `localhost`, …).
    pub host: Option<String>,
    /// The port (0 picks a free one).
    pub port: u16,
}

/// Node options whose value may be the next word (`--diagnostic-dir DIR`, `-r MODULE`): the
/// ones heaptui reads and the common ones that would otherwise end the scan early.
const SEPARATE_VALUE_OPTIONS: &[&str] = &[
    "--inspect-port",
    "--diagnostic-dir",
    "--heapsnapshot-signal",
    "--require",
    "-r",
    "--import",
    "--loader",
    "--experimental-loader",
    "--title",
    "--conditions",
    "-C",
];

/// Node's default inspector port, which `SIGUSR1` opens when no option names another.
pub const DEFAULT_INSPECTOR_PORT: u16 = 9229;

impl Process {
    /// Looks `pid` up. Fails with one line for a missing process and for one this user may not
    /// signal (another user's, unless heaptui runs as root).
    pub fn find(pid: u32) -> Result<Process> {
        let dir = proc_dir(pid);
        let status = std::fs::read_to_string(dir.join("status"))
            .map_err(|_| Error::capture(format!("no such process: {pid}")))?;
        let uid = status_field(&status, "Uid:")
            .and_then(|v| v.split_whitespace().next()?.parse().ok())
            .unwrap_or(u32::MAX);
        // SAFETY: kill with signal 0 only checks that the process exists and may be signalled.
        if unsafe { libc::kill(pid as libc::pid_t, 0) } != 0 {
            let err = std::io::Error::last_os_error();
            return Err(match err.raw_os_error() {
                Some(libc::ESRCH) => Error::capture(format!("no such process: {pid}")),
                Some(libc::EPERM) => Error::capture(format!(
                    "permission denied: process {pid} belongs to user {}; run heaptui as that user",
                    user_name(uid)
                )),
                _ => Error::capture(format!("cannot look at process {pid}: {err}")),
            });
        }
        let read_words = |name: &str| {
            std::fs::read(dir.join(name))
                .map(|b| {
                    b.split(|&c| c == 0)
                        .filter(|w| !w.is_empty())
                        .map(|w| String::from_utf8_lossy(w).into_owned())
                        .collect::<Vec<_>>()
                })
                .unwrap_or_default()
        };
        let node_options = read_words("environ")
            .iter()
            .find_map(|v| v.strip_prefix("NODE_OPTIONS=").map(str::to_string))
            .map(|v| v.split_whitespace().map(str::to_string).collect())
            .unwrap_or_default();
        Ok(Process {
            pid,
            comm: std::fs::read_to_string(dir.join("comm"))
                .unwrap_or_default()
                .trim()
                .to_string(),
            args: read_words("cmdline"),
            node_options,
            uid,
        })
    }

    /// True while the process exists (and is not a zombie).
    pub fn alive(&self) -> bool {
        match std::fs::read_to_string(proc_dir(self.pid).join("stat")) {
            // The state follows the parenthesised command name, which may contain spaces.
            Ok(stat) => stat
                .rsplit_once(')')
                .is_some_and(|(_, rest)| !rest.trim_start().starts_with(['Z', 'X'])),
            Err(_) => false,
        }
    }

    /// True when the program is Node: its executable or its main thread is named `node`.
    pub fn is_node(&self) -> bool {
        let exe = std::fs::read_link(proc_dir(self.pid).join("exe"))
            .ok()
            .or_else(|| self.args.first().map(PathBuf::from));
        let exe_name = exe
            .as_deref()
            .and_then(Path::file_name)
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        self.comm == "node" || exe_name == "node" || exe_name == "nodejs"
    }

    /// A short name for messages: the executable's file name, else the thread name.
    pub fn name(&self) -> String {
        let first = self.args.first().map(|a| {
            Path::new(a)
                .file_name()
                .map_or(a.clone(), |n| n.to_string_lossy().into_owned())
        });
        heaptui_common::util::sanitize::sanitize(&first.unwrap_or_else(|| self.comm.clone()))
            .into_owned()
    }

    /// Resident memory in bytes (`VmRSS`), if readable.
    pub fn rss(&self) -> Option<u64> {
        let status = std::fs::read_to_string(proc_dir(self.pid).join("status")).ok()?;
        let kb: u64 = status_field(&status, "VmRSS:")?
            .split_whitespace()
            .next()?
            .parse()
            .ok()?;
        Some(kb * 1024)
    }

    /// Its working directory.
    pub fn cwd(&self) -> Result<PathBuf> {
        let link = proc_dir(self.pid).join("cwd");
        std::fs::read_link(&link)
            .map_err(|e| Error::io("cannot read the working directory", e).in_file(&link))
    }

    /// True when the process has a handler for signal `number` (`SigCgt`), so sending it will
    /// not kill the process.
    pub fn catches(&self, number: i32) -> bool {
        let Ok(status) = std::fs::read_to_string(proc_dir(self.pid).join("status")) else {
            return false;
        };
        let mask = status_field(&status, "SigCgt:").and_then(|v| u64::from_str_radix(v, 16).ok());
        (1..=64).contains(&number) && mask.is_some_and(|m| m & (1 << (number - 1)) != 0)
    }

    /// The last occurrence of Node option `--NAME` among the options (those of `NODE_OPTIONS`,
    /// then the command line's up to the script, as Node lets the command line win):
    /// `Some(Some(value))` for `--NAME=value` (or `--NAME value` for the options that take a
    /// value), `Some(None)` for a bare `--NAME`.
    pub fn node_option(&self, name: &str) -> Option<Option<String>> {
        let flag = format!("--{name}");
        let command_line = self.args.get(1..).unwrap_or_default();
        let mut found = None;
        for words in [&self.node_options[..], command_line] {
            let mut words = words.iter();
            while let Some(w) = words.next() {
                if !w.starts_with('-') || w == "--" {
                    break; // the script: later words are its own
                }
                let takes_value = SEPARATE_VALUE_OPTIONS.contains(&w.as_str());
                if let Some(v) = w.strip_prefix(&flag).and_then(|r| r.strip_prefix('=')) {
                    found = Some(Some(v.to_string()));
                } else if *w == flag {
                    found = Some(if takes_value {
                        words.next().cloned()
                    } else {
                        None
                    });
                } else if takes_value {
                    words.next();
                }
            }
        }
        found
    }

    /// The inspector address its options name, if any: `--inspect[-brk|-wait][=[host:]port]`
    /// or `--inspect-port=[host:]port` (the port `SIGUSR1` opens).
    pub fn inspect_hint(&self) -> Option<InspectHint> {
        let given = ["inspect-port", "inspect", "inspect-brk", "inspect-wait"]
            .iter()
            .find_map(|o| self.node_option(o))?;
        match given {
            Some(value) => parse_hint(&value),
            None => Some(InspectHint {
                host: None,
                port: DEFAULT_INSPECTOR_PORT,
            }),
        }
    }

    /// True when it runs in the same network namespace as heaptui, so its loopback ports are
    /// heaptui's loopback ports.
    pub fn same_network(&self) -> bool {
        let ns = |p: &Path| std::fs::read_link(p.join("ns/net")).ok();
        match (ns(&proc_dir(self.pid)), ns(Path::new("/proc/self"))) {
            (Some(a), Some(b)) => a == b,
            _ => true,
        }
    }

    /// The TCP addresses it listens on, from its socket inodes in its network namespace's
    /// `/proc/PID/net/tcp{,6}`.
    pub fn listening(&self) -> Vec<SocketAddr> {
        let dir = proc_dir(self.pid);
        let Ok(fds) = std::fs::read_dir(dir.join("fd")) else {
            return Vec::new();
        };
        let inodes: std::collections::HashSet<u64> = fds
            .filter_map(|fd| std::fs::read_link(fd.ok()?.path()).ok())
            .filter_map(|target| {
                let t = target.to_str()?;
                t.strip_prefix("socket:[")?.strip_suffix(']')?.parse().ok()
            })
            .collect();
        let mut found = Vec::new();
        for table in ["net/tcp", "net/tcp6"] {
            let Ok(text) = std::fs::read_to_string(dir.join(table)) else {
                continue;
            };
            for line in text.lines().skip(1) {
                let cols: Vec<&str> = line.split_whitespace().collect();
                // local_address, st (0A = LISTEN), inode.
                let (Some(local), Some(&"0A"), Some(inode)) =
                    (cols.get(1), cols.get(3), cols.get(9))
                else {
                    continue;
                };
                if inode.parse().is_ok_and(|i: u64| inodes.contains(&i)) {
                    found.extend(parse_proc_addr(local));
                }
            }
        }
        found
    }

    /// Whether the file at `path` is open in the process (a writer still at work).
    pub fn has_open(&self, path: &Path) -> bool {
        let Ok(fds) = std::fs::read_dir(proc_dir(self.pid).join("fd")) else {
            return false;
        };
        let path = std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf());
        fds.filter_map(|fd| std::fs::read_link(fd.ok()?.path()).ok())
            .any(|t| t == path)
    }

    /// Sends `signal` to the process.
    pub fn signal(&self, signal: i32) -> Result<()> {
        // SAFETY: kill only sends a signal; the pid was checked to be ours to signal.
        if unsafe { libc::kill(self.pid as libc::pid_t, signal) } == 0 {
            return Ok(());
        }
        let err = std::io::Error::last_os_error();
        Err(match err.raw_os_error() {
            Some(libc::ESRCH) => Error::capture(format!("process {} exited", self.pid)),
            _ => Error::capture(format!(
                "cannot send {} to process {}: {err}",
                signal_name(signal),
                self.pid
            )),
        })
    }
}

fn proc_dir(pid: u32) -> PathBuf {
    PathBuf::from(format!("/proc/{pid}"))
}

fn status_field<'a>(status: &'a str, key: &str) -> Option<&'a str> {
    status
        .lines()
        .find_map(|l| l.strip_prefix(key))
        .map(str::trim)
}

/// The user name of `uid` from `/etc/passwd`, else the number.
fn user_name(uid: u32) -> String {
    let passwd = std::fs::read_to_string("/etc/passwd").unwrap_or_default();
    passwd
        .lines()
        .find_map(|l| {
            let mut f = l.split(':');
            let name = f.next()?;
            (f.nth(1)?.parse() == Ok(uid)).then(|| format!("{name} (uid {uid})"))
        })
        .unwrap_or_else(|| format!("uid {uid}"))
}

/// `[host:]port`, `[::1]:port` or `host` (then Node's default port).
pub fn parse_hint(value: &str) -> Option<InspectHint> {
    if let Ok(port) = value.parse() {
        return Some(InspectHint { host: None, port });
    }
    let (host, port) = match value.rsplit_once(':') {
        Some((h, p)) if !h.ends_with(':') => (h, p.parse().ok()?),
        _ => (value, DEFAULT_INSPECTOR_PORT),
    };
    let host = host.trim_start_matches('[').trim_end_matches(']');
    Some(InspectHint {
        host: Some(host.to_string()),
        port,
    })
}

/// `0100007F:2405` (IPv4, little-endian words) or the 32-digit IPv6 form.
fn parse_proc_addr(text: &str) -> Option<SocketAddr> {
    let (ip, port) = text.split_once(':')?;
    let port = u16::from_str_radix(port, 16).ok()?;
    let ip = match ip.len() {
        8 => IpAddr::V4(Ipv4Addr::from(u32::from_be(
            u32::from_str_radix(ip, 16).ok()?,
        ))),
        32 => {
            let mut bytes = [0u8; 16];
            for (w, chunk) in bytes.chunks_mut(4).enumerate() {
                let word = u32::from_str_radix(&ip[w * 8..w * 8 + 8], 16).ok()?;
                chunk.copy_from_slice(&word.to_ne_bytes());
            }
            IpAddr::V6(Ipv6Addr::from(bytes))
        }
        _ => return None,
    };
    Some(SocketAddr::new(ip, port))
}

/// The signal number of `SIGUSR2`, `USR2` or `12`.
pub fn signal_number(name: &str) -> Option<i32> {
    if let Ok(n) = name.parse::<i32>() {
        return (1..=64).contains(&n).then_some(n);
    }
    let name = name.to_ascii_uppercase();
    let name = name.strip_prefix("SIG").unwrap_or(&name);
    Some(match name {
        "HUP" => libc::SIGHUP,
        "INT" => libc::SIGINT,
        "QUIT" => libc::SIGQUIT,
        "USR1" => libc::SIGUSR1,
        "USR2" => libc::SIGUSR2,
        "TERM" => libc::SIGTERM,
        "WINCH" => libc::SIGWINCH,
        "PWR" => libc::SIGPWR,
        _ => return None,
    })
}

/// `SIGUSR2` for 12, `signal 40` for others.
pub fn signal_name(number: i32) -> String {
    let known = [
        (libc::SIGHUP, "SIGHUP"),
        (libc::SIGINT, "SIGINT"),
        (libc::SIGQUIT, "SIGQUIT"),
        (libc::SIGUSR1, "SIGUSR1"),
        (libc::SIGUSR2, "SIGUSR2"),
        (libc::SIGTERM, "SIGTERM"),
        (libc::SIGWINCH, "SIGWINCH"),
        (libc::SIGPWR, "SIGPWR"),
    ];
    known
        .iter()
        .find(|(n, _)| *n == number)
        .map_or_else(|| format!("signal {number}"), |(_, s)| s.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_proc_net_addresses() {
        assert_eq!(
            parse_proc_addr("0100007F:2405"),
            Some("127.0.0.1:9221".parse().unwrap())
        );
        assert_eq!(
            parse_proc_addr("00000000000000000000000001000000:0050"),
            Some("[::1]:80".parse().unwrap())
        );
        assert_eq!(parse_proc_addr("zz:1"), None);
    }

    #[test]
    fn parses_inspect_hints_and_signals() {
        assert_eq!(parse_hint("9230").unwrap().port, 9230);
        let h = parse_hint("0.0.0.0:9231").unwrap();
        assert_eq!((h.host.as_deref(), h.port), (Some("0.0.0.0"), 9231));
        let h = parse_hint("[::1]:9232").unwrap();
        assert_eq!((h.host.as_deref(), h.port), (Some("::1"), 9232));
        assert_eq!(
            parse_hint("localhost").unwrap().port,
            DEFAULT_INSPECTOR_PORT
        );
        assert_eq!(signal_number("usr2"), Some(libc::SIGUSR2));
        assert_eq!(signal_number("SIGUSR1"), Some(libc::SIGUSR1));
        assert_eq!(signal_number("BOGUS"), None);
        assert_eq!(signal_name(libc::SIGUSR2), "SIGUSR2");
    }

    #[test]
    fn reads_node_options_up_to_the_script() {
        let words = |s: &str| s.split(' ').map(str::to_string).collect::<Vec<_>>();
        let p = Process {
            pid: 1,
            comm: "node".into(),
            args: words("node --inspect-port 9300 --diagnostic-dir=/d app.js --inspect=1"),
            node_options: words("--inspect=0.0.0.0:9400 --heapsnapshot-signal=SIGUSR2"),
            uid: 0,
        };
        assert_eq!(p.node_option("diagnostic-dir"), Some(Some("/d".into())));
        assert_eq!(
            p.node_option("heapsnapshot-signal"),
            Some(Some("SIGUSR2".into()))
        );
        assert_eq!(p.inspect_hint().unwrap().port, 9300);
        let bare = Process {
            args: words("node --inspect app.js"),
            node_options: Vec::new(),
            ..p
        };
        assert_eq!(bare.node_option("inspect"), Some(None));
        assert_eq!(bare.inspect_hint().unwrap().port, DEFAULT_INSPECTOR_PORT);
    }

    #[test]
    fn reads_its_own_process() {
        let me = Process::find(std::process::id()).unwrap();
        assert!(me.alive());
        assert!(!me.args.is_empty());
        assert!(me.rss().unwrap() > 0);
        assert_eq!(me.cwd().unwrap(), std::env::current_dir().unwrap());
        assert!(Process::find(u32::MAX - 1)
            .unwrap_err()
            .to_string()
            .starts_with("no such process"));
    }
}
