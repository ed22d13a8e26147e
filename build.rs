//! Records the commit this build comes from (`BATON_COMMIT`), for `baton --version` and the app's
//! About line. A build outside a git checkout (a source tarball) can set `BATON_COMMIT` itself;
//! otherwise the commit is "unknown". The script reruns when HEAD or the branch it names moves, so
//! a new commit is never shown under an old hash.

use std::path::Path;
use std::process::Command;

fn git(args: &[&str]) -> Option<String> {
    let out = Command::new("git").args(args).output().ok()?;
    if !out.status.success() {
        return None;
    }
    let text = String::from_utf8(out.stdout).ok()?;
    let text = text.trim();
    (!text.is_empty()).then(|| text.to_owned())
}

/// Reruns the script when the git file `p` changes. A file that is missing would make cargo rerun it on
/// every build (and rebuild the crate), so a missing one is watched through the directory it would
/// appear in: a missing `packed-refs` is never the only record of HEAD's commit, and a branch's
/// loose ref appears in its directory at the first commit after its refs were packed.
fn watch(p: &str) {
    let path = Path::new(p);
    if path.exists() {
        println!("cargo:rerun-if-changed={p}");
    } else if path.file_name().is_some_and(|n| n != "packed-refs") {
        if let Some(dir) = path.parent().filter(|d| d.is_dir()) {
            println!("cargo:rerun-if-changed={}", dir.display());
        }
    }
}

fn main() {
    println!("cargo:rerun-if-env-changed=BATON_COMMIT");
    let commit = match std::env::var("BATON_COMMIT") {
        Ok(c) if !c.trim().is_empty() => c.trim().to_owned(),
        _ => {
            for path in ["HEAD", "packed-refs"] {
                if let Some(p) = git(&["rev-parse", "--git-path", path]) {
                    watch(&p);
                }
            }
            if let Some(branch) = git(&["symbolic-ref", "-q", "HEAD"]) {
                if let Some(p) = git(&["rev-parse", "--git-path", &branch]) {
                    watch(&p);
                }
            }
            git(&["rev-parse", "--short=12", "HEAD"]).unwrap_or_else(|| "unknown".to_owned())
        }
    };
    println!("cargo:rustc-env=BATON_COMMIT={commit}");
}
