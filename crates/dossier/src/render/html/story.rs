//! One story's section: summary, key claims, timeline, names, quotes, outlets, copied
//! passages and the reports themselves.

use super::anchors::Anchors;
use super::{attr, cite_link, count, esc, Page};
use super::{claims, entities, outlets, quotes, timeline};
use crate::model::{Report, Story};
use crate::render::export;
use std::collections::HashMap;
use std::fmt::Write;

/// The story's sentences by id, so that a claim's or an outlet's sources show as outlet, date
/// and words, not ids.
pub(super) struct Sources<'a> {
    pub(super) page: &'a Page,
    /// Sentence id -> (report position, text).
    sentences: HashMap<&'a str, (usize, &'a str)>,
}

/// Words of a sentence shown as a source's excerpt before it is cut.
const EXCERPT_CHARS: usize = 160;

impl<'a> Sources<'a> {
    fn of(members: &[&'a Report], page: &'a Page) -> Sources<'a> {
        let sentences = members
            .iter()
            .filter_map(|r| Some((page.positions.get(&r.id).copied()?, *r)))
            .flat_map(|(p, r)| {
                r.sentences
                    .iter()
                    .map(move |s| (s.id.as_str(), (p, s.text.as_str())))
            })
            .collect();
        Sources { page, sentences }
    }

    /// The report position of a sentence of this story.
    pub(super) fn report_of(&self, id: &str) -> Option<usize> {
        self.sentences.get(id).map(|&(r, _)| r)
    }

    /// The words of a sentence of this story.
    pub(super) fn text(&self, id: &str) -> Option<&str> {
        self.sentences.get(id).map(|&(_, text)| text)
    }

    /// `<li>` with the outlet and date linking to the sentence, then its words when `words`.
    pub(super) fn item(&self, out: &mut String, id: &str, words: bool) {
        out.push_str("<li>");
        match (self.sentences.get(id), self.page.anchors.get(id)) {
            (Some(&(r, text)), Some(anchor)) => {
                let head = &self.page.heads[r];
                let _ = write!(out, "<a href=\"#{anchor}\">{}</a>", esc(&head.outlet));
                if let Some(date) = &head.date {
                    let _ = write!(out, " <span class=\"meta\">{}</span>", esc(date));
                }
                if words {
                    let _ = write!(out, " “{}”", esc(&excerpt(text)));
                }
            }
            _ => cite_link(out, id, &self.page.anchors),
        }
        out.push_str("</li>");
    }
}

fn excerpt(text: &str) -> String {
    if text.chars().count() <= EXCERPT_CHARS {
        return text.to_string();
    }
    let cut: String = text.chars().take(EXCERPT_CHARS).collect();
    let at_word = cut.rsplit_once(' ').map_or(cut.as_str(), |(head, _)| head);
    format!("{at_word} …")
}

pub(super) fn render_story(
    out: &mut String,
    n: usize,
    story: &Story,
    members: &[&Report],
    page: &Page,
) {
    let sources = Sources::of(members, page);
    let _ = writeln!(
        out,
        "<section class=\"story\" id=\"story-{n}\"><h2>{}</h2><p class=\"meta\">{} · <a href=\"#top\">back to the list</a></p>",
        esc(&story.title),
        count(story.reports.len(), "report"),
    );
    render_export(out, story, members);
    render_summary(out, story, &page.anchors);
    claims::render_claims(out, &story.claims, &sources);
    timeline::render_timeline(out, &story.timeline, &page.anchors);
    entities::render_entities(out, n, &story.entities, page);
    quotes::render_quotes(out, &story.quotes, &page.anchors);
    outlets::render_outlets(out, story, members, &sources);
    render_reuse(out, story, &sources);
    out.push_str("<h3>Reports</h3>");
    for report in members {
        render_report(out, report, page);
    }
    out.push_str("</section>\n");
}

