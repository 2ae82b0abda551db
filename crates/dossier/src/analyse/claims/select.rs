//! Which sentences are statements a reader would check, and which claims a story shows.

use super::*;
use crate::text::is_stopword;

pub(super) fn is_statement(text: &str) -> bool {
    let trimmed = text.trim_end();
    let ends = trimmed
        .trim_end_matches(['"', '”', '\'', '’', ')'])
        .ends_with(['.', '!']);
    ends && crate::text::word_count(trimmed) >= MIN_WORDS
}

/// The sentences that name someone or something: the recogniser's mentions, or, when the story
/// was read without it, those with a capitalised word after the first (every sentence has one
/// first) other than "I".
pub(super) struct Named<'a>(Option<HashSet<&'a str>>);

impl<'a> Named<'a> {
    pub(super) fn new(entities: &'a [Entity]) -> Named<'a> {
        Named((!entities.is_empty()).then(|| {
            entities
                .iter()
                .flat_map(|e| e.mentions.iter().map(String::as_str))
                .collect()
        }))
    }

    pub(super) fn names(&self, sentence: &Sentence) -> bool {
        match &self.0 {
            Some(ids) => ids.contains(sentence.id.as_str()),
            None => sentence.text.split_whitespace().skip(1).any(|w| {
                let w = w.trim_start_matches(|c: char| !c.is_alphanumeric());
                w != "I" && w.chars().next().is_some_and(char::is_uppercase)
            }),
        }
    }
}

/// What a reader could check in a sentence, one point each: a name, a figure, a date, a
/// speaker (a quotation's named speaker or a reported-speech source: "X said", "according to
/// X"). Nought is colour or background. Also the sentence's figures.
pub(super) fn weigh(sentence: &Sentence, named: &Named, quoted: bool) -> (usize, BTreeSet<String>) {
    let text = sentence.text.as_str();
    let dates: Vec<times::Timex> = times::tag(text, None)
        .into_iter()
        .filter(|t| matches!(t.kind, TimexType::Date | TimexType::Time))
        .collect();
    let figures = figures(text, &dates);
    let spoken = quoted
        || attributions(text, Cues::shipped())
            .iter()
            .any(|a| a.source.is_some());
    let points = [
        named.names(sentence),
        !figures.is_empty(),
        !dates.is_empty(),
        spoken,
    ];
    (points.iter().filter(|&&p| p).count(), figures)
}

/// The numbers of a text outside its date expressions, as values ("1,500" and "1500", "3.0"
/// and "3" are one figure).
pub(super) fn figures(text: &str, dates: &[times::Timex]) -> BTreeSet<String> {
    NUMBER
        .find_iter(text)
        .filter(|m| {
            !dates
                .iter()
                .any(|d| d.start <= m.start() && m.end() <= d.end)
        })
        .map(|m| value(m.as_str()))
        .collect()
}

fn value(number: &str) -> String {
    let plain = number.replace(',', "");
    plain.parse::<f64>().map_or(plain, |v| v.to_string())
}

pub(super) static NUMBER: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\d+(?:,\d{3})*(?:\.\d+)?").expect("valid regex"));

/// Each of two statements has a figure the other lacks: "killing 60 people and injuring 162"
/// against "killing 60 people and injuring 155", not "killing 60" against "60 on Friday, 1998".
pub(super) fn figures_conflict(a: &Statement, b: &Statement) -> bool {
    !a.figures.is_empty()
        && !b.figures.is_empty()
        && !a.figures.is_subset(&b.figures)
        && !b.figures.is_subset(&a.figures)
}

/// Two statements give other figures for one thing: their figures conflict, and a figure of
/// each that the other lacks shares a neighbouring word with it ("killing at least 60 people"
/// against "killing 65 people"), so that other numbers in other roles ("his 17-year rule"
/// against "the 72-year-old Mahathir") are not read as one count changed.
pub(super) fn other_figures(a: &Statement, b: &Statement) -> bool {
    if !figures_conflict(a, b) {
        return false;
    }
    let only_a: BTreeSet<String> = a.figures.difference(&b.figures).cloned().collect();
    let only_b: BTreeSet<String> = b.figures.difference(&a.figures).cloned().collect();
    !neighbours(a.text, &only_a).is_disjoint(&neighbours(b.text, &only_b))
}

/// The figures of each that the other lacks, in words: "155 against 162".
pub(super) fn figure_difference(a: &Statement, b: &Statement) -> String {
    let only = |x: &Statement, y: &Statement| -> String {
        let list: Vec<&str> = x
            .figures
            .difference(&y.figures)
            .map(String::as_str)
            .collect();
        list.join(" and ")
    };
    format!("{} against {}", only(a, b), only(b, a))
}

/// The content words just before and after the given figures of a text.
fn neighbours(text: &str, of: &BTreeSet<String>) -> HashSet<String> {
    let words: Vec<String> = text
        .split_whitespace()
        .map(|w| {
            w.trim_matches(|c: char| !c.is_alphanumeric())
                .to_lowercase()
        })
        .collect();
    let is_figure = |w: &str| {
        NUMBER
            .find(w)
            .is_some_and(|m| of.contains(&value(m.as_str())))
    };
    let content = |w: &&String| w.len() > 1 && !NUMBER.is_match(w) && !is_stopword(w);
    (0..words.len())
        .filter(|&k| is_figure(&words[k]))
        .flat_map(|k| [k.checked_sub(1), Some(k + 1)])
        .filter_map(|k| words.get(k?))
        .filter(content)
        .cloned()
        .collect()
}

/// The share of the shorter text's content words (no stopwords, no figures) that the other
/// has: near 1 when two texts are one statement with other numbers.
pub(super) fn shared_wording(a: &str, b: &str) -> f32 {
    let words = |t: &str| -> HashSet<String> {
        t.split_whitespace()
            .map(|w| {
                w.trim_matches(|c: char| !c.is_alphanumeric())
                    .to_lowercase()
            })
            .filter(|w| w.len() > 1 && !NUMBER.is_match(w) && !is_stopword(w))
            .collect()
    };
    let (a, b) = (words(a), words(b));
    let shorter = a.len().min(b.len()).max(1);
    a.intersection(&b).count() as f32 / shorter as f32
}

pub(super) static CLAUSE_BREAK: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?i);\s+|,\s+(?:but|while|although|though|whereas|because)\s+|,\s+(\w+ing\b)|\s+and\s+((?:will|would|could|has|have|had|is|was|were|said)\b)|\s+but\s+",
    )
    .expect("valid regex")
});

