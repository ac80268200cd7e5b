//! Temporary files of `--fix` that must not outlive the run. Every file
//! written beside the one it replaces is registered here until it is
//! renamed into place or removed. On SIGINT or SIGTERM a thread of this
//! module (not the signal handler, so it may lock and delete) removes the
//! registered files and exits with 128 + the signal, as a shell expects.
//! A SIGKILL leaves them, named `.corpuslint-<pid>-XXXXXX`; a later
//! `--fix` in the same folder removes those whose process is gone
//! ([`stale_temp_files`]).

use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::sync::{Mutex, MutexGuard};

static FILES: Mutex<Option<HashSet<PathBuf>>> = Mutex::new(None);

fn files() -> MutexGuard<'static, Option<HashSet<PathBuf>>> {
    FILES.lock().unwrap_or_else(|e| e.into_inner())
}

/// Creates a temporary file with `create` and registers it, both under the
/// registry's lock: a signal either comes before (and the process exits
/// before the file exists) or after (and the file is removed).
pub fn create<T>(
    create: impl FnOnce() -> std::io::Result<T>,
    path_of: impl Fn(&T) -> &Path,
) -> std::io::Result<T> {
    let mut files = files();
    let made = create()?;
    files
        .get_or_insert_with(HashSet::new)
        .insert(path_of(&made).to_path_buf());
    Ok(made)
}

/// The file at `path` was renamed into place or removed.
pub fn unregister(path: &Path) {
    if let Some(set) = files().as_mut() {
        set.remove(path);
    }
}

/// Removes every registered file; returns how many there were.
fn remove_all() -> usize {
    let files = files();
    let mut n = 0;
    for path in files.iter().flatten() {
        if std::fs::remove_file(path).is_ok() {
            n += 1;
        }
    }
    // The lock is left held on purpose: the process exits next, and no
    // new temporary file may be made in the meantime.
    std::mem::forget(files);
    n
}

/// Installs the handler for SIGINT and SIGTERM. Call once, before fixing.
pub fn install() {
    #[cfg(unix)]
    {
        use signal_hook::consts::{SIGINT, SIGTERM};
        let Ok(mut signals) = signal_hook::iterator::Signals::new([SIGINT, SIGTERM]) else {
            return;
        };
        let _ = std::thread::Builder::new()
            .name("corpuslint-signals".into())
            .spawn(move || {
                if let Some(signal) = signals.forever().next() {
                    let removed = remove_all();
                    let name = if signal == SIGINT { "interrupted" } else { "terminated" };
                    let _ = std::io::Write::write_all(
                        &mut std::io::stderr(),
                        format!(
                            "corpuslint: {name}; files fixed so far are complete, the others unchanged{}\n",
                            if removed > 0 {
                                format!(" ({removed} temporary file(s) removed)")
                            } else {
                                String::new()
                            }
                        )
                        .as_bytes(),
                    );
                    std::process::exit(128 + signal);
                }
            });
    }
}

/// What a folder holds of earlier runs' temporary files.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Stale {
    /// Files of processes that are gone, now removed.
    pub removed: Vec<PathBuf>,
    /// Files whose writer cannot be told (older names without a process
    /// id, or files that could not be removed): named in a warning.
    pub left: Vec<PathBuf>,
}

/// Looks for temporary files of corpuslint runs in `dir` and removes those
/// whose process is gone. A file of a run still going (another
/// `corpuslint --fix` in the same folder) is left alone.
pub fn stale_temp_files(dir: &Path) -> Stale {
    let mut stale = Stale::default();
    let Ok(entries) = std::fs::read_dir(dir) else {
        return stale;
    };
    let me = std::process::id();
    for entry in entries.flatten() {
        let name = entry.file_name();
        let Some(rest) = name
            .to_str()
            .and_then(|n| n.strip_prefix(crate::input::TEMP_PREFIX))
        else {
            continue;
        };
        if !entry.file_type().is_ok_and(|t| t.is_file()) {
            continue;
        }
        let pid = rest
            .split_once('-')
            .and_then(|(pid, _)| pid.parse::<u32>().ok());
        let path = entry.path();
        match pid {
            Some(pid) if pid == me => {}
            Some(pid) if !process_alive(pid) => match std::fs::remove_file(&path) {
                Ok(()) => stale.removed.push(path),
                Err(_) => stale.left.push(path),
            },
            Some(_) => {}
            None => stale.left.push(path),
        }
    }
    stale.removed.sort();
    stale.left.sort();
    stale
}

/// Whether process `pid` exists (or cannot be told: then it is assumed to).
fn process_alive(pid: u32) -> bool {
    #[cfg(unix)]
    {
        let Ok(pid) = libc::pid_t::try_from(pid) else {
            return true;
        };
        // SAFETY: kill with signal 0 sends nothing; it only checks.
        let r = unsafe { libc::kill(pid, 0) };
        r == 0 || std::io::Error::last_os_error().raw_os_error() != Some(libc::ESRCH)
    }
    #[cfg(not(unix))]
    {
        let _ = pid;
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stale_files_of_gone_processes_are_removed() {
        let dir = tempfile::tempdir().unwrap();
        // A process id that no process has (above the kernel's maximum).
        let gone = dir.path().join(".corpuslint-99999999-abc123");
        let mine = dir
            .path()
            .join(format!(".corpuslint-{}-def456", std::process::id()));
        let old = dir.path().join(".corpuslint-Xy12ab");
        let other = dir.path().join("article.txt");
        for p in [&gone, &mine, &old, &other] {
            std::fs::write(p, "x").unwrap();
        }
        let stale = stale_temp_files(dir.path());
        assert_eq!(stale.removed, std::slice::from_ref(&gone));
        assert_eq!(stale.left, std::slice::from_ref(&old));
        assert!(!gone.exists() && mine.exists() && old.exists() && other.exists());
    }
}
