//! `/officials`: people, their assignment history, their ranks and their qualifications.

mod add_qualification;
mod assignments;
mod create;
mod delete;
mod get;
mod list;
mod qualifications;
mod ranks;
mod record;
mod remove_qualification;
mod separate;
mod training;
mod transfer;
mod update;

pub use add_qualification::*;
pub use assignments::*;
pub use create::*;
pub use delete::*;
pub use get::*;
pub use list::*;
pub use qualifications::*;
pub use ranks::*;
pub use record::*;
pub use remove_qualification::*;
pub use separate::*;
pub use training::*;
pub use transfer::*;
pub use update::*;

use chrono::NaiveDate;

use crate::auth::Scope;
use crate::db::DbConn;
use crate::domain::Category;
use crate::error::{ApiError, Checks};
use crate::model::official::Official;
use crate::model::position::Position;
use crate::model::unit::Unit;

/// The official with this id, when the caller's scope reaches their current unit (else a 403).
pub(crate) fn official_in_reach(conn: &mut DbConn, scope: &Scope, id: i64) -> Result<Official, ApiError> {
    let official = Official::find(conn, id)?;
    // Every official's unit exists (a foreign key): only a subtree scope needs to read it.
    if let Scope::Subtree { .. } = scope {
        scope.check_unit(conn, official.unit_id)?;
    }
    Ok(official)
}

/// The official with this id, locked_official for the rest of the write transaction (see
/// [`Official::lock`]), when the caller's scope reaches their current unit (else a 403).
pub(crate) fn locked_official(conn: &mut DbConn, scope: &Scope, id: i64) -> Result<Official, ApiError> {
    let official = Official::lock(conn, id)?;
    if let Scope::Subtree { .. } = scope {
        scope.check_unit(conn, official.unit_id)?;
    }
    Ok(official)
}

/// Checks that a unit and position exist — the unit on `day`, the first day the person is
/// placed there, since nobody can work in a unit before it was established or after it was
/// dissolved — and settles the category: the one given, else the position's. Problems are
/// added to `checks` under the field names.
pub(crate) fn resolve_post(
    conn: &mut DbConn,
    checks: &mut Checks,
    unit_id: Option<i64>,
    position_id: Option<i64>,
    category: Option<Category>,
    day: NaiveDate,
) -> Result<Option<Category>, ApiError> {
    let unit = unit_id.map(|id| Unit::find_referenced(conn, id, "unit_id"));
    let position = position_id.map(|id| Position::find_referenced(conn, id, "position_id"));
    check_post(checks, unit, position, category, day).map(|(_, category)| category)
}

/// [`resolve_post`] on the unit and position already read (by the caller, or from what an
/// import loaded once): the unit, when there is one, and the category.
pub(crate) fn check_post(
    checks: &mut Checks,
    unit: Option<Result<Unit, ApiError>>,
    position: Option<Result<Position, ApiError>>,
    category: Option<Category>,
    day: NaiveDate,
) -> Result<(Option<Unit>, Option<Category>), ApiError> {
    let unit = checks.reference(unit)?;
    if unit.as_ref().is_some_and(|unit| !unit.exists_on(day)) {
        checks.add(
            "unit_id",
            format!("does not exist on {day}: it was not yet established, or already dissolved"),
        );
    }
    let position = checks.reference(position)?;
    Ok((unit, category.or(position.map(|p| p.category))))
}
