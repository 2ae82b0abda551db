//! `dossier export`: a story as Markdown and its claims as CSV, the same text the page's
//! download buttons give.

mod common;

use common::*;
use serde_json::Value;

/// The page's download data for its first story: the JSON in its export script element, a
/// string of gzipped JSON in base64.
fn page_export(html: &str) -> Value {
    use std::io::Read;
    let open = "<script type=\"application/json\" class=\"export\">";
    let start = html.find(open).expect("the page holds export data") + open.len();
    let end = start + html[start..].find("</script>").unwrap();
    let packed: String = serde_json::from_str(&html[start..end]).expect("a JSON string");
    let packed = base64::decode(packed).expect("base64");
    let mut text = String::new();
    flate2::read::GzDecoder::new(&packed[..])
        .read_to_string(&mut text)
        .expect("gzipped text");
    serde_json::from_str(&text).expect("export data is JSON")
}

fn export(args: &[&str]) -> String {
    let mut all = vec!["export"];
    all.extend(args);
    let result = run(&all);
    assert!(result.status.success(), "{}", stderr(&result));
    String::from_utf8(result.stdout).unwrap()
}

#[test]
fn a_story_exports_as_markdown_and_its_claims_as_csv_like_the_page() {
    let dir = tempfile::tempdir().unwrap();
    let d = build(&[&shared("examples/iraq-letter")], dir.path());
    let json = dir.path().join("dossier.json");
    let json = json.to_str().unwrap();
    let story = &d["stories"][0];
    let id = story["id"].as_str().unwrap();

    let md = export(&["--format", "md", json, "--story", id]);
    assert!(md.starts_with("# "), "{md}");
    for heading in ["## Summary", "## Key claims", "## Sources"] {
        assert!(md.contains(heading), "{heading}");
    }
    assert!(md.contains("- **Retracted**: "), "{md}");
    // Citations are numbered sources, listed with where they came from, never sentence ids.
    // (Markdown characters in report fields are escaped.)
    assert!(
        md.contains("\n1. 000\\_2b2fdff0ab78541a.txt: Untitled ("),
        "{md}"
    );
    assert!(md.contains("\n2. 001\\_dc76dc18e09841e1.txt: "), "{md}");
    for (sentence, _) in sentences(&d) {
        assert!(!md.contains(&format!("{sentence} ")), "{sentence} in {md}");
    }

    let csv = export(&["--format", "csv", json, "--story", id]);
    let mut reader = csv::Reader::from_reader(csv.as_bytes());
    let header: Vec<String> = reader.headers().unwrap().iter().map(String::from).collect();
    assert_eq!(
        header,
        [
            "story",
            "claim",
            "status",
            "independent_sources",
            "text",
            "for",
            "against",
            "why"
        ]
    );
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    let claims = story["claims"].as_array().unwrap();
    assert_eq!(rows.len(), claims.len());
    for (row, claim) in rows.iter().zip(claims) {
        assert_eq!(&row[0], id);
        assert_eq!(&row[1], claim["id"].as_str().unwrap());
        assert_eq!(&row[2], claim["status"].as_str().unwrap());
        assert_eq!(&row[4], claim["text"].as_str().unwrap());
        assert!(row[5].contains(".txt"), "{:?}", &row[5]);
    }

    let html = std::fs::read_to_string(dir.path().join("index.html")).unwrap();
    let page = page_export(&html);
    assert_eq!(
        page["md"],
        md.as_str(),
        "the button gives what the command gives"
    );
    assert_eq!(page["csv"], csv.as_str());
}

#[test]
fn export_is_documented_and_names_what_it_cannot_find() {
    let help = export(&["--help"]);
    for word in ["--format", "md", "csv", "--story", "DOSSIER_JSON"] {
        assert!(help.contains(word), "{word} in {help}");
    }
    let dir = tempfile::tempdir().unwrap();
    let d = build(&[&shared("examples/iraq-letter")], dir.path());
    let json = dir.path().join("dossier.json");
    let missing = run(&[
        "export",
        "--format",
        "md",
        json.to_str().unwrap(),
        "--story",
        "nope",
    ]);
    assert_eq!(missing.status.code(), Some(1));
    assert!(
        stderr(&missing).contains("no story has the id \"nope\""),
        "{}",
        stderr(&missing)
    );
    let not_json = dir.path().join("index.html");
    let wrong = run(&["export", "--format", "csv", not_json.to_str().unwrap()]);
    assert_eq!(wrong.status.code(), Some(1));
    assert!(
        stderr(&wrong).contains("index.html is not a dossier.json"),
        "{}",
        stderr(&wrong)
    );
    // Without --story, every story: the CSV has every claim.
    let all = export(&["--format", "csv", json.to_str().unwrap()]);
    let claims: usize = d["stories"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["claims"].as_array().unwrap().len())
        .sum();
    assert_eq!(
        csv::Reader::from_reader(all.as_bytes()).records().count(),
        claims
    );
}
