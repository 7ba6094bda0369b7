use super::{locked_official, resolve_post};
use crate::api::personal::answer_write;
use crate::api::prelude::*;
use crate::domain::{fold, given_name_key, Category, Ethnicity, Gender, GeneralEducation, NationalId, Religion};
use crate::model::official::{Official, OfficialChanges};

patch_body! {
    /// The body of `PATCH /officials/{id}`. A new `unit_id`, `position_id` or `category`
    /// corrects the current assignment in place; to record a move, use `transfer`.
    pub struct UpdateOfficial {
        /// Staff number.
        code: set Code,
        /// Full name.
        full_name: set Name,
        /// Gender.
        gender: set Gender,
        /// Date of birth.
        date_of_birth: clearable Day,
        /// Current unit (a correction of the open assignment).
        unit_id: set i64,
        /// Current position (a correction of the open assignment).
        position_id: clearable i64,
        /// Category.
        category: set Category,
        /// When they joined the Party.
        party_joined_on: clearable Day,
        /// Personal identification number: 12 digits, unique.
        national_id: clearable NationalId,
        /// Ethnic group, by its code (`GET /enums`: `ethnicity`).
        ethnicity: clearable Ethnicity,
        /// Religion, by its code (`GET /enums`: `religion`), `00` for none; `null` when unknown.
        religion: clearable Religion,
        /// General education (`12/12`, `9/12`, `10/10`); `null` when unknown.
        general_education: clearable GeneralEducation,
    }
}

update_handler! {
    /// Changes an official's own fields. With `If-Match`, only if still at that version.
    fn update_official("/officials/{id}") for Writer, body UpdateOfficial => Official;
    tag "officials", id "The official's id.", changed "The changed official.";
    write |conn, audit, scope, id, if_match, body| {
        let official = change_official(conn, audit, scope, id, if_match, body)?;
        answer_write(conn, audit, "PATCH /api/v1/officials/{id}", &official)
    };
}

/// The change itself: what the handler runs in its transaction, and what an import runs for a
/// row that changes a stored record.
pub(crate) fn change_official(
    conn: &mut crate::db::DbConn,
    audit: &mut crate::db::Audit,
    scope: &Scope,
    id: i64,
    if_match: IfMatch,
    body: UpdateOfficial,
) -> Result<Official, ApiError> {
    let current = locked_official(conn, scope, id)?;
    let mut checks = Checks::default();
    // A correction of the current post: the unit must exist today.
    resolve_post(
        conn,
        &mut checks,
        body.unit_id,
        body.position_id.flatten(),
        Some(current.category),
        crate::clock::today(),
    )?;
    if let Some(Some(born)) = body.date_of_birth {
        checks.check(
            crate::clock::is_ahead(born),
            "date_of_birth",
            "must not be in the future",
        );
    }
    checks.finish()?;
    if let Some(unit) = body.unit_id {
        scope.check_unit(conn, unit)?;
    }
    let full_name = body.full_name.map(Name::into_inner);
    let changes = OfficialChanges {
        code: body.code.map(Code::into_inner),
        search_name: full_name.as_deref().map(fold),
        given_name_key: full_name.as_deref().map(given_name_key),
        full_name,
        gender: body.gender,
        date_of_birth: body.date_of_birth,
        unit_id: body.unit_id,
        position_id: body.position_id,
        category: body.category,
        party_joined_on: body.party_joined_on,
        national_id: body.national_id.map(|id| id.map(NationalId::into_inner)),
        ethnicity: body.ethnicity,
        religion: body.religion,
        general_education: body
            .general_education
            .map(|grade| grade.map(GeneralEducation::into_inner)),
        ..Default::default()
    };
    let official = Official::update(conn, &current, &changes, if_match.expected(current.version))?;
    audit.updated(AuditEntity::Official, id, &current, &official)?;
    Ok(official)
}
