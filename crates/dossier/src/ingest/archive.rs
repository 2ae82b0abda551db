//! WARC web archives (ISO 28500), as crawlers write them: plain, or gzipped with one gzip member
//! per record (Common Crawl), or one member for the whole file.
//!
//! [`Records`] reads one record at a time, so an archive of any size costs one page's memory, and
//! yields what each record came to. A broken record is named and reading goes on where the format
//! says where the next record starts: at the next gzip member. In a plain file, or inside a
//! member, a record whose length is wrong leaves no trustworthy place to resume, so reading stops.

use super::sniff;
use flate2::bufread::GzDecoder;
use sha2::{Digest, Sha256};
use std::io::{self, BufRead, BufReader, Read};
use std::ops::ControlFlow;
use warc::{RecordType, WarcHeader, WarcReader};

/// HTTP headers longer than this are not a web server's response.
const HTTP_HEAD_MAX: u64 = 64 * 1024;
/// WARC header blocks longer than this are not a crawler's: real ones hold a dozen fields and
/// an address, a few KB at most. The warc crate reads the block whole, without a limit (a
/// 2 MB gzipped archive whose block never ended took 4.3 GB).
const WARC_HEAD_MAX: u64 = 1024 * 1024;

/// What one record came to.
#[derive(Debug)]
pub enum Item {
    Page(Page),
    /// A record that holds no web page (a request, metadata, an image, an error page), by kind.
    /// Archives hold many of these, so they are counted rather than warned about one by one.
    Passed(String),
    /// A record that could not be read or was refused, with why, and the page's address when
    /// the record got as far as naming one.
    Refused {
        record: usize,
        uri: Option<String>,
        reason: String,
    },
}

/// One HTML page from a `response` record, its HTTP status line and headers stripped.
#[derive(Debug)]
pub struct Page {
    /// The record's position in the file, counting from 1.
    pub record: usize,
    /// `WARC-Target-URI`.
    pub uri: String,
    /// Stable across runs: derived from `WARC-Record-ID`.
    pub id: String,
    pub html: Vec<u8>,
}

/// The records of one WARC file, in file order.
pub struct Records<R> {
    state: State<R>,
    /// Records started so far; numbers them for the user.
    count: usize,
    /// Applies to each page, not to the archive.
    max_bytes: u64,
}

enum State<R> {
    Plain(R),
    /// Gzipped, positioned at the start of a member.
    Gzip(R),
    /// Gzipped, inside a member; true once a record of it has been read.
    Member(BufReader<GzDecoder<R>>, bool),
    Done,
}

/// Why a record could not be read, which decides whether reading can go on.
enum Broken {
    /// The bytes themselves could not be read (damaged gzip data, an I/O error).
    Data(io::Error),
    /// The bytes were read but are not a well-formed record.
    Record(String),
}

impl<R: BufRead> Records<R> {
    /// Confirms that the content is a WARC file (`WARC/1.`, gzipped or not) before any record is
    /// read.
    pub fn open(mut reader: R, max_bytes: u64) -> Result<Records<R>, String> {
        let head = reader.fill_buf().map_err(|e| format!("cannot read: {e}"))?;
        let state = if head.starts_with(b"\x1f\x8b") {
            let mut member = BufReader::new(GzDecoder::new(reader));
            let start = member
                .fill_buf()
                .map_err(|e| format!("damaged gzip data: {e}"))?;
            if !start.starts_with(b"WARC/1.") {
                return Err("gzip data, but not a WARC file (no `WARC/1.` at the start)".into());
            }
            State::Member(member, false)
        } else if head.starts_with(b"WARC/1.") {
            State::Plain(reader)
        } else if head.is_empty() {
            return Err("empty file".into());
        } else {
            return Err("not a WARC file (no `WARC/1.` at the start)".into());
        };
        Ok(Records {
            state,
            count: 0,
            max_bytes,
        })
    }

    fn refused(&self, reason: impl Into<String>) -> Option<Item> {
        Some(Item::Refused {
            record: self.count,
            uri: None,
            reason: reason.into(),
        })
    }

    // Each state's step: `Continue` when the state moved on without a record to give.
    fn gzip(&mut self, mut reader: R) -> ControlFlow<Option<Item>> {
        match reader.fill_buf() {
            Ok([]) => ControlFlow::Break(None),
            Ok(_) => {
                self.state = State::Member(BufReader::new(GzDecoder::new(reader)), false);
                ControlFlow::Continue(())
            }
            Err(e) => {
                self.count += 1;
                ControlFlow::Break(self.refused(format!("cannot read: {e}")))
            }
        }
    }

