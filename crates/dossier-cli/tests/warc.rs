//! Web archives as input: each HTML page in a WARC file becomes a report; records that hold no
//! page are summed up in one warning per file; a broken record is named and does not stop the
//! batch.

mod common;

use common::*;
use flate2::write::GzEncoder;
use std::fs;
use std::io::Write;

const QUAY_PAGE: &str = r#"<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<title>Storm surge floods Kelmouth quay as harbour wall gives way</title>
<meta property="article:published_time" content="2024-11-18T06:40:00Z">
</head><body>
<nav><a href="/">Home</a> <a href="/local">Local</a> <a href="/weather">Weather</a></nav>
<article>
<h1>Storm surge floods Kelmouth quay as harbour wall gives way</h1>
<p>A forty-metre section of the old harbour wall at Kelmouth collapsed late on Sunday night,
letting the storm surge pour across the quay and into the ground floors of a dozen fishing
sheds and two restaurants.</p>
<p>The coastguard said the tide peaked at 11.20pm, almost a metre above the forecast height,
as gusts of up to 80mph drove waves over the breakwater for more than three hours.</p>
<p>Harbour master Tomasz Rydel said the wall, built in 1887, had been on the council's repair
list for six years. "We patched it twice last winter and we knew it was tired," he said.
"Tonight the sea simply took the weakest part of it."</p>
<p>Nobody was hurt. Fire crews pumped water out of the lifeboat station, which stayed
operational throughout the night, and the council closed the quay road until engineers can
inspect the remaining sections of the wall.</p>
<p>Fishermen who keep their boats in the inner basin spent the early hours moving gear to
higher ground. Several said they expected to lose at least a week of work while the damage
is cleared.</p>
</article>
<footer>Copyright Kelmouth Gazette. All rights reserved.</footer>
</body></html>"#;

const LIBRARY_PAGE: &str = r#"<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<title>Ashcombe library reopens after two-year restoration</title>
<meta property="article:published_time" content="2024-11-16T09:00:00Z">
</head><body>
<header><a href="/">Ashcombe Courier</a> <a href="/subscribe">Subscribe</a></header>
<article>
<h1>Ashcombe library reopens after two-year restoration</h1>
<p>Ashcombe's Victorian public library reopened its doors on Saturday after a two-year
restoration that replaced the leaking glass dome and rebuilt the children's reading room.</p>
<p>More than four hundred people queued along Mill Street before the doors opened at ten,
and the first book borrowed was a copy of a local history of the town's textile mills.</p>
<p>The project cost 3.2 million pounds, most of it raised from a heritage grant, with the
rest coming from a decade of bake sales, sponsored walks and a bequest from a former
librarian.</p>
<p>Head librarian Ruth Okonjo said the building now had lifts to every floor for the first
time in its history. "For a hundred and twenty years the top gallery was closed to anyone
who could not climb the spiral stairs," she said. "That ends today."</p>
<p>The library will open six days a week, with evening hours on Thursdays for students
preparing for examinations.</p>
</article>
<footer>Ashcombe Courier, 2024</footer>
</body></html>"#;

fn record(kind: &str, n: u32, uri: &str, body: &[u8]) -> Vec<u8> {
    let mut r = format!(
        "WARC/1.1\r\nWARC-Type: {kind}\r\nWARC-Date: 2025-02-03T04:05:06Z\r\n\
         WARC-Record-ID: <urn:uuid:{n:08x}-1f2e-4d3c-8b4a-59687a6b5c4d>\r\n\
         WARC-Target-URI: {uri}\r\nContent-Length: {}\r\n\r\n",
        body.len()
    )
    .into_bytes();
    r.extend_from_slice(body);
    r.extend_from_slice(b"\r\n\r\n");
    r
}

fn response(n: u32, uri: &str, content_type: &str, payload: &[u8]) -> Vec<u8> {
    let mut http = format!(
        "HTTP/1.1 200 OK\r\nServer: nginx\r\nContent-Type: {content_type}\r\n\
         Content-Length: {}\r\n\r\n",
        payload.len()
    )
    .into_bytes();
    http.extend_from_slice(payload);
    record("response", n, uri, &http)
}

const QUAY_URI: &str = "https://kelmouth-gazette.example/local/2024/11/18/harbour-wall";
const LIBRARY_URI: &str = "https://ashcombe-courier.example/news/library-reopens";

