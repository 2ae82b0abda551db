//! Extract: raw documents to the report's own text, as paragraphs, plus title and date.
//!
//! HTML goes through rs-trafilatura (main-content extraction, charset detection, metadata),
//! after [`charset`] has decoded pages that do not declare theirs, [`inert`] has dropped the
//! scripts, style sheets, inline SVG, comments and widgets, and [`nesting`] has bounded the
//! depth. Then [`consensus`] drops the blocks a second extractor does not confirm (short ones
//! also where it does not have them in [`placement`]), [`edges`] cuts what it does not confirm
//! from the ends of those it keeps, [`teasers`] drops the links to other stories set between
//! its paragraphs, [`related`] the lists of the site's other stories, and [`standfirst`] the
//! summary set as a heading under the headline (all recorded in [`Extracted::removed`]). Plain
//! text is split into paragraphs by its line structure.

pub mod charset;
mod consensus;
mod edges;
mod inert;
mod nesting;
mod paragraphs;
mod placement;
mod related;
mod standfirst;
mod teasers;

use crate::ingest::{Content, RawDoc};
use crate::model::Removal;
use crate::times;
use chrono::SecondsFormat;
use rs_trafilatura::page_type::PageType;

#[derive(Debug, Clone)]
pub struct Extracted {
    pub id: String,
    pub source: String,
    pub outlet: Option<String>,
    pub title: Option<String>,
    /// ISO 8601 (RFC 3339 for full timestamps, `YYYY-MM-DD` for bare dates).
    pub published: Option<String>,
    /// The author(s) the page names.
    pub byline: Option<String>,
    /// ISO 639-1 code, when the page declares or shows it.
    pub language: Option<String>,
    pub paragraphs: Vec<String>,
    /// Blocks the extractor returned that extraction itself then dropped, with the rule.
    pub removed: Vec<Removal>,
}

/// What a web page says about itself, beside its text.
#[derive(Debug, Default)]
struct PageMeta {
    title: Option<String>,
    published: Option<String>,
    site: Option<String>,
    byline: Option<String>,
    language: Option<String>,
}

/// The rule recorded in [`Extracted::removed`] when a given `published` cannot be read: the
/// report is kept without a date.
pub const UNREADABLE_DATE: &str = "unreadable-published";

/// Extracts one document. The error is a reason for the user, naming what went wrong.
pub fn extract(doc: RawDoc) -> Result<Extracted, String> {
    let (paragraphs, page, mut removed) = match doc.content {
        Content::Text(text) => (
            paragraphs::from_plain_text(&text),
            PageMeta::default(),
            Vec::new(),
        ),
        Content::Html(bytes) => {
            let html = charset::undeclared_to_utf8(bytes, None);
            let html = nesting::bounded(inert::strip(html));
            extract_html(&html, doc.url.as_deref())?
        }
    };
    if paragraphs.iter().all(|p| p.trim().is_empty()) {
        return Err("no report text found".to_string());
    }
    let published = match doc.published {
        Some(given) => {
            let read = times::normalise_published(&given);
            if read.is_none() {
                removed.push(Removal {
                    rule: UNREADABLE_DATE.into(),
                    text: given,
                });
            }
            read
        }
        None => page.published,
    };
    Ok(Extracted {
        id: doc.id,
        source: doc.source,
        // The feed's own word for the outlet wins over the page's site name.
        outlet: doc.outlet.or(page.site),
        title: doc.title.or(page.title),
        published,
        byline: page.byline,
        language: page.language,
        paragraphs,
        removed,
    })
}

