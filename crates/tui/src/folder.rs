//! The snapshots of a folder, for the picker: `.heapsnapshot` and `.heapsnapshot.gz` files (not
//! recursive), what their names say (diagnostic names: `{Type}.Heap.{yyyymmdd}.{hhmmss}.{pid}`
//! and Node's `Heap.{yyyymmdd}.{hhmmss}.{pid}.{tid}.{seq}`), their size and whether they can be
//! opened now: unreadable files and files still being written are flagged, not opened.
//! [`Watch`] looks at the folder again every [`WATCH_TICK`], so snapshots that appear (a
//! capture, a signal, a diagnostic report) show up in the picker, marked while being written.

use heaptui_common::error::{Error, Result};
use heaptui_engine::pid_of;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

/// The time between the two looks at each file's size: a file that grows meanwhile is being
/// written.
const SETTLE: Duration = Duration::from_millis(200);
/// A file modified this recently may still be being written.
const RECENT: Duration = Duration::from_secs(2);
/// How often the picker looks at its folder again: new snapshots show within a second, and an
/// idle picker does a few `stat`s a second at most.
pub const WATCH_TICK: Duration = Duration::from_secs(1);

/// Whether a file can be opened now.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Health {
    /// A regular file that opens and does not change.
    Ok,
    /// Not a regular file, or opening it fails (the reason).
    Unreadable(String),
    /// Its size or modification time changed while the folder was read, or it was modified in
    /// the last 2 s.
    Writing,
}

/// When a snapshot was taken, comparable across files: local civil time as the number
/// `yyyymmddhhmmss`, then a finer order (Node's sequence number, or the modification time's
/// nanoseconds).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Default)]
pub struct Stamp {
    /// `yyyymmddhhmmss`, local time.
    pub civil: u64,
    /// Orders snapshots taken within the same second.
    pub fine: u64,
}

impl Stamp {
    /// `yyyy-mm-dd hh:mm:ss`, or `—` for the default stamp (time unknown: the file could not
    /// be looked at).
    pub fn display(&self) -> String {
        let c = self.civil;
        if c == 0 {
            return "—".to_string();
        }
        format!(
            "{:04}-{:02}-{:02} {:02}:{:02}:{:02}",
            c / 10_000_000_000,
            c / 100_000_000 % 100,
            c / 1_000_000 % 100,
            c / 10_000 % 100,
            c / 100 % 100,
            c % 100
        )
    }
}

/// What a diagnostic file name says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NameInfo {
    /// `Baseline`, `Manual`, `OOM`, …, or `Node` for Node's own `Heap.…` names.
    pub kind: String,
    /// When the snapshot was written.
    pub stamp: Stamp,
}

/// One snapshot file of the folder.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    /// The file.
    pub path: PathBuf,
    /// The file name as found (not sanitised; may be lossy for non-UTF-8 names).
    pub name: String,
    /// The snapshot type from the name, if the name is a diagnostic one.
    pub kind: Option<String>,
    /// The process id from the name ([`pid_of`]).
    pub pid: Option<u32>,
    /// When it was taken: from the name, else the modification time.
    pub stamp: Stamp,
    /// True when [`Entry::stamp`] comes from the name.
    pub named_time: bool,
    /// Size in bytes (0 when unknown).
    pub size: u64,
    /// Whether it can be opened now.
    pub health: Health,
}

/// True for `.heapsnapshot` and `.heapsnapshot.gz` names.
pub fn is_snapshot_name(name: &str) -> bool {
    name.ends_with(".heapsnapshot") || name.ends_with(".heapsnapshot.gz")
}

