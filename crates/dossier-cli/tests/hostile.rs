//! Bad input never stops a batch: each bad input gets a warning naming it and why, and the exit
//! status says whether anything was read (0), nothing was (1), or the call was wrong (2).

mod common;

use common::*;
use std::fs;
use std::io::Write;

const REPORT: &str = "The city council approved the new budget on Tuesday after a long debate.\n\
    Council leader Maria Okafor said the plan would fund two new schools.\n";

#[test]
fn bad_files_are_named_and_the_rest_goes_through() {
    let dir = tempfile::tempdir().unwrap();
    let inputs = dir.path().join("in");
    fs::create_dir(&inputs).unwrap();
    fs::write(inputs.join("good.txt"), REPORT).unwrap();
    fs::write(inputs.join("copy.txt"), REPORT).unwrap();
    // Pseudo-random bytes (xorshift), deterministic.
    let mut x: u64 = 0x9e3779b97f4a7c15;
    let noise: Vec<u8> = (0..4096)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            x as u8
        })
        .collect();
    fs::write(inputs.join("noise.txt"), &noise).unwrap();
    fs::write(inputs.join("empty.txt"), "").unwrap();
    fs::write(
        inputs.join("latin1.txt"),
        b"Caf\xe9 owners protested on Monday.",
    )
    .unwrap();
    fs::write(
        inputs.join("cut.html"),
        "<html><head><title>Cut</title></head><body><article><p>The council met on Tues",
    )
    .unwrap();
    fs::write(inputs.join("lines.jsonl"), "{\"id\": \"j1\", \"text\": \"Rescuers reached the village on Friday after the flood waters fell.\"}\n{not json\n{\"id\": \"j3\"}\n").unwrap();
    let big = inputs.join("huge.txt");
    let mut f = fs::File::create(&big).unwrap();
    let line = "Filler sentence about nothing in particular, repeated to make a huge file.\n";
    for _ in 0..(50 * 1024 * 1024 / line.len() + 1) {
        f.write_all(line.as_bytes()).unwrap();
    }
    drop(f);

    let out = dir.path().join("out");
    let result = build_raw(&inputs, &out, &[]);
    let err = stderr(&result);
    assert_eq!(result.status.code(), Some(0), "{err}");
    for (file, reason) in [
        ("good.txt", "duplicate of"),
        ("noise.txt", "binary data"),
        ("empty.txt", "empty file"),
        ("latin1.txt", "not valid UTF-8"),
        ("huge.txt", "too large"),
        ("lines.jsonl:2", "invalid JSON"),
        ("lines.jsonl:3", "no `text`, `html` or `title`"),
    ] {
        assert!(
            err.lines().any(|l| l.contains(file) && l.contains(reason)),
            "no warning naming {file} ({reason}) in:\n{err}"
        );
    }
    assert!(!err.contains("panicked"));
    let d = read_json(&out.join("dossier.json"));
    let ids = report_ids(&d);
    // Directories are read in name order: copy.txt comes first, good.txt is its duplicate.
    assert_eq!(
        ids,
        ["copy", "cut", "j1"],
        "truncated HTML is read best-effort"
    );
    assert!(err.contains("dossier: read"), "account line: {err}");
}

#[test]
fn truncated_html_is_read_best_effort_or_named() {
    let dir = tempfile::tempdir().unwrap();
    let page = dir.path().join("cut.html");
    let body = "The council met on Tuesday and approved the budget for the coming year. ".repeat(5);
    fs::write(
        &page,
        format!("<html><head><title>Budget</title></head><body><article><p>{body}</p><p>More te"),
    )
    .unwrap();
    let out = dir.path().join("out");
    let result = build_raw(&page, &out, &[]);
    assert!(!stderr(&result).contains("panicked"));
    if result.status.success() {
        let d = read_json(&out.join("dossier.json"));
        assert!(d["reports"][0]["text"]
            .as_str()
            .unwrap()
            .contains("approved the budget"));
    } else {
        assert!(stderr(&result).contains("cut.html"));
    }
}

