//! Aliases: a learnt second look at the entities the merge rules of [`super::entities`] left
//! apart.
//!
//! The rules join the spellings each of them was written for; a name no rule covers ("EDS" /
//! "Electronic Data Systems" before the acronym rule, "Angels" / "Los Angeles Angels") stays a
//! second entity. This stage scores each pair of a story's entities of one sort (a person with a
//! person, any other name with any other name: a person never joins a place) with a logistic
//! regression over general features of their names: the words they share, surname and first
//! name, initials, spelling similarity, kinds, how often and in which reports each is named, and
//! how many other entities the shorter name would fit. Pairs with nothing in common (no word
//! starting with the same three letters, no initials) are never scored. Entities then join,
//! most probable pair first, when the mean probability over every pair of their members clears
//! the threshold, so one strong pair cannot chain two different people together.
//!
//! The weights and the threshold are learnt from ECB+ by `dossier-train aliases`
//! (`crates/dossier/models/aliases-lr.json`; see bench/aliases/README.md for the folds).

use super::entities::edit_distance;
use crate::model::{Entity, Report};
use crate::ner::EntityKind;
use serde::{Deserialize, Serialize};
use std::collections::{HashMap, HashSet};
use std::sync::OnceLock;
use unicode_normalization::UnicodeNormalization;

/// The features of a pair of entities, in the order of [`features`].
pub const FEATURE_NAMES: [&str; 14] = [
    "same_kind",
    "people",
    "words_shared",
    "words_contained",
    "same_last_word",
    "same_first_word",
    "one_word",
    "initials",
    "spelling",
    "prefix",
    "rivals",
    "fewer_mentions",
    "more_mentions",
    "reports_shared",
];

/// The learnt pair decision, as stored in JSON.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AliasModel {
    /// [`FEATURE_NAMES`], checked at load.
    pub features: Vec<String>,
    pub weights: Vec<f32>,
    pub bias: f32,
    /// Minimum mean probability between two groups of entities for them to be one.
    pub threshold: f32,
    /// How the file was made (command and data), for the record.
    pub trained_on: String,
}

const SHIPPED: &str = include_str!("../../models/aliases-lr.json");

impl AliasModel {
    /// The weights the library ships, read once.
    pub fn shipped() -> &'static AliasModel {
        static READ: OnceLock<AliasModel> = OnceLock::new();
        READ.get_or_init(|| {
            AliasModel::from_json(SHIPPED).expect("the shipped alias model is valid")
        })
    }

    /// Reads and checks a weights file's text.
    pub fn from_json(json: &str) -> Result<AliasModel, String> {
        let model: AliasModel = serde_json::from_str(json)
            .map_err(|e| format!("the alias model does not parse: {e}"))?;
        if model.features != FEATURE_NAMES || model.weights.len() != FEATURE_NAMES.len() {
            return Err(format!(
                "the alias model names other features than {FEATURE_NAMES:?}"
            ));
        }
        let numbers = [model.bias, model.threshold];
        if numbers.iter().chain(&model.weights).any(|w| !w.is_finite()) {
            return Err("the alias model's numbers are not all finite".into());
        }
        Ok(model)
    }

    pub fn probability(&self, x: &[f32]) -> f32 {
        let logit = self.bias + self.weights.iter().zip(x).map(|(w, v)| w * v).sum::<f32>();
        1.0 / (1.0 + (-logit).exp())
    }
}

/// One entity as the features see it.
struct Names {
    person: bool,
    kind: EntityKind,
    /// The name's words: folded, capitalised ones only ("of", "the" dropped).
    words: Vec<String>,
    /// Every form, folded to its letters ("U.S." and "US" alike), for spelling and initials.
    forms: Vec<String>,
    /// Forms written as an acronym (two to six capitals once dots and spaces are dropped).
    acronyms: Vec<String>,
    /// The initials each multi-word form may be written as.
    initials: Vec<String>,
    /// First three letters of every word of every form: the pre-filter.
    stems: HashSet<String>,
    mentions: usize,
    reports: HashSet<String>,
}

