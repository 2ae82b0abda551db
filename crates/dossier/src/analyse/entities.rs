//! Entities: the names a recogniser found in a story's reports, each thing named once.
//!
//! Reports spell one name many ways, so mentions are merged by rules, each with a guard against
//! the merge that would be wrong:
//!
//! - **Junk** is dropped before merging: a mention without a capital ("phalanx", "ailing"),
//!   one of fewer than two letters (a bare "s", an initial), and an entity whose every mention
//!   is a title ("Brig Gen").
//! - **One kind**: a mention the recogniser tags as an organisation or place becomes a person
//!   when the story tags the same words as a person ("Hun Sen"; for a single word, when it is
//!   a person at least as often). An entity's kind is that of most of its direct mentions; on
//!   a tie, that of the mention that gave the name. A one-word mention tagged as a person
//!   that the story more often tags otherwise ("CNN") takes the story's kind.
//! - **Modifiers** a recogniser takes in with a name are dropped: a compound adjective in front
//!   of it ("Palo Alto-based HP" is "HP").
//! - **People** are compared without titles and ranks ("Brigadier General", "Brig Gen",
//!   "Defence Secretary", "Mr."), without lower-case words before the name ("strongman") and
//!   without middle initials ("William H Seely" is "William Seely") and without a generational
//!   suffix ("W. Mark Felt Sr." is "Mark Felt"). Two full names merge when
//!   first and last name both match; a shared first name alone never merges ("Mark Milley" /
//!   "Mark Esper").
//! - **One-word** person mentions ("Seely") join a full name ending in that word, or when none
//!   does, one holding it ("Hun" of "Hun Sen"). Among several, and against the same word
//!   standing alone earlier in the story, the one named most so far wins, then the one named
//!   most recently: a "Pinochet" the story has used alone for the general does not go to
//!   "Lucia Pinochet" named once. With none named before it, a single full name takes the
//!   word only when it is named later in the same report; otherwise the word stands alone
//!   rather than being guessed.
//! - **Transliterations and spelling variants** ("Qassem" / "Qasem", "Bettie" / "Betty")
//!   match when both words are at least five letters long, start alike, have the same
//!   consonants once doubled letters are collapsed, and lie at most two edits apart. Shorter
//!   words must match exactly, so places one letter apart ("Iraq" / "Iran") stay apart.
//! - **Organisations, places and other names** merge when their letters match once dots, case,
//!   accents and a leading "the" are dropped ("U.S." = "US"); the recogniser's kind may differ
//!   between mentions (a country is tagged place or organisation by context), but a person
//!   never merges with a non-person.
//! - **Country forms** ("USA", "United States", "America") merge through a small table of
//!   common countries; **acronyms** ("UN") join the one multi-word name in the story whose
//!   initials they spell ("United Nations"), counting the parts of a hyphenated word ("HP" /
//!   "Hewlett-Packard"), every letter of a dotted abbreviation ("USGS" / "U.S. Geological
//!   Survey") and optionally a leading "the" ("THR" / "The Hollywood Reporter").
//! - **Short names of organisations** ("T-Mobile", "Staunton Police") join the one longer
//!   organisation name of the story that starts with them ("T-Mobile USA"); with two such
//!   names, or a place ("Los Angeles" / "Los Angeles Angels"), they stay apart.
//! - **Demonyms** ("Iraqi", "Americans") join a place only when the story names that place,
//!   by suffix ("Iraqi" → "Iraq", "Iranian" → "Iran", "Syrian" → "Syria") or through the
//!   table ("British" → "United Kingdom"); a longer name that merely starts with one
//!   ("American Airlines") is its own mention and is left alone.
//!
//! What the rules leave apart, [`super::aliases`] looks at again with a learnt pair model.

use crate::model::{Entity, Report};
use crate::ner::{EntityKind, Mention};
use std::collections::HashMap;
use unicode_normalization::UnicodeNormalization;

/// Words that precede a person's name without being part of it. Stripped only from the front
/// of a person mention, and never down to nothing.
const TITLES: &[&str] = &[
    "mr",
    "mrs",
    "ms",
    "miss",
    "dr",
    "prof",
    "professor",
    "sir",
    "dame",
    "lord",
    "lady",
    "president",
    "vice",
    "prime",
    "minister",
    "secretary",
    "of",
    "state",
    "chairman",
    "chairwoman",
    "chair",
    "chancellor",
    "senator",
    "sen",
    "rep",
    "representative",
    "congressman",
    "congresswoman",
    "governor",
    "gov",
    "mayor",
    "king",
    "queen",
    "prince",
    "princess",
    "pope",
    "ayatollah",
    "sheikh",
    "imam",
    "general",
    "gen",
    "brigadier",
    "brig",
    "lieutenant",
    "lt",
    "colonel",
    "col",
    "major",
    "maj",
    "captain",
    "capt",
    "admiral",
    "adm",
    "sergeant",
    "sgt",
    "commander",
    "cmdr",
    "marshal",
    "corporal",
    "cpl",
    "private",
    "pvt",
    "judge",
    "justice",
    "chief",
    "deputy",
    "acting",
    "former",
    "foreign",
    "defense",
    "defence",
    "interior",
    "finance",
    "home",
    "ambassador",
    "spokesman",
    "spokeswoman",
    "spokesperson",
];

