//! The timeline: dated events on an axis in date order, then the undated ones (a time
//! expression the text does not fix to a day) in story order.

use super::anchors::Anchors;
use super::{cite_link, esc};
use crate::model::Event;
use std::fmt::Write;

pub(super) fn render_timeline(out: &mut String, events: &[Event], anchors: &Anchors) {
    if events.is_empty() {
        return;
    }
    let mut dated: Vec<(&str, &Event)> = events
        .iter()
        .filter_map(|e| Some((e.date.as_deref()?, e)))
        .collect();
    // ISO 8601 dates sort as text; stable, so one day's events keep story order.
    dated.sort_by_key(|&(date, _)| date);
    let undated: Vec<&Event> = events.iter().filter(|e| e.date.is_none()).collect();
    out.push_str("<h3>Timeline</h3>");
    if !dated.is_empty() {
        out.push_str("<ol class=\"timeline\">");
        let mut last = "";
        for (date, event) in dated {
            out.push_str("<li>");
            if date != last {
                let _ = write!(out, "<time datetime=\"{0}\">{0}</time>", esc(date));
                last = date;
            }
            let inferred = if event.inferred { ", inferred" } else { "" };
            let _ = write!(
                out,
                "<span class=\"meta\">({}{inferred})</span> ",
                esc(&event.when)
            );
            what(out, event, anchors);
            out.push_str("</li>");
        }
        out.push_str("</ol>");
    }
    if !undated.is_empty() {
        let _ = write!(
            out,
            "<h4>Undated ({})</h4><ul class=\"undated\">",
            undated.len()
        );
        for event in undated {
            let _ = write!(out, "<li><span class=\"when\">{}</span> ", esc(&event.when));
            what(out, event, anchors);
            out.push_str("</li>");
        }
        out.push_str("</ul>");
    }
    out.push('\n');
}

fn what(out: &mut String, event: &Event, anchors: &Anchors) {
    out.push_str(&esc(&event.what));
    for cite in &event.cites {
        cite_link(out, cite, anchors);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn event(when: &str, date: Option<&str>, what: &str) -> Event {
        Event {
            when: when.into(),
            date: date.map(Into::into),
            inferred: false,
            what: what.into(),
            cites: vec![],
        }
    }

    #[test]
    fn dated_events_in_date_order_then_the_undated() {
        let events = [
            event("last year", None, "A coup."),
            event("Tuesday", Some("2020-01-07"), "Talks ended."),
            event("Sunday", Some("2020-01-05"), "Talks began."),
            event("Sunday night", Some("2020-01-05"), "A <b>vote</b>."),
        ];
        let mut out = String::new();
        render_timeline(&mut out, &events, &Anchors::default());
        let at = |text: &str| out.find(text).unwrap_or_else(|| panic!("{text} in {out}"));
        assert!(at("Talks began.") < at("A &lt;b&gt;vote&lt;/b&gt;."));
        assert!(at("A &lt;b&gt;vote&lt;/b&gt;.") < at("Talks ended."));
        assert!(at("Talks ended.") < at("<h4>Undated (1)</h4>"));
        assert!(at("<h4>Undated (1)</h4>") < at("A coup."));
        assert_eq!(
            out.matches("<time datetime=\"2020-01-05\">").count(),
            1,
            "one mark a day"
        );
    }
}
