//! The evidence [`super::FeatureJudge`] weighs, each feature scaled to about 0..=1 so that one
//! learning rate fits all.

use super::Pair;
use crate::text::{words, Word};
use std::collections::{HashMap, HashSet};
use std::sync::OnceLock;

/// Names of the features, in the order of [`Features::values`] and of the weights file.
pub const FEATURE_NAMES: [&str; 17] = [
    "cosine",
    "hypothesis_covered",
    "premise_covered",
    "hypothesis_unmatched",
    "polarity_mismatch",
    "polarity_mismatch_x_covered",
    "negation_in_hypothesis",
    "denial_in_one",
    "opposite_words",
    "opposite_words_x_covered",
    "number_mismatch",
    "number_only_in_hypothesis",
    "slot_mismatch",
    "names_only_in_hypothesis",
    "hedge_in_one",
    "length_ratio",
    "cosine_x_covered",
];

/// Words that negate what their clause says.
const NEGATORS: &[&str] = &[
    "not", "no", "never", "nobody", "nothing", "none", "neither", "nor", "without", "cannot",
    "nowhere",
];

/// Words after which a negator is out of the statement's scope: a condition ("sanctions if
/// withdrawals were not initiated") or a comparison ("sanctions like they've never seen
/// before", "more than ever") does not deny what the sentence states.
const OUT_OF_SCOPE: &[&str] = &["if", "unless", "whether", "like", "than"];

/// Words that end the clause a negator or denial governs.
const CLAUSE_ENDS: &[&str] = &[
    "but", "and", "or", "which", "who", "because", "while", "although", "though", "as", "when",
    "after", "before", "since",
];

/// Modals after which a negation judges rather than denies: "should not have been sent" does
/// not say it was not sent.
const NORMATIVE: &[&str] = &["should", "ought", "shouldn't", "shouldn’t"];

/// How many words after a negator or denial it can govern.
const SCOPE: usize = 8;

/// Words after which "not" adds rather than negates: "not only deeply integrate it but give
/// it away" says both.
const ADDITIVE: &[&str] = &["only", "just", "merely", "simply"];

/// How far around one of two opposite words the thing it is said of may stand.
const NEAR: usize = 3;

/// How far from a number, day or colour the word it qualifies may stand ("5,000 US troops",
/// "voted on Sunday").
const ANCHOR_REACH: usize = 2;

/// Verbs of reporting: a day next to one dates the report ("said Friday"), not the event, and
/// two reports written on different days name different days.
const REPORTING: &[&str] = &[
    "say",
    "said",
    "says",
    "told",
    "tell",
    "tells",
    "added",
    "adds",
    "announced",
    "reported",
    "stated",
];

/// Verbs that state the opposite of their complement: "denying there has been a decision" says
/// there has been none.
const DENIALS: &[&str] = &[
    "deny",
    "denied",
    "denies",
    "denying",
    "denial",
    "reject",
    "rejected",
    "refute",
    "refuted",
    "dismiss",
    "dismissed",
    "dispute",
    "disputed",
    "rebut",
    "rebuffed",
    "contradict",
];

/// Words that cannot both hold of the same thing. Compared by stem.
const OPPOSITES: &[(&str, &str)] = &[
    ("withdraw", "stay"),
    ("withdraw", "remain"),
    ("leave", "stay"),
    ("leave", "remain"),
    ("depart", "arrive"),
    ("enter", "exit"),
    ("rise", "fall"),
    ("increase", "decrease"),
    ("increase", "cut"),
    ("raise", "lower"),
    ("gain", "loss"),
    ("win", "lose"),
    ("won", "lost"),
    ("victory", "defeat"),
    ("accept", "reject"),
    ("approve", "reject"),
    ("approve", "veto"),
    ("confirm", "deny"),
    ("admit", "deny"),
    ("support", "oppose"),
    ("agree", "disagree"),
    ("allow", "ban"),
    ("allow", "forbid"),
    ("legal", "illegal"),
    ("guilty", "innocent"),
    ("convict", "acquit"),
    ("open", "close"),
    ("open", "shut"),
    ("start", "stop"),
    ("begin", "end"),
    ("buy", "sell"),
    ("hire", "fire"),
    ("alive", "dead"),
    ("survive", "die"),
    ("live", "die"),
    ("true", "false"),
    ("success", "failure"),
    ("succeed", "fail"),
    ("before", "after"),
    ("inside", "outside"),
    ("indoors", "outdoors"),
    ("asleep", "awake"),
    ("sleep", "awake"),
    ("sit", "stand"),
    ("sit", "run"),
    ("sit", "walk"),
    ("stand", "lie"),
    ("empty", "full"),
    ("young", "old"),
    ("man", "woman"),
    ("men", "women"),
    ("boy", "girl"),
    ("male", "female"),
    ("day", "night"),
    ("wet", "dry"),
    ("hot", "cold"),
    ("happy", "sad"),
    ("up", "down"),
    ("cat", "dog"),
];

