//! Event identity: whether two reports tell one event, beyond how alike their words are.
//!
//! Two reports of one kind of event (two earthquakes, two Oscars hosts named) share most of
//! their words; what tells them apart is who (the names they carry) and when (the years they
//! mention). Each report gets a [`Signature`]: the stems it writes as names (capitalised inside
//! a sentence and never lower-case in that report, a cheap stand-in for the recogniser, which
//! costs seconds a report on 2 cores) and the years its dates fix without an anchor (the
//! [`crate::times`] resolver: "Oct. 27, 1998", "in 2008").
//!
//! A pair of reports is judged by a logistic regression ([`EventModel`]) over the tf-idf cosine
//! of their words, the tf-idf cosine of their names, and whether their years agree or conflict.
//! The clustering then groups by that probability instead of the cosine (`analyse::cluster`).
//! The shipped weights (`crates/dossier/models/events-lr.json`) are learnt on ECB+ dev by
//! `dossier-train events` (see bench/events/README.md).

use crate::stream::cluster::{Counts, Vocabulary};
use crate::text::ReportWords;
use serde::{Deserialize, Serialize};
use std::sync::{Arc, OnceLock};

/// The pair features, in this order.
pub const FEATURE_NAMES: [&str; 4] = [
    // tf-idf cosine of the two reports' words.
    "words",
    // tf-idf cosine of the stems each writes as names.
    "names",
    // Both mention a year fixed by the text, and the latest is the same.
    "years_shared",
    // Both mention years fixed by the text, and the latest differs.
    "years_conflict",
];

/// What a report says of who and when, for [`pair_features`].
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Signature {
    /// Stems written as names, numbered by the pile's [`Vocabulary`], with counts, by id.
    pub names: Counts,
    /// Years the report's dates fix by themselves, ascending, each once.
    pub years: Box<[i32]>,
}

impl Signature {
    /// The signature of a report given its words and [`years`]. The title is left out: titles
    /// are often in title case, where capitals mark nothing.
    pub fn of(words: &ReportWords, years: Box<[i32]>, vocabulary: &mut Vocabulary) -> Signature {
        let lower_somewhere: std::collections::HashSet<&str> = words
            .sentences
            .iter()
            .flat_map(|s| s.iter().skip(1))
            .filter(|w| !w.capitalised)
            .map(|w| w.stem.as_str())
            .collect();
        let mut ids: Vec<u32> = words
            .sentences
            .iter()
            .flat_map(|s| s.iter().skip(1))
            .filter(|w| {
                w.capitalised
                    && !w.is_stopword()
                    && w.lower.chars().filter(|c| c.is_alphabetic()).count() >= 2
                    && !lower_somewhere.contains(w.stem.as_str())
            })
            .map(|w| vocabulary.id(&w.stem))
            .collect();
        ids.sort_unstable();
        let names = ids
            .chunk_by(|a, b| a == b)
            .map(|run| (run[0], run.len() as u32))
            .collect();
        Signature { names, years }
    }
}

/// The years a report's dates fix without an anchor, ascending, each once.
pub fn years<'a>(sentences: impl Iterator<Item = &'a str>) -> Box<[i32]> {
    let mut years: Vec<i32> = sentences
        .flat_map(|s| crate::times::tag(s, None))
        .filter(|t| !t.anchored)
        .filter_map(|t| year_of(&t.value))
        .collect();
    years.sort_unstable();
    years.dedup();
    years.into()
}

/// The terms and signatures of a pile's reports, numbered by one vocabulary: what
/// [`super::cluster::cluster`] reads, for a caller outside the pipeline (training, benches).
pub fn read_pile(reports: &[crate::model::Report]) -> (Vec<Counts>, Vec<Signature>) {
    let mut vocabulary = Vocabulary::default();
    reports
        .iter()
        .map(|r| {
            let words = ReportWords::of(r);
            let years = years(r.sentences.iter().map(|s| s.text.as_str()));
            let terms = vocabulary.terms(&words);
            (terms, Signature::of(&words, years, &mut vocabulary))
        })
        .unzip()
}

/// The features of every pair of a pile that shares a word (the pairs the clustering judges in
/// a pile of this size), with i < j.
pub fn all_pairs(terms: &[Counts], signatures: &[Signature]) -> Vec<((usize, usize), [f32; 4])> {
    let borrowed: Vec<&[(u32, u32)]> = terms.iter().map(|t| &**t).collect();
    let words = super::cluster::vectorise(&borrowed);
    let signed: Vec<&Signature> = signatures.iter().collect();
    let names = name_vectors(&signed);
    let mut out = Vec::new();
    for i in 0..terms.len() {
        for j in i + 1..terms.len() {
            let cosine = super::cluster::cosine(&words[i], &words[j]);
            if cosine > 0.0 {
                let x = pair_features(cosine, &names[i], &names[j], signed[i], signed[j]);
                out.push(((i, j), x));
            }
        }
    }
    out
}

/// The year of a TimeML value that starts with one ("2008", "1998-10-27", "2013-W05").
fn year_of(value: &str) -> Option<i32> {
    let digits = value.get(..4)?;
    let year: i32 = digits.parse().ok()?;
    let ends = value.len() == 4 || value.as_bytes()[4] == b'-';
    ((1000..3000).contains(&year) && ends).then_some(year)
}

