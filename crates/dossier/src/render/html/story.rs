use super::anchors::Anchors;
use super::{attr, cite_link, count, esc};
use super::{
    claims::render_claims, entities::render_entities, quotes::render_quotes,
    timeline::render_timeline,
};
use crate::model::{Report, Story};
use std::collections::HashMap;
use std::fmt::Write;

pub(super) fn render_story(
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
