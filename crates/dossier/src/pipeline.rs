//! The pipeline: ingest -> extract -> clean -> segment -> analyse -> summarise, producing one
//! [`Dossier`]. Stages only meet here, through their typed outputs.

use crate::analyse::aliases::{self, AliasModel};
use crate::analyse::claims::{self, ClaimOptions};
use crate::analyse::cluster::{self, ClusterOptions};
use crate::analyse::events::{self, Signature};
use crate::analyse::reuse::{self, ReuseOptions};
use crate::analyse::{entities, quotes, timeline};
use crate::embed::{Cache, Encoder};
use crate::ingest::{self, IngestOptions, Input, RawDoc, Skipped};
use crate::model::{
    Dossier, Entity, Items, Report, Sentence, Story, SummarySentence, CONTRACT_VERSION,
};
use crate::ner::{Mention, Recognizer};
use crate::nli::{FeatureJudge, Judge};
use crate::stance;
use crate::stream::cluster::{Counts, StreamOptions, Vocabulary};
use crate::stream::{self, pass};
use crate::summarise::{self, SummaryOptions};
use crate::text::ReportWords;
use crate::timings::{timed, Stage};
use crate::{clean, extract, guard, segment};
use chrono::{DateTime, NaiveDate, NaiveDateTime, Utc};
use rayon::prelude::*;
use sha2::{Digest, Sha256};
use std::collections::{HashMap, HashSet};
use std::sync::{Arc, OnceLock};

pub mod models;
mod spill;
pub use spill::Spill;

#[derive(Debug, Clone)]
pub struct Options {
    /// How long one report may take to read, and each report of a story to analyse, before
    /// it is left out with that reason (see [`guard`]).
    pub budget: Budget,
    pub ingest: IngestOptions,
    pub cluster: ClusterOptions,
    pub reuse: ReuseOptions,
    pub summary: SummaryOptions,
    /// Treat every report as one story (the user already knows they cover one event).
    pub one_story: bool,
    /// How the story former places each report and whether its final pass follows
    /// ([`stream::cluster::replay`], [`stream::pass`]): the service's own, so that the same
    /// reports in the same order give the same stories in a pile and in the service.
    pub former: StreamOptions,
    /// The sentence encoder the story former weighs each report's meaning with (its lead's
    /// embedding, [`stream::lead`]), as the service does; without one, reports are placed on
    /// their words alone.
    pub encoder: Option<Arc<Encoder>>,
    /// Finds names for the entities and quote speakers; without one, stories have no entities
    /// and quotes have no speakers (the timeline needs no names).
    pub recognizer: Option<SharedRecognizer>,
    /// Finds and weighs the claims; without it, stories have no claims.
    pub claims: Option<ClaimModels>,
    pub claim: ClaimOptions,
    /// Stories carry their summary (and the reuse it cites) only: no timeline, entities,
    /// quotes or claims. For callers that print summaries alone (`dossier summarize`), which
    /// would otherwise spend most of their time on stages nobody reads.
    pub summary_only: bool,
    /// Each report's timeline events kept between analyses: for a caller that analyses the
    /// same reports again and again (the service, as its stories grow).
    pub timeline_memo: Option<Arc<timeline::TagMemo>>,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            budget: Budget::default(),
            ingest: IngestOptions::default(),
            cluster: ClusterOptions::default(),
            reuse: ReuseOptions::default(),
            summary: SummaryOptions::default(),
            one_story: false,
            former: StreamOptions::learnt(),
            encoder: None,
            recognizer: None,
            claims: None,
            claim: ClaimOptions::default(),
            summary_only: false,
            timeline_memo: None,
        }
    }
}

/// What the claims stage runs on: the sentence encoder (shared with the NER model when both are
/// loaded, so it is in memory once), the judge of agreement between two sentences and the
/// stance judge of what a report says of a claim.
#[derive(Clone)]
pub struct ClaimModels {
    pub encoder: Arc<Encoder>,
    pub judge: Arc<dyn Judge>,
    pub stance: Arc<dyn stance::Judge>,
}

impl ClaimModels {
    /// The encoder with the judge the library ships.
    pub fn shipped(encoder: Arc<Encoder>) -> ClaimModels {
        ClaimModels {
            encoder,
            judge: Arc::new(FeatureJudge::shipped()),
            stance: Arc::new(stance::FeatureJudge::shipped()),
        }
    }
}

impl std::fmt::Debug for ClaimModels {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("ClaimModels")
    }
}

/// The time one report may take in each guarded step.
#[derive(Debug, Clone, Copy)]
pub struct Budget(pub std::time::Duration);

impl Default for Budget {
    /// Reading a report takes milliseconds and analysing it with the models about a second
    /// on 2 cores: a minute is only ever spent on a pathological input.
    fn default() -> Self {
        Budget(std::time::Duration::from_secs(60))
    }
}

/// A recogniser shared by the worker threads that build stories.
#[derive(Clone)]
pub struct SharedRecognizer(pub Arc<dyn Recognizer + Send + Sync>);

impl std::fmt::Debug for SharedRecognizer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("SharedRecognizer")
    }
}

