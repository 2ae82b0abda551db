//! `dossier`: a thin command line over the dossier library.

use anyhow::{Context, Result};
use clap::{Args, Parser, Subcommand, ValueEnum};
use dossier::ingest::{IngestOptions, Input, Skipped};
use dossier::model::Items;
use dossier::pipeline::{self, Options, Progress};
use dossier::render;
use dossier::stream::cluster::StreamOptions;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;

/// A line on stderr. A failed write (a full disk, a closed terminal) is ignored: a warning
/// that cannot be shown must not stop the run that has it to say, as `eprintln!` would.
macro_rules! say {
    ($($arg:tt)*) => {{
        let _ = writeln!(std::io::stderr().lock(), $($arg)*);
    }};
}

/// mimalloc instead of the system allocator: the pipeline makes many small strings, and a
/// `dossier summarize` of one DUC cluster ran 13% fewer instructions and took 60% fewer page
/// faults with it (the system allocator maps a fresh arena for the worker thread).
#[global_allocator]
static ALLOC: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[derive(Parser)]
#[command(
    name = "dossier",
    version,
    about = "Turn many news reports about the same events into one cited story per event",
    long_about = "Turn many news reports about the same events into one cited story per event.\n\n\
        dossier reads reports (plain text, HTML, JSON Lines, web archives), cleans away scraping debris, splits \
        sentences, groups the reports into stories, finds passages copied between them and writes \
        a short summary per story in which every sentence cites the report sentences it rests on.",
    after_help = "Examples:\n  \
        dossier build examples/ --out out/        write out/dossier.json and out/index.html\n  \
        dossier summarize reports/*.txt           print each story's cited summary\n  \
        dossier serve --data ./newsroom           a live story service on 127.0.0.1:8080\n  \
        cat feed.jsonl | dossier build - --out out/\n\n\
        Exit status: 0 when at least one report was read, 1 when none could be, 2 for usage errors."
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Build story dossiers: DIR/dossier.json (the JSON contract) and DIR/index.html.
    ///
    /// Reports are grouped into stories as `dossier serve` groups them: placed one by one in
    /// date order (the undated after them, in input order) by the learnt story former, then its
    /// final pass re-forms the stories of articles by average link. A pile and a service fed the
    /// same reports in that order give the same stories; with the models loaded, both weigh
    /// each report's meaning too.
    Build {
        #[command(flatten)]
        input: InputArgs,
        /// Output directory (created if missing).
        #[arg(long, short, value_name = "DIR")]
        out: PathBuf,
    },
    /// Print the cited summary of each story.
    #[command(alias = "summarise")]
    Summarize {
        #[command(flatten)]
        input: InputArgs,
        /// Output format. Citations are [report:sentence] sentence ids.
        #[arg(long, value_enum, default_value_t = SummaryFormat::Text)]
        format: SummaryFormat,
    },
    /// Export a built dossier: a story as Markdown, its claims as CSV, or the page as HTML.
    ///
    /// Reads the dossier.json that `dossier build` wrote and prints to standard output. The
    /// page's "Download" buttons give the same Markdown and CSV for one story.
    #[command(after_help = "Examples:\n  \
        dossier export --format md out/dossier.json --story story-3f2a > story.md\n  \
        dossier export --format csv out/dossier.json > claims.csv\n  \
        dossier export --format html out/dossier.json > index.html")]
    Export {
        /// md: each story's summary, key claims, timeline and numbered sources; csv: one row
        /// per claim (story, claim, status, independent_sources, text, for, against, why);
        /// html: the page `dossier build` writes.
        #[arg(long, value_enum)]
        format: ExportFormat,
        /// A dossier.json written by `dossier build`.
        #[arg(value_name = "DOSSIER_JSON")]
        dossier: PathBuf,
        /// Only the story with this id (as in dossier.json); every story when absent.
        #[arg(long, value_name = "ID")]
        story: Option<String>,
    },
    /// Tag the names in a CoNLL-2003 file with dossier's NER model.
    ///
    /// Reads the word (first) and gold tag (last) columns and prints `word gold predicted` per
    /// line, a blank line between sentences: the input of the conlleval scorer. Predicted tags
    /// are BIO over PER, ORG, LOC and MISC.
    #[command(after_help = "Example:\n  \
        dossier entities --conll ../shared/data/conll2003/eng.testa > tagged.txt")]
    Entities {
        /// A CoNLL-2003 file.
        #[arg(long, value_name = "FILE")]
        conll: PathBuf,
        #[command(flatten)]
        models: ModelArgs,
    },
    /// Find time expressions (TimeML TIMEX3) in JSON Lines documents and resolve their values.
    #[command(long_about = TIMES_HELP)]
    Times {
        /// A JSON Lines file, or `-` for standard input.
        #[arg(value_name = "FILE")]
        file: String,
    },
    /// Say whether each article body agrees with, disagrees with, discusses or is unrelated to
    /// a headline (the FNC-1 stance task).
    #[command(long_about = STANCE_HELP)]
    Stance {
        /// Article bodies, one JSON object a line: {"body_id": 712, "body": "..."}.
        #[arg(long, value_name = "BODIES.jsonl")]
        bodies: PathBuf,
        /// Headline/body pairs, one JSON object a line: {"id": 0, "headline": "...",
        /// "body_id": 712}. Other fields (such as a gold "stance") are ignored.
        #[arg(long, value_name = "PAIRS.jsonl")]
        pairs: PathBuf,
        #[command(flatten)]
        models: ModelArgs,
    },
    /// Find who says what in each document: quotations and reported speech.
    ///
    /// Reads JSON Lines `{"doc_id", "text", "title"?, "published"?}` and writes one line per
    /// document: `{"doc_id", "attributions": [{"content": {"start", "end"}, "source": {"start",
    /// "end"} | null, "cue": {"start", "end"}?}]}`. Offsets count Unicode code points (characters,
    /// not bytes) of `text`, end exclusive, as PolNeAR's do. `source` is the span naming the
    /// speaker as written ("he" when the text says he); a quotation that continues an earlier
    /// speaker has that speaker's span, and no cue. A bad line is reported with its file and line
    /// number and skipped; the exit status is then 1.
    #[command(after_help = "Example:\n  \
        dossier quotes articles.jsonl > attributions.jsonl")]
    Quotes {
        /// JSON Lines file (`-` for standard input).
        #[arg(value_name = "FILE")]
        file: PathBuf,
    },
    /// Run a live story service over HTTP, with its store in a data directory.
    #[command(long_about = SERVE_HELP)]
    Serve {
        #[command(flatten)]
        service: ServiceArgs,
        /// Address to answer HTTP on. Loopback by default: put a proxy in front to publish it.
        #[arg(long, value_name = "ADDR", default_value = "127.0.0.1:8080")]
        listen: std::net::SocketAddr,
    },
    /// Take report files from a folder (a crawler's drop folder) into a live store.
    #[command(long_about = WATCH_HELP)]
    Watch {
        /// The folder to watch (read recursively; hidden files are ignored).
        #[arg(value_name = "DIR")]
        dir: PathBuf,
        #[command(flatten)]
        service: ServiceArgs,
        /// Also answer HTTP on this address, as `dossier serve` does.
        #[arg(long, value_name = "ADDR")]
        listen: Option<std::net::SocketAddr>,
        /// Seconds between looks at the folder.
        #[arg(long, value_name = "SECONDS", default_value_t = 2.0)]
        poll: f64,
    },
}

