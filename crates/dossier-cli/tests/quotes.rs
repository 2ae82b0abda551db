//! `dossier quotes`: attributions as character offsets per JSON line; a bad line is named and
//! skipped, and the run then exits 1.

use std::process::Command;

#[test]
fn writes_code_point_offsets_and_names_bad_lines() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("articles.jsonl");
    let text = "“We will not resign,” said parliament speaker Zoë Kaklamanis.";
    let good = serde_json::json!({"doc_id": "a1", "text": text, "title": "Vote"});
    std::fs::write(
        &input,
        format!("{good}\n{{\"doc_id\": \"a2\", \"text\": 7}}\nnot json\n"),
    )
    .unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_dossier"))
        .arg("quotes")
        .arg(&input)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    let name = input.display().to_string();
    assert!(stderr.contains(&format!("{name}: line 2")), "{stderr}");
    assert!(stderr.contains(&format!("{name}: line 3")), "{stderr}");
    let lines: Vec<serde_json::Value> = String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 1);
    assert_eq!(lines[0]["doc_id"], "a1");
    let chars: Vec<char> = text.chars().collect();
    let cut = |span: &serde_json::Value| -> String {
        let (a, b) = (
            span["start"].as_u64().unwrap(),
            span["end"].as_u64().unwrap(),
        );
        chars[a as usize..b as usize].iter().collect()
    };
    let found = &lines[0]["attributions"][0];
    assert_eq!(cut(&found["content"]), "“We will not resign,”");
    assert_eq!(cut(&found["source"]), "parliament speaker Zoë Kaklamanis");
    assert_eq!(cut(&found["cue"]), "said");
}
