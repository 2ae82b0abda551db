//! A story's title: who, what and where in under 90 characters, never cut with an ellipsis.
//!
//! Method (headline compression, after Dorr et al.'s Hedge Trimmer): the lead is the oldest
//! report's own headline when it has one that fits, else the earliest summary sentence whose
//! title names the story's most mentioned person or organisation (the first summary sentence
//! when none does). A sentence is cut to its main clause: an introductory phrase before the
//! first comma, asides between commas after which the clause goes on (a name set off by commas
//! keeps the name), and everything after the next clause boundary go; articles go, as in
//! headlines. What still runs over is cut before a phrase opener, so the title ends on a
//! content word. Then, when the title names none of the story's most mentioned places (by any
//! spelling the reports use, demonyms included), the first of them opens it ("Sweden: …").
//! Only closed word classes (articles, prepositions, conjunctions, pronouns) steer the cuts:
//! the rule reads any story, not a list of phrases.

use crate::model::Entity;
use crate::ner::EntityKind;

/// Titles are shorter than this many characters.
pub const LIMIT: usize = 90;

/// Words that open a phrase or clause a title can do without: a sentence that runs over is cut
/// before one of them.
const OPENERS: &[&str] = &[
    "about",
    "above",
    "across",
    "after",
    "against",
    "along",
    "amid",
    "among",
    "and",
    "around",
    "as",
    "at",
    "because",
    "before",
    "behind",
    "below",
    "between",
    "beyond",
    "but",
    "by",
    "despite",
    "during",
    "for",
    "from",
    "if",
    "in",
    "including",
    "inside",
    "into",
    "near",
    "nor",
    "of",
    "on",
    "onto",
    "or",
    "outside",
    "over",
    "since",
    "so",
    "than",
    "though",
    "through",
    "toward",
    "towards",
    "under",
    "unless",
    "until",
    "upon",
    "when",
    "where",
    "whether",
    "which",
    "while",
    "who",
    "whom",
    "whose",
    "with",
    "within",
    "without",
];

/// Words that need a word after them, so never end a title. A cut before "to" or "that" would
/// take the verb's object with it ("plans to visit …", "said that …").
const NEVER_LAST: &[&str] = &[
    "a", "an", "the", "his", "her", "its", "their", "our", "my", "to", "that",
];

const ARTICLES: &[&str] = &["a", "an", "the"];

/// A title that names one of a story's most mentioned places says where: a story spans a
/// few (the capital, the country, the other side).
const PLACES: usize = 3;

/// Words of a last clause that attributes the sentence (", a Thai newspaper reported"), at most.
const ATTRIBUTION: usize = 4;

/// Fewer words than this say no more than a name: the title keeps at least this many.
const MIN_WORDS: usize = 3;

/// The story's title from its oldest headline (if any), its summary sentences in order and its
/// names. `fallback` is the text to use when the summary is empty (the first sentence).
pub fn title(
    headline: Option<&str>,
    summary: &[&str],
    fallback: &str,
    entities: &[Entity],
) -> String {
    let places = ranked(entities, |k| k == EntityKind::Place);
    if let Some(headline) = headline.map(clean).filter(|h| fits(h)) {
        let whole = |room: usize| Some(headline.clone()).filter(|h| h.chars().count() <= room);
        return with_place(&places, whole);
    }
    let who = ranked(entities, |k| {
        matches!(k, EntityKind::Person | EntityKind::Organization)
    })
    .first()
    .copied();
    let clauses: Vec<Vec<String>> = summary
        .iter()
        .chain(summary.is_empty().then_some(&fallback))
        .map(|s| main_clause(&words(s)))
        .collect();
    // The earliest sentence whose title names the most mentioned person or organisation.
    let clause = who
        .and_then(|e| clauses.iter().find(|c| names(&fit(c, LIMIT - 1), e)))
        .or(clauses.first())
        .cloned()
        .unwrap_or_default();
    with_place(&places, |room| {
        Some(fit(&clause, room)).filter(|t| !t.is_empty())
    })
}

