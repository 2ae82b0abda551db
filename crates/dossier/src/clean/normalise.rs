//! Normalising: one form of each space and quote mark for the rules and the later stages. It
//! runs on every paragraph before the rules, and on titles. Nothing it drops is recorded: the
//! invisible and control characters carry no text (a NUL past the binary check reached
//! index.html before), and the quotes it rewrites keep their meaning.

/// Whitespace collapsed, invisible and control characters dropped (a NUL deep inside a file
/// that passed the binary check is not text to show), typographic and TeX-style quotes made
/// plain so that later stages see one form of each quote mark. Titles go through it too.
pub fn normalise(text: &str) -> String {
    // Runs of ASCII that need no change are copied whole; only the other characters go through
    // the match (char by char, this was a fifth of cleaning).
    let plain = |b: &u8| b.is_ascii() && !b.is_ascii_control() && !matches!(b, b' ' | b'`' | b'\'');
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    loop {
        let run = rest.bytes().position(|b| !plain(&b)).unwrap_or(rest.len());
        out.push_str(&rest[..run]);
        rest = &rest[run..];
        let mut chars = rest.chars();
        let Some(c) = chars.next() else { break };
        let doubled = chars.next() == Some(c);
        let mut used = c.len_utf8();
        match c {
            '\u{200b}' | '\u{200c}' | '\u{200d}' | '\u{2060}' | '\u{feff}' | '\u{ad}' => {}
            '“' | '”' | '„' | '‟' | '″' | '«' | '»' => out.push('"'),
            '‘' | '’' | '‚' | '‛' | '′' => out.push('\''),
            '`' | '\'' if doubled => {
                used += 1;
                out.push('"');
            }
            // A lone backtick is wire copy's opening single quote.
            '`' => out.push('\''),
            c if c.is_whitespace() => {
                if !out.ends_with(' ') {
                    out.push(' ');
                }
            }
            c if c.is_control() => {}
            c => out.push(c),
        }
        rest = &rest[used..];
    }
    out.trim().to_string()
}

#[cfg(test)]
mod tests {
    use crate::clean::run;

    #[test]
    fn quotes_and_whitespace_are_normalised() {
        let c =
            run(&["``We respect  it,'' he said \u{201c}today\u{201d}\u{00a0}– it\u{2019}s done."]);
        assert_eq!(
            c.paragraphs,
            ["\"We respect it,\" he said \"today\" – it's done."]
        );
    }

    #[test]
    fn control_characters_are_dropped() {
        let c = run(&["The vote\0 passed\u{1b}[31m on Tuesday.\u{7f}"]);
        assert_eq!(c.paragraphs, ["The vote passed[31m on Tuesday."]);
    }
}
