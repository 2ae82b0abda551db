//! Stream: incremental analysis over the [`store`](crate::store). Reports are accepted into a
//! persisted queue; one worker drains it in batches, places each report in a story
//! ([`cluster`]) and re-analyses only the stories the batch touched, through the same per-story
//! stages as a batch run ([`pipeline::story_of`]).
//!
//! Invariants:
//! - Story ids are stable: a story keeps the id it was first written under while it grows, and
//!   loses it only by a merge, which records the survivor so the old id redirects.
//! - A batch is written in one transaction, queue removal included. If writing fails, the
//!   in-memory state is ahead of the store: the engine must be dropped and opened again, which
//!   rebuilds that state from the store (see [`Engine::open`]).
//! - Only one engine may run over a store at a time; accepting reports ([`Store::accept`]) is
//!   safe from any number of other connections meanwhile.

pub mod cluster;

use crate::model::Report;
use crate::pipeline::{self, Options, Silent};
use crate::store::{self, Analysed, BatchWrite, Queued, Store};
use crate::text::ReportWords;
use cluster::{Key, StreamClusterer, StreamOptions};
use rayon::prelude::*;
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::Path;

pub use cluster::Placement;

/// What one batch did.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Progress {
    /// Queued documents handled (read into reports or skipped).
    pub handled: usize,
    pub skipped: usize,
    /// Stories written (new, grown or merged into).
    pub stories: usize,
    pub merges: usize,
}

pub struct Engine {
    store: Store,
    clusterer: StreamClusterer,
    options: Options,
    /// Report id by arrival number.
    report_ids: HashMap<Key, String>,
    /// Public story id by the clusterer's story key.
    story_ids: HashMap<Key, String>,
}

impl Engine {
    /// Opens the store in `dir` and rebuilds the stream state from the stories already there.
    pub fn open(dir: &Path, options: Options, stream: StreamOptions) -> store::Result<Engine> {
        let store = Store::open(dir)?;
        let mut engine = Engine {
            store,
            clusterer: StreamClusterer::new(stream),
            options,
            report_ids: HashMap::new(),
            story_ids: HashMap::new(),
        };
        let mut keys: HashMap<String, Key> = HashMap::new();
        let Engine {
            store,
            clusterer,
            report_ids,
            story_ids,
            ..
        } = &mut engine;
        store.analysed(|a: Analysed| {
            let seq = a.seq as Key;
            // A story's key is its earliest arrival, as when it was first placed.
            let key = *keys.entry(a.story.clone()).or_insert(seq);
            story_ids.entry(key).or_insert(a.story);
            clusterer.restore(
                key,
                seq,
                &ReportWords::of(&a.report),
                time_of(&a.report, a.received),
            );
            report_ids.insert(seq, a.report.id);
        })?;
        Ok(engine)
    }

    /// Handles up to `limit` queued documents. Returns what it did; `handled == 0` means the
    /// queue was empty.
    pub fn step(&mut self, limit: usize) -> store::Result<Progress> {
        let queued = self.store.queued(limit)?;
        if queued.is_empty() {
            return Ok(Progress::default());
        }
        let mut write = BatchWrite {
            done: queued.iter().map(|q| q.seq).collect(),
            ..BatchWrite::default()
        };
        let read: Vec<(Queued, Result<Report, String>)> = queued
            .into_par_iter()
            .map(|q| {
                let (mut reports, skipped) = pipeline::read_reports(vec![q.doc.clone()], &Silent);
                let result = match (reports.pop(), skipped.into_iter().next()) {
                    (Some(report), _) => Ok(report),
                    (None, Some(s)) => Err(s.reason),
                    (None, None) => Err("nothing could be read".to_string()),
                };
                (q, result)
            })
            .collect();
        let mut fresh: HashMap<String, Report> = HashMap::new();
        let mut touched: BTreeMap<Key, i64> = BTreeMap::new();
        let mut merges = 0;
        for (q, result) in read {
            let report = match result {
                Ok(r) => r,
                Err(reason) => {
                    write.skipped.push((q.seq, q.doc.id, reason));
                    continue;
                }
            };
            let key = q.seq as Key;
            let words = ReportWords::of(&report);
            let placed = self
                .clusterer
                .add(key, &words, time_of(&report, q.received));
            for gone in &placed.merged {
                touched.remove(gone);
                merges += 1;
                // A story born in this batch was never shown: nothing to redirect.
                if let Some(old) = self.story_ids.remove(gone) {
                    if let Some(survivor) = self.story_ids.get(&placed.story) {
                        write.merged.push((old, survivor.clone()));
                    } else {
                        // The survivor is new in this batch: it takes the shown id over.
                        self.story_ids.insert(placed.story, old);
                    }
                }
            }
            touched.insert(placed.story, q.seq);
            self.report_ids.insert(key, report.id.clone());
            write.reports.push((q.seq, report.clone()));
            fresh.insert(report.id.clone(), report);
        }
        for (key, updated) in touched {
            let ids: Vec<String> = self
                .clusterer
                .members(key)
                .iter()
                .map(|k| self.report_ids[k].clone())
                .collect();
            let stored: Vec<String> = ids
                .iter()
                .filter(|id| !fresh.contains_key(*id))
                .cloned()
                .collect();
            let mut by_id: HashMap<String, Report> = self
                .store
                .reports(&stored)?
                .into_iter()
                .map(|r| (r.id.clone(), r))
                .collect();
            let members: Vec<Report> = ids
                .iter()
                .filter_map(|id| by_id.remove(id).or_else(|| fresh.get(id).cloned()))
                .collect();
            let mut story = pipeline::story_of(&members, &self.options);
            match self.story_ids.get(&key) {
                Some(id) => story.id = id.clone(),
                None => {
                    self.story_ids.insert(key, story.id.clone());
                }
            }
            write.stories.push((story, updated));
        }
        let progress = Progress {
            handled: write.done.len(),
            skipped: write.skipped.len(),
            stories: write.stories.len(),
            merges,
        };
        self.store.write_batch(&write)?;
        Ok(progress)
    }

    /// Stories known to the engine: live ids only (merged ones are gone).
    pub fn story_ids(&self) -> BTreeSet<&str> {
        self.story_ids.values().map(String::as_str).collect()
    }

    /// The store the engine writes, for reading back what it did.
    pub fn store(&self) -> &Store {
        &self.store
    }
}

/// When a report happened for the stream's clock, in seconds: its publication time, else when
/// it was accepted.
fn time_of(report: &Report, received_ms: i64) -> i64 {
    pipeline::published_instant(report)
        .map(|t| t.timestamp())
        .unwrap_or(received_ms / 1000)
}
