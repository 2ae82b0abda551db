//! Store: the service's durable state in one SQLite file (WAL mode), so that a team runs dossier
//! on one machine with nothing else to install.
//!
//! Tables:
//! - `raw`: every accepted report as it arrived (its document, its content hash, its id).
//! - `queue`: accepted reports not yet analysed, in arrival order.
//! - `reports`: analysed reports (the model's JSON), or why one could not be read.
//! - `stories`: each live story's JSON and when it last changed; `members`: report -> story.
//! - `redirects`: ids of stories merged into another, and the surviving id.
//! - `attempts`: how many processes began analysing a queued report without finishing, and why
//!   it failed if it did, so that a report that stops the worker is skipped rather than retried
//!   for ever.
//!
//! Invariants:
//! - A report is answered as accepted only after the transaction that wrote it to `raw` and
//!   `queue` has committed with `synchronous = FULL`, so a crash (even `kill -9`, even power
//!   loss) cannot lose it.
//! - The same content under the same declared identity (JSON `id` or `url`) is stored once: the
//!   content hash is unique, and a repeat is answered with the first one's id.
//! - Report ids are unique and never change. Story ids never change either; a story id leaves
//!   `stories` only by a merge, and then `redirects` maps it to the survivor (never to another
//!   redirected id: chains are collapsed when they form).
//! - One analysis batch (its reports, the stories it touched, its merges and its removal from
//!   the queue) commits as one transaction: after a crash the store holds either all of a batch
//!   or none of it, and the unfinished reports are still queued.

mod lock;

use crate::ingest::{Content, RawDoc};
use crate::model::{Report, Story};
use rusqlite::{params, Connection, OptionalExtension, TransactionBehavior};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::path::{Path, PathBuf};

pub use lock::{lock, DirLock, LockError, LOCK_FILE};
pub use rusqlite::Error;

pub type Result<T> = std::result::Result<T, Error>;

/// The database file inside the data directory.
pub const FILE_NAME: &str = "dossier.sqlite";

const SCHEMA: &str = "
CREATE TABLE IF NOT EXISTS raw (
    seq INTEGER PRIMARY KEY,
    id TEXT NOT NULL UNIQUE,
    hash BLOB NOT NULL UNIQUE,
    doc TEXT NOT NULL,
    received INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS queue (seq INTEGER PRIMARY KEY);
CREATE TABLE IF NOT EXISTS attempts (
    seq INTEGER PRIMARY KEY,
    count INTEGER NOT NULL,
    failure TEXT,
    generation INTEGER
);
CREATE TABLE IF NOT EXISTS reports (
    id TEXT PRIMARY KEY,
    seq INTEGER NOT NULL,
    json TEXT,
    skipped TEXT
);
CREATE TABLE IF NOT EXISTS stories (
    id TEXT PRIMARY KEY,
    title TEXT NOT NULL,
    size INTEGER NOT NULL,
    updated INTEGER NOT NULL,
    json TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS stories_by_activity ON stories (updated DESC, id);
CREATE TABLE IF NOT EXISTS members (
    report TEXT PRIMARY KEY,
    story TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS members_by_story ON members (story);
CREATE TABLE IF NOT EXISTS redirects (
    old TEXT PRIMARY KEY,
    survivor TEXT NOT NULL
);
";

/// A document as accepted, before analysis: what [`RawDoc`] holds, in a form that survives a
/// restart.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct StoredDoc {
    pub source: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub text: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub html: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub published: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub outlet: Option<String>,
}

impl StoredDoc {
    pub fn into_raw(self, id: String) -> RawDoc {
        let content = match (self.text, self.html) {
            (Some(text), _) => Content::Text(text),
            (None, html) => Content::Html(html.unwrap_or_default().into_bytes()),
        };
        RawDoc {
            source: self.source,
            id,
            content,
            title: self.title,
            url: self.url,
            published: self.published,
            outlet: self.outlet,
        }
    }
}

/// A document waiting for analysis.
#[derive(Debug, Clone)]
pub struct Queued {
    /// Arrival number: orders the stream.
    pub seq: i64,
    /// Its id is the report's, final.
    pub doc: RawDoc,
    /// When it was accepted, in milliseconds since 1970.
    pub received: i64,
    /// Analyses of it begun before and not finished (the process stopped, or the worker failed).
    pub attempts: u32,
    /// Why the worker failed while analysing it alone, if it did.
    pub failure: Option<String>,
}

/// A row the store holds but cannot read back (edited by hand, or written by a broken build):
/// named and left out rather than stopping the service.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BadRow {
    pub seq: i64,
    /// The report's id, when it could be read.
    pub id: String,
    pub reason: String,
}

impl std::fmt::Display for BadRow {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "row {} (report {:?}): {}",
            self.seq, self.id, self.reason
        )
    }
}

