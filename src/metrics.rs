//! What the service does, counted for Prometheus: requests by route template and status with
//! their latency, the database pool (connections in use and idle, how long requests waited for
//! one, how many waits ran out), logins that failed, were locked or were refused, rows
//! imported, and how long reports took to compute. Served in the Prometheus text format
//! (the `prometheus` crate's encoder) at `/metrics` on an address of its own,
//! `CADRE_METRICS_BIND` — never on the API's, so that it is not public.
//!
//! Each running service has its own registry (a test process runs many services).

use std::time::Duration;

use actix_web::{web, HttpResponse, HttpServer};
use diesel::r2d2::event::{CheckoutEvent, TimeoutEvent};
use prometheus::{
    Encoder, Histogram, HistogramOpts, HistogramVec, IntCounter, IntCounterVec, IntGaugeVec, Opts, Registry,
    TextEncoder,
};

use crate::db::Db;

/// Latency buckets, in seconds: from a cached read (1 ms) to a province's report (10 s).
const BUCKETS: &[f64] = &[
    0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0,
];

/// The service's metrics (cheap to clone: each metric is shared).
#[derive(Clone)]
pub struct Metrics {
    registry: Registry,
    requests: IntCounterVec,
    latency: HistogramVec,
    pool: IntGaugeVec,
    pool_waits: Histogram,
    pool_timeouts: IntCounter,
    logins: IntCounterVec,
    import_rows: IntCounterVec,
    imports: IntCounterVec,
    reports: HistogramVec,
}

impl Metrics {
    pub fn new() -> Result<Self, prometheus::Error> {
        let registry = Registry::new();
        let requests = IntCounterVec::new(
            Opts::new(
                "cadre_http_requests_total",
                "HTTP requests answered, by route template, method and status.",
            ),
            &["route", "method", "status"],
        )?;
        let latency = HistogramVec::new(
            HistogramOpts::new(
                "cadre_http_request_duration_seconds",
                "Time from a request's arrival to its answer, by route template and method.",
            )
            .buckets(BUCKETS.to_vec()),
            &["route", "method"],
        )?;
        let pool = IntGaugeVec::new(
            Opts::new(
                "cadre_db_pool_connections",
                "Database connections of the pool, by state (in_use, idle) and the most it opens (max).",
            ),
            &["state"],
        )?;
        let pool_waits = Histogram::with_opts(
            HistogramOpts::new(
                "cadre_db_pool_wait_seconds",
                "How long each database connection taken from the pool was waited for.",
            )
            .buckets(BUCKETS.to_vec()),
        )?;
        let pool_timeouts = IntCounter::new(
            "cadre_db_pool_timeouts_total",
            "Waits for a database connection that ran out (the request was answered 503).",
        )?;
        let logins = IntCounterVec::new(
            Opts::new(
                "cadre_logins_total",
                "Login attempts by outcome: succeeded, failed (wrong name or password, or disabled), \
                 locked (a failure that set a lock), refused (429 while locked).",
            ),
            &["outcome"],
        )?;
        let import_rows = IntCounterVec::new(
            Opts::new(
                "cadre_import_rows_total",
                "Rows of imported files, by kind and what became of each: created, updated, unchanged, \
                 or checked (a dry run).",
            ),
            &["kind", "result"],
        )?;
        let imports = IntCounterVec::new(
            Opts::new(
                "cadre_imports_total",
                "Imported files by kind and outcome: imported, dry_run, refused (an error in a row).",
            ),
            &["kind", "outcome"],
        )?;
        let reports = HistogramVec::new(
            HistogramOpts::new(
                "cadre_report_duration_seconds",
                "Time to compute a report (reading the database included, laying out the answer not), by report.",
            )
            .buckets(BUCKETS.to_vec()),
            &["report"],
        )?;
        registry.register(Box::new(requests.clone()))?;
        registry.register(Box::new(latency.clone()))?;
        registry.register(Box::new(pool.clone()))?;
        registry.register(Box::new(pool_waits.clone()))?;
        registry.register(Box::new(pool_timeouts.clone()))?;
        registry.register(Box::new(logins.clone()))?;
        registry.register(Box::new(import_rows.clone()))?;
        registry.register(Box::new(imports.clone()))?;
        registry.register(Box::new(reports.clone()))?;
        Ok(Metrics {
            registry,
            requests,
            latency,
            pool,
            pool_waits,
            pool_timeouts,
            logins,
            import_rows,
            imports,
            reports,
        })
    }

