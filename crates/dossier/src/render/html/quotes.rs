//! Quotes: who said what, grouped by speaker.

use super::anchors::Anchors;
use super::{cite_link, esc};
use crate::model::Quote;
use std::fmt::Write;

/// Quotes grouped by speaker, speakers in order of their first quote; unknown speakers last.
pub(super) fn render_quotes(out: &mut String, quotes: &[Quote], anchors: &Anchors) {
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