/// An analysed report, as stored.
#[derive(Debug, Clone)]
pub struct Analysed {
    pub seq: i64,
    pub report: Report,
    pub story: String,
    pub received: i64,
}

/// How one document fared at the door.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Accepted {
    pub id: String,
    /// The same content was accepted before, under this id; nothing new was stored.
    pub duplicate: bool,
}

/// Where a report stands.
#[derive(Debug, Clone, PartialEq)]
pub enum ReportState {
    Queued,
    Analysed { report: Box<Report>, story: String },
    Skipped { reason: String },
}

/// A line of the story list.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct StoryHead {
    pub id: String,
    pub title: String,
    pub reports: u64,
    /// Activity counter: the arrival number of the newest report that changed the story.
    pub updated: i64,
}

/// What one analysis batch writes, all or nothing.
#[derive(Debug, Default)]
pub struct BatchWrite {
    /// Queue entries this batch consumed.
    pub done: Vec<i64>,
    pub reports: Vec<(i64, Report)>,
    pub skipped: Vec<(i64, String, String)>,
    /// Stories to write, with their activity counter.
    pub stories: Vec<(Story, i64)>,
    /// (merged id, surviving id).
    pub merged: Vec<(String, String)>,
}

/// Counts for `/health`.
#[derive(Debug, Clone, Serialize)]
pub struct Counts {
    pub accepted: u64,
    pub queued: u64,
    pub stories: u64,
}

/// One connection to the store. Each thread holds its own; SQLite serialises the writers.
pub struct Store {
    conn: Connection,
}

impl Store {
    /// Opens (creating if needed) the store in `dir`.
    pub fn open(dir: &Path) -> Result<Store> {
        let conn = Connection::open(path(dir))?;
        // Readers and the one writer meet in WAL mode; a writer waits rather than fails while
        // another commits.
        conn.busy_timeout(std::time::Duration::from_secs(30))?;
        conn.pragma_update(None, "journal_mode", "WAL")?;
        conn.pragma_update(None, "synchronous", "FULL")?;
        conn.execute_batch(SCHEMA)?;
        Ok(Store { conn })
    }

    /// Stores documents durably and queues them for analysis, in one transaction. Each gets an
    /// id: its declared one (made unique with `~2`, `~3`... if taken), or, when it declares
    /// none, one derived from its content.
    pub fn accept(&mut self, docs: Vec<RawDoc>) -> Result<Vec<Accepted>> {
        let now = chrono::Utc::now().timestamp_millis();
        let tx = self.write()?;
        let mut out = Vec::with_capacity(docs.len());
        for doc in docs {
            let identity = doc.url.as_deref().unwrap_or_default().to_string();
            let (bytes, stored) = stored_doc(doc.clone());
            let hash = content_hash(&bytes, &doc.id, &identity);
            let existing: Option<String> = tx
                .query_row("SELECT id FROM raw WHERE hash = ?1", [&hash[..]], |r| {
                    r.get(0)
                })
                .optional()?;
            if let Some(id) = existing {
                out.push(Accepted {
                    id,
                    duplicate: true,
                });
                continue;
            }
            let base = if doc.id.trim().is_empty() {
                format!("r-{}", &hex::encode(hash)[..12])
            } else {
                doc.id.clone()
            };
            let mut id = base.clone();
            let mut n = 1;
            while tx
                .query_row("SELECT 1 FROM raw WHERE id = ?1", [&id], |_| Ok(()))
                .optional()?
                .is_some()
            {
                n += 1;
                id = format!("{base}~{n}");
            }
            let json = serde_json::to_string(&stored).expect("documents serialise");
            tx.execute(
                "INSERT INTO raw (id, hash, doc, received) VALUES (?1, ?2, ?3, ?4)",
                params![id, &hash[..], json, now],
            )?;
            let seq = tx.last_insert_rowid();
            tx.execute("INSERT INTO queue (seq) VALUES (?1)", [seq])?;
            out.push(Accepted {
                id,
                duplicate: false,
            });
        }
        tx.commit()?;
        Ok(out)
    }

