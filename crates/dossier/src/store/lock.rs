//! One process per store: an advisory lock on a file in the data directory.
//!
//! Two engines over one queue each analyse it and write their own stories, so reports end up in
//! several stories or in none. The lock is `flock(2)`-style: the kernel drops it when its holder
//! exits however it exits (`kill -9` included), so a crash never leaves a stale lock behind.
//! The holder writes its pid into the file, for the refused process to name.

use std::fs::{File, OpenOptions, TryLockError};
use std::io::{Read, Seek, Write};
use std::path::{Path, PathBuf};

/// The lock file inside the data directory.
pub const LOCK_FILE: &str = "dossier.lock";

/// Held while alive; dropping it (or the process ending) releases the directory.
#[derive(Debug)]
pub struct DirLock {
    _file: File,
}

#[derive(Debug)]
pub enum LockError {
    /// Another process holds the directory; its pid if it wrote one.
    Held { path: PathBuf, pid: Option<u32> },
    Io {
        path: PathBuf,
        error: std::io::Error,
    },
}

impl std::fmt::Display for LockError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            LockError::Held { path, pid } => {
                let holder = pid.map_or("another process".to_string(), |p| format!("pid {p}"));
                write!(
                    f,
                    "{} is locked by {holder}: one dossier serve or watch per data directory",
                    path.display()
                )
            }
            LockError::Io { path, error } => write!(f, "cannot lock {}: {error}", path.display()),
        }
    }
}

impl std::error::Error for LockError {}

/// Takes the data directory `dir` for this process, or says who holds it.
pub fn lock(dir: &Path) -> Result<DirLock, LockError> {
    let path = dir.join(LOCK_FILE);
    let io = |error| LockError::Io {
        path: path.clone(),
        error,
    };
    let mut file = OpenOptions::new()
        .read(true)
        .write(true)
        .create(true)
        .truncate(false)
        .open(&path)
        .map_err(io)?;
    match file.try_lock() {
        Ok(()) => {}
        Err(TryLockError::WouldBlock) => {
            let mut text = String::new();
            file.read_to_string(&mut text).ok();
            return Err(LockError::Held {
                pid: text.trim().parse().ok(),
                path,
            });
        }
        Err(TryLockError::Error(e)) => return Err(io(e)),
    }
    file.set_len(0).map_err(io)?;
    file.rewind().map_err(io)?;
    writeln!(file, "{}", std::process::id()).map_err(io)?;
    Ok(DirLock { _file: file })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_second_lock_names_the_holder_and_a_dropped_one_frees_the_directory() {
        let dir = tempfile::tempdir().unwrap();
        let held = lock(dir.path()).unwrap();
        match lock(dir.path()) {
            Err(LockError::Held { pid, .. }) => assert_eq!(pid, Some(std::process::id())),
            other => panic!("the directory was taken twice: {other:?}"),
        }
        drop(held);
        lock(dir.path()).expect("a released directory can be taken again");
    }
}
