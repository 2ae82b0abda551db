//! Whether a sentence can stand in a summary: prose, not a table row, list item, caption or
//! credit line that segmentation made a "sentence"; and what it leans on that the summary must
//! give first (a pronoun subject, or a surname whose full name the reader has not met).

use crate::text::is_stopword;

/// Prose a reader can take as a statement. Cleaning drops captions and bylines that stand as
/// paragraphs; these are the ones glued into a paragraph, and the tables and lists that read as
/// one long "sentence" of names and figures (a standings table, a list of results).
pub(super) fn is_prose(sentence: &str) -> bool {
    !(opens_list_item(sentence)
        || is_table_row(sentence)
        || is_caption(sentence)
        || crate::clean::is_byline(sentence)
        || is_credit(sentence))
}

fn is_caption(sentence: &str) -> bool {
    may_be_caption(sentence) && crate::clean::is_caption(sentence)
}

/// Every caption cleaning knows opens with a picture word ("Photo: …") or holds a credit in
/// brackets: other sentences skip its lower-casing and pattern.
fn may_be_caption(sentence: &str) -> bool {
    sentence.contains('(')
        || sentence.split_whitespace().next().is_some_and(|first| {
            let first = first.to_ascii_lowercase();
            first.starts_with("file") || crate::clean::PICTURES.iter().any(|p| first.starts_with(p))
        })
}

/// "- item", "• item", "3. item", "b) item": a list entry, not a sentence of the story.
fn opens_list_item(sentence: &str) -> bool {
    let first = sentence.split_whitespace().next().unwrap_or("");
    let marker = first.trim_end_matches(['.', ')']);
    first.starts_with(['-', '*', '•', '·', '▪', '►', '–', '—'])
        || first.len() > marker.len()
            && (marker.len() <= 2 && marker.bytes().all(|b| b.is_ascii_digit())
                || marker.len() == 1 && first.ends_with(')'))
}

/// A row of names and figures: a third of its words are numbers, or a long run of words
/// without the function words every sentence of English prose carries.
fn is_table_row(sentence: &str) -> bool {
    if sentence.contains(['|', '\t']) {
        return true;
    }
    let words: Vec<&str> = sentence.split_whitespace().collect();
    let numbers = words
        .iter()
        .filter(|w| w.starts_with(|c: char| c.is_ascii_digit() || c == '$' || c == '-'))
        .filter(|w| w.chars().any(|c| c.is_ascii_digit()))
        .count();
    numbers >= 4 && numbers * 3 >= words.len() || words.len() >= 10 && few_function_words(&words)
}

/// Fewer than one word in ten a function word. Prose meets one within a few words, so the count
/// stops as soon as it has enough.
fn few_function_words(words: &[&str]) -> bool {
    let enough = words.len().div_ceil(10);
    words
        .iter()
        .filter(|w| is_stopword(&core(w).to_lowercase()))
        .take(enough)
        .count()
        < enough
}

/// A credit or contact line inside a paragraph: who wrote or edited the report, not news.
fn is_credit(sentence: &str) -> bool {
    has_address(sentence) || names_a_writer(sentence)
}

/// An e-mail or web address: contact lines and links, never a statement of the story.
fn has_address(sentence: &str) -> bool {
    (sentence.contains('@') || sentence.contains("http"))
        && sentence.split_whitespace().any(|w| {
            w.contains('@') && w.contains('.') && !w.starts_with('@') || w.starts_with("http")
        })
}

fn names_a_writer(sentence: &str) -> bool {
    // Each credit below holds one of these as written in news copy: most sentences hold none
    // and are not lower-cased.
    if !["by ", "riter", "RITER", "ontributed", "reached at"]
        .iter()
        .any(|m| sentence.contains(m))
    {
        return false;
    }
    let lower = sentence.to_lowercase();
    [
        "contributed to this report",
        "reporting by ",
        "editing by ",
        "writing by ",
        "staff writer",
        "press writer",
        "can be reached at",
    ]
    .iter()
    .any(|p| lower.contains(p))
}

/// What a sentence needs the summary to have said before it.
#[derive(Debug, Clone, PartialEq)]
pub(super) enum Leans {
    Nothing,
    /// Its subject is a pronoun: it follows the sentence before it in its report.
    OnPrevious,
    /// Its subject is a bare surname ("Bublik said …"): a summary sentence must name the
    /// person in full first.
    OnName(String),
}

/// Pronouns that stand for someone or something named before ("It" is left out: "It is
/// raining", "it was not clear whether …" need nothing).
const PRONOUNS: &[&str] = &[
    "he", "she", "they", "his", "her", "their", "him", "them", "its",
];

/// Courtesy titles before a surname ("Mr. Bublik" is as bare as "Bublik").
const TITLES: &[&str] = &["Mr", "Mrs", "Ms", "Dr", "Miss"];

/// What `sentence` leans on. Its subject is its first word, or the first after an opening
/// phrase closed by a comma. `surnames` are the story's words met after a first name.
pub(super) fn leans_on(sentence: &str, surnames: &dyn Fn(&str) -> bool) -> Leans {
    let tokens: Vec<&str> = sentence.split_whitespace().collect();
    for start in subject_starts(&tokens) {
        let mut at = start;
        if tokens.get(at).is_some_and(|t| TITLES.contains(&core(t))) {
            at += 1;
        }
        let Some(word) = tokens.get(at).map(|t| core(t)) else {
            continue;
        };
        if PRONOUNS.contains(&word.to_lowercase().as_str()) && at == start {
            return Leans::OnPrevious;
        }
        let followed = tokens.get(at + 1).is_some_and(|t| is_name(core(t)));
        let alone = !tokens[at].ends_with(['.', ',']) || tokens.get(at + 1).is_none();
        if !followed && alone && surnames(word) {
            return Leans::OnName(word.to_string());
        }
    }
    Leans::Nothing
}