const SERVE_HELP: &str = "Run a live story service over HTTP.\n\n\
    Reports posted to the service are stored durably (SQLite in --data, WAL mode; nothing else \
    to install) and answered 202 with their ids. One worker analyses them in batches: each \
    report joins the live story it is most like, or starts one; only the stories a batch \
    touches are re-analysed. A story keeps its id as it grows; when two stories turn out to \
    be one, the smaller one's id redirects to the survivor.\n\n\
    One service per --data: a second `serve` or `watch` on it exits 1 naming the holder's pid. \
    A report whose analysis fails or overruns is marked skipped with the reason (GET \
    /reports/ID says it); if the worker itself fails it is restarted. POST answers 503 with \
    Retry-After while --max-queue reports wait, and GET /health answers 503 with the reason \
    while the queue is at that limit or the worker is down.\n\n\
    Endpoints: POST /reports (one JSON report, a JSON array of them, or JSON Lines; fields as \
    for `build`), \
    POST /reports/html?url=URL (a raw page), GET /stories, GET /stories/ID (the dossier.json \
    contract for one story), GET /stories/ID.html, GET / (web page), GET /reports/ID, \
    GET /health, GET /openapi.json.\n\n\
    Examples:\n  \
    dossier serve --data ./newsroom\n  \
    curl -X POST --data-binary @feed.jsonl http://127.0.0.1:8080/reports\n  \
    curl -X POST --data-binary @page.html 'http://127.0.0.1:8080/reports/html?url=https://example.com/a'\n  \
    curl http://127.0.0.1:8080/stories";

const TIMES_HELP: &str = "Find time expressions (TimeML TIMEX3) in JSON Lines documents and \
    resolve their values.\n\n\
    Reads one {\"doc_id\", \"text\", \"published\"?} object per line and writes one \
    {\"doc_id\", \"timex\": [{\"start\", \"end\", \"type\", \"value\"}]} line per document. \
    start and end are character offsets (Unicode code points, as Python counts them; not bytes) \
    into text, end exclusive. type is DATE, TIME, DURATION or SET; value is the TimeML value \
    (1998-10-27, 1998-W44, 1998-Q3, P3D, PXY, PRESENT_REF, XXXX-WXX-5 ...), resolved against \
    published (ISO 8601, RFC 2822, \"October 27, 1998\", \"27 Oct 1998 14:05 GMT\"); without \
    it, what depends on the date keeps X's. A line that is not such an object is reported with \
    its file and line number and skipped; the others are still tagged.\n\n\
    Example:\n  \
    dossier times ../shared/data/tempeval3/dev.jsonl > timex.jsonl";

const STANCE_HELP: &str = "Say what each article body does with a headline's claim.\n\n\
    For every pair, prints one JSON line {\"id\": ..., \"stance\": ...} to standard output, in \
    the order of the pairs file. The stance is one of:\n  \
    agree       the body states the claim as true\n  \
    disagree    the body denies or debunks it\n  \
    discuss     the body reports the claim without taking a side (\"reportedly\", \"claims\")\n  \
    unrelated   the body is about something else\n\n\
    The files have the form of the FNC-1 data (train_bodies.jsonl, train_stances.jsonl). A \
    line that is not such an object stops the run with its file and line (exit status 1); a \
    pair whose body_id is not in the bodies file is reported on standard error and skipped. \
    The model (learnt from FNC-1 by `dossier-train stance`; figures in bench/stance) reads the \
    sentence encoder, so it needs scripts/fetch-models.sh to have run.\n\n\
    Example:\n  \
    dossier stance --bodies ../shared/data/fnc1/train_bodies.jsonl \\\n    \
    --pairs ../shared/data/fnc1/train_stances.jsonl > stances.jsonl";

const WATCH_HELP: &str = "Take report files from a folder into a live store.\n\n\
    Every poll, files that are new or changed, and have stayed the same size since the last \
    poll (so a file still being written waits), are read like `dossier build` inputs and \
    stored; the same engine as `dossier serve` analyses them. Files are left in place; \
    content already stored is not stored twice.\n\n\
    Examples:\n  \
    dossier watch ./crawl --data ./newsroom\n  \
    dossier watch ./crawl --data ./newsroom --listen 127.0.0.1:8080   (watch and serve)";

