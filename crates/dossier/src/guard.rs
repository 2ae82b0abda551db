//! Runs one report's (or one story's) work so that a bug or a pathological input costs that
//! unit only: a panic, or work past its time budget, becomes a reason the caller records, and
//! the rest of the batch goes on.
//!
//! The time budget is cooperative: [`check`] is called from the loops whose length grows with
//! the input (cleaning, splitting, tokenising, the models' batches) and unwinds the guarded
//! work once the deadline of the innermost [`guarded`] call on this thread has passed. Work
//! that never calls [`check`] is bounded by the linear stages around it, not by this module.
//!
//! Invariant: a panic never crosses [`guarded`]; the deadline of an outer guard is restored
//! when an inner one returns, so guards nest.

use std::cell::Cell;
use std::panic::{self, AssertUnwindSafe};
use std::sync::Once;
use std::time::{Duration, Instant};

thread_local! {
    static DEADLINE: Cell<Option<Instant>> = const { Cell::new(None) };
}

/// The unwinding payload of work stopped at its deadline: the panic hook stays quiet for it,
/// since the caller reports it as a skip reason.
struct OverBudget;

/// Runs `f`, returning its value, or why it did not finish: the panic's message, or that it
/// ran past `budget`.
pub fn guarded<T>(budget: Duration, f: impl FnOnce() -> T) -> Result<T, String> {
    quiet_over_budget();
    let deadline = Instant::now().checked_add(budget);
    let outer = DEADLINE.with(|d| d.replace(deadline));
    let result = panic::catch_unwind(AssertUnwindSafe(f));
    DEADLINE.with(|d| d.set(outer));
    result.map_err(|payload| reason(payload.as_ref()))
}

/// Unwinds the work of the enclosing [`guarded`] call once its budget is spent; free to call
/// often (a clock read) and a no-op outside a guard.
pub fn check() {
    if let Some(deadline) = DEADLINE.with(Cell::get) {
        if Instant::now() > deadline {
            panic::panic_any(OverBudget);
        }
    }
}

fn reason(payload: &(dyn std::any::Any + Send)) -> String {
    if payload.downcast_ref::<OverBudget>().is_some() {
        return "over its time budget (a pathological input, or the machine is overloaded; \
                raise it with --report-timeout)"
            .to_string();
    }
    format!(
        "internal error while analysing it (a bug; please report it): {}",
        panic_text(payload)
    )
}

/// What a panic said, for a caller that catches one of its own (the service's worker loop).
pub fn panic_text(payload: &(dyn std::any::Any + Send)) -> &str {
    payload
        .downcast_ref::<&str>()
        .copied()
        .or_else(|| payload.downcast_ref::<String>().map(String::as_str))
        .unwrap_or("no message")
}

/// Keeps the default panic hook for real panics (their location is what a bug report needs)
/// but silences the deadline's unwinding, which is not a bug.
fn quiet_over_budget() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        let previous = panic::take_hook();
        panic::set_hook(Box::new(move |info| {
            if info.payload().downcast_ref::<OverBudget>().is_none() {
                previous(info);
            }
        }));
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_panic_becomes_its_message() {
        let err = guarded(Duration::from_secs(5), || -> u32 {
            let text = "€€€";
            // Slicing inside a character is the bug class the extractor had.
            text[..1].len() as u32
        })
        .unwrap_err();
        assert!(
            err.contains("internal error") && err.contains("char boundary"),
            "{err}"
        );
        assert_eq!(guarded(Duration::from_secs(5), || 7), Ok(7));
    }

    #[test]
    fn work_past_its_budget_stops_at_the_next_check() {
        let start = Instant::now();
        let err = guarded(Duration::from_millis(20), || loop {
            std::thread::sleep(Duration::from_millis(2));
            check();
        })
        .unwrap_err();
        assert!(err.contains("time budget"), "{err}");
        assert!(start.elapsed() >= Duration::from_millis(20));
        // Outside any guard a check never stops anything.
        check();
    }

    #[test]
    fn an_inner_guard_restores_the_outer_deadline() {
        let outer = guarded(Duration::from_millis(30), || {
            let inner = guarded(Duration::from_secs(60), || 1);
            assert_eq!(inner, Ok(1));
            std::thread::sleep(Duration::from_millis(40));
            check();
        });
        assert!(outer.unwrap_err().contains("time budget"));
    }
}
