//! The process table, read from `/proc`: which processes run the app binary and what they spawned.
//!
//! Each test runs its own copy of the app binary, so "the processes whose executable is this file"
//! names exactly that test's app and never anyone else's Baton on the machine.

use std::collections::HashMap;
use std::fs;
use std::path::Path;

/// One process, as `/proc` shows it.
#[derive(Debug, Clone)]
pub struct Proc {
    pub pid: u32,
    pub ppid: u32,
    /// File name of the executable (or the kernel's short name when the executable is gone).
    pub name: String,
    /// Exited but not yet reaped by its parent.
    pub zombie: bool,
}

/// Every process we may read.
pub fn all() -> Vec<Proc> {
    let Ok(dir) = fs::read_dir("/proc") else {
        return Vec::new();
    };
    dir.filter_map(|e| e.ok()?.file_name().to_str()?.parse::<u32>().ok())
        .filter_map(read)
        .collect()
}

fn read(pid: u32) -> Option<Proc> {
    let stat = fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    // "pid (comm) state ppid ...": comm may hold spaces and parentheses, so split at the last ')'.
    let close = stat.rfind(')')?;
    let comm = stat.get(stat.find('(')? + 1..close)?.to_string();
    let mut rest = stat.get(close + 1..)?.split_whitespace();
    let state = rest.next()?;
    let ppid = rest.next()?.parse().ok()?;
    let name = fs::read_link(format!("/proc/{pid}/exe"))
        .ok()
        .and_then(|p| Some(p.file_name()?.to_string_lossy().into_owned()))
        .unwrap_or(comm);
    Some(Proc {
        pid,
        ppid,
        name,
        zombie: state == "Z",
    })
}

/// Live processes running the executable at `exe`.
pub fn running(exe: &Path) -> Vec<u32> {
    let deleted = format!("{} (deleted)", exe.display());
    all()
        .into_iter()
        .filter(|p| !p.zombie)
        .filter(|p| {
            fs::read_link(format!("/proc/{}/exe", p.pid))
                .is_ok_and(|l| l == exe || l.as_os_str() == deleted.as_str())
        })
        .map(|p| p.pid)
        .collect()
}

/// Processes whose environment has `key` set to `value`.
pub fn with_env(key: &str, value: &std::ffi::OsStr) -> Vec<Proc> {
    use std::os::unix::ffi::OsStrExt as _;
    let mut wanted = key.as_bytes().to_vec();
    wanted.push(b'=');
    wanted.extend_from_slice(value.as_bytes());
    all()
        .into_iter()
        .filter(|p| {
            fs::read(format!("/proc/{}/environ", p.pid))
                .is_ok_and(|env| env.split(|b| *b == 0).any(|var| var == wanted.as_slice()))
        })
        .collect()
}

/// Whether `pid` is alive (a zombie is not).
pub fn alive(pid: u32) -> bool {
    read(pid).is_some_and(|p| !p.zombie)
}

/// Every process below `pid` (children, their children, ...).
pub fn descendants(pid: u32) -> Vec<Proc> {
    let mut by_parent: HashMap<u32, Vec<Proc>> = HashMap::new();
    for p in all() {
        by_parent.entry(p.ppid).or_default().push(p);
    }
    let mut found = Vec::new();
    let mut todo = vec![pid];
    while let Some(parent) = todo.pop() {
        for child in by_parent.remove(&parent).unwrap_or_default() {
            todo.push(child.pid);
            found.push(child);
        }
    }
    found
}

/// WebKit's helper processes (web content, network, GPU) among `procs`.
pub fn webkit(procs: &[Proc]) -> Vec<&Proc> {
    procs
        .iter()
        .filter(|p| p.name.starts_with("WebKit"))
        .collect()
}