#[derive(Args)]
struct ServiceArgs {
    /// Directory of the service's store (created if missing).
    #[arg(long, value_name = "DIR")]
    data: PathBuf,
    /// Largest report accepted, in bytes: a request body, or one file or JSON line.
    #[arg(long, value_name = "BYTES", default_value_t = dossier::ingest::DEFAULT_MAX_BYTES)]
    max_bytes: u64,
    /// Form stories by this learnt former, a JSON file that `dossier-train former` writes,
    /// instead of the one dossier ships (learnt joins and merges over centroid and member
    /// cosines, for articles and headlines alike).
    #[arg(long, value_name = "FILE", value_parser = former_file, conflicts_with = "gates")]
    former: Option<Arc<dossier::stream::former::Former>>,
    /// Form stories by fixed thresholds instead of the learnt former and its final pass: a
    /// report joins the story whose centroid it is most like (--join-threshold), two stories
    /// whose centroids meet merge (--merge-threshold). Giving either threshold, or
    /// --learnt-join, implies it. (bench/events, held-out halves, pairwise F1: the former and
    /// its final pass 0.88 / 0.91 on ECB+ / DUC articles by words, 0.86 on UCI headlines with
    /// the encoder; the thresholds 0.11 / 0.14 / 0.85.)
    #[arg(long)]
    gates: bool,
    /// With --gates: how alike a report must be to a story (cosine to the story's centroid,
    /// 0-1) to join it. [default: 0.05]
    #[arg(long, value_name = "SIMILARITY", value_parser = unit_interval, conflicts_with = "former")]
    join_threshold: Option<f32>,
    /// With --gates and the encoder, let a learnt decision over words, meaning, time, story
    /// size and outlet choose among the stories the thresholds admit, or start a new story.
    #[arg(long, conflicts_with = "former")]
    learnt_join: bool,
    /// With --gates: how alike two live stories must be (cosine of their centroids, 0-1) to be
    /// merged. [default: 0.2]
    #[arg(long, value_name = "SIMILARITY", value_parser = unit_interval, conflicts_with = "former")]
    merge_threshold: Option<f32>,
    /// Hours a story stays open to new reports after its newest one; 0 keeps stories open for
    /// ever.
    #[arg(long, value_name = "HOURS", default_value_t = 24.0)]
    window: f64,
    /// Word budget of each story's summary.
    #[arg(long, default_value_t = 100, value_parser = clap::value_parser!(u64).range(10..=5000))]
    words: u64,
    /// Queued reports at which new ones are refused (503 with Retry-After; /health answers 503
    /// too) until the worker catches up: past a few minutes of work a client is better told to
    /// come back than left waiting on a 202. [default: 100 with the models, 10000 without;
    /// measured on full news articles (polnear, about 700 words) on 2 busy cores: 0.16 reports/s
    /// with the models, 61 without]
    #[arg(long, value_name = "REPORTS", value_parser = clap::value_parser!(u64).range(1..))]
    max_queue: Option<u64>,
    #[command(flatten)]
    analysis: AnalysisArgs,
}

impl ServiceArgs {
    fn config(
        &self,
        listen: Option<std::net::SocketAddr>,
        watch: Option<PathBuf>,
        poll: f64,
    ) -> dossier_serve::Config {
        let models = self.analysis.load();
        dossier_serve::Config {
            data: self.data.clone(),
            listen,
            watch,
            poll: std::time::Duration::from_secs_f64(poll.max(0.05)),
            max_body: usize::try_from(self.max_bytes).unwrap_or(usize::MAX),
            batch: 64,
            max_queue: self.max_queue.unwrap_or(if models.encoder.is_some() {
                100
            } else {
                10_000
            }),
            options: Options {
                recognizer: models.recognizer,
                claims: models.claims,
                budget: self.analysis.budget(),
                ingest: IngestOptions {
                    max_bytes: self.max_bytes,
                },
                summary: dossier::summarise::SummaryOptions::words(self.words as usize),
                ..Options::default()
            },
            stream: self.stream(),
            encoder: models.encoder,
        }
    }

    /// The learnt former unless the thresholds are asked for, by name or by giving one.
    fn stream(&self) -> StreamOptions {
        let defaults = StreamOptions::default();
        let gates = self.gates
            || self.learnt_join
            || self.join_threshold.is_some()
            || self.merge_threshold.is_some();
        StreamOptions {
            assign: self.join_threshold.unwrap_or(defaults.assign),
            merge: self.merge_threshold.unwrap_or(defaults.merge),
            window: (self.window > 0.0).then_some((self.window * 3600.0) as i64),
            linker: self
                .learnt_join
                .then(dossier::stream::link::Linker::shipped),
            former: (!gates).then(|| {
                self.former
                    .clone()
                    .unwrap_or_else(dossier::stream::former::Former::shipped)
            }),
            final_pass: !gates,
            ..defaults
        }
    }
}

/// The models of the analysis stages, for the commands that run them.
#[derive(Args)]
struct AnalysisArgs {
    /// Skip the NER model: no entities, and quote speakers stay unnamed. With --no-claims too,
    /// analysis runs about a hundred times faster (the models encode every sentence), and the
    /// service, which has no encoder then, places reports in stories on their words alone.
    #[arg(long)]
    no_entities: bool,
    /// Skip the claims stage: no claims, nor their status across reports. It encodes every
    /// sentence and clause, so it costs about as much as the NER model.
    #[arg(long)]
    no_claims: bool,
    /// Seconds one report may take to read, and each report of a story to analyse, before it
    /// is left out with that reason (a pathological page, not a slow machine: reading takes
    /// milliseconds, analysis with the models about a second).
    #[arg(long, value_name = "SECONDS", default_value_t = 60.0, value_parser = positive_seconds)]
    report_timeout: f64,
    #[command(flatten)]
    models: ModelArgs,
}

impl AnalysisArgs {
    fn load(&self) -> pipeline::models::Loaded {
        models(!self.no_entities, !self.no_claims, &self.models)
    }

    fn budget(&self) -> pipeline::Budget {
        pipeline::Budget(std::time::Duration::from_secs_f64(self.report_timeout))
    }
}

fn summary_constant(arg: &str) -> Result<String, String> {
    dossier::summarise::Tuning::default().set(arg)?;
    Ok(arg.to_string())
}

