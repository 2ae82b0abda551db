//! Fault injection for `dossier build`: each input that once stopped or stalled a batch (issue
//! 17) goes in beside a good report, and the good report must come out. The service's faults
//! are in `serve_faults.rs`.

mod common;

use common::*;
use serde_json::Value;
use std::fs;
use std::path::Path;
use std::process::Stdio;

const GOOD: &str = "The city council approved the new budget on Tuesday after a long debate.\n\
    Council leader Maria Okafor said the plan would fund two new schools.\n";

/// Builds `dir/in` without the models; returns the dossier and stderr.
fn build_in(dir: &Path, extra: &[&str]) -> (std::process::Output, Option<Value>) {
    let out = dir.join("out");
    let mut args = vec!["--no-entities", "--no-claims"];
    args.extend(extra);
    let result = build_raw(&dir.join("in"), &out, &args);
    let json = out.join("dossier.json");
    let dossier = json.exists().then(|| read_json(&json));
    (result, dossier)
}

fn with_good(files: &[(&str, &[u8])]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let inputs = dir.path().join("in");
    fs::create_dir(&inputs).unwrap();
    fs::write(inputs.join("good.txt"), GOOD).unwrap();
    for (name, bytes) in files {
        fs::write(inputs.join(name), bytes).unwrap();
    }
    dir
}

#[test]
fn a_large_page_of_multibyte_text_is_read() {
    // The extractor cut its text at byte 1,000,000, inside a "€", and panicked the whole run.
    let page = format!(
        "<html><head><title>E</title></head><body><article><p>x{}</p></article></body></html>",
        " €€€ ééé".repeat(100_000)
    );
    let dir = with_good(&[("page.html", page.as_bytes())]);
    let (result, dossier) = build_in(dir.path(), &[]);
    let err = stderr(&result);
    assert_eq!(result.status.code(), Some(0), "{err}");
    assert!(!err.contains("panicked"), "{err}");
    let d = dossier.unwrap();
    assert_eq!(report_ids(&d), ["good", "page"]);
}

#[test]
fn a_blob_without_spaces_does_not_stall_the_batch() {
    // The repeated-passage check was quadratic in it (300 KB: 43 s).
    let blob = "a".repeat(1_000_000);
    let dir = with_good(&[("blob.txt", blob.as_bytes())]);
    let (result, dossier) = build_in(dir.path(), &[]);
    assert_eq!(result.status.code(), Some(0), "{}", stderr(&result));
    // Read within its budget, not skipped past it.
    assert_eq!(report_ids(&dossier.unwrap()), ["blob", "good"]);
}

#[test]
fn a_report_past_its_time_budget_is_skipped_with_that_reason() {
    let dir = with_good(&[]);
    let (result, dossier) = build_in(dir.path(), &["--report-timeout", "0.000001"]);
    let err = stderr(&result);
    assert_eq!(result.status.code(), Some(1), "{err}");
    assert!(
        err.lines()
            .any(|l| l.contains("good.txt") && l.contains("time budget")),
        "{err}"
    );
    assert!(dossier.is_none());
    let refused = build_raw(
        &dir.path().join("in"),
        &dir.path().join("out"),
        &["--report-timeout", "0"],
    );
    assert_eq!(refused.status.code(), Some(2), "{}", stderr(&refused));
}

#[test]
fn a_full_disk_on_stderr_does_not_stop_the_build() {
    let dir = with_good(&[("empty.txt", b"")]);
    let out = dir.path().join("out");
    let full = fs::OpenOptions::new()
        .write(true)
        .open("/dev/full")
        .unwrap();
    let result = dossier()
        .arg("build")
        .arg(dir.path().join("in"))
        .arg("--out")
        .arg(&out)
        .args(["--no-entities", "--no-claims"])
        .stdin(Stdio::null())
        .stderr(full)
        .output()
        .unwrap();
    // The warning about empty.txt and the account line could not be written: no matter.
    assert_eq!(result.status.code(), Some(0));
    assert_eq!(report_ids(&read_json(&out.join("dossier.json"))), ["good"]);
}

