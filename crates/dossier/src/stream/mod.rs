//! Stream: incremental analysis over the [`store`](crate::store). Reports are accepted into a
//! persisted queue; one worker drains it in batches, places each report in a story
//! ([`cluster`]), with the final pass reviews the live stories ([`pass`]; the stories shown are
//! its result, named by [`ids`]) and re-analyses only the stories whose reports changed,
//! through the same per-story stages as a batch run ([`pipeline::story_of`]).
//!
//! With the final pass the engine keeps the stem counts of the live stories' reports, which the
//! pass reads again after every batch; those of stories the window closed are dropped, and
//! counted again from the store should a late report reopen one, so memory follows the window,
//! not the stream.
//!
//! With a sentence encoder, each report's lead (title and first sentences) is embedded as the
//! batch is placed, and the clusterer checks meaning as well as words (see [`cluster`]).
//! Embeddings are not stored: on opening, the engine embeds again the newest members of the
//! stories still live, the only ones new reports can join; older stories are judged on words
//! alone should a late report reach back to them. Without an encoder, placement is on words alone.
//!
//! Invariants:
//! - Story ids are stable: a story keeps the id it was first written under while it grows, and
//!   loses it only by a merge, which records the survivor so the old id redirects.
//! - A batch is written in one transaction, queue removal included. If writing fails, the
//!   in-memory state is ahead of the store: the engine must be dropped and opened again, which
//!   rebuilds that state from the store (see [`Engine::open`]).
//! - Only one engine may run over a store at a time (the service holds [`store::lock`]);
//!   accepting reports ([`Store::accept`]) is safe from any number of other connections meanwhile.
//! - No report is retried for ever: each analysis is recorded in the store before it begins.
//!   After one that did not finish (the process stopped, or the worker failed) the oldest queued
//!   report is analysed alone, and one that failed alone, or that [`MAX_ATTEMPTS`] processes
//!   began and never finished, is skipped with the reason.

pub mod cluster;
pub mod data;
pub mod former;
pub mod ids;
pub mod link;
pub mod logistic;
pub mod pass;

use crate::embed::Encoder;
use crate::model::Report;
use crate::pipeline::{self, Options, Silent};
use crate::store::{self, Analysed, BadRow, BatchWrite, Queued, Store};
use crate::text::ReportWords;
use cluster::{Arrival, Counts, Key, StreamClusterer, StreamOptions};
use rayon::prelude::*;
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

pub use cluster::Placement;

/// What one batch did.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Progress {
    /// Queued documents handled (read into reports or skipped).
    pub handled: usize,
    pub skipped: usize,
    /// Stories written (new, grown, merged into or split).
    pub stories: usize,
    pub merges: usize,
    /// Stories split off another by the final pass (each a new story).
    pub splits: usize,
    /// Stories whose full analysis failed (kept with less), each with its id and why.
    pub troubles: Vec<(String, String)>,
}

/// Processes that began analysing one report and ended before finishing it, after which it is
/// skipped. A `kill -9` or a restart landing mid-analysis happens, and after one the report is
/// analysed alone, briefly; five in a row on the same report point at the report (a crash the
/// worker's catch cannot reach: an abort, the OOM killer).
pub const MAX_ATTEMPTS: u32 = 5;

pub struct Engine {
    store: Store,
    clusterer: StreamClusterer,
    options: Options,
    /// Report id by arrival number.
    report_ids: HashMap<Key, String>,
    /// The story each report is shown in, by arrival number.
    shown: HashMap<Key, String>,
    /// The reports of each story shown, ascending.
    stories: BTreeMap<String, Vec<Key>>,
    /// The former's story of each report (its key in the clusterer).
    placed_in: HashMap<Key, Key>,
    /// The stem counts of the live stories' reports, for the final pass (kept only when it
    /// runs); others are counted again from the store when a pass needs them.
    counts: HashMap<Key, Counts>,
    encoder: Option<Arc<Encoder>>,
    /// Set by the owner to stop: the batch in progress is given up between reports.
    stop: Arc<AtomicBool>,
    /// Arrival numbers of the batch being analysed.
    in_flight: Vec<i64>,
    /// Rows left out on opening, named.
    bad_rows: Vec<BadRow>,
}

/// A queued document and the report read of it, or why none could be.
type Read = (Queued, Result<Report, String>);

/// The reports a batch placed, and the former's stories they changed.
struct Placed {
    fresh: HashMap<String, Report>,
    stories: BTreeSet<Key>,
    /// The newest arrival's time.
    time: i64,
}

