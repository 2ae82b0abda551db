//! The page in a real browser (headless Chromium, Debian's `chromium`): a search narrows the
//! list, a filter hides stories, a citation click scrolls to its sentence, at phone width
//! nothing scrolls sideways, and the export buttons hand over the story's Markdown and CSV.
//! Skipped, with a message, where no Chromium is installed.

mod common;
mod serve_client;

use common::*;
use serde_json::Value;
use std::path::{Path, PathBuf};

/// `$CHROMIUM` (where it names a file; set it to nothing that exists to skip), else the first of Debian's and Google's names found on `PATH`.
fn chromium() -> Option<PathBuf> {
    if let Some(path) = std::env::var_os("CHROMIUM").map(PathBuf::from) {
        return path.is_file().then_some(path);
    }
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .flat_map(|dir| {
            ["chromium", "chromium-browser", "google-chrome"].map(|name| dir.join(name))
        })
        .find(|candidate| candidate.is_file())
}

/// Loads `page` and prints its DOM once its scripts have run.
fn dump_dom(browser: &Path, page: &Path, profile: &Path) -> String {
    let result = std::process::Command::new(browser)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            // The probe page reads the dossier page in its frame: both are files.
            "--allow-file-access-from-files",
            "--virtual-time-budget=10000",
        ])
        .arg(format!("--user-data-dir={}", profile.display()))
        .arg("--dump-dom")
        .arg(format!("file://{}", page.display()))
        .output()
        .expect("chromium runs");
    assert!(result.status.success(), "{}", stderr(&result));
    String::from_utf8(result.stdout).unwrap()
}

/// Opens the dossier page at phone width in a frame, with a search in its address, then acts
/// as a reader would and writes what it saw as JSON.
const PROBE: &str = r##"<!DOCTYPE html><html><body style="margin:0">
<iframe id="page" src="index.html?q=pinochet" style="width:400px;height:700px;border:0"></iframe>
<pre id="seen"></pre>
<script>
document.getElementById("page").onload = function () {
  var d = this.contentDocument, w = this.contentWindow, seen = {};
  var shown = function () {
    return Array.prototype.filter.call(d.querySelectorAll("#list li"), function (li) { return !li.hidden; }).length;
  };
  var set = function (id, value) {
    var field = d.getElementById(id);
    field.value = value;
    field.dispatchEvent(new Event("input", { bubbles: true }));
  };
  seen.total = d.querySelectorAll("#list li").length;
  seen.searched = shown();
  seen.searchedText = d.getElementById("shown").textContent;
  seen.hiddenSections = d.querySelectorAll("section.story[hidden]").length;
  set("q", "");
  seen.cleared = shown();
  set("q", "hun sen");
  seen.typed = shown();
  set("q", "");
  set("outlet", "0");
  seen.oneOutlet = shown();
  set("outlet", "");
  seen.scrollWidth = d.documentElement.scrollWidth;
  seen.clientWidth = d.documentElement.clientWidth;
  // Every link and control outside a folded part takes the keyboard's focus and has a name.
  var unreachable = [];
  d.querySelectorAll("a[href], input, select, button, summary").forEach(function (el) {
    var folded = el.closest("details:not([open])");
    if (folded && el.parentElement !== folded) return;
    el.focus();
    var named = (el.labels && el.labels.length > 0) || el.textContent.trim() !== "";
    if (d.activeElement !== el || !named) unreachable.push(el.outerHTML.slice(0, 80));
  });
  seen.unreachable = unreachable;
  w.scrollTo(0, 0);
  var cite = d.querySelector("section.story:not([hidden]) .summary a.cite");
  var target = d.getElementById(cite.getAttribute("href").slice(1));
  seen.beforeClick = target.getBoundingClientRect().top;
  cite.click();
  seen.hash = w.location.hash;
  seen.afterClick = target.getBoundingClientRect().top;
  seen.height = w.innerHeight;
  // "Also in N other stories" narrows the list to the stories sharing the name.
  var shared = d.querySelector("section.story:not([hidden]) a.shared");
  if (shared) {
    shared.click();
    seen.sharedShown = shown();
    seen.sharedText = shared.textContent;
    seen.entityField = d.getElementById("entity").value;
  }
  // The export buttons hand a data: URL to a link they click; catch it instead of downloading.
  var took = [];
  w.HTMLAnchorElement.prototype.click = function () { took.push([this.download, this.href]); };
  d.querySelector("section.story:not([hidden]) button[data-export=md]").click();
  d.querySelector("section.story:not([hidden]) button[data-export=csv]").click();
  // The downloads are unpacked (gunzipped) before the link is clicked.
  setTimeout(function () {
    seen.downloads = took.map(function (t) {
      var comma = t[1].indexOf(",");
      return [t[0], t[1].slice(0, comma), decodeURIComponent(t[1].slice(comma + 1))];
    });
    document.getElementById("seen").textContent = JSON.stringify(seen);
  }, 1000);
};
</script></body></html>"##;