/// Sets whose members exclude each other for the same slot: a thing happens on one weekday, in
/// one month, is one colour.
const SLOTS: &[&[&str]] = &[
    &[
        "monday",
        "tuesday",
        "wednesday",
        "thursday",
        "friday",
        "saturday",
        "sunday",
    ],
    &[
        "january",
        "february",
        "march",
        "april",
        "june",
        "july",
        "august",
        "september",
        "october",
        "november",
        "december",
    ],
    &[
        "red", "blue", "green", "yellow", "black", "white", "orange", "purple", "pink", "brown",
        "gray", "grey",
    ],
];

const NUMBER_WORDS: &[&str] = &[
    "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven",
    "twelve", "twenty", "hundred", "thousand", "million", "billion", "dozen", "dozens",
];

/// Words that make a statement uncertain or conditional.
const HEDGES: &[&str] = &[
    "may",
    "might",
    "could",
    "reportedly",
    "possibly",
    "perhaps",
    "allegedly",
    "if",
    "whether",
    "likely",
    "unclear",
    "purportedly",
];

struct Lexicon {
    denials: HashSet<String>,
    opposites: HashMap<String, Vec<String>>,
    slots: HashMap<&'static str, usize>,
}

fn lexicon() -> &'static Lexicon {
    static LEXICON: OnceLock<Lexicon> = OnceLock::new();
    LEXICON.get_or_init(|| {
        let stem = |w: &str| words(w).pop().map(|w| w.stem).unwrap_or_default();
        let mut opposites: HashMap<String, Vec<String>> = HashMap::new();
        for (a, b) in OPPOSITES {
            let (a, b) = (stem(a), stem(b));
            opposites.entry(a.clone()).or_default().push(b.clone());
            opposites.entry(b).or_default().push(a);
        }
        Lexicon {
            denials: DENIALS.iter().map(|w| stem(w)).collect(),
            opposites,
            slots: SLOTS
                .iter()
                .enumerate()
                .flat_map(|(i, set)| set.iter().map(move |w| (*w, i)))
                .collect(),
        }
    })
}

fn is_negator(w: &Word) -> bool {
    NEGATORS.contains(&w.lower.as_str()) || w.lower.ends_with("n't") || w.lower.ends_with("n’t")
}

fn is_number(w: &Word) -> bool {
    w.lower.chars().next().is_some_and(|c| c.is_ascii_digit())
        || NUMBER_WORDS.contains(&w.lower.as_str())
}

/// One side of a pair, read once.
struct Side {
    words: Vec<Word>,
    content: HashSet<String>,
    /// The content stems before any condition or comparison: what the sentence asserts.
    asserted: HashSet<String>,
    /// Positions in `words` of the negators and denials of the statement itself.
    negations: Vec<usize>,
    denials: Vec<String>,
    negators: Vec<String>,
}

impl Side {
    fn of(text: &str) -> Side {
        let words = words(text);
        let lexicon = lexicon();
        let cut = words
            .iter()
            .position(|w| OUT_OF_SCOPE.contains(&w.lower.as_str()))
            .unwrap_or(words.len());
        let negations: Vec<usize> = (0..words.len())
            .filter(|&i| {
                let w = &words[i];
                let normative = NORMATIVE.contains(&w.lower.as_str())
                    || i > 0 && NORMATIVE.contains(&words[i - 1].lower.as_str());
                let additive = is_negator(w)
                    && words
                        .get(i + 1)
                        .is_some_and(|next| ADDITIVE.contains(&next.lower.as_str()));
                (i < cut && is_negator(w) && !normative && !additive)
                    || lexicon.denials.contains(&w.stem)
            })
            .collect();
        let denials = negations
            .iter()
            .map(|&i| &words[i])
            .filter(|w| !is_negator(w))
            .map(|w| w.lower.clone())
            .collect();
        let negators = negations
            .iter()
            .map(|&i| &words[i])
            .filter(|w| is_negator(w))
            .map(|w| w.lower.clone())
            .collect();
        let stems = |words: &[Word]| -> HashSet<String> {
            words
                .iter()
                .filter(|w| !w.is_stopword() && !is_negator(w))
                .map(|w| w.stem.clone())
                .collect()
        };
        let content = stems(&words);
        let asserted = stems(&words[..cut]);
        Side {
            words,
            content,
            asserted,
            negations,
            denials,
            negators,
        }
    }

