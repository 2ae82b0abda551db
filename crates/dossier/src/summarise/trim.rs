//! Trimming: a sentence without the words that take budget from what happened.

use crate::text::{is_stopword, WEEKDAYS};

/// Words after which a weekday is part of a time phrase the sentence needs ("until Friday",
/// "since Monday", "Monday and Tuesday").
const KEEPS_WEEKDAY: &[&str] = &[
    "until", "till", "by", "since", "before", "after", "from", "through", "of", "next", "this",
    "last", "every", "each", "and", "or", "to", "for", "early", "late", "earlier", "later",
];

/// Openers of an introductory phrase that can go without changing what the main clause says
/// (circumstance, not condition: "If", "Unless" or "Without" are never dropped).
const LEAD_INS: &[&str] = &[
    "In",
    "On",
    "At",
    "Despite",
    "During",
    "After",
    "Amid",
    "As",
    "With",
    "Meanwhile",
    "However",
    "Also",
    "Still",
    "Earlier",
    "Later",
    "Instead",
    "Nevertheless",
    "Separately",
];

/// Words that open what a participle governs ("Rejecting a …", "Struggling to …", "Citing
/// the …"): an -ing word followed by one of them opens a participial phrase, not a name
/// ("Beijing is …", "Sterling fell …").
const AFTER_PARTICIPLE: &[&str] = &[
    "a", "an", "the", "to", "his", "her", "its", "their", "our", "on", "in", "with", "for", "up",
    "out", "over", "off", "back", "into", "from", "at", "by", "that", "this", "these", "those",
    "more", "some", "new",
];

/// Whether the sentence opens with a participial phrase ("Keeping a promise to Israel, …"):
/// circumstance, like the lead-ins. "According to …" names a source, which always stays.
fn opens_with_participle(tokens: &[String]) -> bool {
    let (Some(first), Some(next)) = (tokens.first(), tokens.get(1)) else {
        return false;
    };
    let word = core(first);
    word.len() > 5
        && word.ends_with("ing")
        && word != "According"
        && !first.ends_with(',')
        && AFTER_PARTICIPLE.contains(&next.as_str())
}

/// The sentence without its low-content parts, so that the word budget goes to what happened:
/// weekday mentions ("on Tuesday", "said Friday": without the date they tell a reader
/// nothing), asides in brackets or between paired dashes, and an introductory phrase before
/// the main clause ("In a statement on Tuesday,", "However,", "Rejecting a last-minute
/// attempt to soften it,"). Nothing is reworded: what remains is the sentence's own words, in
/// order.
pub(super) fn trim(sentence: &str) -> String {
    if !might_trim(sentence) {
        return sentence.to_string();
    }
    let mut tokens: Vec<String> = sentence.split_whitespace().map(str::to_string).collect();
    drop_asides(&mut tokens);
    drop_weekdays(&mut tokens);
    drop_lead_in(&mut tokens);
    if let Some(first) = tokens.first_mut() {
        *first = capitalise(first);
    }
    tokens.join(" ")
}

/// A cheap test that rules out most sentences before they are split into tokens: nothing to
/// trim without a weekday, a bracket, a dash or an opening word that can start a lead-in.
fn might_trim(sentence: &str) -> bool {
    sentence.contains("day")
        || sentence.contains(['(', '_'])
        || sentence.contains("--")
        || sentence
            .split_whitespace()
            .next()
            .is_some_and(|first| LEAD_INS.contains(&core(first)) || core(first).ends_with("ing"))
}

fn core(token: &str) -> &str {
    token.trim_matches(|c: char| !c.is_alphanumeric())
}

/// Trailing punctuation of a token (",", ".", "\".") that must survive its removal.
fn tail(token: &str) -> &str {
    let end = token
        .rfind(|c: char| c.is_alphanumeric() || c == ')')
        .map_or(0, |i| {
            i + token[i..].chars().next().map_or(1, char::len_utf8)
        });
    &token[end..]
}

/// Removes `tokens[from..to]`, keeping the sentence's punctuation: a comma or full stop that
/// ended the removed span moves to the word before it (unless the span opened the sentence).
fn remove(tokens: &mut Vec<String>, from: usize, to: usize) {
    let carried: String = tail(&tokens[to - 1])
        .chars()
        .filter(|c| ",.;:!?\"'”’".contains(*c))
        .collect();
    tokens.drain(from..to);
    if from > 0 && !carried.is_empty() {
        let before = &mut tokens[from - 1];
        if tail(before).is_empty() {
            before.push_str(&carried);
        }
    }
}

fn drop_asides(tokens: &mut Vec<String>) {
    let mut i = 1;
    while i < tokens.len() {
        let t = tokens[i].as_str();
        let end = if t.starts_with('(') {
            (i..tokens.len().min(i + 12))
                .find(|&j| tokens[j].trim_end_matches(['.', ',', ';']).ends_with(')'))
        } else if t == "_" || t == "--" {
            let mark = t.to_string();
            (i + 1..tokens.len().min(i + 16)).find(|&j| tokens[j] == mark)
        } else {
            None
        };
        match end {
            // An aside of a few words that leaves the sentence going on after it.
            Some(j) if j + 1 < tokens.len() || tokens[j].ends_with(['.', ',']) => {
                remove(tokens, i, j + 1)
            }
            _ => i += 1,
        }
    }
}