    /// A request answered: `route` is the template matched (`/api/v1/officials/{id}`), never
    /// the path itself, so that the labels stay few.
    pub fn answered(&self, route: &str, method: &actix_web::http::Method, status: u16, took: Duration) {
        use actix_web::http::Method;
        // A label per method the API knows; any other a client sends is one label, so that
        // made-up methods cannot grow the series without end.
        let method = match *method {
            Method::GET => "GET",
            Method::POST => "POST",
            Method::PATCH => "PATCH",
            Method::PUT => "PUT",
            Method::DELETE => "DELETE",
            Method::HEAD => "HEAD",
            Method::OPTIONS => "OPTIONS",
            _ => "other",
        };
        self.requests
            .with_label_values(&[route, method, &status.to_string()])
            .inc();
        self.latency
            .with_label_values(&[route, method])
            .observe(took.as_secs_f64());
    }

    /// A login attempt's outcome (`succeeded`, `failed`, `locked`, `refused`).
    pub fn login(&self, outcome: &str) {
        self.logins.with_label_values(&[outcome]).inc();
    }

    /// An import written or checked: its rows by what became of them.
    pub fn imported(&self, kind: &str, dry_run: bool, created: i64, updated: i64, unchanged: i64) {
        let add = |result: &str, n: i64| {
            self.import_rows
                .with_label_values(&[kind, result])
                .inc_by(u64::try_from(n).unwrap_or(0));
        };
        if dry_run {
            add("checked", created + updated + unchanged);
        } else {
            add("created", created);
            add("updated", updated);
            add("unchanged", unchanged);
        }
        self.imports
            .with_label_values(&[kind, if dry_run { "dry_run" } else { "imported" }])
            .inc();
    }

    /// An import refused for errors in its rows.
    pub fn import_refused(&self, kind: &str) {
        self.imports.with_label_values(&[kind, "refused"]).inc();
    }

    /// A report computed.
    pub fn report(&self, report: &str, took: Duration) {
        self.reports.with_label_values(&[report]).observe(took.as_secs_f64());
    }

    /// What the pool's events are counted with ([`Db::observed`]).
    pub fn pool_events(&self) -> PoolEvents {
        PoolEvents {
            waits: self.pool_waits.clone(),
            timeouts: self.pool_timeouts.clone(),
        }
    }

    /// Everything in the Prometheus text format, the pool's state read now.
    pub fn render(&self, db: &Db) -> Result<String, String> {
        let (connections, idle) = db.pool_state();
        self.pool
            .with_label_values(&["in_use"])
            .set(i64::from(connections.saturating_sub(idle)));
        self.pool.with_label_values(&["idle"]).set(i64::from(idle));
        self.pool
            .with_label_values(&["max"])
            .set(i64::try_from(db.max_connections()).unwrap_or(i64::MAX));
        let mut text = Vec::new();
        TextEncoder::new()
            .encode(&self.registry.gather(), &mut text)
            .map_err(|e| e.to_string())?;
        String::from_utf8(text).map_err(|e| e.to_string())
    }
}

/// The pool's checkouts and timeouts, counted as r2d2 reports them.
#[derive(Clone)]
pub struct PoolEvents {
    waits: Histogram,
    timeouts: IntCounter,
}

impl std::fmt::Debug for PoolEvents {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("PoolEvents")
    }
}

impl diesel::r2d2::HandleEvent for PoolEvents {
    fn handle_checkout(&self, event: CheckoutEvent) {
        self.waits.observe(event.duration().as_secs_f64());
    }

    fn handle_timeout(&self, _event: TimeoutEvent) {
        self.timeouts.inc();
    }
}

/// `GET /metrics` on the metrics address.
async fn metrics(metrics: web::Data<Metrics>, db: web::Data<Db>) -> HttpResponse {
    match metrics.render(&db) {
        Ok(text) => HttpResponse::Ok()
            .content_type(TextEncoder::new().format_type())
            .body(text),
        Err(e) => {
            tracing::error!("metrics not rendered: {e}");
            HttpResponse::InternalServerError().finish()
        }
    }
}

/// The server of `/metrics` alone, on `listener`: one worker, nothing else answered (404).
pub fn server(
    listener: std::net::TcpListener,
    metrics: Metrics,
    db: Db,
    shutdown_grace_seconds: u64,
) -> std::io::Result<actix_web::dev::Server> {
    Ok(HttpServer::new(move || {
        actix_web::App::new()
            .app_data(web::Data::new(metrics.clone()))
            .app_data(web::Data::new(db.clone()))
            .route("/metrics", web::get().to(self::metrics))
    })
    .workers(1)
    .shutdown_timeout(shutdown_grace_seconds)
    .listen(listener)?
    .run())
}