impl Names {
    fn of(e: &Entity) -> Names {
        let forms_raw: Vec<&str> = std::iter::once(e.name.as_str())
            .chain(e.aliases.iter().map(String::as_str))
            .collect();
        let stems = forms_raw
            .iter()
            .flat_map(|f| f.split(|c: char| c.is_whitespace() || c == '-'))
            .map(fold)
            .filter(|w| w.chars().count() >= 3)
            .map(|w| w.chars().take(3).collect())
            .collect();
        Names {
            person: e.kind == EntityKind::Person,
            kind: e.kind,
            words: name_words(&e.name),
            forms: forms_raw.iter().map(|f| fold(f)).collect(),
            acronyms: forms_raw.iter().filter_map(|f| acronym(f)).collect(),
            initials: forms_raw.iter().flat_map(|f| initials(f)).collect(),
            stems,
            mentions: e.mentions.len(),
            reports: e
                .mentions
                .iter()
                .map(|m| {
                    m.rsplit_once(':')
                        .map_or(m.as_str(), |(r, _)| r)
                        .to_string()
                })
                .collect(),
        }
    }
}

/// Lower case, accents and every character that is not a letter or digit dropped.
fn fold(word: &str) -> String {
    word.nfd()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect()
}

/// The capitalised words of a name, folded.
fn name_words(name: &str) -> Vec<String> {
    name.split_whitespace()
        .filter(|w| !w.starts_with(char::is_lowercase) && fold(w) != "the")
        .map(fold)
        .filter(|w| !w.is_empty())
        .collect()
}

/// The form as an acronym, folded: "U.S.A." → "usa", "THR" → "thr"; none for other forms.
fn acronym(form: &str) -> Option<String> {
    let letters: String = form.chars().filter(|c| !matches!(c, '.' | ' ')).collect();
    let n = letters.chars().count();
    ((2..=6).contains(&n) && letters.chars().all(|c| c.is_ascii_uppercase()))
        .then(|| letters.to_lowercase())
}

/// The initials of a form of two words or more, counting the parts of hyphenated words, with
/// and without a leading "the" and lower-case words ("Academy of Motion Picture Arts and
/// Sciences" → "ampas").
fn initials(form: &str) -> Vec<String> {
    let parts: Vec<&str> = form
        .split(|c: char| c.is_whitespace() || c == '-')
        .filter(|p| p.chars().any(char::is_alphabetic))
        .collect();
    if parts.len() < 2 {
        return vec![];
    }
    let with_the: String = parts
        .iter()
        .filter(|p| p.starts_with(char::is_uppercase))
        .filter_map(|p| p.chars().next())
        .flat_map(char::to_lowercase)
        .collect();
    let mut out = vec![with_the.clone()];
    if parts.first().is_some_and(|p| fold(p) == "the") {
        out.push(with_the.chars().skip(1).collect());
    }
    out
}

/// Whether a pair is worth scoring: two entities of one sort that share a word start or whose
/// initials one spells. Two full names of people are scored only when every word of one is in
/// the other ("Hugh Jackman" in a recogniser's "Hugh Jackman Oscars"): names a letter apart are
/// often two people ("Jan Smith" / "Jon Smith", "Mark Miller" / "Mark Milley"), and relatives
/// share a surname ("Lucia Pinochet" / "Augusto Pinochet"). And a surname the story names alone more often than a full name holding it is
/// never joined to it: the rules left it apart for standing alone ("Pinochet", the general,
/// beside one "Lucia Pinochet"), and nothing in the names can say it is the same person.
fn candidate(a: &Names, b: &Names) -> bool {
    let lone = |one: &Names, full: &Names| {
        one.person && one.words.len() == 1 && full.words.len() > 1 && one.mentions > full.mentions
    };
    let (short, long) = if a.words.len() <= b.words.len() {
        (a, b)
    } else {
        (b, a)
    };
    let full_names =
        a.person && short.words.len() > 1 && !short.words.iter().all(|w| long.words.contains(w));
    a.person == b.person
        && !full_names
        && !lone(a, b)
        && !lone(b, a)
        && (!a.stems.is_disjoint(&b.stems) || spells(a, b) || spells(b, a))
}

fn spells(short: &Names, long: &Names) -> bool {
    short.acronyms.iter().any(|s| long.initials.contains(s))
}