fn fits(text: &str) -> bool {
    !text.is_empty()
        && text.chars().count() < LIMIT
        && !text.contains('…')
        && !text.ends_with("...")
}

/// The entities of the kind, most mentioned first (first mentioned on a tie).
fn ranked(entities: &[Entity], kind: impl Fn(EntityKind) -> bool) -> Vec<&Entity> {
    let mut found: Vec<&Entity> = entities.iter().filter(|e| kind(e.kind)).collect();
    found.sort_by_key(|e| std::cmp::Reverse(e.mentions.len()));
    found
}

/// Whether the text names the entity by any of its spellings, as whole words.
pub fn names(text: &str, entity: &Entity) -> bool {
    std::iter::once(&entity.name)
        .chain(&entity.aliases)
        .map(|n| n.trim_end_matches('.'))
        .filter(|n| n.chars().any(char::is_alphabetic))
        .any(|n| whole_word(text, n))
}

fn whole_word(text: &str, name: &str) -> bool {
    text.match_indices(name).any(|(at, _)| {
        let before = text[..at].chars().next_back();
        let after = text[at + name.len()..].chars().next();
        !before.is_some_and(char::is_alphanumeric) && !after.is_some_and(char::is_alphanumeric)
    })
}

/// The title `make` gives for a room of so many characters, with the most mentioned place in
/// front when it names none of the [`PLACES`] most mentioned, if it still reads as a title in
/// the room left.
fn with_place(places: &[&Entity], make: impl Fn(usize) -> Option<String>) -> String {
    let full = make(LIMIT - 1).unwrap_or_default();
    let named = places.iter().take(PLACES).any(|p| names(&full, p));
    let Some(place) = places.first().filter(|_| !named) else {
        return full;
    };
    let prefix = format!("{}: ", short_name(place));
    let room = (LIMIT - 1).saturating_sub(prefix.chars().count());
    match make(room) {
        Some(short) if short.split(' ').count() >= MIN_WORDS => prefix + &short,
        _ => full,
    }
}

/// The shortest spelling that the full name holds as whole words ("China" for "People's
/// Republic of China"): a demonym or a part that is not in the name would name something else.
fn short_name(entity: &Entity) -> &str {
    let name = entity.name.trim_end_matches('.');
    entity
        .aliases
        .iter()
        .map(|a| a.trim_end_matches('.'))
        .filter(|a| !a.is_empty() && whole_word(name, a))
        .min_by_key(|a| a.len())
        .unwrap_or(name)
}

/// One line of text, quote marks as straight quotes, no trailing full stop.
fn clean(text: &str) -> String {
    let text = text.replace("``", "\"").replace("''", "\"");
    let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
    text.trim_end_matches(['.', ' ']).to_string()
}

fn words(sentence: &str) -> Vec<String> {
    clean(sentence).split(' ').map(str::to_string).collect()
}

fn bare(word: &str) -> String {
    word.trim_matches(|c: char| !c.is_alphanumeric())
        .to_lowercase()
}

fn is_in(word: &str, class: &[&str]) -> bool {
    class.contains(&bare(word).as_str())
}

/// A word that closes a clause: it ends with `,` `;` `:` or is a dash standing alone (wire copy
/// writes "_" or "--").
fn ends_clause(word: &str) -> bool {
    word.ends_with([',', ';', ':']) || matches!(word, "_" | "--" | "—" | "–" | "-")
}

/// The sentence's main clause, without articles.
fn main_clause(words: &[String]) -> Vec<String> {
    let mut words = drop_intro(words.to_vec());
    drop_asides(&mut words);
    let boundary = |i: &usize| ends_clause(&words[*i]) && !between_names(&words, *i);
    if let Some(end) = (MIN_WORDS..words.len()).find(boundary) {
        words.truncate(end + 1);
    }
    let mut kept: Vec<String> = words
        .into_iter()
        .filter(|w| !(is_in(w, ARTICLES) && bare(w) == w.to_lowercase()))
        .collect();
    if let Some(last) = kept.last_mut() {
        *last = last
            .trim_end_matches([',', ';', ':', '_', '-', '—', '–'])
            .to_string();
    }
    kept.retain(|w| !w.is_empty());
    capitalise(&mut kept);
    kept
}

