//! The README's commands run as written: every line of a fenced block that starts with `$ ` is
//! run by bash in the repository root, with the built heaptui first on `PATH` and `HOME` in a
//! temporary folder, and must exit 0 and print exactly the lines that follow it in the block
//! (up to the next `$ ` line or the end of the block). So the install check, the completion and
//! man page installation and the headless examples cannot drift from what heaptui does.

use crate::common;

use common::{root, TempDir};
use std::path::Path;
use std::process::Command;

/// A `$ ` command of the README and the output shown under it.
struct Example {
    line: usize,
    command: String,
    output: String,
    /// The indentation of the `$` line (blocks inside list items are indented); output lines
    /// lose that much, and keep any further leading spaces of their own.
    indent: usize,
}

fn examples(readme: &str) -> Vec<Example> {
    let mut all: Vec<Example> = Vec::new();
    let mut in_block = false;
    let mut current: Option<Example> = None;
    for (i, raw) in readme.lines().enumerate() {
        let line = raw.trim_start();
        let indent = raw.len() - line.len();
        if line.starts_with("```") {
            in_block = !in_block;
            all.extend(current.take());
            continue;
        }
        if !in_block {
            continue;
        }
        if let Some(command) = line.strip_prefix("$ ") {
            all.extend(current.take());
            current = Some(Example {
                line: i + 1,
                command: command.to_string(),
                output: String::new(),
                indent,
            });
        } else if let Some(example) = current.as_mut() {
            let text = &raw[indent.min(example.indent)..];
            example.output.push_str(text.trim_end());
            example.output.push('\n');
        }
    }
    all
}

#[test]
fn the_readme_commands_print_what_the_readme_shows() {
    let readme = std::fs::read_to_string(root().join("README.md")).unwrap();
    let examples = examples(&readme);
    assert!(
        examples.len() >= 8,
        "only {} `$ ` commands found in the README",
        examples.len()
    );
    let home = TempDir::new("readme-home");
    let bin_dir = Path::new(env!("CARGO_BIN_EXE_heaptui")).parent().unwrap();
    let path = format!(
        "{}:{}",
        bin_dir.display(),
        std::env::var("PATH").unwrap_or_default()
    );
    for example in &examples {
        let out = Command::new("bash")
            .args(["-o", "pipefail", "-c", &example.command])
            .current_dir(root())
            .env("PATH", &path)
            .env("HOME", &home.0)
            .output()
            .expect("run bash");
        let stdout = String::from_utf8_lossy(&out.stdout);
        let printed: String = stdout
            .lines()
            .map(|l| l.trim_end().to_string() + "\n")
            .collect();
        assert!(
            out.status.success(),
            "README line {}: `{}` failed: {}",
            example.line,
            example.command,
            String::from_utf8_lossy(&out.stderr)
        );
        assert_eq!(
            printed, example.output,
            "README line {}: `{}` printed something else",
            example.line, example.command
        );
    }
    // The installation commands wrote what the shells and man load.
    for file in [
        ".local/share/bash-completion/completions/heaptui",
        ".zfunc/_heaptui",
        ".config/fish/completions/heaptui.fish",
        ".local/share/man/man1/heaptui.1",
    ] {
        let len = std::fs::metadata(home.0.join(file)).map_or(0, |m| m.len());
        assert!(len > 1000, "{file}: {len} bytes");
    }
    let completion = home
        .0
        .join(".local/share/bash-completion/completions/heaptui");
    let out = Command::new("bash")
        .arg("-c")
        .arg(format!(
            "source '{}' && complete -p heaptui",
            completion.display()
        ))
        .output()
        .unwrap();
    assert!(
        String::from_utf8_lossy(&out.stdout).contains("heaptui"),
        "the bash completion registers: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}
