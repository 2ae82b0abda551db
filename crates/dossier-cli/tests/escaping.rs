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

/// A report written to break out of the page's script elements: its title, outlet and text
/// close a script and carry U+2028 (a line end in older script parsers). The page shows it as
/// text, its search index and export data hold it escaped, and a search still finds it.
#[test]
fn report_text_cannot_close_the_page_scripts() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("hostile.jsonl");
    let attack = "</script><script>alert(1)</script>";
    let lines = [
        serde_json::json!({
            "id": "a",
            "title": format!("Port strike {attack}\u{2028}ends"),
            "source": format!("Harbour {attack} Times"),
            "published": "2024-03-02",
            "text": format!("Dockers in Rotterdam ended their strike on Friday {attack}\u{2028}after a pay deal. The union said the deal raised wages by 6 percent."),
        }),
        serde_json::json!({
            "id": "b",
            "title": "Rotterdam dockers end strike",
            "source": "Port Gazette",
            "published": "2024-03-03",
            "text": format!("Dockers in Rotterdam ended their strike on Friday after a pay deal.\u{2029} The union said the deal raised wages by 6 percent {attack}."),
        }),
    ];
    let text: String = lines.iter().map(|l| format!("{l}\n")).collect();
    std::fs::write(&input, text).unwrap();
    let out = dir.path().join("out");
    let d = build(&[&input], &out);
    let html = std::fs::read_to_string(out.join("index.html")).unwrap();
    assert_own_scripts_only(&html);
    assert!(!html.contains("<script>alert"), "report text became script");
    assert!(html.contains("Harbour &lt;/script&gt;&lt;script&gt;alert(1)&lt;/script&gt; Times"));

    let open = "<script type=\"application/json\" id=\"index\">";
    let start = html.find(open).unwrap() + open.len();
    let end = start + html[start..].find("</script>").unwrap();
    let index: serde_json::Value = serde_json::from_str(&html[start..end]).unwrap();
    let outlets: Vec<&str> = index["outlets"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| o.as_str().unwrap())
        .collect();
    assert!(outlets.contains(&"Harbour </script><script>alert(1)</script> Times"));
    let searchable: String = index["stories"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["text"].as_str().unwrap())
        .collect();
    assert!(searchable.contains(" harbour script script alert 1 script times"));

    let story = d["stories"][0]["id"].as_str().unwrap();
    let json = out.join("dossier.json");
    let md = run(&[
        "export",
        "--format",
        "md",
        json.to_str().unwrap(),
        "--story",
        story,
    ]);
    let md = String::from_utf8(md.stdout).unwrap();
    assert!(
        md.contains("\\</script\\>\\<script\\>alert(1)\\</script\\>"),
        "{md}"
    );
    assert!(!md.contains("<script>"), "{md}");
}
