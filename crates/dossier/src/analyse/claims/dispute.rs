//! Disputes: pairs of statements of which one denies the other or gives other figures.

use super::*;

/// One statement contradicting another.
pub(super) struct Against<'a> {
    pub(super) a: usize,
    pub(super) b: usize,
    /// The unit of each side that clashes.
    pub(super) units: [&'a str; 2],
    /// The agreement judge's evidence, in words.
    pub(super) evidence: String,
    pub(super) clash: Clash,
}

#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum Clash {
    /// One side denies what the other states.
    Denial,
    /// Other figures for the same thing.
    Figures,
}

/// The stance the sentence `j` takes on the statement `i` as a claim, the sentence read as a
/// report of its own. A whole report would lend one sentence the tone of another: an article
/// about a withdrawn letter is full of "mistake" and "denying", and its sentence on the drone
/// strike then "denies" another report's account of the same strike.
pub(super) fn stance_of(
    story: &Story,
    space: &Space,
    judge: &dyn stance::Judge,
    i: usize,
    j: usize,
) -> Stance {
    let (claim, other) = (&story.statements[i], &story.statements[j]);
    let claim = stance::Claim::new(claim.text, space.sentence(i).to_vec());
    let report = stance::Report::new(&[other.text], vec![space.sentence(j).to_vec()]);
    judge.judge(&claim, &report).stance
}

/// Disputes between candidate pairs: across sources, statements each among the other's
/// closest; within one source, two named speakers (a report's own sentences qualify rather
/// than dispute each other). A dispute is a [`Clash`] a reader would recognise, unless the
/// stance judge reads either sentence as agreeing with the other. Neither the stance judge's
/// `disagree` nor a bare contradiction of the agreement judge makes one: on the 250 DUC 2004
/// dev documents they followed any negation or other word in a sentence on another point
/// (Blair's two "not a matter for us" statements contested each other).
pub(super) fn disputes<'a>(
    story: &Story<'a>,
    space: &Space,
    near: &[Vec<(f32, usize)>],
    judges: Judges,
    options: &ClaimOptions,
) -> Vec<Against<'a>> {
    let statements = &story.statements;
    let mut out = Vec::new();
    for i in 0..statements.len() {
        for j in i + 1..statements.len() {
            let one_source = story.one_source(i, j);
            let candidate = if one_source {
                story.two_voices(i, j)
            } else {
                mutual(near, i, j)
            };
            if !candidate
                || story.retracting[i] && story.retracting[j]
                || space.cosine(i, j) < options.related
            {
                continue;
            }
            let (cosine, ui, uj) = space.closest(statements, i, j);
            let judgement = judges.agreement.judge(&pair(ui, uj, cosine));
            let alike = cosine >= options.same;
            let Some(clash) = clash(story, (i, j), [ui, uj], alike, &judgement) else {
                continue;
            };
            let agrees = [(i, j), (j, i)]
                .iter()
                .any(|&(a, b)| stance_of(story, space, judges.stance, a, b) == Stance::Agree);
            if !agrees {
                out.push(Against {
                    a: i,
                    b: j,
                    units: [ui, uj],
                    evidence: match clash {
                        Clash::Denial => judgement.evidence.join("; "),
                        Clash::Figures => figure_difference(&statements[i], &statements[j]),
                    },
                    clash,
                });
            }
        }
    }
    out
}

/// What makes two statements a dispute a reader would recognise:
/// - a denial: the agreement judge reads a contradiction through a negation about what the
///   other states, and one side, not both, words it as a denial ("denied", "refuted", "no
///   decision has been made", "is not true");
/// - other figures: two statements of independent sources, not versions of one text, that are
///   one statement but for their figures (at least [`ClaimOptions::same`] alike, and
///   [`SAME_WORDING`] of the shorter's words in the other), with [`other_figures`]. Looser,
///   on DUC 2004 dev this read 1,500 Kurds outside a hospital against 41 Kurds declaring a
///   hunger strike, and a survey of children under 2 against one of children under 7, as
///   disputes. Copies of one text with other figures are a revision.
pub(super) fn clash(
    story: &Story,
    (i, j): (usize, usize),
    units: [&str; 2],
    alike: bool,
    judgement: &nli::Judgement,
) -> Option<Clash> {
    let says = |what: &str| judgement.evidence.iter().any(|e| e.starts_with(what));
    let denies = units.map(|u| DENIAL.is_match(u));
    if judgement.verdict == Verdict::Contradict
        && says("one negates or denies")
        && denies[0] != denies[1]
    {
        return Some(Clash::Denial);
    }
    let (a, b) = (&story.statements[i], &story.statements[j]);
    let independent = !story.one_source(i, j) && story.family[i] != story.family[j];
    let one_statement = alike && shared_wording(a.text, b.text) >= SAME_WORDING;
    (independent && one_statement && other_figures(a, b)).then_some(Clash::Figures)
}

/// A statement worded as a denial of another: a verb of denying, a decision or finding said
/// not to exist, a claim called untrue. Not "rejected" or "dismissed", whose object is more
/// often a demand or an offer than a statement ("Hun Sen rejected the opposition's demands").
pub(super) static DENIAL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r#"(?ix)
        \b(?:den(?:y|ies|ied|ying|ial)|refut(?:e|es|ed|ing)|rebut(?:s|ted|ting)?)\b
        | \bno\s+(?:[\w-]+\s+){1,2}(?:has|had|have)\s+been\s+(?:made|taken|reached|found)\b
        | \bthere(?:\s+is|\s+was|\s+has|['’]s)(?:\s+been)?\s+no\s+[\w-]+\s+(?:made|taken|reached|found)\b
        | \b(?:is|was|are|were)\s+(?:not\s+true|untrue|false|baseless|unfounded)\b
        "#,
    )
    .expect("valid regex")
});

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_denial_is_worded_as_one() {
        for denial in [
            "Indonesia on Tuesday denied claims that its troops massacred 40 people.",
            "There's been no decision made to leave Iraq.",
            "No decision has been made on the tariffs.",
            "The ministry said the report was untrue.",
        ] {
            assert!(DENIAL.is_match(denial), "{denial}");
        }
        for other in [
            "Hun Sen rejected the opposition's demands for talks abroad.",
            "Blair said it was not a matter for the British government.",
        ] {
            assert!(!DENIAL.is_match(other), "{other}");
        }
    }
}
