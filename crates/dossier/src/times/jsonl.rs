//! `dossier times` documents: one JSON object per line in, its time expressions out.

use super::{normalise_published, published_day, tag};
use serde::{Deserialize, Serialize};

#[derive(Deserialize)]
struct Document {
    doc_id: serde_json::Value,
    text: String,
    published: Option<String>,
}

#[derive(Serialize)]
struct Tagged<'a> {
    doc_id: &'a serde_json::Value,
    timex: Vec<Span<'a>>,
}

#[derive(Serialize)]
struct Span<'a> {
    /// Offsets in characters (Unicode code points), as Python counts them.
    start: usize,
    end: usize,
    #[serde(rename = "type")]
    kind: &'static str,
    value: &'a str,
}

/// What a line gives: its output line, and a warning when its `published` could not be read
/// (the document is then tagged without a date). The error is the reason the line is no
/// document.
pub fn tag_line(line: &str) -> Result<(String, Option<String>), String> {
    let doc: Document = serde_json::from_str(line).map_err(|e| format!("invalid JSON: {e}"))?;
    if !(doc.doc_id.is_string() || doc.doc_id.is_number()) {
        return Err("`doc_id` must be a string or a number".into());
    }
    let published = doc.published.as_deref().filter(|p| !p.trim().is_empty());
    let normalised = published.and_then(normalise_published);
    let warning = match (published, &normalised) {
        (Some(given), None) => Some(format!(
            "`published` is not a date this tool reads ({given:?}); tagged without a date"
        )),
        _ => None,
    };
    let found = tag(&doc.text, normalised.as_deref().and_then(published_day));
    let mut chars = CharCounter::new(&doc.text);
    let timex = found
        .iter()
        .map(|t| Span {
            start: chars.at(t.start),
            end: chars.at(t.end),
            kind: t.kind.as_str(),
            value: &t.value,
        })
        .collect();
    let out = Tagged {
        doc_id: &doc.doc_id,
        timex,
    };
    let line = serde_json::to_string(&out).map_err(|e| format!("cannot write: {e}"))?;
    Ok((line, warning))
}

/// Byte offsets to character offsets, counting on from the last offset asked for (the
/// expressions come in text order).
struct CharCounter<'t> {
    text: &'t str,
    byte: usize,
    char: usize,
}

impl<'t> CharCounter<'t> {
    fn new(text: &'t str) -> Self {
        CharCounter {
            text,
            byte: 0,
            char: 0,
        }
    }

    fn at(&mut self, byte: usize) -> usize {
        if byte < self.byte {
            (self.byte, self.char) = (0, 0);
        }
        self.char += self.text[self.byte..byte].chars().count();
        self.byte = byte;
        self.char
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn offsets_are_characters_and_values_resolve_against_published() {
        let line = r#"{"doc_id": "d1", "text": "Café owners met Friday. They will meet again next week.", "published": "October 27, 1998"}"#;
        let (out, warning) = tag_line(line).unwrap();
        assert_eq!(warning, None);
        let v: serde_json::Value = serde_json::from_str(&out).unwrap();
        assert_eq!(v["doc_id"], "d1");
        let timex = v["timex"].as_array().unwrap();
        assert_eq!(timex.len(), 2, "{out}");
        // "Friday" starts at character 16 (byte 17: "é" is two bytes).
        assert_eq!(
            (timex[0]["start"].as_u64(), timex[0]["end"].as_u64()),
            (Some(16), Some(22))
        );
        assert_eq!(timex[0]["value"], "1998-10-23");
        assert_eq!(timex[1]["type"], "DATE");
        assert_eq!(timex[1]["value"], "1998-W45");
    }

    #[test]
    fn bad_lines_say_why() {
        assert!(tag_line("{\"doc_id\": 1}").unwrap_err().contains("text"));
        assert!(tag_line("not json")
            .unwrap_err()
            .starts_with("invalid JSON"));
        let (_, warning) =
            tag_line(r#"{"doc_id": 2, "text": "Friday.", "published": "someday"}"#).unwrap();
        assert!(warning.unwrap().contains("someday"));
    }
}