impl Engine {
    /// Opens the store in `dir` and rebuilds the stream state from the stories already there.
    /// `encoder`: the sentence encoder to place reports by meaning as well as words.
    pub fn open(
        dir: &Path,
        options: Options,
        stream: StreamOptions,
        encoder: Option<Arc<Encoder>>,
    ) -> store::Result<Engine> {
        let store = Store::open(dir)?;
        // Its stories are analysed again as they grow: their reports' dates are read once.
        let options = Options {
            timeline_memo: Some(Default::default()),
            ..options
        };
        let mut engine = Engine {
            store,
            clusterer: StreamClusterer::new(stream),
            options,
            report_ids: HashMap::new(),
            shown: HashMap::new(),
            stories: BTreeMap::new(),
            placed_in: HashMap::new(),
            counts: HashMap::new(),
            encoder,
            stop: Arc::new(AtomicBool::new(false)),
            in_flight: Vec::new(),
            bad_rows: Vec::new(),
        };
        let mut keys: HashMap<String, Key> = HashMap::new();
        // (story key, lead) of every restored report; `newest`: the latest report time.
        let mut leads: Vec<(Key, String)> = Vec::new();
        let mut newest = i64::MIN;
        let embedding = engine.encoder.is_some();
        let pass = engine.clusterer.options().final_pass;
        let Engine {
            store,
            clusterer,
            report_ids,
            shown,
            stories,
            placed_in,
            counts,
            bad_rows,
            ..
        } = &mut engine;
        let each = |a: Analysed| {
            let seq = a.seq as Key;
            // A story's key is its earliest arrival, as when it was first placed.
            let key = *keys.entry(a.story.clone()).or_insert(seq);
            stories.entry(a.story.clone()).or_default().push(seq);
            shown.insert(seq, a.story);
            placed_in.insert(seq, key);
            let time = time_of(&a.report, a.received);
            newest = newest.max(time);
            let words = clusterer.count(&ReportWords::of(&a.report));
            let terms = clusterer.counted(&words);
            if pass {
                counts.insert(seq, words);
            }
            let source = outlet(&a.report);
            let arrival = Arrival {
                key: seq,
                embedding: None,
                time,
                outlet: source.as_deref(),
            };
            clusterer.restore(key, &arrival, &terms);
            if embedding {
                leads.push((key, lead(&a.report)));
            }
            report_ids.insert(seq, a.report.id);
        };
        store.analysed(each, |bad| bad_rows.push(bad))?;
        for members in engine.stories.values_mut() {
            members.sort_unstable();
        }
        engine.restore_meanings(&leads, newest);
        engine.forget_closed(newest);
        Ok(engine)
    }

    /// Embeds again the newest members of the stories still live at `newest`.
    fn restore_meanings(&mut self, leads: &[(Key, String)], newest: i64) {
        let Some(encoder) = &self.encoder else {
            return;
        };
        let mut quota: HashMap<Key, usize> = self
            .clusterer
            .live(newest)
            .into_iter()
            .map(|story| (story, RESTORED_MEANINGS))
            .collect();
        let (stories, texts): (Vec<Key>, Vec<&str>) = leads
            .iter()
            .rev()
            .filter(|(story, _)| {
                quota.get_mut(story).is_some_and(|left| {
                    let take = *left > 0;
                    *left = left.saturating_sub(1);
                    take
                })
            })
            .map(|(story, text)| (*story, text.as_str()))
            .unzip();
        // An encoder failure (a bug, not bad input) leaves these stories to words alone.
        if let Ok(vectors) = encoder.embed(&texts) {
            for (story, vector) in stories.into_iter().zip(vectors) {
                self.clusterer.restore_meaning(story, &vector);
            }
        }
    }

    /// Handles up to `limit` queued documents. Returns what it did; `handled == 0` means the
    /// queue was empty, or the engine was asked to stop.
    pub fn step(&mut self, limit: usize) -> store::Result<Progress> {
        let Some((mut write, queued)) = self.take(limit)? else {
            return Ok(Progress::default());
        };
        let Some(read) = self.read(queued)? else {
            return Ok(Progress::default());
        };
        write.done.extend(&self.in_flight);
        let placed = self.place(read, &mut write);
        let groups = self.regroup(&placed)?;
        let naming = ids::name(&groups, &self.shown);
        let troubles = self.write_stories(groups, &naming, &placed.fresh, &mut write)?;
        let progress = Progress {
            handled: write.done.len(),
            skipped: write.skipped.len(),
            stories: write.stories.len(),
            merges: write.merged.len(),
            splits: naming.splits,
            troubles,
        };
        self.store.write_batch(&write)?;
        self.in_flight.clear();
        self.forget_closed(placed.time);
        Ok(progress)
    }

    /// Takes up to `limit` queued documents, those given up on already marked skipped, and
    /// records the analysis of the rest as begun; `None` when the queue is empty.
    fn take(&mut self, limit: usize) -> store::Result<Option<(BatchWrite, Vec<Queued>)>> {
        let mut entries = self.store.queued(limit)?;
        if entries.is_empty() {
            return Ok(None);
        }
        // After an analysis that did not finish, the reports it held go one at a time, so that
        // a failure is pinned on the one report that caused it.
        if matches!(entries.first(), Some(Ok(q)) if q.attempts > 0) {
            entries.truncate(1);
        }
        let mut write = BatchWrite::default();
        let mut queued = Vec::with_capacity(entries.len());
        for entry in entries {
            match entry.map_err(|bad| (bad.seq, bad.id, bad.reason)) {
                Ok(q) => match given_up(&q) {
                    Some(reason) => write.skipped.push((q.seq, q.doc.id, reason)),
                    None => queued.push(q),
                },
                Err(skip) => write.skipped.push(skip),
            }
        }
        write.done = write.skipped.iter().map(|s| s.0).collect();
        self.in_flight = queued.iter().map(|q| q.seq).collect();
        self.store.attempt(&self.in_flight)?;
        Ok(Some((write, queued)))
    }

