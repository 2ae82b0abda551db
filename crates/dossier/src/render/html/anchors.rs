//! Sentence anchors: ids on the page are positions, never input ids.

use crate::model::Report;
use std::collections::HashMap;

/// Where each sentence id points, as its position: the anchor `r<report>s<sentence>`. A report
/// whose sentences are numbered by the pipeline's rule (`<report id>:<n>`) is one entry, not one
/// per sentence: a big pile has a million sentences. Other ids are listed one by one. Where an id
/// occurs twice, the last occurrence is the anchor.
#[derive(Default)]
pub(super) struct Anchors {
    /// Report id -> (position, number of sentences), for the first report of each id whose
    /// sentences all follow the rule.
    numbered: HashMap<String, (usize, usize)>,
    listed: HashMap<String, (usize, usize)>,
}

impl Anchors {
    pub(super) fn add(&mut self, r: usize, report: &Report) {
        let numbered = !self.numbered.contains_key(&report.id)
            && report
                .sentences
                .iter()
                .enumerate()
                .all(|(n, s)| Anchors::numbered_id(&s.id) == Some((&report.id, n + 1)));
        if numbered {
            self.numbered
                .insert(report.id.clone(), (r, report.sentences.len()));
        } else {
            for (n, sentence) in report.sentences.iter().enumerate() {
                self.listed.insert(sentence.id.clone(), (r, n));
            }
        }
    }

    /// `<report id>:<n>` split, when `n` is written as the rule writes it.
    fn numbered_id(id: &str) -> Option<(&str, usize)> {
        let (report, n) = id.rsplit_once(':')?;
        let parsed: usize = n.parse().ok()?;
        (parsed.to_string() == n).then_some((report, parsed))
    }

    pub(super) fn get(&self, id: &str) -> Option<String> {
        let (r, s) = self.position(id)?;
        Some(format!("r{r}s{s}"))
    }

    /// (report, sentence) positions, counted from 0 over the whole page.
    pub(super) fn position(&self, id: &str) -> Option<(usize, usize)> {
        let numbered = Anchors::numbered_id(id).and_then(|(report, n)| {
            let &(r, count) = self.numbered.get(report)?;
            (1..=count).contains(&n).then_some((r, n - 1))
        });
        // Positions grow in reading order, so the later occurrence is the greater one.
        numbered.max(self.listed.get(id).copied())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::test_report;

    #[test]
    fn anchors_are_the_last_position_of_an_id_numbered_or_not() {
        let mut odd = test_report("b", &["One.", "Two."]);
        odd.sentences[0].id = "b:01".into();
        odd.sentences[1].id = "a:2".into();
        let reports = [
            test_report("a", &["One.", "Two.", "Three."]),
            odd,
            test_report("a", &["Again."]),
            test_report("c:1", &["Colon."]),
        ];
        let mut anchors = Anchors::default();
        for (r, report) in reports.iter().enumerate() {
            anchors.add(r, report);
        }
        let at = |id: &str| anchors.get(id);
        assert_eq!(at("a:1").as_deref(), Some("r2s0"));
        assert_eq!(at("a:2").as_deref(), Some("r1s1"));
        assert_eq!(at("a:3").as_deref(), Some("r0s2"));
        assert_eq!(at("b:01").as_deref(), Some("r1s0"));
        assert_eq!(at("b:1"), None);
        assert_eq!(at("c:1:1").as_deref(), Some("r3s0"));
        assert_eq!(at("a:4"), None);
    }
}
