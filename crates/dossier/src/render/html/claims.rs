//! Key claims first: the contested and retracted ones (what a reader must not miss), then the
//! best-corroborated; the rest folded, since a long story has hundreds of single-source claims.

use super::story::Sources;
use super::{count, esc};
use crate::model::{Claim, ClaimStatus};
use crate::render::{key_claims, status_name};
use std::fmt::Write;

/// Sources listed per side of a claim before the rest are only counted.
const MAX_SOURCES: usize = 5;

pub(super) fn render_claims(out: &mut String, claims: &[Claim], sources: &Sources) {
    if claims.is_empty() {
        return;
    }
    let (key, rest) = key_claims(claims);
    out.push_str("<h3>Key claims</h3><div class=\"claims\">");
    for (heading, status) in [
        ("Contested", ClaimStatus::Contested),
        ("Retracted", ClaimStatus::Retracted),
        ("Corroborated", ClaimStatus::Corroborated),
    ] {
        group(out, heading, status, &with(&key, status), sources, true);
    }
    if !rest.is_empty() {
        let _ = write!(
            out,
            "<details class=\"more-claims\"><summary>Other claims ({})</summary>",
            rest.len()
        );
        for (heading, status) in [
            ("Corroborated, fewer sources", ClaimStatus::Corroborated),
            ("Single source", ClaimStatus::SingleSource),
        ] {
            group(out, heading, status, &with(&rest, status), sources, false);
        }
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
    // Excerpts for the key claims only: hundreds of folded claims would repeat every report.
    words: bool,
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
        listed(out, &claim.support, sources, words);
        if !claim.contradict.is_empty() {
            out.push_str("<div class=\"meta\">Against:</div>");
            listed(out, &claim.contradict, sources, words);
        }
        let _ = write!(out, "<p class=\"why\">{}</p></li>", esc(&claim.why));
    }
    out.push_str("</ul></section>");
}

fn listed(out: &mut String, ids: &[String], sources: &Sources, words: bool) {
    out.push_str("<ul class=\"sources\">");
    for id in ids.iter().take(MAX_SOURCES) {
        sources.item(out, id, words);
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

fn with<'a>(claims: &[&'a Claim], status: ClaimStatus) -> Vec<&'a Claim> {
    claims
        .iter()
        .copied()
        .filter(|c| c.status == status)
        .collect()
}
