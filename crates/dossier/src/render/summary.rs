//! The summaries alone, for `dossier summarize`: plain text, Markdown or JSON.

use crate::Dossier;
use serde::Serialize;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Text,
    Markdown,
    Json,
}

#[derive(Serialize)]
struct StorySummary<'a> {
    id: &'a str,
    title: &'a str,
    reports: &'a [String],
    summary: &'a [crate::model::SummarySentence],
}

pub fn render(dossier: &Dossier, format: Format) -> String {
    match format {
        Format::Json => {
            let stories: Vec<StorySummary> = dossier
                .stories
                .iter()
                .map(|s| StorySummary {
                    id: &s.id,
                    title: &s.title,
                    reports: &s.reports,
                    summary: &s.summary,
                })
                .collect();
            let mut out = serde_json::to_string_pretty(&serde_json::json!({ "stories": stories }))
                .expect("summaries always serialise");
            out.push('\n');
            out
        }
        Format::Text | Format::Markdown => {
            let md = format == Format::Markdown;
            let mut out = String::new();
            for (n, story) in dossier.stories.iter().enumerate() {
                if n > 0 {
                    out.push('\n');
                }
                let title = if md {
                    markdown_escape(&story.title)
                } else {
                    story.title.clone()
                };
                let reports = story.reports.len();
                let plural = if reports == 1 { "" } else { "s" };
                if md {
                    out.push_str(&format!("## {title}\n\n_{reports} report{plural}_\n\n"));
                } else {
                    out.push_str(&format!("{title} ({reports} report{plural})\n"));
                }
                for s in &story.summary {
                    let cites: Vec<String> = s
                        .cites
                        .iter()
                        .map(|c| format!("[{}]", if md { markdown_escape(c) } else { c.clone() }))
                        .collect();
                    let text = if md {
                        markdown_escape(&s.text)
                    } else {
                        s.text.clone()
                    };
                    let bullet = if md { "- " } else { "  " };
                    out.push_str(&format!("{bullet}{text} {}\n", cites.join("")));
                }
            }
            out
        }
    }
}

/// Report text must not turn into Markdown markup (links, emphasis, raw HTML).
pub(super) fn markdown_escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if matches!(
            c,
            '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '#' | '|'
        ) {
            out.push('\\');
        }
        out.push(c);
    }
    out
}