/// Parses `{Type}.Heap.{yyyymmdd}.{hhmmss}.{pid}.heapsnapshot[.gz]` and
/// `Heap.{yyyymmdd}.{hhmmss}.{pid}.{tid}.{seq}.heapsnapshot[.gz]`; other names give `None`.
pub fn parse_name(name: &str) -> Option<NameInfo> {
    let stem = name.strip_suffix(".gz").unwrap_or(name);
    let stem = stem.strip_suffix(".heapsnapshot")?;
    let parts: Vec<&str> = stem.split('.').collect();
    let digits = |s: &str, n: Option<usize>| {
        !s.is_empty() && n.is_none_or(|n| s.len() == n) && s.bytes().all(|b| b.is_ascii_digit())
    };
    let (kind, date, time, pid, seq) = match parts.as_slice() {
        [kind, "Heap", date, time, pid] => {
            let word = kind.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-');
            (word.then_some(*kind)?, *date, *time, *pid, "0")
        }
        ["Heap", date, time, pid, tid, seq] if digits(tid, None) && digits(seq, None) => {
            ("Node", *date, *time, *pid, *seq)
        }
        _ => return None,
    };
    if kind.is_empty() || !digits(date, Some(8)) || !digits(time, Some(6)) || !digits(pid, None) {
        return None;
    }
    let (date, time): (u64, u64) = (date.parse().ok()?, time.parse().ok()?);
    let (month, day) = (date / 100 % 100, date % 100);
    let (hour, minute, second) = (time / 10_000, time / 100 % 100, time % 100);
    if !(1..=12).contains(&month) || !(1..=31).contains(&day) {
        return None;
    }
    if hour > 23 || minute > 59 || second > 60 {
        return None;
    }
    Some(NameInfo {
        kind: kind.to_string(),
        stamp: Stamp {
            civil: date * 1_000_000 + time,
            fine: seq.parse().ok()?,
        },
    })
}

/// Lists the snapshot files of `dir` (unsorted), none in a folder that has none yet (the
/// picker watches it). Looks at each file twice, `SETTLE` apart, to catch files still being
/// written; never opens anything but regular files.
pub fn scan(dir: &Path) -> Result<Vec<Entry>> {
    let first = look_all(dir)?;
    if first.is_empty() {
        return Ok(Vec::new());
    }
    std::thread::sleep(SETTLE);
    Ok(first
        .into_iter()
        .map(|(path, (name, look))| entry(path, name, &look))
        .collect())
}

/// A folder watched for snapshots: each [`Watch::poll`] looks at its files again, the
/// previous look serving as the first of [`scan`]'s two looks.
pub struct Watch {
    dir: PathBuf,
    looks: HashMap<PathBuf, (String, Look)>,
    entries: Vec<Entry>,
}

impl Watch {
    /// Starts watching `dir`, whose files were last seen as `entries`.
    pub fn new(dir: &Path, entries: &[Entry]) -> Watch {
        let looks = look_all(dir).unwrap_or_default();
        let mut entries = entries.to_vec();
        entries.sort_by(|a, b| a.path.cmp(&b.path));
        Watch {
            dir: dir.to_path_buf(),
            looks,
            entries,
        }
    }

    /// The folder's entries when anything changed since the last poll (files added or
    /// removed, sizes, states), else `None`.
    pub fn poll(&mut self) -> Result<Option<Vec<Entry>>> {
        let looks = look_all(&self.dir)?;
        let mut entries: Vec<Entry> = looks
            .iter()
            .map(|(path, (name, second))| {
                let first = self.looks.get(path).map_or(second, |(_, l)| l);
                entry(path.clone(), name.clone(), first)
            })
            .collect();
        entries.sort_by(|a, b| a.path.cmp(&b.path));
        self.looks = looks;
        if entries == self.entries {
            return Ok(None);
        }
        self.entries = entries.clone();
        Ok(Some(entries))
    }
}

/// What one look at a file sees: size, modification time and whether it is a regular file,
/// or why it could not be looked at.
type Look = std::result::Result<(u64, Option<SystemTime>, bool), String>;

fn look(path: &Path) -> Look {
    std::fs::metadata(path)
        .map(|m| (m.len(), m.modified().ok(), m.is_file()))
        .map_err(|e| e.to_string())
}

/// One look at every snapshot file of `dir`, by path (with the file name).
fn look_all(dir: &Path) -> Result<HashMap<PathBuf, (String, Look)>> {
    let cannot = |e: std::io::Error| Error::io("cannot list", e).in_file(dir);
    let mut found = HashMap::new();
    for entry in std::fs::read_dir(dir).map_err(cannot)? {
        let entry = entry.map_err(cannot)?;
        let name = entry.file_name().to_string_lossy().into_owned();
        if is_snapshot_name(&name) {
            let path = entry.path();
            let first = look(&path);
            found.insert(path, (name, first));
        }
    }
    Ok(found)
}