    /// Reads the queued documents into reports, in parallel; `None` when asked to stop
    /// meanwhile (the reports stay queued, as if never begun).
    fn read(&mut self, queued: Vec<Queued>) -> store::Result<Option<Vec<Read>>> {
        let stop = &self.stop;
        let budget = self.options.budget;
        let read: Vec<Read> = queued
            .into_par_iter()
            .map(|q| {
                if stop.load(Ordering::SeqCst) {
                    return (q, Err(String::new()));
                }
                let (mut reports, skipped) =
                    pipeline::read_reports(vec![q.doc.clone()], budget, &Silent);
                let result = match (reports.pop(), skipped.into_iter().next()) {
                    (Some(report), _) => Ok(report),
                    (None, Some(s)) => Err(s.reason),
                    (None, None) => Err("nothing could be read".to_string()),
                };
                (q, result)
            })
            .collect();
        if self.stop.load(Ordering::SeqCst) {
            self.store.unattempt(&self.in_flight)?;
            self.in_flight.clear();
            return Ok(None);
        }
        Ok(Some(read))
    }

    /// Places each report read in the former's stories (those that could not be read are
    /// skipped), and adds them to the write.
    fn place(&mut self, read: Vec<Read>, write: &mut BatchWrite) -> Placed {
        let embeddings = self.embed(&read);
        let mut placed = Placed {
            fresh: HashMap::new(),
            stories: BTreeSet::new(),
            time: i64::MIN,
        };
        for ((q, result), embedding) in read.into_iter().zip(embeddings) {
            let report = match result {
                Ok(r) => r,
                Err(reason) => {
                    write.skipped.push((q.seq, q.doc.id, reason));
                    continue;
                }
            };
            let key = q.seq as Key;
            let words = self.clusterer.count(&ReportWords::of(&report));
            let terms = self.clusterer.counted(&words);
            if self.clusterer.options().final_pass {
                self.counts.insert(key, words);
            }
            let source = outlet(&report);
            let arrival = Arrival {
                key,
                embedding: embedding.as_deref(),
                time: time_of(&report, q.received),
                outlet: source.as_deref(),
            };
            placed.time = placed.time.max(arrival.time);
            let into = self.clusterer.add(&arrival, &terms);
            self.placed_in.insert(key, into.story);
            for gone in &into.merged {
                placed.stories.remove(gone);
            }
            if !into.merged.is_empty() {
                for member in self.clusterer.members(into.story) {
                    self.placed_in.insert(*member, into.story);
                }
            }
            placed.stories.insert(into.story);
            self.report_ids.insert(key, report.id.clone());
            write.reports.push((q.seq, report.clone()));
            placed.fresh.insert(report.id.clone(), report);
        }
        placed
    }

    /// The stories to show of the former's stories the batch changed: as they are, or, with
    /// the final pass, reviewed together with every live story and the stories shown with
    /// them (see [`pass`]). Groups of report keys, each ascending.
    fn regroup(&mut self, placed: &Placed) -> store::Result<Vec<Vec<Key>>> {
        if placed.stories.is_empty() {
            return Ok(Vec::new());
        }
        let mut stories = placed.stories.clone();
        let pass = self.clusterer.options().final_pass;
        if pass {
            stories.extend(self.clusterer.live(placed.time));
            self.close_over_shown(&mut stories);
        }
        let groups: Vec<Vec<Key>> = stories
            .iter()
            .map(|&s| self.clusterer.members(s).to_vec())
            .filter(|members| !members.is_empty())
            .collect();
        let mut groups = if pass {
            self.recount(groups.iter().flatten())?;
            self.final_pass(groups)
        } else {
            groups
        };
        for group in &mut groups {
            group.sort_unstable();
        }
        Ok(groups)
    }