/// Common countries: the names and acronyms that mean the same country, then its demonyms.
const COUNTRIES: &[(&[&str], &[&str])] = &[
    (
        &[
            "United States",
            "United States of America",
            "US",
            "USA",
            "America",
        ],
        &["American", "Americans"],
    ),
    (
        &["United Kingdom", "UK", "Britain", "Great Britain"],
        &["British", "Briton", "Britons"],
    ),
    (&["France"], &["French"]),
    (&["Germany"], &["German", "Germans"]),
    (
        &["China", "People's Republic of China", "PRC"],
        &["Chinese"],
    ),
    (&["Japan"], &["Japanese"]),
    (&["Netherlands", "Holland"], &["Dutch"]),
    (&["Spain"], &["Spanish", "Spaniard", "Spaniards"]),
    (&["Turkey", "Turkiye"], &["Turkish", "Turk", "Turks"]),
    (&["Afghanistan"], &["Afghan", "Afghans"]),
    (&["Greece"], &["Greek", "Greeks"]),
    (&["Switzerland"], &["Swiss"]),
    (&["Sweden"], &["Swedish", "Swede", "Swedes"]),
    (&["Poland"], &["Polish", "Pole", "Poles"]),
    (&["Philippines"], &["Filipino", "Filipinos", "Philippine"]),
    (&["Vietnam"], &["Vietnamese"]),
    (&["Lebanon"], &["Lebanese"]),
    (&["Sudan"], &["Sudanese"]),
    (&["Yemen"], &["Yemeni", "Yemenis"]),
    (&["New Zealand", "NZ"], &["New Zealander", "New Zealanders"]),
    (&["United Arab Emirates", "UAE"], &["Emirati", "Emiratis"]),
    (&["Saudi Arabia"], &["Saudi", "Saudis"]),
    (&["Russia", "Russian Federation"], &["Russian", "Russians"]),
    (
        &["South Korea", "Republic of Korea", "ROK"],
        &["South Korean", "South Koreans"],
    ),
    (&["North Korea", "DPRK"], &["North Korean", "North Koreans"]),
    (&["European Union", "EU"], &[]),
];

/// Legal forms that may end a company's name, folded.
const LEGAL_FORMS: &[&str] = &[
    "inc",
    "corp",
    "corporation",
    "company",
    "incorporated",
    "limited",
    "co",
    "ltd",
    "llc",
    "plc",
    "ag",
    "sa",
    "gmbh",
];

/// Words an acronym skips ("United States of America" → USA).
const ACRONYM_SKIPS: &[&str] = &[
    "of", "the", "and", "for", "de", "la", "du", "del", "der", "&",
];

/// Generational suffixes that may end a person's name ("W. Mark Felt Sr."), folded: no part
/// of the name two mentions are compared by.
const GENERATIONS: &[&str] = &["jr", "sr", "ii", "iii", "iv"];

/// One mention as the merge sees it.
struct Seen<'a> {
    /// Story order: report, sentence, position.
    at: (usize, usize, usize),
    sentence_id: &'a str,
    surface: String,
    kind: EntityKind,
}

/// Merges the mentions of a story's reports into entities. `mentions[r][s]` are the mentions
/// the recogniser found in `reports[r].sentences[s]`.
pub fn entities(reports: &[&Report], mentions: &[Vec<Vec<Mention>>]) -> Vec<Entity> {
    let mut seen = Vec::new();
    for (r, (report, per_sentence)) in reports.iter().zip(mentions).enumerate() {
        for (s, (sentence, found)) in report.sentences.iter().zip(per_sentence).enumerate() {
            for m in found {
                let Some(raw) = sentence.text.get(m.start..m.end) else {
                    continue;
                };
                let surface = clean_surface(raw);
                if is_name(&surface) {
                    seen.push(Seen {
                        at: (r, s, m.start),
                        sentence_id: &sentence.id,
                        surface,
                        kind: m.kind,
                    });
                }
            }
        }
    }
    seen.sort_by_key(|m| m.at);
    settle_people(&mut seen);
    let (people, others): (Vec<usize>, Vec<usize>) =
        (0..seen.len()).partition(|&i| seen[i].kind == EntityKind::Person);
    let mut groups = merge_people(&seen, &people);
    groups.extend(merge_names(&seen, &others));
    // A title alone ("Brig Gen") names nobody.
    groups.retain(|g| g.members.iter().any(|&m| !all_titles(&seen[m].surface)));
    for g in &mut groups {
        g.members.sort_unstable();
    }
    groups.sort_by_key(|g| g.members[0]);
    groups
        .into_iter()
        .enumerate()
        .map(|(n, g)| build(format!("e{}", n + 1), &g, &seen))
        .collect()
}

/// The entity a mention was merged into: the one that lists `surface` among its forms and
/// `sentence_id` among its mentions.
pub fn entity_at<'a>(
    entities: &'a [Entity],
    sentence_id: &str,
    surface: &str,
) -> Option<&'a Entity> {
    let surface = clean_surface(surface);
    entities.iter().find(|e| {
        (e.name == surface || e.aliases.contains(&surface))
            && e.mentions.iter().any(|m| m == sentence_id)
    })
}

/// The mention as a name: no surrounding punctuation or quote marks, no possessive.
pub fn clean_surface(raw: &str) -> String {
    let trimmed = raw.trim_matches(|c: char| {
        c.is_whitespace() || "\"'“”‘’«»,;:()[]{}".contains(c) || c == '—' || c == '–'
    });
    let trimmed = ["'s", "’s", "'", "’"]
        .iter()
        .find_map(|p| trimmed.strip_suffix(p))
        .unwrap_or(trimmed);
    let words: Vec<&str> = trimmed.split_whitespace().collect();
    // A recogniser takes a compound modifier in with the name ("Palo Alto-based HP",
    // "Texas-born Smith"); the name is what follows the last one.
    let start = words[..words.len().saturating_sub(1)]
        .iter()
        .rposition(|w| is_compound_modifier(w))
        .map_or(0, |i| i + 1);
    // Nor a common noun after it ("Netscape board"): a name ends on a capitalised word.
    let mut end = words.len();
    while end > start + 1 && words[end - 1].starts_with(char::is_lowercase) {
        end -= 1;
    }
    words[start..end].join(" ")
}