/// Progress of long runs. Implementations must be cheap: `advance` is called from worker
/// threads. Reading counts documents; analysing counts sentence passes (each distinct
/// sentence once per pass that reads it: summary, names, claims), so a pile of one big story
/// moves as steadily as a pile of many small ones.
pub trait Progress: Sync {
    /// A new stage with `total` units to do (0 while not yet known).
    fn stage(&self, name: &str, total: usize);
    /// The current stage has `n` more to do than it said (a stage whose total is learnt as
    /// input is read).
    fn more(&self, n: usize);
    /// `n` more units of the current stage are done.
    fn advance(&self, n: usize);
    /// The current stage's units stand for this many reports (analysing: its sentence passes
    /// are the reports'), so that a display can give reports per second as well.
    fn covers(&self, _reports: usize) {}
}

/// Reports nothing.
pub struct Silent;

impl Progress for Silent {
    fn stage(&self, _: &str, _: usize) {}
    fn more(&self, _: usize) {}
    fn advance(&self, _: usize) {}
}

/// What a run produced, and what it had to leave out.
#[derive(Debug)]
pub struct Outcome {
    pub dossier: Dossier,
    pub skipped: Vec<Skipped>,
    pub warnings: Vec<Warning>,
}

/// A report that was kept without something its input gave (a `published` that is no date).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Warning {
    /// The input as the user would recognise it (path, `path:line`, URL).
    pub input: String,
    pub message: String,
}

/// Documents read per parallel batch: enough to keep every core busy, few enough that the raw
/// pages in flight stay a bounded amount of memory whatever the size of the input.
const READ_BATCH: usize = 256;

/// Runs the whole pipeline over the inputs. Documents are read (extracted, cleaned, segmented)
/// in batches as ingest finds them, so a raw page is dropped once its report is made.
pub fn run(inputs: &[Input], options: &Options, progress: &dyn Progress) -> Outcome {
    let (reports, skipped, mut warnings) = read(inputs, options, progress);
    let (dossier, troubles) = analyse(reports, options, progress);
    warnings.extend(troubles);
    Outcome {
        dossier,
        skipped,
        warnings,
    }
}

/// Reads every input into reports (extracted, cleaned, split into sentences) without forming
/// stories, for callers that form them elsewhere (a Spark job reads each partition apart);
/// beside them, what was skipped and the warnings about reports kept.
pub fn read(
    inputs: &[Input],
    options: &Options,
    progress: &dyn Progress,
) -> (Vec<Report>, Vec<Skipped>, Vec<Warning>) {
    let mut reports = Vec::new();
    let (skipped, warnings) =
        read_each(inputs, options, progress, &mut |read| reports.extend(read));
    (reports, skipped, warnings)
}

/// What [`run_on_disk`] produced: the [`Dossier`]'s parts, in temporary files.
pub struct OnDisk {
    pub reports: Spill<Report>,
    pub stories: Spill<Story>,
    pub skipped: Vec<Skipped>,
    pub warnings: Vec<Warning>,
}

/// [`run`] for piles too big to hold: each report goes to a temporary file as it is read, and
/// memory keeps only the words of each distinct text (for the clustering) and the reports of
/// the stories being built; each story goes to a second file once built. The stories are those
/// [`run`] makes of the same inputs.
pub fn run_on_disk(
    inputs: &[Input],
    options: &Options,
    progress: &dyn Progress,
) -> std::io::Result<OnDisk> {
    let mut spill = Spill::new()?;
    let mut texts = DistinctTexts::new(options);
    let mut failed = None;
    let mut sentences = Vec::new();
    let (skipped, mut warnings) = read_each(inputs, options, progress, &mut |read| {
        timed(Stage::Grouping, || texts.add(&read));
        sentences.extend(read.iter().map(|r| r.sentences.len()));
        for report in &read {
            if failed.is_none() {
                failed = spill.push(report).err();
            }
        }
    });
    if let Some(e) = failed {
        return Err(e);
    }
    spill.finish()?;
    let (groups, words, copy_of) = timed(Stage::Grouping, || texts.into_stories(options));
    let work = groups
        .iter()
        .map(|g| story_work(g, &copy_of, |i| sentences[i], options))
        .sum();
    progress.stage("analysing stories", work);
    progress.covers(sentences.len());
    // Each story goes to disk as soon as it is built, so that memory holds only the stories in
    // hand and their reports.
    let stories = std::sync::Mutex::new(Spill::new()?);
    let placed: Vec<std::io::Result<(usize, Option<Warning>)>> = map_all(groups, |group| {
        let reports = group
            .iter()
            .map(|&i| spill.get(i).map(std::borrow::Cow::into_owned))
            .collect::<std::io::Result<Vec<Report>>>()?;
        let copy_of: Vec<usize> = group.iter().map(|&i| copy_of[i]).collect();
        let texts = Texts {
            reports: &reports,
            copy_of: &copy_of,
            words: &words,
        };
        // The group lists its reports in input order, so positions in it order them as
        // positions in the whole pile do.
        let (story, trouble) =
            guarded_story(&texts, (0..reports.len()).collect(), options, progress);
        let mut stories = stories.lock().unwrap_or_else(|e| e.into_inner());
        Ok((stories.push(&story)?, trouble))
    });
    let mut order = Vec::with_capacity(placed.len());
    for result in placed {
        let (at, trouble) = result?;
        order.push(at);
        warnings.extend(trouble);
    }
    let mut stories = stories.into_inner().unwrap_or_else(|e| e.into_inner());
    stories.finish()?;
    stories.reorder(&order);
    Ok(OnDisk {
        reports: spill,
        stories,
        skipped,
        warnings,
    })
}

