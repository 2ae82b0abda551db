//! `dossier._native`: the library's pipeline for Python. Reports and stories cross the boundary
//! as JSON text in the `dossier.json` contract (the model's serde form), which the `dossier`
//! package around this module turns into dicts: one schema for the CLI, the service and Python,
//! and no second mapping of the model to keep in step.
//!
//! Every call releases the GIL while the pipeline runs, so Python threads (and Spark's Python
//! workers) go on meanwhile; the pipeline uses its own threads.

use dossier::analyse::cluster::{ClusterOptions, PileFrequencies};
use dossier::analyse::events::EventModel;
use dossier::embed::Precision;
use dossier::ingest::{Format, IngestOptions, Input, Kind, Skipped, DEFAULT_MAX_BYTES};
use dossier::model::{Dossier, Report, CONTRACT_VERSION};
use dossier::pipeline::{self, models::Loaded, Budget, Options, Silent, Warning};
use dossier::summarise::SummaryOptions;
use pyo3::create_exception;
use pyo3::exceptions::{PyException, PyValueError};
use pyo3::prelude::*;
use pyo3::types::{PyBytes, PyString, PyTuple};
use serde::Deserialize;
use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::{Arc, Mutex, OnceLock};

create_exception!(
    _native,
    DossierError,
    PyException,
    "Input dossier could not read or an analysis it could not run; the message names the input."
);

/// `(input, reason)` pairs, as the CLI prints them.
type Said = Vec<(String, String)>;

/// The options of `dossier build` a Python caller may set, by the CLI's names.
#[derive(Deserialize)]
#[serde(deny_unknown_fields, default)]
struct PyOptions {
    entities: bool,
    claims: bool,
    models: Option<PathBuf>,
    precision: String,
    words: usize,
    one_story: bool,
    story_threshold: Option<f32>,
    events: bool,
    report_timeout: f64,
    max_bytes: u64,
    pile: Option<Pile>,
}

/// The document frequencies of the whole pile, when the reports analysed are one block of it
/// (see [`dossier::analyse::cluster::PileFrequencies`]).
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Pile {
    texts: u32,
    df: HashMap<String, u32>,
}

impl Default for PyOptions {
    fn default() -> Self {
        PyOptions {
            entities: true,
            claims: true,
            models: None,
            precision: "onnx-f32".to_string(),
            words: SummaryOptions::default().words,
            one_story: false,
            story_threshold: None,
            events: false,
            report_timeout: 60.0,
            max_bytes: DEFAULT_MAX_BYTES,
            pile: None,
        }
    }
}

impl PyOptions {
    fn parse(json: &str) -> PyResult<PyOptions> {
        let options: PyOptions =
            serde_json::from_str(json).map_err(|e| PyValueError::new_err(format!("{e}")))?;
        options
            .precision
            .parse::<Precision>()
            .map_err(PyValueError::new_err)?;
        if !(options.report_timeout > 0.0 && options.report_timeout <= 86_400.0) {
            return Err(PyValueError::new_err(
                "report_timeout must be a number of seconds from 0 to 86400",
            ));
        }
        Ok(options)
    }

    /// The pipeline's options, with the models loaded (once per process and folder).
    fn pipeline(self) -> (Options, Vec<String>) {
        let dir = self
            .models
            .unwrap_or_else(dossier::embed::default_models_dir);
        let precision = self.precision.parse().expect("checked when parsed");
        let models = loaded(dir, precision, self.entities, self.claims);
        let mut cluster = ClusterOptions {
            events: self.events.then(EventModel::shipped),
            pile: self.pile.map(|pile| {
                Arc::new(PileFrequencies {
                    texts: pile.texts,
                    df: pile.df,
                })
            }),
            ..ClusterOptions::default()
        };
        if let Some(threshold) = self.story_threshold {
            cluster.threshold = threshold;
        }
        let options = Options {
            recognizer: models.recognizer.clone(),
            claims: models.claims.clone(),
            encoder: models.encoder.clone(),
            budget: Budget(std::time::Duration::from_secs_f64(self.report_timeout)),
            ingest: IngestOptions {
                max_bytes: self.max_bytes,
            },
            one_story: self.one_story,
            cluster,
            summary: SummaryOptions::words(self.words),
            ..Options::default()
        };
        (options, models.warnings.clone())
    }
}

