//! `index.html`: one self-contained page (no external resources; works from disk) with a
//! searchable list of stories and, per story, its cited summary, key claims with their sources,
//! timeline, names, outlets and its reports sentence by sentence.
//!
//! Everything taken from reports (text, ids, titles, sources) is escaped: as HTML in the markup,
//! and as script-safe JSON in the embedded search index ([`index::script_json`]). Anchors are
//! built from positions, never from input ids, so no input can shape an attribute.

mod anchors;
mod claims;
mod entities;
mod index;
mod outlets;
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
        (_, noun) if noun.ends_with("story") => format!("{n} {}ies", &noun[..noun.len() - 1]),
        _ => format!("{n} {noun}s"),
    }
}

fn attr(text: &str) -> String {
    html_escape::encode_double_quoted_attribute(text).into_owned()
}

const STYLE: &str = include_str!("page.css");
/// The list's search and filters and the export buttons; reads only the embedded JSON.
const SCRIPT: &str = include_str!("page.js");

pub fn render(dossier: &Dossier) -> String {
    let mut out = Vec::new();
    write(dossier, &mut out).expect("writing to memory cannot fail");
    String::from_utf8(out).expect("the page is built from strings")
}

/// [`render`] into a writer, story by story, so that the page of a big pile is never held whole.
pub fn write(dossier: &Dossier, to: &mut impl std::io::Write) -> std::io::Result<()> {
    write_parts(&dossier.reports, &dossier.stories, to)
}

/// What the page knows of every report and story before it writes the first one: anchors,
/// the reports' heads, and which stories share a name.
struct Page {
    anchors: Anchors,
    heads: Vec<Head>,
    /// Report id -> position.
    positions: HashMap<String, usize>,
    titles: Vec<String>,
    /// Story ids, in order.
    ids: Vec<String>,
    /// Entity name, lower-cased -> the stories that name it.
    shared: HashMap<String, Vec<usize>>,
}

/// How a report is named on the page: its outlet (or site), title and date.
struct Head {
    outlet: String,
    title: Option<String>,
    date: Option<String>,
}

impl Head {
    fn of(report: &Report) -> Head {
        Head {
            outlet: super::outlet(report),
            title: report.title.clone(),
            date: super::day(report),
        }
    }
}

/// [`write`] of a dossier whose reports and stories are read one at a time (from disk, for a
/// big pile): each story's reports are read when it is written.
pub fn write_parts(
    reports: &dyn Items<Report>,
    stories: &dyn Items<Story>,
    to: &mut impl std::io::Write,
) -> std::io::Result<()> {
    let (page, index) = read_page(reports, stories)?;
    let mut out = String::new();
    write_head(&mut out, reports.len(), stories.len());
    index.write_list(&mut out, &page, &|n, _| format!("#story-{n}"));
    out.push_str("<main id=\"stories\">\n");
    for n in 0..stories.len() {
        let story = stories.get(n)?;
        let members = story
            .reports
            .iter()
            .filter_map(|id| page.positions.get(id))
            .map(|&r| reports.get(r))
            .collect::<std::io::Result<Vec<_>>>()?;
        let members: Vec<&Report> = members.iter().map(|r| &**r).collect();
        story::render_story(&mut out, n, &story, &members, &page);
        to.write_all(out.as_bytes())?;
        out.clear();
    }
    out.push_str("</main>\n");
    write_tail(&mut out, &index);
    to.write_all(out.as_bytes())
}

/// The story list alone, with the same search and filters, each story linking to its own page
/// at `href(story id)`: the list `dossier serve` shows at `/`. `after` is the caller's own
/// markup (paging links), placed after the list; it must hold no report text.
pub fn write_list(
    reports: &dyn Items<Report>,
    stories: &dyn Items<Story>,
    href: &dyn Fn(&str) -> String,
    after: &str,
    to: &mut impl std::io::Write,
) -> std::io::Result<()> {
    let (page, index) = read_page(reports, stories)?;
    let mut out = String::new();
    write_head(&mut out, reports.len(), stories.len());
    index.write_list(&mut out, &page, &|_, id| href(id));
    out.push_str(after);
    write_tail(&mut out, &index);
    to.write_all(out.as_bytes())
}

/// Reads every report's head and every story's index entry: what the list and the links
/// between stories need before the first story is written.
fn read_page(
    reports: &dyn Items<Report>,
    stories: &dyn Items<Story>,
) -> std::io::Result<(Page, index::Index)> {
    let mut page = Page {
        anchors: Anchors::default(),
        heads: Vec::with_capacity(reports.len()),
        positions: HashMap::new(),
        titles: Vec::with_capacity(stories.len()),
        ids: Vec::with_capacity(stories.len()),
        shared: HashMap::new(),
    };
    for r in 0..reports.len() {
        let report = reports.get(r)?;
        page.anchors.add(r, &report);
        page.heads.push(Head::of(&report));
        page.positions.insert(report.id.clone(), r);
    }
    let mut index = index::Index::default();
    for n in 0..stories.len() {
        let story = stories.get(n)?;
        index.add(&story, &page);
        page.titles.push(story.title.clone());
        page.ids.push(story.id.clone());
        for entity in &story.entities {
            page.shared
                .entry(entity.name.to_lowercase())
                .or_default()
                .push(n);
        }
    }
    Ok((page, index))
}