/// English prefixes that make an adjective of a name ("pro-North", "anti-Western").
const ADJECTIVE_PREFIXES: &[&str] = &["pro", "anti", "non", "ex", "post", "pre", "neo", "pan"];

/// A word like "Texas-based" or "state-owned": ends in a lower-case participle after a hyphen.
fn is_compound_modifier(word: &str) -> bool {
    word.rsplit_once('-').is_some_and(|(head, tail)| {
        !head.is_empty()
            && tail.chars().all(|c| c.is_ascii_lowercase())
            && (tail.len() > 3 && tail.ends_with("ed") || tail == "born" || tail == "run")
    })
}

/// Whether a cleaned mention can be a name at all: a name is written with a capital somewhere
/// (a lower-case word is the recogniser's mistake), has two letters or more (a bare suffix
/// or an initial names nothing on its own) and is no adjective made of a name ("pro-North").
fn is_name(surface: &str) -> bool {
    let adjective = surface
        .split_once('-')
        .is_some_and(|(head, _)| ADJECTIVE_PREFIXES.contains(&head));
    !adjective
        && surface.chars().any(char::is_uppercase)
        && surface.chars().filter(|c| c.is_alphabetic()).count() >= 2
}

/// Whether every word of a mention is a title or rank.
fn all_titles(surface: &str) -> bool {
    surface
        .split_whitespace()
        .all(|w| TITLES.contains(&fold(w).as_str()))
}

/// Settles whether the words of a mention name a person. A mention tagged as an organisation,
/// place or other name becomes a person when the story tags the same words as a person: always
/// for a name of two words or more ("Hun Sen" is rarely an organisation once it is a person),
/// and for one word when the story tags it a person at least as often as not. The other way,
/// a one-word mention tagged as a person that the story more often tags otherwise ("CNN",
/// "Hewlett-Packard") takes the kind the story gives it most.
fn settle_people(seen: &mut [Seen]) {
    let mut votes: HashMap<Vec<String>, HashMap<EntityKind, usize>> = HashMap::new();
    for m in seen.iter() {
        *votes
            .entry(person_words(&m.surface))
            .or_default()
            .entry(m.kind)
            .or_default() += 1;
    }
    for m in seen.iter_mut() {
        let words = person_words(&m.surface);
        let kinds = &votes[&words];
        let person = kinds.get(&EntityKind::Person).copied().unwrap_or(0);
        let other: usize = kinds.values().sum::<usize>() - person;
        if m.kind != EntityKind::Person && person > 0 && (words.len() >= 2 || person >= other) {
            m.kind = EntityKind::Person;
        } else if m.kind == EntityKind::Person && words.len() == 1 && other > person {
            // Ties go to the kind that sorts first, so the same votes give the same kind.
            let most = kinds
                .iter()
                .filter(|(k, _)| **k != EntityKind::Person)
                .max_by_key(|(k, n)| (**n, std::cmp::Reverse(**k)));
            if let Some((kind, _)) = most {
                m.kind = *kind;
            }
        }
    }
}

struct Group {
    /// Indices into the story's mentions.
    members: Vec<usize>,
    /// Members that name the entity only as a demonym or acronym: never its name.
    indirect: Vec<usize>,
}

/// A folded word: lower case, accents and dots removed.
fn fold(word: &str) -> String {
    word.nfd()
        .filter(|c| !unicode_normalization::char::is_combining_mark(*c) && *c != '.')
        .flat_map(char::to_lowercase)
        .collect()
}

/// A person's name as words, without leading titles and without initials (unless nothing
/// else is left).
fn person_words(surface: &str) -> Vec<String> {
    let start = name_start(surface);
    let mut words: Vec<String> = surface.split_whitespace().skip(start).map(fold).collect();
    while words.len() > 1
        && words
            .last()
            .is_some_and(|w| GENERATIONS.contains(&w.as_str()))
    {
        words.pop();
    }
    let words = &words[..];
    let names: Vec<String> = words
        .iter()
        .filter(|w| w.chars().count() > 1)
        .cloned()
        .collect();
    if names.is_empty() {
        words.to_vec()
    } else {
        names
    }
}

/// The surface without leading titles, as written: the person's name to show.
fn person_display(surface: &str) -> String {
    let words: Vec<&str> = surface.split_whitespace().collect();
    words[name_start(surface)..].join(" ")
}

/// Where a person's name starts in a mention: after the titles and the lower-case words a
/// recogniser may take in front of it ("strongman Hun Sen"); the last word when nothing else
/// is left.
fn name_start(surface: &str) -> usize {
    let words: Vec<&str> = surface.split_whitespace().collect();
    words
        .iter()
        .position(|w| {
            !TITLES.contains(&fold(w).as_str()) && !w.chars().next().is_some_and(char::is_lowercase)
        })
        .unwrap_or(words.len().saturating_sub(1))
}

/// Whether two folded name words are the same name, allowing transliteration variants of long
/// words (see the module notes for the guards).
fn same_word(a: &str, b: &str) -> bool {
    if a == b {
        return true;
    }
    let (la, lb) = (a.chars().count(), b.chars().count());
    if la < 5 || lb < 5 || a.chars().next() != b.chars().next() {
        return false;
    }
    if skeleton(a) != skeleton(b) {
        return false;
    }
    // Same consonants: spelling variants ("Bettie" / "Betty") are two edits apart at most.
    let allowed = 2;
    edit_distance(a, b) <= allowed
}

