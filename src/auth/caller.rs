use std::future::Future;
use std::pin::Pin;

use actix_web::dev::Payload;
use actix_web::http::header;
use actix_web::{web, FromRequest, HttpRequest};
use diesel::prelude::*;

use super::TokenKeys;
use crate::db::schema::{units, users};
use crate::db::{Db, DbConn};
use crate::domain::Role;
use crate::error::ApiError;
use crate::model::audit::Actor;
use crate::model::unit::Unit;

/// Where a caller's rights reach.
#[derive(Debug, Clone)]
pub enum Scope {
    /// Everywhere: admins and auditors.
    All,
    /// The subtree of one unit: `hr` users.
    Subtree {
        /// The home unit.
        unit_id: i64,
        /// Its materialised path.
        path: String,
    },
}

impl Scope {
    /// Whether the unit at `path` lies in the scope.
    pub fn covers(&self, path: &str) -> bool {
        match self {
            Scope::All => true,
            Scope::Subtree { path: home, .. } => path.starts_with(home.as_str()),
        }
    }

    /// A 403 unless `unit` lies in the scope.
    pub fn check(&self, unit: &Unit) -> Result<(), ApiError> {
        if self.covers(&unit.path) {
            Ok(())
        } else {
            Err(ApiError::Forbidden(format!(
                "unit {} ({}) is outside your unit's subtree",
                unit.id, unit.name
            )))
        }
    }

    /// A 403 unless the unit with this id lies in the scope; a 404 when there is none.
    pub fn check_unit(&self, conn: &mut DbConn, unit_id: i64) -> Result<Unit, ApiError> {
        let unit = Unit::find(conn, unit_id)?;
        self.check(&unit)?;
        Ok(unit)
    }

    /// A 403 unless `unit` lies strictly below the home unit: an `hr` user cannot
    /// change or delete the unit their rights hang from.
    pub fn check_below(&self, unit: &Unit) -> Result<(), ApiError> {
        match self {
            Scope::Subtree { unit_id, .. } if *unit_id == unit.id => Err(ApiError::Forbidden(
                "your own home unit can only be changed by an admin".to_owned(),
            )),
            _ => self.check(unit),
        }
    }

    /// The subtree a list is limited to: the requested unit's (which must be in scope,
    /// else a 403; a 422 on `field` when it does not exist), else the caller's own, else none.
    pub fn within(&self, conn: &mut DbConn, requested: Option<i64>, field: &str) -> Result<Option<String>, ApiError> {
        match (requested, self) {
            (Some(id), _) => {
                let unit = Unit::find_referenced(conn, id, field)?;
                self.check(&unit)?;
                Ok(Some(unit.subtree_pattern()))
            }
            (None, Scope::All) => Ok(None),
            (None, Scope::Subtree { path, .. }) => Ok(Some(format!("{path}%"))),
        }
    }
}

/// Whoever a valid bearer token says is calling, checked against the users table on
/// every request: a disabled user, or one changed since the token was issued, is refused.
#[derive(Debug, Clone)]
pub struct Caller {
    /// The user's id.
    pub user_id: i64,
    /// The username.
    pub username: String,
    /// The role.
    pub role: Role,
    /// The home unit.
    pub unit_id: Option<i64>,
    /// Where the caller's rights reach.
    pub scope: Scope,
}

impl Caller {
    /// The caller as the audit log names them.
    pub fn actor(&self) -> Actor {
        Actor {
            user_id: Some(self.user_id),
            name: self.username.clone(),
        }
    }
}

/// A caller allowed to write: `admin` or `hr` (within their scope).
#[derive(Debug, Clone)]
pub struct Writer(pub Caller);

/// A caller with the `admin` role.
#[derive(Debug, Clone)]
pub struct Admin(pub Caller);

/// A caller who may read the audit log: `admin` or `auditor`.
#[derive(Debug, Clone)]
pub struct Overseer(pub Caller);

