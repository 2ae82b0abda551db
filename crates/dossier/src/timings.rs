//! Where the time of a run goes: seconds per stage, summed over the threads that ran it, for
//! `dossier build --timings` and `bench/speed`.
//!
//! Each stage's time is its own: a stage run inside another (the encoder inside claims) is
//! taken out of the outer one, so the figures add up to the time threads spent in stages. It
//! is clock time per thread, not CPU time: on two cores the sum can be twice the run's wall
//! time, and on a loaded machine a thread waiting for a core still counts. The cost is two clock reads per timed call, so
//! stages are timed per report or per story, never per word.

use std::cell::Cell;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Instant;

/// The stages timed, in pipeline order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stage {
    /// Extracting, cleaning and splitting each document.
    Reading,
    /// Forming the stories.
    Grouping,
    /// Copied passages and the cited summary.
    Summary,
    /// The sentence encoder (all-MiniLM-L6-v2), wherever it runs.
    Encoder,
    /// The NER head over the encoder's states.
    NerHead,
    /// Merging the names into entities, and the quotes.
    EntitiesQuotes,
    /// The claims stage, its own work (its encoder passes are [`Stage::Encoder`]).
    Claims,
    /// The timeline.
    Timeline,
}

const STAGES: [Stage; 8] = [
    Stage::Reading,
    Stage::Grouping,
    Stage::Summary,
    Stage::Encoder,
    Stage::NerHead,
    Stage::EntitiesQuotes,
    Stage::Claims,
    Stage::Timeline,
];

impl Stage {
    pub fn name(self) -> &'static str {
        match self {
            Stage::Reading => "reading",
            Stage::Grouping => "grouping",
            Stage::Summary => "reuse and summary",
            Stage::Encoder => "encoder",
            Stage::NerHead => "NER head",
            Stage::EntitiesQuotes => "entities and quotes",
            Stage::Claims => "claims",
            Stage::Timeline => "timeline",
        }
    }
}

static NANOS: [AtomicU64; STAGES.len()] = [const { AtomicU64::new(0) }; STAGES.len()];

thread_local! {
    /// The stage this thread is in, and since when its time is counted.
    static CURRENT: Cell<Option<(Stage, Instant)>> = const { Cell::new(None) };
}

fn charge(stage: Stage, since: Instant) {
    let nanos = since.elapsed().as_nanos().min(u64::MAX as u128) as u64;
    NANOS[stage as usize].fetch_add(nanos, Ordering::Relaxed);
}

/// Gives the outer stage back its clock when the inner one ends, panicking or not (a report
/// stopped by the guard unwinds through here).
struct Restore(Option<Stage>);

impl Drop for Restore {
    fn drop(&mut self) {
        if let Some((inner, since)) = CURRENT.get() {
            charge(inner, since);
        }
        CURRENT.set(self.0.map(|outer| (outer, Instant::now())));
    }
}

/// Runs `f`, counting its time to `stage` (and not to the stage around it).
pub fn timed<T>(stage: Stage, f: impl FnOnce() -> T) -> T {
    let outer = CURRENT.get().map(|(outer, since)| {
        charge(outer, since);
        outer
    });
    CURRENT.set(Some((stage, Instant::now())));
    let _restore = Restore(outer);
    f()
}

/// Seconds spent per stage so far in this process, in pipeline order.
pub fn spent() -> Vec<(&'static str, f64)> {
    STAGES
        .iter()
        .map(|&s| {
            let nanos = NANOS[s as usize].load(Ordering::Relaxed);
            (s.name(), nanos as f64 / 1e9)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    fn seconds(stage: Stage) -> f64 {
        spent()
            .into_iter()
            .find(|(n, _)| *n == stage.name())
            .unwrap()
            .1
    }

    #[test]
    fn an_inner_stage_is_taken_out_of_the_outer_one() {
        // Only the pipeline with the claims models charges the claims stage, and no unit test
        // runs that; other tests may add to the timeline at the same time, which only makes
        // the comparison below harder to pass.
        let (claims, timeline) = (seconds(Stage::Claims), seconds(Stage::Timeline));
        timed(Stage::Claims, || {
            timed(Stage::Timeline, || {
                std::thread::sleep(Duration::from_millis(200))
            });
            let _ = std::panic::catch_unwind(|| {
                timed(Stage::Timeline, || panic!("a report stopped by the guard"))
            });
        });
        let claims = seconds(Stage::Claims) - claims;
        let timeline = seconds(Stage::Timeline) - timeline;
        assert!(timeline >= 0.2, "timeline {timeline}");
        assert!(
            claims < timeline / 2.0,
            "claims {claims}, timeline {timeline}"
        );
    }
}