/// Reads the inputs batch by batch, handing each batch's reports to `keep`; returns what had
/// to be skipped, and the warnings about reports kept.
fn read_each(
    inputs: &[Input],
    options: &Options,
    progress: &dyn Progress,
    keep: &mut dyn FnMut(Vec<Report>),
) -> (Vec<Skipped>, Vec<Warning>) {
    progress.stage("reading reports", 0);
    let mut reader = Reader::new(options.budget);
    let mut batch = Vec::with_capacity(READ_BATCH);
    let mut skipped = ingest::ingest_each(inputs, &options.ingest, &mut |doc| {
        batch.push(doc);
        if batch.len() == READ_BATCH {
            keep(reader.read(std::mem::take(&mut batch), progress));
        }
    });
    keep(reader.read(batch, progress));
    skipped.extend(reader.skipped);
    (skipped, reader.warnings)
}

/// Extract, clean and segment each document, in parallel; ids are made unique in input order.
/// A document that panics a stage or runs past `budget` is skipped with that reason.
pub fn read_reports(
    docs: Vec<RawDoc>,
    budget: Budget,
    progress: &dyn Progress,
) -> (Vec<Report>, Vec<Skipped>) {
    progress.stage("reading reports", 0);
    let mut reader = Reader::new(budget);
    let reports = reader.read(docs, progress);
    (reports, reader.skipped)
}

/// What was skipped so far, the warnings about reports kept, and the ids reports took.
struct Reader {
    budget: Budget,
    skipped: Vec<Skipped>,
    warnings: Vec<Warning>,
    ids: HashSet<String>,
}

impl Reader {
    fn new(budget: Budget) -> Reader {
        Reader {
            budget,
            skipped: Vec::new(),
            warnings: Vec::new(),
            ids: HashSet::new(),
        }
    }

    /// The reports of `docs`, in their order.
    fn read(&mut self, docs: Vec<RawDoc>, progress: &dyn Progress) -> Vec<Report> {
        progress.more(docs.len());
        let results: Vec<Result<Report, Skipped>> = map_all(docs, |doc| {
            let source = doc.source.clone();
            let result = guard::guarded(self.budget.0, || {
                timed(Stage::Reading, || extract::extract(doc).map(read_report))
            })
            .and_then(|read| read)
            .and_then(|r| {
                if r.sentences.is_empty() {
                    Err("nothing left after cleaning".to_string())
                } else {
                    Ok(r)
                }
            })
            .map_err(|reason| Skipped {
                input: source,
                reason,
            });
            progress.advance(1);
            result
        });
        let mut reports = Vec::new();
        for result in results {
            match result {
                Ok(mut report) => {
                    self.warn(&report);
                    let base = report.id.clone();
                    let mut n = 1;
                    while !self.ids.insert(report.id.clone()) {
                        n += 1;
                        report.id = format!("{base}~{n}");
                    }
                    for (i, s) in report.sentences.iter_mut().enumerate() {
                        s.id = format!("{}:{}", report.id, i + 1);
                    }
                    reports.push(report);
                }
                Err(s) => self.skipped.push(s),
            }
        }
        reports
    }
}

impl Reader {
    fn warn(&mut self, report: &Report) {
        for dropped in report
            .removed
            .iter()
            .filter(|r| r.rule == extract::UNREADABLE_DATE)
        {
            self.warnings.push(Warning {
                input: report.source.clone(),
                message: format!(
                    "`published` is not a date this tool reads ({:?}); the report is kept without a date",
                    dropped.text
                ),
            });
        }
    }
}

fn read_report(extracted: extract::Extracted) -> Report {
    let cleaned = clean::clean(&extracted.paragraphs, extracted.title.as_deref());
    let mut removed = extracted.removed;
    removed.extend(cleaned.removed);
    let sentences = segment::sentences(&cleaned.paragraphs)
        .into_iter()
        .map(|text| Sentence {
            id: String::new(),
            text,
        })
        .collect();
    Report {
        id: extracted.id,
        source: extracted.source,
        title: extracted
            .title
            .map(|t| clean::normalise(&t))
            .filter(|t| !t.is_empty()),
        published: extracted.published,
        outlet: extracted.outlet,
        byline: extracted.byline,
        language: extracted.language,
        text: cleaned.paragraphs.join("\n\n"),
        removed,
        sentences,
    }
}

