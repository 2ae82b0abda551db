//! Ingest: turn what the user named (files, directories, stdin) into raw documents.
//!
//! Invariant: every input either becomes one or more [`RawDoc`]s or one [`Skipped`] entry that
//! names it and says why; a web archive can give both, its pages and what else it held. Nothing
//! is dropped silently, and no input can stop the batch.

pub mod archive;
mod sniff;

use serde::Deserialize;
use sha2::{Digest, Sha256};
use std::collections::{BTreeMap, HashMap};
use std::fs;
use std::io::{BufRead, BufReader, Read};
use std::path::{Path, PathBuf};

pub use sniff::{check_payload, Format};

/// Inputs larger than this are skipped unless the caller raises the limit: a single news
/// report is rarely over a megabyte, so a bigger file is almost always a mistake.
pub const DEFAULT_MAX_BYTES: u64 = 16 * 1024 * 1024;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Input {
    Path(PathBuf),
    /// JSON Lines on standard input.
    Stdin,
    /// A file's bytes already in memory (a Spark task's shard, a notebook's download), read
    /// as the file `name` would be: its extension proposes the format, unless `kind` says it.
    Bytes {
        name: String,
        bytes: Vec<u8>,
        kind: Option<Kind>,
    },
}

/// What a file holds, when the caller knows better than its name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Document(Format),
    Warc,
}

impl Input {
    /// `-` means standard input, anything else a path.
    pub fn parse(arg: &str) -> Input {
        if arg == "-" {
            Input::Stdin
        } else {
            Input::Path(PathBuf::from(arg))
        }
    }
}

#[derive(Debug, Clone)]
pub struct IngestOptions {
    pub max_bytes: u64,
}

impl Default for IngestOptions {
    fn default() -> Self {
        IngestOptions {
            max_bytes: DEFAULT_MAX_BYTES,
        }
    }
}

/// The payload of a raw document, before extraction.
#[derive(Debug, Clone)]
pub enum Content {
    /// Plain text, already valid UTF-8.
    Text(String),
    /// HTML bytes in whatever charset the page uses; the extractor decodes them.
    Html(Vec<u8>),
}

#[derive(Debug, Clone)]
pub struct RawDoc {
    /// Where it came from: the path as given, `path:line` for JSON Lines, or its URL.
    pub source: String,
    /// A suggested report id (JSON Lines `id`, else the file stem); made unique later.
    pub id: String,
    pub content: Content,
    pub title: Option<String>,
    pub url: Option<String>,
    pub published: Option<String>,
    /// The outlet, when JSON Lines names one (`source` field).
    pub outlet: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Skipped {
    /// The input as the user would recognise it (path, `path:line`, `<stdin>:line`).
    pub input: String,
    pub reason: String,
}

#[derive(Debug, Default)]
pub struct Ingested {
    pub docs: Vec<RawDoc>,
    pub skipped: Vec<Skipped>,
}

/// Where reading puts what it found: each document goes to the caller as soon as it is read, so
/// that a pile of any size need not be held at once.
struct Sink<'a> {
    each: &'a mut dyn FnMut(RawDoc),
    skipped: Vec<Skipped>,
}

impl Sink<'_> {
    fn skip(&mut self, input: impl Into<String>, reason: impl Into<String>) {
        self.skipped.push(Skipped {
            input: input.into(),
            reason: reason.into(),
        });
    }

    fn push(&mut self, doc: RawDoc) {
        (self.each)(doc)
    }
}

/// Reads every input. Directories are walked recursively in name order, so the same pile
/// always gives the same documents in the same order.
pub fn ingest(inputs: &[Input], options: &IngestOptions) -> Ingested {
    let mut docs = Vec::new();
    let skipped = ingest_each(inputs, options, &mut |doc| docs.push(doc));
    Ingested { docs, skipped }
}