/// What each request reads of its user: username, role, home unit, version, disabled, unit path.
type UserRow = (String, Role, Option<i64>, i32, bool, Option<String>);

type CallerFuture<T> = Pin<Box<dyn Future<Output = Result<T, ApiError>>>>;

fn bearer(req: &HttpRequest) -> Result<String, ApiError> {
    let value = req
        .headers()
        .get(header::AUTHORIZATION)
        .ok_or_else(|| ApiError::Unauthorized("an Authorization: Bearer token is required".to_owned()))?;
    value
        .to_str()
        .ok()
        .and_then(|v| v.strip_prefix("Bearer ").or_else(|| v.strip_prefix("bearer ")))
        .map(|t| t.trim().to_owned())
        .ok_or_else(|| ApiError::Unauthorized("the Authorization header must be `Bearer <token>`".to_owned()))
}

fn authenticate(req: &HttpRequest) -> CallerFuture<Caller> {
    let keys = req.app_data::<web::Data<TokenKeys>>().cloned();
    let db = req.app_data::<web::Data<Db>>().cloned();
    let token = bearer(req);
    Box::pin(async move {
        let (keys, db) = keys
            .zip(db)
            .ok_or_else(|| ApiError::internal("the app is missing its token keys or database"))?;
        let claims = keys.verify(&token?)?;
        let user_id = claims
            .sub
            .parse::<i64>()
            .map_err(|_| ApiError::Unauthorized("the access token names no user".to_owned()))?;
        let revoked = || ApiError::Unauthorized("the access token has been revoked: log in again".to_owned());
        let row: Option<UserRow> = db
            .run(move |conn| {
                Ok(users::table
                    .left_join(units::table)
                    .filter(users::id.eq(user_id))
                    .select((
                        users::username,
                        users::role,
                        users::unit_id,
                        users::version,
                        users::disabled,
                        units::path.nullable(),
                    ))
                    .first(conn)
                    .optional()?)
            })
            .await?;
        let (username, role, unit_id, version, disabled, path) = row.ok_or_else(revoked)?;
        if disabled || version != claims.ver {
            return Err(revoked());
        }
        let scope = match (role, unit_id, path) {
            (Role::Hr, Some(unit_id), Some(path)) => Scope::Subtree { unit_id, path },
            (Role::Hr, _, _) => {
                return Err(ApiError::Forbidden(
                    "an hr user without a home unit has no rights".to_owned(),
                ))
            }
            _ => Scope::All,
        };
        Ok(Caller {
            user_id,
            username,
            role,
            unit_id,
            scope,
        })
    })
}

impl FromRequest for Caller {
    type Error = ApiError;
    type Future = CallerFuture<Self>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        authenticate(req)
    }
}

fn with_role<T: 'static>(
    req: &HttpRequest,
    allowed: &'static [Role],
    message: &'static str,
    wrap: fn(Caller) -> T,
) -> CallerFuture<T> {
    let caller = authenticate(req);
    Box::pin(async move {
        let caller = caller.await?;
        if allowed.contains(&caller.role) {
            Ok(wrap(caller))
        } else {
            Err(ApiError::Forbidden(message.to_owned()))
        }
    })
}

impl FromRequest for Writer {
    type Error = ApiError;
    type Future = CallerFuture<Self>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        with_role(
            req,
            &[Role::Admin, Role::Hr],
            "auditors read; they cannot change records",
            Writer,
        )
    }
}

impl FromRequest for Admin {
    type Error = ApiError;
    type Future = CallerFuture<Self>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        with_role(req, &[Role::Admin], "only an admin may do this", Admin)
    }
}

impl FromRequest for Overseer {
    type Error = ApiError;
    type Future = CallerFuture<Self>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        with_role(
            req,
            &[Role::Admin, Role::Auditor],
            "only admins and auditors read the audit log",
            Overseer,
        )
    }
}