    /// The negators and denials whose scope (the next few words of their clause) holds a content
    /// word that `other` asserts: "not have been sent" says nothing against a sentence that never
    /// mentions sending, "denying there has been a decision to leave Iraq" does speak to "will
    /// withdraw from Iraq", and nothing speaks against "it was unclear if troops would leave
    /// Iraq", which asserts no leaving.
    ///
    /// A bare negator ("not", "no") must also share a second content word with `other` within
    /// its clause: a denial verb names what it denies, but a "not" may negate anything, and
    /// two sentences of one story share their subject's name wherever they stand ("Netscape
    /// would not have that access to Microsoft technology" says nothing against "This is the
    /// first major Microsoft e-mail trial"). The price: "no decision made to leave Iraq" no
    /// longer speaks to "will withdraw from Iraq" by itself, as "leave" is not "withdraw".
    fn negations_about(&self, other: &Side) -> Vec<&str> {
        let shared = |w: &Word| !w.is_stopword() && other.asserted.contains(&w.stem);
        self.negations
            .iter()
            .filter(|&&i| {
                let scope: Vec<&Word> = self.words[i + 1..]
                    .iter()
                    .take(SCOPE)
                    .take_while(|w| {
                        !CLAUSE_ENDS.contains(&w.lower.as_str())
                            && !OUT_OF_SCOPE.contains(&w.lower.as_str())
                    })
                    .collect();
                if !scope.iter().any(|w| shared(w)) {
                    return false;
                }
                if !is_negator(&self.words[i]) {
                    return true;
                }
                let opening = self.words[..i]
                    .iter()
                    .rposition(|w| CLAUSE_ENDS.contains(&w.lower.as_str()))
                    .map_or(0, |p| p + 1);
                let clause = self.words[opening..i].iter().chain(scope);
                let stems: HashSet<&str> = clause
                    .filter(|w| shared(w))
                    .map(|w| w.stem.as_str())
                    .collect();
                stems.len() >= 2
            })
            .map(|&i| self.words[i].lower.as_str())
            .collect()
    }

    fn has_stem(&self, stem: &str) -> bool {
        self.words.iter().any(|w| w.stem == stem)
    }

    /// The content stems within [`NEAR`] words of the word at `i`, either side.
    fn near(&self, i: usize) -> Vec<&str> {
        let from = i.saturating_sub(NEAR);
        let to = (i + NEAR + 1).min(self.words.len());
        (from..to)
            .filter(|&k| k != i && !self.words[k].is_stopword() && !is_negator(&self.words[k]))
            .map(|k| self.words[k].stem.as_str())
            .collect()
    }

    /// The content words a number, day or colour at `i` may qualify: the nearest content word
    /// within [`ANCHOR_REACH`] after it (after a run of numbers: "1.5 million barrels") and, when
    /// `before`, the nearest before it; never a number or a verb of reporting.
    fn anchors(&self, i: usize, before: bool) -> Vec<&str> {
        let mut after = i + 1;
        while self.words.get(after).is_some_and(is_number) {
            after += 1;
        }
        let mut out: Vec<&str> = anchor(self.words[after..].iter()).into_iter().collect();
        if before {
            out.extend(anchor(self.words[..i].iter().rev()));
        }
        out
    }
}

/// The first content word of `words` within [`ANCHOR_REACH`], unless a number comes first or
/// that word is a verb of reporting.
fn anchor<'a>(words: impl Iterator<Item = &'a Word>) -> Option<&'a str> {
    let reporting = |w: &Word| REPORTING.contains(&w.lower.as_str());
    words
        .take(ANCHOR_REACH)
        .take_while(|w| !is_number(w))
        .find(|w| !w.is_stopword() || reporting(w))
        .filter(|w| !reporting(w))
        .map(|w| w.stem.as_str())
}

