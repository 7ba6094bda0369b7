//! `GET /health`, `/health/live` and `/health/ready`: for people, load balancers and
//! orchestrators.

use diesel::connection::SimpleConnection;
use serde::Serialize;

use crate::api::prelude::*;
use crate::db;

/// Whether the service and its database are up.
#[derive(Debug, Serialize, ToSchema)]
pub struct Health {
    /// `ok` or `degraded`.
    pub status: &'static str,
    /// `ok` or `unreachable`.
    pub database: &'static str,
}

/// Liveness and database reachability; no token needed.
#[utoipa::path(
    tag = "health",
    responses(
        (status = 200, description = "The service and its database are up.", body = Health),
        (status = 503, description = "The database is unreachable.", body = Health)
    ),
    // No token: this endpoint is open to anybody.
    security()
)]
#[get("/health")]
pub async fn health(db: web::Data<Db>) -> HttpResponse {
    match db.run(|conn| Ok(conn.batch_execute("SELECT 1")?)).await {
        Ok(()) => HttpResponse::Ok().json(Health {
            status: "ok",
            database: "ok",
        }),
        Err(error) => {
            tracing::warn!(%error, "health check: database unreachable");
            HttpResponse::ServiceUnavailable().json(Health {
                status: "degraded",
                database: "unreachable",
            })
        }
    }
}

/// That the process answers.
#[derive(Debug, Serialize, ToSchema)]
pub struct Liveness {
    /// Always `ok`.
    pub status: &'static str,
}

/// Liveness for an orchestrator: the process answers, whatever its database does (a restart
/// would not mend a database that is down). No token needed.
#[utoipa::path(
    tag = "health",
    responses((status = 200, description = "The process answers.", body = Liveness)),
    security()
)]
#[get("/health/live")]
pub async fn live() -> HttpResponse {
    HttpResponse::Ok().json(Liveness { status: "ok" })
}

/// Whether this instance can serve requests.
#[derive(Debug, Serialize, ToSchema)]
pub struct Readiness {
    /// `ready` or `not_ready`.
    pub status: &'static str,
    /// `ok` or `unreachable`.
    pub database: &'static str,
    /// `applied` (every migration this build knows is in the database), `pending`, or
    /// `unknown` (the database did not answer).
    pub migrations: &'static str,
}

/// Readiness for a load balancer: the database answers and holds every migration this build
/// knows (an instance started beside another that is still migrating waits for it). No
/// token needed.
#[utoipa::path(
    tag = "health",
    responses(
        (status = 200, description = "The database answers and its schema is this build's.", body = Readiness),
        (status = 503, description = "The database is unreachable or migrations are pending.", body = Readiness)
    ),
    security()
)]
#[get("/health/ready")]
pub async fn ready(db: web::Data<Db>) -> HttpResponse {
    let (database, migrations) = match db.run(db::pending_migrations).await {
        Ok(0) => ("ok", "applied"),
        Ok(pending) => {
            tracing::warn!(pending, "readiness: migrations pending");
            ("ok", "pending")
        }
        Err(error) => {
            tracing::warn!(%error, "readiness: database unreachable");
            ("unreachable", "unknown")
        }
    };
    let ready = migrations == "applied";
    let body = Readiness {
        status: if ready { "ready" } else { "not_ready" },
        database,
        migrations,
    };
    if ready {
        HttpResponse::Ok().json(body)
    } else {
        HttpResponse::ServiceUnavailable().json(body)
    }
}
