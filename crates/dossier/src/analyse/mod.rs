//! Analyse: the cross-report stages. Each is a function of reports (and earlier analysis) to
//! its own typed output, so a stage can be replaced without touching the others.
//!
//! - [`cluster`]: which reports are about the same event (stories);
//! - [`events`]: who and when, beyond the words, for the pair decision [`cluster`] uses;
//! - [`reuse`]: which sentences were copied between the reports of a story;
//! - [`entities`]: who and what the story names, each once across spellings;
//! - [`aliases`]: the learnt second look joining entities the rules of [`entities`] left apart;
//! - [`attribution`]: who says what in one text, as spans (quotations and reported speech);
//! - [`quotes`]: direct quotations and who said them;
//! - [`timeline`]: what happened when;
//! - [`claims`]: what the reports state, and whether others confirm, deny or withdraw it.

pub mod aliases;
pub mod attribution;
pub mod claims;
pub mod cluster;
pub mod entities;
pub mod events;
pub mod quotes;
pub mod reuse;
pub mod timeline;

/// The id of the entity named or aliased `form`, for tests; panics with the entities if none.
#[cfg(test)]
pub(crate) fn id_of<'a>(all: &'a [crate::model::Entity], form: &str) -> &'a str {
    all.iter()
        .find(|e| e.name == form || e.aliases.iter().any(|a| a == form))
        .map(|e| e.id.as_str())
        .unwrap_or_else(|| panic!("{form} not found in {all:#?}"))
}

/// The mentions a recogniser would give for the named spans, per sentence of a report: every
/// whole-word occurrence, longest name first, never overlapping. For tests of the stages that
/// read mentions, with the model's output given by hand.
#[cfg(test)]
pub(crate) fn tagged(
    report: &crate::model::Report,
    names: &[(&str, crate::ner::EntityKind)],
) -> Vec<Vec<crate::ner::Mention>> {
    let mut names = names.to_vec();
    names.sort_by_key(|(n, _)| std::cmp::Reverse(n.len()));
    let word = |c: char| c.is_alphanumeric() || c == '-';
    report
        .sentences
        .iter()
        .map(|sentence| {
            let text = sentence.text.as_str();
            let mut found: Vec<crate::ner::Mention> = Vec::new();
            for (name, kind) in &names {
                for (start, _) in text.match_indices(name) {
                    let end = start + name.len();
                    let whole = !text[..start].chars().next_back().is_some_and(word)
                        && !text[end..].chars().next().is_some_and(word);
                    if whole && found.iter().all(|m| end <= m.start || start >= m.end) {
                        found.push(crate::ner::Mention {
                            start,
                            end,
                            kind: *kind,
                        });
                    }
                }
            }
            found.sort_by_key(|m| m.start);
            found
        })
        .collect()
}
