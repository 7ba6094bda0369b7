//! Users of the service: who may log in, with which role, scoped to which unit.

use chrono::NaiveDateTime;
use diesel::prelude::*;
use serde::Serialize;
use utoipa::ToSchema;

use super::keyset::{Column, KeyKind, Listed, Order, Window};
use super::UtcTime;
use crate::clock::now;
use crate::db::schema::users;
use crate::db::{lock_row, DbConn, Table};
use crate::domain::Role;
use crate::error::ApiError;

/// A user account. The password hash is never serialized.
#[derive(Debug, Clone, Queryable, Serialize, ToSchema)]
pub struct User {
    /// The user's id.
    pub id: i64,
    /// Login name, unique.
    pub username: String,
    #[serde(skip)]
    pub password_hash: String,
    /// Role: what the user may do.
    pub role: Role,
    /// Home unit: where an `hr` user's rights apply.
    pub unit_id: Option<i64>,
    /// When the record was created (UTC).
    pub created_at: UtcTime,
    /// When the record last changed (UTC).
    pub updated_at: UtcTime,
    /// Version for optimistic concurrency; any change revokes the user's tokens.
    pub version: i32,
    /// A disabled user cannot log in, and their tokens stop working at once.
    pub disabled: bool,
}

/// The fields of a new user.
#[derive(Debug, Insertable)]
#[diesel(table_name = users)]
pub struct NewUser {
    pub username: String,
    pub password_hash: String,
    pub role: Role,
    pub unit_id: Option<i64>,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

/// The fields a PATCH may change.
#[derive(Debug, Default, AsChangeset)]
#[diesel(table_name = users)]
pub struct UserChanges {
    pub username: Option<String>,
    pub password_hash: Option<String>,
    pub role: Option<Role>,
    pub unit_id: Option<Option<i64>>,
    pub disabled: Option<bool>,
}

super::record_reads!(User, users, "user", Table::Users);
super::record_writes!(User, users, "user", NewUser, UserChanges);

impl User {
    /// The user with this username, if any.
    pub fn find_by_username(conn: &mut DbConn, username: &str) -> Result<Option<User>, ApiError> {
        Ok(users::table
            .filter(users::username.eq(username))
            .first(conn)
            .optional()?)
    }

    /// How many users there are.
    pub fn count(conn: &mut DbConn) -> Result<i64, ApiError> {
        Ok(users::table.count().get_result(conn)?)
    }

    /// Inserts a user.
    pub fn create(
        conn: &mut DbConn,
        username: String,
        password_hash: String,
        role: Role,
        unit_id: Option<i64>,
    ) -> Result<User, ApiError> {
        let at = now();
        let new = NewUser {
            username,
            password_hash,
            role,
            unit_id,
            created_at: at,
            updated_at: at,
        };
        User::insert(conn, &new)
    }

    /// Applies a PATCH if the user is still at version `expected`.
    pub fn update(conn: &mut DbConn, current: &User, changes: &UserChanges, expected: i32) -> Result<User, ApiError> {
        User::write(conn, current.id, changes, expected)
    }

    /// Deletes a user at version `expected`.
    pub fn delete(conn: &mut DbConn, id: i64, expected: i32) -> Result<(), ApiError> {
        User::remove(conn, id, expected, "is still referenced")
    }

    /// A page of users, by username (from a cursor's place, or an offset).
    pub fn list(conn: &mut DbConn, role: Option<Role>, window: &Window) -> Result<Listed<User>, ApiError> {
        let build = || {
            let mut query = users::table.into_boxed();
            if let Some(role) = role {
                query = query.filter(users::role.eq(role));
            }
            query
        };
        let total = window.total(|| build().count().get_result(conn))?;
        let order = Order::fixed(
            "username",
            vec![
                Column::asc("users.username", KeyKind::Text),
                Column::asc("users.id", KeyKind::Int),
            ],
        );
        let rows = order
            .apply(build(), window)?
            .then_order_by((users::username.asc(), users::id.asc()))
            .limit(window.rows())
            .offset(window.offset)
            .load(conn)?;
        Ok(order.page(window, rows, total, |user: &User| {
            vec![user.username.as_str().into(), user.id.into()]
        }))
    }
}