    fn member(
        &mut self,
        mut member: BufReader<GzDecoder<R>>,
        read_one: bool,
    ) -> ControlFlow<Option<Item>> {
        match skip_blank_lines(&mut member) {
            // The member ended cleanly (its checksum held): the next one starts here.
            Ok(false) => {
                self.state = State::Gzip(member.into_inner().into_inner());
                return ControlFlow::Continue(());
            }
            Ok(true) => {}
            // After a record, the damage is in its member's tail (the checksum): the record
            // was whole, so the damage is named after it.
            Err(e) if read_one => return ControlFlow::Break(self.refused(gzip_stop(&e))),
            Err(e) => {
                self.count += 1;
                return ControlFlow::Break(self.refused(gzip_stop(&e)));
            }
        }
        self.count += 1;
        ControlFlow::Break(match read_record(&mut member, self.count, self.max_bytes) {
            Ok(item) => {
                self.state = State::Member(member, true);
                Some(item)
            }
            Err(Broken::Data(e)) => self.refused(gzip_stop(&e)),
            // The record is bad but the gzip data is sound: the next member is the next record.
            Err(Broken::Record(reason)) => match io::copy(&mut member, &mut io::sink()) {
                Ok(_) => {
                    self.state = State::Gzip(member.into_inner().into_inner());
                    self.refused(reason)
                }
                Err(e) => self.refused(format!("{reason}; then {}", gzip_stop(&e))),
            },
        })
    }

    fn plain(&mut self, mut reader: R) -> Option<Item> {
        match skip_blank_lines(&mut reader) {
            Ok(false) => return None,
            Ok(true) => {}
            Err(e) => {
                self.count += 1;
                return self.refused(format!("cannot read: {e}"));
            }
        }
        self.count += 1;
        match read_record(&mut reader, self.count, self.max_bytes) {
            Ok(item) => {
                self.state = State::Plain(reader);
                Some(item)
            }
            Err(Broken::Data(e)) => self.refused(format!("cannot read: {e}")),
            Err(Broken::Record(reason)) => {
                self.refused(format!("{reason}; reading of this file stopped"))
            }
        }
    }
}

impl<R: BufRead> Iterator for Records<R> {
    type Item = Item;

    fn next(&mut self) -> Option<Item> {
        loop {
            let step = match std::mem::replace(&mut self.state, State::Done) {
                State::Done => return None,
                State::Gzip(reader) => self.gzip(reader),
                State::Member(member, read_one) => self.member(member, read_one),
                State::Plain(reader) => return self.plain(reader),
            };
            if let ControlFlow::Break(item) = step {
                return item;
            }
        }
    }
}

/// A reader that ends after `limit` bytes unless a header block's end (an empty CRLF line)
/// has been read by then; past that end it passes everything through.
struct HeadLimit<R> {
    inner: R,
    left: u64,
    /// The last bytes consumed, to see "\r\n\r\n" across reads.
    tail: u32,
    ended: bool,
}

impl<R: BufRead> HeadLimit<R> {
    fn new(inner: R, limit: u64) -> HeadLimit<R> {
        HeadLimit {
            inner,
            left: limit,
            tail: 0,
            ended: false,
        }
    }
}

impl<R: BufRead> Read for HeadLimit<R> {
    fn read(&mut self, out: &mut [u8]) -> io::Result<usize> {
        let available = self.fill_buf()?;
        let n = available.len().min(out.len());
        out[..n].copy_from_slice(&available[..n]);
        self.consume(n);
        Ok(n)
    }
}

impl<R: BufRead> BufRead for HeadLimit<R> {
    fn fill_buf(&mut self) -> io::Result<&[u8]> {
        let buf = self.inner.fill_buf()?;
        if self.ended {
            return Ok(buf);
        }
        let allowed = usize::try_from(self.left).unwrap_or(usize::MAX);
        Ok(&buf[..buf.len().min(allowed)])
    }

    fn consume(&mut self, n: usize) {
        if !self.ended {
            // The bytes are still in the inner buffer: fill_buf returns them without reading.
            if let Ok(buf) = self.inner.fill_buf() {
                for &b in &buf[..n.min(buf.len())] {
                    self.tail = (self.tail << 8) | u32::from(b);
                    if self.tail == u32::from_be_bytes(*b"\r\n\r\n") {
                        self.ended = true;
                        break;
                    }
                }
            }
            self.left = self.left.saturating_sub(n as u64);
        }
        self.inner.consume(n);
    }
}

