use super::anchors::Anchors;
use super::{cite_link, esc};
use crate::model::Event;
use std::fmt::Write;

pub(super) fn render_timeline(out: &mut String, events: &[Event], anchors: &Anchors) {
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
