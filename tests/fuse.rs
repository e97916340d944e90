//! Snapshots on a FUSE mount (a cloud bucket mounted as a folder stands behind one): heaptui
//! must see the mount, read the file in sequential streams instead of memory-mapping it, and still
//! reproduce DevTools' goldens. The mount is a real one, Debian's `bindfs` (read-only) over a
//! temporary folder; where FUSE or bindfs is unavailable the test says so and passes.

use crate::common;

use common::{assert_summary_matches, gunzip, json_of, root, summary_goldens, TempDir};
use heaptui_engine::{Access, Input};
use std::path::{Path, PathBuf};
use std::process::Command;

/// A read-only bindfs mount, unmounted on drop.
struct Mount(PathBuf);

impl Mount {
    fn new(source: &Path, mountpoint: &Path) -> Result<Mount, String> {
        if !Path::new("/dev/fuse").exists() {
            return Err("no /dev/fuse".into());
        }
        let out = Command::new("bindfs")
            .arg("-r")
            .arg(source)
            .arg(mountpoint)
            .output()
            .map_err(|e| format!("cannot run bindfs ({e}); install Debian's bindfs"))?;
        if !out.status.success() {
            return Err(format!(
                "bindfs failed: {}",
                String::from_utf8_lossy(&out.stderr).trim()
            ));
        }
        Ok(Mount(mountpoint.to_path_buf()))
    }
}

impl Drop for Mount {
    fn drop(&mut self) {
        for (tool, args) in [
            ("fusermount3", &["-u"][..]),
            ("fusermount", &["-u"]),
            ("umount", &[]),
        ] {
            let done = Command::new(tool)
                .args(args)
                .arg(&self.0)
                .status()
                .is_ok_and(|s| s.success());
            if done {
                return;
            }
        }
        eprintln!("could not unmount {}", self.0.display());
    }
}

#[test]
fn snapshots_on_a_fuse_mount_are_read_sequentially_and_match_devtools() {
    let dir = TempDir::new("fuse");
    let (source, mountpoint) = (dir.path("source"), dir.path("mnt"));
    std::fs::create_dir_all(&source).unwrap();
    std::fs::create_dir_all(&mountpoint).unwrap();
    let goldens = summary_goldens();
    for (i, (file, _)) in goldens.iter().enumerate() {
        std::fs::copy(
            root().join(file),
            source.join(format!("{i}.heapsnapshot.gz")),
        )
        .unwrap();
        std::fs::write(
            source.join(format!("{i}.heapsnapshot")),
            gunzip(&root().join(file)),
        )
        .unwrap();
    }
    let mount = match Mount::new(&source, &mountpoint) {
        Ok(mount) => mount,
        Err(why) => {
            eprintln!("skipped: FUSE is unavailable here: {why}");
            return;
        }
    };
    for (i, (file, golden)) in goldens.iter().enumerate() {
        for name in [format!("{i}.heapsnapshot"), format!("{i}.heapsnapshot.gz")] {
            let path = mount.0.join(&name);
            let input = Input::open(&path).unwrap_or_else(|e| panic!("{e}"));
            assert_eq!(
                input.access,
                Access::Remote {
                    len: std::fs::metadata(&path).unwrap().len(),
                    file_system: "FUSE",
                },
                "{name}"
            );
            drop(input);
            let out = common::heaptui(&["summary", path.to_str().unwrap(), "--json"]);
            assert_summary_matches(
                &format!("{file} as {name} on bindfs"),
                &json_of(&out),
                golden,
            );
        }
    }
    // The local copies beside the mount are memory-mapped.
    let local = Input::open(&source.join("0.heapsnapshot")).unwrap();
    assert_eq!(local.access, Access::Map);
}