fn extract_html(
    bytes: &[u8],
    url: Option<&str>,
) -> Result<(Vec<String>, PageMeta, Vec<Removal>), String> {
    let options = rs_trafilatura::Options {
        url: url.map(str::to_string),
        // Links stay in the HTML (the text is the same) for the teaser and related-list rules.
        include_links: true,
        // Reports are articles. Left to itself the extractor classifies every page first (URL,
        // markup signals, then a model over some sixty features, each a pass of selector
        // matching over the whole page): about a third of its time, spent choosing between
        // profiles for forums, shops and listings that a news report never needs.
        page_type: Some(PageType::Article),
        // The crate cuts longer text with `String::truncate` at a byte count, which panics
        // inside a multi-byte character (0.2.2, extract.rs: a 1.5 MB page of "€" did). The
        // page is already bounded by --max-bytes before it gets here, so no cut is needed.
        max_extracted_len: usize::MAX,
        ..rs_trafilatura::Options::default()
    };
    // Decoded once for both extractors.
    let html = rs_trafilatura::encoding::transcode_to_utf8(bytes);
    let result = rs_trafilatura::extract_with_options(&html, &options)
        .map_err(|e| format!("HTML extraction failed: {e}"))?;
    let mut paragraphs: Vec<String> = result
        .content_text
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(str::to_string)
        .collect();
    let mut removed = consensus::drop_unconfirmed(&mut paragraphs, &html);
    if let Some(content) = &result.content_html {
        removed.extend(teasers::drop_teasers(&mut paragraphs, content));
        let page_url = url.or(result.metadata.url.as_deref());
        removed.extend(related::drop_related(&mut paragraphs, content, page_url));
        let description = result.metadata.description.as_deref();
        removed.extend(standfirst::drop_standfirst(
            &mut paragraphs,
            content,
            description,
        ));
    }
    let given = |v: Option<String>| v.map(|t| t.trim().to_string()).filter(|t| !t.is_empty());
    let m = result.metadata;
    let page = PageMeta {
        title: given(m.title),
        published: m.date.map(|d| d.to_rfc3339_opts(SecondsFormat::Secs, true)),
        site: given(m.sitename),
        byline: given(m.author),
        language: given(m.language).map(|l| l.to_ascii_lowercase()),
    };
    Ok((paragraphs, page, removed))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn html_doc(html: &str) -> RawDoc {
        RawDoc {
            source: "page.html".into(),
            id: "page".into(),
            content: Content::Html(html.as_bytes().to_vec()),
            title: None,
            url: None,
            published: None,
            outlet: None,
        }
    }

    #[test]
    fn html_main_content_title_and_date() {
        let body =
            "The council approved the new water treatment plant on Tuesday after a long debate. "
                .repeat(4);
        let page = format!(
            r#"<!DOCTYPE html><html lang="en"><head><title>Council approves plant</title>
            <meta property="article:published_time" content="2024-03-05T09:30:00Z">
            <meta property="og:site_name" content="Riverside Courier">
            <meta name="author" content="Dana Okafor"></head>
            <body><nav><a href="/">Home</a> <a href="/news">News</a></nav>
            <article><h1>Council approves plant</h1><p>{body}</p><p>{body}</p></article>
            <footer>Copyright Example News</footer></body></html>"#
        );
        let e = extract(html_doc(&page)).unwrap();
        assert_eq!(e.title.as_deref(), Some("Council approves plant"));
        assert_eq!(e.published.as_deref(), Some("2024-03-05T09:30:00Z"));
        assert_eq!(e.outlet.as_deref(), Some("Riverside Courier"));
        assert_eq!(e.byline.as_deref(), Some("Dana Okafor"));
        assert_eq!(e.language.as_deref(), Some("en"));
        let text = e.paragraphs.join("\n");
        assert!(text.contains("water treatment plant"));
        assert!(!text.contains("Copyright Example News"));
    }

    #[test]
    fn an_author_box_and_topic_links_after_the_article_are_dropped_and_recorded() {
        let paragraphs = [
            "The harbour authority will begin dredging the main channel in March, its chair told the council on Tuesday, after two ferries ran aground on silt last winter.",
            "Dredging is expected to take eleven weeks and to cost about 4.2 million pounds, which the authority will raise from higher mooring fees over five years.",
            "Fishermen said the work was overdue but asked for the spoil to be dumped further out to sea, away from the mussel beds at the mouth of the estuary.",
            "The council will vote on the plan at its next meeting, when engineers are due to present a survey of the channel floor.",
        ];
        let body: String = paragraphs.iter().map(|p| format!("<p>{p}</p>")).collect();
        // The article, then its source line, an author box and topic links, as news sites
        // lay them out below the text.
        let page = format!(
            r#"<!DOCTYPE html><html lang="en"><head><title>Harbour dredging to start in spring</title></head>
            <body><nav><a href="/">Home</a> <a href="/news">News</a></nav>
            <div class="content"><h1>Harbour dredging to start in spring</h1>
            <div class="article-wrap"><div class="article-body">{body}</div>
            <div class="article-source"><p> SOURCE: <span>Courier wire services</span></p></div>
            <div class="about-the-author"><hr><h3>ABOUT THE AUTHOR</h3><div class="author-wrap">
            <div class="author-img"><a rel="author" href="/profile/mara-lind.html"><img src="/img/ml.png" alt="Mara Lind"></a></div>
            <div class="author-name"><a rel="author" href="/profile/mara-lind.html">Mara Lind</a><p> </p></div></div><hr></div>
            <div class="tags"><ul id="topics"><li><a href="/topics/ports.html">Ports &amp; Shipping</a></li>
            <li><a href="/topics/fishing.html">Fishing</a></li></ul></div></div>
            </div><footer>Riverside Courier</footer></body></html>"#
        );
        let e = extract(html_doc(&page)).unwrap();
        assert_eq!(e.paragraphs, paragraphs);
        let removed: Vec<&str> = e.removed.iter().map(|r| r.text.as_str()).collect();
        assert_eq!(removed, ["ABOUT THE AUTHOR", "Ports & Shipping", "Fishing"]);
        assert!(e.removed.iter().all(|r| r.rule == "unconfirmed-block"));
    }

    #[test]
    fn json_ld_metadata_survives_and_script_strings_never_become_text() {
        let body = "Harbour pilots returned to work on Friday after the dispute over night shifts \
            was settled by the port authority. "
            .repeat(3);
        let page = format!(
            r#"<!DOCTYPE html><HTML><HEAD><TITLE>Harbour pilots return</TITLE>
            <SCRIPT>window.tpl = "</div><p>Subscribe to the Evening Digest for every update.</p>";
            if (n < 3 && m > 1) {{ render('<article>Advertisement feature</article>'); }}</SCRIPT>
            <script type="application/ld+json">{{"@context":"https://schema.org",
              "@type":"NewsArticle","headline":"Harbour pilots return",
              "datePublished":"2024-06-14T07:45:00Z",
              "author":{{"@type":"Person","name":"Mina Osei"}}}}</script>
            <STYLE>.share::after {{ content: "</p>Share this story" }}</STYLE></HEAD>
            <BODY><ARTICLE><H1>Harbour pilots return</H1><!-- <p>Draft: do not publish</p> -->
            <P>{body}</P><svg viewBox="0 0 8 8"><title>Share on Facebook</title></svg>
            <P>{body}</P></ARTICLE><script>document.write("<p>Sponsored links</p>")"#
        );
        let e = extract(html_doc(&page)).unwrap();
        assert_eq!(e.published.as_deref(), Some("2024-06-14T07:45:00Z"));
        assert_eq!(e.byline.as_deref(), Some("Mina Osei"));
        let text = e.paragraphs.join("\n");
        assert!(text.contains("Harbour pilots returned to work"), "{text}");
        for debris in ["Subscribe", "Advertisement", "Share", "Draft", "Sponsored"] {
            assert!(!text.contains(debris), "{debris} in {text}");
        }
    }

    #[test]
    fn an_unreadable_date_is_dropped_and_recorded_and_the_report_kept() {
        let doc = |published: &str| RawDoc {
            source: "feed.jsonl:1".into(),
            id: "a".into(),
            content: Content::Text("The council approved the budget on Tuesday.".into()),
            title: None,
            url: None,
            published: Some(published.into()),
            outlet: None,
        };
        let e = extract(doc("October 27, 1998")).unwrap();
        assert_eq!(e.published.as_deref(), Some("1998-10-27"));
        assert!(e.removed.is_empty());
        let e = extract(doc("the day after the vote")).unwrap();
        assert_eq!(e.published, None);
        assert_eq!(e.removed.len(), 1);
        assert_eq!(e.removed[0].rule, UNREADABLE_DATE);
        assert_eq!(e.removed[0].text, "the day after the vote");
        assert_eq!(
            e.paragraphs,
            ["The council approved the budget on Tuesday."]
        );
    }
}
