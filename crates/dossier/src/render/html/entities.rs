//! Names grouped by kind and ranked by mentions: the names a story is about come first, and a
//! stray capitalised word named once sinks to the bottom.

use super::{attr, cite_link, count, esc, Page};
use crate::model::Entity;
use crate::ner::EntityKind;
use std::fmt::Write;

/// Citations shown per entity before the rest are only counted: a country may be named in
/// every sentence.
const MAX_ENTITY_CITES: usize = 8;
pub(super) fn render_entities(out: &mut String, n: usize, entities: &[Entity], page: &Page) {
    const SECTIONS: [(EntityKind, &str); 4] = [
        (EntityKind::Person, "People"),
        (EntityKind::Organization, "Organisations"),
        (EntityKind::Place, "Places"),
        (EntityKind::Other, "Other names"),
    ];
    for (kind, heading) in SECTIONS {
        let mut of_kind: Vec<&Entity> = entities.iter().filter(|e| e.kind == kind).collect();
        if of_kind.is_empty() {
            continue;
        }
        // Stable: equal counts keep the order of first mention.
        of_kind.sort_by_key(|e| std::cmp::Reverse(e.mentions.len()));
        let _ = write!(out, "<h3>{heading}</h3><dl class=\"entities\">");
        for entity in of_kind {
            render_entity(out, n, entity, page);
        }
        out.push_str("</dl>\n");
    }
}

fn render_entity(out: &mut String, n: usize, entity: &Entity, page: &Page) {
    let first = entity.mentions.first().and_then(|m| page.anchors.get(m));
    match first {
        Some(anchor) => {
            let _ = write!(out, "<dt><a href=\"#{anchor}\">{}</a>", esc(&entity.name));
        }
        None => {
            let _ = write!(out, "<dt>{}", esc(&entity.name));
        }
    }
    if !entity.aliases.is_empty() {
        let aliases: Vec<String> = entity.aliases.iter().map(|a| esc(a)).collect();
        let _ = write!(
            out,
            " <span class=\"alias\">also {}</span>",
            aliases.join(", ")
        );
    }
    out.push_str("</dt><dd>");
    out.push_str(&count(entity.mentions.len(), "sentence"));
    for cite in entity.mentions.iter().take(MAX_ENTITY_CITES) {
        cite_link(out, cite, &page.anchors);
    }
    if entity.mentions.len() > MAX_ENTITY_CITES {
        let more = entity.mentions.len() - MAX_ENTITY_CITES;
        let _ = write!(out, " <span class=\"meta\">and {more} more</span>");
    }
    let others: Vec<usize> = page
        .shared
        .get(&entity.name.to_lowercase())
        .into_iter()
        .flatten()
        .copied()
        .filter(|&o| o != n)
        .collect();
    // One link to the list narrowed to the name (by the page's script), not the other stories'
    // titles again under every name they share: those lists were a twentieth of a pile's page.
    if !others.is_empty() {
        let _ = write!(
            out,
            "<br><a class=\"shared\" href=\"#list\" data-entity=\"{}\">Also in {}</a>",
            attr(&entity.name),
            count(others.len(), "other story")
        );
    }
    out.push_str("</dd>");
}
