//! Building the application: database preparation, the HTTP server on its own listener.

use std::net::TcpListener;

use actix_web::body::{BodySize, MessageBody};
use actix_web::dev::{Server, Service, ServiceResponse};
use actix_web::http::header::{self, HeaderValue};
use actix_web::middleware::{Compress, DefaultHeaders};
use actix_web::{web, App, HttpMessage, HttpRequest, HttpResponse, HttpServer, ResponseError};
use rand::distributions::{Alphanumeric, DistString};
use tracing_actix_web::TracingLogger;
use utoipa_actix_web::scope::scope;
use utoipa_actix_web::AppExt;
use utoipa_swagger_ui::SwaggerUi;

use crate::auth::{hash_password, TokenKeys};
use crate::config::Config;
use crate::db::{self, Actor, Db, DbUrl};
use crate::domain::{AuditEntity, Role};
use crate::error::ApiError;
use crate::metrics::Metrics;
use crate::model::user::User;
use crate::openapi::{self, KnownRoutes};
use crate::telemetry::{RequestId, REQUEST_ID};

/// A built, listening server and the port it listens on, with the metrics' server and its
/// port when `CADRE_METRICS_BIND` asks for one.
pub struct Application {
    port: u16,
    server: Server,
    metrics: Option<(u16, Server)>,
}

impl Application {
    /// Prepares the database (migrations, first admin) and binds the listener;
    /// `CADRE_BIND` with port 0 picks a free port (tests do).
    pub fn build(config: &Config) -> Result<Self, String> {
        let metrics = Metrics::new().map_err(|e| format!("metrics: {e}"))?;
        let db = open_then(config, Db::observed(&db_url(config), metrics.pool_events()), |conn| {
            first_admin(conn, config)
        })?;
        if config.jwt_secret_generated {
            tracing::warn!("CADRE_JWT_SECRET is not set: using a random secret, so tokens will not survive a restart");
        }
        let listener = TcpListener::bind(&config.bind).map_err(|e| format!("cannot listen on {}: {e}", config.bind))?;
        let port = listener.local_addr().map_err(|e| e.to_string())?.port();
        let keys = TokenKeys::new(config.jwt_secret.expose().as_bytes(), config.token_ttl_seconds);
        let document = openapi::document();
        let routes = KnownRoutes::from_document(&document);
        let origins = config.cors_origins.clone();
        let proxies = config.trusted_proxies.clone();
        let import_limits = crate::api::imports::ImportLimits::new(config.import_max_bytes);
        // Database work runs on each worker's blocking pool, and never on more threads than
        // there are connections to give them (each idle thread would only keep memory).
        let blocking_threads = db.max_connections();
        let metrics_server = match &config.metrics_bind {
            Some(bind) => {
                let listener = TcpListener::bind(bind)
                    .map_err(|e| format!("cannot listen on {bind} (CADRE_METRICS_BIND): {e}"))?;
                let port = listener.local_addr().map_err(|e| e.to_string())?.port();
                let server =
                    crate::metrics::server(listener, metrics.clone(), db.clone(), config.shutdown_grace_seconds)
                        .map_err(|e| e.to_string())?;
                tracing::info!(port, "metrics served at /metrics");
                Some((port, server))
            }
            None => None,
        };
        let server = HttpServer::new(move || {
            let (app, _) = App::new()
                .into_utoipa_app()
                .app_data(web::Data::new(db.clone()))
                .app_data(web::Data::new(metrics.clone()))
                .app_data(web::Data::new(keys.clone()))
                .app_data(web::Data::new(routes.clone()))
                .app_data(web::Data::new(proxies.clone()))
                .app_data(web::Data::new(import_limits))
                .app_data(web::PathConfig::default().error_handler(path_error))
                .configure(openapi::root)
                .service(scope("/api/v1").configure(openapi::api_v1))
                .split_for_parts();
            app.service(SwaggerUi::new("/docs/{_:.*}").url("/api-docs/openapi.json", document.clone()))
                .service(web::redirect("/docs", "/docs/"))
                .default_service(web::to(unmatched))
                // Compression: `Compress` encodes what the client accepts (br, gzip, deflate, zstd);
                // responses not worth it are marked inside it and the mark taken off outside.
                .wrap_fn(|req, service| {
                    let response = service.call(req);
                    async move {
                        let mut response = response.await?;
                        if !worth_compressing(&response) {
                            response
                                .headers_mut()
                                .insert(header::CONTENT_ENCODING, HeaderValue::from_static("identity"));
                        }
                        Ok(response)
                    }
                })
                .wrap(Compress::default())
                .wrap_fn(|req, service| {
                    let response = service.call(req);
                    async move {
                        let mut response = response.await?;
                        if response.headers().get(header::CONTENT_ENCODING)
                            == Some(&HeaderValue::from_static("identity"))
                        {
                            response.headers_mut().remove(header::CONTENT_ENCODING);
                        }
                        Ok(response)
                    }
                })
                .wrap(cors(&origins))
                .wrap_fn(|req, service| {
                    let policy = content_security_policy(req.path());
                    let response = service.call(req);
                    async move {
                        let mut response = response.await?;
                        response
                            .headers_mut()
                            .insert(header::CONTENT_SECURITY_POLICY, HeaderValue::from_static(policy));
                        Ok(response)
                    }
                })
                .wrap(
                    DefaultHeaders::new()
                        .add((header::X_CONTENT_TYPE_OPTIONS, "nosniff"))
                        .add((header::X_FRAME_OPTIONS, "DENY"))
                        .add((header::CACHE_CONTROL, "no-store")),
                )
                // Every response says which request it answers (the id its log lines carry).
                .wrap_fn(|req, service| {
                    let id = req.extensions().get::<RequestId>().map(|id| id.0.clone());
                    let response = service.call(req);
                    async move {
                        let mut response = response.await?;
                        if let Some(id) = id {
                            response.headers_mut().insert(REQUEST_ID, id);
                        }
                        Ok(response)
                    }
                })
                .wrap(TracingLogger::<crate::telemetry::RequestSpan>::new())
        })
        .worker_max_blocking_threads(blocking_threads)
        // SIGTERM: stop accepting, let requests in flight finish within the grace period.
        .shutdown_timeout(config.shutdown_grace_seconds)
        .listen(listener)
        .map_err(|e| e.to_string())?
        .run();
        tracing::info!(port, backend = ?db_url(config), "listening");
        Ok(Application {
            port,
            server,
            metrics: metrics_server,
        })
    }

