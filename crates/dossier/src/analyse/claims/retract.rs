//! Withdrawals: a document called a mistake, figures called wrong, a copied text revised.

use super::*;

/// Words that withdraw what a document said.
pub(super) static RETRACTION: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r#"(?ix)
        \b(?:was|is|were|been)\s+(?:a|an)\s+(?:[\w-]+\s+)?["“']?(?:mistake|error|draft)\b
        | \b(?:should\s+not|shouldn['’]t|ought\s+not\s+to)\s+have\s+been\s+(?:sent|released|published|issued|posted|circulated)\b
        | \bsent\s+(?:by|in)\s+["“']?(?:mistake|error)\b
        | \b(?:we|i)\s+retract\b
        | \b(?:was|were|has|have)\s+(?:since\s+)?(?:been\s+)?(?:retracted|rescinded|corrected)\b
        | \b(?:earlier|previous|initial|first)\s+(?:[\w-]+\s+){0,5}?(?:was|were|is|are)\s+(?:wrong|incorrect|inaccurate|mistaken)\b
        | ^\s*correction\s*:
        "#,
    )
    .expect("valid regex")
});

/// Things that say something and can be withdrawn.
pub(super) const DOCUMENTS: &str = "letter|memo|memorandum|message|statement|tweet|post|announcement|press release|release|email|notice|document|directive|order|report|article";

pub(super) static DOCUMENT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(
        r"(?i)\b(?:the|this|that|a|an|its|his|her)\s+(?:[\w-]+\s+)?({DOCUMENTS})\b"
    ))
    .expect("valid regex")
});

/// A sentence that reports what a document said: "said the letter", "the letter said",
/// "informed them in a letter dated Sunday that …".
pub(super) static ATTRIBUTED: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(
        r"(?i)\b(?:said|says|stated|states|reads|read|wrote|announced|informed|told|warned)\s+(?:the|a|an|its|this|that)\s+(?:[\w-]+\s+)?(?:{DOCUMENTS})\s*(?:[,.;:]|$)|\ban?\s+(?:[\w-]+\s+)?(?:{DOCUMENTS})\s+purporting\b|\b(?:the|a|an|its|this|that)\s+(?:[\w-]+\s+)?(?:{DOCUMENTS})\s+(?:[\w-]+\s+){{0,3}}?(?:said|says|stated|states|reads|read|warned|announced)\b|\bin\s+an?\s+(?:[\w-]+\s+)?(?:{DOCUMENTS})\b[^.]{{0,40}}\bthat\b"
    ))
    .expect("valid regex")
});

pub(super) static IT_SAID: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^\W*it\s+(?:said|says|stated|states|added|read|reads)\b").expect("valid regex")
});

/// A withdrawal, and the statements it withdraws.
pub(super) struct Retraction {
    /// The withdrawing sentence, or the later version of a revised one.
    pub(super) by: usize,
    pub(super) attributed: Vec<usize>,
    pub(super) what: Withdrawn,
}

pub(super) enum Withdrawn {
    /// A document ("letter") called a mistake, a draft, wrong.
    Document(String),
    /// Figures called wrong by the source that gave them.
    Figure,
    /// An earlier version of a copied text whose figures a later version changed.
    Revision,
}

pub(super) fn retractions(story: &Story, quotes: &[Quote]) -> Vec<Retraction> {
    let (reports, statements) = (story.reports, &story.statements);
    let position = sentence_positions(reports.iter().copied());
    // A document may speak through a quote the quotes stage already attributed to it.
    let quoted_from: HashMap<&str, String> = quotes
        .iter()
        .filter_map(|q| {
            let name = q.speaker_name.as_deref()?;
            Some((q.cite.as_str(), document_in(name)?))
        })
        .collect();

    let mut out: Vec<Retraction> = Vec::new();
    for (i, s) in statements.iter().enumerate() {
        if !RETRACTION.is_match(s.text) {
            continue;
        }
        let Some(document) = named_document(story, i) else {
            continue;
        };
        let attributed = statements
            .iter()
            .enumerate()
            .filter(|(_, t)| !RETRACTION.is_match(t.text))
            .filter(|(_, t)| {
                let (tr, tn) = position[t.id];
                let names = |text: &str| document_in(text).as_deref() == Some(document.as_str());
                (ATTRIBUTED.is_match(t.text) && names(t.text))
                    || quoted_from.get(t.id) == Some(&document)
                    || (IT_SAID.is_match(t.text)
                        && reports[tr].sentences[tn.saturating_sub(DOCUMENT_REACH)..tn]
                            .iter()
                            .rev()
                            .find_map(|p| document_in(&p.text))
                            .as_deref()
                            == Some(document.as_str()))
            })
            .map(|(k, _)| k)
            .collect();
        out.push(Retraction {
            by: i,
            attributed,
            what: Withdrawn::Document(document),
        });
    }
    out
}