/// The features of a pair, in [`FEATURE_NAMES`] order. `rivals` is how many other entities of
/// the story hold every word of the shorter name.
fn features(a: &Names, b: &Names, rivals: usize) -> Vec<f32> {
    let (s, l) = if (a.words.len(), a.forms[0].len()) <= (b.words.len(), b.forms[0].len()) {
        (a, b)
    } else {
        (b, a)
    };
    let shared = s.words.iter().filter(|w| l.words.contains(w)).count();
    let share = shared as f32 / s.words.len().max(1) as f32;
    let spelling = a
        .forms
        .iter()
        .flat_map(|f| b.forms.iter().map(move |g| (f, g)))
        .filter(|(f, g)| !f.is_empty() && !g.is_empty())
        .map(|(f, g)| {
            let longest = f.chars().count().max(g.chars().count());
            1.0 - edit_distance(f, g) as f32 / longest as f32
        })
        .fold(0.0, f32::max);
    let (few, many) = if a.mentions <= b.mentions {
        (a, b)
    } else {
        (b, a)
    };
    let reports_shared =
        few.reports.intersection(&many.reports).count() as f32 / few.reports.len().max(1) as f32;
    let flag = |b: bool| f32::from(u8::from(b));
    vec![
        flag(a.kind == b.kind),
        flag(a.person),
        share,
        flag(!s.words.is_empty() && shared == s.words.len()),
        flag(!s.words.is_empty() && s.words.last() == l.words.last()),
        flag(!s.words.is_empty() && s.words.first() == l.words.first()),
        flag(s.words.len() == 1),
        flag(spells(a, b) || spells(b, a)),
        spelling,
        flag(!s.words.is_empty() && l.words.starts_with(&s.words)),
        (1.0 + rivals as f32).ln(),
        (1.0 + few.mentions as f32).ln(),
        (1.0 + many.mentions as f32).ln(),
        reports_shared,
    ]
}

/// Every pair of a story's entities worth scoring, `(i, j, features)` with `i < j`.
pub fn pairs(entities: &[Entity]) -> Vec<(usize, usize, Vec<f32>)> {
    let names: Vec<Names> = entities.iter().map(Names::of).collect();
    let mut out = Vec::new();
    for i in 0..names.len() {
        for j in i + 1..names.len() {
            if !candidate(&names[i], &names[j]) {
                continue;
            }
            let shorter = if names[i].words.len() <= names[j].words.len() {
                &names[i]
            } else {
                &names[j]
            };
            let rivals = (0..names.len())
                .filter(|&k| k != i && k != j && names[k].person == shorter.person)
                .filter(|&k| {
                    !shorter.words.is_empty()
                        && shorter.words.iter().all(|w| names[k].words.contains(w))
                })
                .count();
            out.push((i, j, features(&names[i], &names[j], rivals)));
        }
    }
    out
}

/// The story's entities with those the model judges one joined (see the module notes).
/// `reports` are the story's reports, whose sentences give the mentions' order.
pub fn merge(reports: &[&Report], entities: Vec<Entity>, model: &AliasModel) -> Vec<Entity> {
    let scored: Vec<(usize, usize, f32)> = pairs(&entities)
        .into_iter()
        .map(|(i, j, x)| (i, j, model.probability(&x)))
        .collect();
    let groups = join(entities.len(), &scored, model.threshold);
    let order: HashMap<&str, usize> = reports
        .iter()
        .flat_map(|r| &r.sentences)
        .enumerate()
        .map(|(n, s)| (s.id.as_str(), n))
        .collect();
    let mut slots: Vec<Option<Entity>> = entities.into_iter().map(Some).collect();
    let mut out: Vec<Entity> = groups
        .iter()
        .map(|g| {
            let members: Vec<Entity> = g.iter().filter_map(|&i| slots[i].take()).collect();
            combine(members, &order)
        })
        .collect();
    for (n, e) in out.iter_mut().enumerate() {
        e.id = format!("e{}", n + 1);
    }
    out
}

