use crate::api::prelude::*;
use crate::domain::{fold, Category, EducationLevel, PoliticalTheoryLevel, StateManagementLevel};
use crate::model::position::{Position, PositionChanges};

patch_body! {
    /// The body of `PATCH /positions/{id}`: the fields to change; `null` clears a standard.
    pub struct UpdatePosition {
        /// Unique code.
        code: set Code,
        /// Title.
        title: set Name,
        /// Category of the people who hold it.
        category: set Category,
        /// Minimum education level.
        min_education: clearable EducationLevel,
        /// Minimum political theory level.
        min_political_theory: clearable PoliticalTheoryLevel,
        /// Minimum state management level.
        min_state_management: clearable StateManagementLevel,
        /// A leading or managing post (lãnh đạo, quản lý).
        leadership: set bool,
    }
}

update_handler! {
    /// Changes a position (admins only). With `If-Match`, only if it is still at that version.
    fn update_position("/positions/{id}") for Admin, body UpdatePosition => Position;
    tag "positions", id "The position's id.", changed "The changed position.";
    write change_position;
}

/// The change itself: what the handler runs in its transaction, and what an import runs for a
/// row that changes a stored record.
pub(crate) fn change_position(
    conn: &mut crate::db::DbConn,
    audit: &mut crate::db::Audit,
    _scope: &Scope,
    id: i64,
    if_match: IfMatch,
    body: UpdatePosition,
) -> Result<Position, ApiError> {
    let title = body.title.map(Name::into_inner);
    let changes = PositionChanges {
        code: body.code.map(Code::into_inner),
        search_title: title.as_deref().map(fold),
        title,
        category: body.category,
        leadership: body.leadership,
        ..PositionChanges::standards(body.min_education, body.min_political_theory, body.min_state_management)
    };
    let current = Position::lock(conn, id)?;
    let changed = Position::update(conn, &current, &changes, if_match.expected(current.version))?;
    audit.updated(AuditEntity::Position, id, &current, &changed)?;
    Ok(changed)
}
