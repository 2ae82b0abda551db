//! Helpers shared by the CLI tests: run the real `dossier` binary and read what it wrote.

#![allow(dead_code)] // each test file uses its own subset

use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

pub fn dossier() -> Command {
    Command::new(env!("CARGO_BIN_EXE_dossier"))
}

/// `../shared/` beside the project root (CI clones the project with it alongside).
pub fn shared(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared")
        .join(rel)
}

pub fn run(args: &[&str]) -> Output {
    dossier()
        .args(args)
        .stdin(Stdio::null())
        .output()
        .expect("dossier runs")
}

/// Runs `dossier build INPUT --out OUT [EXTRA...]` (not quiet, so the account line is there).
pub fn build_raw(input: &Path, out: &Path, extra: &[&str]) -> Output {
    dossier()
        .arg("build")
        .arg(input)
        .arg("--out")
        .arg(out)
        .args(extra)
        .stdin(Stdio::null())
        .output()
        .expect("dossier runs")
}

pub fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// Runs `dossier build INPUTS --out DIR --quiet`, asserts success, returns the JSON.
pub fn build(inputs: &[&Path], out: &Path) -> Value {
    let mut cmd = dossier();
    cmd.arg("build")
        .args(inputs)
        .arg("--out")
        .arg(out)
        .arg("--quiet");
    let result = cmd.stdin(Stdio::null()).output().expect("dossier runs");
    assert!(result.status.success(), "build failed: {}", stderr(&result));
    read_json(&out.join("dossier.json"))
}

pub fn read_json(path: &Path) -> Value {
    serde_json::from_str(&std::fs::read_to_string(path).expect("output exists"))
        .expect("valid JSON")
}

/// The report ids of a dossier, in order.
pub fn report_ids(d: &Value) -> Vec<&str> {
    d["reports"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["id"].as_str().unwrap())
        .collect()
}

/// Every sentence id in the dossier, with its text.
pub fn sentences(d: &Value) -> Vec<(String, String)> {
    d["reports"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|r| r["sentences"].as_array().unwrap().iter())
        .map(|s| {
            (
                s["id"].as_str().unwrap().to_string(),
                s["text"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

pub fn text_of<'a>(all: &'a [(String, String)], id: &str) -> &'a str {
    &all.iter()
        .find(|(i, _)| i == id)
        .unwrap_or_else(|| panic!("no sentence {id}"))
        .1
}

/// The id of the first sentence containing `text`.
pub fn id_containing(all: &[(String, String)], text: &str) -> String {
    all.iter()
        .find(|(_, t)| t.contains(text))
        .map(|(i, _)| i.clone())
        .unwrap_or_else(|| panic!("no sentence with {text:?}"))
}

/// Writes the DUC 2004 dev documents of the clusters `keep` accepts to `path` as one JSON
/// Lines pile, each with the id `<cluster>-<n>`; returns how many it wrote.
pub fn duc_pile(path: &Path, keep: impl Fn(&str) -> bool) -> usize {
    let data = shared("data/duc2004/dev.jsonl");
    let raw = std::fs::read_to_string(&data).unwrap_or_else(|e| {
        panic!(
            "{}: {e} (../shared must sit beside the project)",
            data.display()
        )
    });
    let mut lines = String::new();
    let mut count = 0;
    for line in raw.lines() {
        let cluster: Value = serde_json::from_str(line).unwrap();
        let name = cluster["cluster"].as_str().unwrap();
        if !keep(name) {
            continue;
        }
        for (n, doc) in cluster["docs"].as_array().unwrap().iter().enumerate() {
            lines.push_str(
                &serde_json::json!({ "id": format!("{name}-{n}"), "text": doc }).to_string(),
            );
            lines.push('\n');
            count += 1;
        }
    }
    std::fs::write(path, lines).unwrap();
    count
}

/// The page's script elements are its own (the search index, the export data and its code),
/// and none holds a character that could close it or break a line of script: no report text
/// can become script. Panics naming what was found.
pub fn assert_own_scripts_only(html: &str) {
    const OWN: [&str; 3] = [
        "<script type=\"application/json\" id=\"index\">",
        "<script type=\"application/json\" class=\"export\">",
        "<script>\"use strict\";",
    ];
    let mut rest = html;
    while let Some(at) = rest.find("<script") {
        let element = &rest[at..];
        let open = OWN
            .iter()
            .find(|own| element.starts_with(**own))
            .unwrap_or_else(|| panic!("a script the page did not write: {:.80}", element));
        let body = &element[open.len()..];
        let end = body
            .find("</script>")
            .expect("every script element is closed");
        if !open.ends_with("\"use strict\";") {
            let inner = &body[..end];
            for raw in ['<', '>', '&', '\u{2028}', '\u{2029}'] {
                assert!(!inner.contains(raw), "{raw:?} unescaped in {open}");
            }
        }
        rest = &body[end + "</script>".len()..];
    }
}