/// Without an opening phrase that starts with a preposition or subordinator and ends at a
/// comma ("In a critical ruling for the league, arbitrator John Feerick decides …").
fn drop_intro(words: Vec<String>) -> Vec<String> {
    let opens = words.first().is_some_and(|w| is_in(w, OPENERS));
    let comma = words.iter().position(|w| w.ends_with(','));
    match (opens, comma) {
        (true, Some(at)) if at + 3 < words.len() => words[at + 1..].to_vec(),
        _ => words,
    }
}

/// Removes asides between two commas after which the clause goes on with a lower-case word
/// ("Bob Livingston, the incoming speaker of the House, took …"; "Democrats, concerned that
/// …, are …"): the clause stands without them. An aside that is a name ("the deputy
/// commissioner, Russ Granik, said …") keeps the name and loses the commas.
fn drop_asides(words: &mut Vec<String>) {
    let mut i = 0;
    while i + 1 < words.len() {
        let close = (i + 1..words.len()).find(|&j| ends_clause(&words[j]));
        // A short last clause after the comma says who told it (", police said"): no aside.
        let goes_on = close.is_some_and(|j| {
            words[j].ends_with(',')
                && words.get(j + 1).is_some_and(|w| starts_lower(w))
                && words.len() - j > ATTRIBUTION
        });
        match close {
            Some(j) if words[i].ends_with(',') && goes_on => {
                words[i] = words[i].trim_end_matches(',').to_string();
                if words[i + 1..=j].iter().all(|w| !starts_lower(w)) {
                    words[j] = words[j].trim_end_matches(',').to_string();
                } else {
                    words.drain(i + 1..=j);
                }
            }
            _ => i += 1,
        }
    }
}

fn starts_lower(word: &str) -> bool {
    word.chars()
        .find(|c| c.is_alphanumeric())
        .is_some_and(char::is_lowercase)
}

/// A comma between two names lists or names again ("Australia, Brunei"; "Hun Sen, Cambodia's
/// leader" is an aside): it ends no clause.
fn between_names(words: &[String], i: usize) -> bool {
    words[i].ends_with(',')
        && !starts_lower(&words[i])
        && words.get(i + 1).is_some_and(|w| !starts_lower(w))
}

fn capitalise(words: &mut [String]) {
    if let Some(first) = words.first_mut() {
        let mut chars = first.chars();
        if let Some(c) = chars.next() {
            *first = c.to_uppercase().chain(chars).collect();
        }
    }
}

/// The words joined, under `limit` characters: cut before the last phrase opener (or after the
/// last comma) that leaves the title short enough, so that it ends on a content word; quote
/// marks left unpaired go.
fn fit(words: &[String], limit: usize) -> String {
    let mut end = words.len();
    while end > 1 && joined(&words[..end]).chars().count() > limit {
        end -= 1;
    }
    if end < words.len() {
        // A cut that keeps under half the room would lose the action: then the words that fit.
        let long = |&i: &usize| 2 * joined(&words[..i]).chars().count() >= limit;
        let cut = |&i: &usize| is_in(&words[i], OPENERS) || words[i - 1].ends_with(',');
        if let Some(at) = (MIN_WORDS..=end).rev().filter(long).find(cut) {
            end = at;
        }
    }
    while end > 1 && (is_in(&words[end - 1], OPENERS) || is_in(&words[end - 1], NEVER_LAST)) {
        end -= 1;
    }
    let text = joined(&words[..end]);
    pair_quotes(text.trim_end_matches([',', ';', ':', '.', ' ']))
}

fn joined(words: &[String]) -> String {
    words.join(" ")
}