/// Whether a number, day or colour of `h` differs from one of `p` that qualifies the same
/// word: "5,000 troops" against "3,000 troops" or "voted on Sunday" against "voted on Monday"
/// is one slot filled twice, while "1992" against "50 percent", or "said Friday" against
/// "rejected on Thursday", is two slots.
fn same_slot(p: &Side, pi: usize, h: &Side, hi: usize, before: bool) -> bool {
    let theirs = p.anchors(pi, before);
    h.anchors(hi, before).iter().any(|a| theirs.contains(a))
}

/// Whether one side negates or denies what the other says an odd number of times and the other
/// an even number ("denying there has been no decision" is positive again), as evidence.
fn polarity_mismatch(p: &Side, h: &Side) -> Option<String> {
    let (p_neg, h_neg) = (p.negations_about(h), h.negations_about(p));
    if p_neg.len() % 2 == h_neg.len() % 2 {
        return None;
    }
    let (said, other) = if p_neg.len() % 2 == 1 {
        (&p_neg, "second")
    } else {
        (&h_neg, "first")
    };
    Some(format!(
        "one negates or denies (\"{}\"), the {other} does not",
        said.join("\", \"")
    ))
}

/// A word of the premise and its opposite in the hypothesis. An opposite only counts when its
/// partner is on the other side and not on both, and the two say it of the same thing: a
/// content word near one is near the other ("withdraw its troops" against "troops will stay",
/// not "a legal standpoint" against "an illegal monopoly").
fn opposite(p: &Side, h: &Side, lexicon: &Lexicon) -> Option<(String, String)> {
    for (pi, w) in p.words.iter().enumerate() {
        for o in lexicon.opposites.get(&w.stem).into_iter().flatten() {
            for (hi, hw) in h.words.iter().enumerate() {
                if &hw.stem == o
                    && !h.has_stem(&w.stem)
                    && !p.has_stem(o)
                    && p.near(pi).iter().any(|a| h.near(hi).contains(a))
                {
                    return Some((w.lower.clone(), hw.lower.clone()));
                }
            }
        }
    }
    None
}

/// A number of the hypothesis that the premise lacks, counting what one of the premise's
/// numbers counts, with that number.
fn number_mismatch(p: &Side, h: &Side) -> Option<(String, String)> {
    let numbers = |s: &Side| -> Vec<usize> {
        (0..s.words.len())
            .filter(|&i| is_number(&s.words[i]))
            .collect()
    };
    let pn = numbers(p);
    for hi in numbers(h) {
        let hw = &h.words[hi];
        if pn.iter().any(|&pi| p.words[pi].lower == hw.lower) {
            continue;
        }
        if let Some(&pi) = pn.iter().find(|&&pi| same_slot(p, pi, h, hi, false)) {
            return Some((p.words[pi].lower.clone(), hw.lower.clone()));
        }
    }
    None
}

/// Two different words of one closed class (a day, a colour) filling the same slot.
fn slot_mismatch(p: &Side, h: &Side, lexicon: &Lexicon) -> Option<(String, String)> {
    for (hi, hw) in h.words.iter().enumerate() {
        let Some(slot) = lexicon.slots.get(hw.lower.as_str()) else {
            continue;
        };
        for (pi, pw) in p.words.iter().enumerate() {
            if lexicon.slots.get(pw.lower.as_str()) == Some(slot)
                && pw.lower != hw.lower
                && same_slot(p, pi, h, hi, true)
            {
                return Some((pw.lower.clone(), hw.lower.clone()));
            }
        }
    }
    None
}

/// The feature values of one pair, and the evidence behind the ones that fired.
#[derive(Debug, Clone, PartialEq)]
pub struct Features {
    pub values: Vec<f32>,
    pub evidence: Vec<String>,
}