fn write_tail(out: &mut String, index: &index::Index) {
    index.write_script(out);
    let _ = write!(out, "<script>{SCRIPT}</script>\n</body></html>\n");
}

fn write_head(out: &mut String, reports: usize, stories: usize) {
    out.push_str("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">");
    out.push_str("<meta name=\"viewport\" content=\"width=device-width,initial-scale=1\">");
    let _ = write!(
        out,
        "<meta http-equiv=\"Content-Security-Policy\" content=\"{}\">",
        policy()
    );
    out.push_str("<title>Dossier</title><style>");
    out.push_str(STYLE);
    out.push_str("</style></head><body>\n");
    out.push_str("<a class=\"skip\" href=\"#list\">Skip to the stories</a>");
    let _ = writeln!(
        out,
        "<h1 id=\"top\">Dossier</h1><p class=\"meta\">{} in {}</p>",
        count(reports, "report"),
        count(stories, "story")
    );
}

/// Only the page's own script may run, and nothing loads from elsewhere: a second guard behind
/// the escaping, and the page stays whole offline.
fn policy() -> String {
    use sha2::Digest;
    let digest = sha2::Sha256::digest(SCRIPT.as_bytes());
    format!(
        "default-src 'none'; style-src 'unsafe-inline'; script-src 'sha256-{}'",
        base64::encode(digest)
    )
}

fn cite_link(out: &mut String, id: &str, anchors: &Anchors) {
    match anchors.position(id) {
        Some((r, s)) => {
            let _ = write!(
                out,
                "<a class=\"cite\" href=\"#r{r}s{s}\">[{}.{}]</a>",
                r + 1,
                s + 1
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
        assert!(html.contains(
            "<dt><a href=\"#r0s0\">Ann &lt;Lee&gt;</a> <span class=\"alias\">also &lt;Lee&gt;</span>"
        ));
        assert!(html.contains("<h4>Ann &lt;Lee&gt;</h4><blockquote>“&lt;b&gt;We&lt;/b&gt; leave”"));
        assert!(html.contains("<h4>Speaker not named</h4>"));
        assert!(html.contains(
            "<time datetime=\"2020-01-05\">2020-01-05</time><span class=\"meta\">(Sunday)</span> &lt;i&gt;troops&lt;/i&gt; left.<a class=\"cite\" href=\"#r0s1\">[1.2]</a>"
        ));
        assert!(html.contains(
            "<section class=\"contested\"><h4>Contested (1)</h4><ul><li>&lt;i&gt;troops&lt;/i&gt; left.<div class=\"meta\">For (1 independent source):</div><ul class=\"sources\"><li><a href=\"#r0s1\">r</a> “On Sunday, &lt;i&gt;troops&lt;/i&gt; left.”</li></ul><div class=\"meta\">Against:</div>"
        ));
        assert!(html.contains("<p class=\"why\">r:1 says \"&lt;b&gt;We&lt;/b&gt; leave\"</p>"));
        assert!(!html.contains("<b>We") && !html.contains("<i>troops"));
    }

    #[test]
    fn sentences_are_bare_anchors_and_a_shared_name_links_to_the_narrowed_list() {
        let story = |id: &str, report: &str| Story {
            id: id.into(),
            title: format!("Title of {id}"),
            reports: vec![report.into()],
            summary: vec![],
            reuse: vec![],
            entities: vec![Entity {
                id: "e1".into(),
                name: "Ann \"<Lee>\"".into(),
                kind: EntityKind::Person,
                aliases: vec![],
                mentions: vec![format!("{report}:1")],
            }],
            quotes: vec![],
            timeline: vec![],
            claims: vec![],
        };
        let html = render(&Dossier {
            version: CONTRACT_VERSION,
            reports: vec![
                test_report("a", &["Ann \"<Lee>\" spoke.", "She left."]),
                test_report("b", &["Ann \"<Lee>\" stayed."]),
            ],
            stories: vec![story("s1", "a"), story("s2", "b")],
        });
        assert!(html.contains(
            "<div class=\"sentences\" style=\"--r:'1'\"><span id=\"r0s0\">Ann \"&lt;Lee&gt;\" spoke.</span><span id=\"r0s1\">She left.</span></div>"
        ));
        assert!(html.contains(
            "<a class=\"shared\" href=\"#list\" data-entity=\"Ann &quot;&lt;Lee&gt;&quot;\">Also in 1 other story</a>"
        ));
    }

    #[test]
    fn the_policy_lets_only_the_page_script_run() {
        use sha2::Digest;
        let html = render(&Dossier {
            version: CONTRACT_VERSION,
            reports: vec![test_report("r", &["One sentence."])],
            stories: vec![],
        });
        let code = html.rsplit_once("<script>").unwrap().1;
        let code = code.split_once("</script>").unwrap().0;
        let hash = base64::encode(sha2::Sha256::digest(code.as_bytes()));
        assert!(
            html.contains(&format!("script-src 'sha256-{hash}'\">")),
            "{html:.600}"
        );
        assert!(html.contains("default-src 'none'"));
    }
}