    /// Counts again, from the store, the words of the reports among `keys` whose counts were
    /// dropped (their story had closed; a late report reopened it).
    fn recount<'a>(&mut self, keys: impl Iterator<Item = &'a Key>) -> store::Result<()> {
        let missing: HashMap<&str, Key> = keys
            .filter(|k| !self.counts.contains_key(k))
            .map(|k| (self.report_ids[k].as_str(), *k))
            .collect();
        if missing.is_empty() {
            return Ok(());
        }
        let ids: Vec<String> = missing.keys().map(|id| id.to_string()).collect();
        let mut counted = Vec::with_capacity(ids.len());
        for report in self.store.reports(&ids)? {
            counted.push((missing[report.id.as_str()], report));
        }
        for (key, report) in counted {
            let words = self.clusterer.count(&ReportWords::of(&report));
            self.counts.insert(key, words);
        }
        Ok(())
    }

    /// Drops the counts of reports that no pass will read while reports come in time: those
    /// of stories no report arriving at `time` can join, unless shown with one that can. A
    /// late report may still reopen such a story; [`Engine::recount`] then reads them again.
    fn forget_closed(&mut self, time: i64) {
        if self.counts.is_empty() {
            return;
        }
        let mut kept: BTreeSet<Key> = self.clusterer.live(time).into_iter().collect();
        self.close_over_shown(&mut kept);
        let placed_in = &self.placed_in;
        self.counts
            .retain(|k, _| placed_in.get(k).is_some_and(|s| kept.contains(s)));
    }

    /// Adds to `stories` (the former's) every story holding a report shown with one of theirs,
    /// until none is left out: a story shown is regrouped whole or not at all.
    fn close_over_shown(&self, stories: &mut BTreeSet<Key>) {
        let mut todo: Vec<Key> = stories.iter().copied().collect();
        let mut seen: BTreeSet<&str> = BTreeSet::new();
        while let Some(story) = todo.pop() {
            for member in self.clusterer.members(story) {
                let Some(id) = self.shown.get(member) else {
                    continue;
                };
                if !seen.insert(id) {
                    continue;
                }
                for other in &self.stories[id] {
                    let s = self.placed_in[other];
                    if stories.insert(s) {
                        todo.push(s);
                    }
                }
            }
        }
    }

    /// [`pass::final_pass`] over groups of report keys.
    fn final_pass(&self, groups: Vec<Vec<Key>>) -> Vec<Vec<Key>> {
        let keys: Vec<Key> = groups.iter().flatten().copied().collect();
        let counts: Vec<&[(u32, u32)]> = keys.iter().map(|k| &*self.counts[k]).collect();
        let mut at = 0;
        let local: Vec<Vec<usize>> = groups
            .iter()
            .map(|g| {
                at += g.len();
                (at - g.len()..at).collect()
            })
            .collect();
        pass::final_pass(
            local,
            &counts,
            pass::Evidence::default(),
            &Default::default(),
        )
        .into_iter()
        .map(|g| g.into_iter().map(|i| keys[i]).collect())
        .collect()
    }

    /// Analyses and adds to the write each group whose reports changed, under the id
    /// `naming` gives it (a new one where it gives none), and the ids merged away. Returns the
    /// stories whose full analysis failed.
    fn write_stories(
        &mut self,
        groups: Vec<Vec<Key>>,
        naming: &ids::Naming,
        fresh: &HashMap<String, Report>,
        write: &mut BatchWrite,
    ) -> store::Result<Vec<(String, String)>> {
        for (gone, survivor) in &naming.merged {
            self.stories.remove(gone);
            write.merged.push((gone.clone(), survivor.clone()));
        }
        let mut changed = Vec::new();
        for (group, id) in groups.into_iter().zip(&naming.ids) {
            if id.as_ref().and_then(|id| self.stories.get(id)) != Some(&group) {
                let members = self.members(&group, fresh)?;
                changed.push((group, id, members));
            }
        }
        // Analysing the stories a batch changed is most of its time (the final pass over many
        // live articles reshapes a dozen stories a batch), and each story's is its own: on
        // rayon's threads, as a build analyses its stories.
        let options = &self.options;
        let analysed: Vec<_> = changed
            .into_par_iter()
            .map(|(group, id, members)| (group, id, pipeline::story_of(&members, options)))
            .collect();
        let mut troubles = Vec::new();
        // A story whose analysis failed keeps its summary; the reports stay analysed.
        for (group, id, (mut story, trouble)) in analysed {
            story.id = match id {
                Some(id) => id.clone(),
                None => self.unused(story.id, &naming.merged)?,
            };
            troubles.extend(trouble.map(|t| (story.id.clone(), t)));
            for key in &group {
                self.shown.insert(*key, story.id.clone());
            }
            let updated = group.last().copied().unwrap_or_default() as i64;
            self.stories.insert(story.id.clone(), group);
            write.stories.push((story, updated));
        }
        Ok(troubles)
    }

    /// The reports of a group: this batch's from `fresh`, the others from the store.
    fn members(
        &self,
        group: &[Key],
        fresh: &HashMap<String, Report>,
    ) -> store::Result<Vec<Report>> {
        let ids: Vec<&String> = group.iter().map(|k| &self.report_ids[k]).collect();
        let stored: Vec<String> = ids
            .iter()
            .filter(|id| !fresh.contains_key(**id))
            .map(|id| id.to_string())
            .collect();
        let mut by_id: HashMap<String, Report> = self
            .store
            .reports(&stored)?
            .into_iter()
            .map(|r| (r.id.clone(), r))
            .collect();
        Ok(ids
            .iter()
            .filter_map(|id| by_id.remove(*id).or_else(|| fresh.get(*id).cloned()))
            .collect())
    }

    /// `id`, or `id` with a number after it, whichever no story has had (`merged`: the ids this
    /// batch merges away): a story split off may start with the report another story once
    /// started with, under an id now redirected.
    fn unused(&self, id: String, merged: &[(String, String)]) -> store::Result<String> {
        let taken = |id: &str| -> store::Result<bool> {
            Ok(self.stories.contains_key(id)
                || merged.iter().any(|(gone, _)| gone == id)
                || self.store.redirect(id)?.is_some())
        };
        if !taken(&id)? {
            return Ok(id);
        }
        for n in 2.. {
            let numbered = format!("{id}-{n}");
            if !taken(&numbered)? {
                return Ok(numbered);
            }
        }
        unreachable!("some number is free")
    }

    /// Gives the engine its owner's stop flag: once it is set, [`Engine::step`] gives up its
    /// batch between reports (they stay queued), so that a stopping service does not wait for a
    /// long batch.
    pub fn stop_when(&mut self, flag: Arc<AtomicBool>) {
        self.stop = flag;
    }

    /// The arrival numbers of the batch under analysis: after a panic out of [`Engine::step`],
    /// the reports it was on (one, when it was isolating a failure; see [`Store::fail`]).
    pub fn in_flight(&self) -> &[i64] {
        &self.in_flight
    }

    /// The store rows left out on opening because they could not be read, for the owner to name.
    pub fn take_bad_rows(&mut self) -> Vec<BadRow> {
        std::mem::take(&mut self.bad_rows)
    }

    /// The embedding of each report read, in one encoder call for the batch; none without an
    /// encoder or if it fails (a bug, not bad input), which leaves placement to words alone.
    fn embed(&self, read: &[Read]) -> Vec<Option<Vec<f32>>> {
        let leads: Vec<Option<String>> = read
            .iter()
            .map(|(_, r)| r.as_ref().ok().map(lead))
            .collect();
        let mut vectors = self
            .encoder
            .as_ref()
            .and_then(|encoder| {
                let texts: Vec<&str> = leads.iter().flatten().map(String::as_str).collect();
                encoder.embed(&texts).ok()
            })
            .map(Vec::into_iter);
        leads
            .iter()
            .map(|l| l.as_ref().and_then(|_| vectors.as_mut()?.next()))
            .collect()
    }

    /// Stories known to the engine: live ids only (merged ones are gone).
    pub fn story_ids(&self) -> BTreeSet<&str> {
        self.stories.keys().map(String::as_str).collect()
    }

    /// The store the engine writes, for reading back what it did.
    pub fn store(&self) -> &Store {
        &self.store
    }
}