/// [`ingest`], handing each document to `each` in order as it is read rather than collecting
/// them; returns what was skipped.
pub fn ingest_each(
    inputs: &[Input],
    options: &IngestOptions,
    each: &mut dyn FnMut(RawDoc),
) -> Vec<Skipped> {
    let mut out = Sink {
        each,
        skipped: Vec::new(),
    };
    let mut seen = Seen::default();
    for input in inputs {
        match input {
            Input::Stdin => {
                let stdin = std::io::stdin().lock();
                read_json_lines(
                    "<stdin>",
                    Some("stdin"),
                    stdin,
                    options.max_bytes,
                    &mut seen,
                    &mut out,
                );
            }
            Input::Path(path) => ingest_path(path, options, &mut seen, &mut out),
            Input::Bytes { name, bytes, kind } => {
                ingest_bytes(name, bytes, *kind, options, &mut seen, &mut out)
            }
        }
    }
    out.skipped
}

fn ingest_path(path: &Path, options: &IngestOptions, seen: &mut Seen, out: &mut Sink) {
    let meta = match fs::metadata(path) {
        Ok(m) => m,
        Err(e) => return out.skip(path.display().to_string(), format!("cannot open: {e}")),
    };
    if !meta.is_dir() {
        return ingest_file(path, true, options, seen, out);
    }
    let mut found = 0usize;
    // Links are followed so that a dangling one is reported rather than passed over; walkdir
    // detects loops.
    let walker = walkdir::WalkDir::new(path)
        .follow_links(true)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| e.depth() == 0 || !e.file_name().to_string_lossy().starts_with('.'));
    for entry in walker {
        match entry {
            Err(e) => {
                let at = e
                    .path()
                    .map_or_else(|| path.display().to_string(), |p| p.display().to_string());
                out.skip(at, format!("cannot read: {e}"));
            }
            Ok(e) if e.file_type().is_file() => {
                found += 1;
                ingest_file(e.path(), false, options, seen, out);
            }
            Ok(_) => {}
        }
    }
    if found == 0 {
        out.skip(path.display().to_string(), "directory holds no files");
    }
}

/// `named` is true when the user named this file directly: then an unknown extension is
/// sniffed rather than skipped.
fn ingest_file(path: &Path, named: bool, options: &IngestOptions, seen: &mut Seen, out: &mut Sink) {
    let shown = path.display().to_string();
    if sniff::is_warc_name(path) {
        return match fs::File::open(path) {
            Ok(file) => ingest_warc(BufReader::new(file), &shown, options, seen, out),
            Err(e) => out.skip(shown, format!("cannot open: {e}")),
        };
    }
    let by_extension = Format::from_path(path);
    if by_extension.is_none() && !named {
        return out.skip(
            shown,
            "not a report file (expected .txt, .html, .htm, .jsonl, .warc or .warc.gz)",
        );
    }
    let format = match read_head(path).and_then(|head| sniffed(by_extension, &head)) {
        Ok(f) => f,
        Err(reason) => return out.skip(shown, reason),
    };
    let stem = stem_of(path);
    // A JSON Lines file is a pile of reports: it is streamed, and the size limit applies to
    // each line. Any other file is one report, read whole within the limit.
    if format == Format::JsonLines {
        match fs::File::open(path) {
            Ok(file) => {
                let reader = BufReader::new(file);
                read_json_lines(&shown, Some(&stem), reader, options.max_bytes, seen, out)
            }
            Err(e) => out.skip(shown, format!("cannot open: {e}")),
        }
        return;
    }
    match read_limited(path, options.max_bytes) {
        Ok(bytes) => push_document(shown, stem, format, bytes, seen, out),
        Err(reason) => out.skip(shown, reason),
    }
}

