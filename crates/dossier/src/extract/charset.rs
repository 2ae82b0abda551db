//! The character set of a web page, when the page itself does not say.
//!
//! The extractor reads a page's own declaration (a byte order mark, or `<meta charset>` in the
//! first 1024 bytes) and otherwise assumes UTF-8. Two things can do better: the charset of the
//! HTTP `Content-Type` header the page was served with (a web archive keeps it), and, when
//! nothing declares one, the bytes themselves: text that is not UTF-8 is read as windows-1252,
//! the legacy default of the web for unlabelled pages, rather than turned into replacement
//! characters.

use encoding_rs::{Encoding, UTF_8, WINDOWS_1252};

/// How far into a page a declaration counts (the extractor looks no further).
const PRESCAN: usize = 1024;

/// Whether the page declares its charset in a way the extractor will honour.
pub fn declared(html: &[u8]) -> bool {
    Encoding::for_bom(html).is_some() || meta_charset(&html[..html.len().min(PRESCAN)]).is_some()
}

/// The page as UTF-8 when it declares no charset of its own: decoded with `label` (the HTTP
/// header's charset) when that names one, else as windows-1252 when the bytes are not UTF-8.
/// A page that declares its charset is returned as it is, for the extractor to decode.
pub fn undeclared_to_utf8(html: Vec<u8>, label: Option<&str>) -> Vec<u8> {
    if declared(&html) {
        return html;
    }
    let encoding = match label.and_then(|l| Encoding::for_label(l.trim().as_bytes())) {
        Some(e) => e,
        None if std::str::from_utf8(&html).is_ok() => return html,
        None => WINDOWS_1252,
    };
    if encoding == UTF_8 {
        return html;
    }
    let (text, _, _) = encoding.decode(&html);
    text.into_owned().into_bytes()
}

/// The charset parameter of a `Content-Type` value (`text/html; charset="iso-8859-1"`).
pub fn of_content_type(value: &str) -> Option<&str> {
    value.split(';').skip(1).find_map(|param| {
        let (name, value) = param.split_once('=')?;
        name.trim()
            .eq_ignore_ascii_case("charset")
            .then(|| value.trim().trim_matches(['"', '\'']))
            .filter(|v| !v.is_empty())
    })
}

/// The encoding a `<meta>` tag declares (`<meta charset=…>` or `<meta http-equiv content="…;
/// charset=…">`), when it is one encoding_rs knows.
fn meta_charset(head: &[u8]) -> Option<&'static Encoding> {
    let lower = head.to_ascii_lowercase();
    let mut rest = lower.as_slice();
    while let Some(start) = find(rest, b"<meta") {
        let tag = &rest[start..];
        let end = tag.iter().position(|&b| b == b'>').unwrap_or(tag.len());
        let attrs = &tag[..end];
        if let Some(at) = find(attrs, b"charset") {
            let value = attrs[at + 7..]
                .iter()
                .skip_while(|b| b.is_ascii_whitespace())
                .copied()
                .collect::<Vec<u8>>();
            if let Some(value) = value.strip_prefix(b"=") {
                let label: Vec<u8> = value
                    .iter()
                    .skip_while(|b| b.is_ascii_whitespace() || matches!(b, b'"' | b'\''))
                    .take_while(|b| {
                        !(b.is_ascii_whitespace() || matches!(b, b'"' | b'\'' | b';' | b'/'))
                    })
                    .copied()
                    .collect();
                if let Some(e) = Encoding::for_label(&label) {
                    return Some(e);
                }
            }
        }
        rest = &tag[end..];
    }
    None
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// "Café Müller – São Paulo" and curly quotes, as a windows-1252 server sends them.
    const CP1252_TEXT: &[u8] = b"Caf\xe9 M\xfcller \x96 S\xe3o Paulo \x93quoted\x94";

    #[test]
    fn the_header_charset_decodes_a_page_that_declares_none() {
        let page = [
            b"<html><head><title>x</title></head><body><p>".as_slice(),
            CP1252_TEXT,
        ]
        .concat();
        let utf8 = undeclared_to_utf8(page, Some("windows-1252"));
        assert_eq!(
            String::from_utf8(utf8).unwrap(),
            "<html><head><title>x</title></head><body><p>Café Müller – São Paulo “quoted”"
        );
        let sjis = undeclared_to_utf8(b"<p>\x93\x8c\x8b\x9e</p>".to_vec(), Some("Shift_JIS"));
        assert_eq!(String::from_utf8(sjis).unwrap(), "<p>東京</p>");
    }

    #[test]
    fn the_page_declaration_wins_and_unlabelled_bytes_fall_back_to_windows_1252() {
        let declared = [
            b"<meta http-equiv=\"Content-Type\" content=\"text/html; charset=iso-8859-1\">"
                .as_slice(),
            CP1252_TEXT,
        ]
        .concat();
        assert_eq!(
            undeclared_to_utf8(declared.clone(), Some("utf-8")),
            declared
        );
        let meta = b"<META CHARSET='koi8-r'><p>\xf0\xd2\xc9\xd7\xc5\xd4</p>".to_vec();
        assert_eq!(undeclared_to_utf8(meta.clone(), Some("windows-1252")), meta);
        let bare = undeclared_to_utf8(CP1252_TEXT.to_vec(), None);
        assert!(String::from_utf8(bare).unwrap().starts_with("Café Müller"));
        let utf8 = "Café".as_bytes().to_vec();
        assert_eq!(undeclared_to_utf8(utf8.clone(), None), utf8);
    }

    #[test]
    fn charset_parameter_of_a_content_type() {
        assert_eq!(
            of_content_type("text/html; charset=ISO-8859-1"),
            Some("ISO-8859-1")
        );
        assert_eq!(
            of_content_type("text/html;Charset=\"shift_jis\""),
            Some("shift_jis")
        );
        assert_eq!(of_content_type("text/html"), None);
        assert_eq!(of_content_type("text/html; charset="), None);
    }
}
