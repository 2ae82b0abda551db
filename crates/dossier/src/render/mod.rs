//! Render: the [`Dossier`](crate::Dossier) to its output formats. Renderers read the model
//! only; report text is untrusted and every renderer escapes it for its format.

pub mod export;
pub mod html;
pub mod json;
pub mod summary;

use crate::model::{Claim, ClaimStatus, Report};

/// Corroborated claims counted among a story's key claims.
const KEY_CORROBORATED: usize = 5;

/// A story's key claims, then the rest. Key: the contested and retracted ones (what a reader
/// must not miss), then the best-corroborated (claims come ranked by independent sources).
pub fn key_claims(claims: &[Claim]) -> (Vec<&Claim>, Vec<&Claim>) {
    let of = |status| claims.iter().filter(move |c: &&Claim| c.status == status);
    let mut key: Vec<&Claim> = of(ClaimStatus::Contested).collect();
    key.extend(of(ClaimStatus::Retracted));
    key.extend(of(ClaimStatus::Corroborated).take(KEY_CORROBORATED));
    let mut rest: Vec<&Claim> = of(ClaimStatus::Corroborated)
        .skip(KEY_CORROBORATED)
        .collect();
    rest.extend(of(ClaimStatus::SingleSource));
    (key, rest)
}

/// Who published a report, as the page and the exports name it: the outlet, else the site of
/// a URL, else the file it came from; never an id.
pub fn outlet(report: &Report) -> String {
    if let Some(outlet) = report.outlet.as_deref().filter(|o| !o.trim().is_empty()) {
        return outlet.trim().to_string();
    }
    match report.source.split_once("://") {
        Some((_, rest)) => rest.split(['/', '?', '#']).next().unwrap_or(rest),
        None => report
            .source
            .rsplit(['/', '\\'])
            .next()
            .unwrap_or(&report.source),
    }
    .trim_start_matches("www.")
    .to_string()
}

/// The day a report was published: the date part of its ISO 8601 timestamp.
pub fn day(report: &Report) -> Option<String> {
    let published = report.published.as_deref()?;
    Some(published.get(..10).unwrap_or(published).to_string())
}

/// A claim status as the page's classes, the index and the CSV write it.
pub fn status_name(status: ClaimStatus) -> &'static str {
    match status {
        ClaimStatus::Contested => "contested",
        ClaimStatus::Retracted => "retracted",
        ClaimStatus::Corroborated => "corroborated",
        ClaimStatus::SingleSource => "single-source",
    }
}

/// A claim status in words.
pub fn status_label(status: ClaimStatus) -> &'static str {
    match status {
        ClaimStatus::Contested => "Contested",
        ClaimStatus::Retracted => "Retracted",
        ClaimStatus::Corroborated => "Corroborated",
        ClaimStatus::SingleSource => "Single source",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn claim(id: &str, status: ClaimStatus) -> Claim {
        Claim {
            id: id.into(),
            text: format!("Claim {id}."),
            status,
            support: vec![],
            contradict: vec![],
            sources: 1,
            why: String::new(),
        }
    }

    #[test]
    fn key_claims_are_the_disputed_then_the_five_best_corroborated() {
        let mut claims: Vec<Claim> = (1..=7)
            .map(|n| claim(&format!("c{n}"), ClaimStatus::Corroborated))
            .collect();
        claims.push(claim("c8", ClaimStatus::SingleSource));
        claims.push(claim("c9", ClaimStatus::Contested));
        claims.push(claim("c10", ClaimStatus::Retracted));
        let (key, rest) = key_claims(&claims);
        let ids = |list: Vec<&Claim>| list.iter().map(|c| c.id.clone()).collect::<Vec<_>>();
        assert_eq!(ids(key), ["c9", "c10", "c1", "c2", "c3", "c4", "c5"]);
        assert_eq!(ids(rest), ["c6", "c7", "c8"]);
    }
}