fn drop_weekdays(tokens: &mut Vec<String>) {
    let mut i = 0;
    while i < tokens.len() {
        let t = tokens[i].as_str();
        let is_day = WEEKDAYS.contains(&core(t)) && !t.contains('\'') && !t.contains('’');
        if !is_day {
            i += 1;
            continue;
        }
        let prev = i.checked_sub(1).map(|p| core(&tokens[p]).to_lowercase());
        let keep = prev.as_deref().is_some_and(|p| KEEPS_WEEKDAY.contains(&p))
            // One end of a span of days ("Monday and Tuesday", "Friday through Sunday").
            || tokens
                .get(i + 1)
                .is_some_and(|n| matches!(core(n), "and" | "or" | "through" | "to"))
                && tokens
                    .get(i + 2)
                    .is_some_and(|n| WEEKDAYS.contains(&core(n)))
            || i + 1 == tokens.len() && prev.is_none();
        if keep {
            i += 1;
            continue;
        }
        let from = if prev.as_deref() == Some("on") {
            i - 1
        } else {
            i
        };
        let mut to = i + 1;
        if tail(&tokens[i]).is_empty()
            && tokens
                .get(to)
                .is_some_and(|n| matches!(core(n), "night" | "morning" | "afternoon" | "evening"))
        {
            to += 1;
        }
        if from == 0 && to < tokens.len() && tail(&tokens[to - 1]).is_empty() {
            // "Tuesday's" aside, a sentence never opens on a bare weekday it can lose unless
            // a comma closes the phrase ("On Tuesday, ...").
            i += 1;
            continue;
        }
        remove(tokens, from, to);
        i = from;
    }
}

fn drop_lead_in(tokens: &mut Vec<String>) {
    let Some(first) = tokens.first() else { return };
    if !(LEAD_INS.contains(&core(first)) || opens_with_participle(tokens))
        || first.starts_with(['"', '\'', '“'])
    {
        return;
    }
    let Some(comma) = tokens.iter().take(12).position(|t| t.ends_with(',')) else {
        return;
    };
    let lead = &tokens[..=comma];
    let rest = &tokens[comma + 1..];
    if lead.iter().any(|t| t.contains(['"', '“', '”']))
        || word_count_of(rest) < 6
        || !(opens_clause(&rest[0]) || opens_with_title(rest))
    {
        return;
    }
    tokens.drain(..=comma);
}

/// Whether a word can open a main clause that stands alone: a name or a determiner. A comma
/// inside the phrase ("After an unusual, one-on-one chat, ...") leaves a fragment instead;
/// a pronoun would lose whom it names.
fn opens_clause(token: &str) -> bool {
    let word = core(token);
    word.chars().next().is_some_and(char::is_uppercase)
        && !PRONOUNS.contains(&word.to_lowercase().as_str())
        || DETERMINERS.contains(&word)
}

/// Whether the main clause opens with a lower-case title or modifier before a name
/// ("arbitrator John Feerick decides …", "congressional Republicans wrestled …"): that is a
/// noun phrase, the clause's subject, so the clause stands alone. Not a function word ("where
/// Pinochet is held, …", "when Livingston confessed, …" open a clause that leans on the
/// phrase before the comma), nor a verb form ("including Prime Minister Chuan, …" goes on with
/// it), nor an adjective the comma split from the rest of its phrase ("After a long, bitter
/// Senate fight, …", where a lower-case word and a comma follow the name).
fn opens_with_title(rest: &[String]) -> bool {
    let (Some(word), Some(name)) = (rest.first(), rest.get(1)) else {
        return false;
    };
    let names = rest[1..]
        .iter()
        .take_while(|t| names_someone(t) && !t.ends_with(','))
        .count();
    let after = rest.get(1 + names);
    word.chars().all(char::is_lowercase)
        && !is_stopword(word)
        && !PRONOUNS.contains(&word.as_str())
        && !word.ends_with("ing")
        && !word.ends_with("ed")
        && names_someone(name)
        && !after.is_some_and(|t| t.starts_with(char::is_lowercase) && t.ends_with(','))
}

/// A capitalised word that is not a pronoun ("John", "Republicans", "U.S.", not "I").
fn names_someone(token: &str) -> bool {
    let word = core(token);
    word.starts_with(char::is_uppercase) && !PRONOUNS.contains(&word.to_lowercase().as_str())
}

const DETERMINERS: &[&str] = &[
    "the",
    "a",
    "an",
    "this",
    "that",
    "these",
    "those",
    "some",
    "many",
    "most",
    "several",
    "all",
    "both",
    "two",
    "three",
    "four",
    "five",
    "more",
    "police",
    "officials",
];

