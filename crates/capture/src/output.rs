//! The files a capture writes: named `{type}.Heap.{yyyymmdd}.{hhmmss}.{pid}.heapsnapshot`
//! (`.gz` with gzip), local time, as diagnostic reports name theirs and the folder picker
//! reads them; created with mode 0600 and never over an existing file; streamed through a
//! buffer (and gzip) as the chunks arrive. A capture that fails removes its partial file, or
//! keeps it renamed `….partial` when asked to.

use flate2::write::GzEncoder;
use heaptui_common::error::{Error, Result};
use heaptui_common::util::civil::local_civil;
use std::fs::File;
use std::io::{BufWriter, Write};
use std::os::unix::fs::OpenOptionsExt;
use std::path::{Path, PathBuf};
use std::time::SystemTime;

/// gzip level for `--gzip`: the fastest, so compressing keeps up with the stream on a busy
/// machine (snapshots still shrink about 5×).
const GZIP_LEVEL: u32 = 1;
/// Write buffer: large enough to turn small chunks into few system calls.
const BUFFER: usize = 1 << 20;
/// How many following seconds to try when a name is taken (two captures in one second).
const NAME_TRIES: u64 = 3;

/// `{kind}.Heap.{yyyymmdd}.{hhmmss}.{pid}.heapsnapshot[.gz]`.
pub fn file_name(kind: &str, date: u64, time: u64, pid: u32, gzip: bool) -> String {
    let gz = if gzip { ".gz" } else { "" };
    format!("{kind}.Heap.{date:08}.{time:06}.{pid}.heapsnapshot{gz}")
}

/// True for a snapshot type usable in a file name (`Baseline`, `Manual`, `after-deploy`).
pub fn valid_kind(kind: &str) -> bool {
    !kind.is_empty() && kind.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
}

enum Sink {
    Plain(BufWriter<File>),
    Gzip(Box<GzEncoder<BufWriter<File>>>),
}

/// A snapshot file being written.
pub struct Output {
    /// Where it is written.
    pub path: PathBuf,
    sink: Option<Sink>,
    /// Snapshot bytes received so far (before compression).
    pub written: u64,
    keep_partial: bool,
}

impl Output {
    /// Creates the next free name in `dir` for a snapshot of `pid` taken now.
    pub fn create(
        dir: &Path,
        kind: &str,
        pid: u32,
        gzip: bool,
        keep_partial: bool,
    ) -> Result<Output> {
        if !dir.is_dir() {
            let shown =
                heaptui_common::util::sanitize::sanitize(&dir.display().to_string()).into_owned();
            return Err(Error::usage(format!("{shown}: no such folder")));
        }
        let now = SystemTime::now();
        for later in 0..NAME_TRIES {
            let at = now + std::time::Duration::from_secs(later);
            let (date, time, _) =
                local_civil(at).ok_or_else(|| Error::internal("no local time"))?;
            let path = dir.join(file_name(kind, date, time, pid, gzip));
            let opened = std::fs::OpenOptions::new()
                .write(true)
                .create_new(true)
                .mode(0o600)
                .open(&path);
            let file = match opened {
                Ok(file) => file,
                Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => continue,
                Err(e) => {
                    return Err(Error::io("cannot create the snapshot file", e).in_file(&path))
                }
            };
            let buffered = BufWriter::with_capacity(BUFFER, file);
            let sink = if gzip {
                Sink::Gzip(Box::new(GzEncoder::new(
                    buffered,
                    flate2::Compression::new(GZIP_LEVEL),
                )))
            } else {
                Sink::Plain(buffered)
            };
            return Ok(Output {
                path,
                sink: Some(sink),
                written: 0,
                keep_partial,
            });
        }
        Err(Error::capture(format!(
            "{}: snapshot files for the next {NAME_TRIES} seconds already exist",
            heaptui_common::util::sanitize::sanitize(&dir.display().to_string())
        )))
    }

