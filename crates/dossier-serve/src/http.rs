//! Routes. Handlers run store calls on the blocking pool: SQLite calls block, and a commit waits
//! for the disk.

use crate::log::log;
use crate::{shutdown_signal, Error, Full, Shared};
use axum::body::Bytes;
use axum::extract::{DefaultBodyLimit, Path, Query, State};
use axum::http::{header, StatusCode};
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use dossier::ingest::{self, Content, RawDoc};
use dossier::model::{Dossier, Report, Story, CONTRACT_VERSION};
use dossier::render;
use dossier::store::{self, ReportState, Store, StoryHead};
use serde::Deserialize;
use serde_json::{json, Value};
use std::fmt::Write;
use std::net::SocketAddr;
use std::sync::Arc;

type AppState = State<Arc<Shared>>;

pub(crate) async fn serve(addr: SocketAddr, shared: Arc<Shared>) -> Result<(), Error> {
    let max_body = shared.max_body;
    let app = Router::new()
        .route("/", get(index))
        .route("/health", get(health))
        .route("/openapi.json", get(openapi))
        .route("/reports", post(post_reports))
        .route("/reports/html", post(post_html))
        .route("/reports/{id}", get(get_report))
        .route("/stories", get(list_stories))
        .route("/stories/{id}", get(get_story))
        .layer(DefaultBodyLimit::max(max_body))
        .with_state(shared);
    let listener = tokio::net::TcpListener::bind(addr).await?;
    // The bound address (port 0 picks one) is the line tests and scripts wait for.
    log!("serving http://{} (Ctrl-C stops)", listener.local_addr()?);
    axum::serve(listener, app)
        .with_graceful_shutdown(shutdown_signal())
        .await?;
    Ok(())
}

fn error(status: StatusCode, message: impl Into<String>) -> Response {
    (status, Json(json!({ "error": message.into() }))).into_response()
}

fn internal(e: impl std::fmt::Display) -> Response {
    log!("error: {e}");
    error(
        StatusCode::INTERNAL_SERVER_ERROR,
        format!("store error: {e}"),
    )
}

/// Runs a store call off the async threads.
async fn blocking<T: Send + 'static>(
    shared: &Arc<Shared>,
    f: impl FnOnce(&Shared) -> store::Result<T> + Send + 'static,
) -> Result<T, Response> {
    let shared = shared.clone();
    tokio::task::spawn_blocking(move || f(&shared))
        .await
        .map_err(internal)?
        .map_err(internal)
}

async fn post_reports(State(shared): AppState, body: Bytes) -> Response {
    if body.iter().all(u8::is_ascii_whitespace) {
        return error(
            StatusCode::BAD_REQUEST,
            "empty body: send one JSON report or JSON Lines",
        );
    }
    // One pretty-printed object is one report too, not a pile of broken lines; a JSON array is
    // a list of reports, one per element (named `body:N` by its position if it is refused).
    let lines = match serde_json::from_slice::<Value>(&body) {
        Ok(v @ Value::Object(_)) => serde_json::to_vec(&v).expect("JSON re-serialises"),
        Ok(Value::Array(items)) if items.is_empty() => {
            return error(
                StatusCode::BAD_REQUEST,
                "an empty JSON array holds no report",
            );
        }
        Ok(Value::Array(items)) => items
            .iter()
            .map(|item| serde_json::to_string(item).expect("JSON re-serialises"))
            .collect::<Vec<_>>()
            .join("\n")
            .into_bytes(),
        _ => body.to_vec(),
    };
    let ingested = ingest::json_lines("body", &lines[..], shared.max_body as u64);
    accept(shared, ingested.docs, ingested.skipped).await
}

#[derive(Deserialize)]
struct PageParams {
    url: Option<String>,
    id: Option<String>,
    title: Option<String>,
    published: Option<String>,
    source: Option<String>,
}

async fn post_html(
    State(shared): AppState,
    Query(params): Query<PageParams>,
    body: Bytes,
) -> Response {
    if body.iter().all(u8::is_ascii_whitespace) {
        return error(StatusCode::BAD_REQUEST, "empty body: send the page's HTML");
    }
    // The same check as a file given to `build`: what cannot be a page is refused at the door,
    // not accepted and skipped later.
    if let Err(reason) = ingest::check_payload(&body) {
        return error(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            format!("{reason}: /reports/html takes a web page's HTML"),
        );
    }
    let doc = RawDoc {
        source: params.url.clone().unwrap_or_else(|| "body".to_string()),
        id: params.id.unwrap_or_default(),
        content: Content::Html(body.to_vec()),
        title: params.title,
        url: params.url,
        published: params.published,
        outlet: params.source,
    };
    accept(shared, vec![doc], vec![]).await
}