/// warcinfo, request, page, image, page: the records a crawl of two pages writes.
fn crawl() -> Vec<Vec<u8>> {
    vec![
        record(
            "warcinfo",
            1,
            "",
            b"software: test-crawler/0.1\r\nformat: WARC File Format 1.1\r\n",
        ),
        record(
            "request",
            2,
            QUAY_URI,
            b"GET /local/2024/11/18/harbour-wall HTTP/1.1\r\nHost: kelmouth-gazette.example\r\n\r\n",
        ),
        response(3, QUAY_URI, "text/html; charset=utf-8", QUAY_PAGE.as_bytes()),
        response(
            4,
            "https://kelmouth-gazette.example/img/quay.png",
            "image/png",
            b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x01",
        ),
        response(5, LIBRARY_URI, "text/html", LIBRARY_PAGE.as_bytes()),
    ]
}

fn gzip(data: &[u8]) -> Vec<u8> {
    let mut e = GzEncoder::new(Vec::new(), flate2::Compression::default());
    e.write_all(data).unwrap();
    e.finish().unwrap()
}

fn reports(d: &serde_json::Value) -> Vec<(String, String, String)> {
    d["reports"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r["source"].as_str().unwrap().to_string(),
                r["id"].as_str().unwrap().to_string(),
                r["published"].as_str().unwrap_or_default().to_string(),
            )
        })
        .collect()
}

#[test]
fn gzipped_warc_one_member_per_record_with_a_truncated_end() {
    let dir = tempfile::tempdir().unwrap();
    let inputs = dir.path().join("in");
    fs::create_dir(&inputs).unwrap();
    let mut warc = Vec::new();
    for r in crawl() {
        warc.extend(gzip(&r));
    }
    let last = gzip(&response(
        6,
        "https://kelmouth-gazette.example/local/cut",
        "text/html",
        QUAY_PAGE.as_bytes(),
    ));
    warc.extend_from_slice(&last[..last.len() * 2 / 3]);
    // Found by the directory walk, beside an ordinary report.
    fs::write(inputs.join("crawl.warc.gz"), &warc).unwrap();
    fs::write(
        inputs.join("wire.txt"),
        "The county council approved a new bus route between Ashcombe and Kelmouth on Monday.\n",
    )
    .unwrap();

    let out = dir.path().join("out");
    let result = build_raw(&inputs, &out, &[]);
    let err = stderr(&result);
    assert_eq!(result.status.code(), Some(0), "{err}");
    assert!(!err.contains("panicked"), "{err}");

    let d = read_json(&out.join("dossier.json"));
    let reports = reports(&d);
    let sources: Vec<&str> = reports.iter().map(|r| r.0.as_str()).collect();
    assert_eq!(sources[..2], [QUAY_URI, LIBRARY_URI], "{reports:?}");
    assert_eq!(
        reports.len(),
        3,
        "the two pages and the text report: {reports:?}"
    );
    assert_eq!(reports[0].1, "00000003-1f2e-4d3c-8b4a-59687a6b5c4d");
    // The publication date comes from the page, not from when the crawler fetched it.
    assert_eq!(reports[0].2, "2024-11-18T06:40:00Z");
    assert_eq!(reports[1].2, "2024-11-16T09:00:00Z");
    let quay = &d["reports"][0]["text"].as_str().unwrap();
    assert!(
        quay.contains("harbour wall at Kelmouth collapsed"),
        "{quay}"
    );
    assert!(
        !quay.contains("HTTP/1.1") && !quay.contains("nginx"),
        "{quay}"
    );

    let warnings: Vec<&str> = err.lines().filter(|l| l.contains("warning")).collect();
    assert!(
        warnings.iter().any(|l| l.contains("crawl.warc.gz:")
            && l.contains("3 records with no page to read")
            && l.contains("1 request")
            && l.contains("1 warcinfo")
            && l.contains("1 non-HTML response")),
        "one summary for the records that hold no page: {err}"
    );
    assert!(
        warnings
            .iter()
            .any(|l| l.contains("crawl.warc.gz#record 6") && l.contains("truncated gzip")),
        "the truncated record is named: {err}"
    );
    assert_eq!(warnings.len(), 2, "{err}");
}