    /// The port the server listens on.
    pub fn port(&self) -> u16 {
        self.port
    }

    /// The port `/metrics` is served on, if it is.
    pub fn metrics_port(&self) -> Option<u16> {
        self.metrics.as_ref().map(|(port, _)| *port)
    }

    /// Serves until stopped (both servers stop on the same signal).
    pub async fn run(self) -> std::io::Result<()> {
        match self.metrics {
            Some((_, metrics)) => futures_util::future::try_join(self.server, metrics).await.map(|_| ()),
            None => self.server.await,
        }
    }
}

/// Responses smaller than this go out as they are: compressing them costs more than it saves.
const COMPRESS_FROM_BYTES: u64 = 2048;

/// Whether a response is compressed when the client accepts it: every body of unknown length
/// (the streamed exports) and every one of at least [`COMPRESS_FROM_BYTES`], but for workbooks,
/// which are zip archives already.
fn worth_compressing<B: MessageBody>(response: &ServiceResponse<B>) -> bool {
    let compressed_already = response
        .headers()
        .get(header::CONTENT_TYPE)
        .is_some_and(|kind| kind.as_bytes().eq_ignore_ascii_case(crate::files::XLSX_TYPE.as_bytes()));
    let small = matches!(response.response().body().size(), BodySize::Sized(n) if n < COMPRESS_FROM_BYTES);
    !compressed_already && !small
}

/// Cross-origin access for exactly the configured front-ends; with none configured, no
/// cross-origin request is allowed. (The service's own pages, such as `/docs`, call it from
/// the same origin, which needs no CORS.)
fn cors(origins: &[String]) -> actix_cors::Cors {
    let mut cors = actix_cors::Cors::default()
        .allowed_methods(["GET", "POST", "PATCH", "DELETE"])
        .allowed_headers([
            header::AUTHORIZATION,
            header::CONTENT_TYPE,
            header::ACCEPT,
            header::IF_MATCH,
        ])
        .expose_headers([
            header::ETAG,
            header::LOCATION,
            header::CONTENT_DISPOSITION,
            header::RETRY_AFTER,
            REQUEST_ID,
        ])
        .max_age(3600);
    for origin in origins {
        cors = cors.allowed_origin(origin);
    }
    cors
}

