//! The final pass over a former's stories: the splits and merges that placing reports one at a
//! time cannot see.
//!
//! A report joins a story when it arrives, and the former's learnt merges look at the story that
//! just changed; neither looks back. Over articles that leaves stories glued by an early, eager
//! join and pieces that batch average link would have put together (bench/events: the former
//! alone scores 0.80 on ECB+ and 0.83 on DUC held-out halves, average link 0.88 and 0.91). The
//! pass reviews the stories of long texts as batch average link would: each story is split into
//! the groups average link forms of its own members (the piece holding its oldest member keeps
//! its key), then the pieces merge, best pair first, while the mean cosine of their cross pairs
//! clears the threshold, and fragments attach to the established story they are most like.
//! Stories of short texts (headlines) keep the former's decisions: average link over headlines,
//! which share one or two words a pair, leaves them in fragments (build on the UCI headlines
//! scores 0.36 by it).

use crate::analyse::cluster::{self, ClusterOptions};
use crate::stream::former;

/// The groups of `counts` (reports numbered by one vocabulary) after the final pass over
/// `stories` (a partition of the reports' indices): long stories split and merged by average
/// link at `options.threshold` and fragments attached at `options.attach`, over tf-idf vectors
/// weighed by all of `counts`; short stories as they were. Each group ascending, in the order of
/// its first member.
pub fn final_pass(
    stories: Vec<Vec<usize>>,
    counts: &[&[(u32, u32)]],
    options: &ClusterOptions,
) -> Vec<Vec<usize>> {
    // Short stories enter whole; long ones as their reports, one group each.
    let start: Vec<Vec<usize>> = stories
        .into_iter()
        .flat_map(|story| {
            if is_short(&story, counts) {
                vec![story]
            } else {
                story.into_iter().map(|r| vec![r]).collect()
            }
        })
        .collect();
    let vectors = cluster::vectorise(counts);
    let keep = (cluster::PAIRS / vectors.len().max(1)).max(cluster::NEIGHBOURS);
    let pairs = cluster::similar_pairs(&vectors, keep);
    let merged = cluster::agglomerate_from(start, &pairs, options.threshold);
    let mut out = cluster::attach_fragments(merged, &pairs, options.attach);
    for g in &mut out {
        g.sort_unstable();
    }
    out.sort_by_key(|g| g[0]);
    out
}

/// Whether a story's reports are short on the mean, as the former weighs them.
fn is_short(story: &[usize], counts: &[&[(u32, u32)]]) -> bool {
    let length: f32 = story.iter().map(|&r| former::length(counts[r].len())).sum();
    former::is_short(length / story.len().max(1) as f32)
}
