//! Title repeat: the page's headline repeated as the report's first paragraph (the page's
//! `<h1>` above the text). The report already carries its title, so the copy is not report
//! text. A feed item that is only its headline keeps it, though: its text is that headline,
//! not a page with nothing left after cleaning.

use super::Cleaned;

/// The rule name recorded for a dropped headline.
pub(super) const RULE: &str = "title-repeat";

/// Lower-case letters and digits only, for comparing a paragraph with the title.
pub(super) fn comparable(text: &str) -> String {
    text.chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect()
}

/// Whether `paragraph` repeats `title` (already [`comparable`]).
pub(super) fn repeats(paragraph: &str, title: Option<&str>) -> bool {
    title.is_some_and(|t| t == comparable(paragraph))
}

/// A report left with no paragraph but its dropped headline gets the headline back.
pub(super) fn keep_headline_only(out: &mut Cleaned) {
    if !out.paragraphs.is_empty() {
        return;
    }
    if let Some(at) = out.removed.iter().position(|r| r.rule == RULE) {
        let headline = out.removed.remove(at);
        out.paragraphs.push(headline.text);
    }
}

#[cfg(test)]
mod tests {
    use crate::clean::clean;

    #[test]
    fn a_headline_only_report_keeps_its_headline() {
        let headline = "UPDATE 2-McDonald's US sales continue to struggle in February";
        let c = clean(&[headline.to_string()], Some(headline));
        assert_eq!(c.paragraphs, [headline]);
        assert!(c.removed.is_empty(), "{:?}", c.removed);
        // With a body, the headline repeated above it is still dropped.
        let body = "Sales at restaurants open at least 13 months fell 1.4 percent in February.";
        let c = clean(&[headline.to_string(), body.to_string()], Some(headline));
        assert_eq!(c.paragraphs, [body]);
    }

    #[test]
    fn only_the_first_paragraph_can_repeat_the_title() {
        let title = "Ferry runs aground off Orkney";
        let body = "The ferry ran aground at dawn on Tuesday, the harbour authority said.";
        // Case and punctuation aside, the same words.
        let c = clean(
            &[
                "FERRY RUNS AGROUND OFF ORKNEY".to_string(),
                body.to_string(),
                "Ferry runs aground off Orkney".to_string(),
            ],
            Some(title),
        );
        assert_eq!(c.paragraphs, [body, title]);
        assert_eq!(c.removed.len(), 1);
        assert_eq!(c.removed[0].rule, "title-repeat");
    }
}