/// What the probe page wrote into its `<pre id="seen">`, as JSON.
fn seen_by(dom: &str) -> Value {
    let json = dom
        .split_once("<pre id=\"seen\">")
        .and_then(|(_, rest)| rest.split_once("</pre>"))
        .map(|(json, _)| json.replace("&quot;", "\"").replace("&amp;", "&"))
        .unwrap_or_else(|| panic!("the probe saw nothing: {dom}"));
    serde_json::from_str(&json).unwrap_or_else(|e| panic!("{e}: {json}"))
}

#[test]
fn search_filters_citations_and_phone_width_in_chromium() {
    let Some(browser) = chromium() else {
        eprintln!("skipped: no Chromium found (install Debian's `chromium` or set CHROMIUM)");
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let pile = dir.path().join("pile.jsonl");
    duc_pile(&pile, |name| ["d30001", "d30003", "d30006"].contains(&name));
    let out = dir.path().join("out");
    build_raw(&pile, &out, &["--quiet", "--no-claims"]);
    std::fs::write(out.join("probe.html"), PROBE).unwrap();
    let dom = dump_dom(
        &browser,
        &out.join("probe.html"),
        &dir.path().join("profile"),
    );
    let seen = seen_by(&dom);
    let n = |key: &str| {
        seen[key]
            .as_f64()
            .unwrap_or_else(|| panic!("{key}: {seen}"))
    };

    assert!(n("total") >= 3.0, "{seen}");
    assert!(
        n("searched") >= 1.0 && n("searched") < n("total"),
        "the address's search narrows: {seen}"
    );
    assert_eq!(n("hiddenSections"), n("total") - n("searched"), "{seen}");
    assert!(
        seen["searchedText"].as_str().unwrap().contains(" of "),
        "{seen}"
    );
    assert_eq!(n("cleared"), n("total"), "{seen}");
    assert!(
        n("typed") >= 1.0 && n("typed") < n("total"),
        "typing narrows: {seen}"
    );
    assert!(
        n("oneOutlet") >= 1.0 && n("oneOutlet") < n("total"),
        "a filter hides stories: {seen}"
    );
    assert!(
        n("scrollWidth") <= n("clientWidth"),
        "sideways scroll at 400 px: {seen}"
    );
    assert_eq!(
        seen["unreachable"],
        serde_json::json!([]),
        "keyboard: {seen}"
    );
    let downloads = seen["downloads"].as_array().expect("downloads");
    assert_eq!(downloads.len(), 2, "{seen}");
    assert!(
        downloads[0][2].as_str().unwrap().starts_with("# "),
        "{seen}"
    );
    assert!(
        downloads[1][2]
            .as_str()
            .unwrap()
            .starts_with("story,claim,status"),
        "{seen}"
    );
    assert!(
        (2.0..=n("total")).contains(&n("sharedShown")),
        "a shared name's link shows the stories that share it: {seen}"
    );
    assert!(seen["hash"].as_str().unwrap().starts_with("#r"), "{seen}");
    assert!(
        n("beforeClick") >= n("height"),
        "the sentence starts out of view: {seen}"
    );
    // Sub-pixel layout can leave the target a fraction of a pixel above the top.
    assert!(
        (-2.0..n("height")).contains(&n("afterClick")),
        "the click scrolls to it: {seen}"
    );
}

/// Opens the service's story list, as it served it, at phone width in a frame (saved beside the
/// probe: a frame of another origin would be out of the probe's reach), types in its search
/// box letter by letter, and checks what a keyboard reaches.
const SERVE_PROBE: &str = r##"<!DOCTYPE html><html><body style="margin:0">
<iframe id="page" src="list.html" style="width:400px;height:700px;border:0"></iframe>
<pre id="seen"></pre>
<script>
document.getElementById("page").onload = function () {
  var d = this.contentDocument, seen = {};
  var shown = function () {
    return Array.prototype.filter.call(d.querySelectorAll("#list li"), function (li) { return !li.hidden; }).length;
  };
  seen.total = d.querySelectorAll("#list li").length;
  var q = d.getElementById("q");
  ["c", "ch", "che", "ches", "chess"].forEach(function (typed) {
    q.value = typed;
    q.dispatchEvent(new Event("input", { bubbles: true }));
  });
  seen.typed = shown();
  seen.shownText = d.getElementById("shown").textContent;
  seen.links = Array.prototype.map.call(d.querySelectorAll("#list li:not([hidden]) a"), function (a) { return a.getAttribute("href"); });
  // Every control and link is reachable from the keyboard: focusable, and named.
  var unreachable = [];
  d.querySelectorAll("a[href], input, select").forEach(function (el) {
    if (el.closest("[hidden]")) return;
    el.focus();
    var named = (el.labels && el.labels.length > 0) || el.textContent.trim() !== "";
    if (d.activeElement !== el || !named) unreachable.push(el.outerHTML.slice(0, 80));
  });
  seen.unreachable = unreachable;
  seen.skipTarget = !!d.getElementById(d.querySelector("a.skip").getAttribute("href").slice(1));
  seen.scrollWidth = d.documentElement.scrollWidth;
  seen.clientWidth = d.documentElement.clientWidth;
  document.getElementById("seen").textContent = JSON.stringify(seen);
};
</script></body></html>"##;

#[test]
fn the_service_list_searches_as_one_types_in_chromium() {
    let Some(browser) = chromium() else {
        eprintln!("skipped: no Chromium found (install Debian's `chromium` or set CHROMIUM)");
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let server =
        serve_client::Server::start(&dir.path().join("data"), &["--no-entities", "--no-claims"]);
    let reports = [
        ("flood-1", "Floods hit Valencia after record rainfall on Tuesday night, and rescuers searched flooded towns near the city."),
        ("flood-2", "Rescuers in Valencia searched towns flooded by record rainfall as the water began to recede."),
        ("chess-1", "The chess champion kept the world title in a tiebreak match in Singapore, winning the last rapid game."),
        ("port-1", "Dock workers in Rotterdam ended a two-week strike after the port authority agreed to a new pay deal."),
    ];
    let body: Vec<String> = reports
        .iter()
        .map(|(id, text)| serve_client::report(id, text))
        .collect();
    assert_eq!(server.post("/reports", &body.join("\n")).status, 202);
    server.settle();
    let chess = server.story_of("chess-1");
    let list = server.get("/");
    assert_eq!(list.status, 200);
    std::fs::write(dir.path().join("list.html"), list.text()).unwrap();
    std::fs::write(dir.path().join("probe.html"), SERVE_PROBE).unwrap();
    let dom = dump_dom(
        &browser,
        &dir.path().join("probe.html"),
        &dir.path().join("profile"),
    );
    let seen = seen_by(&dom);
    assert!(seen["total"].as_u64() >= Some(3), "{seen}");
    assert_eq!(
        seen["typed"], 1,
        "typing narrows the list to the chess story: {seen}"
    );
    assert_eq!(seen["links"][0], format!("/stories/{chess}.html"), "{seen}");
    assert!(
        seen["shownText"].as_str().unwrap().starts_with("1 of "),
        "{seen}"
    );
    assert_eq!(seen["unreachable"], serde_json::json!([]), "{seen}");
    assert_eq!(seen["skipTarget"], true, "{seen}");
    assert!(
        seen["scrollWidth"].as_f64() <= seen["clientWidth"].as_f64(),
        "sideways scroll at 400 px: {seen}"
    );
}
