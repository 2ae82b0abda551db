//! Key claims first: the contested and retracted ones (what a reader must not miss), then the
//! best-corroborated; the rest folded, since a long story has hundreds of single-source claims.

use super::index::status_name;
use super::story::Sources;
use super::{count, esc};
use crate::model::{Claim, ClaimStatus};
use std::fmt::Write;

/// Corroborated claims shown before the fold; claims come ranked by independent sources.
const KEY_CORROBORATED: usize = 5;
/// Sources listed per side of a claim before the rest are only counted.
const MAX_SOURCES: usize = 5;

pub(super) fn render_claims(out: &mut String, claims: &[Claim], sources: &Sources) {
    if claims.is_empty() {
        return;
    }
    let of = |status| claims.iter().filter(move |c| c.status == status);
    let corroborated: Vec<&Claim> = of(ClaimStatus::Corroborated).collect();
    let (key, rest) = corroborated.split_at(corroborated.len().min(KEY_CORROBORATED));
    out.push_str("<h3>Key claims</h3><div class=\"claims\">");
    group(
        out,
        "Contested",
        ClaimStatus::Contested,
        &of(ClaimStatus::Contested).collect::<Vec<_>>(),
        sources,
    );
    group(
        out,
        "Retracted",
        ClaimStatus::Retracted,
        &of(ClaimStatus::Retracted).collect::<Vec<_>>(),
        sources,
    );
    group(out, "Corroborated", ClaimStatus::Corroborated, key, sources);
    let single: Vec<&Claim> = of(ClaimStatus::SingleSource).collect();
    if rest.len() + single.len() > 0 {
        let _ = write!(
            out,
            "<details class=\"more-claims\"><summary>Other claims ({})</summary>",
            rest.len() + single.len()
        );
        group(
            out,
            "Corroborated, fewer sources",
            ClaimStatus::Corroborated,
            rest,
            sources,
        );
        group(
            out,
            "Single source",
            ClaimStatus::SingleSource,
            &single,
            sources,
        );
        out.push_str("</details>");
    }
    out.push_str("</div>\n");
}

fn group(
    out: &mut String,
    heading: &str,
    status: ClaimStatus,
    claims: &[&Claim],
    sources: &Sources,
) {
    if claims.is_empty() {
        return;
    }
    let _ = write!(
        out,
        "<section class=\"{}\"><h4>{heading} ({})</h4><ul>",
        status_name(status),
        claims.len()
    );
    for claim in claims {
        let _ = write!(
            out,
            "<li>{}<div class=\"meta\">For ({}):</div>",
            esc(&claim.text),
            count(claim.sources, "independent source")
        );
        listed(out, &claim.support, sources);
        if !claim.contradict.is_empty() {
            out.push_str("<div class=\"meta\">Against:</div>");
            listed(out, &claim.contradict, sources);
        }
        let _ = write!(out, "<p class=\"why\">{}</p></li>", esc(&claim.why));
    }
    out.push_str("</ul></section>");
}

fn listed(out: &mut String, ids: &[String], sources: &Sources) {
    out.push_str("<ul class=\"sources\">");
    for id in ids.iter().take(MAX_SOURCES) {
        sources.item(out, id);
    }
    if ids.len() > MAX_SOURCES {
        let _ = write!(
            out,
            "<li class=\"meta\">and {} more</li>",
            ids.len() - MAX_SOURCES
        );
    }
    out.push_str("</ul>");
}
