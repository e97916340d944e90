//! Opens what the user named as a snapshot and decides how its bytes are best read: `-` is
//! standard input; a regular file on a local disk is memory-mapped; anything that cannot be
//! mapped well is read into memory: pipes, FIFOs and process substitution (`<(cmd)`), which
//! cannot be mapped at all, and regular files on network and FUSE file systems (cloud buckets
//! mounted as folders, NFS, SMB, 9p, …), where the parser's parallel passes would fault pages
//! in out of order, each fault a round trip to the server.
//!
//! The file system is told apart by `fstatfs`'s `f_type` (the magic numbers of
//! `linux/magic.h`).

use heaptui_common::error::{Error, Result};
use std::fs::File;
use std::io::IsTerminal;
use std::os::fd::AsFd;
use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};

/// The name by which standard input is given on the command line.
pub use heaptui_common::util::STDIN;

/// An opened input and the way to read it.
pub struct Input {
    /// The open file (a duplicate of descriptor 0 for standard input).
    pub file: File,
    /// How its bytes are read.
    pub access: Access,
}

/// How an input's bytes are read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Access {
    /// Memory-map the file (a regular file on a local file system).
    Map,
    /// Read it as it arrives (a pipe, a FIFO, a terminal, a socket).
    Stream,
    /// Read the regular file of `len` bytes into memory in sequential streams: it is on the
    /// network or FUSE file system named `file_system`.
    Remote {
        /// The file's size.
        len: u64,
        /// "FUSE", "NFS", "CIFS", … (for the loading screen).
        file_system: &'static str,
    },
}

/// Standard input can be read only once per process.
static STDIN_TAKEN: AtomicBool = AtomicBool::new(false);

impl Input {
    /// Opens `path` (or standard input for [`STDIN`]) read-only. Never writes to it.
    pub fn open(path: &Path) -> Result<Input> {
        let file = if path == Path::new(STDIN) {
            open_stdin()?
        } else {
            let meta = std::fs::metadata(path).map_err(|e| Error::io("cannot read the file", e))?;
            if meta.is_dir() {
                return Err(Error::malformed("is a directory, not a heap snapshot file"));
            }
            File::open(path).map_err(|e| Error::io("cannot open the file", e))?
        };
        let meta = file
            .metadata()
            .map_err(|e| Error::io("cannot read the file", e))?;
        let access = if !meta.is_file() {
            Access::Stream
        } else {
            if meta.len() == 0 {
                return Err(Error::malformed("file is empty"));
            }
            match remote_file_system(&file) {
                None => Access::Map,
                Some(file_system) => Access::Remote {
                    len: meta.len(),
                    file_system,
                },
            }
        };
        Ok(Input { file, access })
    }
}

fn open_stdin() -> Result<File> {
    let stdin = std::io::stdin();
    if stdin.is_terminal() {
        return Err(Error::usage(
            "is a terminal: pipe a snapshot into heaptui (`… | heaptui -`) or name a file",
        ));
    }
    if STDIN_TAKEN.swap(true, Ordering::SeqCst) {
        return Err(Error::usage(
            "is given more than once; it can be read only once",
        ));
    }
    let fd = stdin
        .as_fd()
        .try_clone_to_owned()
        .map_err(|e| Error::io("cannot read", e))?;
    Ok(File::from(fd))
}

/// `f_type` magic numbers of file systems whose reads go over a network or through a user-space
/// server, with the name used in messages.
const REMOTE_FILE_SYSTEMS: &[(u32, &str)] = &[
    (0x6573_5546, "FUSE"), // also virtiofs, s3fs, gcsfuse, mountpoint-s3, sshfs, rclone, bindfs
    (0x0000_6969, "NFS"),
    (0xFF53_4D42, "CIFS"),
    (0xFE53_4D42, "SMB2"),
    (0x0000_517B, "SMB"),
    (0x0102_1997, "9p"),
    (0x00C3_6400, "Ceph"),
    (0x7375_7245, "Coda"),
    (0x5346_414F, "AFS"),
    (0x6B41_4653, "AFS"),
    (0x0BD0_0BD0, "Lustre"),
    (0x4750_4653, "GPFS"),
    (0x786F_4256, "vboxsf"),
    (0x2003_0528, "OrangeFS"),
    (0x0000_564C, "NCP"),
];

/// The kind of network or FUSE file system `file` is on, or `None` for a local one (or when
/// the kernel does not say).
fn remote_file_system(file: &File) -> Option<&'static str> {
    use std::os::fd::AsRawFd;
    let mut stat = std::mem::MaybeUninit::<libc::statfs>::uninit();
    // SAFETY: `fstatfs` writes a whole `statfs` into the buffer it is given when it returns 0,
    // and the descriptor is open for the duration of the call.
    let stat = unsafe {
        if libc::fstatfs(file.as_raw_fd(), stat.as_mut_ptr()) != 0 {
            return None;
        }
        stat.assume_init()
    };
    // The field's integer type differs between C libraries; the magic numbers are 32 bits.
    let magic = stat.f_type as u32;
    REMOTE_FILE_SYSTEMS
        .iter()
        .find(|(m, _)| *m == magic)
        .map(|&(_, name)| name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_local_file_is_mapped_and_a_pipe_is_read() {
        let input = Input::open(
            Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("Cargo.toml")
                .as_path(),
        )
        .unwrap();
        // The test suite runs on a local disk (CI's clone, a developer's worktree).
        assert_eq!(input.access, Access::Map);

        let (reader, _writer) = std::io::pipe().unwrap();
        let fd = reader.as_fd().try_clone_to_owned().unwrap();
        let path = format!("/proc/self/fd/{}", std::os::fd::AsRawFd::as_raw_fd(&fd));
        let input = Input::open(Path::new(&path)).unwrap();
        assert_eq!(input.access, Access::Stream);
    }
}
