//! A claim's standing, and the reason for it in words.

use super::*;

/// A claim from the statements that state it, and its standing.
pub(super) fn judge_claim(
    story: &Story,
    support: &[usize],
    members: &[Vec<usize>],
    against: &[Against],
    retractions: &[Retraction],
    quotes: &[Quote],
) -> Claim {
    let statements = &story.statements;
    let (opposing, reasons) = opposition(story, support, members, against);
    let sets = independent_sets(support, story);
    let sources = sets.len();
    let opposing_sources = independent_sets(&opposing, story).len();
    let retracted: Vec<&Retraction> = retractions
        .iter()
        .filter(|r| support.iter().any(|&s| r.attributed.contains(&s)))
        .collect();
    let status = if !retracted.is_empty() {
        ClaimStatus::Retracted
    } else if !opposing.is_empty() && opposing_sources >= sources {
        ClaimStatus::Contested
    } else if sources >= 2 {
        ClaimStatus::Corroborated
    } else {
        ClaimStatus::SingleSource
    };
    let why = explain(story, support, &sets, status, &retracted, &reasons, quotes);
    let mut contradict: Vec<usize> = opposing;
    contradict.extend(retracted.iter().map(|r| r.by));
    contradict.sort_unstable();
    contradict.dedup();
    let ids = |list: &[usize]| list.iter().map(|&s| statements[s].id.to_string()).collect();
    Claim {
        id: String::new(),
        text: statements[support[0]].text.to_string(),
        status,
        support: ids(support),
        contradict: ids(&contradict),
        sources,
        why,
    }
}

/// The statements that stand against a claim, in order, and each contradiction in words. A
/// contradiction of one statement of a claim is a contradiction of the claim: all the
/// statements of the other side's group stand against it.
fn opposition(
    story: &Story,
    support: &[usize],
    members: &[Vec<usize>],
    against: &[Against],
) -> (Vec<usize>, Vec<String>) {
    let group_of = |k: usize| members.iter().find(|m| m.contains(&k)).expect("grouped");
    let mut opposing: BTreeSet<usize> = BTreeSet::new();
    let mut reasons: Vec<String> = Vec::new();
    for x in against {
        let (other, unit) = match (support.contains(&x.a), support.contains(&x.b)) {
            (true, false) => (x.b, x.units[1]),
            (false, true) => (x.a, x.units[0]),
            _ => continue,
        };
        opposing.extend(group_of(other));
        let verb = match x.clash {
            Clash::Denial => "denies it",
            Clash::Figures => "gives other figures",
        };
        let reason = format!(
            "{} {verb}: \"{unit}\" ({})",
            speaker_or_outlet(story, other),
            x.evidence
        );
        if !reasons.contains(&reason) {
            reasons.push(reason);
        }
    }
    (opposing.into_iter().collect(), reasons)
}

/// The claim's standing in words: who says it, what was retracted, who says otherwise.
fn explain(
    story: &Story,
    support: &[usize],
    sets: &[Vec<usize>],
    status: ClaimStatus,
    retracted: &[&Retraction],
    reasons: &[String],
    quotes: &[Quote],
) -> String {
    let mut why = who_says_it(story, support, sets);
    let mut withdrawn: Vec<String> = Vec::new();
    for r in shown_withdrawals(story, retracted) {
        let reason = format!("; retracted: {}", withdrawal(story, r, quotes));
        if !withdrawn.contains(&reason) {
            withdrawn.push(reason);
        }
    }
    why.push_str(&withdrawn.concat());
    if !reasons.is_empty() {
        why.push_str(&format!("; {}", reasons.join("; ")));
        if status != ClaimStatus::Contested && status != ClaimStatus::Retracted {
            why.push_str("; it stands, as more independent reports state it than deny it");
        }
    }
    why
}

/// The withdrawals to name: of the copies of one figure withdrawal ("The earlier information
/// that police gave out was wrong" in three versions of one report) one, with a named speaker
/// when a version has one, first, as a source's own word; then every document and revision.
fn shown_withdrawals<'r>(story: &Story, retracted: &[&'r Retraction]) -> Vec<&'r Retraction> {
    let figure = |r: &&&Retraction| matches!(r.what, Withdrawn::Figure);
    let named = retracted
        .iter()
        .filter(figure)
        .find(|r| story.speaker.contains_key(story.statements[r.by].id))
        .or_else(|| retracted.iter().find(figure));
    named
        .into_iter()
        .chain(retracted.iter().filter(|r| !figure(r)))
        .copied()
        .collect()
}