impl Features {
    pub fn of(pair: &Pair) -> Features {
        let p = Side::of(pair.premise);
        let h = Side::of(pair.hypothesis);
        let lexicon = lexicon();
        let mut evidence = Vec::new();

        let shared = h.content.intersection(&p.content).count() as f32;
        let hypothesis_covered = shared / h.content.len().max(1) as f32;
        let premise_covered = shared / p.content.len().max(1) as f32;
        let unmatched = h.content.len() as f32 - shared;
        // Overlap seen from the shorter side: a clause inside a longer sentence is covered.
        let covered = hypothesis_covered.max(premise_covered);

        let polarity_mismatch = polarity_mismatch(&p, &h);
        evidence.extend(polarity_mismatch.clone());
        let denial_in_one = p.denials.is_empty() != h.denials.is_empty();
        let opposite = opposite(&p, &h, lexicon);
        if let Some((a, b)) = &opposite {
            evidence.push(format!("opposite words: \"{a}\" against \"{b}\""));
        }
        let number_mismatch = number_mismatch(&p, &h);
        if let Some((a, b)) = &number_mismatch {
            evidence.push(format!("different numbers: {a} against {b}"));
        }
        let slot_mismatch = slot_mismatch(&p, &h, lexicon);
        if let Some((a, b)) = &slot_mismatch {
            evidence.push(format!("different {a} against {b} for the same slot"));
        }

        let new_names = h
            .words
            .iter()
            .skip(1)
            .filter(|w| w.capitalised && !p.has_stem(&w.stem))
            .count();
        let hedged = |s: &Side| s.words.iter().any(|w| HEDGES.contains(&w.lower.as_str()));
        let hedge_in_one = hedged(&p) != hedged(&h);
        let length_ratio = ((h.words.len().max(1) as f32) / (p.words.len().max(1) as f32))
            .ln()
            .clamp(-3.0, 1.0)
            / 3.0;
        let has_number = |s: &Side| s.words.iter().any(is_number);
        let flag = |b: bool| if b { 1.0 } else { 0.0 };
        let values = vec![
            pair.cosine,
            hypothesis_covered,
            premise_covered,
            unmatched.min(6.0) / 6.0,
            flag(polarity_mismatch.is_some()),
            flag(polarity_mismatch.is_some()) * covered,
            flag(!h.negators.is_empty()),
            flag(denial_in_one),
            flag(opposite.is_some()),
            flag(opposite.is_some()) * covered,
            flag(number_mismatch.is_some()),
            flag(!has_number(&p) && has_number(&h)),
            flag(slot_mismatch.is_some()),
            new_names.min(3) as f32 / 3.0,
            flag(hedge_in_one),
            length_ratio,
            pair.cosine * covered,
        ];
        debug_assert_eq!(values.len(), FEATURE_NAMES.len());
        Features { values, evidence }
    }

