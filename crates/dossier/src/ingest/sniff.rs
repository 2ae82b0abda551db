//! Format detection: the extension proposes a format, the bytes confirm or correct it.

use std::path::Path;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Text,
    Html,
    JsonLines,
}

impl Format {
    pub fn from_path(path: &Path) -> Option<Format> {
        let ext = path.extension()?.to_str()?.to_ascii_lowercase();
        match ext.as_str() {
            "txt" | "text" => Some(Format::Text),
            "html" | "htm" | "xhtml" => Some(Format::Html),
            "jsonl" | "ndjson" => Some(Format::JsonLines),
            _ => None,
        }
    }
}

/// `.warc` and `.warc.gz` name web archives, which are read record by record rather than whole.
pub fn is_warc_name(path: &Path) -> bool {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().to_ascii_lowercase())
        .unwrap_or_default();
    name.ends_with(".warc") || name.ends_with(".warc.gz")
}

/// Rejects payloads that cannot be a report whatever their extension says.
pub fn check_payload(bytes: &[u8]) -> Result<(), String> {
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Err("empty file".to_string());
    }
    if let Some(kind) = known_binary(bytes) {
        return Err(format!("binary data ({kind}), not a text report"));
    }
    let head = &bytes[..bytes.len().min(8192)];
    let controls = head
        .iter()
        .filter(|b| b.is_ascii_control() && !matches!(b, b'\n' | b'\r' | b'\t' | 0x0c))
        .count();
    // Text in any ASCII-compatible charset has almost no C0 controls; a NUL or a few percent of
    // them means binary data (or UTF-16, which no news pipeline emits).
    if head.contains(&0) || controls * 100 > head.len() * 2 {
        return Err("binary data, not a text report".to_string());
    }
    Ok(())
}

fn known_binary(bytes: &[u8]) -> Option<&'static str> {
    const MAGIC: &[(&[u8], &str)] = &[
        (b"\x1f\x8b", "gzip"),
        (b"PK\x03\x04", "zip"),
        (b"%PDF", "PDF"),
        (b"\x89PNG", "PNG"),
        (b"\xff\xd8\xff", "JPEG"),
        (b"GIF8", "GIF"),
        (b"\x7fELF", "executable"),
    ];
    MAGIC
        .iter()
        .find(|(magic, _)| bytes.starts_with(magic))
        .map(|(_, kind)| *kind)
}

/// Confirms the proposed format from the content. A `.txt` that is really an HTML page is read
/// as HTML; a file with no known extension is classified by its first bytes.
pub fn confirm(proposed: Option<Format>, bytes: &[u8]) -> Result<Format, String> {
    let start = bytes
        .iter()
        .position(|b| !b.is_ascii_whitespace())
        .map_or(&bytes[..0], |i| &bytes[i..]);
    let lower: Vec<u8> = start.iter().take(512).map(u8::to_ascii_lowercase).collect();
    let looks_html = lower.starts_with(b"<!doctype html")
        || lower.starts_with(b"<html")
        || (lower.starts_with(b"<") && contains(&lower, b"<head"))
        || (start.starts_with(b"\xef\xbb\xbf<"));
    match proposed {
        Some(Format::JsonLines) if !start.starts_with(b"{") => {
            Err("not JSON Lines: the first line is not a JSON object".to_string())
        }
        Some(Format::Text) if looks_html => Ok(Format::Html),
        Some(f) => Ok(f),
        None if looks_html => Ok(Format::Html),
        None if start.starts_with(b"{") => Ok(Format::JsonLines),
        None => Ok(Format::Text),
    }
}

fn contains(hay: &[u8], needle: &[u8]) -> bool {
    hay.windows(needle.len()).any(|w| w == needle)
}

/// Decodes a plain-text report, which must be UTF-8 (with or without a byte-order mark).
pub fn decode_utf8(bytes: Vec<u8>) -> Result<String, String> {
    let bytes = match bytes.strip_prefix(b"\xef\xbb\xbf") {
        Some(rest) => rest.to_vec(),
        None => bytes,
    };
    String::from_utf8(bytes).map_err(|e| {
        format!(
            "not valid UTF-8 (first bad byte at offset {}); convert it to UTF-8 first",
            e.utf8_error().valid_up_to()
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn binary_and_empty_are_rejected() {
        assert!(check_payload(b"  \n\t").unwrap_err().contains("empty"));
        assert!(check_payload(b"\x1f\x8b\x08\x00")
            .unwrap_err()
            .contains("gzip"));
        assert!(check_payload(b"abc\x00def").unwrap_err().contains("binary"));
        assert!(check_payload("Baghdad: troops".as_bytes()).is_ok());
    }

    #[test]
    fn content_corrects_the_extension() {
        let page = b"<!DOCTYPE html><html><body>x</body></html>";
        assert_eq!(confirm(Some(Format::Text), page), Ok(Format::Html));
        assert_eq!(confirm(None, b"{\"text\":\"x\"}\n"), Ok(Format::JsonLines));
        assert_eq!(confirm(None, b"Plain words."), Ok(Format::Text));
        assert!(confirm(Some(Format::JsonLines), b"not json").is_err());
    }

    #[test]
    fn warc_names() {
        assert!(is_warc_name(Path::new("crawl/CC-MAIN-0001.warc.gz")));
        assert!(is_warc_name(Path::new("site.WARC")));
        assert!(!is_warc_name(Path::new("notes.gz")));
        assert!(!is_warc_name(Path::new("warc.txt")));
    }

    #[test]
    fn invalid_utf8_names_the_offset() {
        let err = decode_utf8(b"abc\xffdef".to_vec()).unwrap_err();
        assert!(err.contains("offset 3"), "{err}");
    }
}