pub(super) fn speaker_or_outlet(story: &Story, statement: usize) -> String {
    let outlet = story.outlet(statement);
    match story.speaker.get(story.statements[statement].id) {
        Some(name) => format!("{name} (in {outlet})"),
        None => outlet,
    }
}

/// Who states a claim, in words: the independent reports, the copies counted once, and the
/// named speaker of its first sentence.
pub(super) fn who_says_it(story: &Story, support: &[usize], sets: &[Vec<usize>]) -> String {
    let lead = |set: &Vec<usize>| story.outlet(support[set[0]]);
    let mut why = match sets {
        [set] if set.len() == 1 && support.len() > 1 => {
            format!("only {} states it, {} times", lead(set), support.len())
        }
        [set] if set.len() == 1 => format!("only {} states it", lead(set)),
        [_] => "one independent source states it".to_string(),
        _ => format!(
            "{} independent reports state it: {}",
            sets.len(),
            names(sets.iter().map(lead))
        ),
    };
    for set in sets.iter().filter(|s| s.len() > 1) {
        why.push_str(&format!(
            "; {} copy one text, counted once",
            names(set.iter().map(|&k| story.outlet(support[k])))
        ));
    }
    if let Some(name) = story.speaker.get(story.statements[support[0]].id) {
        why.push_str(&format!("; said by {name}"));
    }
    why
}

/// "A", "A and B", "A, B and C"; a name that recurs is given once with its count.
pub(super) fn names(list: impl Iterator<Item = String>) -> String {
    let mut counted: Vec<(String, usize)> = Vec::new();
    for name in list {
        match counted.iter_mut().find(|(n, _)| *n == name) {
            Some((_, c)) => *c += 1,
            None => counted.push((name, 1)),
        }
    }
    let shown: Vec<String> = counted
        .into_iter()
        .map(|(n, c)| {
            if c == 1 {
                n
            } else {
                format!("{n} ({c} reports)")
            }
        })
        .collect();
    match shown.split_last() {
        Some((last, rest)) if !rest.is_empty() => format!("{} and {last}", rest.join(", ")),
        Some((last, _)) => last.clone(),
        None => String::new(),
    }
}

/// Why a claim is withdrawn, in words: what withdrew it and who.
pub(super) fn withdrawal(story: &Story, r: &Retraction, quotes: &[Quote]) -> String {
    let by = story.statements[r.by].id;
    let words = quotes
        .iter()
        .find(|q| q.cite == by && RETRACTION.is_match(&q.text))
        .map_or(story.statements[r.by].text, |q| q.text.as_str());
    let who = match story.speaker.get(by) {
        Some(name) => format!("withdrawn by {name}: \"{words}\""),
        None => format!("withdrawn in {}: \"{words}\"", story.outlet(r.by)),
    };
    match &r.what {
        Withdrawn::Document(document) => format!("it comes from the {document}, {who}"),
        Withdrawn::Figure => format!("its figures were {who}"),
        Withdrawn::Revision => format!(
            "a later version of the same text, in {}, gives other figures: \"{words}\"",
            story.outlet(r.by)
        ),
    }
}

/// The independent sources among some statements: the indices (into `of`) of the statements of
/// each, reports joined by a copy between two of the statements counted once.
pub(super) fn independent_sets(of: &[usize], story: &Story) -> Vec<Vec<usize>> {
    let statements = &story.statements;
    let reports: Vec<usize> = of.iter().map(|&s| statements[s].report).collect();
    let mut sets = UnionFind::new(story.reports.len());
    for &(a, b) in &story.copies {
        if of.contains(&a) && of.contains(&b) {
            sets.union(statements[a].report, statements[b].report);
        }
    }
    // One entry per report, grouped by its set.
    let mut out: Vec<(usize, Vec<usize>)> = Vec::new();
    let mut seen: HashSet<usize> = HashSet::new();
    for (k, &r) in reports.iter().enumerate() {
        if !seen.insert(r) {
            continue;
        }
        let root = sets.find(r);
        match out.iter_mut().find(|(root_of, _)| *root_of == root) {
            Some((_, set)) => set.push(k),
            None => out.push((root, vec![k])),
        }
    }
    out.into_iter().map(|(_, set)| set).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_listed_once_with_their_count() {
        let list = |v: &[&str]| names(v.iter().map(|s| s.to_string()));
        assert_eq!(list(&["AP"]), "AP");
        assert_eq!(list(&["AP", "NYT", "AP"]), "AP (2 reports) and NYT");
        assert_eq!(list(&["AP", "NYT", "Xinhua"]), "AP, NYT and Xinhua");
    }
}