const PRONOUNS: &[&str] = &[
    "he", "she", "it", "they", "we", "i", "you", "his", "her", "its", "their", "our", "this",
    "that", "these", "those", "there",
];

fn word_count_of(tokens: &[String]) -> usize {
    tokens
        .iter()
        .filter(|t| t.chars().any(char::is_alphanumeric))
        .count()
}

fn capitalise(word: &str) -> String {
    let mut chars = word.chars();
    let mut out = String::new();
    // Opening quotes stay in front of the capital.
    for c in chars.by_ref() {
        if c.is_alphanumeric() {
            out.extend(c.to_uppercase());
            break;
        }
        out.push(c);
    }
    out.extend(chars);
    out
}

#[cfg(test)]
mod tests {
    use super::trim;

    #[test]
    fn weekdays_go_with_their_preposition_and_punctuation_stays() {
        assert_eq!(
            trim(
                "Cambodian leader Hun Sen on Friday rejected opposition demands for talks abroad."
            ),
            "Cambodian leader Hun Sen rejected opposition demands for talks abroad."
        );
        assert_eq!(
            trim("Taiwan will send its chief planner to the summit, the Foreign Ministry said Friday."),
            "Taiwan will send its chief planner to the summit, the Foreign Ministry said."
        );
        assert_eq!(
            trim("The House voted to impeach the president on Saturday and to call on the Senate to try him."),
            "The House voted to impeach the president and to call on the Senate to try him."
        );
        assert_eq!(
            trim("The astronauts joined the first two pieces of the station on Sunday, creating a tower."),
            "The astronauts joined the first two pieces of the station, creating a tower."
        );
    }

    #[test]
    fn weekdays_that_bound_a_time_or_name_a_day_stay() {
        for kept in [
            "The airport will stay closed until Sunday under the new accord.",
            "Talks on Monday and Tuesday ended without a deal on the budget.",
            "Tuesday's vote gave the coalition a majority of 64 seats.",
        ] {
            assert_eq!(trim(kept), kept);
        }
    }

    #[test]
    fn asides_in_brackets_and_between_paired_dashes_go() {
        assert_eq!(
            trim("The crew captured Zarya (Russian for Sunrise) using the shuttle robot arm."),
            "The crew captured Zarya using the shuttle robot arm."
        );
        assert_eq!(
            trim("The king praised the two parties _ previously bitter rivals _ for forming a coalition."),
            "The king praised the two parties for forming a coalition."
        );
        // A single dash opens a comment that runs to the end: nothing to pair, nothing cut.
        let single = "Two dissidents were charged _ the clearest sign yet of a crackdown.";
        assert_eq!(trim(single), single);
    }

    #[test]
    fn an_introductory_phrase_goes_but_a_condition_stays() {
        assert_eq!(
            trim("In a statement on Tuesday, the ministry ordered the closure of three border crossings."),
            "The ministry ordered the closure of three border crossings."
        );
        assert_eq!(
            trim("However, the union rejected the owners' latest offer on player salaries."),
            "The union rejected the owners' latest offer on player salaries."
        );
        assert_eq!(
            trim("Rejecting a last-minute attempt to soften its action, the House moved to impeach the president."),
            "The House moved to impeach the president."
        );
        for kept in [
            "According to the police, the gunmen fled the capital in two stolen cars.",
            "Beijing is angry over the arms sale, the newspaper said in a front-page editorial.",
            "Sterling fell to a record low, the lowest level since the currency was floated.",
        ] {
            assert_eq!(trim(kept), kept);
        }
        // A lower-case title or modifier before a name opens the main clause as well.
        assert_eq!(
            trim("In a closely watched ruling on the strike, arbitrator Helen Marsh ordered the airline to pay its pilots."),
            "Arbitrator Helen Marsh ordered the airline to pay its pilots."
        );
        assert_eq!(
            trim("Racing to beat the deadline, provincial Liberals and Labour negotiators agreed on a budget."),
            "Provincial Liberals and Labour negotiators agreed on a budget."
        );
        for kept in [
            "In London, where Pinochet has been held since May, lawyers argued the case in court.",
            "After talks with farm leaders, including Agriculture Minister Tom Reed, the government dropped the tax.",
            "After a long, bitter Senate fight, the bill to raise the fuel tax finally passed.",
        ] {
            assert_eq!(trim(kept), kept);
        }
        let condition = "If the talks fail, the league will cancel the rest of the season.";
        assert_eq!(trim(condition), condition);
        // A comma inside the phrase would leave a fragment: kept whole.
        let inner = "After an unusual, one-on-one chat, the two presidents weighed a boycott.";
        assert_eq!(trim(inner), inner);
        // Quoted speech keeps its opening words.
        let quote = "\"In my view, the deal is dead,\" the commissioner told reporters.";
        assert_eq!(trim(quote), quote);
    }
}