/// What a browser may load and run for a response. The API's JSON and CSV load nothing and
/// may not be framed. The vendored Swagger UI at `/docs` runs its own scripts and styles
/// (it sets inline styles), its icons are data URIs, and it calls the API on this origin;
/// nothing comes from elsewhere, and no page may frame it (clickjacking). `.ci/docs-check`
/// loads the page in headless Chromium under this policy.
fn content_security_policy(path: &str) -> &'static str {
    if path == "/docs" || path.starts_with("/docs/") {
        "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; \
         font-src 'self' data:; connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'"
    } else {
        "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'"
    }
}

fn db_url(config: &Config) -> DbUrl {
    DbUrl::parse(&config.database_url)
}

/// Connects and applies pending migrations.
pub fn open_database(config: &Config) -> Result<Db, String> {
    open_then(config, Db::new(&db_url(config)), |_| Ok(()))
}

/// Connects, applies migrations and creates the first admin when there is no user — under
/// the migrations' lock, so that of instances started at once on an empty database exactly
/// one creates it.
pub fn prepare_database(config: &Config) -> Result<Db, String> {
    open_then(config, Db::new(&db_url(config)), |conn| first_admin(conn, config))
}

/// Connects `db` and applies pending migrations, then `then` under their lock.
fn open_then(config: &Config, db: Db, then: impl FnOnce(&mut db::DbConn) -> Result<(), String>) -> Result<Db, String> {
    let mut conn = db
        .connection()
        .map_err(|_| format!("cannot connect to the database {:?}", db_url(config)))?;
    let applied = db::migrate_then(&mut conn, then).map_err(|e| format!("migrations failed: {e}"))?;
    if applied > 0 {
        tracing::info!(applied, "applied migrations");
    }
    Ok(db)
}

/// Creates the first admin when there is no user: with `CADRE_ADMIN_PASSWORD`, or a
/// generated password printed once.
fn first_admin(conn: &mut db::DbConn, config: &Config) -> Result<(), String> {
    if User::count(conn).map_err(|e| e.to_string())? > 0 {
        return Ok(());
    }
    let (password, generated) = match &config.admin_password {
        Some(secret) => (secret.expose().to_owned(), false),
        None => (Alphanumeric.sample_string(&mut rand::thread_rng(), 20), true),
    };
    let hash = hash_password(&password).map_err(|e| e.to_string())?;
    db::audited(conn, Actor::system(), |conn, audit| {
        let admin = User::create(conn, "admin".to_owned(), hash, Role::Admin, None)?;
        audit.created(AuditEntity::User, admin.id, &admin)
    })
    .map_err(|e| e.to_string())?;
    if generated {
        // Printed once, by design: the only way to learn a generated first password.
        tracing::warn!(
            "created user `admin` with password {password} (shown once; set CADRE_ADMIN_PASSWORD to choose it)"
        );
    } else {
        tracing::info!("created user `admin` with the password from CADRE_ADMIN_PASSWORD");
    }
    Ok(())
}

/// No route matched: a 405 naming the allowed methods when the path exists, else a 404.
/// A path whose parameter does not parse: a 405 when the path names another route that does
/// not take this method (`PATCH /units/download`), else a 404 that says what the parameter takes.
fn path_error(error: actix_web::error::PathError, req: &HttpRequest) -> actix_web::Error {
    let methods = req
        .app_data::<web::Data<KnownRoutes>>()
        .and_then(|routes| routes.allowed(req.path()));
    if let Some(methods) = methods {
        if !methods.iter().any(|m| m == req.method().as_str()) {
            return actix_web::error::InternalError::from_response(error, method_not_allowed(req, &methods)).into();
        }
    }
    let detail = match &error {
        actix_web::error::PathError::Deserialize(e) if e.to_string().contains("variant") => {
            format!("no such record: {e}")
        }
        _ => "no such record: a record's id is a positive whole number".to_owned(),
    };
    ApiError::NotFound(detail).into()
}

/// A 405 naming the methods `path` takes, in `Allow`.
fn method_not_allowed(req: &HttpRequest, methods: &[String]) -> HttpResponse {
    let mut response = ApiError::MethodNotAllowed(format!(
        "{} is not allowed on {}; allowed: {}",
        req.method(),
        req.path(),
        methods.join(", ")
    ))
    .error_response();
    if let Ok(value) = header::HeaderValue::from_str(&methods.join(", ")) {
        response.headers_mut().insert(header::ALLOW, value);
    }
    response
}

async fn unmatched(req: HttpRequest, routes: web::Data<KnownRoutes>) -> HttpResponse {
    match routes.allowed(req.path()) {
        Some(methods) => method_not_allowed(&req, &methods),
        None => ApiError::NotFound(format!("no resource at {}", req.path())).error_response(),
    }
}