/// [`ingest_file`] over bytes already in memory, named as the file they came from.
fn ingest_bytes(
    name: &str,
    bytes: &[u8],
    kind: Option<Kind>,
    options: &IngestOptions,
    seen: &mut Seen,
    out: &mut Sink,
) {
    let path = Path::new(name);
    let proposed = match kind {
        Some(Kind::Warc) => None,
        Some(Kind::Document(format)) => Some(format),
        None => Format::from_path(path),
    };
    if kind == Some(Kind::Warc) || (kind.is_none() && sniff::is_warc_name(path)) {
        return ingest_warc(bytes, name, options, seen, out);
    }
    let format = match sniffed(proposed, &bytes[..bytes.len().min(8192)]) {
        Ok(f) => f,
        Err(reason) => return out.skip(name, reason),
    };
    if format == Format::JsonLines {
        return read_json_lines(
            name,
            Some(&stem_of(path)),
            bytes,
            options.max_bytes,
            seen,
            out,
        );
    }
    if bytes.len() as u64 > options.max_bytes {
        let max = options.max_bytes;
        return out.skip(
            name,
            format!(
                "too large: {} bytes, over the {max} byte limit (raise it with --max-bytes)",
                bytes.len()
            ),
        );
    }
    push_document(
        name.to_string(),
        stem_of(path),
        format,
        bytes.to_vec(),
        seen,
        out,
    )
}

/// The format of a payload from its first bytes, the name's guess given.
fn sniffed(proposed: Option<Format>, head: &[u8]) -> Result<Format, String> {
    sniff::check_payload(head)?;
    sniff::confirm(proposed, head)
}

/// A file's name up to its first dot: the id of the report it holds.
fn stem_of(path: &Path) -> String {
    path.file_name()
        .map(|n| n.to_string_lossy().to_string())
        .map(|n| n.split('.').next().unwrap_or(&n).to_string())
        .filter(|s| !s.is_empty())
        .unwrap_or_else(|| "report".to_string())
}

/// One file that is one report (text or a page), unless its content was already read.
fn push_document(
    shown: String,
    stem: String,
    format: Format,
    bytes: Vec<u8>,
    seen: &mut Seen,
    out: &mut Sink,
) {
    let content = if format == Format::Html {
        Content::Html(bytes)
    } else {
        match sniff::decode_utf8(bytes) {
            Ok(text) => Content::Text(text),
            Err(reason) => return out.skip(shown, reason),
        }
    };
    let key = match &content {
        Content::Text(t) => t.as_bytes(),
        Content::Html(h) => h.as_slice(),
    };
    if let Some(first) = seen.check(key, None, &shown) {
        return out.skip(shown, format!("duplicate of {first}"));
    }
    out.push(RawDoc {
        source: shown,
        id: stem,
        content,
        title: None,
        url: None,
        published: None,
        outlet: None,
    });
}

/// The first bytes of a file, enough to sniff its format.
fn read_head(path: &Path) -> Result<Vec<u8>, String> {
    let file = fs::File::open(path).map_err(|e| format!("cannot open: {e}"))?;
    let mut head = Vec::with_capacity(8192);
    file.take(8192)
        .read_to_end(&mut head)
        .map_err(|e| format!("cannot read: {e}"))?;
    Ok(head)
}

/// One document per HTML page in the archive. Records that hold no page are summed up in one
/// warning per file, since an archive holds many; each broken or refused record gets its own.
fn ingest_warc(
    reader: impl BufRead,
    shown: &str,
    options: &IngestOptions,
    seen: &mut Seen,
    out: &mut Sink,
) {
    let records = match archive::Records::open(reader, options.max_bytes) {
        Ok(r) => r,
        Err(reason) => return out.skip(shown, reason),
    };
    let mut passed: BTreeMap<String, usize> = BTreeMap::new();
    for item in records {
        match item {
            archive::Item::Page(page) => {
                let at = format!("{shown}#record {}", page.record);
                if let Some(first) = seen.check(&page.html, Some(&page.uri), &at) {
                    out.skip(at, format!("duplicate of {first}"));
                    continue;
                }
                out.push(RawDoc {
                    source: page.uri.clone(),
                    id: page.id,
                    content: Content::Html(page.html),
                    title: None,
                    url: Some(page.uri),
                    // WARC-Date is when the page was fetched, not when it was published.
                    published: None,
                    outlet: None,
                });
            }
            archive::Item::Passed(kind) => *passed.entry(kind).or_default() += 1,
            archive::Item::Refused {
                record,
                uri: Some(uri),
                reason,
            } => out.skip(format!("{shown}#record {record} ({uri})"), reason),
            archive::Item::Refused {
                record,
                uri: None,
                reason,
            } => out.skip(format!("{shown}#record {record}"), reason),
        }
    }
    if !passed.is_empty() {
        let total: usize = passed.values().sum();
        let mut kinds: Vec<(String, usize)> = passed.into_iter().collect();
        kinds.sort_by_key(|(_, n)| std::cmp::Reverse(*n));
        let list: Vec<String> = kinds.iter().map(|(k, n)| format!("{n} {k}")).collect();
        out.skip(
            shown,
            format!(
                "{total} record{} with no page to read: {}",
                if total == 1 { "" } else { "s" },
                list.join(", ")
            ),
        );
    }
}