/// The cross-report stages over already-read reports.
///
/// Reports with the same title and sentences (one page syndicated, or crawled under many
/// addresses) are tokenised once per stage and share their words; see [`cluster_copies`] for
/// how they are grouped.
///
/// A story whose analysis fails (a bug, or past its budget) keeps its summary, or at least
/// its reports; what was left out and why is returned beside the dossier.
pub fn analyse(
    reports: Vec<Report>,
    options: &Options,
    progress: &dyn Progress,
) -> (Dossier, Vec<Warning>) {
    let mut texts = DistinctTexts::new(options);
    timed(Stage::Grouping, || texts.add(&reports));
    let (groups, words, copy_of) = timed(Stage::Grouping, || texts.into_stories(options));
    let work = groups
        .iter()
        .map(|g| story_work(g, &copy_of, |i| reports[i].sentences.len(), options))
        .sum();
    progress.stage("analysing stories", work);
    progress.covers(reports.len());
    let texts = Texts {
        reports: &reports,
        copy_of: &copy_of,
        words: &words,
    };
    let built = map_all(groups, |group| {
        guarded_story(&texts, group, options, progress)
    });
    let (stories, troubles): (Vec<Story>, Vec<Option<Warning>>) = built.into_iter().unzip();
    let dossier = Dossier {
        version: CONTRACT_VERSION,
        reports,
        stories,
    };
    (dossier, troubles.into_iter().flatten().collect())
}

/// The stories [`analyse`] forms of `reports`, as groups of indices (each in input order,
/// biggest first), without analysing them: for a job that forms stories in one place and
/// analyses each elsewhere ([`story_of`] gives each the story [`analyse`] would).
pub fn groups(reports: &[Report], options: &Options) -> Vec<Vec<usize>> {
    let mut texts = DistinctTexts::new(options);
    texts.add(reports);
    story_groups(&texts, options)
}

/// The reports of each story (indices in input order), biggest story first; among equals, the
/// one whose first report came first.
fn story_groups(texts: &DistinctTexts, options: &Options) -> Vec<Vec<usize>> {
    let mut groups: Vec<Vec<usize>> = if options.one_story {
        if texts.copy_of.is_empty() {
            vec![]
        } else {
            vec![(0..texts.copy_of.len()).collect()]
        }
    } else {
        form_stories(texts, options)
    };
    groups.sort_by_key(|g| (std::cmp::Reverse(g.len()), g.iter().min().copied()));
    groups
}

/// Stories as the service forms them: the reports placed one by one by the story former
/// ([`stream::cluster::replay`]: date order, the undated after them in input order), then its
/// final pass ([`pass::final_pass`]) with the pile's event signatures and word weights where
/// there are any. Only the first [`cluster::ESTABLISHED`] copies of a text are placed, and the
/// rest follow the first into its story: beyond that, more copies do not change whether the
/// text is a fragment or how alike it is to others, and hundreds of copies would cost their
/// square.
fn form_stories(texts: &DistinctTexts, options: &Options) -> Vec<Vec<usize>> {
    let (terms, copy_of) = (&texts.terms, &texts.copy_of);
    let mut copies = vec![0usize; terms.len()];
    let mut placed: Vec<usize> = Vec::new();
    for (i, &d) in copy_of.iter().enumerate() {
        if copies[d] < cluster::ESTABLISHED {
            placed.push(i);
        }
        copies[d] += 1;
    }
    let counts: Vec<&[(u32, u32)]> = placed.iter().map(|&i| &*terms[copy_of[i]]).collect();
    let times: Vec<Option<i64>> = placed.iter().map(|&i| texts.times[i]).collect();
    let meanings: Vec<Option<&[f32]>> = placed
        .iter()
        .map(|&i| texts.meanings.as_slice().get(copy_of[i])?.as_deref())
        .collect();
    let mut groups = stream::cluster::replay(&counts, &times, &meanings, &options.former);
    if options.former.final_pass {
        let signed: Option<Vec<&Signature>> = texts
            .signatures
            .as_ref()
            .map(|s| placed.iter().map(|&i| &s[copy_of[i]]).collect());
        let weights = pile_weights(texts, options);
        let evidence = pass::Evidence {
            signatures: signed.as_deref(),
            weights: weights.as_ref(),
        };
        groups = pass::final_pass(groups, &counts, evidence, &options.cluster);
    }
    // A placed copy stays where the former put it, as in the service; the copies past the
    // first few follow their text's first copy.
    let mut story_of_report: Vec<Option<usize>> = vec![None; copy_of.len()];
    for (g, group) in groups.iter().enumerate() {
        for &p in group {
            story_of_report[placed[p]] = Some(g);
        }
    }
    let mut story_of_text: Vec<Option<usize>> = vec![None; terms.len()];
    for &i in &placed {
        story_of_text[copy_of[i]] = story_of_text[copy_of[i]].or(story_of_report[i]);
    }
    let mut stories: Vec<Vec<usize>> = vec![Vec::new(); groups.len()];
    for (i, &d) in copy_of.iter().enumerate() {
        if let Some(g) = story_of_report[i].or(story_of_text[d]) {
            stories[g].push(i);
        }
    }
    stories.retain(|s| !s.is_empty());
    stories
}

