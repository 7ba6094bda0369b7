use crate::api::prelude::*;
use crate::domain::Role;
use crate::model::user::User;

/// Filters of `GET /users`.
#[derive(Debug, Deserialize, Validate, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct UserListQuery {
    /// Only users with this role.
    pub role: Option<Role>,
}

/// Lists users by username (admins only).
#[utoipa::path(
    tag = "users",
    params(PageQuery, UserListQuery),
    responses((status = 200, description = "A page of users.", body = Page<User>), ListErrors)
)]
#[get("/users")]
pub async fn list_users(
    Admin(caller): Admin,
    db: web::Data<Db>,
    Paged(page, query): Paged<UserListQuery>,
) -> Result<HttpResponse, ApiError> {
    list_records(&db, &caller, page, move |conn, _, window| {
        User::list(conn, query.role, window)
    })
    .await
}
