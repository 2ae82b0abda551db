//! A byte-level pass that drops the parts of a page that can never be report text, before the
//! extractor parses it.
//!
//! News pages are mostly code: on the extraction benchmark's pages, scripts and style sheets are
//! over half the bytes, and menus, sidebars, icons and widgets a good part of the elements left.
//! The extractor parses all of it, copies the parsed page once (by serialising and parsing it
//! again), matches dozens of selectors against every element, and only then removes these in its
//! own cleaning, so each of them is paid for many times. Dropped here: `<script>` elements (but
//! not JSON-LD ones, `type="application/ld+json"`, which carry the title, date, author and
//! sometimes the whole article body), `<style>`, comments, and the [`DROPPED`] elements that
//! the extractor's cleaning removes whatever they hold. Kept: `<noscript>` (the extractor keeps
//! its content when it is long), `<form>` and `<footer>` (its fallbacks and its metadata look
//! into them), `<template>` (its content is kept), `<time>` (dates).
//!
//! The walk follows the HTML tokenizer where it matters for finding element boundaries: tags end
//! at a `>` outside quoted attribute values; raw-text elements (`script`, `style`, `title`,
//! `textarea`, `iframe`, `noscript`, …) end only at their own end tag, so a `"</div>"` inside a
//! script string or a `<!--` inside a title does not confuse it; names are matched without
//! regard to case. An unterminated script, style or comment runs to the end of the page, as it
//! does for the parser. Where the end of a dropped element is not certain (never closed, or
//! closed implicitly by the end of an element around it), it is left as it is.

use super::nesting::FLAT;
use memchr::{memchr, memmem};

/// Elements whose content the tokenizer reads as text up to their own end tag.
const RAW_TEXT: &[&[u8]] = &[
    b"script",
    b"style",
    b"title",
    b"textarea",
    b"iframe",
    b"noscript",
    b"noembed",
    b"noframes",
    b"xmp",
];

/// Elements dropped with their content besides scripts and style sheets: those the extractor's
/// own cleaning always removes (interactive widgets, media, menus, sidebars) and that neither
/// its metadata reader nor its fallbacks look into.
const DROPPED: &[&[u8]] = &[
    b"svg", b"nav", b"aside", b"button", b"select", b"audio", b"video", b"canvas", b"picture",
    b"object", b"map", b"math", b"dialog",
];

/// One tag: where it starts and ends, its lower-cased name, and whether it closes.
struct Tag {
    start: usize,
    end: usize,
    name: Vec<u8>,
    closing: bool,
}

impl Tag {
    fn self_closing(&self, html: &[u8]) -> bool {
        html[self.start..self.end].ends_with(b"/>")
    }
}

/// What starts at the `<` at `start`: a comment (`Err` with where it ends), a tag, or neither
/// (`<!DOCTYPE`, `<?xml`, a `<` in text: `Ok(None)`).
fn read_tag(html: &[u8], start: usize) -> Result<Option<Tag>, usize> {
    if html[start..].starts_with(b"<!--") {
        return Err(comment_end(html, start));
    }
    let closing = html.get(start + 1) == Some(&b'/');
    let name_at = start + 1 + usize::from(closing);
    if !html.get(name_at).is_some_and(u8::is_ascii_alphabetic) {
        return Ok(None);
    }
    let name_end = name_at
        + html[name_at..]
            .iter()
            .position(|b| b.is_ascii_whitespace() || matches!(b, b'/' | b'>'))
            .unwrap_or(html.len() - name_at);
    Ok(Some(Tag {
        start,
        end: tag_end(html, name_end),
        name: html[name_at..name_end].to_ascii_lowercase(),
        closing,
    }))
}