/// Consonants with doubled letters collapsed: "qassem" and "qasem" both give "qsm".
fn skeleton(word: &str) -> String {
    let mut out = String::new();
    let mut last = None;
    for c in word.chars() {
        if Some(c) == last {
            continue;
        }
        last = Some(c);
        if c.is_alphabetic() && !"aeiouyhw".contains(c) {
            out.push(c);
        }
    }
    out
}

/// Levenshtein distance over characters.
pub(crate) fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut prev = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let here = row[j + 1];
            row[j + 1] = (prev + usize::from(ca != *cb))
                .min(row[j] + 1)
                .min(here + 1);
            prev = here;
        }
    }
    row[b.len()]
}

fn merge_people(seen: &[Seen], people: &[usize]) -> Vec<Group> {
    let words: HashMap<usize, Vec<String>> = people
        .iter()
        .map(|&i| (i, person_words(&seen[i].surface)))
        .collect();
    let mut full: Vec<Group> = Vec::new();
    let mut singles: Vec<usize> = Vec::new();
    for &i in people {
        let w = &words[&i];
        if w.len() < 2 {
            singles.push(i);
            continue;
        }
        let found = full.iter_mut().find(|g| {
            let v = &words[&g.members[0]];
            same_word(&v[0], &w[0]) && same_word(&v[v.len() - 1], &w[w.len() - 1])
        });
        match found {
            Some(g) => g.members.push(i),
            None => full.push(Group {
                members: vec![i],
                indirect: vec![],
            }),
        }
    }
    let mut lone: Vec<Group> = Vec::new();
    for i in singles {
        let word = &words[&i][0];
        let own = lone
            .iter()
            .position(|g| same_word(&words[&g.members[0]][0], word));
        let candidates = name_candidates(&full, &words, word);
        // The one the story has named most up to here, then most recently; a surname that
        // has stood alone more often than with any full name keeps standing alone.
        let before = |g: &Group| {
            let earlier = g.members.iter().filter(|&&m| m < i);
            (earlier.clone().count(), earlier.max().copied())
        };
        let best = candidates
            .iter()
            .map(|&g| (before(&full[g]), Some(g)))
            .chain(own.map(|l| (before(&lone[l]), None)))
            .filter(|((n, _), _)| *n > 0)
            .max_by_key(|(b, _)| *b);
        let report = seen[i].at.0;
        let same_report = |g: usize| full[g].members.iter().any(|&m| seen[m].at.0 == report);
        match (best, candidates.as_slice(), own) {
            (Some((_, Some(g))), _, _) => full[g].members.push(i),
            (Some((_, None)), _, Some(l)) => lone[l].members.push(i),
            // Named later in the same report: "Seely ... William Seely".
            (None, [g], _) if same_report(*g) => full[*g].members.push(i),
            (_, _, Some(l)) => lone[l].members.push(i),
            _ => lone.push(Group {
                members: vec![i],
                indirect: vec![],
            }),
        }
    }
    full.extend(lone);
    full
}

/// The full names a one-word person mention may stand for: those ending in it (a surname),
/// or when none does, those holding it ("Hun" of "Hun Sen").
fn name_candidates(full: &[Group], words: &HashMap<usize, Vec<String>>, word: &str) -> Vec<usize> {
    let name = |g: usize| &words[&full[g].members[0]];
    let ending: Vec<usize> = (0..full.len())
        .filter(|&g| same_word(name(g).last().map_or("", |w| w), word))
        .collect();
    if !ending.is_empty() {
        return ending;
    }
    (0..full.len())
        .filter(|&g| name(g).iter().any(|w| same_word(w, word)))
        .collect()
}

/// Key of a non-person name: folded, dots and a leading "the" dropped.
fn name_key(surface: &str) -> String {
    let mut words: Vec<String> = surface
        .split_whitespace()
        .map(fold)
        .map(|w| w.trim_end_matches(',').to_string())
        .filter(|w| !w.is_empty())
        .collect();
    // A company's legal form is no part of its name ("Apple Inc." is "Apple").
    while words.len() > 1
        && words
            .last()
            .is_some_and(|w| LEGAL_FORMS.contains(&w.as_str()))
    {
        words.pop();
    }
    let key = words.join(" ");
    key.strip_prefix("the ").map(str::to_string).unwrap_or(key)
}

/// The country a key names (its table index), and whether as a demonym.
fn country(key: &str) -> Option<(usize, bool)> {
    COUNTRIES
        .iter()
        .enumerate()
        .find_map(|(n, (names, demonyms))| {
            if names.iter().any(|f| name_key(f) == key) {
                Some((n, false))
            } else if demonyms.iter().any(|f| name_key(f) == key) {
                Some((n, true))
            } else {
                None
            }
        })
}

/// The place names a one-word demonym may come from: "iraqis" → "iraq", "iranian" → "iran",
/// "syrian" → "syria".
fn demonym_roots(key: &str) -> Vec<String> {
    if key.contains(' ') {
        return vec![];
    }
    let singular = key
        .strip_suffix('s')
        .filter(|k| k.ends_with('i') || k.ends_with("an"))
        .unwrap_or(key);
    let mut roots = Vec::new();
    if let Some(root) = singular.strip_suffix('i') {
        roots.push(root.to_string());
    }
    if let Some(root) = singular.strip_suffix("ian") {
        roots.push(root.to_string());
    }
    if let Some(root) = singular.strip_suffix('n') {
        if root.ends_with('a') {
            roots.push(root.to_string());
        }
    }
    roots.retain(|r| r.chars().count() >= 4);
    roots
}

