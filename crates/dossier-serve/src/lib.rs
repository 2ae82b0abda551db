//! `dossier serve` and `dossier watch`: the dossier engine as a live story service.
//!
//! The HTTP layer only parses requests and renders answers. Storage and analysis are the
//! library's [`dossier::store`] and [`dossier::stream`]: a request handler writes accepted
//! reports to the store and wakes the one worker thread, which owns the [`Engine`].
//!
//! Endpoints are described in `openapi.json` (served at `/openapi.json`).

mod http;
mod watch;

use dossier::embed::Encoder;
use dossier::pipeline::Options;
use dossier::store::{self, Store};
use dossier::stream::cluster::StreamOptions;
use dossier::stream::Engine;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Condvar, Mutex};
use std::time::Duration;

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
    pub options: Options,
    pub stream: StreamOptions,
    /// The sentence encoder, to place reports in stories by meaning as well as words.
    pub encoder: Option<Arc<Encoder>>,
}

fn open_engine(config: &Config) -> store::Result<Engine> {
    Engine::open(
        &config.data,
        config.options.clone(),
        config.stream.clone(),
        config.encoder.clone(),
    )
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
    stop: AtomicBool,
    max_body: usize,
}

impl Shared {
    pub(crate) fn accept(
        &self,
        docs: Vec<dossier::ingest::RawDoc>,
    ) -> store::Result<Vec<store::Accepted>> {
        let accepted = self.writer.lock().expect("writer lock").accept(docs)?;
        if accepted.iter().any(|a| !a.duplicate) {
            self.wake_worker();
        }
        Ok(accepted)
    }

    pub(crate) fn read<T>(&self, f: impl FnOnce(&Store) -> store::Result<T>) -> store::Result<T> {
        let pooled = self.readers.lock().expect("reader pool").pop();
        let store = match pooled {
            Some(s) => s,
            None => Store::open(&self.data)?,
        };
        let result = f(&store);
        self.readers.lock().expect("reader pool").push(store);
        result
    }

    fn wake_worker(&self) {
        let (lock, cvar) = &self.wake;
        *lock.lock().expect("wake lock") = true;
        cvar.notify_one();
    }
}

/// Runs the service until SIGINT or SIGTERM.
pub fn run(config: Config) -> Result<(), Error> {
    std::fs::create_dir_all(&config.data)?;
    let shared = Arc::new(Shared {
        writer: Mutex::new(Store::open(&config.data)?),
        readers: Mutex::new(Vec::new()),
        data: config.data.clone(),
        wake: (Mutex::new(true), Condvar::new()),
        stop: AtomicBool::new(false),
        max_body: config.max_body,
    });
    // Opened here so that a broken store stops the start, not a background thread.
    let engine = open_engine(&config)?;
    let worker = {
        let shared = shared.clone();
        let config = config.clone();
        std::thread::spawn(move || work(engine, &shared, &config))
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
    shared.stop.store(true, Ordering::SeqCst);
    shared.wake_worker();
    worker.join().ok();
    if let Some(w) = watcher {
        w.join().ok();
    }
    served
}

/// The worker: drains the queue whenever woken, and at least every second (reports queued
/// before a restart, or by another process, are picked up without a request).
fn work(mut engine: Engine, shared: &Shared, config: &Config) {
    while !shared.stop.load(Ordering::SeqCst) {
        match engine.step(config.batch) {
            Ok(p) if p.handled > 0 => {
                if p.skipped > 0 {
                    eprintln!(
                        "dossier: analysed {} queued reports ({} could not be read)",
                        p.handled, p.skipped
                    );
                }
                continue;
            }
            Ok(_) => {}
            Err(e) => {
                eprintln!("dossier: error: analysis batch failed, reopening the store: {e}");
                std::thread::sleep(Duration::from_secs(1));
                match open_engine(config) {
                    Ok(fresh) => engine = fresh,
                    Err(e) => eprintln!("dossier: error: cannot reopen the store: {e}"),
                }
                continue;
            }
        }
        let (lock, cvar) = &shared.wake;
        let mut woken = lock.lock().expect("wake lock");
        if !*woken {
            woken = cvar
                .wait_timeout(woken, Duration::from_secs(1))
                .expect("wake lock")
                .0;
        }
        *woken = false;
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
