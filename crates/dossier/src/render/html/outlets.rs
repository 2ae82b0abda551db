//! The outlets of a story and what each contributed: reports, summary sentences and claims
//! resting on them, denials, and whose sentences they copied.

use super::story::Sources;
use super::{count, esc};
use crate::model::{Report, Story};
use std::collections::{BTreeMap, HashSet};
use std::fmt::Write;

#[derive(Default)]
struct Contribution {
    reports: usize,
    first: Option<String>,
    summary: usize,
    claims: usize,
    against: usize,
    /// Outlet copied from -> sentences.
    copied: BTreeMap<String, usize>,
}

pub(super) fn render_outlets(
    out: &mut String,
    story: &Story,
    members: &[&Report],
    sources: &Sources,
) {
    let page = sources.page;
    let mut order: Vec<&str> = Vec::new();
    let mut by: BTreeMap<&str, Contribution> = BTreeMap::new();
    for report in members {
        let Some(&r) = page.positions.get(&report.id) else {
            continue;
        };
        let head = &page.heads[r];
        if !by.contains_key(head.outlet.as_str()) {
            order.push(&head.outlet);
        }
        let c = by.entry(&head.outlet).or_default();
        c.reports += 1;
        c.first = c.first.take().or(head.date.clone());
    }
    let outlet_of = |id: &str| sources.report_of(id).map(|r| page.heads[r].outlet.as_str());
    let mut credit = |ids: &mut dyn Iterator<Item = &String>,
                      field: fn(&mut Contribution) -> &mut usize| {
        let outlets: HashSet<&str> = ids.filter_map(|id| outlet_of(id)).collect();
        for o in outlets {
            *field(by.get_mut(o).expect("every sentence's outlet is listed")) += 1;
        }
    };
    for sentence in &story.summary {
        credit(&mut sentence.cites.iter(), |c| &mut c.summary);
    }
    for claim in &story.claims {
        credit(&mut claim.support.iter(), |c| &mut c.claims);
        credit(&mut claim.contradict.iter(), |c| &mut c.against);
    }
    for pair in &story.reuse {
        if let (Some(from), Some(to)) = (outlet_of(&pair.from), outlet_of(&pair.to)) {
            if from != to {
                let c = by.get_mut(to).expect("listed");
                *c.copied.entry(from.to_string()).or_default() += 1;
            }
        }
    }
    out.push_str("<h3>Outlets</h3><ul class=\"outlets\">");
    for outlet in order {
        render_outlet(out, outlet, &by[outlet]);
    }
    out.push_str("</ul>\n");
}

fn render_outlet(out: &mut String, outlet: &str, c: &Contribution) {
    let _ = write!(out, "<li><b>{}</b> <span class=\"meta\">", esc(outlet));
    let mut parts = vec![count(c.reports, "report")];
    if let Some(first) = &c.first {
        parts.push(format!("first on {}", esc(first)));
    }
    parts.push(format!(
        "cited by {} of the summary",
        count(c.summary, "sentence")
    ));
    parts.push(format!("states {}", count(c.claims, "claim")));
    if c.against > 0 {
        parts.push(format!("disputes {}", count(c.against, "claim")));
    }
    for (from, n) in &c.copied {
        parts.push(format!(
            "copied {} from {}",
            count(*n, "sentence"),
            esc(from)
        ));
    }
    out.push_str(&parts.join(" · "));
    out.push_str("</span></li>");
}