/// The acronyms a name of two words or more may be written as: the initials of its words and
/// of the parts of hyphenated ones ("Hewlett-Packard" → HP), an abbreviation written with dots
/// giving all its letters ("U.S. Geological Survey" → USGS), without the words an acronym skips
/// and a legal form; and with a leading "the" when the name has one ("The Hollywood Reporter"
/// → THR).
fn acronyms(surface: &str) -> Vec<String> {
    let mut pieces: Vec<(String, bool)> = surface
        .split(|c: char| c.is_whitespace() || c == '-')
        .filter(|p| p.chars().any(char::is_alphabetic))
        .map(|p| {
            (
                fold(p),
                p.contains('.') && p.chars().all(|c| c == '.' || c.is_uppercase()),
            )
        })
        .collect();
    while pieces.len() > 1
        && pieces
            .last()
            .is_some_and(|(w, _)| LEGAL_FORMS.contains(&w.as_str()))
    {
        pieces.pop();
    }
    let the = pieces.first().is_some_and(|(w, _)| w == "the");
    let kept: Vec<&(String, bool)> = pieces
        .iter()
        .filter(|(w, _)| !ACRONYM_SKIPS.contains(&w.as_str()))
        .collect();
    if kept.len() < 2 {
        return vec![];
    }
    let letters: String = kept
        .iter()
        .flat_map(|(w, dotted)| {
            let n = if *dotted { w.len() } else { 1 };
            w.chars().take(n)
        })
        .collect();
    let mut forms = vec![letters.clone()];
    if the {
        forms.push(format!("t{letters}"));
    }
    forms
}

fn merge_names(seen: &[Seen], others: &[usize]) -> Vec<Group> {
    let (mut key_of, demonyms) = own_keys(seen, others);
    // Only names tagged as places or organisations take demonyms and acronyms in.
    let named: Vec<usize> = key_of
        .keys()
        .copied()
        .filter(|i| matches!(seen[*i].kind, EntityKind::Place | EntityKind::Organization))
        .collect();
    let targets: Vec<String> = named.iter().map(|i| key_of[i].clone()).collect();
    let mut indirect = join_acronyms(seen, others, &named, &mut key_of);
    join_demonyms(
        seen,
        others,
        &demonyms,
        &targets,
        &mut key_of,
        &mut indirect,
    );
    shorten_organisations(seen, others, &indirect, &mut key_of);
    group_by_key(others, &key_of, &indirect)
}

/// Each mention's own key, and the mentions that are country demonyms (keyed later). A
/// country's names share the table's first name as their key.
fn own_keys(seen: &[Seen], others: &[usize]) -> (HashMap<usize, String>, Vec<usize>) {
    let mut key_of: HashMap<usize, String> = HashMap::new();
    let mut demonyms: Vec<usize> = Vec::new();
    for &i in others {
        let key = name_key(&seen[i].surface);
        match country(&key) {
            Some((n, false)) => {
                key_of.insert(i, name_key(COUNTRIES[n].0[0]));
            }
            Some((_, true)) => demonyms.push(i),
            None => {
                key_of.insert(i, key);
            }
        }
    }
    (key_of, demonyms)
}

/// Gives each acronym the key of the one `named` name it spells; returns the acronyms joined.
fn join_acronyms(
    seen: &[Seen],
    others: &[usize],
    named: &[usize],
    key_of: &mut HashMap<usize, String>,
) -> Vec<usize> {
    let spelled_as: Vec<(String, Vec<String>)> = named
        .iter()
        .map(|i| (key_of[i].clone(), acronyms(&seen[*i].surface)))
        .collect();
    let mut joined = Vec::new();
    for &i in others {
        let Some(key) = key_of.get(&i) else { continue };
        let letters: String = seen[i].surface.chars().filter(|c| *c != '.').collect();
        let is_acronym = (2..=6).contains(&letters.chars().count())
            && letters.chars().all(|c| c.is_ascii_uppercase());
        if !is_acronym {
            continue;
        }
        let mut spelled: Vec<&String> = spelled_as
            .iter()
            .filter(|(_, forms)| forms.contains(key))
            .map(|(k, _)| k)
            .collect();
        spelled.sort();
        spelled.dedup();
        if let [target] = spelled.as_slice() {
            let target = (*target).clone();
            key_of.insert(i, target);
            joined.push(i);
        }
    }
    joined
}

/// Gives demonyms the key of the place they come from when the story names it: through the
/// country table, then by suffix ("Iraqi" → "Iraq").
fn join_demonyms(
    seen: &[Seen],
    others: &[usize],
    demonyms: &[usize],
    targets: &[String],
    key_of: &mut HashMap<usize, String>,
    indirect: &mut Vec<usize>,
) {
    let is_target = |k: &str| targets.iter().any(|t| t == k);
    for &i in demonyms {
        let key = name_key(&seen[i].surface);
        let country_key = country(&key).map(|(n, _)| name_key(COUNTRIES[n].0[0]));
        match country_key.filter(|k| is_target(k)) {
            Some(target) => {
                key_of.insert(i, target);
                indirect.push(i);
            }
            None => {
                key_of.insert(i, key);
            }
        }
    }
    for &i in others {
        if indirect.contains(&i) {
            continue;
        }
        let key = &key_of[&i];
        if let Some(root) = demonym_roots(key).into_iter().find(|r| is_target(r)) {
            key_of.insert(i, root);
            indirect.push(i);
        }
    }
}