async fn accept(shared: Arc<Shared>, docs: Vec<RawDoc>, skipped: Vec<ingest::Skipped>) -> Response {
    let skipped: Vec<Value> = skipped
        .into_iter()
        .map(|s| json!({ "input": s.input, "reason": s.reason }))
        .collect();
    if docs.is_empty() {
        let first = skipped
            .first()
            .and_then(|s| s["reason"].as_str())
            .unwrap_or("no report");
        return (
            StatusCode::BAD_REQUEST,
            Json(json!({ "error": format!("no report accepted: {first}"), "skipped": skipped })),
        )
            .into_response();
    }
    match blocking(&shared, move |s| s.accept(docs)).await {
        Ok(Ok(accepted)) => (
            StatusCode::ACCEPTED,
            Json(json!({ "accepted": accepted, "skipped": skipped })),
        )
            .into_response(),
        Ok(Err(full)) => queue_full(&shared, &full),
        Err(r) => r,
    }
}

fn queue_full(shared: &Shared, full: &Full) -> Response {
    let message = format!(
        "the queue holds {} reports, at its limit of {} (--max-queue): nothing was stored; \
         retry after {} s",
        full.queued, shared.max_queue, full.retry_after
    );
    let mut response = error(StatusCode::SERVICE_UNAVAILABLE, message);
    response
        .headers_mut()
        .insert(header::RETRY_AFTER, full.retry_after.into());
    response
}

async fn get_report(State(shared): AppState, Path(id): Path<String>) -> Response {
    let lookup = id.clone();
    match blocking(&shared, move |s| s.read(|st| st.report(&lookup))).await {
        Ok(None) => error(StatusCode::NOT_FOUND, format!("no report {id:?}")),
        Ok(Some(ReportState::Queued)) => {
            Json(json!({ "id": id, "status": "queued" })).into_response()
        }
        Ok(Some(ReportState::Skipped { reason })) => {
            Json(json!({ "id": id, "status": "skipped", "reason": reason })).into_response()
        }
        Ok(Some(ReportState::Analysed { report, story })) => Json(json!({
            "id": id, "status": "analysed", "story": story, "report": report
        }))
        .into_response(),
        Err(r) => r,
    }
}

#[derive(Deserialize)]
struct Page {
    offset: Option<u64>,
    limit: Option<u64>,
}

const PAGE: u64 = 50;
const MAX_PAGE: u64 = 500;

async fn page_of(
    shared: &Arc<Shared>,
    page: &Page,
) -> Result<(Vec<StoryHead>, u64, u64), Response> {
    // Past the stories SQLite can count is past the end: an empty page, not the first one.
    let offset = page.offset.unwrap_or(0).min(i64::MAX as u64);
    let limit = page.limit.unwrap_or(PAGE).clamp(1, MAX_PAGE);
    // One more than asked tells whether there is a next page.
    let heads = blocking(shared, move |s| s.read(|st| st.stories(offset, limit + 1))).await?;
    Ok((heads, offset, limit))
}

async fn list_stories(State(shared): AppState, Query(page): Query<Page>) -> Response {
    match page_of(&shared, &page).await {
        Ok((mut heads, offset, limit)) => {
            let next = (heads.len() as u64 > limit).then_some(offset.saturating_add(limit));
            heads.truncate(limit as usize);
            Json(json!({ "stories": heads, "offset": offset, "limit": limit, "next": next }))
                .into_response()
        }
        Err(r) => r,
    }
}

/// `/stories/{id}` (JSON) and `/stories/{id}.html` (the page) share the lookup and redirects.
async fn get_story(State(shared): AppState, Path(id): Path<String>) -> Response {
    let (id, html) = match id.strip_suffix(".html") {
        Some(bare) => (bare.to_string(), true),
        None => (id, false),
    };
    let lookup = id.clone();
    let found = blocking(&shared, move |s| {
        s.read(|st| {
            let Some(story) = st.story(&lookup)? else {
                return Ok(Err(st.redirect(&lookup)?));
            };
            let reports = st.reports(&story.reports)?;
            Ok(Ok(Dossier {
                version: CONTRACT_VERSION,
                reports,
                stories: vec![story],
            }))
        })
    })
    .await;
    match found {
        Err(r) => r,
        Ok(Err(Some(survivor))) => {
            let suffix = if html { ".html" } else { "" };
            Redirect::permanent(&format!("/stories/{}{suffix}", path_segment(&survivor)))
                .into_response()
        }
        Ok(Err(None)) => error(StatusCode::NOT_FOUND, format!("no story {id:?}")),
        Ok(Ok(dossier)) if html => Html(story_page(&dossier)).into_response(),
        Ok(Ok(dossier)) => Json(dossier).into_response(),
    }
}