/// Groups of entity indices, each sorted, in order of their first member: pairs taken most
/// probable first, two groups joining when the mean probability over all their cross pairs
/// (an unscored pair counts as 0) reaches `threshold`.
fn join(n: usize, scored: &[(usize, usize, f32)], threshold: f32) -> Vec<Vec<usize>> {
    let p: HashMap<(usize, usize), f32> = scored.iter().map(|&(i, j, p)| ((i, j), p)).collect();
    let mut order: Vec<&(usize, usize, f32)> = scored.iter().filter(|s| s.2 >= threshold).collect();
    order.sort_by(|a, b| b.2.total_cmp(&a.2).then((a.0, a.1).cmp(&(b.0, b.1))));
    let mut group_of: Vec<usize> = (0..n).collect();
    let mut groups: Vec<Vec<usize>> = (0..n).map(|i| vec![i]).collect();
    for &&(i, j, _) in &order {
        let (gi, gj) = (group_of[i], group_of[j]);
        if gi == gj {
            continue;
        }
        let cross: Vec<f32> = groups[gi]
            .iter()
            .flat_map(|&a| groups[gj].iter().map(move |&b| (a.min(b), a.max(b))))
            .map(|k| p.get(&k).copied().unwrap_or(0.0))
            .collect();
        if cross.iter().sum::<f32>() / cross.len() as f32 >= threshold {
            let moved = std::mem::take(&mut groups[gj]);
            for &m in &moved {
                group_of[m] = gi;
            }
            groups[gi].extend(moved);
        }
    }
    let mut out: Vec<Vec<usize>> = groups.into_iter().filter(|g| !g.is_empty()).collect();
    for g in &mut out {
        g.sort_unstable();
    }
    out.sort_by_key(|g| g[0]);
    out
}

