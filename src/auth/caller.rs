use std::future::{ready, Ready};

use actix_web::dev::Payload;
use actix_web::http::header;
use actix_web::{web, FromRequest, HttpMessage, HttpRequest};
use diesel::prelude::*;

use super::TokenKeys;
use crate::db::schema::{units, users};
use crate::db::{Actor, DbConn, Principal};
use crate::domain::Role;
use crate::error::ApiError;
use crate::model::unit::{Subtree, Unit};

/// Where a caller's rights reach.
#[derive(Debug, Clone)]
pub enum Scope {
    /// Everywhere: admins and auditors.
    All,
    /// The subtree of one unit: `hr` users.
    Subtree {
        /// The home unit.
        unit_id: i64,
        /// The home unit and the units below it.
        units: Subtree,
    },
}

impl Scope {
    /// Whether the unit at `path` lies in the scope.
    pub fn covers(&self, path: &str) -> bool {
        match self {
            Scope::All => true,
            Scope::Subtree { units, .. } => units.contains(path),
        }
    }

    /// A 403 unless `unit` lies in the scope.
    pub fn check(&self, unit: &Unit) -> Result<(), ApiError> {
        if self.covers(&unit.path) {
            Ok(())
        } else {
            // Which unit it is, the caller may not know: naming it would tell an hr clerk
            // where people outside their subtree work.
            Err(ApiError::Forbidden(
                "this is outside your unit's subtree, where your rights end".to_owned(),
            ))
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

    /// The subtree a list is limited to: the requested unit's ([`Scope::subtree_of`]),
    /// else the caller's own, else none.
    pub fn within(&self, conn: &mut DbConn, requested: Option<i64>, field: &str) -> Result<Option<Subtree>, ApiError> {
        match (requested, self) {
            (Some(id), _) => self.subtree_of(conn, id, field).map(Some),
            (None, Scope::All) => Ok(None),
            (None, Scope::Subtree { units, .. }) => Ok(Some(units.clone())),
        }
    }

    /// The subtree of the unit a filter names in `field`: a 422 on `field` when there is no
    /// such unit, a 403 when it lies outside the scope.
    pub fn subtree_of(&self, conn: &mut DbConn, unit_id: i64, field: &str) -> Result<Subtree, ApiError> {
        let unit = Unit::find_referenced(conn, unit_id, field)?;
        self.check(&unit)?;
        Ok(unit.subtree())
    }
}

/// Whoever a valid bearer token says is calling. The token alone does not let them in:
/// every database call made for them ([`crate::db::Db::run_as`], [`crate::db::Db::write_as`]) first checks the
/// users table on the same connection ([`Principal::check`]), so that a disabled user, or one
/// changed since the token was issued, is refused at once, with no extra round trip.
#[derive(Debug, Clone)]
pub struct Caller {
    /// The user's id.
    pub user_id: i64,
    /// The username.
    pub username: String,
    /// The role the token was issued for (the check refuses it if the user has changed since).
    pub role: Role,
    /// The home unit the token was issued for.
    pub unit_id: Option<i64>,
    /// The user's record version when the token was issued.
    version: i32,
}

impl Caller {
    /// The user `username` as a caller, for work done in their name outside a request (an
    /// import from the command line with `--as`); the check still runs before the work.
    pub fn of_user(conn: &mut DbConn, username: &str) -> Result<Caller, ApiError> {
        let row: Option<(i64, String, Role, Option<i64>, i32)> = users::table
            .filter(users::username.eq(username))
            .select((users::id, users::username, users::role, users::unit_id, users::version))
            .first(conn)
            .optional()?;
        let (user_id, username, role, unit_id, version) =
            row.ok_or_else(|| ApiError::NotFound(format!("no user is called {username}")))?;
        Ok(Caller {
            user_id,
            username,
            role,
            unit_id,
            version,
        })
    }
}

impl Principal for Caller {
    type Grant = Scope;

    /// The caller as the audit log names them.
    fn actor(&self) -> Actor {
        Actor {
            user_id: Some(self.user_id),
            name: self.username.clone(),
        }
    }

    /// The per-request check against the users table: a 401 when the user is gone, disabled
    /// or changed since the token was issued (role, home unit and password changes bump the
    /// version); otherwise where the caller's rights reach, from the home unit's path now.
    fn check(&self, conn: &mut DbConn) -> Result<Scope, ApiError> {
        let revoked = || ApiError::Unauthorized("the access token has been revoked: log in again".to_owned());
        let row: Option<UserRow> = users::table
            .left_join(units::table)
            .filter(users::id.eq(self.user_id))
            .select((
                users::role,
                users::unit_id,
                users::version,
                users::disabled,
                units::path.nullable(),
            ))
            .first(conn)
            .optional()?;
        let (role, unit_id, version, disabled, path) = row.ok_or_else(revoked)?;
        if disabled || version != self.version || role != self.role || unit_id != self.unit_id {
            return Err(revoked());
        }
        match (role, unit_id, path) {
            (Role::Hr, Some(unit_id), Some(path)) => Ok(Scope::Subtree {
                unit_id,
                units: Subtree::at(path),
            }),
            (Role::Hr, _, _) => Err(ApiError::Forbidden(
                "an hr user without a home unit has no rights".to_owned(),
            )),
            _ => Ok(Scope::All),
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

/// The caller behind a role check.
macro_rules! caller_of {
    ($($role:ident),+) => {
        $(impl From<$role> for Caller {
            fn from($role(caller): $role) -> Caller {
                caller
            }
        })+
    };
}
caller_of!(Writer, Admin, Overseer);

/// What each request reads of its user: role, home unit, version, disabled, the unit's path.
type UserRow = (Role, Option<i64>, i32, bool, Option<String>);

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

/// The caller a request's token names, verified (signature, algorithm, issuer, audience,
/// lifetime) but not yet checked against the users table.
fn authenticate(req: &HttpRequest) -> Result<Caller, ApiError> {
    let keys = req
        .app_data::<web::Data<TokenKeys>>()
        .ok_or_else(|| ApiError::internal("the app is missing its token keys"))?;
    let claims = keys.verify(&bearer(req)?)?;
    let user_id = claims
        .sub
        .parse::<i64>()
        .map_err(|_| ApiError::Unauthorized("the access token names no user".to_owned()))?;
    if let Some(span) = req.extensions().get::<tracing_actix_web::RootSpan>() {
        span.record("user", claims.name.as_str());
        span.record("user_id", user_id);
    }
    Ok(Caller {
        user_id,
        username: claims.name,
        role: claims.role,
        unit_id: claims.unit_id,
        version: claims.ver,
    })
}

impl FromRequest for Caller {
    type Error = ApiError;
    type Future = Ready<Result<Self, ApiError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        ready(authenticate(req))
    }
}

/// The caller, if the role their token was issued for is one of `allowed` (a role change
/// revokes the token, so the database check that follows agrees), else a 403.
fn with_role<T>(
    req: &HttpRequest,
    allowed: &'static [Role],
    message: &'static str,
    wrap: fn(Caller) -> T,
) -> Ready<Result<T, ApiError>> {
    ready(authenticate(req).and_then(|caller| {
        if allowed.contains(&caller.role) {
            Ok(wrap(caller))
        } else {
            Err(ApiError::Forbidden(message.to_owned()))
        }
    }))
}

impl FromRequest for Writer {
    type Error = ApiError;
    type Future = Ready<Result<Self, ApiError>>;

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
    type Future = Ready<Result<Self, ApiError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        with_role(req, &[Role::Admin], "only an admin may do this", Admin)
    }
}

impl FromRequest for Overseer {
    type Error = ApiError;
    type Future = Ready<Result<Self, ApiError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        with_role(
            req,
            &[Role::Admin, Role::Auditor],
            "only admins and auditors read the audit log",
            Overseer,
        )
    }
}