    /// A write transaction that takes the write lock up front. A deferred one that reads first
    /// fails at once with "busy" when another connection commits before it writes (WAL cannot
    /// upgrade a stale snapshot); an immediate one waits its turn under the busy timeout.
    fn write(&mut self) -> Result<rusqlite::Transaction<'_>> {
        self.conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
    }

    /// The oldest queued documents, at most `limit`, in arrival order; one whose stored form
    /// cannot be read is returned as a [`BadRow`] in its place.
    pub fn queued(&self, limit: usize) -> Result<Vec<std::result::Result<Queued, BadRow>>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT raw.seq, raw.id, raw.doc, raw.received, attempts.count, attempts.failure
             FROM queue JOIN raw ON raw.seq = queue.seq
             LEFT JOIN attempts ON attempts.seq = queue.seq ORDER BY queue.seq LIMIT ?1",
        )?;
        let mut rows = stmt.query([limit as i64])?;
        let mut out = Vec::new();
        while let Some(r) = rows.next()? {
            let seq: i64 = r.get(0)?;
            let id = r.get::<_, String>(1).unwrap_or_default();
            let read = || -> std::result::Result<Queued, String> {
                let json: String = r.get(2).map_err(|e| e.to_string())?;
                let doc: StoredDoc = serde_json::from_str(&json).map_err(|e| e.to_string())?;
                Ok(Queued {
                    seq,
                    doc: doc.into_raw(id.clone()),
                    received: r.get(3).map_err(|e| e.to_string())?,
                    attempts: r.get::<_, Option<u32>>(4).ok().flatten().unwrap_or(0),
                    failure: r.get(5).ok().flatten(),
                })
            };
            out.push(read().map_err(|e| BadRow {
                seq,
                id: id.clone(),
                reason: format!("the stored document cannot be read: {e}"),
            }));
        }
        Ok(out)
    }

    /// Records that analysis of these queued reports begins, before it does: if the process
    /// dies during it, the next start knows. Counted once per process: trying again after a
    /// failed write or a caught panic is not another interruption.
    pub fn attempt(&mut self, seqs: &[i64]) -> Result<()> {
        let tx = self.write()?;
        for seq in seqs {
            tx.execute(
                "INSERT INTO attempts (seq, count, generation) VALUES (?1, 1, ?2)
                 ON CONFLICT (seq) DO UPDATE
                 SET count = count + (generation IS NOT ?2), generation = ?2",
                [*seq, generation()],
            )?;
        }
        tx.commit()
    }

    /// Takes back [`Store::attempt`] for an analysis given up for a reason that is not the
    /// reports' (the service is stopping).
    pub fn unattempt(&mut self, seqs: &[i64]) -> Result<()> {
        let tx = self.write()?;
        for seq in seqs {
            tx.execute(
                "UPDATE attempts SET count = max(count - 1, 0) WHERE seq = ?1",
                [seq],
            )?;
        }
        tx.commit()
    }

    /// Records why analysis of one queued report failed; the next attempt skips it with this
    /// reason.
    pub fn fail(&mut self, seq: i64, reason: &str) -> Result<()> {
        self.conn.execute(
            "INSERT INTO attempts (seq, count, failure) VALUES (?1, 1, ?2)
             ON CONFLICT (seq) DO UPDATE SET failure = ?2",
            params![seq, reason],
        )?;
        Ok(())
    }

    /// Writes one analysis batch atomically.
    pub fn write_batch(&mut self, batch: &BatchWrite) -> Result<()> {
        let tx = self.write()?;
        for (seq, report) in &batch.reports {
            tx.execute(
                "INSERT OR REPLACE INTO reports (id, seq, json, skipped) VALUES (?1, ?2, ?3, NULL)",
                params![
                    report.id,
                    seq,
                    serde_json::to_string(report).expect("serialises")
                ],
            )?;
        }
        for (seq, id, reason) in &batch.skipped {
            tx.execute(
                "INSERT OR REPLACE INTO reports (id, seq, json, skipped) VALUES (?1, ?2, NULL, ?3)",
                params![id, seq, reason],
            )?;
        }
        for (old, survivor) in &batch.merged {
            tx.execute("DELETE FROM stories WHERE id = ?1", [old])?;
            tx.execute(
                "UPDATE redirects SET survivor = ?2 WHERE survivor = ?1",
                [old, survivor],
            )?;
            tx.execute(
                "INSERT OR REPLACE INTO redirects (old, survivor) VALUES (?1, ?2)",
                [old, survivor],
            )?;
        }
        for (story, updated) in &batch.stories {
            tx.execute(
                "INSERT OR REPLACE INTO stories (id, title, size, updated, json)
                 VALUES (?1, ?2, ?3, ?4, ?5)",
                params![
                    story.id,
                    story.title,
                    story.reports.len() as i64,
                    updated,
                    serde_json::to_string(story).expect("serialises")
                ],
            )?;
            for report in &story.reports {
                tx.execute(
                    "INSERT OR REPLACE INTO members (report, story) VALUES (?1, ?2)",
                    [report, &story.id],
                )?;
            }
        }
        for seq in &batch.done {
            tx.execute("DELETE FROM queue WHERE seq = ?1", [seq])?;
            tx.execute("DELETE FROM attempts WHERE seq = ?1", [seq])?;
        }
        tx.commit()
    }

    /// Every analysed report with its story, in arrival order: what the stream worker rebuilds
    /// its memory from after a restart. Calls `each` per report rather than collecting, so a
    /// big store is never all in memory at once; a row that cannot be read goes to `bad`.
    pub fn analysed(
        &self,
        mut each: impl FnMut(Analysed),
        mut bad: impl FnMut(BadRow),
    ) -> Result<()> {
        let mut stmt = self.conn.prepare(
            "SELECT reports.seq, reports.json, members.story, raw.received, reports.id
             FROM reports
             JOIN members ON members.report = reports.id
             JOIN raw ON raw.seq = reports.seq
             WHERE reports.json IS NOT NULL ORDER BY reports.seq",
        )?;
        let mut rows = stmt.query([])?;
        while let Some(r) = rows.next()? {
            let seq: i64 = r.get(0)?;
            let read = || -> std::result::Result<Analysed, String> {
                let json: String = r.get(1).map_err(|e| e.to_string())?;
                Ok(Analysed {
                    seq,
                    report: serde_json::from_str(&json).map_err(|e| e.to_string())?,
                    story: r.get(2).map_err(|e| e.to_string())?,
                    received: r.get(3).map_err(|e| e.to_string())?,
                })
            };
            match read() {
                Ok(a) => each(a),
                Err(e) => bad(BadRow {
                    seq,
                    id: r.get::<_, String>(4).unwrap_or_default(),
                    reason: format!("the analysed report cannot be read: {e}"),
                }),
            }
        }
        Ok(())
    }

    pub fn report(&self, id: &str) -> Result<Option<ReportState>> {
        let known = self
            .conn
            .query_row("SELECT 1 FROM raw WHERE id = ?1", [id], |_| Ok(()))
            .optional()?;
        if known.is_none() {
            return Ok(None);
        }
        let row: Option<(Option<String>, Option<String>, Option<String>)> = self
            .conn
            .query_row(
                "SELECT reports.json, reports.skipped, members.story FROM reports
                 LEFT JOIN members ON members.report = reports.id WHERE reports.id = ?1",
                [id],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
            )
            .optional()?;
        Ok(Some(match row {
            None => ReportState::Queued,
            Some((Some(json), _, Some(story))) => match serde_json::from_str(&json) {
                Ok(report) => ReportState::Analysed { report, story },
                Err(e) => ReportState::Skipped {
                    reason: format!("the analysed report cannot be read: {e}"),
                },
            },
            Some((_, skipped, _)) => ReportState::Skipped {
                reason: skipped.unwrap_or_else(|| "not in any story".to_string()),
            },
        }))
    }

    pub fn story(&self, id: &str) -> Result<Option<Story>> {
        let json: Option<String> = self
            .conn
            .query_row("SELECT json FROM stories WHERE id = ?1", [id], |r| r.get(0))
            .optional()?;
        json.map(|j| serde_json::from_str(&j).map_err(json_error))
            .transpose()
    }

    /// The analysed reports with these ids, in the order given (missing ones left out, and
    /// unreadable ones: [`Store::analysed`] names those at start-up).
    pub fn reports(&self, ids: &[String]) -> Result<Vec<Report>> {
        let mut stmt = self
            .conn
            .prepare_cached("SELECT json FROM reports WHERE id = ?1 AND json IS NOT NULL")?;
        let mut out = Vec::with_capacity(ids.len());
        for id in ids {
            let json: Option<String> = stmt.query_row([id], |r| r.get(0)).optional()?;
            if let Some(report) = json.and_then(|j| serde_json::from_str(&j).ok()) {
                out.push(report);
            }
        }
        Ok(out)
    }

    /// The id a merged story now lives under, if `id` was merged away.
    pub fn redirect(&self, id: &str) -> Result<Option<String>> {
        self.conn
            .query_row("SELECT survivor FROM redirects WHERE old = ?1", [id], |r| {
                r.get(0)
            })
            .optional()
    }

    /// Stories, most recently active first; an offset past the end gives none.
    pub fn stories(&self, offset: u64, limit: u64) -> Result<Vec<StoryHead>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT id, title, size, updated FROM stories
             ORDER BY updated DESC, id LIMIT ?1 OFFSET ?2",
        )?;
        // Past i64 (SQLite's integers) is past the end: `as` would wrap it to a negative
        // offset, which SQLite reads as none.
        let clamp = |n: u64| i64::try_from(n).unwrap_or(i64::MAX);
        let rows = stmt.query_map([clamp(limit), clamp(offset)], |r| {
            Ok(StoryHead {
                id: r.get(0)?,
                title: r.get(1)?,
                reports: r.get::<_, i64>(2)? as u64,
                updated: r.get(3)?,
            })
        })?;
        rows.collect()
    }

    /// Reports waiting for analysis.
    pub fn queue_len(&self) -> Result<u64> {
        self.conn
            .query_row("SELECT count(*) FROM queue", [], |r| r.get::<_, i64>(0))
            .map(|n| n as u64)
    }

    pub fn counts(&self) -> Result<Counts> {
        let count = |sql: &str| -> Result<u64> {
            self.conn
                .query_row(sql, [], |r| r.get::<_, i64>(0))
                .map(|n| n as u64)
        };
        Ok(Counts {
            accepted: count("SELECT count(*) FROM raw")?,
            queued: count("SELECT count(*) FROM queue")?,
            stories: count("SELECT count(*) FROM stories")?,
        })
    }
}

