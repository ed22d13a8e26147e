//! The README's CLI examples are real: every `$ baton --team examples/team.toml ...` and
//! `$ baton holidays ...` line in it is run and its output must match the lines that follow it in the
//! README.
#![allow(clippy::unwrap_used)]

use assert_cmd::Command;

#[test]
fn readme_examples_are_real_output() {
    let root = env!("CARGO_MANIFEST_DIR");
    let readme = std::fs::read_to_string(format!("{root}/README.md")).unwrap();
    let mut examples: Vec<(String, Vec<String>)> = Vec::new();
    let mut in_block = false;
    // An example's output is the rest of its own code block.
    let mut in_example = false;
    for line in readme.lines() {
        if line.starts_with("```") {
            in_block = !in_block;
            in_example = false;
            continue;
        }
        if !in_block {
            continue;
        }
        if let Some(cmd) = line.strip_prefix("$ ") {
            examples.push((cmd.to_string(), Vec::new()));
            in_example = true;
        } else if let Some((_, out)) = examples.last_mut().filter(|_| in_example) {
            out.push(line.to_string());
        }
    }
    let checked: Vec<_> = examples
        .iter()
        .filter(|(cmd, _)| {
            cmd.starts_with("baton --team examples/team.toml") || cmd.starts_with("baton holidays ")
        })
        .collect();
    assert!(
        checked.len() >= 4,
        "the README shows the sample team's commands"
    );
    for (cmd, expected) in checked {
        let args: Vec<&str> = cmd.split_whitespace().skip(1).collect();
        let out = Command::cargo_bin("baton")
            .unwrap()
            .current_dir(root)
            .env_remove("BATON_DB")
            .args(&args)
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{cmd}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        let actual = String::from_utf8(out.stdout).unwrap();
        let expected = expected.join("\n");
        assert_eq!(
            actual.trim_end(),
            expected.trim_end(),
            "README output of `{cmd}` is stale"
        );
    }
}
