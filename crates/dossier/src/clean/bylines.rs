//! Bylines: a credit line on its own ("By JERUSALEM POST STAFF", "By Jane Doe and John
//! Roe"). It names who wrote the report, which the page's metadata gives as the byline; as a
//! paragraph it is not report text, and the summariser uses the same test on single
//! sentences. A byline after a short line also marks that line as a link to another story
//! (see [`super::link_lists`]).

/// The rule name recorded for a removed byline.
pub(super) const RULE: &str = "byline";

/// Whether a paragraph (or a sentence) is only a credit: "By" and up to eight capitalised
/// words (or "and", "&", "of", "in"), with no sentence end.
pub(crate) fn is_byline(paragraph: &str) -> bool {
    let Some(rest) = paragraph.strip_prefix("By ") else {
        return false;
    };
    let words: Vec<&str> = rest.split_whitespace().collect();
    !words.is_empty()
        && words.len() <= 8
        && !paragraph.ends_with(['.', '!', '?'])
        && words.iter().all(|w| {
            w.chars().next().is_some_and(|c| c.is_uppercase())
                || matches!(*w, "and" | "&" | "of" | "in")
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn credit_lines_are_bylines_sentences_opening_with_by_are_not() {
        for line in [
            "By JERUSALEM POST STAFF",
            "By Jane Doe and John Roe",
            "By Maria Lopez, Associated Press",
            "By Staff of The Daily Courier in Lagos",
        ] {
            assert!(is_byline(line), "{line:?} is a byline");
        }
        for prose in [
            "By noon the river had risen two metres.",
            "By Tuesday, officials said, the roads would reopen",
            "By the time police arrived, the crowd had gone",
            "Written By Jane Doe",
        ] {
            assert!(!is_byline(prose), "{prose:?} is prose");
        }
    }
}