/// This process's mark on the attempts it records: the time it first asked, with its pid.
fn generation() -> i64 {
    static GENERATION: std::sync::OnceLock<i64> = std::sync::OnceLock::new();
    *GENERATION.get_or_init(|| {
        let now = chrono::Utc::now().timestamp_nanos_opt().unwrap_or_default();
        now ^ (i64::from(std::process::id()) << 40)
    })
}

/// Path of the database file in `dir`.
pub fn path(dir: &Path) -> PathBuf {
    dir.join(FILE_NAME)
}

/// The bytes that identify the content, and the document in its stored form.
fn stored_doc(doc: RawDoc) -> (Vec<u8>, StoredDoc) {
    let (text, html, bytes) = match doc.content {
        Content::Text(t) => (Some(t.clone()), None, t.into_bytes()),
        // Stored as text: pages arrive as UTF-8 request bodies or JSON strings; anything else
        // is decoded lossily here rather than refused, and the extractor sees the same bytes
        // on every replay.
        Content::Html(h) => {
            let s = String::from_utf8_lossy(&h).into_owned();
            (None, Some(s), h)
        }
    };
    let stored = StoredDoc {
        source: doc.source,
        text,
        html,
        title: doc.title,
        url: doc.url,
        published: doc.published,
        outlet: doc.outlet,
    };
    (bytes, stored)
}

/// Same rule as the batch path: identical text under another declared identity is syndication
/// (another outlet's copy), kept as its own report.
fn content_hash(content: &[u8], id: &str, url: &str) -> [u8; 32] {
    let mut h = Sha256::new();
    for part in [content, id.as_bytes(), url.as_bytes()] {
        h.update((part.len() as u64).to_le_bytes());
        h.update(part);
    }
    h.finalize().into()
}

fn json_error(e: serde_json::Error) -> Error {
    Error::FromSqlConversionFailure(0, rusqlite::types::Type::Text, Box::new(e))
}
