//! `GET /health`: liveness and the database.

use diesel::connection::SimpleConnection;
use serde::Serialize;

use crate::api::prelude::*;

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