/// The whole pile's word weights by this vocabulary's term numbers, when the reports are a
/// block of a bigger pile.
fn pile_weights(texts: &DistinctTexts, options: &Options) -> Option<cluster::Weights> {
    let pile = options.cluster.pile.as_deref()?;
    let mut df = Vec::new();
    for (stem, id) in texts.vocabulary.stems() {
        let id = id as usize;
        if df.len() <= id {
            df.resize(id + 1, 0);
        }
        df[id] = pile.df.get(stem).copied().unwrap_or(0);
    }
    Some(cluster::Weights {
        texts: pile.texts as f32,
        df,
    })
}

/// The distinct texts of reports added batch by batch, each known by a digest rather than by
/// the text, so that the reports need not stay in memory to be compared. Each text keeps its
/// terms for the clustering, and its words for the stories while [`KEPT_WORDS`] allow: past
/// that, a text's words (a hundred bytes each) are made again when its story is built, so that
/// a big pile's memory does not hold them all.
#[derive(Default)]
struct DistinctTexts {
    first: HashMap<[u8; 32], usize>,
    vocabulary: Vocabulary,
    terms: Vec<Counts>,
    /// By text: who and when, when an event model groups the stories.
    signatures: Option<Vec<Signature>>,
    /// The encoder of `meanings`, when the former weighs meaning.
    encoder: Option<Arc<Encoder>>,
    /// By text, with an encoder: its lead's embedding (none where the encoder failed).
    meanings: Vec<Option<Vec<f32>>>,
    /// By text, for the first texts: as many as [`KEPT_WORDS`] allow.
    words: Vec<Option<ReportWords>>,
    kept: usize,
    copy_of: Vec<usize>,
    /// By report: when it was published, in seconds, if it says.
    times: Vec<Option<i64>>,
}

/// Words kept from reading to story building, in all (about 100 MB): the 250 documents of
/// DUC 2004 hold 150,000, and tokenising them twice cost a fifth of a model-free build.
const KEPT_WORDS: usize = 1_000_000;

impl DistinctTexts {
    /// Reads each text's [`Signature`] where an event model will group them, and its lead's
    /// meaning where the options have an encoder.
    fn new(options: &Options) -> DistinctTexts {
        DistinctTexts {
            signatures: options.cluster.events.is_some().then(Vec::new),
            encoder: options.encoder.clone(),
            ..DistinctTexts::default()
        }
    }

    /// The reports of each story (see [`story_groups`]), with what the story stages read of
    /// the texts: their kept words and each report's text. The terms go once grouped.
    fn into_stories(
        self,
        options: &Options,
    ) -> (Vec<Vec<usize>>, Vec<Option<ReportWords>>, Vec<usize>) {
        let groups = story_groups(&self, options);
        (groups, self.words, self.copy_of)
    }

    fn add(&mut self, reports: &[Report]) {
        let keys = map_all(reports.iter().collect(), text_key);
        let published = reports
            .iter()
            .map(|r| published_instant(r).map(|t| t.timestamp()));
        self.times.extend(published);
        let mut new = Vec::new();
        for (i, key) in keys.into_iter().enumerate() {
            let next = self.terms.len() + new.len();
            let d = *self.first.entry(key).or_insert(next);
            if d == next {
                new.push(i);
            }
            self.copy_of.push(d);
        }
        self.mean(reports, &new);
        let signed = self.signatures.is_some();
        let read = map_all(new, |i| {
            let sentences = reports[i].sentences.iter().map(|s| s.text.as_str());
            (
                ReportWords::of(&reports[i]),
                signed.then(|| events::years(sentences)),
            )
        });
        for (words, years) in read {
            self.terms.push(self.vocabulary.terms(&words));
            if let (Some(signatures), Some(years)) = (&mut self.signatures, years) {
                signatures.push(Signature::of(&words, years, &mut self.vocabulary));
            }
            let count = words.title.len() + words.sentences.iter().map(Vec::len).sum::<usize>();
            let keep = self.kept + count <= KEPT_WORDS;
            self.kept += if keep { count } else { 0 };
            self.words.push(keep.then_some(words));
        }
    }

    /// The meanings of the new texts (`new`: their reports), [`LEADS_AT_ONCE`] to an encoder
    /// call. An encoder failure (a bug, not bad input) leaves them to their words, as in the
    /// service.
    fn mean(&mut self, reports: &[Report], new: &[usize]) {
        let Some(encoder) = &self.encoder else {
            return;
        };
        for chunk in new.chunks(LEADS_AT_ONCE) {
            let leads: Vec<String> = chunk.iter().map(|&i| stream::lead(&reports[i])).collect();
            let leads: Vec<&str> = leads.iter().map(String::as_str).collect();
            match encoder.embed(&leads) {
                Ok(vectors) => self.meanings.extend(vectors.into_iter().map(Some)),
                Err(_) => self.meanings.extend(chunk.iter().map(|_| None)),
            }
        }
    }
}

/// Leads embedded in one encoder call: the service's batch size, so that the encoder's working
/// memory stays what the service's is.
const LEADS_AT_ONCE: usize = 10;