/// One group per key, in first-mention order; `indirect` members marked as such.
fn group_by_key(
    others: &[usize],
    key_of: &HashMap<usize, String>,
    indirect: &[usize],
) -> Vec<Group> {
    let mut groups: Vec<(String, Group)> = Vec::new();
    for &i in others {
        let key = &key_of[&i];
        match groups.iter_mut().find(|(k, _)| k == key) {
            Some((_, g)) => g.members.push(i),
            None => groups.push((
                key.clone(),
                Group {
                    members: vec![i],
                    indirect: vec![],
                },
            )),
        }
    }
    groups
        .into_iter()
        .map(|(_, mut g)| {
            g.indirect = g
                .members
                .iter()
                .copied()
                .filter(|m| indirect.contains(m))
                .collect();
            g
        })
        .collect()
}

/// An organisation named by the first words of a longer organisation name of the story takes
/// that name's key ("T-Mobile" of "T-Mobile USA", "Staunton Police" of "Staunton Police
/// Department"), when exactly one longer name starts so: with two ("Academy Awards" and
/// "Academy of Motion Picture Arts and Sciences" for "Academy") it stays apart. Places never
/// take part ("Los Angeles" is not "Los Angeles Angels").
fn shorten_organisations(
    seen: &[Seen],
    others: &[usize],
    indirect: &[usize],
    key_of: &mut HashMap<usize, String>,
) {
    let is_org = |i: &usize| seen[*i].kind == EntityKind::Organization && !indirect.contains(i);
    let mut longer: Vec<String> = others
        .iter()
        .filter(|i| is_org(i))
        .map(|i| key_of[i].clone())
        .collect();
    longer.sort();
    longer.dedup();
    for &i in others.iter().filter(|i| is_org(i)) {
        let key = &key_of[&i];
        let prefix = format!("{key} ");
        let starting: Vec<&String> = longer.iter().filter(|k| k.starts_with(&prefix)).collect();
        if let [target] = starting.as_slice() {
            let target = (*target).clone();
            key_of.insert(i, target);
        }
    }
}

