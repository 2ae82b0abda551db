//! A `dossier serve` process on a loopback port and a plain HTTP/1.1 client for it, shared by
//! the service's test files.

#![allow(dead_code)] // each test file uses its own subset

use crate::common;
use serde_json::{json, Value};
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::process::{Child, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

pub struct Server {
    pub child: Child,
    pub addr: String,
    /// What the server wrote to stderr so far, line by line.
    pub log: Arc<Mutex<Vec<String>>>,
}

impl Server {
    /// Starts `dossier serve` on a port the system picks, and waits for the line naming it.
    pub fn start(data: &Path, extra: &[&str]) -> Server {
        let mut child = common::dossier()
            .args(["serve", "--listen", "127.0.0.1:0", "--data"])
            .arg(data)
            .args(extra)
            .stdin(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .expect("dossier serve starts");
        let log = Arc::new(Mutex::new(Vec::new()));
        let mut lines = BufReader::new(child.stderr.take().unwrap()).lines();
        let addr = loop {
            let line = match lines.next() {
                Some(Ok(line)) => line,
                _ => panic!(
                    "the server stopped before saying where it listens: {:?}",
                    log.lock().unwrap()
                ),
            };
            log.lock().unwrap().push(line.clone());
            if let Some(rest) = line.strip_prefix("dossier: serving http://") {
                break rest.split_whitespace().next().unwrap().to_string();
            }
        };
        // Keep draining stderr so the server never blocks on a full pipe.
        let sink = log.clone();
        std::thread::spawn(move || {
            for line in lines.map_while(Result::ok) {
                sink.lock().unwrap().push(line);
            }
        });
        Server { child, addr, log }
    }

    /// Starts `dossier serve` with stderr going to `stderr`, on a free port chosen here, and
    /// waits until it answers.
    pub fn start_quiet(data: &Path, extra: &[&str], stderr: Stdio) -> Server {
        let addr = free_addr();
        let child = common::dossier()
            .args(["serve", "--listen", &addr, "--data"])
            .arg(data)
            .args(extra)
            .stdin(Stdio::null())
            .stderr(stderr)
            .spawn()
            .expect("dossier serve starts");
        let mut server = Server {
            child,
            addr,
            log: Arc::default(),
        };
        let deadline = Instant::now() + Duration::from_secs(60);
        while request(&server.addr, "GET", "/health", b"").is_err() {
            if let Ok(Some(status)) = server.child.try_wait() {
                panic!("the server exited ({status}) before answering");
            }
            assert!(Instant::now() < deadline, "the server never answered");
            std::thread::sleep(Duration::from_millis(50));
        }
        server
    }

    pub fn request(&self, method: &str, path: &str, body: &[u8]) -> Response {
        request(&self.addr, method, path, body).expect("the server answers")
    }

    pub fn get(&self, path: &str) -> Response {
        self.request("GET", path, b"")
    }

    pub fn post(&self, path: &str, body: &str) -> Response {
        self.request("POST", path, body.as_bytes())
    }

    /// Waits until the worker has analysed everything accepted.
    pub fn settle(&self) {
        let deadline = Instant::now() + Duration::from_secs(120);
        loop {
            let health = self.get("/health").json();
            if health["queued"] == 0 {
                return;
            }
            assert!(Instant::now() < deadline, "queue never drained: {health}");
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    pub fn status_of(&self, report: &str) -> Value {
        let r = self.get(&format!("/reports/{report}"));
        assert_eq!(r.status, 200, "report {report}: {}", r.text());
        r.json()
    }

    pub fn story_of(&self, report: &str) -> String {
        let r = self.status_of(report);
        assert_eq!(r["status"], "analysed", "{r}");
        r["story"].as_str().unwrap().to_string()
    }

    pub fn logged(&self) -> String {
        self.log.lock().unwrap().join("\n")
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.child.kill().ok();
        self.child.wait().ok();
    }
}

/// A loopback address no one listens on now (the port is free the moment it is returned).
pub fn free_addr() -> String {
    let probe = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    probe.local_addr().unwrap().to_string()
}

pub struct Response {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl Response {
    pub fn json(&self) -> Value {
        serde_json::from_slice(&self.body)
            .unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.text()))
    }

    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }

    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

pub fn request(addr: &str, method: &str, path: &str, body: &[u8]) -> std::io::Result<Response> {
    let mut stream = TcpStream::connect(addr)?;
    stream.set_read_timeout(Some(Duration::from_secs(60)))?;
    let head = format!(
        "{method} {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\nContent-Length: {}\r\n\r\n",
        body.len()
    );
    stream.write_all(head.as_bytes())?;
    // A server that refuses a body may stop reading it; its answer still comes.
    let _ = stream.write_all(body);
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw)?;
    let split = raw
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .ok_or_else(|| std::io::Error::other("no header end"))?;
    let head = String::from_utf8_lossy(&raw[..split]).into_owned();
    let mut lines = head.split("\r\n");
    let status = lines
        .next()
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|s| s.parse().ok())
        .ok_or_else(|| std::io::Error::other("no status"))?;
    let headers: Vec<(String, String)> = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(n, v)| (n.trim().to_string(), v.trim().to_string()))
        .collect();
    let mut body = raw[split + 4..].to_vec();
    let chunked = headers.iter().any(|(n, v)| {
        n.eq_ignore_ascii_case("transfer-encoding") && v.eq_ignore_ascii_case("chunked")
    });
    if chunked {
        body = dechunk(&body);
    }
    Ok(Response {
        status,
        headers,
        body,
    })
}

fn dechunk(mut data: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    loop {
        let line_end = data.windows(2).position(|w| w == b"\r\n").unwrap();
        let size = usize::from_str_radix(
            std::str::from_utf8(&data[..line_end])
                .unwrap()
                .split(';')
                .next()
                .unwrap()
                .trim(),
            16,
        )
        .unwrap();
        if size == 0 {
            return out;
        }
        let start = line_end + 2;
        out.extend_from_slice(&data[start..start + size]);
        data = &data[start + size + 2..];
    }
}

pub fn report(id: &str, text: &str) -> String {
    json!({ "id": id, "text": text }).to_string()
}

/// A report of made-up words, so that each is its own small story: for tests about storage and
/// load, where one story re-analysed at every batch would only slow them.
pub fn filler(id: &str, seed: usize) -> String {
    let words: Vec<String> = (0..8)
        .map(|w| format!("w{:x}", (seed * 101 + w) as u64 * 2_654_435_761))
        .collect();
    report(id, &format!("Desk notice {seed}: {}.", words.join(" ")))
}