/// 200 while the worker runs and the queue is under its limit; 503 with the reason otherwise, so
/// that a load balancer or a supervisor sees what a client would meet.
async fn health(State(shared): AppState) -> Response {
    let counts = match blocking(&shared, |s| s.read(|st| st.counts())).await {
        Ok(c) => c,
        Err(r) => return r,
    };
    let worker = shared.worker();
    let problem = if worker.state != "running" {
        Some(format!(
            "the analysis worker is {}: {}",
            worker.state,
            worker.reason.as_deref().unwrap_or("no reason given")
        ))
    } else if counts.queued >= shared.max_queue {
        Some(format!(
            "the queue holds {} reports, at its limit of {}: new reports are refused",
            counts.queued, shared.max_queue
        ))
    } else {
        None
    };
    let mut body = json!({
        "status": if problem.is_some() { "unavailable" } else { "ok" },
        "accepted": counts.accepted,
        "queued": counts.queued,
        "max_queue": shared.max_queue,
        "stories": counts.stories,
        "worker": worker,
        "log_lines_lost": crate::log::LOST.load(std::sync::atomic::Ordering::Relaxed),
    });
    match problem {
        Some(reason) => {
            body["reason"] = json!(reason);
            (StatusCode::SERVICE_UNAVAILABLE, Json(body)).into_response()
        }
        None => Json(body).into_response(),
    }
}

async fn openapi() -> Response {
    (
        [(header::CONTENT_TYPE, "application/json")],
        include_str!("openapi.json"),
    )
        .into_response()
}

/// Story ids are made by the engine (`story-` and hex), but a link is built as if they were
/// not: anything outside the unreserved set is percent-encoded.
fn path_segment(id: &str) -> String {
    let mut out = String::with_capacity(id.len());
    for b in id.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~') {
            out.push(b as char);
        } else {
            let _ = write!(out, "%{b:02X}");
        }
    }
    out
}

/// The stories of one page of the list, newest activity first, with the same search box and
/// filters as a build's `index.html` (the batch renderer writes both): they answer as one
/// types, over the stories of this page (`?limit=` up to 500).
async fn index(State(shared): AppState, Query(page): Query<Page>) -> Response {
    let (mut heads, offset, limit) = match page_of(&shared, &page).await {
        Ok(p) => p,
        Err(r) => return r,
    };
    let more = heads.len() as u64 > limit;
    heads.truncate(limit as usize);
    let after = paging(heads.is_empty() && offset == 0, offset, limit, more);
    let listed = blocking(&shared, move |s| s.read(|st| stories_of(st, &heads))).await;
    let (reports, stories) = match listed {
        Ok(found) => found,
        Err(r) => return r,
    };
    let href = |id: &str| format!("/stories/{}.html", path_segment(id));
    let mut out = Vec::new();
    match render::html::write_list(&reports, &stories, &href, &after, &mut out) {
        Ok(()) => Html(String::from_utf8_lossy(&out).into_owned()).into_response(),
        Err(e) => internal(e),
    }
}

/// The listed stories and their reports, in the list's order; a story merged away since the
/// list was read is left out.
fn stories_of(st: &Store, heads: &[StoryHead]) -> store::Result<(Vec<Report>, Vec<Story>)> {
    let mut reports = Vec::new();
    let mut stories = Vec::new();
    for head in heads {
        if let Some(story) = st.story(&head.id)? {
            reports.extend(st.reports(&story.reports)?);
            stories.push(story);
        }
    }
    Ok((reports, stories))
}

/// Links to the newer and older pages of the list (and a note when there is nothing yet).
fn paging(empty: bool, offset: u64, limit: u64, more: bool) -> String {
    let mut out = String::from("<nav class=\"pages\">");
    if empty {
        out.push_str("<p>No stories yet. POST reports to <code>/reports</code>.</p>");
    }
    if offset > 0 {
        let newer = offset.saturating_sub(limit);
        let _ = write!(
            out,
            "<a href=\"/?offset={newer}&amp;limit={limit}\">Newer</a> "
        );
    }
    if more {
        let older = offset.saturating_add(limit);
        let _ = write!(
            out,
            "<a href=\"/?offset={older}&amp;limit={limit}\">Older</a>"
        );
    }
    out.push_str("</nav>");
    out
}

/// The batch page for a one-story dossier, with a way back to the list.
fn story_page(dossier: &Dossier) -> String {
    let page = render::html::render(dossier);
    page.replacen(
        "<body>\n",
        "<body>\n<p><a href=\"/\">← All stories</a></p>\n",
        1,
    )
}
