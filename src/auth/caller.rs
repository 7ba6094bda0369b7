use std::future::{ready, Ready};

use actix_web::dev::Payload;
use actix_web::http::header;
use actix_web::{web, FromRequest, HttpRequest};

use super::TokenKeys;
use crate::domain::Role;
use crate::error::ApiError;

/// Whoever a valid bearer token says is calling: any role.
#[derive(Debug, Clone)]
pub struct Caller {
    /// The user's id.
    pub user_id: i64,
    /// The username.
    pub username: String,
    /// The role.
    pub role: Role,
    /// The home unit: where rights are scoped.
    pub unit_id: Option<i64>,
}

/// A caller allowed to write: `admin` or `hr`.
#[derive(Debug, Clone)]
pub struct Writer(pub Caller);

/// A caller with the `admin` role.
#[derive(Debug, Clone)]
pub struct Admin(pub Caller);

fn authenticate(req: &HttpRequest) -> Result<Caller, ApiError> {
    let keys = req
        .app_data::<web::Data<TokenKeys>>()
        .ok_or_else(|| ApiError::internal("token keys are not configured"))?;
    let value = req
        .headers()
        .get(header::AUTHORIZATION)
        .ok_or_else(|| ApiError::Unauthorized("an Authorization: Bearer token is required".to_owned()))?;
    let token = value
        .to_str()
        .ok()
        .and_then(|v| v.strip_prefix("Bearer ").or_else(|| v.strip_prefix("bearer ")))
        .map(str::trim)
        .ok_or_else(|| ApiError::Unauthorized("the Authorization header must be `Bearer <token>`".to_owned()))?;
    let claims = keys.verify(token)?;
    let user_id = claims
        .sub
        .parse::<i64>()
        .map_err(|_| ApiError::Unauthorized("the access token names no user".to_owned()))?;
    Ok(Caller {
        user_id,
        username: claims.name,
        role: claims.role,
        unit_id: claims.unit_id,
    })
}

impl FromRequest for Caller {
    type Error = ApiError;
    type Future = Ready<Result<Self, ApiError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        ready(authenticate(req))
    }
}

impl FromRequest for Writer {
    type Error = ApiError;
    type Future = Ready<Result<Self, ApiError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        ready(authenticate(req).and_then(|caller| match caller.role {
            Role::Admin | Role::Hr => Ok(Writer(caller)),
            Role::Auditor => Err(ApiError::Forbidden(
                "auditors read; they cannot change records".to_owned(),
            )),
        }))
    }
}

impl FromRequest for Admin {
    type Error = ApiError;
    type Future = Ready<Result<Self, ApiError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        ready(authenticate(req).and_then(|caller| match caller.role {
            Role::Admin => Ok(Admin(caller)),
            _ => Err(ApiError::Forbidden("only an admin may do this".to_owned())),
        }))
    }
}
