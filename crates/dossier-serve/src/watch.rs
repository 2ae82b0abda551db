//! `dossier watch`: takes report files from a folder a crawler drops them into.
//!
//! A file is read once its size and modification time have stayed the same over one poll, so
//! a file still being written is not taken half-way. Files are left where they are; reading one
//! again (after a restart) is harmless, since the store answers repeated content as a duplicate.
//! While the queue is at its limit, files wait in the folder.

use crate::log::log;
use crate::Shared;
use dossier::ingest::{self, IngestOptions, Input};
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::atomic::Ordering;
use std::time::{Duration, SystemTime};

type Stamp = (u64, Option<SystemTime>);

pub(crate) fn watch(dir: &Path, poll: Duration, max_bytes: u64, shared: &Shared) {
    let mut pending: HashMap<PathBuf, Stamp> = HashMap::new();
    let mut taken: HashMap<PathBuf, Stamp> = HashMap::new();
    let options = IngestOptions { max_bytes };
    while !shared.stop.load(Ordering::SeqCst) {
        let mut files = Vec::new();
        list(dir, &mut files);
        let mut ready = Vec::new();
        for (path, stamp) in files {
            if taken.get(&path) == Some(&stamp) {
                continue;
            }
            if pending.get(&path) == Some(&stamp) {
                pending.remove(&path);
                ready.push((path, stamp));
            } else {
                pending.insert(path, stamp);
            }
        }
        for (path, stamp) in ready {
            let got = ingest::ingest(&[Input::Path(path.clone())], &options);
            for s in &got.skipped {
                log!("warning: skipped {}: {}", s.input, s.reason);
            }
            if got.docs.is_empty() {
                taken.insert(path, stamp);
                continue;
            }
            match shared.accept(got.docs) {
                Ok(Ok(accepted)) => {
                    let new = accepted.iter().filter(|a| !a.duplicate).count();
                    log!(
                        "{}: accepted {new} report{}{}",
                        path.display(),
                        if new == 1 { "" } else { "s" },
                        match accepted.len() - new {
                            0 => String::new(),
                            d => format!(", {d} already stored"),
                        }
                    );
                    taken.insert(path, stamp);
                }
                // Ready again at the next poll, until the worker has caught up.
                Ok(Err(_full)) => {
                    pending.insert(path, stamp);
                }
                // Not marked as taken: the next poll tries again.
                Err(e) => log!("error: cannot store {}: {e}", path.display()),
            }
        }
        std::thread::sleep(poll);
    }
}

/// Files under `dir`, skipping hidden entries (editors' and crawlers' temporary files).
fn list(dir: &Path, out: &mut Vec<(PathBuf, Stamp)>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        if entry.file_name().to_string_lossy().starts_with('.') {
            continue;
        }
        let path = entry.path();
        match std::fs::metadata(&path) {
            Ok(m) if m.is_dir() => list(&path, out),
            Ok(m) if m.is_file() => out.push((path, (m.len(), m.modified().ok()))),
            _ => {}
        }
    }
}
