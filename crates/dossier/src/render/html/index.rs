//! The story list and its search index: built once at build time and embedded in the page as
//! JSON, so that the file answers searches and filters without a server.

use super::{attr, count, esc, Page};
use crate::model::Story;
use crate::render::status_name;
use serde::Serialize;
use std::collections::{BTreeSet, HashMap};
use std::fmt::Write;

/// Outlets and names are stored once and referred to by number: a big pile repeats them in
/// thousands of stories.
#[derive(Default, Serialize)]
pub(super) struct Index {
    outlets: Vec<String>,
    entities: Vec<String>,
    stories: Vec<Entry>,
    #[serde(skip)]
    outlet_ids: HashMap<String, usize>,
    #[serde(skip)]
    entity_ids: HashMap<String, usize>,
}

#[derive(Serialize)]
struct Entry {
    /// Everything a search box matches: title, summary, report titles, names and their other
    /// spellings, outlets; as lower-case words, each after a space, so that a search word
    /// matches the start of a word ("sen" finds "Sen", not "sent").
    text: String,
    outlets: BTreeSet<usize>,
    entities: BTreeSet<usize>,
    /// First and last publication date of the story's reports.
    from: Option<String>,
    to: Option<String>,
    statuses: BTreeSet<&'static str>,
}

impl Index {
    pub(super) fn add(&mut self, story: &Story, page: &Page) {
        let heads: Vec<_> = story
            .reports
            .iter()
            .filter_map(|id| page.positions.get(id))
            .map(|&r| &page.heads[r])
            .collect();
        let mut text = vec![story.title.as_str()];
        text.extend(story.summary.iter().map(|s| s.text.as_str()));
        text.extend(heads.iter().filter_map(|h| h.title.as_deref()));
        text.extend(heads.iter().map(|h| h.outlet.as_str()));
        for entity in &story.entities {
            text.push(&entity.name);
            text.extend(entity.aliases.iter().map(String::as_str));
        }
        let dates: BTreeSet<&str> = heads.iter().filter_map(|h| h.date.as_deref()).collect();
        let entry = Entry {
            text: words(&text.join(" ")),
            outlets: heads
                .iter()
                .map(|h| intern(&mut self.outlets, &mut self.outlet_ids, &h.outlet))
                .collect(),
            entities: story
                .entities
                .iter()
                .map(|e| intern(&mut self.entities, &mut self.entity_ids, &e.name))
                .collect(),
            from: dates.first().map(|d| d.to_string()),
            to: dates.last().map(|d| d.to_string()),
            statuses: story.claims.iter().map(|c| status_name(c.status)).collect(),
        };
        self.stories.push(entry);
    }

    /// The search form and the list of stories, each item hidden by the script when it does
    /// not match.
    /// `href(n, id)` is where the `n`th story, of that id, is read.
    pub(super) fn write_list(
        &self,
        out: &mut String,
        page: &Page,
        href: &dyn Fn(usize, &str) -> String,
    ) {
        out.push_str(FORM);
        let _ = write!(
            out,
            "<p id=\"shown\" class=\"meta\" aria-live=\"polite\">{}</p><ol id=\"list\">",
            count(self.stories.len(), "story")
        );
        for (n, entry) in self.stories.iter().enumerate() {
            let dates = match (&entry.from, &entry.to) {
                (Some(from), Some(to)) if from != to => format!(" · {} to {}", esc(from), esc(to)),
                (Some(day), _) => format!(" · {}", esc(day)),
                _ => String::new(),
            };
            let _ = write!(
                out,
                "<li data-n=\"{n}\"><a href=\"{}\">{}</a> <span class=\"meta\">{}{dates}</span></li>",
                attr(&href(n, &page.ids[n])),
                esc(&page.titles[n]),
                count(entry.outlets.len(), "outlet"),
            );
        }
        out.push_str("</ol>\n");
    }

    pub(super) fn write_script(&self, out: &mut String) {
        let _ = writeln!(
            out,
            "<script type=\"application/json\" id=\"index\">{}</script>",
            script_json(self)
        );
    }
}

const FORM: &str = r#"<form id="find" role="search">
<label>Search <input type="search" id="q" name="q" placeholder="words, names, outlets" autocomplete="off"></label>
<label>From <input type="date" id="from" name="from"></label>
<label>To <input type="date" id="to" name="to"></label>
<label>Outlet <select id="outlet" name="outlet"><option value="">any</option></select></label>
<label>Name <input id="entity" name="entity" list="entities" autocomplete="off"></label><datalist id="entities"></datalist>
<label>Claims <select id="status" name="status"><option value="">any</option><option value="contested">contested</option><option value="retracted">retracted</option><option value="corroborated">corroborated</option><option value="single-source">single source</option></select></label>
</form>
"#;

fn words(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 1);
    for word in text
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
    {
        out.push(' ');
        out.extend(word.chars().flat_map(char::to_lowercase));
    }
    out
}

fn intern(names: &mut Vec<String>, ids: &mut HashMap<String, usize>, name: &str) -> usize {
    *ids.entry(name.to_string()).or_insert_with(|| {
        names.push(name.to_string());
        names.len() - 1
    })
}

/// JSON that can sit inside a `<script>` element whatever the reports say: `<`, `>` and `&`
/// cannot close the element or open a comment, and U+2028/U+2029 cannot end a line of script.
/// Each is escaped inside a JSON string, the only place JSON lets them appear.
pub(super) fn script_json(value: &impl Serialize) -> String {
    let json = serde_json::to_string(value).expect("the index is plain data");
    let mut out = String::with_capacity(json.len());
    for c in json.chars() {
        match c {
            '<' => out.push_str("\\u003c"),
            '>' => out.push_str("\\u003e"),
            '&' => out.push_str("\\u0026"),
            '\u{2028}' => out.push_str("\\u2028"),
            '\u{2029}' => out.push_str("\\u2029"),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn script_json_cannot_close_its_element_and_reads_back_the_same() {
        let hostile = "</script><script>alert(1)</script> <!-- & \u{2028}\u{2029}";
        let json = script_json(&serde_json::json!({ "text": hostile }));
        for raw in ['<', '>', '&', '\u{2028}', '\u{2029}'] {
            assert!(!json.contains(raw), "{raw:?} in {json}");
        }
        let back: serde_json::Value = serde_json::from_str(&json).unwrap();
        assert_eq!(back["text"], hostile);
    }

    #[test]
    fn search_text_is_lower_case_words_each_after_a_space() {
        assert_eq!(
            words("Hun Sen's party (sent) Phnom-Penh É2"),
            " hun sen s party sent phnom penh é2"
        );
    }
}
