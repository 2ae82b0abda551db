//! Paragraphs of plain-text reports. Scraped text comes in two shapes: one paragraph per line
//! (as the example reports), or hard-wrapped lines with blank lines between paragraphs (as
//! wire copy). A single line break is a paragraph break only where the line is complete.

/// Splits plain text into paragraphs, joining hard-wrapped lines.
pub fn from_plain_text(text: &str) -> Vec<String> {
    let lines: Vec<&str> = text.lines().map(str::trim).collect();
    let wrap_width = hard_wrap_width(&lines);
    let mut out = Vec::new();
    let mut current = String::new();
    for line in lines {
        if line.is_empty() {
            flush(&mut current, &mut out);
            continue;
        }
        if !current.is_empty() {
            current.push(' ');
        }
        current.push_str(line);
        // In wrapped text only a line well short of the width ends a paragraph (a headline,
        // or the last line of one); elsewhere every line is a paragraph.
        if wrap_width.is_none_or(|w| line.chars().count() * 2 < w) {
            flush(&mut current, &mut out);
        }
    }
    flush(&mut current, &mut out);
    out
}

/// The wrap width when the text is hard-wrapped: lines no longer than a terminal line, most of
/// them stopping mid-sentence.
fn hard_wrap_width(lines: &[&str]) -> Option<usize> {
    let filled: Vec<&&str> = lines.iter().filter(|l| !l.is_empty()).collect();
    let longest = filled.iter().map(|l| l.chars().count()).max()?;
    let open = filled.iter().filter(|l| !ends_sentence(l)).count();
    (filled.len() >= 3 && longest <= 160 && open * 2 > filled.len()).then_some(longest)
}

fn ends_sentence(line: &str) -> bool {
    line.trim_end_matches(['"', '\'', '”', '’', ')'])
        .ends_with(['.', '!', '?', ':'])
}

fn flush(current: &mut String, out: &mut Vec<String>) {
    if !current.is_empty() {
        out.push(std::mem::take(current));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_paragraph_per_line() {
        let p = from_plain_text("First line here.\nSecond line\n\nThird.");
        assert_eq!(p, ["First line here.", "Second line", "Third."]);
    }

    #[test]
    fn wrapped_wire_copy_is_joined() {
        let text = "Cambodian leader Hun Sen on Friday rejected opposition parties' demands \n\
                    for talks outside the country, accusing them of trying to internationalize \n\
                    the political crisis. Government and opposition parties have asked the \n\
                    king to host a summit.\n\
                    \n\
                    Short heading\n\
                    Next paragraph starts here and it is long enough to look wrapped again ok.";
        let p = from_plain_text(text);
        assert_eq!(p.len(), 3, "{p:?}");
        assert!(p[0].starts_with("Cambodian leader") && p[0].ends_with("host a summit."));
        assert_eq!(p[1], "Short heading");
    }
}