fn summary_options(input: &InputArgs) -> dossier::summarise::SummaryOptions {
    let mut options = dossier::summarise::SummaryOptions::words(input.words as usize);
    for assignment in &input.summary_constant {
        // Checked when the arguments were parsed.
        let _ = options.tuning.set(assignment);
    }
    options
}

fn positive_seconds(arg: &str) -> Result<f64, String> {
    match arg.parse::<f64>() {
        Ok(v) if v > 0.0 && v <= 86_400.0 => Ok(v),
        _ => Err(format!(
            "{arg:?} is not a number of seconds from 0 to 86400"
        )),
    }
}

#[derive(Args)]
struct ModelArgs {
    /// Folder holding the sentence encoder that scripts/fetch-models.sh downloads
    /// [default: $DOSSIER_MODELS, else the models/ folder of the source tree]
    #[arg(long, value_name = "DIR")]
    models: Option<PathBuf>,
    /// Which engine runs the encoder, at which precision: onnx-f32 (ONNX Runtime, the weights
    /// as shipped), onnx-int8 (ONNX Runtime, int8 dense layers: faster, slightly less accurate),
    /// f32 or int8 (candle, in-process; slower): see bench/speed/README.md
    #[arg(long, default_value = "onnx-f32", value_parser = dossier::embed::Precision::NAMES)]
    precision: String,
}

impl ModelArgs {
    fn dir(&self) -> PathBuf {
        self.models
            .clone()
            .unwrap_or_else(dossier::embed::default_models_dir)
    }

    fn precision(&self) -> dossier::embed::Precision {
        self.precision
            .parse()
            .expect("clap allows Precision::NAMES only")
    }

    /// The sentence encoder from the models folder, at the precision asked for.
    fn encoder(&self) -> Result<dossier::embed::Encoder, dossier::embed::EmbedError> {
        let dir = self.dir().join(dossier::embed::ENCODER_DIR);
        dossier::embed::Encoder::load_with(&dir, self.precision())
    }
}

#[derive(Args)]
struct InputArgs {
    /// Report files or directories (read recursively). Formats by extension, checked against
    /// the content: .txt (one report), .html/.htm (a web page), .jsonl (one report per line with
    /// `text` or `html`, and optional `id`, `url`, `title`, `published`, `source`), .warc and
    /// .warc.gz (a web archive: one report per HTML response record). `-` reads JSON Lines
    /// from standard input.
    #[arg(required = true, value_name = "INPUT")]
    inputs: Vec<String>,
    /// Word budget of each story's summary.
    #[arg(long, default_value_t = 100, value_parser = clap::value_parser!(u64).range(10..=5000))]
    words: u64,
    /// Treat all reports as one story instead of grouping them.
    #[arg(long)]
    one_story: bool,
    /// Set one of the summariser's constants, NAME=VALUE (centrality, lead, length-power,
    /// share, overlap; repeatable). The defaults are the ones cross-validated on DUC 2004
    /// (bench/duc2004), which sets them to choose them on some clusters and score the rest.
    #[arg(long, value_name = "NAME=VALUE", value_parser = summary_constant)]
    summary_constant: Vec<String>,
    /// How alike two groups of articles must be (mean tf-idf cosine, 0-1) for the story
    /// former's final pass to make them one story. Lower merges more; raise it when unrelated
    /// events end up together.
    #[arg(long, value_name = "SIMILARITY", value_parser = unit_interval, default_value_t = dossier::analyse::cluster::ClusterOptions::default().threshold, conflicts_with_all = ["events", "events_model"])]
    story_threshold: f32,
    /// In the final pass, group articles by the shipped event model (words, names and years),
    /// which tells two events of one kind apart (two earthquakes), instead of by words alone.
    #[arg(long)]
    events: bool,
    /// Group stories by this event model, a JSON file that `dossier-train events` writes.
    #[arg(long, value_name = "FILE", value_parser = event_model, conflicts_with = "events")]
    events_model: Option<Arc<dossier::analyse::events::EventModel>>,
    /// Form stories by this learnt former (`dossier-train former` writes one) instead of the
    /// one dossier ships, as `dossier serve --former` does.
    #[arg(long, value_name = "FILE", value_parser = former_file, conflicts_with = "one_story")]
    former: Option<Arc<dossier::stream::former::Former>>,
    /// Leave the former's stories as placed: no final pass re-forming the stories of long texts
    /// by average link (bench/events).
    #[arg(long, conflicts_with = "one_story")]
    no_final_pass: bool,
    /// Skip any report larger than this many bytes: a whole .txt or .html file, one line of
    /// JSON Lines, or one page of a web archive.
    #[arg(long, value_name = "BYTES", default_value_t = dossier::ingest::DEFAULT_MAX_BYTES)]
    max_bytes: u64,
    /// No progress bar and no summary line; warnings still go to stderr.
    #[arg(long, short)]
    quiet: bool,
    /// After the run, print on stderr the seconds each stage took (reading, grouping, summary,
    /// encoder, NER head, entities and quotes, claims, timeline), summed over threads.
    #[arg(long)]
    timings: bool,
    #[command(flatten)]
    analysis: AnalysisArgs,
}

#[derive(Clone, Copy, ValueEnum)]
enum ExportFormat {
    Md,
    Csv,
    Html,
}

#[derive(Clone, Copy, ValueEnum)]
enum SummaryFormat {
    Text,
    Markdown,
    Json,
}

fn event_model(path: &str) -> Result<Arc<dossier::analyse::events::EventModel>, String> {
    let json = std::fs::read_to_string(path).map_err(|e| format!("cannot read {path}: {e}"))?;
    dossier::analyse::events::EventModel::from_json(&json)
        .map(Arc::new)
        .map_err(|e| format!("{path}: {e}"))
}