fn read_limited(path: &Path, max: u64) -> Result<Vec<u8>, String> {
    let file = fs::File::open(path).map_err(|e| format!("cannot open: {e}"))?;
    let len = file.metadata().map(|m| m.len()).unwrap_or(0);
    if len > max {
        return Err(format!(
            "too large: {len} bytes, over the {max} byte limit (raise it with --max-bytes)"
        ));
    }
    let mut bytes = Vec::with_capacity(len as usize);
    file.take(max + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| format!("cannot read: {e}"))?;
    if bytes.len() as u64 > max {
        return Err(format!(
            "too large: over the {max} byte limit (raise it with --max-bytes)"
        ));
    }
    Ok(bytes)
}

/// One line of JSON Lines input. Unknown fields are ignored so that richer exports still load.
#[derive(Deserialize)]
struct JsonReport {
    id: Option<serde_json::Value>,
    text: Option<String>,
    html: Option<String>,
    url: Option<String>,
    title: Option<String>,
    published: Option<String>,
    source: Option<String>,
}

/// Reads JSON Lines from any reader (a request body, a pipe), one report per line, with the
/// same checks as a `.jsonl` input. A line without an `id` gets an empty one, for the caller to
/// name: the service names reports after their content, not their position in one request.
pub fn json_lines(shown: &str, reader: impl BufRead, max_bytes: u64) -> Ingested {
    let mut docs = Vec::new();
    let mut out = Sink {
        each: &mut |doc| docs.push(doc),
        skipped: Vec::new(),
    };
    read_json_lines(
        shown,
        None,
        reader,
        max_bytes,
        &mut Seen::default(),
        &mut out,
    );
    let skipped = out.skipped;
    Ingested { docs, skipped }
}

/// `stem` names the reports that carry no `id` (`{stem}-{line}`); `None` leaves their id empty.
fn read_json_lines(
    shown: &str,
    stem: Option<&str>,
    mut reader: impl BufRead,
    max_bytes: u64,
    seen: &mut Seen,
    out: &mut Sink,
) {
    let mut lines = 0usize;
    let mut buffer = Vec::new();
    for n in 0.. {
        let at = format!("{shown}:{}", n + 1);
        let line = match read_line_limited(&mut reader, max_bytes, &mut buffer) {
            Ok(Line::End) => break,
            Ok(Line::TooLong) => {
                lines += 1;
                out.skip(
                    at,
                    format!(
                        "too large: over the {max_bytes} byte limit (raise it with --max-bytes)"
                    ),
                );
                continue;
            }
            Ok(Line::Read) => buffer.as_slice(),
            Err(e) => {
                out.skip(at, format!("cannot read: {e}"));
                break;
            }
        };
        let line = line.strip_suffix(b"\r").unwrap_or(line);
        if line.iter().all(u8::is_ascii_whitespace) {
            continue;
        }
        lines += 1;
        let doc = std::str::from_utf8(line)
            .map_err(|e| format!("not valid UTF-8 ({e})"))
            .and_then(json_report)
            .and_then(|parsed| {
                let fallback_id = stem.map_or_else(String::new, |stem| format!("{stem}-{}", n + 1));
                raw_doc(parsed, &at, fallback_id, seen)
            });
        match doc {
            Ok(doc) => out.push(doc),
            Err(reason) => out.skip(at, reason),
        }
    }
    if lines == 0 {
        out.skip(shown, "empty: no JSON lines");
    }
}