/// The models of one folder and choice of stages, loaded on first use: a notebook or a Spark
/// worker calls `story` many times, and the encoder takes a second to load.
fn loaded(dir: PathBuf, precision: Precision, entities: bool, claims: bool) -> Arc<Loaded> {
    type Cache = Mutex<HashMap<(PathBuf, Precision, bool, bool), Arc<Loaded>>>;
    static CACHE: OnceLock<Cache> = OnceLock::new();
    let cache = CACHE.get_or_init(Default::default);
    let mut cache = cache.lock().unwrap_or_else(|e| e.into_inner());
    cache
        .entry((dir.clone(), precision, entities, claims))
        .or_insert_with(|| Arc::new(pipeline::models::load(&dir, precision, entities, claims)))
        .clone()
}

/// One input from Python: a path, or `(name, bytes, kind)`.
fn input(item: &Bound<'_, PyAny>) -> PyResult<Input> {
    if let Ok(path) = item.cast::<PyString>() {
        return Ok(Input::parse(&path.to_cow()?));
    }
    let tuple = item
        .cast::<PyTuple>()
        .map_err(|_| PyValueError::new_err("an input is a path or a (name, bytes, kind) tuple"))?;
    let (name, bytes, kind): (String, Bound<'_, PyBytes>, Option<String>) = tuple.extract()?;
    let kind = kind.as_deref().map(kind_named).transpose()?;
    Ok(Input::Bytes {
        name,
        bytes: bytes.as_bytes().to_vec(),
        kind,
    })
}

fn kind_named(kind: &str) -> PyResult<Kind> {
    Ok(match kind {
        "text" => Kind::Document(Format::Text),
        "html" => Kind::Document(Format::Html),
        "jsonl" => Kind::Document(Format::JsonLines),
        "warc" => Kind::Warc,
        other => {
            return Err(PyValueError::new_err(format!(
                "unknown kind {other:?}: expected text, html, jsonl or warc"
            )))
        }
    })
}

fn skipped(list: Vec<Skipped>) -> Said {
    list.into_iter().map(|s| (s.input, s.reason)).collect()
}

fn warned(list: Vec<Warning>) -> Said {
    list.into_iter().map(|w| (w.input, w.message)).collect()
}

fn reports_of(json: &str) -> PyResult<Vec<Report>> {
    serde_json::from_str(json)
        .map_err(|e| PyValueError::new_err(format!("not a list of dossier reports: {e}")))
}

/// Reads the inputs into reports (extracted, cleaned, split). Returns the reports as JSON,
/// what was skipped and the warnings about reports kept, each as `(input, reason)`.
#[pyfunction]
fn read(
    py: Python<'_>,
    items: Vec<Bound<'_, PyAny>>,
    options: &str,
) -> PyResult<(String, Said, Said)> {
    let inputs = items.iter().map(input).collect::<PyResult<Vec<_>>>()?;
    let options = PyOptions::parse(options)?;
    let pipeline_options = Options {
        budget: Budget(std::time::Duration::from_secs_f64(options.report_timeout)),
        ingest: IngestOptions {
            max_bytes: options.max_bytes,
        },
        ..Options::default()
    };
    let (reports, skip, warnings) =
        py.detach(|| pipeline::read(&inputs, &pipeline_options, &Silent));
    let json = serde_json::to_string(&reports).expect("reports always serialise");
    Ok((json, skipped(skip), warned(warnings)))
}

/// Forms the stories of already-read reports and analyses each, as `dossier build` does.
/// Returns the dossier as JSON, the warnings of the analysis and those of loading the models.
#[pyfunction]
fn analyse(py: Python<'_>, reports: &str, options: &str) -> PyResult<(String, Said, Vec<String>)> {
    let reports = reports_of(reports)?;
    let (options, models) = PyOptions::parse(options)?.pipeline();
    let (dossier, warnings) = py.detach(|| pipeline::analyse(reports, &options, &Silent));
    Ok((
        dossier::render::json::to_string(&dossier),
        warned(warnings),
        models,
    ))
}

/// One story of reports known to belong together. Returns the story as JSON, why part of its
/// analysis was left out (if it was), and the warnings of loading the models.
#[pyfunction]
fn story(
    py: Python<'_>,
    reports: &str,
    options: &str,
) -> PyResult<(String, Option<String>, Vec<String>)> {
    let reports = reports_of(reports)?;
    if reports.is_empty() {
        return Err(DossierError::new_err("a story needs at least one report"));
    }
    let (options, models) = PyOptions::parse(options)?.pipeline();
    let (story, trouble) = py.detach(|| pipeline::story_of(&reports, &options));
    let json = serde_json::to_string(&story).expect("a story always serialises");
    Ok((json, trouble, models))
}

/// The stories `analyse` would form of the reports, as lists of their indices (each in input
/// order, biggest first), without analysing them: the Spark job forms them per block and
/// analyses each story where its reports are.
#[pyfunction]
fn groups(py: Python<'_>, reports: &str, options: &str) -> PyResult<Vec<Vec<usize>>> {
    let reports = reports_of(reports)?;
    let (options, _) = PyOptions::parse(options)?.pipeline();
    Ok(py.detach(|| pipeline::groups(&reports, &options)))
}

/// Writes `dossier.json` and `index.html` of a dossier (JSON, as `analyse` returns it) into
/// the folder `out`, made if missing; returns the two paths.
#[pyfunction]
fn write(py: Python<'_>, dossier: &str, out: PathBuf) -> PyResult<(PathBuf, PathBuf)> {
    let dossier: Dossier = serde_json::from_str(dossier)
        .map_err(|e| PyValueError::new_err(format!("not a dossier: {e}")))?;
    py.detach(|| write_files(&dossier, &out))
        .map_err(DossierError::new_err)
}

fn write_files(dossier: &Dossier, out: &std::path::Path) -> Result<(PathBuf, PathBuf), String> {
    std::fs::create_dir_all(out)
        .map_err(|e| format!("cannot create output directory {}: {e}", out.display()))?;
    let json = out.join("dossier.json");
    let html = out.join("index.html");
    let cannot = |path: &std::path::Path, e: &dyn std::fmt::Display| {
        format!("cannot write {}: {e}", path.display())
    };
    std::fs::write(&json, dossier::render::json::to_string(dossier))
        .map_err(|e| cannot(&json, &e))?;
    std::fs::write(&html, dossier::render::html::render(dossier)).map_err(|e| cannot(&html, &e))?;
    Ok((json, html))
}

/// Of each report, what the story former knows it by: the digest that makes copies of one text
/// one text (hex), and its stems with their counts, exactly as the former counts them; for a
/// distributed job to weigh and pair reports the way one box does.
#[pyfunction]
fn terms(py: Python<'_>, reports: &str) -> PyResult<Vec<(String, StemCounts)>> {
    let reports = reports_of(reports)?;
    Ok(py.detach(|| {
        reports
            .iter()
            .map(|r| (hex(&pipeline::text_key(r)), stems(r)))
            .collect()
    }))
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// A report's stems with how often each occurs, sorted by stem.
type StemCounts = Vec<(String, u32)>;

fn stems(report: &Report) -> StemCounts {
    let words = dossier::text::ReportWords::of(report);
    let mut stems: Vec<&str> = dossier::stream::cluster::kept_stems(&words).collect();
    stems.sort_unstable();
    stems
        .chunk_by(|a, b| a == b)
        .map(|run| (run[0].to_string(), run.len() as u32))
        .collect()
}

#[pymodule]
fn _native(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(read, m)?)?;
    m.add_function(wrap_pyfunction!(analyse, m)?)?;
    m.add_function(wrap_pyfunction!(story, m)?)?;
    m.add_function(wrap_pyfunction!(groups, m)?)?;
    m.add_function(wrap_pyfunction!(write, m)?)?;
    m.add_function(wrap_pyfunction!(terms, m)?)?;
    m.add("DossierError", m.py().get_type::<DossierError>())?;
    m.add("CONTRACT_VERSION", CONTRACT_VERSION)?;
    Ok(())
}