fn gzip_stop(e: &io::Error) -> String {
    format!("damaged or truncated gzip data ({e}); reading stopped")
}

/// Writers disagree on blank lines between records; the standard's two are consumed with the
/// record, extra ones are passed over here. Returns whether anything follows.
fn skip_blank_lines(reader: &mut impl BufRead) -> io::Result<bool> {
    loop {
        let buf = reader.fill_buf()?;
        if buf.is_empty() {
            return Ok(false);
        }
        let blank = buf
            .iter()
            .take_while(|b| matches!(b, b'\r' | b'\n'))
            .count();
        if blank < buf.len() {
            reader.consume(blank);
            return Ok(true);
        }
        reader.consume(blank);
    }
}

/// False when the record's header block, as far as the read buffer holds it whole, carries a
/// `WARC-Target-URI` that is not UTF-8.
fn target_uri_is_utf8(buffered: &[u8]) -> bool {
    let Some(end) = buffered.windows(4).position(|w| w == b"\r\n\r\n") else {
        return true;
    };
    let name = b"warc-target-uri:";
    buffered[..end]
        .split(|&b| b == b'\n')
        .find(|line| line.len() >= name.len() && line[..name.len()].eq_ignore_ascii_case(name))
        .is_none_or(|line| std::str::from_utf8(line).is_ok())
}

fn read_record<R: BufRead>(reader: &mut R, number: usize, max_bytes: u64) -> Result<Item, Broken> {
    let uri_is_text = target_uri_is_utf8(reader.fill_buf().map_err(Broken::Data)?);
    let mut bounded = HeadLimit::new(&mut *reader, WARC_HEAD_MAX);
    let mut warc = WarcReader::new(&mut bounded);
    let mut stream = warc.stream_records();
    let mut record = match stream.next_item() {
        // Data was there (the caller checked), so the header block was cut short, or ran past
        // its limit.
        None => return Err(Broken::Record(head_cut_off(bounded.left == 0))),
        Some(Err(warc::Error::ReadData(e))) => return Err(Broken::Data(e)),
        Some(Err(e)) => return Err(Broken::Record(describe(&e))),
        Some(Ok(record)) => record,
    };
    let length = record.content_length();
    let item = match record.warc_type() {
        RecordType::Response => {
            let uri = if uri_is_text {
                target_uri(&record)
            } else {
                None
            };
            match uri {
                None => refused(number, "the WARC-Target-URI is not valid UTF-8"),
                Some(None) => refused(number, "response record without a WARC-Target-URI"),
                Some(Some(uri)) => {
                    let id = page_id(record.warc_id());
                    let payload = http_payload(&mut record, length, max_bytes);
                    page(number, uri, id, payload.map_err(Broken::Data)?)
                }
            }
        }
        other => Item::Passed(other.to_string()),
    };
    io::copy(&mut record, &mut io::sink()).map_err(Broken::Data)?;
    // The streaming body counts down what is left to read: anything left means the data ended
    // before the record did.
    let short = record.content_length();
    if short > 0 {
        return Err(Broken::Record(format!(
            "the data ends {short} bytes short of the record's Content-Length ({length})"
        )));
    }
    record_end(reader, length).map(|()| item)
}

/// Why a header block gave no record: it ran past [`WARC_HEAD_MAX`] or was cut off.
fn head_cut_off(past_limit: bool) -> String {
    if past_limit {
        format!(
            "the WARC header block runs past {} KiB without ending: not a WARC record",
            WARC_HEAD_MAX / 1024
        )
    } else {
        "the WARC header block is cut off".to_string()
    }
}

/// The record's WARC-Target-URI: `None` when reading it panicked (not UTF-8), `Some(None)`
/// when there is none.
fn target_uri<T: Read>(
    record: &warc::Record<warc::StreamingBody<'_, T>>,
) -> Option<Option<String>> {
    // The warc crate unwraps the header as UTF-8 (found by fuzz/run.sh), and a crawler can
    // write a raw non-UTF-8 address; streaming records offer no other accessor. The raw header
    // was checked before; the guard stays for a header block too long to be seen in the read
    // buffer.
    let uri = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        record.header(WarcHeader::TargetURI).map(|u| u.into_owned())
    }))
    .ok()?;
    // WARC 1.0 writers such as wget wrap the URI in angle brackets.
    Some(uri.map(|u| {
        let u = u.trim();
        u.strip_prefix('<')
            .and_then(|u| u.strip_suffix('>'))
            .unwrap_or(u)
            .to_string()
    }))
}