/// The report of one JSON line read at `at`, unless it has no content or repeats one read
/// before; `fallback_id` when it carries no `id`.
fn raw_doc(
    parsed: JsonReport,
    at: &str,
    fallback_id: String,
    seen: &mut Seen,
) -> Result<RawDoc, String> {
    let title = parsed.title.filter(|t| !t.trim().is_empty());
    let content = match (parsed.text, parsed.html, &title) {
        (Some(t), _, _) if !t.trim().is_empty() => Content::Text(t),
        (_, Some(h), _) if !h.trim().is_empty() => Content::Html(h.into_bytes()),
        // A feed item that is only a headline is a report whose text is its headline.
        (_, _, Some(title)) => Content::Text(title.clone()),
        _ => return Err("no `text`, `html` or `title` field with content".into()),
    };
    let key = match &content {
        Content::Text(t) => t.as_bytes(),
        Content::Html(h) => h.as_slice(),
    };
    let identity = match (&parsed.id, &parsed.url) {
        (Some(id), _) => Some(id.to_string()),
        (None, Some(url)) => Some(url.clone()),
        (None, None) => None,
    };
    if let Some(first) = seen.check(key, identity.as_deref(), at) {
        return Err(format!("duplicate of {first}"));
    }
    let id = match parsed.id {
        Some(serde_json::Value::String(s)) if !s.trim().is_empty() => s.trim().to_string(),
        Some(serde_json::Value::Number(n)) => n.to_string(),
        _ => fallback_id,
    };
    Ok(RawDoc {
        source: parsed.url.clone().unwrap_or_else(|| at.to_string()),
        id,
        content,
        title,
        url: parsed.url,
        published: parsed.published.filter(|p| !p.trim().is_empty()),
        outlet: parsed.source.filter(|s| !s.trim().is_empty()),
    })
}

/// One line as a report object. serde takes a JSON array as the struct's fields in order
/// ("invalid length 1, expected struct JsonReport with 7 elements"): a line that is not an
/// object is told what it is instead.
fn json_report(line: &str) -> Result<JsonReport, String> {
    let first = line.trim_start().as_bytes().first().copied();
    if first != Some(b'{') {
        return Err(match serde_json::from_str::<serde_json::Value>(line) {
            Ok(serde_json::Value::Array(_)) => "expected one JSON object per line, got an array \
                (write each report on a line of its own)"
                .to_string(),
            Ok(_) => "expected one JSON object per line, got a single value".to_string(),
            Err(e) => format!("invalid JSON: {e}"),
        });
    }
    serde_json::from_str(line).map_err(|e| format!("invalid JSON: {e}"))
}

enum Line {
    Read,
    TooLong,
    End,
}

/// Reads one line (without its newline) into `buffer`, refusing lines over `max` bytes without
/// holding them in memory.
fn read_line_limited(
    reader: &mut impl BufRead,
    max: u64,
    buffer: &mut Vec<u8>,
) -> std::io::Result<Line> {
    buffer.clear();
    let read = reader.by_ref().take(max + 1).read_until(b'\n', buffer)?;
    if read == 0 {
        return Ok(Line::End);
    }
    if buffer.last() == Some(&b'\n') {
        buffer.pop();
        return Ok(Line::Read);
    }
    if (buffer.len() as u64) <= max {
        return Ok(Line::Read); // the last line, without a newline
    }
    // Over the limit: skip the rest of the line in chunks.
    loop {
        let chunk = reader.fill_buf()?;
        if chunk.is_empty() {
            return Ok(Line::TooLong);
        }
        match chunk.iter().position(|b| *b == b'\n') {
            Some(i) => {
                reader.consume(i + 1);
                return Ok(Line::TooLong);
            }
            None => {
                let len = chunk.len();
                reader.consume(len);
            }
        }
    }
}

/// Remembers content so that the same report given twice is read once.
///
/// Identical text under a different declared identity (JSON Lines `id` or `url`) is not a
/// duplicate: it is syndication, one outlet's copy of another's report, which later stages
/// need to see (ten copies of one sentence are one source, not ten).
#[derive(Default)]
struct Seen(HashMap<([u8; 32], Option<String>), String>);

