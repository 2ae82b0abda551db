//! A bound on how deeply a page's elements nest.
//!
//! The extractor's time grows faster than the square of the nesting depth (a page of 8,000
//! nested `<div>`s takes tens of seconds, 100,000 would take hours), while real pages nest a
//! few dozen levels. Elements opened deeper than [`MAX_DEPTH`] are unwrapped, their tags
//! dropped and their text kept, so such a page is still read, in bounded time.
//!
//! The scan is over bytes and tags only (tags are ASCII in every charset the extractor reads):
//! comments, `<!…>`/`<?…>` declarations and the raw text of `<script>` and `<style>` are passed
//! over; void elements and those a sibling closes implicitly (`<p>`, `<li>`, table cells) do
//! not count as nesting, so sloppy markup is not mistaken for depth.

/// Deeper than any real page; shallow enough that extraction stays well under a second.
pub const MAX_DEPTH: usize = 512;

pub(super) const FLAT: &[&[u8]] = &[
    b"area", b"base", b"br", b"col", b"embed", b"hr", b"img", b"input", b"link", b"meta", b"param",
    b"source", b"track", b"wbr", b"p", b"li", b"dt", b"dd", b"td", b"th", b"tr", b"option",
];

/// The page with elements beyond [`MAX_DEPTH`] unwrapped; the page itself (not a copy) when it
/// nests no deeper.
pub fn bounded(html: Vec<u8>) -> Vec<u8> {
    if scan(&html, None) <= MAX_DEPTH {
        return html;
    }
    let mut out = Vec::with_capacity(html.len());
    scan(&html, Some(&mut out));
    out
}

/// Walks the tags; returns the deepest nesting seen, and writes the page without the tags
/// beyond the bound when `out` is given.
fn scan(html: &[u8], mut out: Option<&mut Vec<u8>>) -> usize {
    let (mut depth, mut deepest, mut dropped) = (0usize, 0usize, 0usize);
    let mut i = 0;
    let mut copied = 0;
    while let Some(off) = html[i..].iter().position(|&b| b == b'<') {
        let start = i + off;
        let rest = &html[start..];
        let end = if rest.starts_with(b"<!--") {
            find(rest, b"-->").map_or(html.len(), |e| start + e + 3)
        } else {
            tag_end(html, start)
        };
        let closing = rest.get(1) == Some(&b'/');
        let name = tag_name(&rest[usize::from(closing) + 1..]);
        i = end;
        if name.is_empty() {
            continue;
        }
        if !closing && (name == b"script" || name == b"style") {
            // Raw text: a `<` inside a script is not a tag.
            let mut close = b"</".to_vec();
            close.extend_from_slice(&name);
            i = find_ci(&html[end..], &close).map_or(html.len(), |e| end + e);
            continue;
        }
        let self_closing = html[start..end].ends_with(b"/>");
        if FLAT.contains(&name.as_slice()) || (self_closing && !closing) {
            continue;
        }
        let drop = if closing {
            if dropped > 0 {
                dropped -= 1;
                true
            } else {
                depth = depth.saturating_sub(1);
                false
            }
        } else if depth >= MAX_DEPTH {
            dropped += 1;
            true
        } else {
            depth += 1;
            deepest = deepest.max(depth);
            false
        };
        if drop {
            deepest = deepest.max(depth + dropped + usize::from(closing));
            if let Some(out) = out.as_deref_mut() {
                out.extend_from_slice(&html[copied..start]);
                copied = end;
            }
        }
    }
    if let Some(out) = out {
        out.extend_from_slice(&html[copied..]);
    }
    deepest
}

/// Where the tag starting at `start` ends: after its `>`, outside quoted attribute values.
fn tag_end(html: &[u8], start: usize) -> usize {
    let mut quote = None;
    for (k, &b) in html[start + 1..].iter().enumerate() {
        match (quote, b) {
            (None, b'"' | b'\'') => quote = Some(b),
            (Some(q), _) if b == q => quote = None,
            (None, b'>') => return start + 1 + k + 1,
            _ => {}
        }
    }
    html.len()
}

/// The lower-cased element name at the start of a tag's body; empty for anything else.
fn tag_name(body: &[u8]) -> Vec<u8> {
    if !body.first().is_some_and(u8::is_ascii_alphabetic) {
        return Vec::new();
    }
    body.iter()
        .take_while(|b| b.is_ascii_alphanumeric() || **b == b'-')
        .map(u8::to_ascii_lowercase)
        .collect()
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

fn find_ci(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack
        .windows(needle.len())
        .position(|w| w.eq_ignore_ascii_case(needle))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn nested(n: usize) -> String {
        format!(
            "<html><body>{}<p>The ferry resumed its crossings.</p>{}</body></html>",
            "<div class=\"x\">".repeat(n),
            "</div>".repeat(n)
        )
    }

    #[test]
    fn ordinary_pages_are_left_as_they_are() {
        let page = "<!DOCTYPE html><html><head><script>if (a<b && c>d) {}</script>\
            <!-- <div><div> --></head><body><ul><li>one<li>two</ul><p>text<br>more\
            <img src=x /><div title=\"a>b\">x</div></body></html>";
        assert_eq!(bounded(page.as_bytes().to_vec()), page.as_bytes());
        let deep = nested(MAX_DEPTH - 2);
        assert_eq!(bounded(deep.clone().into_bytes()), deep.as_bytes());
    }

    #[test]
    fn deep_nesting_is_unwrapped_and_its_text_kept() {
        let page = String::from_utf8(bounded(nested(100_000).into_bytes())).unwrap();
        assert_eq!(scan(page.as_bytes(), None), MAX_DEPTH);
        assert_eq!(page.matches("<div").count(), MAX_DEPTH - 2);
        assert_eq!(page.matches("</div>").count(), MAX_DEPTH - 2);
        assert!(page.contains("<p>The ferry resumed its crossings.</p>"));
    }
}