fn build(id: String, group: &Group, seen: &[Seen]) -> Entity {
    let first = &seen[group.members[0]];
    let person = first.kind == EntityKind::Person;
    let display = |i: usize| {
        if person {
            person_display(&seen[i].surface)
        } else {
            seen[i].surface.clone()
        }
    };
    // Fullest: most words, then most letters, then first written.
    let named: Vec<usize> = group
        .members
        .iter()
        .copied()
        .filter(|m| !group.indirect.contains(m))
        .collect();
    let pool = if named.is_empty() {
        &group.members
    } else {
        &named
    };
    let (named_by, name) = pool
        .iter()
        .map(|&i| (i, display(i)))
        .enumerate()
        .max_by_key(|(n, (_, d))| {
            (
                d.split_whitespace().count(),
                d.chars().count(),
                usize::MAX - n,
            )
        })
        .map(|(_, named)| named)
        .unwrap_or((group.members[0], String::new()));
    let mut aliases: Vec<String> = Vec::new();
    let mut mentions: Vec<String> = Vec::new();
    let mut kinds: Vec<(EntityKind, usize)> = Vec::new();
    for &i in &group.members {
        let m = &seen[i];
        if m.surface != name && !aliases.contains(&m.surface) {
            aliases.push(m.surface.clone());
        }
        if !mentions.iter().any(|s| s == m.sentence_id) {
            mentions.push(m.sentence_id.to_string());
        }
        if !group.indirect.contains(&i) {
            match kinds.iter_mut().find(|(k, _)| *k == m.kind) {
                Some((_, n)) => *n += 1,
                None => kinds.push((m.kind, 1)),
            }
        }
    }
    // Most frequent kind among direct mentions; on a tie, the kind of the mention that gave
    // the name (the fullest is the recogniser's surest reading), then the first seen.
    let kind = kinds
        .iter()
        .enumerate()
        .max_by_key(|(n, (k, count))| (*count, *k == seen[named_by].kind, usize::MAX - n))
        .map_or(first.kind, |(_, (k, _))| *k);
    Entity {
        id,
        name,
        kind,
        aliases,
        mentions,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analyse::{id_of, tagged};
    use crate::model::test_report;
    use EntityKind::{Organization as Org, Other, Person, Place};

    fn merged(reports: &[Report], names: &[(&str, EntityKind)]) -> Vec<Entity> {
        let refs: Vec<&Report> = reports.iter().collect();
        let mentions: Vec<Vec<Vec<Mention>>> = reports.iter().map(|r| tagged(r, names)).collect();
        entities(&refs, &mentions)
    }

    #[test]
    fn titles_initials_and_surnames_join_the_full_name() {
        let a = test_report(
            "a",
            &[
                "Gen. Mark A. Milley met Defense Secretary Mark Esper on Tuesday.",
                "Milley later said the plan was sound.",
            ],
        );
        let b = test_report("b", &["Mr. Esper disagreed with General Milley's account."]);
        let found = merged(
            &[a, b],
            &[
                ("Gen. Mark A. Milley", Person),
                ("Mark Esper", Person),
                ("Milley", Person),
                ("Mr. Esper", Person),
            ],
        );
        assert_eq!(found.len(), 2, "{found:#?}");
        let milley = &found[0];
        assert_eq!(milley.id, "e1");
        assert_eq!(milley.name, "Mark A. Milley");
        assert_eq!(milley.aliases, ["Gen. Mark A. Milley", "Milley"]);
        assert_eq!(milley.mentions, ["a:1", "a:2", "b:1"]);
        assert_eq!(found[1].name, "Mark Esper");
        assert_eq!(found[1].aliases, ["Mr. Esper"]);
    }

    #[test]
    fn a_surname_shared_by_two_people_goes_to_the_one_named_last() {
        let r = test_report(
            "r",
            &[
                "Trump arrived first.",
                "Donald Trump spoke, then Ivanka Trump spoke.",
                "Trump thanked the crowd.",
            ],
        );
        let found = merged(
            &[r],
            &[
                ("Donald Trump", Person),
                ("Ivanka Trump", Person),
                ("Trump", Person),
            ],
        );
        // Before either was named, "Trump" could be both: it stays apart, unguessed.
        let names: Vec<&str> = found.iter().map(|e| e.name.as_str()).collect();
        assert_eq!(names, ["Trump", "Donald Trump", "Ivanka Trump"]);
        assert_eq!(found[2].mentions, ["r:2", "r:3"]);
    }

    #[test]
    fn transliterations_merge_only_long_names_one_edit_apart() {
        let r = test_report(
            "r",
            &[
                "Crown Prince Mohammed bin Salman met Jan Smith.",
                "Muhammad bin Salman later met Jon Smith and Mark Miller.",
                "Mark Milley was not there.",
            ],
        );
        let found = merged(
            &[r],
            &[
                ("Mohammed bin Salman", Person),
                ("Muhammad bin Salman", Person),
                ("Jan Smith", Person),
                ("Jon Smith", Person),
                ("Mark Miller", Person),
                ("Mark Milley", Person),
            ],
        );
        assert_eq!(
            id_of(&found, "Mohammed bin Salman"),
            id_of(&found, "Muhammad bin Salman")
        );
        assert_ne!(id_of(&found, "Jan Smith"), id_of(&found, "Jon Smith"));
        assert_ne!(id_of(&found, "Mark Miller"), id_of(&found, "Mark Milley"));
    }

    #[test]
    fn country_forms_acronyms_and_demonyms_join_the_place() {
        let r = test_report(
            "r",
            &[
                "The United Nations asked the U.S. and Syria to talk.",
                "The UN said Syrian and American officials met in the USA.",
                "American Airlines cancelled flights to Iran and Iraq.",
                "Iraqis and Lebanese watched.",
            ],
        );
        let found = merged(
            &[r],
            &[
                ("United Nations", Org),
                ("U.S.", Place),
                ("Syria", Place),
                ("UN", Org),
                ("Syrian", Other),
                ("American", Other),
                ("USA", Place),
                ("American Airlines", Org),
                ("Iran", Place),
                ("Iraq", Place),
                ("Iraqis", Other),
                ("Lebanese", Other),
            ],
        );
        assert_eq!(id_of(&found, "UN"), id_of(&found, "United Nations"));
        let us = found
            .iter()
            .find(|e| e.id == id_of(&found, "U.S."))
            .unwrap();
        assert_eq!(us.aliases, ["American", "USA"]);
        assert_eq!(us.kind, Place);
        assert_eq!(id_of(&found, "Syrian"), id_of(&found, "Syria"));
        assert_eq!(id_of(&found, "Iraqis"), id_of(&found, "Iraq"));
        assert_ne!(id_of(&found, "Iran"), id_of(&found, "Iraq"));
        assert_ne!(id_of(&found, "American Airlines"), us.id);
        // Lebanon is not named, so its demonym stays a name of its own.
        let lebanese = found.iter().find(|e| e.name == "Lebanese").unwrap();
        assert_eq!(lebanese.kind, Other);
    }

    #[test]
    fn junk_is_no_entity_and_a_person_is_one_entity_of_one_kind() {
        let r = test_report(
            "r",
            &[
                "Cambodian strongman Hun Sen faced a phalanx of critics, Brig Gen Sok said.",
                "Hun Sen rejected the imbroglio; Hun told the ailing s party that Sen would stay.",
                "Bettie Page posed; Betty Page later said Hun Sen was wrong.",
            ],
        );
        let found = merged(
            &[r],
            &[
                ("strongman Hun Sen", Person),
                ("phalanx", Person),
                ("Brig Gen", Org),
                ("Hun Sen", Org),
                ("imbroglio", Person),
                ("Hun", Person),
                ("ailing", Org),
                ("s", Org),
                ("Sen", Person),
                ("Bettie Page", Person),
                ("Betty Page", Person),
            ],
        );
        let names: Vec<&str> = found.iter().map(|e| e.name.as_str()).collect();
        assert_eq!(names, ["Hun Sen", "Bettie Page"], "{found:#?}");
        assert_eq!(found[0].kind, Person);
        assert_eq!(found[0].aliases, ["strongman Hun Sen", "Hun", "Sen"]);
    }

    #[test]
    fn a_surname_the_story_uses_alone_does_not_go_to_a_relative() {
        let a = test_report(
            "a",
            &[
                "Pinochet was arrested in London.",
                "Pinochet's lawyers appealed.",
            ],
        );
        let b = test_report(
            "b",
            &[
                "Lucia Pinochet flew to London.",
                "Pinochet, her father, stayed in the clinic.",
            ],
        );
        let found = merged(&[a, b], &[("Lucia Pinochet", Person), ("Pinochet", Person)]);
        let lucia = found.iter().find(|e| e.name == "Lucia Pinochet").unwrap();
        assert!(lucia.aliases.is_empty(), "{found:#?}");
        assert_eq!(
            entity_at(&found, "b:2", "Pinochet").unwrap().name,
            "Pinochet"
        );
    }

    #[test]
    fn a_company_is_one_entity_with_or_without_its_legal_form() {
        let r = test_report(
            "r",
            &["Apple Inc. said Apple would sell T-Mobile USA, Inc. phones."],
        );
        let found = merged(
            &[r],
            &[
                ("Apple Inc.", Org),
                ("Apple", Org),
                ("T-Mobile USA, Inc.", Org),
            ],
        );
        assert_eq!(id_of(&found, "Apple"), id_of(&found, "Apple Inc."));
        assert_eq!(found[1].name, "T-Mobile USA, Inc.");
    }

    #[test]
    fn a_person_never_merges_with_a_place_of_the_same_name() {
        let r = test_report("r", &["Georgia Meloni visited Georgia."]);
        let found = merged(&[r], &[("Georgia Meloni", Person), ("Georgia", Place)]);
        assert_eq!(found.len(), 2);
        assert_eq!(entity_at(&found, "r:1", "Georgia").unwrap().kind, Place);
        assert_eq!(clean_surface("“Trump’s"), "Trump");
    }

    #[test]
    fn acronyms_spell_hyphenated_dotted_and_the_names() {
        let r = test_report(
            "r",
            &[
                "Hewlett-Packard Co. will buy Electronic Data Systems, the U.S. Geological Survey said.",
                "HP said the deal with EDS was reported first by The Hollywood Reporter.",
                "The USGS and THR confirmed it.",
            ],
        );
        let found = merged(
            &[r],
            &[
                ("Hewlett-Packard Co.", Org),
                ("Electronic Data Systems", Org),
                ("U.S. Geological Survey", Org),
                ("HP", Org),
                ("EDS", Org),
                ("The Hollywood Reporter", Org),
                ("USGS", Org),
                ("THR", Org),
            ],
        );
        assert_eq!(id_of(&found, "HP"), id_of(&found, "Hewlett-Packard Co."));
        assert_eq!(
            id_of(&found, "EDS"),
            id_of(&found, "Electronic Data Systems")
        );
        assert_eq!(
            id_of(&found, "USGS"),
            id_of(&found, "U.S. Geological Survey")
        );
        assert_eq!(
            id_of(&found, "THR"),
            id_of(&found, "The Hollywood Reporter")
        );
        assert_eq!(found.len(), 4);
    }

    #[test]
    fn modifiers_and_common_nouns_are_no_part_of_the_name() {
        assert_eq!(clean_surface("Palo Alto-based HP"), "HP");
        assert_eq!(clean_surface("Texas-born Smith"), "Smith");
        // A hyphenated name keeps its parts.
        assert_eq!(clean_surface("Hewlett-Packard"), "Hewlett-Packard");
        assert_eq!(clean_surface("Coca-Cola Company"), "Coca-Cola Company");
        assert_eq!(clean_surface("Netscape board"), "Netscape");
        assert_eq!(clean_surface("Bank of England"), "Bank of England");
        assert!(!is_name("pro-North") && !is_name("anti-Western"));
        assert!(is_name("al-Qaeda") && is_name("Hewlett-Packard"));
    }

    #[test]
    fn a_word_the_story_mostly_tags_otherwise_is_not_a_person() {
        let r = test_report(
            "r",
            &[
                "CNN said it first.",
                "CNN aired it.",
                "Later CNN confirmed it.",
            ],
        );
        let cnn = |s: usize, kind| {
            let start = r.sentences[s].text.find("CNN").unwrap();
            vec![Mention {
                start,
                end: start + 3,
                kind,
            }]
        };
        let refs = [&r];
        let mentions = vec![vec![cnn(0, Org), cnn(1, Person), cnn(2, Org)]];
        let found = entities(&refs, &mentions);
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].kind, Org);
    }

    #[test]
    fn a_generational_suffix_does_not_split_a_person() {
        let r = test_report(
            "r",
            &[
                "W. Mark Felt Sr. died.",
                "Mark Felt was 95.",
                "Felt was the source.",
            ],
        );
        let found = merged(
            &[r],
            &[
                ("W. Mark Felt Sr.", Person),
                ("Mark Felt", Person),
                ("Felt", Person),
            ],
        );
        assert_eq!(found.len(), 1);
    }

    #[test]
    fn an_organisation_named_short_joins_the_one_longer_name() {
        let r = test_report(
            "r",
            &[
                "T-Mobile USA said the Staunton Police Department and Staunton Police agreed.",
                "T-Mobile said the Academy of Motion Picture Arts and Sciences and the Academy Awards differ from the Academy.",
                "Los Angeles is not the Los Angeles Angels.",
            ],
        );
        let found = merged(
            &[r],
            &[
                ("T-Mobile USA", Org),
                ("Staunton Police Department", Org),
                ("Staunton Police", Org),
                ("T-Mobile", Org),
                ("Academy of Motion Picture Arts and Sciences", Org),
                ("Academy Awards", Org),
                ("Academy", Org),
                ("Los Angeles", Place),
                ("Los Angeles Angels", Org),
            ],
        );
        assert_eq!(id_of(&found, "T-Mobile"), id_of(&found, "T-Mobile USA"));
        assert_eq!(
            id_of(&found, "Staunton Police"),
            id_of(&found, "Staunton Police Department")
        );
        // Two longer names start with "Academy": it is left alone.
        assert_ne!(id_of(&found, "Academy"), id_of(&found, "Academy Awards"));
        assert_ne!(
            id_of(&found, "Academy"),
            id_of(&found, "Academy of Motion Picture Arts and Sciences")
        );
        assert_ne!(
            id_of(&found, "Los Angeles"),
            id_of(&found, "Los Angeles Angels")
        );
    }
}
