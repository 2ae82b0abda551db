//! The encoder's view of a story's statements, each statement's nearest in other sources, and
//! the groups of statements that state one claim.

use super::*;

/// The encoder's view of the statements: one vector per unit, and the cosine of the closest
/// units of every two statements (computed once: three passes read it).
pub(super) struct Space {
    pub(super) vectors: Vec<Vec<f32>>,
    pub(super) first_unit: Vec<usize>,
    pub(super) cosines: Vec<f32>,
    pub(super) n: usize,
}

impl Space {
    pub(super) fn encode(statements: &[Statement], encoder: &Cache) -> Option<Space> {
        let units: Vec<&str> = statements.iter().flat_map(|s| s.units.clone()).collect();
        let vectors = encoder.embed(&units).ok()?;
        let mut first_unit = Vec::with_capacity(statements.len());
        let mut at = 0;
        for s in statements {
            first_unit.push(at);
            at += s.units.len();
        }
        let n = statements.len();
        let mut space = Space {
            vectors,
            first_unit,
            cosines: vec![0.0; n * n],
            n,
        };
        for i in 0..n {
            for j in i + 1..n {
                let (cosine, ..) = space.closest(statements, i, j);
                space.cosines[i * n + j] = cosine;
                space.cosines[j * n + i] = cosine;
            }
        }
        Some(space)
    }

    pub(super) fn cosine(&self, i: usize, j: usize) -> f32 {
        self.cosines[i * self.n + j]
    }

    pub(super) fn sentence(&self, statement: usize) -> &[f32] {
        &self.vectors[self.first_unit[statement]]
    }

    /// The closest pair of units of two statements: (cosine, unit of i, unit of j).
    pub(super) fn closest<'a>(
        &self,
        statements: &[Statement<'a>],
        i: usize,
        j: usize,
    ) -> (f32, &'a str, &'a str) {
        let mut best = (f32::NEG_INFINITY, statements[i].text, statements[j].text);
        for (a, ua) in statements[i].units.iter().enumerate() {
            for (b, ub) in statements[j].units.iter().enumerate() {
                let (va, vb) = (
                    &self.vectors[self.first_unit[i] + a],
                    &self.vectors[self.first_unit[j] + b],
                );
                let cosine: f32 = va.iter().zip(vb).map(|(x, y)| x * y).sum();
                if cosine > best.0 {
                    best = (cosine, ua, ub);
                }
            }
        }
        best
    }
}

/// Each statement's [`NEAREST`] closest statements in other sources, closest first, as
/// (cosine, statement). Within a story every sentence is about its subject, so a high cosine
/// often means only "the same story": two statements speak to one point when each is among
/// the other's closest (the margin idea of bitext mining).
pub(super) fn nearest(story: &Story, space: &Space) -> Vec<Vec<(f32, usize)>> {
    let n = story.statements.len();
    let mut near: Vec<Vec<(f32, usize)>> = vec![Vec::new(); n];
    for i in 0..n {
        for j in i + 1..n {
            if story.one_source(i, j) {
                continue;
            }
            let cosine = space.cosine(i, j);
            near[i].push((cosine, j));
            near[j].push((cosine, i));
        }
    }
    for list in &mut near {
        list.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
        list.truncate(NEAREST);
    }
    near
}

pub(super) fn mutual(near: &[Vec<(f32, usize)>], i: usize, j: usize) -> bool {
    near[i].iter().any(|&(_, k)| k == j) && near[j].iter().any(|&(_, k)| k == i)
}

/// The statements of each claim: copies, and sentences of different reports that are each
/// among the other's closest (as for disputes: in a story about one subject a cosine alone
/// chained a spokesman's quote to three sentences about an endorsement) and that the agreement
/// judge reads as saying the same thing, unless each gives a figure the other does not ("41
/// Kurds on hunger strike" is not "1,500 Kurds outside the hospital").
pub(super) fn groups(
    story: &Story,
    space: &Space,
    near: &[Vec<(f32, usize)>],
    judge: &dyn nli::Judge,
    options: &ClaimOptions,
) -> Vec<Vec<usize>> {
    let statements = &story.statements;
    let mut sets = UnionFind::new(statements.len());
    // A copy with other figures is a revision (see [`revisions`]), not the same claim.
    for &(a, b) in &story.copies {
        if !figures_conflict(&statements[a], &statements[b]) {
            sets.union(a, b);
        }
    }
    for i in 0..statements.len() {
        for j in i + 1..statements.len() {
            if statements[i].report == statements[j].report
                || space.cosine(i, j) < options.same
                || !mutual(near, i, j)
                || figures_conflict(&statements[i], &statements[j])
            {
                continue;
            }
            let (cosine, ui, uj) = space.closest(statements, i, j);
            if judge.judge(&pair(ui, uj, cosine)).verdict == Verdict::Agree {
                sets.union(i, j);
            }
        }
    }
    sets.classes()
}

/// The shorter unit as hypothesis: a clause is judged against the longer statement it may be
/// part of.
pub(super) fn pair<'a>(ui: &'a str, uj: &'a str, cosine: f32) -> Pair<'a> {
    let (premise, hypothesis) = if uj.len() <= ui.len() {
        (ui, uj)
    } else {
        (uj, ui)
    };
    Pair {
        premise,
        hypothesis,
        cosine,
    }
}
