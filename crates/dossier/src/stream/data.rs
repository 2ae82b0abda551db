//! The headline stream the stream clusterer is trained and measured on: the UCI News
//! Aggregator CSV (`ID,TITLE,URL,PUBLISHER,CATEGORY,STORY,HOSTNAME,TIMESTAMP`) in
//! `../shared/data/uci-headlines/`, with Google News' story id as gold. A report is made of what
//! a real stream would carry: the headline, its URL and its publication time. The story id is
//! only the gold; `PUBLISHER`, `CATEGORY` and `HOSTNAME` are not read.
//!
//! Story-disjoint halves: the gold story ids, sorted, alternate between half 0 and half 1, so
//! that a model learnt on one half is scored on stories it never saw.

use crate::ingest::{Content, RawDoc};
use std::collections::{BTreeSet, HashMap};

/// One headline of the stream.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Headline {
    /// `uci-` and the CSV's `ID`.
    pub id: String,
    pub title: String,
    pub url: String,
    /// Gold story id.
    pub story: String,
    /// Milliseconds since 1970.
    pub timestamp: i64,
}

impl Headline {
    /// The headline as a report arriving in the stream.
    pub fn doc(&self) -> Result<RawDoc, String> {
        let published = chrono::DateTime::from_timestamp_millis(self.timestamp)
            .ok_or_else(|| format!("{}: TIMESTAMP out of range", self.id))?
            .to_rfc3339();
        let url = (!self.url.trim().is_empty()).then(|| self.url.clone());
        Ok(RawDoc {
            source: url.clone().unwrap_or_else(|| self.id.clone()),
            id: self.id.clone(),
            content: Content::Text(self.title.clone()),
            title: None,
            url,
            published: Some(published),
            outlet: None,
        })
    }
}

/// Reads the CSV (RFC 4180: quoted fields may hold commas, doubled quotes and newlines), in
/// time order (ties in file order).
pub fn read_uci(text: &str) -> Result<Vec<Headline>, String> {
    let mut records = records(text);
    if records.is_empty() {
        return Err("empty CSV".into());
    }
    let header = records.remove(0);
    let col = |name: &str| {
        header
            .iter()
            .position(|h| h.trim() == name)
            .ok_or_else(|| format!("no {name} column in the header"))
    };
    let (id, title, url, story, ts) = (
        col("ID")?,
        col("TITLE")?,
        col("URL")?,
        col("STORY")?,
        col("TIMESTAMP")?,
    );
    let last = id.max(title).max(url).max(story).max(ts);
    let mut rows = records
        .into_iter()
        .enumerate()
        .filter(|(_, r)| !(r.len() == 1 && r[0].trim().is_empty()))
        .map(|(n, r)| {
            if r.len() <= last {
                return Err(format!("record {}: {} fields", n + 2, r.len()));
            }
            Ok(Headline {
                id: format!("uci-{}", r[id]),
                title: r[title].clone(),
                url: r[url].clone(),
                story: r[story].clone(),
                timestamp: r[ts].trim().parse().map_err(|_| {
                    format!(
                        "record {}: TIMESTAMP {:?} is not milliseconds",
                        n + 2,
                        r[ts]
                    )
                })?,
            })
        })
        .collect::<Result<Vec<_>, _>>()?;
    rows.sort_by_key(|r| r.timestamp);
    Ok(rows)
}

fn records(text: &str) -> Vec<Vec<String>> {
    let mut records: Vec<Vec<String>> = Vec::new();
    let mut record = Vec::new();
    let mut field = String::new();
    let mut quoted = false;
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match (quoted, c) {
            (true, '"') if chars.peek() == Some(&'"') => {
                chars.next();
                field.push('"');
            }
            (true, '"') => quoted = false,
            (true, c) => field.push(c),
            (false, '"') => quoted = true,
            (false, ',') => record.push(std::mem::take(&mut field)),
            (false, '\n') => {
                record.push(std::mem::take(&mut field));
                records.push(std::mem::take(&mut record));
            }
            (false, '\r') => {}
            (false, c) => field.push(c),
        }
    }
    if !field.is_empty() || !record.is_empty() {
        record.push(field);
        records.push(record);
    }
    records
}

/// The headlines of one story-disjoint half (0 or 1), in their order.
pub fn half(rows: &[Headline], which: usize) -> Vec<Headline> {
    let stories: BTreeSet<&str> = rows.iter().map(|r| r.story.as_str()).collect();
    let kept: BTreeSet<&str> = stories.into_iter().skip(which).step_by(2).collect();
    rows.iter()
        .filter(|r| kept.contains(r.story.as_str()))
        .cloned()
        .collect()
}