/// What makes two reports copies of one text, as [`DistinctTexts`] compares them (title and
/// sentences), as a SHA-256 digest: no two texts met in practice share one.
pub fn text_key(report: &Report) -> [u8; 32] {
    let mut digest = Sha256::new();
    let mut part = |text: &str| {
        digest.update((text.len() as u64).to_le_bytes());
        digest.update(text.as_bytes());
    };
    match &report.title {
        Some(title) => {
            part("title");
            part(title);
        }
        None => part("untitled"),
    }
    for sentence in &report.sentences {
        part(&sentence.text);
    }
    digest.finalize().into()
}

/// `items` mapped through `f` in order, on rayon's threads where there is more than one core
/// and more than one item. Otherwise the threads only cost: starting them, handing the work
/// over and waiting for it (idle workers spin before they sleep) took about 5% of the CPU time
/// of a `dossier summarize` of one DUC cluster pinned to one core.
fn map_all<T: Send, R: Send>(items: Vec<T>, f: impl Fn(T) -> R + Sync + Send) -> Vec<R> {
    static CORES: OnceLock<usize> = OnceLock::new();
    let cores = *CORES.get_or_init(|| std::thread::available_parallelism().map_or(1, |n| n.get()));
    if cores > 1 && items.len() > 1 {
        items.into_par_iter().map(f).collect()
    } else {
        items.into_iter().map(f).collect()
    }
}

/// Reports, with for each the index of its text among the distinct texts: copies of one text
/// share their words.
struct Texts<'a> {
    reports: &'a [Report],
    copy_of: &'a [usize],
    /// The words of texts, by index, where they were kept (see [`DistinctTexts`]).
    words: &'a [Option<ReportWords>],
}

/// One story over reports already known to belong together, oldest first by the same rule as
/// [`analyse`]: the stream worker's way into the per-story stages, so that a story grown report
/// by report is analysed exactly like one built in a batch. The id is the batch rule's; a caller
/// that keeps ids of its own overwrites it.
///
/// Beside the story, why part of its analysis was left out, when it was (see [`analyse`]).
pub fn story_of(reports: &[Report], options: &Options) -> (Story, Option<String>) {
    let mut first = HashMap::new();
    let copy_of: Vec<usize> = reports
        .iter()
        .map(|r| {
            let next = first.len();
            *first.entry(text_key(r)).or_insert(next)
        })
        .collect();
    let texts = Texts {
        reports,
        copy_of: &copy_of,
        words: &[],
    };
    let (story, trouble) = guarded_story(&texts, (0..reports.len()).collect(), options, &Silent);
    (story, trouble.map(|t| t.message))
}

/// [`build_story`] under the guard, with the budget of its reports. When the full analysis
/// fails the story is built again with its summary only, and failing that as its bare list of
/// reports: a report is never lost because the analysis of its story failed.
fn guarded_story(
    texts: &Texts,
    group: Vec<usize>,
    options: &Options,
    progress: &dyn Progress,
) -> (Story, Option<Warning>) {
    let budget = options.budget.0.saturating_mul(group.len() as u32);
    let full = guard::guarded(budget, || {
        build_story(texts, group.clone(), options, progress)
    });
    let reason = match full {
        Ok(story) => return (story, None),
        Err(reason) => reason,
    };
    let summary_only = Options {
        summary_only: true,
        ..options.clone()
    };
    let (story, kept) = match guard::guarded(budget, || {
        build_story(texts, group.clone(), &summary_only, &Silent)
    }) {
        Ok(story) => (story, "its summary"),
        Err(_) => (bare_story(texts, group), "its list of reports"),
    };
    let trouble = Warning {
        input: format!("story {} ({} reports)", story.id, story.reports.len()),
        message: format!("kept {kept} only; the rest of its analysis stopped: {reason}"),
    };
    (story, Some(trouble))
}

/// A story of its reports alone, oldest first, named as [`build_story`] names it.
fn bare_story(texts: &Texts, mut group: Vec<usize>) -> Story {
    let all = texts.reports;
    group.sort_by_cached_key(|&i| {
        let when = published_instant(&all[i]);
        (when.is_none(), when, i)
    });
    let first = &all[group[0]];
    Story {
        id: story_id(&first.id),
        title: story_title(&[first], &[], &[]),
        reports: group.iter().map(|&i| all[i].id.clone()).collect(),
        summary: vec![],
        reuse: vec![],
        timeline: vec![],
        entities: vec![],
        quotes: vec![],
        claims: vec![],
    }
}

/// The units of [`Progress`] a story's analysis advances by: its distinct sentences once per
/// pass that reads them.
fn story_work(
    group: &[usize],
    copy_of: &[usize],
    sentences: impl Fn(usize) -> usize,
    options: &Options,
) -> usize {
    distinct_sentences(group, copy_of, sentences) * passes(options)
}

fn distinct_sentences(
    group: &[usize],
    copy_of: &[usize],
    sentences: impl Fn(usize) -> usize,
) -> usize {
    let mut seen = HashSet::new();
    group
        .iter()
        .filter(|&&i| seen.insert(copy_of[i]))
        .map(|&i| sentences(i))
        .sum()
}