pub(super) fn document_in(text: &str) -> Option<String> {
    DOCUMENT.captures(text).map(|c| c[1].to_lowercase())
}

/// The sentence before a withdrawing statement, in its report.
pub(super) fn sentence_before<'a>(
    story: &Story<'a>,
    statement: &Statement,
) -> Option<&'a Sentence> {
    let report = story.reports[statement.report];
    let n = report.sentences.iter().position(|s| s.id == statement.id)?;
    report.sentences.get(n.checked_sub(1)?)
}

/// The document a withdrawing statement names: "This was a mistake" names it in the sentence
/// before.
pub(super) fn named_document(story: &Story, withdrawing: usize) -> Option<String> {
    let s = &story.statements[withdrawing];
    document_in(s.text).or_else(|| document_in(&sentence_before(story, s)?.text))
}

/// A withdrawal that names no document withdraws figures: "Police earlier had reported 65
/// dead, but backed off that figure. “The earlier information that police gave out was
/// wrong.”" The figures are the withdrawing sentence's, else those of the sentence before it
/// (the giver); the claims withdrawn state one of them, in a report no later than the
/// withdrawal's, and either come from the same source (a report sharing a copied passage with
/// the withdrawal's) or are about the same thing (at least [`ClaimOptions::related`] alike to
/// the withdrawing sentence or its giver). Givers and withdrawals report the withdrawal and stand.
pub(super) fn figure_withdrawals(
    story: &Story,
    space: &Space,
    options: &ClaimOptions,
) -> Vec<Retraction> {
    let statements = &story.statements;
    let index: HashMap<&str, usize> = statements
        .iter()
        .enumerate()
        .map(|(i, s)| (s.id, i))
        .collect();
    let withdrawals: Vec<(usize, Vec<usize>, BTreeSet<String>)> = (0..statements.len())
        .filter(|&w| story.retracting[w] && named_document(story, w).is_none())
        .filter_map(|w| {
            let s = &statements[w];
            let before = sentence_before(story, s).and_then(|b| index.get(b.id.as_str()).copied());
            let giver = if s.figures.is_empty() { before? } else { w };
            let figures = statements[giver].figures.clone();
            Some((w, vec![w, giver], figures)).filter(|(.., f)| !f.is_empty())
        })
        .collect();
    // Reports joined by a copied passage: one source's versions.
    let linked: HashSet<(usize, usize)> = story
        .copies
        .iter()
        .map(|&(a, b)| (statements[a].report, statements[b].report))
        .flat_map(|(x, y)| [(x, y), (y, x)])
        .collect();
    let speaking: HashSet<usize> = withdrawals.iter().flat_map(|(_, g, _)| g.clone()).collect();
    withdrawals
        .iter()
        .map(|(w, givers, figures)| Retraction {
            by: *w,
            attributed: (0..statements.len())
                .filter(|t| !speaking.contains(t) && !story.retracting[*t])
                .filter(|&t| statements[t].report <= statements[*w].report)
                .filter(|&t| !statements[t].figures.is_disjoint(figures))
                .filter(|&t| {
                    linked.contains(&(statements[t].report, statements[*w].report))
                        || givers
                            .iter()
                            .any(|&g| space.cosine(g, t) >= options.related)
                })
                .collect(),
            what: Withdrawn::Figure,
        })
        .collect()
}

/// A copy with [`other_figures`] than its original's is one text revised: the later version
/// (reports are in time order) withdraws the earlier ("killing at least 60 people and
/// injuring about 180" edited into "killing 65 people and injuring 157 others").
pub(super) fn revisions(story: &Story) -> Vec<Retraction> {
    let statements = &story.statements;
    story
        .copies
        .iter()
        .filter(|&&(a, b)| other_figures(&statements[a], &statements[b]))
        .filter_map(|&(a, b)| {
            let (early, late) = if statements[a].report <= statements[b].report {
                (a, b)
            } else {
                (b, a)
            };
            (statements[early].report < statements[late].report).then(|| Retraction {
                by: late,
                attributed: vec![early],
                what: Withdrawn::Revision,
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_earlier_figure_called_wrong_is_a_retraction() {
        assert!(RETRACTION.is_match("The earlier information that police gave out was wrong."));
        assert!(RETRACTION.is_match("The statement has since been corrected."));
        assert!(!RETRACTION.is_match("Blair said it was wrong to intervene."));
    }
}
