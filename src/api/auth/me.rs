use serde::Serialize;

use crate::api::prelude::*;
use crate::domain::Role;

/// Who the token belongs to, and where their rights reach.
#[derive(Debug, Serialize, ToSchema)]
pub struct Me {
    /// The user's id.
    pub user_id: i64,
    /// The username.
    pub username: String,
    /// The role.
    pub role: Role,
    /// The home unit: an `hr` user's rights cover its subtree.
    pub unit_id: Option<i64>,
}

/// The caller: their user, role and home unit.
#[utoipa::path(
    tag = "auth",
    responses((status = 200, description = "The caller.", body = Me), Unauthorized)
)]
#[get("/auth/me")]
pub async fn find_me(caller: Caller, db: web::Data<Db>) -> Result<HttpResponse, ApiError> {
    db.run_as(&caller, |_, _| Ok(())).await?;
    Ok(HttpResponse::Ok().json(Me {
        user_id: caller.user_id,
        username: caller.username,
        role: caller.role,
        unit_id: caller.unit_id,
    }))
}