#[test]
fn control_bytes_past_the_binary_check_never_reach_the_page() {
    let mut text = GOOD.repeat(120).into_bytes();
    assert!(text.len() > 8192);
    text.extend_from_slice(b"A late line\0 with a NUL and an escape \x1b[2J in it.\n");
    let dir = tempfile::tempdir().unwrap();
    fs::create_dir(dir.path().join("in")).unwrap();
    fs::write(dir.path().join("in/long.txt"), &text).unwrap();
    let (result, _) = build_in(dir.path(), &[]);
    assert_eq!(result.status.code(), Some(0), "{}", stderr(&result));
    let page = fs::read(dir.path().join("out/index.html")).unwrap();
    assert!(!page.iter().any(|&b| b == 0 || b == 0x1b));
    assert!(String::from_utf8_lossy(&page).contains("A late line with a NUL"));
}

#[test]
fn headline_only_feed_items_are_reports() {
    let lines = [
        r#"{"id": "h1", "title": "UPDATE 2-McDonald's US sales continue to struggle in February"}"#,
        r#"{"id": "h2", "title": "Mt. Gox files for US bankruptcy", "text": "Mt. Gox files for US bankruptcy"}"#,
        r#"[{"id": "h3", "text": "A list of reports on one line."}]"#,
        r#"{"id": "h4"}"#,
    ];
    let dir = tempfile::tempdir().unwrap();
    fs::create_dir(dir.path().join("in")).unwrap();
    fs::write(dir.path().join("in/feed.jsonl"), lines.join("\n")).unwrap();
    let (result, dossier) = build_in(dir.path(), &[]);
    let err = stderr(&result);
    assert_eq!(result.status.code(), Some(0), "{err}");
    let d = dossier.unwrap();
    assert_eq!(report_ids(&d), ["h1", "h2"]);
    let all = sentences(&d);
    assert!(all[0].1.starts_with("UPDATE 2-McDonald's"), "{all:?}");
    assert_eq!(all[1].1, "Mt. Gox files for US bankruptcy");
    for (line, reason) in [
        ("feed.jsonl:3", "got an array"),
        ("feed.jsonl:4", "no `text`, `html` or `title`"),
    ] {
        assert!(
            err.lines().any(|l| l.contains(line) && l.contains(reason)),
            "no warning naming {line} ({reason}) in:\n{err}"
        );
    }
}

#[test]
fn a_log_gets_one_line_per_stage_and_quiet_gets_none() {
    // stderr is a pipe here, as in a log or CI: a redrawn bar would fill it with frames.
    // The same text with one more line break: another file, one text.
    let copy = format!("{GOOD}\n");
    let dir = with_good(&[("copy.txt", copy.as_bytes())]);
    let (result, _) = build_in(dir.path(), &[]);
    let err = stderr(&result);
    assert!(!err.contains("loading models"), "nothing to load: {err}");
    assert!(!err.contains('\r') && !err.contains('\u{1b}'), "{err:?}");
    let lines: Vec<&str> = err.lines().collect();
    assert!(lines.contains(&"dossier: reading reports"), "{err}");
    assert!(
        lines
            .iter()
            .any(|l| l.starts_with("dossier: reading reports: 2 of 2 done in")),
        "{err}"
    );
    // Two copies of one two-sentence text: its sentences are summarised once; the rate is of
    // the reports read, not of the sentence passes the stage counts.
    assert!(
        lines.iter().any(|l| {
            l.starts_with("dossier: analysing stories: 2 of 2 done in")
                && l.ends_with(" reports/s)")
        }),
        "{err}"
    );
    assert!(
        !lines
            .iter()
            .any(|l| l.starts_with("dossier: reading reports:") && l.contains("reports/s")),
        "{err}"
    );
    let (timed, _) = build_in(dir.path(), &["--timings"]);
    let said = stderr(&timed);
    let timings = said
        .lines()
        .find(|l| l.starts_with("dossier: seconds per stage"))
        .unwrap_or_else(|| panic!("no timings in {said}"));
    for stage in ["reading", "grouping", "reuse and summary", "claims"] {
        assert!(timings.contains(stage), "{timings}");
    }
    let (quiet, _) = build_in(dir.path(), &["--quiet"]);
    assert!(!stderr(&quiet).contains("analysing"), "{}", stderr(&quiet));
}
