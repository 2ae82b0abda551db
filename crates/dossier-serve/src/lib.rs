//! `dossier serve` and `dossier watch`: the dossier engine as a live story service.
//!
//! The HTTP layer only parses requests and renders answers. Storage and analysis are the
//! library's [`dossier::store`] and [`dossier::stream`]: a request handler writes accepted
//! reports to the store and wakes the one worker thread, which owns the [`Engine`].
//!
//! Endpoints are described in `openapi.json` (served at `/openapi.json`).

mod http;
mod log;
mod watch;

use dossier::embed::Encoder;
use dossier::pipeline::Options;
use dossier::store::{self, Store};
use dossier::stream::cluster::StreamOptions;
use dossier::stream::Engine;
use log::log;
use serde::Serialize;
use std::net::SocketAddr;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Condvar, Mutex, MutexGuard};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

pub type Error = Box<dyn std::error::Error + Send + Sync>;

#[derive(Debug, Clone)]
pub struct Config {
    /// Directory of the store (created if missing).
    pub data: PathBuf,
    /// Where to answer HTTP; `None` runs without a listener (a folder watch only).
    pub listen: Option<SocketAddr>,
    /// A folder to take new report files from.
    pub watch: Option<PathBuf>,
    pub poll: Duration,
    /// Largest accepted request body, in bytes.
    pub max_body: usize,
    /// Most queued reports one analysis batch takes.
    pub batch: usize,
    /// Queued reports past which new ones are refused (503) until the worker catches up.
    pub max_queue: u64,
    pub options: Options,
    pub stream: StreamOptions,
    /// The sentence encoder, to place reports in stories by meaning as well as words.
    pub encoder: Option<Arc<Encoder>>,
}

/// How long a stopping service waits for the worker to give up its batch: the batch stays
/// queued, so waiting longer would only delay the stop.
const STOP_WAIT: Duration = Duration::from_secs(10);

/// Opens the engine over the store, names the rows it left out, and hands it the stop flag.
fn open_engine(config: &Config, shared: &Shared) -> store::Result<Engine> {
    let mut engine = Engine::open(
        &config.data,
        config.options.clone(),
        config.stream.clone(),
        config.encoder.clone(),
    )?;
    for bad in engine.take_bad_rows() {
        log!("warning: store {bad}; left out");
    }
    engine.stop_when(shared.stop.clone());
    Ok(engine)
}

/// The worker's state, for `/health`.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct WorkerState {
    /// `running`, `restarting` (after a failure, until the engine is open again) or `down`
    /// (the store cannot be opened; retried every second).
    pub state: &'static str,
    /// Why it is not running, or why it last failed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    pub restarts: u64,
    /// When the last failure was logged.
    #[serde(skip)]
    pub failed: Option<Instant>,
}

/// Refused at the door: the queue is at its limit.
pub(crate) struct Full {
    pub queued: u64,
    /// Seconds the worker should need to bring the queue under the limit.
    pub retry_after: u64,
}

/// State shared by the handlers, the watcher and the worker.
pub(crate) struct Shared {
    /// The one connection that accepts reports: one writer at a time keeps SQLite from
    /// answering "busy" under load.
    writer: Mutex<Store>,
    /// Idle reader connections; a request takes one or opens another.
    readers: Mutex<Vec<Store>>,
    data: PathBuf,
    wake: (Mutex<bool>, Condvar),
    stop: Arc<AtomicBool>,
    max_body: usize,
    max_queue: u64,
    worker: Mutex<WorkerState>,
    /// Reports the worker analyses per second (f64 bits; 0 until measured).
    rate: AtomicU64,
}

/// A lock whose holder panicked still guards sound data here (a store connection, a flag), and
/// a handler must not panic over it.
fn locked<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

impl Shared {
    /// Stores documents and wakes the worker, unless the queue is at its limit.
    pub(crate) fn accept(
        &self,
        docs: Vec<dossier::ingest::RawDoc>,
    ) -> store::Result<Result<Vec<store::Accepted>, Full>> {
        let mut writer = locked(&self.writer);
        let queued = writer.queue_len()?;
        if queued >= self.max_queue {
            return Ok(Err(Full {
                queued,
                retry_after: self.retry_after(queued),
            }));
        }
        let accepted = writer.accept(docs)?;
        drop(writer);
        if accepted.iter().any(|a| !a.duplicate) {
            self.wake_worker();
        }
        Ok(Ok(accepted))
    }

