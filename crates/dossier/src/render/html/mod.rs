//! `index.html`: one self-contained page (no scripts, no external resources) with every story,
//! its cited summary, its copied passages and its reports sentence by sentence.
//!
//! Everything taken from reports (text, ids, titles, sources) is escaped. Anchors are built from
//! positions, never from input ids, so no input can shape an attribute.

mod anchors;
mod claims;
mod entities;
mod quotes;
mod story;
mod timeline;

use crate::model::{Items, Report, Story};
use crate::Dossier;
use anchors::Anchors;
use std::collections::HashMap;
use std::fmt::Write;

fn esc(text: &str) -> String {
    html_escape::encode_text(text).into_owned()
}

fn count(n: usize, noun: &str) -> String {
    match (n, noun) {
        (1, _) => format!("1 {noun}"),
        (_, "story") => format!("{n} stories"),
        _ => format!("{n} {noun}s"),
    }
}

fn attr(text: &str) -> String {
    html_escape::encode_double_quoted_attribute(text).into_owned()
}

const STYLE: &str = include_str!("page.css");

pub fn render(dossier: &Dossier) -> String {
    let mut out = Vec::new();
    write(dossier, &mut out).expect("writing to memory cannot fail");
    String::from_utf8(out).expect("the page is built from strings")
}

/// [`render`] into a writer, story by story, so that the page of a big pile is never held whole.
pub fn write(dossier: &Dossier, to: &mut impl std::io::Write) -> std::io::Result<()> {
    write_parts(&dossier.reports, &dossier.stories, to)
}

/// [`write`] of a dossier whose reports and stories are read one at a time (from disk, for a
/// big pile): each story's reports are read when it is written.
pub fn write_parts(
    reports: &dyn Items<Report>,
    stories: &dyn Items<Story>,
    to: &mut impl std::io::Write,
) -> std::io::Result<()> {
    let mut anchors = Anchors::default();
    let mut index: HashMap<String, usize> = HashMap::new();
    for r in 0..reports.len() {
        let report = reports.get(r)?;
        anchors.add(r, &report);
        index.insert(report.id.clone(), r);
    }
    let mut out = String::new();
    out.push_str("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">");
    out.push_str("<meta name=\"viewport\" content=\"width=device-width,initial-scale=1\">");
    out.push_str("<title>Dossier</title><style>");
    out.push_str(STYLE);
    out.push_str("</style></head><body>\n");
    let _ = write!(
        out,
        "<h1>Dossier</h1><p class=\"meta\">{} in {}</p>\n<nav><ol>",
        count(reports.len(), "report"),
        count(stories.len(), "story")
    );
    for n in 0..stories.len() {
        let story = stories.get(n)?;
        let _ = write!(
            out,
            "<li><a href=\"#story-{n}\">{}</a> <span class=\"meta\">({})</span></li>",
            esc(&story.title),
            count(story.reports.len(), "report")
        );
    }
    out.push_str("</ol></nav>\n");
    for n in 0..stories.len() {
        let story = stories.get(n)?;
        let members = story
            .reports
            .iter()
            .filter_map(|id| index.get(id))
            .map(|&r| reports.get(r))
            .collect::<std::io::Result<Vec<_>>>()?;
        let by_id: HashMap<&str, &Report> = members.iter().map(|r| (r.id.as_str(), &**r)).collect();
        story::render_story(&mut out, n, &story, &by_id, &anchors);
        to.write_all(out.as_bytes())?;
        out.clear();
    }
    out.push_str("</body></html>\n");
    to.write_all(out.as_bytes())
}

fn cite_link(out: &mut String, id: &str, anchors: &Anchors) {
    match anchors.get(id) {
        Some(anchor) => {
            let _ = write!(
                out,
                "<a class=\"cite\" href=\"#{anchor}\">[{}]</a>",
                esc(id)
            );
        }
        None => {
            let _ = write!(out, "<span class=\"cite\">[{}]</span>", esc(id));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{
        test_report, Claim, ClaimStatus, Entity, Event, Quote, Story, CONTRACT_VERSION,
    };
    use crate::ner::EntityKind;

    #[test]
    fn who_what_when_sections_cite_sentences_and_escape_text() {
        let report = test_report(
            "r",
            &[
                "\"<b>We</b> leave,\" said Ann <Lee>.",
                "On Sunday, <i>troops</i> left.",
            ],
        );
        let story = Story {
            id: "story-1".into(),
            title: "t".into(),
            reports: vec!["r".into()],
            summary: vec![],
            reuse: vec![],
            entities: vec![Entity {
                id: "e1".into(),
                name: "Ann <Lee>".into(),
                kind: EntityKind::Person,
                aliases: vec!["<Lee>".into()],
                mentions: vec!["r:1".into()],
            }],
            quotes: vec![
                Quote {
                    speaker: Some("e1".into()),
                    speaker_name: Some("Ann <Lee>".into()),
                    text: "<b>We</b> leave".into(),
                    cite: "r:1".into(),
                },
                Quote {
                    speaker: None,
                    speaker_name: None,
                    text: "Nobody said this".into(),
                    cite: "r:1".into(),
                },
            ],
            timeline: vec![Event {
                when: "Sunday".into(),
                date: Some("2020-01-05".into()),
                inferred: false,
                what: "<i>troops</i> left.".into(),
                cites: vec!["r:2".into()],
            }],
            claims: vec![Claim {
                id: "c1".into(),
                text: "<i>troops</i> left.".into(),
                status: ClaimStatus::Contested,
                support: vec!["r:2".into()],
                contradict: vec!["r:1".into()],
                sources: 1,
                why: "r:1 says \"<b>We</b> leave\"".into(),
            }],
        };
        let html = render(&Dossier {
            version: CONTRACT_VERSION,
            reports: vec![report],
            stories: vec![story],
        });
        assert!(html.contains("<h3>People</h3>"));
        assert!(html.contains("Ann &lt;Lee&gt; <span class=\"alias\">also &lt;Lee&gt;</span>"));
        assert!(html.contains("<h4>Ann &lt;Lee&gt;</h4><blockquote>“&lt;b&gt;We&lt;/b&gt; leave”"));
        assert!(html.contains("<h4>Speaker not named</h4>"));
        assert!(html.contains("2020-01-05 <span class=\"meta\">(Sunday)</span>"));
        assert!(html.contains("&lt;i&gt;troops&lt;/i&gt; left.<a class=\"cite\" href=\"#r0s1\">"));
        assert!(html.contains(
            "<section class=\"contested\"><h4>Contested (1)</h4><ul><li>&lt;i&gt;troops&lt;/i&gt; left.<br><span class=\"meta\">For (1 independent source):<a class=\"cite\" href=\"#r0s1\">"
        ));
        assert!(html.contains("<p class=\"why\">r:1 says \"&lt;b&gt;We&lt;/b&gt; leave\"</p>"));
        assert!(!html.contains("<b>We") && !html.contains("<i>troops"));
    }
}