/// The page without its scripts (JSON-LD excepted), style sheets, comments and the
/// [`DROPPED`] elements.
pub fn strip(html: Vec<u8>) -> Vec<u8> {
    let mut out = Vec::new();
    let mut copied = 0;
    let mut i = 0;
    while let Some(off) = memchr(b'<', &html[i..]) {
        let start = i + off;
        let tag = match read_tag(&html, start) {
            Err(end) => {
                out.extend_from_slice(&html[copied..start]);
                copied = end;
                i = end;
                continue;
            }
            Ok(None) => {
                i = start + 1;
                continue;
            }
            Ok(Some(tag)) => tag,
        };
        i = tag.end;
        if tag.closing {
            continue;
        }
        let name = tag.name.as_slice();
        let drop_to = match name {
            b"script" if !is_json_ld(&html[start..tag.end]) => {
                Some(raw_text_end(&html, tag.end, name))
            }
            b"style" => Some(raw_text_end(&html, tag.end, name)),
            _ if DROPPED.contains(&name) && tag.self_closing(&html) => Some(tag.end),
            _ if DROPPED.contains(&name) => element_end(&html, &tag),
            _ => None,
        };
        if let Some(drop_to) = drop_to {
            out.extend_from_slice(&html[copied..start]);
            copied = drop_to;
            i = drop_to;
        } else if RAW_TEXT.contains(&name) {
            i = raw_text_end(&html, tag.end, name);
        } else if name == b"plaintext" {
            break;
        }
    }
    if copied == 0 {
        return html;
    }
    out.extend_from_slice(&html[copied..]);
    out
}

/// After the end tag of the element `open` starts, counting nested elements of the same name;
/// `None` when that is not certain: the element is never closed, or an end tag for an element
/// opened before it comes first (the parser would close it there, implicitly, and what follows
/// is not inside it).
fn element_end(html: &[u8], open: &Tag) -> Option<usize> {
    let (mut same, mut other) = (1usize, 0usize);
    let mut k = open.end;
    while let Some(off) = memchr(b'<', &html[k..]) {
        let tag = match read_tag(html, k + off) {
            Err(end) => {
                k = end;
                continue;
            }
            Ok(None) => {
                k += off + 1;
                continue;
            }
            Ok(Some(tag)) => tag,
        };
        k = tag.end;
        let counted = !FLAT.contains(&tag.name.as_slice());
        if tag.name == open.name {
            if tag.closing {
                same -= 1;
                if same == 0 {
                    return Some(tag.end);
                }
            } else if !tag.self_closing(html) {
                same += 1;
            }
        } else if tag.closing && counted {
            other = other.checked_sub(1)?;
        } else if !tag.closing && RAW_TEXT.contains(&tag.name.as_slice()) {
            k = raw_text_end(html, tag.end, &tag.name);
        } else if !tag.closing && counted && !tag.self_closing(html) {
            other += 1;
        }
    }
    None
}

/// After the comment opening at `start`: `<!-->` and `<!--->` close at once, as the tokenizer
/// reads them; otherwise at `-->` or `--!>`, or the end of the page.
fn comment_end(html: &[u8], start: usize) -> usize {
    let body = start + 4;
    if html[body..].starts_with(b">") {
        return body + 1;
    }
    if html[body..].starts_with(b"->") {
        return body + 2;
    }
    let mut from = body;
    while let Some(off) = memmem::find(&html[from..], b"--") {
        let at = from + off;
        if html[at + 2..].starts_with(b">") {
            return at + 3;
        }
        if html[at + 2..].starts_with(b"!>") {
            return at + 4;
        }
        from = at + 1;
    }
    html.len()
}

/// Where the tag whose name ends at `from` ends: after its `>`, skipping quoted attribute
/// values (a quote only opens a value right after `=`, as in the tokenizer).
fn tag_end(html: &[u8], from: usize) -> usize {
    let mut k = from;
    let mut after_equals = false;
    while k < html.len() {
        match html[k] {
            b'>' => return k + 1,
            b'=' => after_equals = true,
            q @ (b'"' | b'\'') if after_equals => {
                match memchr(q, &html[k + 1..]) {
                    Some(off) => k += off + 1,
                    None => return html.len(),
                }
                after_equals = false;
            }
            b if b.is_ascii_whitespace() => {}
            _ => after_equals = false,
        }
        k += 1;
    }
    html.len()
}

/// After the end tag `</name…>` of a raw-text element whose content starts at `from`; the end of
/// the page when there is none.
fn raw_text_end(html: &[u8], from: usize, name: &[u8]) -> usize {
    let mut k = from;
    while let Some(off) = memmem::find(&html[k..], b"</") {
        let at = k + off;
        let after = at + 2 + name.len();
        if html.len() >= after
            && html[at + 2..after].eq_ignore_ascii_case(name)
            && html
                .get(after)
                .is_none_or(|b| b.is_ascii_whitespace() || matches!(b, b'/' | b'>'))
        {
            return tag_end(html, after);
        }
        k = at + 2;
    }
    html.len()
}