    pub fn get(&self, name: &str) -> f32 {
        self.values[FEATURE_NAMES
            .iter()
            .position(|n| *n == name)
            .expect("a feature name")]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn features(premise: &str, hypothesis: &str) -> Features {
        Features::of(&Pair {
            premise,
            hypothesis,
            cosine: 0.7,
        })
    }

    #[test]
    fn a_statement_and_its_denial_differ_in_polarity() {
        let denied = features(
            "The US military has said it will withdraw from Iraq.",
            "Esper said the letter was inconsistent, denying there has been a decision to leave Iraq.",
        );
        assert_eq!(denied.get("polarity_mismatch"), 1.0);
        assert!(
            denied.evidence[0].contains("\"denying\""),
            "{:?}",
            denied.evidence
        );
        // A bare "no" shares only the place with the other side: it may negate anything.
        let bare = features(
            "The US military has said it will withdraw from Iraq.",
            "But there's been no decision made to leave Iraq.",
        );
        assert_eq!(bare.get("polarity_mismatch"), 0.0);
        let two_shared = features(
            "The US military has said it will withdraw from Iraq.",
            "The US military will not withdraw from Iraq.",
        );
        assert_eq!(two_shared.get("polarity_mismatch"), 1.0);
        // "not only ... but" adds.
        let additive = features(
            "Gates said Microsoft would give the browser away.",
            "Gates said Microsoft would not only integrate the browser but give it away.",
        );
        assert_eq!(additive.get("polarity_mismatch"), 0.0);
    }

    #[test]
    fn a_negation_inside_a_condition_does_not_deny() {
        let f = features(
            "Officials have begun drawing up sanctions against Iraq.",
            "The U.S. would charge them sanctions if troop withdrawals were not initiated in a friendly manner.",
        );
        assert_eq!(f.get("polarity_mismatch"), 0.0);
    }

    #[test]
    fn a_negation_in_a_comparison_or_about_something_else_does_not_deny() {
        let comparison = features(
            "Officials have begun drawing up economic sanctions against Iraq.",
            "Trump said the U.S. would charge them sanctions like they've never seen before.",
        );
        assert_eq!(comparison.get("polarity_mismatch"), 0.0);
        // "not" governs "sent", which the other sentence does not speak of.
        let elsewhere = features(
            "Milley said the letter was a draft and should not have been sent.",
            "Officials pushed back on the media's characterization of the letter as a withdrawal.",
        );
        assert_eq!(elsewhere.get("polarity_mismatch"), 0.0);
        let about = features(
            "Milley said the letter was not sent to the ministry.",
            "The letter was sent to the Iraqi defence ministry.",
        );
        assert_eq!(about.get("polarity_mismatch"), 1.0);
        // A judgement is not a denial, and an open question asserts neither side.
        let judgement = features(
            "Milley said the letter should not have been sent.",
            "The letter was sent to the Iraqi defence ministry.",
        );
        assert_eq!(judgement.get("polarity_mismatch"), 0.0);
        let question = features(
            "But there's been no decision made to leave Iraq.",
            "It was not immediately clear if all 5,000 troops would leave Iraq.",
        );
        assert_eq!(question.get("polarity_mismatch"), 0.0);
    }

    #[test]
    fn a_denial_verb_negates_like_no() {
        // Both say there is no decision: one with "no", one by denying that there is one.
        let f = features(
            "Esper said the letter was inconsistent with Washington's position, denying there has been a decision to leave Iraq.",
            "There has been no decision to leave Iraq.",
        );
        assert_eq!(f.get("polarity_mismatch"), 0.0);
        assert_eq!(f.get("denial_in_one"), 1.0);
        assert!(f.get("hypothesis_covered") > 0.7);
    }

    #[test]
    fn opposite_verbs_count_only_across_the_pair() {
        let f = features(
            "The coalition will withdraw its troops this month.",
            "The coalition troops will stay in the country.",
        );
        assert_eq!(f.get("opposite_words"), 1.0);
        assert!(f.evidence.iter().any(|e| e.contains("withdraw")));
        // Both words on both sides is a comparison, not a contradiction.
        let g = features(
            "Troops may stay or withdraw.",
            "Whether troops stay or withdraw is open.",
        );
        assert_eq!(g.get("opposite_words"), 0.0);
        // Opposites said of different things.
        let h = features(
            "From a legal standpoint, the deal pulls the rug out from under the government.",
            "The department showed that Microsoft used its monopoly in illegal ways.",
        );
        assert_eq!(h.get("opposite_words"), 0.0);
    }

    #[test]
    fn a_different_number_or_day_for_the_same_slot() {
        let f = features(
            "Roughly 5,000 US troops are stationed in Iraq.",
            "Some 3,000 US troops are stationed in Iraq.",
        );
        assert_eq!(f.get("number_mismatch"), 1.0);
        let g = features(
            "The parliament voted on Sunday to expel the troops.",
            "The parliament voted on Monday to expel the troops.",
        );
        assert_eq!(g.get("slot_mismatch"), 1.0);
        assert!(g
            .evidence
            .iter()
            .any(|e| e.contains("sunday against monday")));
        let same = features(
            "The parliament voted on Sunday.",
            "On Sunday the parliament voted.",
        );
        assert_eq!(same.get("slot_mismatch"), 0.0);
        assert_eq!(same.get("number_mismatch"), 0.0);
        // Numbers and days that qualify different things are different slots.
        let counted = features(
            "The deficit is running 50 percent above last year's level.",
            "The deficit was the highest since the new method began in 1992.",
        );
        assert_eq!(counted.get("number_mismatch"), 0.0);
        let reporting = features(
            "Hun Sen on Friday rejected demands for talks abroad.",
            "Hun Sen said Thursday that the opposition failed to follow through.",
        );
        assert_eq!(reporting.get("slot_mismatch"), 0.0);
    }

    #[test]
    fn new_names_in_the_hypothesis_are_counted() {
        let f = features(
            "Milley told reporters the letter was a draft.",
            "Reporters were told by Esper that the letter was a draft.",
        );
        assert!(f.get("names_only_in_hypothesis") > 0.0);
        // A capital that only opens the sentence is not a name.
        let g = features(
            "Milley told reporters the letter was a draft.",
            "Reporters were told by Milley that the letter was a draft.",
        );
        assert_eq!(g.get("names_only_in_hypothesis"), 0.0);
    }
}