fn former_file(path: &str) -> Result<Arc<dossier::stream::former::Former>, String> {
    let json = std::fs::read_to_string(path).map_err(|e| format!("cannot read {path}: {e}"))?;
    dossier::stream::former::Former::from_json(&json)
        .map(Arc::new)
        .map_err(|e| format!("{path}: {e}"))
}

/// `dossier export`: the dossier read whole (it was written whole), then the chosen stories.
fn export(format: ExportFormat, path: &std::path::Path, story: Option<&str>) -> Result<ExitCode> {
    let file =
        std::fs::File::open(path).with_context(|| format!("cannot open {}", path.display()))?;
    let mut dossier: dossier::Dossier = serde_json::from_reader(std::io::BufReader::new(file))
        .with_context(|| {
            format!(
                "{} is not a dossier.json written by `dossier build`",
                path.display()
            )
        })?;
    if let Some(id) = story {
        dossier.stories.retain(|s| s.id == id);
        if dossier.stories.is_empty() {
            anyhow::bail!("{}: no story has the id {id:?}", path.display());
        }
    }
    let by_id: std::collections::HashMap<&str, &dossier::model::Report> =
        dossier.reports.iter().map(|r| (r.id.as_str(), r)).collect();
    let members: Vec<Vec<&dossier::model::Report>> = dossier
        .stories
        .iter()
        .map(|s| {
            s.reports
                .iter()
                .filter_map(|id| by_id.get(id.as_str()).copied())
                .collect()
        })
        .collect();
    let text = match format {
        ExportFormat::Md => dossier
            .stories
            .iter()
            .zip(&members)
            .map(|(s, m)| render::export::markdown(s, m))
            .collect::<Vec<_>>()
            .join("\n"),
        ExportFormat::Csv => render::export::claims_csv(
            dossier
                .stories
                .iter()
                .zip(members.iter().map(Vec::as_slice)),
        ),
        ExportFormat::Html => render::html::render(&dossier),
    };
    print(&text)?;
    Ok(ExitCode::SUCCESS)
}

fn unit_interval(arg: &str) -> Result<f32, String> {
    match arg.parse::<f32>() {
        Ok(v) if (0.0..=1.0).contains(&v) => Ok(v),
        _ => Err(format!("{arg:?} is not a number from 0 to 1")),
    }
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(cli) {
        Ok(code) => code,
        Err(e) => {
            say!("dossier: error: {e:#}");
            ExitCode::from(1)
        }
    }
}

fn run(cli: Cli) -> Result<ExitCode> {
    match cli.command {
        Command::Build { input, out } => build(&input, &out),
        Command::Summarize { input, format } => summarize(&input, format),
        Command::Export {
            format,
            dossier,
            story,
        } => export(format, &dossier, story.as_deref()),
        Command::Serve { service, listen } => serve(service.config(Some(listen), None, 2.0)),
        Command::Watch {
            dir,
            service,
            listen,
            poll,
        } => {
            if !dir.is_dir() {
                anyhow::bail!("{} is not a directory", dir.display());
            }
            serve(service.config(listen, Some(dir), poll))
        }
        Command::Entities { conll, models } => tag_conll(&conll, &models),
        Command::Quotes { file } => quotes(&file),
        Command::Times { file } => tag_times(&file),
        Command::Stance {
            bodies,
            pairs,
            models,
        } => stance(&bodies, &pairs, &models),
    }
}

/// `dossier build`: every story of the inputs, written as `dossier.json` and `index.html`.
fn build(input: &InputArgs, out: &std::path::Path) -> Result<ExitCode> {
    // The reports go to a temporary file as they are read: a crawl's would not fit in
    // memory, and each is needed only for its story and when it is written.
    let outcome = execute(input, true, pipeline::run_on_disk)
        .context("cannot keep the reports in a temporary file")?;
    warn_skipped(&outcome.skipped);
    warn_kept(&outcome.warnings);
    if outcome.reports.is_empty() {
        return Ok(nothing_read(&outcome.skipped));
    }
    std::fs::create_dir_all(out)
        .with_context(|| format!("cannot create output directory {}", out.display()))?;
    let json_path = out.join("dossier.json");
    let html_path = out.join("index.html");
    write_file(&json_path, |w| {
        render::json::write_parts(&outcome.reports, &outcome.stories, w)
            .map_err(std::io::Error::from)
    })?;
    write_file(&html_path, |w| {
        render::html::write_parts(&outcome.reports, &outcome.stories, w)
    })?;
    if !input.quiet {
        say!(
            "{}; wrote {} and {}",
            account(
                outcome.reports.len(),
                outcome.stories.len(),
                &outcome.skipped
            ),
            json_path.display(),
            html_path.display()
        );
    }
    Ok(ExitCode::SUCCESS)
}

/// `dossier summarize`: the summaries alone, printed.
fn summarize(input: &InputArgs, format: SummaryFormat) -> Result<ExitCode> {
    // A summary reads no names and weighs no claims: the models would only cost time.
    let outcome = execute(input, false, pipeline::run);
    warn_skipped(&outcome.skipped);
    warn_kept(&outcome.warnings);
    if outcome.dossier.reports.is_empty() {
        return Ok(nothing_read(&outcome.skipped));
    }
    let format = match format {
        SummaryFormat::Text => render::summary::Format::Text,
        SummaryFormat::Markdown => render::summary::Format::Markdown,
        SummaryFormat::Json => render::summary::Format::Json,
    };
    let text = render::summary::render(&outcome.dossier, format);
    print(&text)?;
    if !input.quiet {
        let d = &outcome.dossier;
        say!(
            "{}",
            account(d.reports.len(), d.stories.len(), &outcome.skipped)
        );
    }
    Ok(ExitCode::SUCCESS)
}