#[test]
fn nothing_readable_exits_1_with_reasons() {
    let dir = tempfile::tempdir().unwrap();
    let empty = dir.path().join("empty");
    fs::create_dir(&empty).unwrap();
    let result = build_raw(&empty, &dir.path().join("o"), &[]);
    assert_eq!(result.status.code(), Some(1));
    let err = stderr(&result);
    assert!(
        err.contains("directory holds no files") && err.contains("no report could be read"),
        "{err}"
    );
    assert!(
        !dir.path().join("o").exists(),
        "no output written when nothing was read"
    );

    // A directory whose files cannot be read: a dangling link and a file with no permissions
    // (root can still open it, so it also holds binary data to be refused either way).
    let bad = dir.path().join("bad");
    fs::create_dir(&bad).unwrap();
    std::os::unix::fs::symlink(dir.path().join("missing.txt"), bad.join("link.txt")).unwrap();
    let locked = bad.join("locked.txt");
    fs::write(&locked, [0u8, 1, 2, 3, 0, 0, 0]).unwrap();
    use std::os::unix::fs::PermissionsExt;
    fs::set_permissions(&locked, fs::Permissions::from_mode(0o000)).unwrap();
    let result = build_raw(&bad, &dir.path().join("o"), &[]);
    assert_eq!(result.status.code(), Some(1));
    let err = stderr(&result);
    assert!(
        err.contains("link.txt") && err.contains("locked.txt"),
        "{err}"
    );

    let missing = run(&[
        "build",
        "/nonexistent/reports",
        "--out",
        dir.path().join("o").to_str().unwrap(),
    ]);
    assert_eq!(missing.status.code(), Some(1));
    assert!(stderr(&missing).contains("/nonexistent/reports: cannot open"));
}

#[test]
fn usage_errors_exit_2() {
    assert_eq!(run(&["build"]).status.code(), Some(2));
    assert_eq!(
        run(&["build", "x.txt"]).status.code(),
        Some(2),
        "--out is required"
    );
    assert_eq!(run(&["frobnicate"]).status.code(), Some(2));
    assert_eq!(
        run(&["summarize", "x", "--words", "0"]).status.code(),
        Some(2)
    );
}

#[test]
fn json_lines_from_stdin() {
    use std::process::Stdio;
    let dir = tempfile::tempdir().unwrap();
    let mut child = dossier()
        .args(["build", "-", "--out"])
        .arg(dir.path())
        .arg("--quiet")
        .stdin(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(b"{\"id\":\"a\",\"title\":\"Budget passes\",\"published\":\"2025-01-02\",\"text\":\"The council approved the budget on Tuesday. It funds two schools.\"}\n")
        .unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let d = read_json(&dir.path().join("dossier.json"));
    assert_eq!(d["reports"][0]["id"], "a");
    assert_eq!(d["reports"][0]["published"], "2025-01-02");
    assert_eq!(d["stories"][0]["title"], "Budget passes");
}

#[test]
fn size_limit_applies_to_each_json_line_not_the_whole_pile() {
    let dir = tempfile::tempdir().unwrap();
    let pile = dir.path().join("pile.jsonl");
    let small = |id: &str| {
        serde_json::json!({ "id": id, "text": format!("{REPORT} Report {id}.") }).to_string()
    };
    let big = serde_json::json!({ "id": "big", "text": "word ".repeat(1000) }).to_string();
    fs::write(
        &pile,
        format!("{}\n{big}\n{}\n{}", small("a"), small("b"), small("c")),
    )
    .unwrap();
    let out = dir.path().join("out");
    // 3,000 bytes: far less than the file, more than each small line.
    let result = build_raw(&pile, &out, &["--max-bytes", "3000"]);
    let err = stderr(&result);
    assert!(result.status.success(), "{err}");
    assert!(err.contains("pile.jsonl:2: too large"), "{err}");
    let d = read_json(&out.join("dossier.json"));
    let ids = report_ids(&d);
    assert_eq!(ids, ["a", "b", "c"]);
}

#[test]
fn a_hundred_thousand_nested_elements_are_read_without_overflow_or_hang() {
    // Hostile or broken markup: the report sits under 100,000 unclosed-looking levels of
    // <div>. It is read (its text kept), not a crash and not hours of extraction.
    let dir = tempfile::tempdir().unwrap();
    let page = dir.path().join("deep.html");
    let body = "The harbour ferry resumed its morning crossings on Monday after engineers \
        replaced a cracked propeller shaft, the operator said. Passengers had been taken \
        round the bay by bus for nine days while the vessel was in dry dock.";
    std::fs::write(
        &page,
        format!(
            "<html><head><title>Ferry service resumes</title></head><body>{}<p>{body}</p>{}\
             </body></html>",
            "<div>".repeat(100_000),
            "</div>".repeat(100_000)
        ),
    )
    .unwrap();
    let d = build(&[&page], &dir.path().join("out"));
    let text = d["reports"][0]["text"].as_str().unwrap();
    assert!(text.contains("cracked propeller shaft"), "{text}");
}
