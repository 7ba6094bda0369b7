//! Logs: `RUST_LOG` filters, `CADRE_LOG_FORMAT=json` writes one JSON object a line. Every
//! request has an id — its trusted proxy's `X-Request-Id`, or one made here — which each of
//! its lines carries and its response returns, and ends with one line saying how it was
//! answered (route, status, duration, user).

use std::time::Instant;

use actix_web::body::MessageBody;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::header::{HeaderName, HeaderValue};
use actix_web::{web, HttpMessage};
use tracing::field::Empty;
use tracing::Span;
use tracing_actix_web::RootSpanBuilder;
use tracing_subscriber::EnvFilter;

use crate::auth::TrustedProxies;

/// The header that carries a request's id, both ways.
pub const REQUEST_ID: HeaderName = HeaderName::from_static("x-request-id");

/// The longest request id taken from a proxy.
const LONGEST_ID: usize = 128;

/// A request's id, kept in its extensions.
#[derive(Debug, Clone)]
pub struct RequestId(pub HeaderValue);

/// When a request came in.
#[derive(Debug, Clone, Copy)]
struct Started(Instant);

/// Every request's span: its id, method, route (the template, never the values in the
/// path), and — filled as it goes — the user its token names and, at the end, the status and
/// the duration. The query string is left out: searches carry names and national IDs.
pub struct RequestSpan;

impl RootSpanBuilder for RequestSpan {
    fn on_request_start(request: &ServiceRequest) -> Span {
        let id = request_id(request);
        let route = route_of(request.match_pattern());
        let span = tracing::info_span!(
            "request",
            request_id = id.to_str().unwrap_or(""),
            method = %request.method(),
            route = %route,
            status = Empty,
            duration_ms = Empty,
            user = Empty,
            user_id = Empty,
        );
        request.extensions_mut().insert(RequestId(id));
        request.extensions_mut().insert(Started(Instant::now()));
        span
    }

    fn on_request_end<B: MessageBody>(span: Span, outcome: &Result<ServiceResponse<B>, actix_web::Error>) {
        let (status, started) = match outcome {
            Ok(response) => (
                response.response().status(),
                response.request().extensions().get::<Started>().copied(),
            ),
            Err(error) => (error.as_response_error().status_code(), None),
        };
        span.record("status", status.as_u16());
        if let Some(Started(at)) = started {
            let took = at.elapsed();
            span.record("duration_ms", took.as_secs_f64() * 1000.0);
            if let Ok(response) = outcome {
                let request = response.request();
                if let Some(metrics) = request.app_data::<actix_web::web::Data<crate::metrics::Metrics>>() {
                    let route = route_of(request.match_pattern());
                    metrics.answered(&route, request.method(), status.as_u16(), took);
                }
            }
        }
        let _inside = span.enter();
        if status.is_server_error() {
            tracing::error!("answered");
        } else {
            tracing::info!("answered");
        }
    }
}

/// How logs and metrics name a request's route: the template it matched, never the path
/// (one name per route, whatever the ids in it), or `unmatched`.
fn route_of(pattern: Option<String>) -> String {
    pattern.unwrap_or_else(|| "unmatched".to_owned())
}

/// The id a request goes by: the `X-Request-Id` its peer sent when the peer is a trusted
/// proxy and the id is short, visible ASCII; else a new UUID.
fn request_id(request: &ServiceRequest) -> HeaderValue {
    let trusted = request
        .app_data::<web::Data<TrustedProxies>>()
        .zip(request.peer_addr())
        .is_some_and(|(proxies, peer)| proxies.trust(peer.ip().to_canonical()));
    let sent = request.headers().get(&REQUEST_ID).filter(|id| {
        let bytes = id.as_bytes();
        !bytes.is_empty() && bytes.len() <= LONGEST_ID && bytes.iter().all(|b| b.is_ascii_graphic())
    });
    match sent {
        Some(id) if trusted => id.clone(),
        _ => HeaderValue::from_str(&uuid::Uuid::new_v4().to_string())
            .unwrap_or_else(|_| HeaderValue::from_static("unknown")),
    }
}

/// How log lines are written (`CADRE_LOG_FORMAT`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum LogFormat {
    /// Lines for people (the default); colours only on a terminal.
    #[default]
    Text,
    /// One JSON object a line, for log collectors: time, level, message, the fields, and the
    /// request's span (id, route, status, duration, user).
    Json,
}

impl LogFormat {
    /// `text` or `json`.
    pub fn parse(raw: Option<&str>) -> Result<LogFormat, String> {
        match raw {
            None | Some("text") => Ok(LogFormat::Text),
            Some("json") => Ok(LogFormat::Json),
            Some(other) => Err(format!("CADRE_LOG_FORMAT is text or json, not {other:?}")),
        }
    }
}

/// Installs the global subscriber once, in the format `CADRE_LOG_FORMAT` names; later calls
/// are ignored (tests call it repeatedly). Returns the format's error, if any.
pub fn init() -> Result<(), String> {
    use std::io::IsTerminal;
    let format = LogFormat::parse(
        std::env::var("CADRE_LOG_FORMAT")
            .ok()
            .as_deref()
            .filter(|v| !v.is_empty()),
    )?;
    let filter = EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info"));
    let builder = tracing_subscriber::fmt().with_env_filter(filter).with_target(false);
    let _ = match format {
        LogFormat::Text => builder.with_ansi(std::io::stdout().is_terminal()).try_init(),
        LogFormat::Json => builder
            .json()
            .flatten_event(true)
            .with_current_span(true)
            .with_span_list(false)
            .try_init(),
    };
    Ok(())
}
