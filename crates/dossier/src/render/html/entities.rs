use super::anchors::Anchors;
use super::{cite_link, count, esc};
use crate::model::Entity;
use crate::ner::EntityKind;
use std::fmt::Write;

/// Citations shown per entity before the rest are only counted: a country may be named in
/// every sentence.
const MAX_ENTITY_CITES: usize = 8;

pub(super) fn render_entities(out: &mut String, entities: &[Entity], anchors: &Anchors) {
    const SECTIONS: [(EntityKind, &str); 4] = [
        (EntityKind::Person, "People"),
        (EntityKind::Organization, "Organisations"),
        (EntityKind::Place, "Places"),
        (EntityKind::Other, "Other names"),
    ];
    for (kind, heading) in SECTIONS {
        let of_kind: Vec<&Entity> = entities.iter().filter(|e| e.kind == kind).collect();
        if of_kind.is_empty() {
            continue;
        }
        let _ = write!(out, "<h3>{heading}</h3><dl class=\"entities\">");
        for entity in of_kind {
            let _ = write!(out, "<dt>{}", esc(&entity.name));
            if !entity.aliases.is_empty() {
                let aliases: Vec<String> = entity.aliases.iter().map(|a| esc(a)).collect();
                let _ = write!(
                    out,
                    " <span class=\"alias\">also {}</span>",
                    aliases.join(", ")
                );
            }
            out.push_str("</dt><dd>");
            let _ = write!(out, "{}", count(entity.mentions.len(), "sentence"));
            for cite in entity.mentions.iter().take(MAX_ENTITY_CITES) {
                cite_link(out, cite, anchors);
            }
            if entity.mentions.len() > MAX_ENTITY_CITES {
                let _ = write!(
                    out,
                    " <span class=\"meta\">and {} more</span>",
                    entity.mentions.len() - MAX_ENTITY_CITES
                );
            }
            out.push_str("</dd>");
        }
        out.push_str("</dl>\n");
    }
}