/// Why a queued report is skipped without another analysis, if it is.
fn given_up(q: &Queued) -> Option<String> {
    if let Some(failure) = &q.failure {
        return Some(format!("analysis failed: {failure}"));
    }
    (q.attempts >= MAX_ATTEMPTS).then(|| {
        format!(
            "analysis began in {} runs of the service and never finished (it stopped during each)",
            q.attempts
        )
    })
}

/// Newest members of a live story embedded again on opening. Only the direction of the sum
/// counts, and the mean of a few dozen headlines of one event barely moves with more, while
/// embedding every member of a busy day (about 18 ms each on 2 cores) would hold the service's
/// start for many minutes.
const RESTORED_MEANINGS: usize = 32;

/// Words of a report's lead, the text its meaning is judged on.
const LEAD_WORDS: usize = 60;

/// What a report is about for the encoder: its title and lead (the first sentences, up to
/// [`LEAD_WORDS`] words), as a reader of a news list sees it. The body wanders off into
/// background that other stories share.
pub fn lead(report: &Report) -> String {
    let mut text = report.title.clone().unwrap_or_default();
    let mut words = crate::text::word_count(&text);
    for sentence in &report.sentences {
        if words >= LEAD_WORDS {
            break;
        }
        if !text.is_empty() {
            text.push(' ');
        }
        text.push_str(&sentence.text);
        words += crate::text::word_count(&sentence.text);
    }
    text
}

/// Who published a report, for the stream: the host of its URL (without `www.`), else the
/// outlet it names. The host comes first because it is spelt one way, where outlet names vary.
pub fn outlet(report: &Report) -> Option<String> {
    let host = ["https://", "http://"]
        .iter()
        .find_map(|scheme| {
            let head = report.source.get(..scheme.len())?;
            head.eq_ignore_ascii_case(scheme)
                .then(|| &report.source[scheme.len()..])
        })
        .and_then(|rest| rest.split(['/', '?', '#']).next())
        .map(|authority| {
            let host = authority.rsplit('@').next().unwrap_or(authority);
            let host = host.split(':').next().unwrap_or(host).to_ascii_lowercase();
            host.strip_prefix("www.")
                .map(str::to_string)
                .unwrap_or(host)
        })
        .filter(|h| !h.is_empty());
    host.or_else(|| report.outlet.clone().filter(|o| !o.trim().is_empty()))
}

