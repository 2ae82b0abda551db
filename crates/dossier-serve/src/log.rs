//! Logging that cannot fail: `eprintln!` panics when stderr cannot be written (a full disk, a
//! closed pipe), which would drop a connection or kill the worker over a log line.

use std::io::Write;
use std::sync::atomic::{AtomicU64, Ordering};

/// Log lines that could not be written, for `/health`.
pub(crate) static LOST: AtomicU64 = AtomicU64::new(0);

/// Writes `dossier: {args}` and a newline to stderr; a failed write is counted, never raised.
pub(crate) fn line(args: std::fmt::Arguments) {
    let mut err = std::io::stderr().lock();
    if writeln!(err, "dossier: {args}").is_err() {
        LOST.fetch_add(1, Ordering::Relaxed);
    }
}

/// `log!("...")`: [`line`] with `format!` arguments.
macro_rules! log {
    ($($arg:tt)*) => {
        $crate::log::line(format_args!($($arg)*))
    };
}

pub(crate) use log;
