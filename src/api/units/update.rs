use super::create::check_lifespan;
use crate::api::prelude::*;
use crate::domain::{fold, UnitKind};
use crate::model::unit::{Unit, UnitChanges};

patch_body! {
    /// The body of `PATCH /units/{id}`: the fields to change; `null` clears a nullable one.
    pub struct UpdateUnit {
        /// Unique code.
        code: set Code,
        /// Name.
        name: set Name,
        /// Kind of unit.
        kind: set UnitKind,
        /// The new parent (moves the whole subtree); `null` makes it a root.
        parent_id: clearable i64,
        /// When the unit was established.
        established_on: clearable Day,
        /// When it was dissolved.
        dissolved_on: clearable Day,
    }
}

update_handler! {
    /// Changes a unit (for an `hr` user, one below their home unit, staying within their subtree).
    /// With `If-Match`, only if it is still at that version.
    fn update_unit("/units/{id}") for Writer, body UpdateUnit => Unit;
    tag "units", id "The unit's id.", changed "The changed unit.";
    write change_unit;
}

/// The change itself: what the handler runs in its transaction, and what an import runs for a
/// row that changes a stored record.
pub(crate) fn change_unit(
    conn: &mut crate::db::DbConn,
    audit: &mut crate::db::Audit,
    scope: &Scope,
    id: i64,
    if_match: IfMatch,
    body: UpdateUnit,
) -> Result<Unit, ApiError> {
    // A move locks the tree before the unit (the order every tree write takes).
    if body.parent_id.is_some() {
        Unit::lock_tree(conn)?;
    }
    let current = Unit::lock(conn, id)?;
    scope.check_below(&current)?;
    match body.parent_id {
        Some(Some(parent)) => {
            if let Ok(parent) = Unit::find_referenced(conn, parent, "parent_id") {
                scope.check(&parent)?;
            }
        }
        Some(None) if !matches!(scope, Scope::All) => {
            return Err(ApiError::Forbidden("only an admin may make a unit a root".to_owned()))
        }
        _ => {}
    }
    let mut checks = Checks::default();
    check_lifespan(
        &mut checks,
        body.established_on.unwrap_or(current.established_on),
        body.dissolved_on.unwrap_or(current.dissolved_on),
    );
    checks.finish()?;
    let name = body.name.map(Name::into_inner);
    let changes = UnitChanges {
        code: body.code.map(Code::into_inner),
        search_name: name.as_deref().map(fold),
        name,
        kind: body.kind,
        parent_id: body.parent_id,
        established_on: body.established_on,
        dissolved_on: body.dissolved_on,
    };
    let unit = Unit::update(conn, &current, changes, if_match.expected(current.version))?;
    audit.updated(AuditEntity::Unit, id, &current, &unit)?;
    Ok(unit)
}