/// When a report happened for the stream's clock, in seconds: its publication time, else when
/// it was accepted.
pub fn time_of(report: &Report, received_ms: i64) -> i64 {
    pipeline::published_instant(report)
        .map(|t| t.timestamp())
        .unwrap_or(received_ms / 1000)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::embed::{default_models_dir, ENCODER_DIR};
    use crate::ingest::{Content, RawDoc};
    use crate::store::ReportState;

    fn doc(n: usize, text: &str) -> RawDoc {
        RawDoc {
            source: format!("wire:{n}"),
            id: format!("r{n}"),
            content: Content::Text(text.to_string()),
            title: None,
            url: None,
            published: Some(format!("2024-05-02T10:{n:02}:00Z")),
            outlet: None,
        }
    }

    #[test]
    fn the_outlet_is_the_host_of_the_url_else_the_named_outlet() {
        let mut report = Report {
            id: "r".into(),
            source: "HTTPS://www.Reuters.com:443/article/x?y=1".into(),
            title: None,
            published: None,
            outlet: Some("Reuters".into()),
            byline: None,
            language: None,
            text: String::new(),
            removed: vec![],
            sentences: vec![],
        };
        assert_eq!(outlet(&report).as_deref(), Some("reuters.com"));
        report.source = "feeds/wire-7.txt".into();
        assert_eq!(outlet(&report).as_deref(), Some("Reuters"));
        report.outlet = None;
        assert_eq!(outlet(&report), None);
    }

    #[test]
    fn after_an_unfinished_batch_reports_go_alone_and_one_that_failed_is_skipped() {
        let dir = tempfile::tempdir().unwrap();
        let mut store = Store::open(dir.path()).unwrap();
        let docs = (0..4)
            .map(|n| doc(n, &format!("Floods hit Valencia, report {n} says.")))
            .collect();
        store.accept(docs).unwrap();
        let seqs: Vec<i64> = store
            .queued(10)
            .unwrap()
            .into_iter()
            .map(|q| q.unwrap().seq)
            .collect();
        // A batch of three began and never finished; the worker then failed on the second alone.
        store.attempt(&seqs[..3]).unwrap();
        store.fail(seqs[1], "index out of bounds").unwrap();
        let mut engine = Engine::open(
            dir.path(),
            Options::default(),
            StreamOptions::default(),
            None,
        )
        .unwrap();
        let handled: Vec<(usize, usize)> = (0..4)
            .map(|_| engine.step(10).unwrap())
            .map(|p| (p.handled, p.skipped))
            .collect();
        assert_eq!(handled, [(1, 0), (1, 1), (1, 0), (1, 0)]);
        assert_eq!(engine.step(10).unwrap().handled, 0);
        let state = |id: &str| engine.store().report(id).unwrap().unwrap();
        assert_eq!(
            state("r1"),
            ReportState::Skipped {
                reason: "analysis failed: index out of bounds".to_string()
            }
        );
        for id in ["r0", "r2", "r3"] {
            assert!(matches!(state(id), ReportState::Analysed { .. }), "{id}");
        }
    }

    /// The first 600 headlines of the UCI dev stream, in time order, each with its time.
    fn headline_pile() -> Vec<RawDoc> {
        let path = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../../../shared/data/uci-headlines/dev.csv"
        );
        let text = std::fs::read_to_string(path).expect("the UCI headlines in ../shared/data");
        let rows = data::read_uci(&text).unwrap();
        rows[..600].iter().filter_map(|r| r.doc().ok()).collect()
    }

    /// The first `clusters` clusters of DUC 2004 dev (ten articles each), undated, their
    /// articles interleaved (the first of each cluster, then the second, ...) so that the
    /// stories grow side by side as in a service.
    fn article_pile(clusters: usize) -> Vec<RawDoc> {
        let path = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../../../shared/data/duc2004/dev.jsonl"
        );
        let text = std::fs::read_to_string(path).expect("DUC 2004 dev in ../shared/data");
        let clusters: Vec<serde_json::Value> = text
            .lines()
            .take(clusters)
            .map(|line| serde_json::from_str(line).unwrap())
            .collect();
        let mut docs = Vec::new();
        for n in 0..10 {
            for c in &clusters {
                let article = c["docs"][n].as_str().unwrap();
                let mut d = doc(docs.len(), article);
                d.id = format!("{}-{n}", c["cluster"].as_str().unwrap());
                d.published = None;
                docs.push(d);
            }
        }
        docs
    }

    #[test]
    fn a_growing_story_remembers_the_timeline_a_fresh_reading_finds() {
        use crate::analyse::timeline::{self, TagMemo};
        // One DUC event's articles, every other one dated, the story analysed again as each
        // report joins it: what the memo keeps must be what tagging again would find.
        let mut docs = article_pile(1);
        for (n, d) in docs.iter_mut().enumerate().filter(|(n, _)| n % 2 == 0) {
            d.published = Some(format!("1998-10-{:02}T09:00:00Z", 10 + n));
        }
        let (reports, _) = pipeline::read_reports(docs, Default::default(), &Silent);
        let memo = TagMemo::default();
        let mut events = 0;
        for n in 1..=reports.len() {
            let story: Vec<&Report> = reports[..n].iter().collect();
            let texts: Vec<usize> = (0..n).collect();
            let fresh = timeline::timeline(&story, &texts);
            assert_eq!(timeline::remembered(&story, &texts, &memo), fresh);
            events = fresh.len();
        }
        assert!(events > 10, "{events} events");
    }

    #[test]
    fn a_pile_built_as_a_stream_gives_the_stories_the_service_gives() {
        let learnt = StreamOptions {
            former: Some(former::Former::shipped()),
            ..StreamOptions::default()
        };
        let reviewed = StreamOptions {
            final_pass: true,
            ..learnt.clone()
        };
        for stream in [StreamOptions::default(), learnt, reviewed] {
            let (stories, _) = built_and_served(stream, headline_pile());
            assert!(stories >= 5, "{stories} stories");
        }
    }

    #[test]
    fn headlines_built_and_served_by_meaning_give_the_same_stories() {
        // With the encoder both place each headline by its lead's meaning too: a build with the
        // models loaded and the service then still form the same stories.
        let encoder = Arc::new(
            Encoder::load(&default_models_dir().join(ENCODER_DIR))
                .expect("the encoder is fetched by scripts/fetch-models.sh"),
        );
        let (by_meaning, _) =
            built_and_served_by(StreamOptions::learnt(), headline_pile(), Some(encoder));
        let (by_words, _) = built_and_served(StreamOptions::learnt(), headline_pile());
        assert!(by_meaning >= 5, "{by_meaning} stories");
        // Meaning keeps apart headlines that share their words: more stories than words alone.
        assert!(by_meaning > by_words, "{by_meaning} against {by_words}");
    }

    #[test]
    fn articles_built_and_served_after_each_batch_give_the_same_stories() {
        let stream = StreamOptions {
            former: Some(former::Former::shipped()),
            final_pass: true,
            ..StreamOptions::default()
        };
        // Four events: the final pass, run after every batch of ten in the service and once at
        // the end of the build, splits and merges the former's stories alike.
        let (stories, regrouped) = built_and_served(stream, article_pile(4));
        assert!((3..=6).contains(&stories), "{stories} stories");
        // The service did regroup on the way (merges and splits after batches), and every id
        // it showed is a story still or sends its readers to one.
        assert!(regrouped > 0);
    }

    #[test]
    fn a_late_report_reopens_a_closed_story_whose_words_were_dropped() {
        let stream = StreamOptions {
            former: Some(former::Former::shipped()),
            final_pass: true,
            window: Some(24 * 3600),
            ..StreamOptions::default()
        };
        // Two DUC events, the first told on 2 May and the second on 9 May, which closes the
        // first; then a report of the first, dated 2 May, arrives late.
        let docs = article_pile(2);
        let dated = |d: &RawDoc, day: u32| RawDoc {
            published: Some(format!("2024-05-{day:02}T10:00:00Z")),
            ..d.clone()
        };
        let first: Vec<RawDoc> = docs.iter().step_by(2).map(|d| dated(d, 2)).collect();
        let second: Vec<RawDoc> = docs
            .iter()
            .skip(1)
            .step_by(2)
            .map(|d| dated(d, 9))
            .collect();
        let dir = tempfile::tempdir().unwrap();
        let mut store = Store::open(dir.path()).unwrap();
        let mut engine = Engine::open(dir.path(), Options::default(), stream, None).unwrap();
        let mut run = |docs: &[RawDoc], engine: &mut Engine| {
            store.accept(docs.to_vec()).unwrap();
            while engine.step(10).unwrap().handled > 0 {}
        };
        run(&first[..9], &mut engine);
        let story_of = |engine: &Engine, id: &str| {
            let key = engine.report_ids.iter().find(|(_, r)| *r == id).unwrap().0;
            engine.shown[key].clone()
        };
        let before = story_of(&engine, &first[0].id);
        run(&second, &mut engine);
        // Only the open story's words are kept.
        assert_eq!(
            engine.counts.len(),
            engine
                .store()
                .story(&story_of(&engine, &second[0].id))
                .unwrap()
                .unwrap()
                .reports
                .len()
        );
        run(&first[9..], &mut engine);
        assert_eq!(story_of(&engine, &first[9].id), before);
        let reports = engine.store().story(&before).unwrap().unwrap().reports;
        assert!(reports.len() >= 8, "{reports:?}");
        assert!(reports.contains(&first[9].id));
    }

    /// Builds `docs` as a pile and feeds them to a service in batches of ten; checks both
    /// give the same stories, and that every id the service showed is a story or redirects to
    /// one. Returns how many stories, and the service's merges and splits.
    fn built_and_served(stream: StreamOptions, docs: Vec<RawDoc>) -> (usize, usize) {
        built_and_served_by(stream, docs, None)
    }

    /// [`built_and_served`], both weighing meaning by `encoder` when there is one.
    fn built_and_served_by(
        stream: StreamOptions,
        docs: Vec<RawDoc>,
        encoder: Option<Arc<Encoder>>,
    ) -> (usize, usize) {
        let options = Options {
            former: stream.clone(),
            encoder: encoder.clone(),
            ..Options::default()
        };
        let (reports, _) = pipeline::read_reports(docs.clone(), options.budget, &Silent);
        let (dossier, _) = pipeline::analyse(reports, &options, &Silent);
        let mut built: Vec<Vec<String>> = dossier.stories.into_iter().map(|s| s.reports).collect();
        let dir = tempfile::tempdir().unwrap();
        let mut store = Store::open(dir.path()).unwrap();
        let mut engine = Engine::open(dir.path(), Options::default(), stream, encoder).unwrap();
        let (mut shown, mut regrouped) = (BTreeSet::new(), 0);
        for batch in docs.chunks(10) {
            store.accept(batch.to_vec()).unwrap();
            loop {
                let progress = engine.step(10).unwrap();
                if progress.handled == 0 {
                    break;
                }
                regrouped += progress.merges + progress.splits;
                shown.extend(engine.story_ids().into_iter().map(String::from));
            }
        }
        for id in &shown {
            let live = match engine.store().redirect(id).unwrap() {
                Some(survivor) => survivor,
                None => id.clone(),
            };
            assert!(engine.store().story(&live).unwrap().is_some(), "{id}");
        }
        let mut served: Vec<Vec<String>> = engine
            .story_ids()
            .into_iter()
            .map(|id| engine.store().story(id).unwrap().unwrap().reports)
            .collect();
        for groups in [&mut built, &mut served] {
            groups.iter_mut().for_each(|g| g.sort());
            groups.sort();
        }
        assert_eq!(built, served);
        (built.len(), regrouped)
    }

    #[test]
    fn stories_keep_their_ids_and_their_meaning_across_a_restart() {
        let learnt = StreamOptions {
            linker: Some(link::Linker::shipped()),
            ..StreamOptions::default()
        };
        let former = StreamOptions {
            former: Some(former::Former::shipped()),
            ..StreamOptions::default()
        };
        let reviewed = StreamOptions {
            final_pass: true,
            ..former.clone()
        };
        for (n, stream) in [StreamOptions::default(), learnt, former, reviewed]
            .into_iter()
            .enumerate()
        {
            restart(n, stream);
        }
    }

    fn restart(n: usize, stream: StreamOptions) {
        let dir = std::env::temp_dir().join(format!("dossier-stream-{}-{n}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let encoder = Arc::new(
            Encoder::load(&default_models_dir().join(ENCODER_DIR))
                .expect("the encoder is fetched by scripts/fetch-models.sh"),
        );
        // Two events in one city, interleaved; on words alone "Paris" glues them.
        let flood = [
            "Seine bursts its banks, flooding Paris streets",
            "Paris flood: Louvre closes as river keeps rising",
            "Floodwater in Paris forces thousands from their homes",
        ];
        let fashion = [
            "Dior opens Paris fashion week with a garden show",
            "Models walk the runway at Chanel as Paris fashion week goes on",
            "Paris fashion week ends with Saint Laurent's night show",
        ];
        // After the restart, a third event there: on words alone it would join a story.
        let marathon = "Paris marathon draws 50,000 runners";
        let docs: Vec<RawDoc> = flood
            .iter()
            .zip(&fashion)
            .flat_map(|(a, b)| [*a, *b])
            .chain([marathon])
            .enumerate()
            .map(|(n, t)| doc(n, t))
            .collect();
        let open = || {
            Engine::open(
                &dir,
                Options::default(),
                stream.clone(),
                Some(encoder.clone()),
            )
            .unwrap()
        };
        let mut store = Store::open(&dir).unwrap();
        store.accept(docs[..4].to_vec()).unwrap();
        let mut engine = open();
        engine.step(10).unwrap();
        let before: BTreeSet<String> = engine.story_ids().into_iter().map(String::from).collect();
        assert_eq!(before.len(), 2);
        drop(engine);
        store.accept(docs[4..].to_vec()).unwrap();
        let mut engine = open();
        let progress = engine.step(10).unwrap();
        assert_eq!((progress.handled, progress.merges), (3, 0));
        let after: BTreeSet<String> = engine.story_ids().into_iter().map(String::from).collect();
        assert!(after.is_superset(&before), "{before:?} {after:?}");
        let mut groups: Vec<Vec<String>> = after
            .iter()
            .map(|id| {
                let mut reports = engine.store().story(id).unwrap().unwrap().reports;
                reports.sort();
                reports
            })
            .collect();
        groups.sort();
        assert_eq!(
            groups,
            [vec!["r0", "r2", "r4"], vec!["r1", "r3", "r5"], vec!["r6"]]
        );
        std::fs::remove_dir_all(&dir).ok();
    }
}
