//! `index.html`: one self-contained page (no scripts, no external resources) with every story,
//! its cited summary, its copied passages and its reports sentence by sentence.
//!
//! Everything taken from reports (text, ids, titles, sources) is escaped. Anchors are built from
//! positions, never from input ids, so no input can shape an attribute.

use crate::model::{Report, Story};
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
"#;

pub fn render(dossier: &Dossier) -> String {
    let anchors = sentence_anchors(&dossier.reports);
    let mut out = String::new();
    out.push_str("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">");
    out.push_str("<meta name=\"viewport\" content=\"width=device-width,initial-scale=1\">");
    out.push_str("<title>Dossier</title><style>");
    out.push_str(STYLE);
    out.push_str("</style></head><body>\n");
    let _ = write!(
        out,
        "<h1>Dossier</h1><p class=\"meta\">{} in {}</p>\n<nav><ol>",
        count(dossier.reports.len(), "report"),
        count(dossier.stories.len(), "story")
    );
    for (n, story) in dossier.stories.iter().enumerate() {
        let _ = write!(
            out,
            "<li><a href=\"#story-{n}\">{}</a> <span class=\"meta\">({})</span></li>",
            esc(&story.title),
            count(story.reports.len(), "report")
        );
    }
    out.push_str("</ol></nav>\n");
    for (n, story) in dossier.stories.iter().enumerate() {
        render_story(&mut out, n, story, dossier, &anchors);
    }
    out.push_str("</body></html>\n");
    out
}

/// Sentence id -> anchor name, from positions.
fn sentence_anchors(reports: &[Report]) -> HashMap<&str, String> {
    reports
        .iter()
        .enumerate()
        .flat_map(|(r, report)| {
            report
                .sentences
                .iter()
                .enumerate()
                .map(move |(s, sentence)| (sentence.id.as_str(), format!("r{r}s{s}")))
        })
        .collect()
}

fn cite_link(out: &mut String, id: &str, anchors: &HashMap<&str, String>) {
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
    dossier: &Dossier,
    anchors: &HashMap<&str, String>,
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
    if !story.reuse.is_empty() {
        let text_of: HashMap<&str, &str> = story
            .reports
            .iter()
            .filter_map(|id| dossier.report(id))
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
        if let Some(report) = dossier.report(id) {
            render_report(out, report, anchors);
        }
    }
    out.push_str("</section>\n");
}

fn render_report(out: &mut String, report: &Report, anchors: &HashMap<&str, String>) {
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
        let anchor = anchors.get(sentence.id.as_str()).map_or("", String::as_str);
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