/// `dossier quotes`: the attributions of each JSON line's `text`, one output line per input line.
fn quotes(path: &std::path::Path) -> Result<ExitCode> {
    use dossier::analyse::attribution::{attributions, Cues};
    use std::io::BufRead;
    let reader: Box<dyn BufRead> = if path.as_os_str() == "-" {
        Box::new(std::io::stdin().lock())
    } else {
        let file =
            std::fs::File::open(path).with_context(|| format!("cannot read {}", path.display()))?;
        Box::new(std::io::BufReader::new(file))
    };
    let cues = Cues::shipped();
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    let mut failed = false;
    for (n, line) in reader.lines().enumerate() {
        let line =
            line.with_context(|| format!("{}: cannot read line {}", path.display(), n + 1))?;
        if line.trim().is_empty() {
            continue;
        }
        let doc = serde_json::from_str::<serde_json::Value>(&line)
            .map_err(|e| e.to_string())
            .and_then(|v| match (&v["doc_id"], v["text"].as_str()) {
                (serde_json::Value::String(_) | serde_json::Value::Number(_), Some(text)) => {
                    Ok((v["doc_id"].clone(), attributions(text, cues)))
                }
                _ => Err("needs a string or number `doc_id` and a string `text`".into()),
            });
        match doc {
            Ok((doc_id, found)) => {
                let line = serde_json::json!({ "doc_id": doc_id, "attributions": found });
                if let Err(e) = writeln!(out, "{line}") {
                    if e.kind() == std::io::ErrorKind::BrokenPipe {
                        return Ok(ExitCode::SUCCESS);
                    }
                    return Err(e).context("cannot write to standard output");
                }
            }
            Err(e) => {
                say!("dossier: {}: line {}: {e}", path.display(), n + 1);
                failed = true;
            }
        }
    }
    out.flush().context("cannot write to standard output")?;
    Ok(if failed {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

/// Writes a file through a buffer; a big pile's output is never held whole in memory.
fn write_file(
    path: &std::path::Path,
    write: impl FnOnce(&mut std::io::BufWriter<std::fs::File>) -> std::io::Result<()>,
) -> Result<()> {
    let mut file = std::fs::File::create(path)
        .map(std::io::BufWriter::new)
        .with_context(|| format!("cannot write {}", path.display()))?;
    write(&mut file)
        .and_then(|()| file.flush())
        .with_context(|| format!("cannot write {}", path.display()))
}

fn serve(config: dossier_serve::Config) -> Result<ExitCode> {
    let data = config.data.display().to_string();
    dossier_serve::run(config)
        .map_err(|e| anyhow::anyhow!("{e}"))
        .with_context(|| format!("service over {data}"))?;
    Ok(ExitCode::SUCCESS)
}

fn tag_conll(file: &std::path::Path, models: &ModelArgs) -> Result<ExitCode> {
    let text =
        std::fs::read_to_string(file).with_context(|| format!("cannot read {}", file.display()))?;
    let sentences = dossier::ner::conll::parse(&text)
        .map_err(|e| anyhow::anyhow!("{} is not a CoNLL file: {e}", file.display()))?;
    let encoder = std::sync::Arc::new(models.encoder()?);
    let tagger =
        dossier::ner::Tagger::with_encoder(encoder, &models.dir(), pipeline::models::NER_HEAD)?;
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    let progress = Bar::new(false);
    progress.stage("tagging sentences", sentences.len());
    for chunk in sentences.chunks(256) {
        let words: Vec<Vec<&str>> = chunk
            .iter()
            .map(|s| s.words.iter().map(String::as_str).collect())
            .collect();
        for (sentence, tags) in chunk.iter().zip(tagger.tag_words(&words)?) {
            for ((word, gold), tag) in sentence.words.iter().zip(&sentence.gold).zip(tags) {
                writeln!(out, "{word} {gold} {tag}")?;
            }
            writeln!(out)?;
            progress.advance(1);
        }
    }
    progress.done();
    out.flush().context("cannot write to standard output")?;
    Ok(ExitCode::SUCCESS)
}

/// `dossier times`: each line tagged on its own; a bad line is named and skipped.
fn tag_times(file: &str) -> Result<ExitCode> {
    use std::io::BufRead;
    let (shown, reader): (&str, Box<dyn BufRead>) = if file == "-" {
        ("<stdin>", Box::new(std::io::stdin().lock()))
    } else {
        let opened = std::fs::File::open(file).with_context(|| format!("cannot read {file}"))?;
        (file, Box::new(std::io::BufReader::new(opened)))
    };
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    let (mut tagged, mut bad) = (0usize, 0usize);
    for (n, line) in reader.lines().enumerate() {
        let at = format!("{shown}:{}", n + 1);
        let line = match line {
            Ok(line) => line,
            Err(e) => {
                say!("dossier: error: {at}: cannot read: {e}");
                bad += 1;
                break;
            }
        };
        if line.trim().is_empty() {
            continue;
        }
        match dossier::times::jsonl::tag_line(&line) {
            Ok((json, warning)) => {
                if let Some(warning) = warning {
                    say!("dossier: warning: {at}: {warning}");
                }
                writeln!(out, "{json}").context("cannot write to standard output")?;
                tagged += 1;
            }
            Err(reason) => {
                say!("dossier: error: {at}: {reason}; line skipped");
                bad += 1;
            }
        }
    }
    out.flush().context("cannot write to standard output")?;
    if tagged == 0 && bad > 0 {
        return Ok(ExitCode::from(1));
    }
    Ok(ExitCode::SUCCESS)
}

/// `dossier stance`: each pair's stance as a JSON line, in the order of the pairs.
fn stance(
    bodies: &std::path::Path,
    pairs: &std::path::Path,
    models: &ModelArgs,
) -> Result<ExitCode> {
    use dossier::stance::{data, prepare_claims, prepare_reports, FeatureJudge, Judge};
    let read = |path: &std::path::Path| {
        std::fs::read_to_string(path).with_context(|| format!("cannot read {}", path.display()))
    };
    let body_rows = data::read_bodies(&read(bodies)?)
        .map_err(|e| anyhow::anyhow!("{}: {e}", bodies.display()))?;
    let pair_rows =
        data::read_pairs(&read(pairs)?).map_err(|e| anyhow::anyhow!("{}: {e}", pairs.display()))?;
    let mut by_id: std::collections::HashMap<u64, &str> = std::collections::HashMap::new();
    for b in &body_rows {
        if by_id.insert(b.body_id, &b.body).is_some() {
            say!(
                "dossier: warning: {}: body_id {} given twice; the last one is used",
                bodies.display(),
                b.body_id
            );
        }
    }
    let (known, missing): (Vec<&data::PairRow>, Vec<&data::PairRow>) = pair_rows
        .iter()
        .partition(|p| by_id.contains_key(&p.body_id));
    for p in &missing {
        say!(
            "dossier: {}: line {}: pair {}: no body_id {} in {}; skipped",
            pairs.display(),
            p.line,
            p.id,
            p.body_id,
            bodies.display()
        );
    }
    let encoder = models.encoder()?;
    let mut used: Vec<u64> = known.iter().map(|p| p.body_id).collect();
    used.sort_unstable();
    used.dedup();
    let texts: Vec<&str> = used.iter().map(|id| by_id[id]).collect();
    let reports = prepare_reports(&encoder, &texts)?;
    let report_of: std::collections::HashMap<u64, usize> =
        used.iter().enumerate().map(|(i, id)| (*id, i)).collect();
    let headlines: Vec<&str> = known.iter().map(|p| p.headline.as_str()).collect();
    let claims = prepare_claims(&encoder, &headlines)?;
    let judge = FeatureJudge::shipped();
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    for (p, claim) in known.iter().zip(&claims) {
        let judgement = judge.judge(claim, &reports[report_of[&p.body_id]]);
        let line = serde_json::json!({"id": p.id, "stance": judgement.stance.as_str()});
        writeln!(out, "{line}")?;
    }
    out.flush().context("cannot write to standard output")?;
    Ok(ExitCode::SUCCESS)
}

/// The models a run wants, loaded once (see [`pipeline::models::load`]); what cannot be
/// loaded is left out with a warning and the run goes on.
fn models(entities: bool, claims: bool, args: &ModelArgs) -> pipeline::models::Loaded {
    let loaded = pipeline::models::load(&args.dir(), args.precision(), entities, claims);
    for warning in &loaded.warnings {
        say!("dossier: warning: {warning}");
    }
    loaded
}

/// The event model asked for, else words alone at the threshold given.
fn cluster_options(input: &InputArgs) -> dossier::analyse::cluster::ClusterOptions {
    let shipped = input
        .events
        .then(dossier::analyse::events::EventModel::shipped);
    dossier::analyse::cluster::ClusterOptions {
        threshold: input.story_threshold,
        events: input.events_model.clone().or(shipped),
        ..Default::default()
    }
}

/// Runs the pipeline (`run`) over the inputs; `with_models` loads the models the flags ask for.
fn execute<T>(
    input: &InputArgs,
    with_models: bool,
    run: impl FnOnce(&[Input], &Options, &dyn Progress) -> T,
) -> T {
    let progress = Bar::new(input.quiet);
    let models = if with_models {
        if !(input.analysis.no_entities && input.analysis.no_claims) {
            progress.stage("loading models", 0);
        }
        input.analysis.load()
    } else {
        models(false, false, &input.analysis.models)
    };
    let options = Options {
        recognizer: models.recognizer,
        claims: models.claims,
        encoder: models.encoder,
        budget: input.analysis.budget(),
        ingest: IngestOptions {
            max_bytes: input.max_bytes,
        },
        one_story: input.one_story,
        former: StreamOptions {
            former: input.former.clone().or(StreamOptions::learnt().former),
            final_pass: !input.no_final_pass,
            ..StreamOptions::learnt()
        },
        cluster: cluster_options(input),
        summary: summary_options(input),
        // Without the models only `summarize` runs, and it prints the summaries alone.
        summary_only: !with_models,
        ..Options::default()
    };
    let inputs: Vec<Input> = input.inputs.iter().map(|a| Input::parse(a)).collect();
    let outcome = run(&inputs, &options, &progress);
    progress.done();
    if input.timings {
        let stages: Vec<String> = dossier::timings::spent()
            .into_iter()
            .map(|(stage, seconds)| format!("{stage} {seconds:.2}"))
            .collect();
        say!(
            "dossier: seconds per stage, summed over threads: {}",
            stages.join(", ")
        );
    }
    outcome
}

/// Writes `text` to standard output. A closed pipe (`| head`) is the reader's choice, not an
/// error.
fn print(text: &str) -> Result<()> {
    let mut stdout = std::io::stdout().lock();
    match stdout
        .write_all(text.as_bytes())
        .and_then(|_| stdout.flush())
    {
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => {
            Err(e).context("cannot write to standard output")
        }
        _ => Ok(()),
    }
}

fn warn_skipped(skipped: &[Skipped]) {
    for skip in skipped {
        say!("dossier: warning: skipped {}: {}", skip.input, skip.reason);
    }
}

fn warn_kept(warnings: &[pipeline::Warning]) {
    for w in warnings {
        say!("dossier: warning: {}: {}", w.input, w.message);
    }
}

fn nothing_read(skipped: &[Skipped]) -> ExitCode {
    say!(
        "dossier: error: no report could be read ({} input{} skipped, reasons above)",
        skipped.len(),
        if skipped.len() == 1 { "" } else { "s" }
    );
    ExitCode::from(1)
}

/// The one-line account at the end of a run.
fn account(reports: usize, stories: usize, skipped: &[Skipped]) -> String {
    let plural = |n: usize, word: &str| format!("{n} {word}{}", if n == 1 { "" } else { "s" });
    let mut line = format!("dossier: read {}", plural(reports, "report"));
    if !skipped.is_empty() {
        let mut reasons: Vec<String> = skipped.iter().map(|s| short_reason(&s.reason)).collect();
        reasons.sort();
        reasons.dedup();
        line.push_str(&format!(
            ", skipped {} ({})",
            skipped.len(),
            reasons.join(", ")
        ));
    }
    line.push_str(&format!(
        ", {}",
        plural(stories, "story").replace("storys", "stories")
    ));
    line
}

/// The reason without its details, for grouping in the account line.
fn short_reason(reason: &str) -> String {
    reason
        .split([':', '('])
        .next()
        .unwrap_or(reason)
        .trim()
        .to_string()
}

/// Progress on stderr: a bar on a terminal; a plain line per stage otherwise (a log, CI, a
/// pipe), where a redrawn bar would be noise; nothing with --quiet.
enum Bar {
    Off,
    Terminal(ProgressBar),
    Lines(Lines),
}

/// The stage under way, for the plain lines.
#[derive(Default)]
struct Lines {
    stage: std::sync::Mutex<Option<(String, std::time::Instant)>>,
    done: std::sync::atomic::AtomicUsize,
    total: std::sync::atomic::AtomicUsize,
    /// The reports the stage's units stand for (0: not said).
    covers: std::sync::atomic::AtomicUsize,
}

impl Lines {
    /// The closing line of the stage under way, if any.
    fn close(&self) {
        use std::sync::atomic::Ordering::Relaxed;
        let mut stage = self.stage.lock().unwrap_or_else(|e| e.into_inner());
        if let Some((name, started)) = stage.take() {
            let seconds = started.elapsed().as_secs_f64();
            let done = self.done.load(Relaxed);
            let rate = match self.covers.load(Relaxed) {
                0 => String::new(),
                n => format!(" ({:.1} reports/s)", n as f64 / seconds.max(1e-3)),
            };
            match self.total.load(Relaxed) {
                0 => say!("dossier: {name}: done in {seconds:.1} s{rate}"),
                total => say!("dossier: {name}: {done} of {total} done in {seconds:.1} s{rate}"),
            }
        }
    }
}

impl Bar {
    fn new(quiet: bool) -> Bar {
        if quiet {
            return Bar::Off;
        }
        if !std::io::stderr().is_terminal() {
            return Bar::Lines(Lines::default());
        }
        let bar = ProgressBar::new(0).with_style(Bar::style(0, 0));
        // Redrawn while a stage without items runs (loading the models).
        bar.enable_steady_tick(std::time::Duration::from_millis(200));
        Bar::Terminal(bar)
    }

    /// A bar once the stage's size is known; until then a spinner and a count, since a bar
    /// of nothing would show as full.
    /// With `reports` (those read), the reports per second the stage's share done stands for.
    fn style(total: usize, reports: usize) -> ProgressStyle {
        let template = if total == 0 {
            "{msg:>18} {spinner} {human_pos} {rate}"
        } else {
            "{msg:>18} [{bar:30}] {percent:>3}% ({human_pos}/{human_len}) {rate}{reports} eta {eta}"
        };
        ProgressStyle::with_template(template)
            .expect("valid template")
            .with_key(
                "rate",
                |state: &indicatif::ProgressState, w: &mut dyn std::fmt::Write| {
                    // Done over elapsed, once there is a second to average: the library's own
                    // estimate jumps to tens of thousands per second on the first few items.
                    let seconds = state.elapsed().as_secs_f64();
                    if seconds >= 1.0 {
                        let _ = write!(w, "{:.0}/s", state.pos() as f64 / seconds);
                    }
                },
            )
            .with_key(
                "reports",
                move |state: &indicatif::ProgressState, w: &mut dyn std::fmt::Write| {
                    let seconds = state.elapsed().as_secs_f64();
                    let (done, len) = (state.pos() as f64, state.len().unwrap_or(0) as f64);
                    if reports > 0 && seconds >= 1.0 && len > 0.0 {
                        let _ = write!(
                            w,
                            ", {:.1} reports/s",
                            done / len * reports as f64 / seconds
                        );
                    }
                },
            )
            .progress_chars("=> ")
    }

    fn done(&self) {
        match self {
            Bar::Off => {}
            Bar::Terminal(bar) => bar.finish_and_clear(),
            Bar::Lines(lines) => lines.close(),
        }
    }
}

impl Progress for Bar {
    fn stage(&self, name: &str, total: usize) {
        match self {
            Bar::Off => {}
            Bar::Terminal(bar) => {
                // Hidden while it changes, so no frame shows the old stage with the new size.
                bar.set_draw_target(ProgressDrawTarget::hidden());
                bar.reset();
                bar.set_style(Bar::style(total, 0));
                bar.set_length(total as u64);
                bar.set_message(name.to_string());
                bar.set_draw_target(ProgressDrawTarget::stderr());
            }
            Bar::Lines(lines) => {
                use std::sync::atomic::Ordering::Relaxed;
                lines.close();
                say!("dossier: {name}");
                lines.done.store(0, Relaxed);
                lines.covers.store(0, Relaxed);
                lines.total.store(total, Relaxed);
                let mut stage = lines.stage.lock().unwrap_or_else(|e| e.into_inner());
                *stage = Some((name.to_string(), std::time::Instant::now()));
            }
        }
    }

    fn more(&self, n: usize) {
        match self {
            Bar::Off => {}
            Bar::Terminal(bar) => {
                if bar.length() == Some(0) {
                    bar.set_style(Bar::style(n, 0));
                }
                bar.inc_length(n as u64);
            }
            Bar::Lines(lines) => {
                lines
                    .total
                    .fetch_add(n, std::sync::atomic::Ordering::Relaxed);
            }
        }
    }

    fn advance(&self, n: usize) {
        match self {
            Bar::Off => {}
            Bar::Terminal(bar) => bar.inc(n as u64),
            Bar::Lines(lines) => {
                lines
                    .done
                    .fetch_add(n, std::sync::atomic::Ordering::Relaxed);
            }
        }
    }

    fn covers(&self, reports: usize) {
        match self {
            Bar::Off => {}
            Bar::Terminal(bar) => {
                let total = bar.length().unwrap_or(0) as usize;
                bar.set_style(Bar::style(total, reports));
            }
            Bar::Lines(lines) => {
                lines
                    .covers
                    .store(reports, std::sync::atomic::Ordering::Relaxed);
            }
        }
    }
}
