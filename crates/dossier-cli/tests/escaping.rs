//! Report text is untrusted: nothing from a report may become markup in the HTML page.

mod common;

use common::*;

#[test]
fn html_page_escapes_every_report_field() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("evil.jsonl");
    let attack = r#"\"><img src=x onerror=alert(1)>"#;
    let line = serde_json::json!({
        "id": format!("id<script>alert('id')</script>{attack}"),
        "url": format!("https://example.org/\"><script>alert('url')</script>"),
        "title": format!("<script>alert('title')</script>{attack}"),
        "text": format!("The mayor said <script>alert('text')</script> on Monday that the vote was fair. Officials \"><img src=x onerror=alert(1)> confirmed the count on Monday."),
    });
    std::fs::write(&input, format!("{line}\n")).unwrap();
    let out = dir.path().join("out");
    build(&[&input], &out);
    let html = std::fs::read_to_string(out.join("index.html")).unwrap();
    assert_own_scripts_only(&html);
    assert!(!html.contains("<img"), "raw img tag in page");
    assert!(!html.contains("onerror=alert(1)>") || !html.contains("\"><img"));
    assert!(
        html.contains("&lt;script&gt;alert("),
        "text is shown escaped, not dropped"
    );
    let d = read_json(&out.join("dossier.json"));
    assert!(
        d["reports"][0]["text"]
            .as_str()
            .unwrap()
            .contains("<script>"),
        "JSON keeps the text as given"
    );
}