impl Seen {
    /// Returns where this content was first seen, or records it and returns `None`.
    fn check(&mut self, bytes: &[u8], identity: Option<&str>, at: &str) -> Option<String> {
        let key = (Sha256::digest(bytes).into(), identity.map(str::to_string));
        match self.0.get(&key) {
            Some(first) => Some(first.clone()),
            None => {
                self.0.insert(key, at.to_string());
                None
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use archive::tests::{html_response, record};

    #[test]
    fn bytes_in_memory_are_read_as_the_file_they_name_or_as_the_kind_given() {
        let bytes = |name: &str, bytes: &[u8], kind| Input::Bytes {
            name: name.to_string(),
            bytes: bytes.to_vec(),
            kind,
        };
        let page = b"<html><body><p>A ferry sank off Sulawesi.</p></body></html>";
        let got = ingest(
            &[
                bytes(
                    "s3://crawl/part-0.warc",
                    &html_response(1, "https://news.example/ferry"),
                    None,
                ),
                bytes(
                    "feed",
                    b"{\"id\": \"f1\", \"text\": \"Rescuers found 120.\"}\n",
                    Some(Kind::Document(Format::JsonLines)),
                ),
                bytes("ferry.txt", page, None),
                bytes("logo.html", b"\x89PNG\r\n\x1a\n\0\0", None),
                bytes("again.html", page, None),
            ],
            &IngestOptions::default(),
        );
        let read: Vec<(&str, &str)> = got
            .docs
            .iter()
            .map(|d| (d.id.as_str(), d.source.as_str()))
            .collect();
        assert_eq!(read[1..], [("f1", "feed:1"), ("ferry", "ferry.txt")]);
        assert_eq!(read[0].1, "https://news.example/ferry");
        // The page named .txt is read as the page it is.
        assert!(matches!(got.docs[2].content, Content::Html(_)));
        assert_eq!(
            got.skipped,
            [
                Skipped {
                    input: "logo.html".into(),
                    reason: "binary data (PNG), not a text report".into(),
                },
                Skipped {
                    input: "again.html".into(),
                    reason: "duplicate of ferry.txt".into(),
                },
            ]
        );
    }

    #[test]
    fn warc_pages_are_deduplicated_by_address_and_the_rest_summed_up() {
        let dir = std::env::temp_dir().join(format!("dossier-ingest-{}", std::process::id()));
        fs::create_dir_all(&dir).unwrap();
        let path = dir.join("crawl.warc");
        let mut warc = html_response(1, "https://news.example/ferry");
        // The same page fetched twice, and the same text under another address (syndication).
        warc.extend(html_response(2, "https://news.example/ferry"));
        warc.extend(html_response(3, "https://wire.example/ferry"));
        for n in 4..7 {
            warc.extend(record(
                "request",
                n,
                "https://news.example/ferry",
                b"GET / HTTP/1.1\r\n\r\n",
            ));
        }
        warc.extend(record(
            "metadata",
            7,
            "https://news.example/ferry",
            b"fetchTimeMs: 80\r\n",
        ));
        fs::write(&path, warc).unwrap();
        let got = ingest(&[Input::Path(path.clone())], &IngestOptions::default());
        fs::remove_dir_all(&dir).unwrap();

        let sources: Vec<&str> = got.docs.iter().map(|d| d.source.as_str()).collect();
        assert_eq!(
            sources,
            ["https://news.example/ferry", "https://wire.example/ferry"]
        );
        assert!(got.docs.iter().all(|d| d.published.is_none()));
        let shown = path.display().to_string();
        assert_eq!(
            got.skipped,
            [
                Skipped {
                    input: format!("{shown}#record 2"),
                    reason: format!("duplicate of {shown}#record 1"),
                },
                Skipped {
                    input: shown,
                    reason: "4 records with no page to read: 3 request, 1 metadata".into(),
                },
            ]
        );
    }
}
