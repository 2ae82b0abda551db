//! CoNLL-2003 files: one word per line with its tag in the last column, blank lines between
//! sentences, `-DOCSTART-` lines between documents. Read for training, for `dossier entities
//! --conll` and for scoring with the conlleval rules (a name counts only when its span and
//! class are both exactly right).

use super::head::TAGS;

#[derive(Debug, Clone, PartialEq)]
pub struct Sentence {
    pub words: Vec<String>,
    /// Tags as the file writes them (IOB1 in CoNLL-2003: `B-` only between two adjacent names).
    pub gold: Vec<String>,
}

impl Sentence {
    /// The gold tags in the BIO form the head predicts: every name starts with `B-`.
    pub fn gold_bio(&self) -> Vec<String> {
        let mut out = Vec::with_capacity(self.gold.len());
        let mut prev = "O";
        for tag in &self.gold {
            let bio = match tag.strip_prefix("I-") {
                Some(class) if !matches!(prev.split_once('-'), Some((_, c)) if c == class) => {
                    format!("B-{class}")
                }
                _ => tag.clone(),
            };
            prev = tag;
            out.push(bio);
        }
        out
    }
}

/// Parses a CoNLL file. Lines without a tag column are an error naming the line.
pub fn parse(text: &str) -> Result<Vec<Sentence>, String> {
    let mut out = Vec::new();
    let mut current = Sentence {
        words: vec![],
        gold: vec![],
    };
    for (n, line) in text.lines().enumerate() {
        let line = line.trim_end();
        if line.is_empty() || line.starts_with("-DOCSTART-") {
            if !current.words.is_empty() {
                out.push(std::mem::replace(
                    &mut current,
                    Sentence {
                        words: vec![],
                        gold: vec![],
                    },
                ));
            }
            continue;
        }
        let mut columns = line.split_whitespace();
        let word = columns.next().unwrap_or_default();
        let tag = columns
            .next_back()
            .ok_or_else(|| format!("line {}: a word without a tag column: {line:?}", n + 1))?;
        current.words.push(word.to_string());
        current.gold.push(tag.to_string());
    }
    if !current.words.is_empty() {
        out.push(current);
    }
    Ok(out)
}

/// Entity-level precision, recall and F1, as conlleval computes them.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Score {
    pub precision: f64,
    pub recall: f64,
    pub f1: f64,
}

/// Scores predicted tag indices (into [`TAGS`]) against the sentences' gold tags.
pub fn score(sentences: &[Sentence], predicted: &[Vec<usize>]) -> Score {
    let (mut correct, mut guessed, mut gold) = (0usize, 0usize, 0usize);
    for (s, p) in sentences.iter().zip(predicted) {
        let bio = s.gold_bio();
        let g = spans(bio.iter().map(String::as_str));
        let p = spans(p.iter().map(|&t| TAGS[t]));
        correct += p.iter().filter(|span| g.contains(span)).count();
        guessed += p.len();
        gold += g.len();
    }
    let ratio = |a: usize, b: usize| if b == 0 { 0.0 } else { a as f64 / b as f64 };
    let (precision, recall) = (ratio(correct, guessed), ratio(correct, gold));
    let f1 = if precision + recall == 0.0 {
        0.0
    } else {
        2.0 * precision * recall / (precision + recall)
    };
    Score {
        precision,
        recall,
        f1,
    }
}

/// (start, end, class) of each name in a BIO tag sequence; a stray `I-` starts a name, as in
/// conlleval.
pub fn spans<'a>(tags: impl Iterator<Item = &'a str>) -> Vec<(usize, usize, &'a str)> {
    let mut out = Vec::new();
    let mut open: Option<(usize, &str)> = None;
    let mut len = 0;
    for (i, tag) in tags.enumerate() {
        len = i + 1;
        let (prefix, class) = tag.split_once('-').unwrap_or(("O", ""));
        let continues = prefix == "I" && open.is_some_and(|(_, c)| c == class);
        if !continues {
            if let Some((start, c)) = open.take() {
                out.push((start, i, c));
            }
            if prefix != "O" {
                open = Some((i, class));
            }
        }
    }
    if let Some((start, c)) = open {
        out.push((start, len, c));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_iob1_and_scores_by_whole_names() {
        let text = "-DOCSTART- -X- O O\n\nPeter NNP I-NP I-PER\nBlackburn NNP I-NP I-PER\n\
                    visited VBD I-VP O\nBonn NNP I-NP I-LOC\nand CC O O\nBerlin NNP I-NP B-LOC\n\n\
                    EU NNP I-NP I-ORG\n";
        let s = parse(text).unwrap();
        assert_eq!(s.len(), 2);
        assert_eq!(
            s[0].gold_bio(),
            ["B-PER", "I-PER", "O", "B-LOC", "O", "B-LOC"]
        );
        let t = |names: &[&str]| -> Vec<usize> {
            names
                .iter()
                .map(|n| TAGS.iter().position(|t| t == n).unwrap())
                .collect()
        };
        // Peter alone is wrong (span), Bonn right, Berlin as ORG wrong (class), EU right.
        let predicted = vec![
            t(&["B-PER", "O", "O", "B-LOC", "O", "B-ORG"]),
            t(&["B-ORG"]),
        ];
        let score = score(&s, &predicted);
        assert_eq!((score.precision, score.recall), (0.5, 0.5));
        assert!(parse("word\n").unwrap_err().contains("line 1"));
    }
}