    /// Appends snapshot bytes.
    pub fn write(&mut self, bytes: &[u8]) -> Result<()> {
        let result = match self.sink.as_mut() {
            Some(Sink::Plain(w)) => w.write_all(bytes),
            Some(Sink::Gzip(w)) => w.write_all(bytes),
            None => Ok(()),
        };
        result.map_err(|e| write_error(e).in_file(&self.path))?;
        self.written += bytes.len() as u64;
        Ok(())
    }

    /// Flushes, ends the gzip stream and syncs the file to disk; returns its path.
    pub fn finish(mut self) -> Result<PathBuf> {
        let file = match self.sink.take() {
            Some(Sink::Plain(w)) => w.into_inner().map_err(|e| e.into_error()),
            Some(Sink::Gzip(w)) => w
                .finish()
                .and_then(|b| b.into_inner().map_err(|e| e.into_error())),
            None => unreachable!("finish consumes the output"),
        };
        let synced = file.and_then(|f| f.sync_all());
        if let Err(e) = synced {
            let error = write_error(e).in_file(&self.path);
            self.discard();
            return Err(error);
        }
        Ok(std::mem::take(&mut self.path))
    }

    /// Removes the partial file, or keeps it as `….partial`; returns the kept path.
    pub fn abandon(mut self) -> Option<PathBuf> {
        self.discard()
    }

    fn discard(&mut self) -> Option<PathBuf> {
        drop(self.sink.take());
        if self.path.as_os_str().is_empty() {
            return None;
        }
        let path = std::mem::take(&mut self.path);
        if self.keep_partial {
            for n in 0..10 {
                let suffix = if n == 0 {
                    String::new()
                } else {
                    format!(".{n}")
                };
                let mut kept = path.clone().into_os_string();
                kept.push(format!("{suffix}.partial"));
                let kept = PathBuf::from(kept);
                // A hard link never replaces an existing file, unlike a rename.
                if std::fs::hard_link(&path, &kept).is_ok() {
                    let _ = std::fs::remove_file(&path);
                    return Some(kept);
                }
            }
        }
        let _ = std::fs::remove_file(&path);
        None
    }
}

impl Drop for Output {
    fn drop(&mut self) {
        self.discard();
    }
}

/// A failed write, naming a full disk or quota as such.
fn write_error(e: std::io::Error) -> Error {
    let action = match e.raw_os_error() {
        Some(libc::ENOSPC) => "cannot write the snapshot (disk full)",
        Some(libc::EDQUOT) => "cannot write the snapshot (disk quota exceeded)",
        _ => "cannot write the snapshot",
    };
    Error::io(action, e)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::os::unix::fs::PermissionsExt;

    fn temp(tag: &str) -> PathBuf {
        let dir = std::env::temp_dir().join(format!("heaptui-output-{tag}-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        dir
    }

    #[test]
    fn names_files_as_diagnostic_reports() {
        assert_eq!(
            file_name("Baseline", 20261124, 91500, 4242, true),
            "Baseline.Heap.20261124.091500.4242.heapsnapshot.gz"
        );
        assert!(valid_kind("after-deploy") && !valid_kind("a.b") && !valid_kind(""));
    }

    #[test]
    fn never_overwrites_and_writes_0600() {
        let dir = temp("names");
        let mut first = Output::create(&dir, "Manual", 7, false, false).unwrap();
        first.write(b"{}").unwrap();
        let second = Output::create(&dir, "Manual", 7, false, false).unwrap();
        assert_ne!(first.path, second.path);
        let path = first.finish().unwrap();
        assert_eq!(std::fs::read(&path).unwrap(), b"{}");
        let mode = std::fs::metadata(&path).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600);
        // A failed capture removes its file; with keep_partial it is renamed.
        let partial = second.path.clone();
        drop(second);
        assert!(!partial.exists());
        let mut kept = Output::create(&dir, "Manual", 8, true, true).unwrap();
        kept.write(b"{\"snap").unwrap();
        let kept = kept.abandon().unwrap();
        assert!(kept.to_string_lossy().ends_with(".heapsnapshot.gz.partial"));
        assert!(kept.exists());
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