/// One file, from an earlier look (`first`) and a second one now.
fn entry(path: PathBuf, name: String, first: &Look) -> Entry {
    let second = look(&path);
    let mtime = second.as_ref().ok().and_then(|&(_, t, _)| t);
    let health = match (first, &second) {
        (_, Err(e)) | (Err(e), _) => Health::Unreadable(e.clone()),
        (_, Ok((_, _, false))) => Health::Unreadable("not a regular file".to_string()),
        (Ok(a), Ok(b)) if a != b => Health::Writing,
        _ if mtime.is_some_and(|t| t.elapsed().is_ok_and(|age| age < RECENT)) => Health::Writing,
        _ => match std::fs::File::open(&path) {
            Ok(_) => Health::Ok,
            Err(e) => Health::Unreadable(e.to_string()),
        },
    };
    let info = parse_name(&name);
    let modified = mtime.and_then(local_stamp).unwrap_or_default();
    Entry {
        pid: pid_of(&path),
        kind: info.as_ref().map(|i| i.kind.clone()),
        named_time: info.is_some(),
        stamp: info.map_or(modified, |i| i.stamp),
        size: second.map_or(0, |(len, _, _)| len),
        health,
        path,
        name,
    }
}

/// `time` as a local-time [`Stamp`].
fn local_stamp(time: SystemTime) -> Option<Stamp> {
    let (date, time, nanos) = heaptui_common::util::civil::local_civil(time)?;
    Some(Stamp {
        civil: date * 1_000_000 + time,
        fine: u64::from(nanos),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_diagnostic_names() {
        let base = parse_name("Baseline.Heap.20261124.101500.4242.heapsnapshot.gz").unwrap();
        assert_eq!(base.kind, "Baseline");
        assert_eq!(base.stamp.display(), "2026-11-24 10:15:00");
        let node = parse_name("Heap.20261124.103000.4242.0.002.heapsnapshot").unwrap();
        assert_eq!(node.kind, "Node");
        assert_eq!(
            node.stamp,
            Stamp {
                civil: 20261124103000,
                fine: 2
            }
        );
        assert_eq!(
            parse_name("OOM.Heap.20261124.235959.1.heapsnapshot")
                .unwrap()
                .kind,
            "OOM"
        );
        for other in [
            "after.heapsnapshot.gz",
            "Heap.20261124.103000.4242.heapsnapshot",
            "Baseline.Heap.20261324.101500.4242.heapsnapshot",
            "Baseline.Heap.20261124.251500.4242.heapsnapshot",
            "a.b.Heap.20261124.101500.4242.heapsnapshot",
            "Heap.20261124.103000.4242.0.002.json",
        ] {
            assert_eq!(parse_name(other), None, "{other}");
        }
        assert!(is_snapshot_name("x.heapsnapshot.gz") && !is_snapshot_name("x.gz"));
    }

    #[test]
    fn watch_sees_new_and_growing_snapshots() {
        let dir = std::env::temp_dir().join(format!("heaptui-watch-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let old = dir.join("Baseline.Heap.20261124.101500.4242.heapsnapshot");
        std::fs::write(&old, b"{}").unwrap();
        let mut watch = Watch::new(&dir, &scan(&dir).unwrap());
        assert_eq!(watch.poll().unwrap(), None, "nothing changed");
        let new = dir.join("Manual.Heap.20261124.102000.4242.heapsnapshot");
        std::fs::write(&new, b"{").unwrap();
        std::fs::write(dir.join("notes.txt"), b"not a snapshot").unwrap();
        let entries = watch.poll().unwrap().expect("a new file");
        let names: Vec<&str> = entries.iter().map(|e| e.name.as_str()).collect();
        assert_eq!(names.len(), 2, "{names:?}");
        let fresh = entries.iter().find(|e| e.path == new).unwrap();
        assert_eq!((fresh.health.clone(), fresh.size), (Health::Writing, 1));
        std::fs::write(&new, b"{}").unwrap();
        let entries = watch.poll().unwrap().expect("it grew");
        assert_eq!(entries.iter().find(|e| e.path == new).unwrap().size, 2);
        std::fs::remove_file(&old).unwrap();
        let entries = watch.poll().unwrap().expect("one is gone");
        assert_eq!(entries.len(), 1);
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
