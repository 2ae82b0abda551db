//! `index.html`: one self-contained page (no scripts, no external resources) with every story,
//! its cited summary, its copied passages and its reports sentence by sentence.
//!
//! Everything taken from reports (text, ids, titles, sources) is escaped. Anchors are built from
//! positions, never from input ids, so no input can shape an attribute.

use crate::model::{Claim, ClaimStatus, Entity, Event, Items, Quote, Report, Story};
use crate::ner::EntityKind;
use crate::Dossier;
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

const STYLE: &str = r#"
body{font:16px/1.5 system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;color:#1d1d1f}
h1{font-size:1.6rem}h2{font-size:1.3rem;margin-top:2.5rem;border-top:1px solid #ccc;padding-top:1rem}
h3{font-size:1.05rem;margin-top:1.5rem}.meta{color:#666;font-size:.9rem}
.summary p{margin:.4rem 0}.cite{font-size:.75rem;text-decoration:none;color:#0645ad;margin-left:.15rem}
.report{border-left:3px solid #ddd;padding-left:.8rem;margin:.8rem 0}
.sentence{display:block;margin:.15rem 0}.sentence:target{background:#fff3b0}
.sid{color:#999;font-size:.75rem;margin-right:.3rem}
table{border-collapse:collapse;font-size:.9rem}td,th{border:1px solid #ddd;padding:.3rem;vertical-align:top}
.removed li{color:#8a1c1c;font-size:.85rem}
.entities dt{font-weight:600}.entities dd{margin:0 0 .4rem 1rem}.alias{color:#666;font-size:.85rem}
.quotes blockquote{margin:.3rem 0 .3rem 1rem;font-style:italic}.timeline li{margin:.3rem 0}
.when{font-weight:600;margin-right:.4rem}
.claims li{margin:.5rem 0}.why{color:#555;font-size:.85rem;margin:.1rem 0}
.contested h4{color:#8a1c1c}.retracted h4{color:#7a4a00}.corroborated h4{color:#1c5e20}
"#;

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
        render_story(&mut out, n, &story, &by_id, &anchors);
        to.write_all(out.as_bytes())?;
        out.clear();
    }
    out.push_str("</body></html>\n");
    to.write_all(out.as_bytes())
}

/// Where each sentence id points, as its position: the anchor `r<report>s<sentence>`. A report
/// whose sentences are numbered by the pipeline's rule (`<report id>:<n>`) is one entry, not one
/// per sentence: a big pile has a million sentences. Other ids are listed one by one. Where an id
/// occurs twice, the last occurrence is the anchor.
#[derive(Default)]
struct Anchors {
    /// Report id -> (position, number of sentences), for the first report of each id whose
    /// sentences all follow the rule.
    numbered: HashMap<String, (usize, usize)>,
    listed: HashMap<String, (usize, usize)>,
}

impl Anchors {
    fn add(&mut self, r: usize, report: &Report) {
        let numbered = !self.numbered.contains_key(&report.id)
            && report
                .sentences
                .iter()
                .enumerate()
                .all(|(n, s)| Anchors::numbered_id(&s.id) == Some((&report.id, n + 1)));
        if numbered {
            self.numbered
                .insert(report.id.clone(), (r, report.sentences.len()));
        } else {
            for (n, sentence) in report.sentences.iter().enumerate() {
                self.listed.insert(sentence.id.clone(), (r, n));
            }
        }
    }

    /// `<report id>:<n>` split, when `n` is written as the rule writes it.
    fn numbered_id(id: &str) -> Option<(&str, usize)> {
        let (report, n) = id.rsplit_once(':')?;
        let parsed: usize = n.parse().ok()?;
        (parsed.to_string() == n).then_some((report, parsed))
    }

    fn get(&self, id: &str) -> Option<String> {
        let numbered = Anchors::numbered_id(id).and_then(|(report, n)| {
            let &(r, count) = self.numbered.get(report)?;
            (1..=count).contains(&n).then_some((r, n - 1))
        });
        // Positions grow in reading order, so the later occurrence is the greater one.
        let (r, s) = numbered.max(self.listed.get(id).copied())?;
        Some(format!("r{r}s{s}"))
    }
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

fn render_story(
    out: &mut String,
    n: usize,
    story: &Story,
    by_id: &HashMap<&str, &Report>,
    anchors: &Anchors,
) {
    let _ = writeln!(
        out,
        "<section id=\"story-{n}\"><h2>{}</h2><p class=\"meta\">Story <code>{}</code> · {}</p>",
        esc(&story.title),
        esc(&story.id),
        count(story.reports.len(), "report")
    );
    out.push_str("<h3>Summary</h3><div class=\"summary\">");
    for sentence in &story.summary {
        let _ = write!(out, "<p>{}", esc(&sentence.text));
        for cite in &sentence.cites {
            cite_link(out, cite, anchors);
        }
        out.push_str("</p>");
    }
    out.push_str("</div>\n");
    render_entities(out, &story.entities, anchors);
    render_quotes(out, &story.quotes, anchors);
    render_timeline(out, &story.timeline, anchors);
    render_claims(out, &story.claims, anchors);
    if !story.reuse.is_empty() {
        let text_of: HashMap<&str, &str> = story
            .reports
            .iter()
            .filter_map(|id| by_id.get(id.as_str()))
            .flat_map(|r| r.sentences.iter().map(|s| (s.id.as_str(), s.text.as_str())))
            .collect();
        out.push_str(
            "<h3>Copied passages</h3><table><tr><th>From</th><th>To</th><th>Similarity</th></tr>",
        );
        for pair in &story.reuse {
            out.push_str("<tr><td>");
            cite_link(out, &pair.from, anchors);
            let _ = write!(
                out,
                " {}</td><td>",
                esc(text_of.get(pair.from.as_str()).unwrap_or(&""))
            );
            cite_link(out, &pair.to, anchors);
            let _ = write!(
                out,
                " {}</td><td>{:.2}</td></tr>",
                esc(text_of.get(pair.to.as_str()).unwrap_or(&"")),
                pair.similarity
            );
        }
        out.push_str("</table>\n");
    }
    out.push_str("<h3>Reports</h3>");
    for id in &story.reports {
        if let Some(report) = by_id.get(id.as_str()) {
            render_report(out, report, anchors);
        }
    }
    out.push_str("</section>\n");
}

/// Citations shown per entity before the rest are only counted: a country may be named in
/// every sentence.
const MAX_ENTITY_CITES: usize = 8;

fn render_entities(out: &mut String, entities: &[Entity], anchors: &Anchors) {
    const SECTIONS: [(EntityKind, &str); 4] = [
        (EntityKind::Person, "People"),
        (EntityKind::Organization, "Organisations"),
        (EntityKind::Place, "Places"),
        (EntityKind::Other, "Other names"),
    ];
    for (kind, heading) in SECTIONS {
        let of_kind: Vec<&Entity> = entities.iter().filter(|e| e.kind == kind).collect();
        if of_kind.is_empty() {
            continue;
        }
        let _ = write!(out, "<h3>{heading}</h3><dl class=\"entities\">");
        for entity in of_kind {
            let _ = write!(out, "<dt>{}", esc(&entity.name));
            if !entity.aliases.is_empty() {
                let aliases: Vec<String> = entity.aliases.iter().map(|a| esc(a)).collect();
                let _ = write!(
                    out,
                    " <span class=\"alias\">also {}</span>",
                    aliases.join(", ")
                );
            }
            out.push_str("</dt><dd>");
            let _ = write!(out, "{}", count(entity.mentions.len(), "sentence"));
            for cite in entity.mentions.iter().take(MAX_ENTITY_CITES) {
                cite_link(out, cite, anchors);
            }
            if entity.mentions.len() > MAX_ENTITY_CITES {
                let _ = write!(
                    out,
                    " <span class=\"meta\">and {} more</span>",
                    entity.mentions.len() - MAX_ENTITY_CITES
                );
            }
            out.push_str("</dd>");
        }
        out.push_str("</dl>\n");
    }
}

/// Quotes grouped by speaker, speakers in order of their first quote; unknown speakers last.
fn render_quotes(out: &mut String, quotes: &[Quote], anchors: &Anchors) {
    if quotes.is_empty() {
        return;
    }
    let mut speakers: Vec<(Option<&str>, Vec<&Quote>)> = Vec::new();
    for quote in quotes {
        let key = quote.speaker.as_deref().or(quote.speaker_name.as_deref());
        match speakers.iter_mut().find(|(k, _)| *k == key) {
            Some((_, group)) => group.push(quote),
            None => speakers.push((key, vec![quote])),
        }
    }
    speakers.sort_by_key(|(k, _)| k.is_none());
    out.push_str("<h3>Quotes</h3><div class=\"quotes\">");
    for (key, group) in speakers {
        let name = key
            .and(group[0].speaker_name.as_deref())
            .unwrap_or("Speaker not named");
        let _ = write!(out, "<h4>{}</h4>", esc(name));
        for quote in group {
            let _ = write!(out, "<blockquote>“{}”", esc(&quote.text));
            cite_link(out, &quote.cite, anchors);
            out.push_str("</blockquote>");
        }
    }
    out.push_str("</div>\n");
}

fn render_timeline(out: &mut String, events: &[Event], anchors: &Anchors) {
    if events.is_empty() {
        return;
    }
    out.push_str("<h3>Timeline</h3><ol class=\"timeline\">");
    for event in events {
        out.push_str("<li><span class=\"when\">");
        match &event.date {
            Some(date) => {
                let inferred = if event.inferred { ", inferred" } else { "" };
                let _ = write!(
                    out,
                    "{} <span class=\"meta\">({}{inferred})</span>",
                    esc(date),
                    esc(&event.when)
                );
            }
            None => out.push_str(&esc(&event.when)),
        }
        let _ = write!(out, "</span>{}", esc(&event.what));
        for cite in &event.cites {
            cite_link(out, cite, anchors);
        }
        out.push_str("</li>");
    }
    out.push_str("</ol>\n");
}

/// Claims grouped by status, the disputed and withdrawn ones first: those are what a reader
/// must not miss.
fn render_claims(out: &mut String, claims: &[Claim], anchors: &Anchors) {
    if claims.is_empty() {
        return;
    }
    out.push_str("<h3>Claims</h3><div class=\"claims\">");
    for (status, class, heading) in [
        (ClaimStatus::Contested, "contested", "Contested"),
        (ClaimStatus::Retracted, "retracted", "Retracted"),
        (ClaimStatus::Corroborated, "corroborated", "Corroborated"),
        (ClaimStatus::SingleSource, "single-source", "Single source"),
    ] {
        let group: Vec<&Claim> = claims.iter().filter(|c| c.status == status).collect();
        if group.is_empty() {
            continue;
        }
        let _ = write!(
            out,
            "<section class=\"{class}\"><h4>{heading} ({})</h4><ul>",
            group.len()
        );
        for claim in group {
            let _ = write!(
                out,
                "<li>{}<br><span class=\"meta\">For ({}):",
                esc(&claim.text),
                count(claim.sources, "independent source")
            );
            for cite in &claim.support {
                cite_link(out, cite, anchors);
            }
            if !claim.contradict.is_empty() {
                out.push_str(" · Against:");
                for cite in &claim.contradict {
                    cite_link(out, cite, anchors);
                }
            }
            let _ = write!(out, "</span><p class=\"why\">{}</p></li>", esc(&claim.why));
        }
        out.push_str("</ul></section>");
    }
    out.push_str("</div>\n");
}

fn render_report(out: &mut String, report: &Report, anchors: &Anchors) {
    let title = report.title.as_deref().unwrap_or(&report.id);
    let _ = write!(
        out,
        "<div class=\"report\"><h4>{}</h4><p class=\"meta\">{}{} · <span title=\"{}\">{}</span>{}</p>",
        esc(title),
        report
            .outlet
            .as_deref()
            .map(|o| format!("{} · ", esc(o)))
            .unwrap_or_default(),
        esc(&report.id),
        attr(&report.source),
        esc(&report.source),
        report
            .published
            .as_deref()
            .map(|p| format!(" · {}", esc(p)))
            .unwrap_or_default()
    );
    // Always visible: citations link here, and a link into a closed <details> shows nothing.
    out.push_str("<div class=\"sentences\">");
    for sentence in &report.sentences {
        let anchor = anchors.get(sentence.id.as_str()).unwrap_or_default();
        let _ = write!(
            out,
            "<span class=\"sentence\" id=\"{anchor}\"><span class=\"sid\">{}</span>{}</span>",
            esc(&sentence.id),
            esc(&sentence.text)
        );
    }
    out.push_str("</div>");
    if !report.removed.is_empty() {
        let _ = write!(
            out,
            "<details class=\"removed\"><summary>Removed in cleaning ({})</summary><ul>",
            report.removed.len()
        );
        for removal in &report.removed {
            let _ = write!(
                out,
                "<li><b>{}</b>: {}</li>",
                esc(&removal.rule),
                esc(&removal.text)
            );
        }
        out.push_str("</ul></details>");
    }
    out.push_str("</div>\n");
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{test_report, Entity, Event, Quote, Story, CONTRACT_VERSION};

    #[test]
    fn anchors_are_the_last_position_of_an_id_numbered_or_not() {
        let mut odd = test_report("b", &["One.", "Two."]);
        odd.sentences[0].id = "b:01".into();
        odd.sentences[1].id = "a:2".into();
        let reports = [
            test_report("a", &["One.", "Two.", "Three."]),
            odd,
            test_report("a", &["Again."]),
            test_report("c:1", &["Colon."]),
        ];
        let mut anchors = Anchors::default();
        for (r, report) in reports.iter().enumerate() {
            anchors.add(r, report);
        }
        let at = |id: &str| anchors.get(id);
        assert_eq!(at("a:1").as_deref(), Some("r2s0"));
        assert_eq!(at("a:2").as_deref(), Some("r1s1"));
        assert_eq!(at("a:3").as_deref(), Some("r0s2"));
        assert_eq!(at("b:01").as_deref(), Some("r1s0"));
        assert_eq!(at("b:1"), None);
        assert_eq!(at("c:1:1").as_deref(), Some("r3s0"));
        assert_eq!(at("a:4"), None);
    }

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