    /// Time to drain the queue to under its limit at the measured rate, within 1 s to 10 min.
    fn retry_after(&self, queued: u64) -> u64 {
        let rate = f64::from_bits(self.rate.load(Ordering::Relaxed));
        let excess = (queued + 1).saturating_sub(self.max_queue) as f64;
        if rate > 0.0 {
            (excess / rate).ceil().clamp(1.0, 600.0) as u64
        } else {
            10
        }
    }

    pub(crate) fn read<T>(&self, f: impl FnOnce(&Store) -> store::Result<T>) -> store::Result<T> {
        let pooled = locked(&self.readers).pop();
        let store = match pooled {
            Some(s) => s,
            None => Store::open(&self.data)?,
        };
        let result = f(&store);
        locked(&self.readers).push(store);
        result
    }

    pub(crate) fn worker(&self) -> WorkerState {
        locked(&self.worker).clone()
    }

    fn set_running(&self) {
        let mut w = locked(&self.worker);
        if w.state != "running" {
            log!("analysis worker running again");
            w.state = "running";
        }
    }

    /// The worker failed and is being restarted: counted, and logged unless it is the same
    /// failure again within a minute (a full disk would otherwise log it every second).
    fn restarting(&self, reason: String) {
        let mut w = locked(&self.worker);
        let repeated = w.reason.as_ref() == Some(&reason)
            && w.failed
                .is_some_and(|at| at.elapsed() < Duration::from_secs(60));
        if !repeated {
            log!("error: {reason}; restarting the analysis worker");
            w.failed = Some(Instant::now());
        }
        w.state = "restarting";
        w.reason = Some(reason);
        w.restarts += 1;
    }

    fn down(&self, reason: String) {
        let mut w = locked(&self.worker);
        if w.state != "down" {
            log!("error: {reason}; retrying every second");
        }
        w.state = "down";
        w.reason = Some(reason);
    }

    /// Folds one batch into the measured rate (a moving average over the last few batches).
    fn measured(&self, handled: usize, took: Duration) {
        let now = handled as f64 / took.as_secs_f64().max(1e-3);
        let before = f64::from_bits(self.rate.load(Ordering::Relaxed));
        let rate = if before > 0.0 {
            0.7 * before + 0.3 * now
        } else {
            now
        };
        self.rate.store(rate.to_bits(), Ordering::Relaxed);
    }

    fn wake_worker(&self) {
        let (lock, cvar) = &self.wake;
        *locked(lock) = true;
        cvar.notify_one();
    }
}

/// Runs the service until SIGINT or SIGTERM.
pub fn run(config: Config) -> Result<(), Error> {
    std::fs::create_dir_all(&config.data)?;
    // Held until the process ends, however it ends.
    let _lock = store::lock(&config.data)?;
    let shared = Arc::new(Shared {
        writer: Mutex::new(Store::open(&config.data)?),
        readers: Mutex::new(Vec::new()),
        data: config.data.clone(),
        wake: (Mutex::new(true), Condvar::new()),
        stop: Arc::new(AtomicBool::new(false)),
        max_body: config.max_body,
        max_queue: config.max_queue,
        worker: Mutex::new(WorkerState {
            state: "running",
            reason: None,
            restarts: 0,
            failed: None,
        }),
        rate: AtomicU64::new(0),
    });
    // Opened here so that a broken store stops the start, not a background thread.
    let engine = open_engine(&config, &shared)?;
    let worker = {
        let shared = shared.clone();
        let config = config.clone();
        std::thread::spawn(move || supervise(engine, &shared, &config))
    };
    let watcher = config.watch.clone().map(|dir| {
        let shared = shared.clone();
        let poll = config.poll;
        let max_bytes = config.options.ingest.max_bytes;
        std::thread::spawn(move || watch::watch(&dir, poll, max_bytes, &shared))
    });
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    let served = runtime.block_on(async {
        match config.listen {
            Some(addr) => http::serve(addr, shared.clone()).await,
            None => {
                shutdown_signal().await;
                Ok(())
            }
        }
    });
    // A store call still running (a commit waiting on a busy disk) holds no answer anyone
    // waits for now.
    runtime.shutdown_timeout(Duration::from_secs(1));
    shared.stop.store(true, Ordering::SeqCst);
    shared.wake_worker();
    let deadline = Instant::now() + STOP_WAIT;
    if !join_by(worker, deadline) {
        log!("analysis still running at the stop; its reports stay queued for the next start");
    }
    if let Some(w) = watcher {
        join_by(w, deadline);
    }
    served
}