/// Name vectors of a pile: tf-idf over the names alone, unit length, so that a name many
/// reports carry (the country, the company) counts less than the participant of one event.
pub fn name_vectors(signatures: &[&Signature]) -> Vec<Vec<(u32, f32)>> {
    let names: Vec<&[(u32, u32)]> = signatures.iter().map(|s| &*s.names).collect();
    super::cluster::vectorise(&names)
}

/// The features of a pair, given its words' cosine and the two reports' name vectors and
/// signatures.
pub fn pair_features(
    words: f32,
    names_a: &[(u32, f32)],
    names_b: &[(u32, f32)],
    a: &Signature,
    b: &Signature,
) -> [f32; 4] {
    // The latest year a report mentions is nearly always the year of its event: earlier ones
    // are background ("her second stint, after hosting the 2007 ceremony").
    let (latest_a, latest_b) = (a.years.last(), b.years.last());
    let dated = latest_a.is_some() && latest_b.is_some();
    [
        words,
        super::cluster::cosine(names_a, names_b),
        (dated && latest_a == latest_b) as u8 as f32,
        (dated && latest_a != latest_b) as u8 as f32,
    ]
}

/// The learnt pair decision, as stored in JSON.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EventModel {
    /// [`FEATURE_NAMES`], checked at load.
    pub features: Vec<String>,
    pub weights: Vec<f32>,
    pub bias: f32,
    /// Minimum mean probability between two groups for them to be one story, chosen on the
    /// training pile.
    pub threshold: f32,
    /// Minimum mean probability for a fragment to join an established story.
    pub attach: f32,
    /// How the file was made (command and data), for the record.
    pub trained_on: String,
}

const SHIPPED: &str = include_str!("../../models/events-lr.json");

impl EventModel {
    /// The weights the library ships, read once.
    pub fn shipped() -> Arc<EventModel> {
        static READ: OnceLock<Arc<EventModel>> = OnceLock::new();
        READ.get_or_init(|| {
            Arc::new(EventModel::from_json(SHIPPED).expect("the shipped event model is valid"))
        })
        .clone()
    }

    /// Reads and checks a weights file's text.
    pub fn from_json(json: &str) -> Result<EventModel, String> {
        let model: EventModel = serde_json::from_str(json)
            .map_err(|e| format!("the event model does not parse: {e}"))?;
        if model.features != FEATURE_NAMES || model.weights.len() != FEATURE_NAMES.len() {
            return Err(format!(
                "the event model names other features than {FEATURE_NAMES:?}"
            ));
        }
        let numbers = [model.bias, model.threshold, model.attach];
        if numbers.iter().chain(&model.weights).any(|w| !w.is_finite()) {
            return Err("the event model's numbers are not all finite".into());
        }
        Ok(model)
    }

    /// Probability that the two reports of a pair tell one event.
    pub fn probability(&self, x: &[f32; 4]) -> f32 {
        let logit = self.bias + self.weights.iter().zip(x).map(|(w, v)| w * v).sum::<f32>();
        1.0 / (1.0 + (-logit).exp())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text;

    fn signature(text: &str, vocabulary: &mut Vocabulary) -> Signature {
        let sentences: Vec<&str> = text.split('\n').collect();
        let words = ReportWords {
            title: vec![],
            sentences: sentences.iter().map(|s| text::words(s)).collect(),
        };
        Signature::of(&words, years(sentences.into_iter()), vocabulary)
    }

    #[test]
    fn names_and_years_tell_two_events_of_one_kind_apart() {
        let mut v = Vocabulary::default();
        let jackman = signature(
            "The Academy named Hugh Jackman as host of the Oscars in December 2008.\nHost Jackman will sing.",
            &mut v,
        );
        let jackman_again = signature(
            "Producers said Jackman would host the 81st Oscars, a choice made in 2008.",
            &mut v,
        );
        let degeneres = signature(
            "The Academy named Ellen DeGeneres as host of the Oscars in August 2013.",
            &mut v,
        );
        // Academy, Hugh, Jackman, Oscars, December; "Host" opens a sentence and "host" is
        // written lower-case: not a name.
        assert_eq!(jackman.names.len(), 5, "{:?}", jackman.names);
        let host = v.id("host");
        assert!(jackman.names.iter().all(|(id, _)| *id != host));
        assert_eq!(&*jackman.years, &[2008]);
        let all = [&jackman, &jackman_again, &degeneres];
        let names = name_vectors(&all);
        let same = pair_features(0.3, &names[0], &names[1], &jackman, &jackman_again);
        let other = pair_features(0.3, &names[0], &names[2], &jackman, &degeneres);
        assert_eq!((same[2], same[3]), (1.0, 0.0));
        assert_eq!((other[2], other[3]), (0.0, 1.0));
        assert!(same[1] > other[1], "{same:?} {other:?}");
    }

    #[test]
    fn years_come_from_dates_the_text_fixes() {
        assert_eq!(year_of("1998-10-27"), Some(1998));
        assert_eq!(year_of("2008"), Some(2008));
        assert_eq!(year_of("P3Y"), None);
        assert_eq!(year_of("20081"), None);
    }

    #[test]
    fn shipped_model_loads() {
        let model = EventModel::shipped();
        assert!(model.threshold > 0.0 && model.threshold < 1.0);
    }
}