/// The passes over a story's sentences: the summary, then names and claims when asked for.
fn passes(options: &Options) -> usize {
    if options.summary_only {
        return 1;
    }
    1 + usize::from(options.recognizer.is_some()) + usize::from(options.claims.is_some())
}

/// One story of `group` (reports of `texts`): what needs no model, then the model stages
/// unless only summaries are asked for.
fn build_story(
    texts: &Texts,
    mut group: Vec<usize>,
    options: &Options,
    progress: &dyn Progress,
) -> Story {
    let all = texts.reports;
    group.sort_by_cached_key(|&i| {
        let when = published_instant(&all[i]);
        (when.is_none(), when, i)
    });
    let members: Vec<&Report> = group.iter().map(|&i| &all[i]).collect();
    let story = summarised(texts, &group, &members, options);
    let sentences = distinct_sentences(&group, texts.copy_of, |i| all[i].sentences.len());
    progress.advance(sentences);
    if options.summary_only {
        return story;
    }
    let analysis = Analysis {
        texts,
        group: &group,
        members: &members,
        sentences,
    };
    analysed(story, &analysis, options, progress)
}

/// A story's members (`group` of `texts`, in date order) and how many distinct sentences they
/// hold, for the model stages.
struct Analysis<'a> {
    texts: &'a Texts<'a>,
    group: &'a [usize],
    members: &'a [&'a Report],
    sentences: usize,
}

/// The story with what needs no model: copied passages, the summary and a title from it.
fn summarised(texts: &Texts, group: &[usize], members: &[&Report], options: &Options) -> Story {
    let all = texts.reports;
    let kept = |i: usize| texts.words.get(texts.copy_of[i]).and_then(Option::as_ref);
    let mut made: HashMap<usize, ReportWords> = HashMap::new();
    for &i in group.iter().filter(|&&i| kept(i).is_none()) {
        made.entry(texts.copy_of[i])
            .or_insert_with(|| ReportWords::of(&all[i]));
    }
    let with_words: Vec<(&Report, &ReportWords)> = group
        .iter()
        .map(|&i| (&all[i], kept(i).unwrap_or_else(|| &made[&texts.copy_of[i]])))
        .collect();
    let (reuse, summary) = timed(Stage::Summary, || {
        let reuse = reuse::reuse(&with_words, &options.reuse);
        let summary = summarise::summarise(&with_words, &reuse, &options.summary);
        (reuse, summary)
    });
    Story {
        id: story_id(&members[0].id),
        title: story_title(members, &summary, &[]),
        reports: members.iter().map(|r| r.id.clone()).collect(),
        summary,
        reuse,
        timeline: vec![],
        entities: vec![],
        quotes: vec![],
        claims: vec![],
    }
}

/// The story with the model stages' findings: entities, quotes, claims, the timeline, and a
/// title that can name the story's main entity.
fn analysed(story: Story, a: &Analysis, options: &Options, progress: &dyn Progress) -> Story {
    let members = a.members;
    // The story's one pass of the encoder, shared by the NER head and the claims stage.
    let cache = options.claims.as_ref().map(|m| Cache::new(&m.encoder));
    let mentions = match &options.recognizer {
        Some(SharedRecognizer(recognizer)) => story_mentions(
            recognizer.as_ref(),
            cache.as_ref(),
            a.texts,
            a.group,
            progress,
        ),
        None => vec![],
    };
    let (entities, quotes) = timed(Stage::EntitiesQuotes, || {
        let entities = entities::entities(members, &mentions);
        let entities = aliases::merge(members, entities, AliasModel::shipped());
        let quotes = quotes::quotes(members, &mentions, &entities);
        (entities, quotes)
    });
    let claims = match &options.claims {
        Some(models) => timed(Stage::Claims, || {
            claims::claims(
                members,
                claims::Found {
                    reuse: &story.reuse,
                    quotes: &quotes,
                    entities: &entities,
                },
                claims::Judges {
                    encoder: cache.as_ref().expect("made with the claim models"),
                    agreement: models.judge.as_ref(),
                    stance: models.stance.as_ref(),
                },
                &options.claim,
            )
        }),
        None => vec![],
    };
    if options.claims.is_some() {
        progress.advance(a.sentences);
    }
    Story {
        title: story_title(members, &story.summary, &entities),
        timeline: timed(Stage::Timeline, || {
            let texts: Vec<usize> = a.group.iter().map(|&i| a.texts.copy_of[i]).collect();
            match &options.timeline_memo {
                Some(memo) => timeline::remembered(members, &texts, memo),
                None => timeline::timeline(members, &texts),
            }
        }),
        entities,
        quotes,
        claims,
        ..story
    }
}