/// Joins `thread` if it ends by `deadline`; says whether it did. One that does not is left to
/// end with the process: what it was doing is not committed, so nothing is lost.
fn join_by(thread: JoinHandle<()>, deadline: Instant) -> bool {
    while !thread.is_finished() {
        if Instant::now() >= deadline {
            return false;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    thread.join().ok();
    true
}

/// Keeps one worker thread alive: if it ends before the stop (a panic the worker's own catch
/// did not reach), a new one starts over a freshly opened engine.
fn supervise(first: Engine, shared: &Arc<Shared>, config: &Config) {
    let mut engine = Some(first);
    loop {
        let spawned = {
            let shared = shared.clone();
            let config = config.clone();
            let engine = engine.take();
            std::thread::Builder::new()
                .name("dossier-worker".to_string())
                .spawn(move || work(engine, &shared, &config))
        };
        let ended = match spawned {
            Ok(thread) => match thread.join() {
                Ok(()) => "it returned".to_string(),
                Err(panic) => dossier::guard::panic_text(panic.as_ref()).to_string(),
            },
            Err(e) => format!("it could not start: {e}"),
        };
        if shared.stop.load(Ordering::SeqCst) {
            return;
        }
        shared.restarting(format!("the analysis thread ended ({ended})"));
        std::thread::sleep(Duration::from_secs(1));
    }
}

/// The worker: drains the queue whenever woken, and at least every second (reports queued
/// before a restart, or by another process, are picked up without a request).
fn work(mut engine: Option<Engine>, shared: &Shared, config: &Config) {
    while !shared.stop.load(Ordering::SeqCst) {
        let Some(current) = ready(&mut engine, shared, config) else {
            continue;
        };
        let started = Instant::now();
        match catch_unwind(AssertUnwindSafe(|| current.step(config.batch))) {
            Ok(Ok(p)) if p.handled > 0 => {
                shared.measured(p.handled, started.elapsed());
                if p.skipped > 0 {
                    log!(
                        "analysed {} queued reports ({} could not be read)",
                        p.handled,
                        p.skipped
                    );
                }
                for (story, why) in &p.troubles {
                    log!("warning: story {story} analysed in part: {why}");
                }
                continue;
            }
            Ok(Ok(_)) => {}
            Err(panic) => {
                let reason = dossier::guard::panic_text(panic.as_ref()).to_string();
                let alone = match current.in_flight() {
                    [seq] => Some(*seq),
                    _ => None,
                };
                // Its memory may be half-way through the batch: rebuilt from the store.
                engine = None;
                if let Some(seq) = alone {
                    record_failure(config, seq, &reason);
                }
                shared.restarting(format!("analysis panicked: {reason}"));
                continue;
            }
            Ok(Err(e)) => {
                shared.restarting(format!("analysis batch failed: {e}"));
                engine = None;
                std::thread::sleep(Duration::from_secs(1));
                continue;
            }
        }
        let (lock, cvar) = &shared.wake;
        let mut woken = locked(lock);
        if !*woken {
            woken = cvar
                .wait_timeout(woken, Duration::from_secs(1))
                .unwrap_or_else(|p| p.into_inner())
                .0;
        }
        *woken = false;
    }
}

/// The engine, opened again if the last one was dropped; `None` (after a second's wait) while
/// the store cannot be opened.
fn ready<'a>(
    engine: &'a mut Option<Engine>,
    shared: &Shared,
    config: &Config,
) -> Option<&'a mut Engine> {
    if engine.is_none() {
        match open_engine(config, shared) {
            Ok(e) => {
                *engine = Some(e);
                shared.set_running();
            }
            Err(e) => {
                shared.down(format!("cannot open the store: {e}"));
                std::thread::sleep(Duration::from_secs(1));
                return None;
            }
        }
    }
    engine.as_mut()
}

/// Pins a failure on the one report that was being analysed alone, so that the next attempt
/// skips it with this reason instead of failing again.
fn record_failure(config: &Config, seq: i64, reason: &str) {
    if let Err(e) = Store::open(&config.data).and_then(|mut s| s.fail(seq, reason)) {
        log!("error: cannot record the failure of queued report {seq}: {e}");
    }
}

pub(crate) async fn shutdown_signal() {
    let interrupt = tokio::signal::ctrl_c();
    #[cfg(unix)]
    {
        let mut term = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())
            .expect("SIGTERM handler installs");
        tokio::select! {
            _ = interrupt => {}
            _ = term.recv() => {}
        }
    }
    #[cfg(not(unix))]
    interrupt.await.ok();
}
