use super::anchors::Anchors;
use super::{cite_link, count, esc};
use crate::model::{Claim, ClaimStatus};
use std::fmt::Write;

/// Claims grouped by status, the disputed and withdrawn ones first: those are what a reader
/// must not miss.
pub(super) fn render_claims(out: &mut String, claims: &[Claim], anchors: &Anchors) {
    if claims.is_empty() {
        return;
    }
    out.push_str("<h3>Claims</h3><div class=\"claims\">");
    for (status, class, heading) in [
        (ClaimStatus::Contested, "contested", "Contested"),
        (ClaimStatus::Retracted, "retracted", "Retracted"),
        (ClaimStatus::Corroborated, "corroborated", "Corroborated"),
        (ClaimStatus::SingleSource, "single-source", "Single source"),
    ] {
        let group: Vec<&Claim> = claims.iter().filter(|c| c.status == status).collect();
        if group.is_empty() {
            continue;
        }
        let _ = write!(
            out,
            "<section class=\"{class}\"><h4>{heading} ({})</h4><ul>",
            group.len()
        );
        for claim in group {
            let _ = write!(
                out,
                "<li>{}<br><span class=\"meta\">For ({}):",
                esc(&claim.text),
                count(claim.sources, "independent source")
            );
            for cite in &claim.support {
                cite_link(out, cite, anchors);
            }
            if !claim.contradict.is_empty() {
                out.push_str(" · Against:");
                for cite in &claim.contradict {
                    cite_link(out, cite, anchors);
                }
            }
            let _ = write!(out, "</span><p class=\"why\">{}</p></li>", esc(&claim.why));
        }
        out.push_str("</ul></section>");
    }
    out.push_str("</div>\n");
}