/// Agreement of a clustering with the gold, pair-counting and B-cubed.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Scores {
    pub precision: f64,
    pub recall: f64,
    pub f1: f64,
    pub bcubed_precision: f64,
    pub bcubed_recall: f64,
    pub bcubed_f1: f64,
    pub clusters: usize,
    pub gold_clusters: usize,
}

impl Scores {
    /// `items`: (gold cluster, predicted cluster) of each item.
    pub fn of<G: AsRef<str>, P: AsRef<str>>(items: &[(G, P)]) -> Scores {
        let mut both: HashMap<(&str, &str), usize> = HashMap::new();
        let mut by_gold: HashMap<&str, usize> = HashMap::new();
        let mut by_pred: HashMap<&str, usize> = HashMap::new();
        for (g, p) in items {
            let (g, p) = (g.as_ref(), p.as_ref());
            *both.entry((g, p)).or_default() += 1;
            *by_gold.entry(g).or_default() += 1;
            *by_pred.entry(p).or_default() += 1;
        }
        let tp = pairs(both.values());
        let precision = tp / pairs(by_pred.values()).max(1.0);
        let recall = tp / pairs(by_gold.values()).max(1.0);
        let n = items.len().max(1) as f64;
        let (mut bp, mut br) = (0.0, 0.0);
        for (g, p) in items {
            let (g, p) = (g.as_ref(), p.as_ref());
            let shared = both[&(g, p)] as f64;
            bp += shared / by_pred[p] as f64;
            br += shared / by_gold[g] as f64;
        }
        let (bp, br) = (bp / n, br / n);
        Scores {
            precision,
            recall,
            f1: f1(precision, recall),
            bcubed_precision: bp,
            bcubed_recall: br,
            bcubed_f1: f1(bp, br),
            clusters: by_pred.len(),
            gold_clusters: by_gold.len(),
        }
    }
}

impl std::fmt::Display for Scores {
    fn fmt(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        write!(
            f,
            "{} stories (gold {}), pairwise P {:.3} R {:.3} F1 {:.3}, B-cubed P {:.3} R {:.3} F1 {:.3}",
            self.clusters,
            self.gold_clusters,
            self.precision,
            self.recall,
            self.f1,
            self.bcubed_precision,
            self.bcubed_recall,
            self.bcubed_f1
        )
    }
}

fn pairs<'a>(sizes: impl Iterator<Item = &'a usize>) -> f64 {
    sizes.map(|&c| (c * (c - 1) / 2) as f64).sum()
}

fn f1(p: f64, r: f64) -> f64 {
    if p + r == 0.0 {
        0.0
    } else {
        2.0 * p * r / (p + r)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const CSV: &str = "ID,TITLE,URL,PUBLISHER,CATEGORY,STORY,HOSTNAME,TIMESTAMP\n\
        2,\"Fed's Plosser: \"\"high bar\"\", taper goes on\",http://a.example/x,A,b,s1,a.example,1394470371207\n\
        1,Fed official says weak data caused by weather,http://b.example/y,B,b,s1,b.example,1394470370698\r\n\
        3,Mt. Gox files for bankruptcy,http://c.example/z,C,t,s2,c.example,1394470500000\n";

    #[test]
    fn headlines_are_read_in_time_order_with_quotes_undone() {
        let rows = read_uci(CSV).unwrap();
        let ids: Vec<&str> = rows.iter().map(|r| r.id.as_str()).collect();
        assert_eq!(ids, ["uci-1", "uci-2", "uci-3"]);
        assert_eq!(rows[1].title, "Fed's Plosser: \"high bar\", taper goes on");
        let doc = rows[0].doc().unwrap();
        assert_eq!(doc.url.as_deref(), Some("http://b.example/y"));
        assert_eq!(
            doc.published.as_deref(),
            Some("2014-03-10T16:52:50.698+00:00")
        );
        assert_eq!(half(&rows, 0).len(), 2);
        assert_eq!(half(&rows, 1)[0].id, "uci-3");
    }

    #[test]
    fn broken_files_are_named_not_panicked_on() {
        assert!(read_uci("ID,TITLE\n1,x\n")
            .unwrap_err()
            .contains("no URL column"));
        let bad = CSV.replace("1394470500000", "soon");
        assert!(read_uci(&bad).unwrap_err().contains("record 4: TIMESTAMP"));
    }

    #[test]
    fn pairwise_and_bcubed_scores() {
        // Gold {a,b,c} {d}; predicted {a,b} {c,d}.
        let items = [("1", "x"), ("1", "x"), ("1", "y"), ("2", "y")];
        let s = Scores::of(&items);
        assert_eq!((s.precision, s.recall), (0.5, 1.0 / 3.0));
        assert!((s.bcubed_precision - 0.75).abs() < 1e-9);
        assert!((s.bcubed_recall - 2.0 / 3.0).abs() < 1e-9);
    }
}