/// Whether a `<script …>` start tag declares JSON-LD.
fn is_json_ld(tag: &[u8]) -> bool {
    memmem::find(&tag.to_ascii_lowercase(), b"ld+json").is_some()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn stripped(html: &str) -> String {
        String::from_utf8(strip(html.as_bytes().to_vec())).unwrap()
    }

    #[test]
    fn scripts_styles_widgets_and_comments_go_json_ld_stays() {
        let page = r#"<!DOCTYPE html><html><head><title>Ferry <!-- not a comment --> resumes</title>
<script>var tpl = "</div><p>Subscribe now</p>"; if (a<b) { x = '</scr' + 'ipt>'; }</script>
<SCRIPT type="text/javascript" SRC="/ads.js"></SCRIPT>
<script type="application/ld+json">{"@type":"NewsArticle","datePublished":"2024-03-05T09:30:00Z"}</script>
<style>p > a { color: red } /* </p> */</style><!-- tracking pixel --></head>
<body><p title="a > b" data-x='<!-- x -->'>The ferry resumed <!--[if IE]>old<![endif]-->crossings.</p>
<svg viewBox="0 0 10 10"><svg><path d="M0 0"/></svg><title>Share</title></svg><svg/>
<NAV class="menu"><ul><li><a href="/">Home</a><li><a href="/world">World</a></ul></NAV>
<aside><h3>Most read</h3><aside><p>Nested</p></aside><p>Ferry fares rise</p></aside>
<p>Passengers <b>cheered</b>.</p><button type="button">Load more</button></body></html>"#;
        assert_eq!(
            stripped(page),
            r#"<!DOCTYPE html><html><head><title>Ferry <!-- not a comment --> resumes</title>


<script type="application/ld+json">{"@type":"NewsArticle","datePublished":"2024-03-05T09:30:00Z"}</script>
</head>
<body><p title="a > b" data-x='<!-- x -->'>The ferry resumed crossings.</p>



<p>Passengers <b>cheered</b>.</p></body></html>"#
        );
    }

    #[test]
    fn unterminated_script_and_comment_run_to_the_end_uncertain_elements_stay() {
        assert_eq!(
            stripped("<p>Kept.</p><script>document.write('<p>never text</p>')"),
            "<p>Kept.</p>"
        );
        assert_eq!(stripped("<p>Kept.</p><!-- <p>x</p>"), "<p>Kept.</p>");
        let svg = "<p>Kept.</p><svg><path/><p>After.</p>";
        assert_eq!(stripped(svg), svg);
        // The parser closes the <nav> at </div>: the article after it must not go with it.
        let implicit = "<div><nav><ul><li>Home<li>World</ul></div><p>Article.</p><nav>x</nav>";
        assert_eq!(
            stripped(implicit),
            "<div><nav><ul><li>Home<li>World</ul></div><p>Article.</p>"
        );
        assert_eq!(
            stripped("<p>a</p><!--><p>b</p><!---><p>c</p>"),
            "<p>a</p><p>b</p><p>c</p>"
        );
    }

    #[test]
    fn raw_text_hides_markup_and_odd_input_does_not_panic() {
        let textarea = "<textarea><script>x</script><!-- y --></textarea><p>z</p>";
        assert_eq!(stripped(textarea), textarea);
        for odd in [
            "",
            "<",
            "<!--",
            "<!-",
            "<script",
            "<script ",
            "<svg",
            "</",
            "<a href=\"x",
            "<p =\"",
            "<script>x</script",
            "<script>x</scriptx>y",
            "<style>a{}</STYLE >b",
        ] {
            let _ = strip(odd.as_bytes().to_vec());
        }
        assert_eq!(stripped("<script>x</scriptx>y</script >z"), "z");
        assert_eq!(stripped("<style>a{}</STYLE >b"), "b");
        let text = "if a < b and c <d> e";
        assert_eq!(stripped(text), text);
    }
}