#[test]
fn plain_warc_and_a_broken_one_in_the_same_batch() {
    let dir = tempfile::tempdir().unwrap();
    let plain = dir.path().join("pages.warc");
    fs::write(&plain, crawl().concat()).unwrap();
    let fake = dir.path().join("fake.warc.gz");
    fs::write(&fake, gzip(b"<html><body>not an archive</body></html>")).unwrap();

    let out = dir.path().join("out");
    let result = run(&[
        "build",
        plain.to_str().unwrap(),
        fake.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
    ]);
    let err = stderr(&result);
    assert_eq!(result.status.code(), Some(0), "{err}");
    let d = read_json(&out.join("dossier.json"));
    let sources: Vec<String> = reports(&d).into_iter().map(|r| r.0).collect();
    assert_eq!(sources, [QUAY_URI, LIBRARY_URI]);
    assert!(
        err.lines()
            .any(|l| l.contains("fake.warc.gz") && l.contains("not a WARC file")),
        "{err}"
    );
}

#[test]
fn max_bytes_applies_to_each_page_not_to_the_archive() {
    let dir = tempfile::tempdir().unwrap();
    let plain = dir.path().join("pages.warc");
    let warc = crawl().concat();
    fs::write(&plain, &warc).unwrap();
    let limit = (LIBRARY_PAGE.len() + QUAY_PAGE.len()) / 2;
    assert!(warc.len() > limit);
    let out = dir.path().join("out");
    let result = run(&[
        "build",
        plain.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
        "--max-bytes",
        &limit.to_string(),
    ]);
    let err = stderr(&result);
    assert_eq!(result.status.code(), Some(0), "{err}");
    let d = read_json(&out.join("dossier.json"));
    let sources: Vec<String> = reports(&d).into_iter().map(|r| r.0).collect();
    let (small, big, big_record) = if LIBRARY_PAGE.len() < QUAY_PAGE.len() {
        (LIBRARY_URI, QUAY_URI, 3)
    } else {
        (QUAY_URI, LIBRARY_URI, 5)
    };
    assert_eq!(sources, [small]);
    assert!(
        err.lines().any(|l| l.contains(&format!(
            "pages.warc#record {big_record} ({big}): page too large"
        ))),
        "{err}"
    );
}

#[test]
fn one_page_crawled_under_many_addresses_is_one_story_with_linear_reuse() {
    // A wire story syndicated to many sites: the same page under forty addresses, beside an
    // unrelated page. The copies form one story; each copied sentence points from the oldest
    // copy, rather than every pair of copies being listed (40 x 39 / 2 per sentence).
    const COPIES: u32 = 40;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("syndicated.warc.gz");
    let mut warc = Vec::new();
    for n in 0..COPIES {
        let uri = format!("https://outlet-{n}.example/news/harbour-wall");
        warc.extend(gzip(&response(
            n + 1,
            &uri,
            "text/html",
            QUAY_PAGE.as_bytes(),
        )));
    }
    warc.extend(gzip(&response(
        COPIES + 1,
        LIBRARY_URI,
        "text/html",
        LIBRARY_PAGE.as_bytes(),
    )));
    fs::write(&path, warc).unwrap();
    let d = build(&[&path], &dir.path().join("out"));
    assert_eq!(reports(&d).len(), COPIES as usize + 1);
    let stories = d["stories"].as_array().unwrap();
    let sizes: Vec<usize> = stories
        .iter()
        .map(|s| s["reports"].as_array().unwrap().len())
        .collect();
    assert_eq!(sizes, [COPIES as usize, 1]);
    let quay = &stories[0];
    let first = quay["reports"][0].as_str().unwrap();
    let copied_sentences = quay["reuse"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| {
            r["to"]
                .as_str()
                .unwrap()
                .starts_with(quay["reports"][1].as_str().unwrap())
        })
        .count();
    assert!(copied_sentences >= 5, "{}", quay["reuse"]);
    let reuse = quay["reuse"].as_array().unwrap();
    assert_eq!(reuse.len(), copied_sentences * (COPIES as usize - 1));
    assert!(reuse.iter().all(|r| r["from"]
        .as_str()
        .unwrap()
        .starts_with(&format!("{first}:"))
        && r["similarity"] == 1.0));
    // Every copy is cited where the summary uses its sentence.
    let cites = quay["summary"][0]["cites"].as_array().unwrap();
    assert_eq!(cites.len(), COPIES as usize, "{cites:?}");
}

