//! A byte-level pass that drops the parts of a page that can never be report text, before the
//! extractor parses it.
//!
//! News pages are mostly code: on the extraction benchmark's pages, scripts and style sheets are
//! over half the bytes, inline SVG icons a few percent more, comments one. The extractor parses
//! all of it, copies the parsed page once (by serialising and parsing it again) and only then
//! removes these elements in its own cleaning, so every byte of them is paid for several times.
//! Dropped here: `<script>` elements (but not JSON-LD ones, `type="application/ld+json"`, which
//! carry the title, date, author and sometimes the whole article body), `<style>`, `<svg>` and
//! comments. `<noscript>` stays: the extractor keeps its content when it is long.
//!
//! The walk follows the HTML tokenizer where it matters for finding element boundaries: tags end
//! at a `>` outside quoted attribute values; raw-text elements (`script`, `style`, `title`,
//! `textarea`, `iframe`, `noscript`, …) end only at their own end tag, so a `"</div>"` inside a
//! script string or a `<!--` inside a title does not confuse it; names are matched without
//! regard to case. An unterminated script, style or comment runs to the end of the page, as it
//! does for the parser; an `<svg>` that is never closed is left as it is.

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

/// The page without its scripts (JSON-LD excepted), style sheets, inline SVG and comments.
pub fn strip(html: Vec<u8>) -> Vec<u8> {
    let mut out = Vec::new();
    let mut copied = 0;
    let mut i = 0;
    let n = html.len();
    while let Some(off) = memchr(b'<', &html[i..]) {
        let start = i + off;
        let rest = &html[start..];
        if rest.starts_with(b"<!--") {
            let end = comment_end(&html, start);
            out.extend_from_slice(&html[copied..start]);
            copied = end;
            i = end;
            continue;
        }
        let closing = rest.get(1) == Some(&b'/');
        let name_at = start + 1 + usize::from(closing);
        if !html.get(name_at).is_some_and(u8::is_ascii_alphabetic) {
            // `<!DOCTYPE`, `<?xml`, or a `<` in text: nothing to drop.
            i = start + 1;
            continue;
        }
        let name_end = name_at
            + html[name_at..]
                .iter()
                .position(|b| b.is_ascii_whitespace() || matches!(b, b'/' | b'>'))
                .unwrap_or(n - name_at);
        let name = html[name_at..name_end].to_ascii_lowercase();
        let end = tag_end(&html, name_end);
        i = end;
        if closing {
            continue;
        }
        let tag = &html[start..end];
        let drop_to = match name.as_slice() {
            b"script" if !is_json_ld(tag) => Some(raw_text_end(&html, end, b"script")),
            b"style" => Some(raw_text_end(&html, end, b"style")),
            b"svg" if tag.ends_with(b"/>") => Some(end),
            b"svg" => svg_end(&html, end),
            _ => None,
        };
        if let Some(drop_to) = drop_to {
            out.extend_from_slice(&html[copied..start]);
            copied = drop_to;
            i = drop_to;
        } else if RAW_TEXT.contains(&name.as_slice()) {
            i = raw_text_end(&html, end, &name);
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

/// After the `</svg>` that closes the `<svg>` whose content starts at `from`, counting nested
/// `<svg>`s; `None` when it is never closed.
fn svg_end(html: &[u8], from: usize) -> Option<usize> {
    let mut depth = 1usize;
    let mut k = from;
    while let Some(off) = memchr(b'<', &html[k..]) {
        let at = k + off;
        let closing = html.get(at + 1) == Some(&b'/');
        let name_at = at + 1 + usize::from(closing);
        let is_svg = html.len() >= name_at + 3
            && html[name_at..name_at + 3].eq_ignore_ascii_case(b"svg")
            && html
                .get(name_at + 3)
                .is_none_or(|b| b.is_ascii_whitespace() || matches!(b, b'/' | b'>'));
        if !is_svg {
            k = at + 1;
            continue;
        }
        let end = tag_end(html, name_at + 3);
        if closing {
            depth -= 1;
            if depth == 0 {
                return Some(end);
            }
        } else if !html[at..end].ends_with(b"/>") {
            depth += 1;
        }
        k = end;
    }
    None
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
    fn scripts_styles_svg_and_comments_go_json_ld_stays() {
        let page = r#"<!DOCTYPE html><html><head><title>Ferry <!-- not a comment --> resumes</title>
<script>var tpl = "</div><p>Subscribe now</p>"; if (a<b) { x = '</scr' + 'ipt>'; }</script>
<SCRIPT type="text/javascript" SRC="/ads.js"></SCRIPT>
<script type="application/ld+json">{"@type":"NewsArticle","datePublished":"2024-03-05T09:30:00Z"}</script>
<style>p > a { color: red } /* </p> */</style><!-- tracking pixel --></head>
<body><p title="a > b" data-x='<!-- x -->'>The ferry resumed <!--[if IE]>old<![endif]-->crossings.</p>
<svg viewBox="0 0 10 10"><svg><path d="M0 0"/></svg><title>Share</title></svg><svg/>
<p>Passengers <b>cheered</b>.</p></body></html>"#;
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
    fn unterminated_script_and_comment_run_to_the_end_unclosed_svg_stays() {
        assert_eq!(
            stripped("<p>Kept.</p><script>document.write('<p>never text</p>')"),
            "<p>Kept.</p>"
        );
        assert_eq!(stripped("<p>Kept.</p><!-- <p>x</p>"), "<p>Kept.</p>");
        let svg = "<p>Kept.</p><svg><path/><p>After.</p>";
        assert_eq!(stripped(svg), svg);
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
