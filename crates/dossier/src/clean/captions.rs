//! Captions: a photo caption or credit line that the extractor took in with the article. It
//! describes a picture the dossier does not show, and a credit names the photographer, not a
//! source of the report. A line that opens with a credit label ("Photo: …", "Image copyright
//! …", "FILE PHOTO: …") is one, and so is a short paragraph that ends with a photo credit in
//! brackets ("… on Monday. (AP Photo/Jane Doe)"), which is how captions end and body
//! paragraphs never do. The summariser uses the same test on single sentences.

use regex::bytes::Regex as BytesRegex;
use std::sync::LazyLock;

/// The rule name recorded for a removed caption.
pub(super) const RULE: &str = "caption";

/// A credit label or a closing bracketed credit, matched against lower-cased text (a byte
/// pattern: see [`super`]).
static CAPTION: LazyLock<BytesRegex> = LazyLock::new(|| {
    BytesRegex::new(
        r"(?x-u)
          ^(?:file\ photo\s*:
            | (?:photo|photograph|image|picture|video|graphic|illustration)s?
              (?:\ (?:credit|copyright|caption|courtesy)\b|\s*(?::|\bby\b)))
        | \((?:[a-z.]+\ )?(?:photo|photograph|image|picture|file\ photo)s?\b
              (?:\ by|\ credit|\ courtesy(?:\ of)?)?\s*[:/]?[^()]{0,80}\)\s*$",
    )
    .expect("valid regex")
});

/// Every caption names its picture with one of these ("photograph" and "file photo"
/// included): other text is left alone without compiling the pattern.
pub(crate) const PICTURES: [&str; 6] = [
    "photo",
    "image",
    "picture",
    "video",
    "graphic",
    "illustration",
];

/// Whether a paragraph (or a sentence) is a caption or a credit line.
pub(crate) fn is_caption(paragraph: &str) -> bool {
    if crate::text::has_words(paragraph, 61) {
        return false;
    }
    let folded = paragraph.to_ascii_lowercase();
    PICTURES.iter().any(|p| folded.contains(p)) && CAPTION.is_match(folded.as_bytes())
}

#[cfg(test)]
mod tests {
    use crate::clean::run;

    #[test]
    fn captions_and_photo_credits_are_removed_as_captions() {
        let c = run(&[
            "The ferry ran aground at dawn on Tuesday, the harbour authority said.",
            "Passengers wait on the pier after the ferry ran aground. (AP Photo/Lena Fischer)",
            "Photo: Tomas Reyes/Harbour Daily",
            "FILE PHOTO: The ferry Northern Star leaves port in 2019.",
            "Image copyright Getty Images",
            "Divers inspected the hull (the photo shows a long gash) before noon.",
            "Rescuers said the photo they released was taken by a passenger.",
        ]);
        assert_eq!(
            c.paragraphs,
            [
                "The ferry ran aground at dawn on Tuesday, the harbour authority said.",
                "Divers inspected the hull (the photo shows a long gash) before noon.",
                "Rescuers said the photo they released was taken by a passenger.",
            ]
        );
        assert_eq!(
            c.removed.iter().filter(|r| r.rule == "caption").count(),
            4,
            "{:?}",
            c.removed
        );
    }
}