/// The clauses of a sentence, when it has more than one.
pub(super) fn clauses(sentence: &str) -> Vec<&str> {
    let mut parts: Vec<&str> = Vec::new();
    let mut start = 0;
    for c in CLAUSE_BREAK.captures_iter(sentence) {
        let m = c.get(0).expect("whole match");
        let piece = sentence[start..m.start()].trim();
        if crate::text::word_count(piece) >= MIN_CLAUSE_WORDS {
            parts.push(piece);
            // A participle or auxiliary that marks the break opens the next clause.
            start = c.get(1).or(c.get(2)).map_or(m.end(), |w| w.start());
        }
    }
    let last = sentence[start..].trim();
    if crate::text::word_count(last) >= MIN_CLAUSE_WORDS {
        parts.push(last);
    } else if let Some(prev) = parts.pop() {
        // Too short to stand: it belongs with the clause before it.
        let from = prev.as_ptr() as usize - sentence.as_ptr() as usize;
        parts.push(sentence[from..].trim());
    }
    if parts.len() > 1 {
        parts
    } else {
        vec![]
    }
}

/// The claims a reader should see, best first: most independent reports, then most
/// statements, then most to check, then story order. Contested and retracted claims always;
/// others up to [`MAX_CLAIMS`], a claim of one report only with at least
/// [`SINGLE_SOURCE_WEIGHT`].
pub(super) fn select(story: &Story, mut claims: Vec<(usize, Claim)>) -> Vec<Claim> {
    let weight = |first: usize| story.statements[first].weight;
    claims.sort_by_key(|(first, c)| {
        (
            Reverse((c.sources, c.support.len(), weight(*first))),
            *first,
        )
    });
    let shown = |c: &Claim| matches!(c.status, ClaimStatus::Contested | ClaimStatus::Retracted);
    let mut room = MAX_CLAIMS;
    claims
        .into_iter()
        .filter(|(first, c)| {
            if shown(c) {
                return true;
            }
            let worth = c.sources > 1 || weight(*first) >= SINGLE_SOURCE_WEIGHT;
            let keep = worth && room > 0;
            room -= usize::from(keep);
            keep
        })
        .map(|(_, c)| c)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn weight_of(text: &str) -> usize {
        let sentence = Sentence {
            id: "r:1".to_string(),
            text: text.to_string(),
        };
        weigh(&sentence, &Named::new(&[]), false).0
    }

    #[test]
    fn what_a_reader_could_check_is_counted() {
        // A name and a speaker; a figure and a name; a date, a name, a speaker.
        assert_eq!(
            weight_of("The lead detective, Hans Carlsson, said the fire started on the stage."),
            2
        );
        assert_eq!(weight_of("The fire killed 60 people in Goteborg."), 2);
        assert_eq!(
            weight_of("Hun Sen said on Oct. 30 that the talks were over."),
            3
        );
        // Colour and background: nothing to check.
        assert_eq!(
            weight_of("The streets were quiet and the air smelled of smoke."),
            0
        );
        assert_eq!(weight_of("I think it was the right thing to do."), 0);
    }

    #[test]
    fn figures_leave_out_dates_and_thousands_separators() {
        let figures = |text: &str| {
            let dates = times::tag(text, None);
            figures(text, &dates).into_iter().collect::<Vec<_>>()
        };
        assert_eq!(
            figures("About 1,500 Kurds gathered on Nov. 16, 1998."),
            ["1500"]
        );
        assert_eq!(figures("It killed 60 and injured 162."), ["162", "60"]);
        assert_eq!(figures("A surplus of 3.0 percent."), ["3"]);
    }

    fn statement(text: &str) -> Statement<'_> {
        let dates = times::tag(text, None);
        Statement {
            id: "r:1",
            report: 0,
            text,
            units: vec![text],
            weight: 1,
            figures: figures(text, &dates),
        }
    }

    #[test]
    fn other_figures_are_other_counts_of_one_thing() {
        let other = |a: &str, b: &str| other_figures(&statement(a), &statement(b));
        assert!(other(
            "The fire killed at least 60 people and injured about 180.",
            "The fire killed 65 people and injured 157 others."
        ));
        assert!(other(
            "Police said 162 people were injured.",
            "Police said 155 people were injured."
        ));
        // Other numbers in other roles.
        assert!(!other(
            "Anwar has said Mahathir feared he was a threat to his 17-year rule.",
            "Anwar has said the 72-year-old Mahathir feared him."
        ));
        assert!(!other(
            "Mahathir had groomed Anwar, 51, as his successor.",
            "Mahathir, 72, underwent heart bypass surgery."
        ));
        assert!(!other(
            "Brazil aims at 2.6 percent in 1999 and 3.0 percent in 2001.",
            "Brazil aims at 2.6 percent in 1999 and 3 percent in 2001."
        ));
    }
}
