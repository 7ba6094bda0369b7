//! `/users`: accounts, managed by admins only. Passwords are write-only.

mod create;
mod delete;
mod get;
mod list;
mod unlock;
mod update;

pub use create::*;
pub use delete::*;
pub use get::*;
pub use list::*;
pub use unlock::*;
pub use update::*;

use crate::db::DbConn;
use crate::domain::Role;
use crate::error::{ApiError, Checks};
use crate::model::unit::Unit;

/// The shortest password accepted.
pub const MIN_PASSWORD_LEN: u64 = 10;

/// An `hr` user needs a home unit, which must exist.
pub(crate) fn check_scope(
    conn: &mut DbConn,
    checks: &mut Checks,
    role: Option<Role>,
    unit_id: Option<i64>,
) -> Result<(), ApiError> {
    checks.check(
        role == Some(Role::Hr) && unit_id.is_none(),
        "unit_id",
        "is required for an hr user: their rights are scoped to it",
    );
    checks.reference(unit_id.map(|id| Unit::find_referenced(conn, id, "unit_id")))?;
    Ok(())
}