fn refused(record: usize, reason: &str) -> Item {
    Item::Refused {
        record,
        uri: None,
        reason: reason.into(),
    }
}

/// What a response record with an address holds, by its HTTP payload.
fn page(record: usize, uri: String, id: String, payload: Payload) -> Item {
    match payload {
        Payload::Html(html) => Item::Page(Page {
            record,
            uri,
            id,
            html,
        }),
        Payload::NotPage(kind) => Item::Passed(kind.into()),
        Payload::Refused(reason) => Item::Refused {
            record,
            uri: Some(uri),
            reason,
        },
    }
}

/// The blank lines that end a record of `length` bytes of content.
fn record_end(reader: &mut impl Read, length: u64) -> Result<(), Broken> {
    let mut end = [0u8; 4];
    match reader.read_exact(&mut end) {
        Ok(()) if &end == b"\r\n\r\n" => Ok(()),
        Ok(()) => Err(Broken::Record(format!(
            "wrong Content-Length ({length}): the record does not end there"
        ))),
        Err(e) if e.kind() == io::ErrorKind::UnexpectedEof => Err(Broken::Record(
            "the data ends before the record's end marker".into(),
        )),
        Err(e) => Err(Broken::Data(e)),
    }
}

fn describe(e: &warc::Error) -> String {
    match e {
        warc::Error::ParseHeaders(_) => "unparsable WARC header block".into(),
        warc::Error::MissingHeader(h) => format!("the WARC header {h} is missing"),
        warc::Error::MalformedHeader(h, why) => format!("malformed WARC header {h}: {why}"),
        warc::Error::ReadOverflow | warc::Error::UnexpectedEOB => {
            "the record does not match its Content-Length".into()
        }
        warc::Error::ReadData(e) => format!("cannot read: {e}"),
    }
}

/// `<urn:uuid:…>` record ids become the bare UUID; other forms, which may hold characters that
/// report and sentence ids cannot, become a short hash.
fn page_id(record_id: &str) -> String {
    let bare = record_id
        .trim()
        .trim_start_matches('<')
        .trim_end_matches('>');
    match bare.strip_prefix("urn:uuid:") {
        Some(uuid)
            if !uuid.is_empty() && uuid.chars().all(|c| c.is_ascii_hexdigit() || c == '-') =>
        {
            uuid.to_ascii_lowercase()
        }
        _ => {
            format!(
                "warc-{}",
                &hex::encode(Sha256::digest(bare.as_bytes()))[..12]
            )
        }
    }
}