fn render_summary(out: &mut String, story: &Story, anchors: &Anchors) {
    out.push_str("<h3>Summary</h3><div class=\"summary\">");
    for sentence in &story.summary {
        let _ = write!(out, "<p>{}", esc(&sentence.text));
        for cite in &sentence.cites {
            cite_link(out, cite, anchors);
        }
        out.push_str("</p>");
    }
    out.push_str("</div>\n");
}

/// The buttons and what they download: the same text as `dossier export`, held gzipped (in
/// base64) until a button asks for it, when the browser unpacks it: as plain text it repeated
/// every claim and timeline entry of the page and was a seventh of a pile's page.
fn render_export(out: &mut String, story: &Story, members: &[&Report]) {
    let name: String = story
        .id
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_'))
        .collect();
    let data = serde_json::json!({
        "name": if name.is_empty() { "story".to_string() } else { name },
        "md": export::markdown(story, members),
        "csv": export::claims_csv([(story, members)]),
    });
    let _ = writeln!(
        out,
        "<p class=\"export\"><button type=\"button\" data-export=\"md\">Download as Markdown</button>\
         <button type=\"button\" data-export=\"csv\">Download claims as CSV</button></p>\
         <script type=\"application/json\" class=\"export\">\"{}\"</script>",
        gzip_base64(&data.to_string())
    );
}

/// Base64 holds only `A-Z a-z 0-9 + / =`: nothing in it can close the script element.
fn gzip_base64(text: &str) -> String {
    use flate2::write::GzEncoder;
    use std::io::Write as _;
    let mut packed = GzEncoder::new(Vec::new(), flate2::Compression::best());
    packed
        .write_all(text.as_bytes())
        .expect("writing to memory cannot fail");
    base64::encode(packed.finish().expect("writing to memory cannot fail"))
}

/// Folded: the outlets section says who copied whom; this is the evidence, pair by pair.
fn render_reuse(out: &mut String, story: &Story, sources: &Sources) {
    if story.reuse.is_empty() {
        return;
    }
    let _ = write!(
        out,
        "<details class=\"reuse\"><summary>Copied passages ({})</summary><ul>",
        story.reuse.len()
    );
    for pair in &story.reuse {
        let _ = write!(out, "<li>{:.2} similar<ul>", pair.similarity);
        // Words the copy repeats exactly are shown once, under the copy.
        let same = sources.text(&pair.from) == sources.text(&pair.to);
        sources.item(out, &pair.from, !same);
        sources.item(out, &pair.to, true);
        out.push_str("</ul></li>");
    }
    out.push_str("</ul></details>\n");
}

fn render_report(out: &mut String, report: &Report, page: &Page) {
    let Some(&r) = page.positions.get(&report.id) else {
        return;
    };
    let head = &page.heads[r];
    let _ = write!(
        out,
        "<div class=\"report\"><h4>{}. {}</h4><p class=\"meta\">{}{} · <span class=\"source\" title=\"{}\">{}</span></p>",
        r + 1,
        esc(head.title.as_deref().unwrap_or("Untitled")),
        esc(&head.outlet),
        head.date.as_deref().map(|d| format!(" · {}", esc(d))).unwrap_or_default(),
        attr(&report.source),
        esc(&report.source),
    );
    // Always visible: citations link here, and a link into a closed <details> shows nothing.
    // Numbered "report.sentence" by the style sheet (a counter after the report's number): a
    // pile has thousands of sentences, and the markup of each is most of the page.
    let _ = write!(out, "<div class=\"sentences\" style=\"--r:'{}'\">", r + 1);
    for sentence in &report.sentences {
        match page.anchors.position(&sentence.id) {
            Some((r, s)) => {
                let _ = write!(out, "<span id=\"r{r}s{s}\">{}</span>", esc(&sentence.text));
            }
            None => {
                let _ = write!(out, "<span>{}</span>", esc(&sentence.text));
            }
        }
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