/// One entity of several: the name of the full name (two words or more) named most, then the
/// fullest ("Hugh Jackman" over a recogniser's "Hugh Jackman Oscars" named once, "Los Angeles
/// Angels" over "Angels"), the kind of the one named most (one entity, one kind), every other
/// form an alias, mentions in story order (`order`: a sentence id's place in the story).
fn combine(mut members: Vec<Entity>, order: &HashMap<&str, usize>) -> Entity {
    let named = (0..members.len())
        .max_by_key(|&m| {
            let e = &members[m];
            let words = e.name.split_whitespace().count();
            (
                words > 1,
                e.mentions.len(),
                words,
                e.name.chars().count(),
                usize::MAX - m,
            )
        })
        .unwrap_or(0);
    let most = (0..members.len())
        .max_by_key(|&m| (members[m].mentions.len(), usize::MAX - m))
        .unwrap_or(0);
    let kind = members[most].kind;
    let mut entity = members.swap_remove(named);
    entity.kind = kind;
    for other in members {
        for form in std::iter::once(other.name).chain(other.aliases) {
            if form != entity.name && !entity.aliases.contains(&form) {
                entity.aliases.push(form);
            }
        }
        for m in other.mentions {
            if !entity.mentions.contains(&m) {
                entity.mentions.push(m);
            }
        }
    }
    entity
        .mentions
        .sort_by_key(|m| order.get(m.as_str()).copied().unwrap_or(usize::MAX));
    entity
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analyse::entities::entities;
    use crate::analyse::{id_of, tagged};
    use crate::model::test_report;
    use EntityKind::{Organization as Org, Person, Place};

    /// The rules' entities of the reports, then the shipped model's joins.
    fn learnt(reports: &[Report], names: &[(&str, EntityKind)]) -> Vec<Entity> {
        let refs: Vec<&Report> = reports.iter().collect();
        let mentions: Vec<_> = reports.iter().map(|r| tagged(r, names)).collect();
        merge(&refs, entities(&refs, &mentions), AliasModel::shipped())
    }

    #[test]
    fn the_shipped_model_loads_and_a_file_for_other_features_is_refused() {
        let model = AliasModel::shipped();
        assert!(model.threshold > 0.0 && model.threshold < 1.0);
        let mut json: serde_json::Value = serde_json::from_str(SHIPPED).unwrap();
        json["features"][0] = "cosine".into();
        let err = AliasModel::from_json(&json.to_string()).unwrap_err();
        assert!(err.contains("other features"), "{err}");
    }

    #[test]
    fn a_surname_named_first_in_another_report_joins_the_full_name() {
        let a = test_report(
            "a",
            &[
                "Jackman will host the Oscars in Los Angeles.",
                "Jackman was born in Sydney.",
            ],
        );
        let b = test_report(
            "b",
            &[
                "Hugh Jackman said hosting was an honour.",
                "Hugh Jackman thanked the Academy.",
            ],
        );
        let names = [
            ("Jackman", Person),
            ("Hugh Jackman", Person),
            ("Los Angeles", Place),
            ("Sydney", Place),
            ("Academy", Org),
        ];
        let found = learnt(&[a, b], &names);
        assert_eq!(id_of(&found, "Jackman"), id_of(&found, "Hugh Jackman"));
        let jackman = found.iter().find(|e| e.name == "Hugh Jackman").unwrap();
        assert_eq!(jackman.mentions, ["a:1", "a:2", "b:1", "b:2"]);
        assert_eq!(found.len(), 4, "{found:#?}");
    }

    #[test]
    fn different_people_and_places_stay_apart() {
        let a = test_report(
            "a",
            &[
                "Pinochet was arrested in London.",
                "Pinochet's lawyers appealed, and Pinochet waited.",
            ],
        );
        let b = test_report(
            "b",
            &[
                "Jan Smith and Jon Smith met Mark Miller and Mark Milley.",
                "Donald Trump and Ivanka Trump flew to Iran and Iraq.",
                "Lucia Pinochet flew to London; Georgia Meloni visited Georgia.",
            ],
        );
        let names = [
            ("Pinochet", Person),
            ("London", Place),
            ("Jan Smith", Person),
            ("Jon Smith", Person),
            ("Mark Miller", Person),
            ("Mark Milley", Person),
            ("Donald Trump", Person),
            ("Ivanka Trump", Person),
            ("Iran", Place),
            ("Iraq", Place),
            ("Lucia Pinochet", Person),
            ("Georgia Meloni", Person),
            ("Georgia", Place),
        ];
        let found = learnt(&[a, b], &names);
        assert_eq!(found.len(), names.len(), "{found:#?}");
        assert!(found.iter().all(|e| e.aliases.is_empty()), "{found:#?}");
    }

    fn entity(name: &str, kind: EntityKind, mentions: &[&str]) -> Entity {
        Entity {
            id: String::new(),
            name: name.into(),
            kind,
            aliases: vec![],
            mentions: mentions.iter().map(|m| m.to_string()).collect(),
        }
    }

    #[test]
    fn joined_entities_take_the_name_named_most_one_kind_and_no_chain() {
        let r = test_report("r", &["One.", "Two.", "Three.", "Four."]);
        // A model that joins a pair exactly when one name holds every word of the other.
        let mut weights = vec![0.0; FEATURE_NAMES.len()];
        weights[3] = 10.0;
        let model = AliasModel {
            features: FEATURE_NAMES.iter().map(|f| f.to_string()).collect(),
            weights,
            bias: -5.0,
            threshold: 0.6,
            trained_on: "test".into(),
        };
        let found = merge(
            &[&r],
            vec![
                entity("Angels", Org, &["r:4", "r:2"]),
                entity("Smith", Person, &["r:1"]),
                entity("Los Angeles Angels", Place, &["r:3"]),
                entity("John Smith", Person, &["r:2"]),
                entity("Jane Smith", Person, &["r:3"]),
                entity("Hugh Jackman Oscars", Person, &["r:1"]),
                entity("Hugh Jackman", Person, &["r:2", "r:4"]),
            ],
            &model,
        );
        let names: Vec<&str> = found.iter().map(|e| e.name.as_str()).collect();
        // "Smith" fits both full names; once it joins one, the other's mean falls to 0.5.
        assert_eq!(
            names,
            [
                "Los Angeles Angels",
                "John Smith",
                "Jane Smith",
                "Hugh Jackman"
            ]
        );
        let ids: Vec<&str> = found.iter().map(|e| e.id.as_str()).collect();
        assert_eq!(ids, ["e1", "e2", "e3", "e4"]);
        assert_eq!(found[3].aliases, ["Hugh Jackman Oscars"]);
        let angels = &found[0];
        assert_eq!(angels.kind, Org);
        assert_eq!(angels.aliases, ["Angels"]);
        assert_eq!(angels.mentions, ["r:2", "r:3", "r:4"]);
        assert_eq!(found[1].aliases, ["Smith"]);
    }
}