enum Payload {
    Html(Vec<u8>),
    NotPage(&'static str),
    Refused(String),
}

/// Reads the HTTP response held in a `response` record's body (`length` bytes) and keeps the page,
/// decoded from its transfer and content encodings. Only I/O fails; a response that is not a
/// readable page says why in the [`Payload`].
fn http_payload(body: &mut impl Read, length: u64, max_bytes: u64) -> io::Result<Payload> {
    let mut head = Vec::new();
    (&mut *body).take(HTTP_HEAD_MAX).read_to_end(&mut head)?;
    let mut headers = [httparse::EMPTY_HEADER; 128];
    let mut response = httparse::Response::new(&mut headers);
    let start = match response.parse(&head) {
        Ok(httparse::Status::Complete(n)) => n,
        Ok(httparse::Status::Partial) if head.len() as u64 == HTTP_HEAD_MAX => {
            return Ok(Payload::Refused(format!(
                "HTTP headers longer than {HTTP_HEAD_MAX} bytes"
            )))
        }
        Ok(httparse::Status::Partial) => {
            return Ok(Payload::Refused("the HTTP headers are cut off".into()))
        }
        Err(e) => return Ok(Payload::Refused(format!("unparsable HTTP response: {e}"))),
    };
    if !response.code.is_some_and(|c| (200..300).contains(&c)) {
        return Ok(Payload::NotPage("non-2xx HTTP status"));
    }
    let header = |name: &str| {
        response
            .headers
            .iter()
            .find(|h| h.name.eq_ignore_ascii_case(name))
            .map(|h| String::from_utf8_lossy(h.value).trim().to_ascii_lowercase())
            .unwrap_or_default()
    };
    let content_type = header("content-type");
    let media = content_type.split(';').next().unwrap_or_default().trim();
    let label = crate::extract::charset::of_content_type(&content_type);
    if !is_html(media, &head[start..]) {
        return Ok(Payload::NotPage("non-HTML response"));
    }
    let size = length.saturating_sub(start as u64);
    if size > max_bytes {
        return Ok(Payload::Refused(format!(
            "page too large: {size} bytes, over the {max_bytes} byte limit (raise it with --max-bytes)"
        )));
    }
    let chunked = header("transfer-encoding").contains("chunked");
    let encoding = header("content-encoding");
    let mut payload = head.split_off(start);
    body.read_to_end(&mut payload)?;
    // The page is stored as UTF-8 when only the server said what it was in: the header does
    // not travel with the page.
    Ok(match decode(payload, chunked, &encoding, max_bytes)? {
        Payload::Html(html) => {
            Payload::Html(crate::extract::charset::undeclared_to_utf8(html, label))
        }
        other => other,
    })
}

/// Whether a 2xx response of this media type is a page.
fn is_html(media: &str, body_start: &[u8]) -> bool {
    match media {
        "text/html" | "application/xhtml+xml" => true,
        // Servers leave pages unlabelled or mislabel them; the bytes decide.
        "" | "text/plain" | "application/octet-stream" => {
            sniff::confirm(None, body_start) == Ok(sniff::Format::Html)
        }
        _ => false,
    }
}

/// The page's bytes from the body as sent: chunks joined, then decompressed.
fn decode(payload: Vec<u8>, chunked: bool, encoding: &str, max_bytes: u64) -> io::Result<Payload> {
    let payload = if chunked {
        match dechunk(&payload) {
            Ok(p) => p,
            Err(reason) => return Ok(Payload::Refused(reason)),
        }
    } else {
        payload
    };
    Ok(match encoding {
        "" | "identity" => Payload::Html(payload),
        "gzip" | "x-gzip" => {
            decompress(flate2::read::MultiGzDecoder::new(&payload[..]), max_bytes)?
        }
        "deflate" => decompress(flate2::read::ZlibDecoder::new(&payload[..]), max_bytes)?,
        other => Payload::Refused(format!(
            "the page is compressed with `{other}`, which this tool cannot decode"
        )),
    })
}

/// Decompressed pages are held to the same limit as any page, whatever the compressed size.
fn decompress(decoder: impl Read, max_bytes: u64) -> io::Result<Payload> {
    let mut html = Vec::new();
    if let Err(e) = decoder.take(max_bytes + 1).read_to_end(&mut html) {
        return Ok(Payload::Refused(format!("cannot decompress the page: {e}")));
    }
    if html.len() as u64 > max_bytes {
        return Ok(Payload::Refused(format!(
            "page too large: over the {max_bytes} byte limit once decompressed (raise it with --max-bytes)"
        )));
    }
    Ok(Payload::Html(html))
}

/// Undoes HTTP chunked transfer encoding. Crawlers cut long responses off mid-chunk, so a final
/// partial chunk is kept as it is rather than refused.
fn dechunk(mut data: &[u8]) -> Result<Vec<u8>, String> {
    let mut out = Vec::with_capacity(data.len());
    loop {
        let (used, size) = match httparse::parse_chunk_size(data) {
            Ok(httparse::Status::Complete(c)) => c,
            Ok(httparse::Status::Partial) => return Ok(out),
            Err(e) => return Err(format!("broken chunked HTTP body: {e}")),
        };
        if size == 0 {
            return Ok(out);
        }
        data = &data[used..];
        let size = usize::try_from(size).map_or(data.len(), |s| s.min(data.len()));
        out.extend_from_slice(&data[..size]);
        data = &data[size..];
        match data.strip_prefix(b"\r\n") {
            Some(rest) => data = rest,
            None => return Ok(out),
        }
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use flate2::write::GzEncoder;
    use std::io::Write;

    const PAGE: &str = "<!DOCTYPE html><html><head><title>Ferry service resumes</title></head>\
        <body><article><p>The harbour ferry resumed its morning crossings on Monday after \
        engineers replaced a cracked propeller shaft.</p></article></body></html>";

    pub(crate) fn record(kind: &str, n: u32, uri: &str, body: &[u8]) -> Vec<u8> {
        let mut r = format!(
            "WARC/1.0\r\nWARC-Type: {kind}\r\n\
             WARC-Record-ID: <urn:uuid:0000000{n}-6b1d-4c55-9d1e-7a41c3e2f0aa>\r\n\
             WARC-Date: 2024-05-06T07:08:09Z\r\nWARC-Target-URI: {uri}\r\n\
             Content-Length: {}\r\n\r\n",
            body.len()
        )
        .into_bytes();
        r.extend_from_slice(body);
        r.extend_from_slice(b"\r\n\r\n");
        r
    }

    fn http(status: &str, headers: &str, payload: &[u8]) -> Vec<u8> {
        let mut r = format!(
            "HTTP/1.1 {status}\r\n{headers}Content-Length: {}\r\n\r\n",
            payload.len()
        )
        .into_bytes();
        r.extend_from_slice(payload);
        r
    }

    pub(crate) fn html_response(n: u32, uri: &str) -> Vec<u8> {
        record(
            "response",
            n,
            uri,
            &http(
                "200 OK",
                "Content-Type: text/html; charset=utf-8\r\n",
                PAGE.as_bytes(),
            ),
        )
    }

    fn gzip(data: &[u8]) -> Vec<u8> {
        let mut e = GzEncoder::new(Vec::new(), flate2::Compression::default());
        e.write_all(data).unwrap();
        e.finish().unwrap()
    }

    fn items(bytes: &[u8], max_bytes: u64) -> Vec<Item> {
        Records::open(bytes, max_bytes).unwrap().collect()
    }

    fn pages(items: &[Item]) -> Vec<(&str, usize)> {
        items
            .iter()
            .filter_map(|i| match i {
                Item::Page(p) => Some((p.uri.as_str(), p.record)),
                _ => None,
            })
            .collect()
    }

    fn refused(items: &[Item]) -> Vec<(usize, &str)> {
        items
            .iter()
            .filter_map(|i| match i {
                Item::Refused { record, reason, .. } => Some((*record, reason.as_str())),
                _ => None,
            })
            .collect()
    }

    fn passed(items: &[Item]) -> Vec<&str> {
        items
            .iter()
            .filter_map(|i| match i {
                Item::Passed(kind) => Some(kind.as_str()),
                _ => None,
            })
            .collect()
    }

    #[test]
    fn plain_archive_yields_pages_without_http_headers() {
        let mut warc = record("warcinfo", 1, "", b"software: test-crawler/1.0\r\n");
        warc.extend(record(
            "request",
            2,
            "https://news.example/ferry",
            b"GET /ferry HTTP/1.1\r\nHost: news.example\r\n\r\n",
        ));
        warc.extend(html_response(3, "https://news.example/ferry"));
        warc.extend(record(
            "response",
            4,
            "https://news.example/logo.png",
            &http(
                "200 OK",
                "Content-Type: image/png\r\n",
                b"\x89PNG\r\n\x1a\n\0\0",
            ),
        ));
        warc.extend(record(
            "response",
            5,
            "https://news.example/gone",
            &http(
                "404 Not Found",
                "Content-Type: text/html\r\n",
                b"<html>gone</html>",
            ),
        ));
        warc.extend(record(
            "metadata",
            6,
            "https://news.example/ferry",
            b"fetchTimeMs: 120\r\n",
        ));
        let items = items(&warc, 1 << 20);
        assert_eq!(pages(&items), [("https://news.example/ferry", 3)]);
        assert!(refused(&items).is_empty(), "{items:?}");
        assert_eq!(
            passed(&items),
            [
                "warcinfo",
                "request",
                "non-HTML response",
                "non-2xx HTTP status",
                "metadata"
            ]
        );
        let Some(Item::Page(page)) = items.iter().find(|i| matches!(i, Item::Page(_))) else {
            unreachable!()
        };
        assert_eq!(
            page.html,
            PAGE.as_bytes(),
            "HTTP status line and headers stripped"
        );
        assert_eq!(page.id, "00000003-6b1d-4c55-9d1e-7a41c3e2f0aa");
    }

    #[test]
    fn gzip_member_per_record_survives_a_bad_record_and_a_truncated_end() {
        let mut bad_length = record("response", 2, "https://news.example/bad", b"x");
        // Claims more than the member holds: a wrong Content-Length, not damaged gzip data.
        let at = bad_length
            .windows(17)
            .position(|w| w == b"Content-Length: 1")
            .unwrap();
        bad_length[at + 16] = b'9';
        let mut warc = gzip(&html_response(1, "https://news.example/one"));
        warc.extend(gzip(&bad_length));
        warc.extend(gzip(&html_response(3, "https://news.example/three")));
        let last = gzip(&html_response(4, "https://news.example/four"));
        warc.extend_from_slice(&last[..last.len() / 2]);
        let items = items(&warc, 1 << 20);
        assert_eq!(
            pages(&items),
            [
                ("https://news.example/one", 1),
                ("https://news.example/three", 3)
            ]
        );
        let refused = refused(&items);
        assert_eq!(refused.len(), 2, "{items:?}");
        assert_eq!(refused[0].0, 2);
        assert!(refused[0].1.contains("Content-Length"), "{}", refused[0].1);
        assert_eq!(refused[1].0, 4);
        assert!(refused[1].1.contains("truncated gzip"), "{}", refused[1].1);
    }

    #[test]
    fn one_gzip_member_for_the_whole_file() {
        let mut plain = html_response(1, "https://news.example/one");
        plain.extend(html_response(2, "https://news.example/two"));
        let items = items(&gzip(&plain), 1 << 20);
        assert_eq!(
            pages(&items),
            [
                ("https://news.example/one", 1),
                ("https://news.example/two", 2)
            ]
        );
    }

    #[test]
    fn a_header_block_that_never_ends_is_refused_within_its_limit() {
        // Highly compressible: a small gzipped file that unpacks to far more than the limit.
        let mut endless = b"WARC/1.0\r\nWARC-Type: response\r\n".to_vec();
        for i in 0..200_000 {
            endless.extend_from_slice(format!("X-Pad-{i}: {}\r\n", "a".repeat(40)).as_bytes());
        }
        let mut warc = gzip(&endless);
        warc.extend(gzip(&html_response(2, "https://news.example/after")));
        let items = items(&warc, 1 << 20);
        let refused = refused(&items);
        assert_eq!(refused.len(), 1, "{items:?}");
        assert!(refused[0].1.contains("without ending"), "{}", refused[0].1);
        assert_eq!(pages(&items), [("https://news.example/after", 2)]);
    }

    #[test]
    fn wrong_length_in_a_plain_file_stops_with_a_reason() {
        let mut warc = html_response(1, "https://news.example/one");
        let mut short = html_response(2, "https://news.example/two");
        let cut = short.len() - 40;
        short.truncate(cut);
        short.extend_from_slice(b"\r\n\r\n");
        warc.extend(short);
        warc.extend(html_response(3, "https://news.example/three"));
        let items = items(&warc, 1 << 20);
        assert_eq!(pages(&items), [("https://news.example/one", 1)]);
        let refused = refused(&items);
        assert_eq!(refused.len(), 1, "{items:?}");
        assert_eq!(refused[0].0, 2);
        assert!(
            refused[0].1.contains("wrong Content-Length") && refused[0].1.contains("stopped"),
            "{}",
            refused[0].1
        );
    }

    #[test]
    fn over_limit_pages_and_bad_http_are_refused_and_reading_goes_on() {
        let big = format!(
            "<html><body>{}</body></html>",
            "<p>Long page.</p>".repeat(200)
        );
        let mut warc = record(
            "response",
            1,
            "https://news.example/big",
            &http("200 OK", "Content-Type: text/html\r\n", big.as_bytes()),
        );
        warc.extend(record(
            "response",
            2,
            "https://news.example/junk",
            b"not an HTTP response at all\r\n\r\n",
        ));
        warc.extend(html_response(3, "https://news.example/ok"));
        let items = items(&warc, 1000);
        assert_eq!(pages(&items), [("https://news.example/ok", 3)]);
        let refused = refused(&items);
        assert_eq!(refused[0].0, 1);
        assert!(
            refused[0].1.contains("over the 1000 byte limit"),
            "{}",
            refused[0].1
        );
        assert_eq!(refused[1].0, 2);
        assert!(
            refused[1].1.contains("unparsable HTTP response"),
            "{}",
            refused[1].1
        );
    }

    #[test]
    fn chunked_and_gzip_encoded_pages_are_decoded() {
        let encoded = gzip(PAGE.as_bytes());
        let (a, b) = encoded.split_at(10);
        let mut chunked = format!("{:x}\r\n", a.len()).into_bytes();
        chunked.extend_from_slice(a);
        chunked.extend(format!("\r\n{:x}\r\n", b.len()).into_bytes());
        chunked.extend_from_slice(b);
        chunked.extend_from_slice(b"\r\n0\r\n\r\n");
        let mut response = b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n\
            Transfer-Encoding: chunked\r\nContent-Encoding: gzip\r\n\r\n"
            .to_vec();
        response.extend(chunked);
        let warc = record("response", 1, "https://news.example/z", &response);
        match &items(&warc, 1 << 20)[..] {
            [Item::Page(p)] => assert_eq!(p.html, PAGE.as_bytes()),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn a_target_uri_that_is_not_utf8_is_refused_and_reading_goes_on() {
        let mut warc = record(
            "response",
            1,
            "https://news.example/caf\u{e9}",
            &http("200 OK", "", PAGE.as_bytes()),
        );
        // The address as a latin-1 crawler writes it: one raw byte for the é.
        let at = warc.windows(2).position(|w| w == "é".as_bytes()).unwrap();
        warc.splice(at..at + 2, [0xe9]);
        warc.extend(html_response(2, "https://news.example/ferry"));
        let got = items(&warc, 1 << 20);
        assert_eq!(
            refused(&got),
            [(1, "the WARC-Target-URI is not valid UTF-8")]
        );
        assert_eq!(pages(&got), [("https://news.example/ferry", 2)]);
    }

    #[test]
    fn bracketed_target_uri_as_wget_writes_it() {
        let warc = html_response(1, "<https://news.example/ferry>");
        assert_eq!(
            pages(&items(&warc, 1 << 20)),
            [("https://news.example/ferry", 1)]
        );
    }

    #[test]
    fn unlabelled_pages_are_sniffed() {
        let warc = record(
            "response",
            1,
            "https://news.example/bare",
            &http("200 OK", "", PAGE.as_bytes()),
        );
        assert_eq!(pages(&items(&warc, 1 << 20)).len(), 1);
    }

    #[test]
    fn other_content_is_not_a_warc() {
        assert!(Records::open(&b"<html></html>"[..], 100).is_err());
        assert!(Records::open(&gzip(b"plain text")[..], 100).is_err());
        assert!(Records::open(&b""[..], 100).is_err());
    }

    #[test]
    fn page_ids_are_stable_and_safe() {
        assert_eq!(
            page_id("<urn:uuid:0A1B2C3D-0000-4000-8000-000000000000>"),
            "0a1b2c3d-0000-4000-8000-000000000000"
        );
        let other = page_id("<urn:test:record:7>");
        assert_eq!(other, page_id("<urn:test:record:7>"));
        assert!(
            other.starts_with("warc-") && !other.contains(':'),
            "{other}"
        );
    }

    /// Cut anywhere, an archive gives the pages before the cut and one named refusal, and no
    /// panic or endless loop.
    #[test]
    fn cut_anywhere() {
        let uris = [
            "https://news.example/a",
            "https://news.example/b",
            "https://news.example/c",
        ];
        let records: Vec<Vec<u8>> = (0..3)
            .map(|i| html_response(i + 1, uris[i as usize]))
            .collect();
        let plain = records.concat();
        let gzipped: Vec<u8> = records.iter().flat_map(|r| gzip(r)).collect();
        for (whole, boundaries) in [
            (&plain, ends(records.iter().map(Vec::len))),
            (&gzipped, ends(records.iter().map(|r| gzip(r).len()))),
        ] {
            for cut in 8..whole.len() {
                let Ok(records) = Records::open(&whole[..cut], 1 << 20) else {
                    continue;
                };
                let items: Vec<Item> = records.collect();
                let read = pages(&items);
                let complete = boundaries.iter().filter(|&&end| end <= cut).count();
                let got: Vec<&str> = read.iter().map(|(u, _)| *u).collect();
                // Deflate data can hold a record whole before its member ends, so a cut in a
                // member's tail may still give its page; a plain file's page needs its end marker.
                let whole_record = std::ptr::eq(whole, &gzipped) && got.len() == complete + 1;
                assert!(
                    got.len() == complete || whole_record,
                    "cut at {cut} of {boundaries:?}: {items:?}"
                );
                assert_eq!(got, uris[..got.len()], "cut at {cut}");
                for item in &items {
                    if let Item::Page(page) = item {
                        assert_eq!(page.html, PAGE.as_bytes(), "never part of a page");
                    }
                }
                // The one refusal names the record the cut fell in.
                let numbers: Vec<usize> = refused(&items).iter().map(|r| r.0).collect();
                if boundaries.contains(&cut) {
                    assert!(numbers.is_empty(), "cut at {cut}: {items:?}");
                } else {
                    assert_eq!(numbers, [complete + 1], "cut at {cut}: {items:?}");
                }
            }
        }
    }

    fn ends(lengths: impl Iterator<Item = usize>) -> Vec<usize> {
        lengths
            .scan(0, |end, len| {
                *end += len;
                Some(*end)
            })
            .collect()
    }
}
