//! A story for use elsewhere: as Markdown (summary, key claims, timeline, sources) to paste
//! into a note, and its claims as CSV for a spreadsheet. `dossier export` writes these and the
//! page's export buttons download the same text.

use super::summary::markdown_escape;
use super::{day, key_claims, outlet};
use crate::model::{Claim, Report, Story};
use std::collections::HashMap;
use std::fmt::Write;

/// The story's reports as the exports cite them: numbered in story order, with outlet and date.
struct Cited<'a> {
    /// Sentence id -> (report number from 1, sentence text).
    sentences: HashMap<&'a str, (usize, &'a str)>,
    members: &'a [&'a Report],
}

impl<'a> Cited<'a> {
    fn of(members: &'a [&'a Report]) -> Cited<'a> {
        let sentences = members
            .iter()
            .enumerate()
            .flat_map(|(n, r)| {
                r.sentences
                    .iter()
                    .map(move |s| (s.id.as_str(), (n + 1, s.text.as_str())))
            })
            .collect();
        Cited { sentences, members }
    }

    /// The numbers of the distinct reports of these sentences, in order.
    fn reports(&self, ids: &[String]) -> Vec<usize> {
        let mut numbers: Vec<usize> = ids
            .iter()
            .filter_map(|id| self.sentences.get(id.as_str()).map(|&(n, _)| n))
            .collect();
        numbers.sort_unstable();
        numbers.dedup();
        numbers
    }

    /// `[1][3]`: the distinct reports of these sentences, in order.
    fn marks(&self, ids: &[String]) -> String {
        self.reports(ids).iter().map(|n| format!("[{n}]")).collect()
    }

    /// `Outlet (date); Outlet`: the distinct reports of these sentences, named.
    fn names(&self, ids: &[String]) -> String {
        let names: Vec<String> = self
            .reports(ids)
            .iter()
            .map(|&n| label(self.members[n - 1]))
            .collect();
        names.join("; ")
    }
}

fn label(report: &Report) -> String {
    match day(report) {
        Some(date) => format!("{} ({date})", outlet(report)),
        None => outlet(report),
    }
}

/// Report text on one line, its Markdown characters escaped.
fn md(text: &str) -> String {
    markdown_escape(&text.replace(['\n', '\r'], " "))
}

/// The story as Markdown: every citation a numbered report listed under "Sources".
pub fn markdown(story: &Story, members: &[&Report]) -> String {
    let cited = Cited::of(members);
    let mut out = format!("# {}\n\n", md(&story.title));
    out.push_str("## Summary\n\n");
    for sentence in &story.summary {
        let _ = writeln!(
            out,
            "{} {}",
            md(&sentence.text),
            cited.marks(&sentence.cites)
        );
    }
    let (key, _) = key_claims(&story.claims);
    if !key.is_empty() {
        out.push_str("\n## Key claims\n\n");
        for claim in key {
            key_claim(&mut out, claim, &cited);
        }
    }
    timeline(&mut out, story, &cited);
    out.push_str("\n## Sources\n\n");
    for (n, report) in members.iter().enumerate() {
        let title = report.title.as_deref().unwrap_or("Untitled");
        let _ = writeln!(
            out,
            "{}. {}: {} ({})",
            n + 1,
            md(&label(report)),
            md(title),
            md(&report.source)
        );
    }
    out
}

fn key_claim(out: &mut String, claim: &Claim, cited: &Cited) {
    let status = super::status_label(claim.status);
    let _ = write!(
        out,
        "- **{status}**: {} (for: {}",
        md(&claim.text),
        cited.marks(&claim.support)
    );
    if !claim.contradict.is_empty() {
        let _ = write!(out, "; against: {}", cited.marks(&claim.contradict));
    }
    out.push_str(")\n");
}

fn timeline(out: &mut String, story: &Story, cited: &Cited) {
    if story.timeline.is_empty() {
        return;
    }
    out.push_str("\n## Timeline\n\n");
    let mut dated: Vec<_> = story.timeline.iter().filter(|e| e.date.is_some()).collect();
    dated.sort_by_key(|e| e.date.clone());
    let undated = story.timeline.iter().filter(|e| e.date.is_none());
    for event in dated.into_iter().chain(undated) {
        let when = event.date.as_deref().unwrap_or("undated");
        let _ = writeln!(
            out,
            "- {} ({}): {} {}",
            md(when),
            md(&event.when),
            md(&event.what),
            cited.marks(&event.cites)
        );
    }
}

/// The columns of [`claims_csv`].
pub const CSV_HEADER: [&str; 8] = [
    "story",
    "claim",
    "status",
    "independent_sources",
    "text",
    "for",
    "against",
    "why",
];

/// The claims of the given stories as CSV, one row a claim, with a header. `for` and
/// `against` name the reports as outlet and date.
pub fn claims_csv<'a>(stories: impl IntoIterator<Item = (&'a Story, &'a [&'a Report])>) -> String {
    let mut csv = csv::Writer::from_writer(Vec::new());
    csv.write_record(CSV_HEADER)
        .expect("writing to memory cannot fail");
    for (story, members) in stories {
        let cited = Cited::of(members);
        for claim in &story.claims {
            let sources = claim.sources.to_string();
            csv.write_record([
                story.id.as_str(),
                claim.id.as_str(),
                super::status_name(claim.status),
                sources.as_str(),
                claim.text.as_str(),
                &cited.names(&claim.support),
                &cited.names(&claim.contradict),
                claim.why.as_str(),
            ])
            .expect("writing to memory cannot fail");
        }
    }
    let bytes = csv.into_inner().expect("writing to memory cannot fail");
    String::from_utf8(bytes).expect("the CSV is built from strings")
}