/// The names in each report of a story, in `group`'s order. Copies of one text have the same
/// names, so each text is read once; all of them go to the recogniser in one call, so that the
/// encoder batches sentences of like length across the story's reports.
fn story_mentions(
    recognizer: &(dyn Recognizer + Send + Sync),
    cache: Option<&Cache>,
    texts: &Texts,
    group: &[usize],
    progress: &dyn Progress,
) -> Vec<Vec<Vec<Mention>>> {
    let mut first: HashMap<usize, usize> = HashMap::new();
    let mut distinct: Vec<usize> = Vec::new();
    for &i in group {
        first.entry(texts.copy_of[i]).or_insert_with(|| {
            distinct.push(i);
            distinct.len() - 1
        });
    }
    let sentences: Vec<&str> = distinct
        .iter()
        .flat_map(|&i| texts.reports[i].sentences.iter().map(|s| s.text.as_str()))
        .collect();
    let found = timed(Stage::NerHead, || match cache {
        Some(cache) => recognizer.recognise_cached(&sentences, cache),
        None => recognizer.recognise(&sentences),
    });
    progress.advance(sentences.len());
    let mut found = found.into_iter();
    let per_text: Vec<Vec<Vec<Mention>>> = distinct
        .iter()
        .map(|&i| {
            found
                .by_ref()
                .take(texts.reports[i].sentences.len())
                .collect()
        })
        .collect();
    group
        .iter()
        .map(|&i| per_text[first[&texts.copy_of[i]]].clone())
        .collect()
}

/// A story is named after its oldest report, so its id does not change as newer reports join.
fn story_id(first_report: &str) -> String {
    let digest = Sha256::digest(first_report.as_bytes());
    format!("story-{}", &hex::encode(digest)[..12])
}

/// Reports without a date sort after dated ones, in input order.
pub fn published_instant(report: &Report) -> Option<DateTime<Utc>> {
    // `published` was normalised by `times::normalise_published` on the way in.
    let raw = report.published.as_deref()?;
    DateTime::parse_from_rfc3339(raw)
        .map(|d| d.with_timezone(&Utc))
        .ok()
        .or_else(|| {
            NaiveDateTime::parse_from_str(raw, "%Y-%m-%dT%H:%M:%S")
                .ok()
                .map(|d| d.and_utc())
        })
        .or_else(|| {
            NaiveDate::parse_from_str(raw, "%Y-%m-%d")
                .ok()
                .and_then(|d| d.and_hms_opt(0, 0, 0))
                .map(|d| d.and_utc())
        })
}

/// The story's title from the oldest headline, the summary and the names, as far as they are
/// known: a story whose analysis stopped early is titled from its first report alone.
fn story_title(members: &[&Report], summary: &[SummarySentence], entities: &[Entity]) -> String {
    let headline = members.iter().find_map(|r| r.title.as_deref());
    let summary: Vec<&str> = summary.iter().map(|s| s.text.as_str()).collect();
    let first = members
        .iter()
        .find_map(|r| r.sentences.first())
        .map_or("", |s| s.text.as_str());
    summarise::title::title(headline, &summary, first, entities)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::test_report;

    #[test]
    fn summary_only_stories_keep_the_summary_and_skip_the_rest() {
        let reports = vec![
            test_report(
                "a",
                &[
                    "Floods forced thousands from their homes in the river valley on March 3, 2024.",
                    "\"We will rebuild every bridge,\" the governor said after visiting the valley.",
                ],
            ),
            test_report(
                "b",
                &[
                    "Thousands left their homes as floods covered the river valley on March 3, 2024.",
                    "\"We will rebuild every bridge,\" the governor told reporters in the valley.",
                ],
            ),
        ];
        let (full, _) = story_of(&reports, &Options::default());
        assert!(
            !full.quotes.is_empty() && !full.timeline.is_empty(),
            "{full:?}"
        );
        let options = Options {
            summary_only: true,
            ..Options::default()
        };
        let (only, _) = story_of(&reports, &options);
        assert_eq!(only.summary, full.summary);
        assert_eq!(only.reuse, full.reuse);
        assert_eq!(only.title, full.title);
        assert!(only.quotes.is_empty() && only.timeline.is_empty() && only.entities.is_empty());
    }

    /// Records the stages and how far each went.
    #[derive(Default)]
    struct Recorded(std::sync::Mutex<Vec<(String, usize, usize)>>);

    impl Progress for Recorded {
        fn stage(&self, name: &str, total: usize) {
            self.0.lock().unwrap().push((name.to_string(), total, 0));
        }
        fn more(&self, n: usize) {
            self.0.lock().unwrap().last_mut().unwrap().1 += n;
        }
        fn advance(&self, n: usize) {
            self.0.lock().unwrap().last_mut().unwrap().2 += n;
        }
    }

    #[test]
    fn analysing_advances_by_distinct_sentences_to_its_total() {
        let flood = [
            "Floods forced thousands from their homes in the river valley on March 3, 2024.",
            "\"We will rebuild every bridge,\" the governor said after visiting the valley.",
        ];
        let reports = vec![
            test_report("a", &flood),
            // An agency copy: its sentences are read once.
            test_report("b", &flood),
            test_report(
                "c",
                &["The chess final in Madrid ended in a draw after six hours of play."],
            ),
        ];
        let progress = Recorded::default();
        analyse(reports, &Options::default(), &progress);
        let stages = progress.0.into_inner().unwrap();
        assert_eq!(stages, [("analysing stories".to_string(), 3, 3)]);
    }
}
