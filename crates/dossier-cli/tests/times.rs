//! `dossier times` and the dates feeds carry: time expressions found and resolved, bad lines
//! named, unreadable publication dates warned about and dropped with the report kept.

mod common;

use common::*;
use serde_json::Value;
use std::fs;
use std::io::Write;
use std::process::Stdio;

#[test]
fn times_tags_each_line_and_names_the_bad_ones() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("docs.jsonl");
    fs::write(
        &file,
        concat!(
            r#"{"doc_id": "a", "text": "Rebels attacked the town on Friday; talks resume next week.", "published": "Tue, 11 Aug 1998 09:00:00 GMT"}"#,
            "\n",
            "{not json\n",
            r#"{"doc_id": "c"}"#,
            "\n",
            r#"{"doc_id": "d", "text": "Prices rose 3% in the third quarter.", "published": "someday"}"#,
            "\n",
        ),
    )
    .unwrap();
    let out = run(&["times", file.to_str().unwrap()]);
    assert!(out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("docs.jsonl:2: invalid JSON"), "{stderr}");
    assert!(
        stderr.contains("docs.jsonl:3:") && stderr.contains("text"),
        "{stderr}"
    );
    assert!(
        stderr.contains("docs.jsonl:4:") && stderr.contains("someday"),
        "{stderr}"
    );
    let lines: Vec<Value> = String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 2);
    let values: Vec<&str> = lines[0]["timex"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["value"].as_str().unwrap())
        .collect();
    // Tuesday 11 August 1998: the Friday before, the week after.
    assert_eq!(values, ["1998-08-07", "1998-W34"]);
    // Without a date the quarter's year stays open.
    assert_eq!(lines[1]["timex"][0]["value"], "XXXX-Q3");
}

/// The TempEval-3 gold file itself (creation dates under `dct`, so nothing is resolved): most
/// gold expressions are found, and every span lies in its text.
#[test]
fn times_finds_the_tempeval_expressions() {
    let gold_path = shared("data/tempeval3/dev.jsonl");
    let out = run(&["times", gold_path.to_str().unwrap()]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let gold: Vec<Value> = fs::read_to_string(&gold_path)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let tagged: Vec<Value> = String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(tagged.len(), gold.len());
    let (mut found, mut total) = (0, 0);
    for (g, t) in gold.iter().zip(&tagged) {
        assert_eq!(g["doc_id"], t["doc_id"]);
        let chars = g["text"].as_str().unwrap().chars().count() as u64;
        let spans: Vec<(u64, u64)> = t["timex"]
            .as_array()
            .unwrap()
            .iter()
            .map(|x| (x["start"].as_u64().unwrap(), x["end"].as_u64().unwrap()))
            .collect();
        assert!(spans.iter().all(|&(s, e)| s < e && e <= chars));
        for x in g["timex"].as_array().unwrap() {
            let (s, e) = (x["start"].as_u64().unwrap(), x["end"].as_u64().unwrap());
            total += 1;
            found += usize::from(spans.iter().any(|&(ps, pe)| ps < e && s < pe));
        }
    }
    assert!(
        found * 10 >= total * 9,
        "{found} of {total} gold expressions found"
    );
}

#[test]
fn a_written_out_date_is_read_and_an_unreadable_one_dropped_with_the_report_kept() {
    let dir = tempfile::tempdir().unwrap();
    let mut child = dossier()
        .args(["build", "-", "--out"])
        .arg(dir.path())
        .args(["--no-entities", "--no-claims", "--one-story"])
        .stdin(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(concat!(
            r#"{"id": "a", "published": "October 27, 1998", "text": "The council approved the budget on Monday after a long debate. It funds two schools."}"#,
            "\n",
            r#"{"id": "b", "published": "the day after", "text": "The mayor signed the budget on Tuesday. It funds two schools and a library."}"#,
            "\n",
        ).as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("<stdin>:2") && stderr.contains("the day after"),
        "{stderr}"
    );
    let d = read_json(&dir.path().join("dossier.json"));
    let reports = d["reports"].as_array().unwrap();
    assert_eq!(reports.len(), 2);
    assert_eq!(reports[0]["published"], "1998-10-27");
    assert_eq!(reports[1]["published"], Value::Null);
    // Tuesday 27 October 1998: Monday is the 26th; the undated report's Tuesday is read
    // against the story's date, the 27th, and marked as inferred.
    let timeline = d["stories"][0]["timeline"].as_array().unwrap();
    let days: Vec<(&str, &str, bool)> = timeline
        .iter()
        .map(|e| {
            (
                e["when"].as_str().unwrap(),
                e["date"].as_str().unwrap_or(""),
                e["inferred"].as_bool().unwrap_or(false),
            )
        })
        .collect();
    assert_eq!(
        days,
        [
            ("Monday", "1998-10-26", false),
            ("Tuesday", "1998-10-27", true)
        ]
    );
}