/// The text without its quote marks when one is left open by a cut.
fn pair_quotes(text: &str) -> String {
    if text.matches('"').count().is_multiple_of(2) {
        return text.to_string();
    }
    text.replace('"', "")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entity(name: &str, kind: EntityKind, aliases: &[&str], mentions: usize) -> Entity {
        Entity {
            id: format!("e-{name}"),
            name: name.into(),
            kind,
            aliases: aliases.iter().map(|a| a.to_string()).collect(),
            mentions: (0..mentions).map(|n| format!("r:{n}")).collect(),
        }
    }

    fn assert_title(title: &str) {
        assert!(title.chars().count() < LIMIT, "{title}");
        assert!(!title.contains('…') && !title.ends_with('.'), "{title}");
    }

    #[test]
    fn a_lead_without_its_place_opens_with_the_place() {
        let places = [
            entity("Gothenburg", EntityKind::Place, &[], 9),
            entity("Sweden", EntityKind::Place, &["Swedish"], 6),
        ];
        let lead = "A fire turned a crowded dance hall into a deathtrap early Friday, killing at \
                    least 60 teenagers at a Halloween party, police said.";
        let title = title(None, &[lead], lead, &places);
        assert_eq!(
            title,
            "Gothenburg: Fire turned crowded dance hall into deathtrap early Friday"
        );
        assert_title(&title);
    }

    #[test]
    fn the_sentence_naming_the_main_person_wins_and_loses_its_asides() {
        let names = [
            entity("Ana Ruiz", EntityKind::Person, &["Ruiz"], 7),
            entity("Valencia", EntityKind::Place, &[], 4),
        ];
        let summary = [
            "Heavy rain fell across the region for a third day, flooding roads and rail lines.",
            "Mayor Ana Ruiz, the city's first woman mayor, ordered the evacuation of 2,000 homes \
             along the river, officials said.",
        ];
        let title = title(None, &summary, summary[0], &names);
        assert_eq!(
            title,
            "Valencia: Mayor Ana Ruiz ordered evacuation of 2,000 homes along river"
        );
    }

    #[test]
    fn a_long_clause_is_cut_before_a_phrase_and_keeps_its_quotes_paired() {
        let lead = "In a ruling that surprised both sides, the Supreme Court of the State of New \
                    York ordered the city's transit authority to restore \"every night bus route\" \
                    cut in the budget approved by the council in the spring of last year.";
        let court = [entity(
            "Supreme Court of the State of New York",
            EntityKind::Organization,
            &[],
            3,
        )];
        let title = title(None, &[lead], lead, &court);
        assert_title(&title);
        assert!(
            title.starts_with("Supreme Court of State of New York ordered"),
            "{title}"
        );
        assert_eq!(title.matches('"').count() % 2, 0, "{title}");
        assert!(
            !title.ends_with(" of") && !title.ends_with(" the"),
            "{title}"
        );
    }

    #[test]
    fn a_headline_that_fits_is_kept_and_given_its_place() {
        let place = [entity("Valemouth", EntityKind::Place, &[], 5)];
        let headline = "Bridge to stay shut for at least ten days, council says";
        let lead = "The bridge will stay closed, the council said.";
        assert_eq!(
            title(Some(headline), &[lead], lead, &place),
            "Valemouth: Bridge to stay shut for at least ten days, council says"
        );
        let long = "Live updates: the bridge, the council, the engineers and everything else \
                    you need to know this week about the closure…";
        let title = title(Some(long), &[lead], lead, &place);
        assert_eq!(title, "Valemouth: Bridge will stay closed");
    }

    #[test]
    fn a_place_named_by_its_demonym_or_a_list_of_names_is_not_cut() {
        let places = [entity("Cambodia", EntityKind::Place, &["Cambodian"], 8)];
        let lead = "Cambodian leader Hun Sen rejected calls for talks abroad, accusing rivals of \
                    stalling.";
        assert_eq!(
            title(None, &[lead], lead, &places),
            "Cambodian leader Hun Sen rejected calls for talks abroad"
        );
        let list = "Ministers of Chile, Peru, Mexico and Canada met in Lima.";
        assert_eq!(
            title(None, &[list], list, &[]),
            "Ministers of Chile, Peru, Mexico and Canada met in Lima"
        );
    }
}