#[test]
fn the_http_charset_decodes_a_page_that_declares_none() {
    // A windows-1252 page from an old CMS: no <meta charset>, the server's header says what it
    // is. Read as UTF-8 its accented letters and curly quotes would become replacement marks.
    let page = "<html><head><title>Café owner in Sète wins €2m tourism prize</title></head>\
        <body><article><h1>Café owner in Sète wins €2m tourism prize</h1>\
        <p>Hélène Dubœuf, who has run the Café du Môle on the quay at Sète since 1998, was \
        awarded the regional tourism prize on Thursday for turning the old fish market into a \
        covered terrace.</p>\
        <p>“We never expected this,” she said, standing under the market’s restored iron roof. \
        The prize of €2m will pay for a second terrace and for the repair of the quay steps.</p>\
        <p>The jury praised the café’s work with local fishermen, whose catch is served within \
        hours of landing, and its winter opening hours for residents.</p>\
        </article></body></html>";
    let (cp1252, _, unmappable) = encoding_rs::WINDOWS_1252.encode(page);
    assert!(!unmappable && std::str::from_utf8(&cp1252).is_err());
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("legacy.warc");
    fs::write(
        &path,
        response(
            1,
            "https://midi-libre.example/sete/cafe-prize",
            "text/html; charset=windows-1252",
            &cp1252,
        ),
    )
    .unwrap();
    let d = build(&[&path], &dir.path().join("out"));
    let report = &d["reports"][0];
    let text = report["text"].as_str().unwrap();
    assert!(
        text.contains("Hélène Dubœuf")
            && text.contains("Café du Môle")
            && text.contains("We never expected this")
            && text.contains("€2m"),
        "{text}"
    );
    assert!(!text.contains('\u{fffd}'), "{text}");
    assert_eq!(
        report["title"].as_str(),
        Some("Café owner in Sète wins €2m tourism prize")
    );
}

#[test]
fn a_100_mb_page_and_a_short_record_are_named_and_the_next_pages_read() {
    // One gzip member holds a 100 MB page (it compresses to little, so the archive is small);
    // another's Content-Length claims more than the record holds. Both are named; the pages
    // after them are read, and the big page is never held in memory whole.
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("hostile.warc.gz");
    let huge = format!(
        "<html><body><article>{}</article></body></html>",
        "<p>All work and no play makes a dull page.</p>".repeat(2_400_000)
    );
    assert!(huge.len() > 100_000_000);
    let mut short = response(2, QUAY_URI, "text/html", QUAY_PAGE.as_bytes());
    let claimed = format!("Content-Length: {}", short.len());
    let head_end = short.windows(4).position(|w| w == b"\r\n\r\n").unwrap();
    let head = String::from_utf8(short[..head_end].to_vec()).unwrap();
    let real = head
        .lines()
        .find(|l| l.starts_with("Content-Length"))
        .unwrap()
        .to_string();
    let lied = String::from_utf8(short.clone())
        .unwrap()
        .replacen(&real, &claimed, 1);
    short = lied.into_bytes();
    let mut warc = gzip(&response(
        1,
        "https://huge.example/page",
        "text/html",
        huge.as_bytes(),
    ));
    warc.extend(gzip(&short));
    warc.extend(gzip(&response(
        3,
        LIBRARY_URI,
        "text/html",
        LIBRARY_PAGE.as_bytes(),
    )));
    fs::write(&path, warc).unwrap();
    let out = dir.path().join("out");
    let result = run(&[
        "build",
        path.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
        "--no-entities",
        "--no-claims",
    ]);
    let err = stderr(&result);
    assert_eq!(result.status.code(), Some(0), "{err}");
    let sources: Vec<String> = reports(&read_json(&out.join("dossier.json")))
        .into_iter()
        .map(|r| r.0)
        .collect();
    assert_eq!(sources, [LIBRARY_URI]);
    assert!(
        err.contains("hostile.warc.gz#record 1 (https://huge.example/page): page too large"),
        "{err}"
    );
    assert!(
        err.lines()
            .any(|l| l.contains("hostile.warc.gz#record 2") && l.contains("Content-Length")),
        "{err}"
    );
}
