use crate::api::prelude::*;
use crate::model::user::User;

/// Reads one user (admins only).
#[utoipa::path(
    tag = "users",
    params(("id" = i64, Path, description = "The user's id.")),
    responses((status = 200, description = "The user; `ETag` carries the version.", body = User), ReadErrors)
)]
#[get("/users/{id}")]
pub async fn find_user(Admin(caller): Admin, db: web::Data<Db>, id: web::Path<i64>) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    let user = db.run_as(&caller, move |conn, _| User::find(conn, id)).await?;
    Ok(with_etag(&user))
}