/// Where a subject may start: the first word, and the word after an opening phrase's comma
/// (within eight words; a quotation's words are the speaker's, not the subject).
fn subject_starts(tokens: &[&str]) -> Vec<usize> {
    let mut out = vec![0];
    if let Some(comma) = tokens.iter().take(8).position(|t| t.ends_with(',')) {
        if !tokens[..=comma].iter().any(|t| t.contains(['"', '“', '”'])) {
            out.push(comma + 1);
        }
    }
    out
}

/// The surnames a sentence introduces: capitalised words after a first name ("Alexander
/// Bublik", "Prime Minister Hun Sen"), so that later sentences may use them alone.
pub(super) fn full_names(sentence: &str) -> impl Iterator<Item = &str> {
    // Run over every sentence of a story: one pass over its words, nothing collected (names
    // are split by ASCII spaces; Unicode whitespace inside a name is rare and costs a split
    // twice as slow).
    let mut tokens = sentence.split_ascii_whitespace();
    let mut previous = tokens.next();
    tokens.filter_map(move |last| {
        let first = previous.replace(last)?;
        let named = capitalised(last)
            && capitalised(first)
            && !first.ends_with([',', '.', ';'])
            && is_first_name(core(first))
            && is_name(core(last));
        named.then(|| core(last))
    })
}

/// A capitalised word with lower-case letters after it, not a function word ("John", not
/// "U.S.", "The" or "In").
fn is_first_name(word: &str) -> bool {
    word.len() > 1
        && word.starts_with(char::is_uppercase)
        && word.chars().skip(1).all(char::is_lowercase)
        && !TITLES.contains(&word)
        && !is_stopword(&word.to_lowercase())
}

/// A cheap first test, before a token is trimmed and looked up.
fn capitalised(token: &str) -> bool {
    token
        .trim_start_matches(|c: char| !c.is_alphanumeric())
        .starts_with(char::is_uppercase)
}

fn is_name(word: &str) -> bool {
    word.starts_with(char::is_uppercase) && !is_stopword(&word.to_lowercase())
}

fn core(token: &str) -> &str {
    token.trim_matches(|c: char| !c.is_alphanumeric())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tables_lists_captions_and_credits_are_not_prose() {
        for not in [
            "1. Jeff Gordon 4,828 2. Mark Martin 4,464 3. Dale Jarrett 4,311 4. Rusty Wallace 4,207",
            "Gordon Chevrolet 325 laps Martin Ford 325 laps Jarrett Ford 324 laps Wallace Ford 323",
            "- Free shipping on all orders over $50 placed before the end of the month.",
            "2. The ministry must publish the list of approved suppliers within thirty days.",
            "Rescue workers search the rubble of the hotel in the city centre. (AP Photo/Burhan Ozbilici)",
            "Reporting by Tom Brown in Manila; Editing by Alex Richardson and Jane Smith.",
            "Staff writer Dana Okafor contributed to this report from the border town of Tecun Uman.",
        ] {
            assert!(!is_prose(not), "{not}");
        }
        for prose in [
            "Jeff Gordon won the Winston Cup title for the third time in four years on Sunday.",
            "The storm killed 1,200 people, destroyed 300 bridges and cut 2 highways in 4 provinces.",
            "Gordon finished 364 points ahead of Mark Martin in the final standings.",
        ] {
            assert!(is_prose(prose), "{prose}");
        }
    }

    fn story_surnames(word: &str) -> bool {
        ["Bublik", "Pinochet", "Gordon"].contains(&word)
    }

    #[test]
    fn a_pronoun_or_bare_surname_subject_leans_on_what_came_before() {
        let leans = |s: &str| leans_on(s, &story_surnames);
        assert_eq!(
            leans("He said the talks would resume next week in Geneva."),
            Leans::OnPrevious
        );
        // A quotation's pronoun leans on what came before as much as the reporter's does.
        assert_eq!(
            leans("\"They will not win this war,\" the general told reporters."),
            Leans::OnPrevious
        );
        assert_eq!(
            leans("After the verdict, they marched to the presidential palace."),
            Leans::OnPrevious
        );
        assert_eq!(
            leans("Bublik said he had been treated unfairly by the umpire."),
            Leans::OnName("Bublik".into())
        );
        assert_eq!(
            leans("Mr. Pinochet remains under police guard at a London clinic."),
            Leans::OnName("Pinochet".into())
        );
        for alone in [
            "Alexander Bublik said he had been treated unfairly by the umpire.",
            "It was not clear whether the ceasefire would hold through the weekend.",
            "Former dictator Augusto Pinochet remains under police guard in London.",
            "Police said the bomb had been hidden in a parked car.",
        ] {
            assert_eq!(leans(alone), Leans::Nothing, "{alone}");
        }
    }

    #[test]
    fn full_names_introduce_their_surnames() {
        let names: Vec<&str> =
            full_names("Augusto Pinochet, the former Chilean dictator, was arrested in London.")
                .collect();
        assert_eq!(names, ["Pinochet"]);
        let none: Vec<&str> =
            full_names("In London, police arrested the former dictator.").collect();
        assert!(none.is_empty(), "{none:?}");
    }
}
