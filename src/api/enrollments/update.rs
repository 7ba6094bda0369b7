use super::locked_enrollment;
use crate::api::prelude::*;
use crate::domain::{EnrollmentResult, EnrollmentStatus, Funding, StudyMode, TrainingLocation};
use crate::model::enrollment::{Conferral, Enrollment, EnrollmentUpdate, EnrollmentView, TrainingTerms};
use crate::model::qualification::Qualification;

patch_body! {
    /// The body of `PATCH /enrollments/{id}`.
    pub struct UpdateEnrollment {
        /// The new status: nominated → enrolled → completed | failed; withdrawn from nominated
        /// or enrolled; completed or failed back to enrolled as a correction. Anything else is a 409.
        status: set EnrollmentStatus,
        /// Grade, for a completed or failed enrollment.
        result: clearable EnrollmentResult,
        /// Score on the 0–10 scale.
        #[validate(range(min = 0.0, max = 10.0))]
        #[schema(minimum = 0, maximum = 10)]
        score: clearable f64,
        /// Certificate or diploma number.
        #[validate(length(max = 64))]
        #[schema(max_length = 64)]
        certificate_no: clearable String,
        /// Day of completion (default: the class's last day); becomes the qualification's award date.
        completed_on: clearable Day,
        /// Where they trained.
        location: set TrainingLocation,
        /// How they studied.
        study_mode: set StudyMode,
        /// Who paid.
        funding: set Funding,
        /// What their training cost, in đồng.
        #[validate(range(min = 0, max = 1_000_000_000_000_i64))]
        #[schema(minimum = 0, maximum = 1_000_000_000_000_i64)]
        cost_vnd: set i64,
    }
}

update_handler! {
    /// Changes an enrollment. Completing one whose course confers a level creates that
    /// qualification and raises the official's level in the same transaction; leaving
    /// `completed` removes the qualification again.
    fn update_enrollment("/enrollments/{id}") for Writer, body UpdateEnrollment => EnrollmentView;
    tag "enrollments", id "The enrollment's id.", changed "The changed enrollment.";
    write change_enrollment;
}

/// The change itself: what the handler runs in its transaction, and what an import runs for a
/// row that changes a stored record.
pub(crate) fn change_enrollment(
    conn: &mut crate::db::DbConn,
    audit: &mut crate::db::Audit,
    scope: &Scope,
    id: i64,
    if_match: IfMatch,
    body: UpdateEnrollment,
) -> Result<EnrollmentView, ApiError> {
    let update = EnrollmentUpdate {
        status: body.status,
        result: body.result,
        score: body.score,
        certificate_no: body.certificate_no,
        completed_on: body.completed_on,
        terms: TrainingTerms {
            location: body.location,
            study_mode: body.study_mode,
            funding: body.funding,
            cost_vnd: body.cost_vnd,
        },
    };
    let current = locked_enrollment(conn, scope, id)?;
    let (changed, conferral) = Enrollment::update(conn, &current, update, if_match.expected(current.version))?;
    audit.updated(AuditEntity::Enrollment, id, &current, &changed)?;
    match conferral {
        Conferral::Unchanged => {}
        Conferral::Conferred(record) => audit.record::<(), _>(
            AuditAction::Confer,
            AuditEntity::Qualification,
            Some(record.id),
            None,
            Some(&record),
        )?,
        Conferral::Revoked(record) => audit.record::<_, ()>(
            AuditAction::Revoke,
            AuditEntity::Qualification,
            Some(record.id),
            Some(&record),
            None,
        )?,
        Conferral::Restated(before) => {
            let after = Qualification::find(conn, before.official_id, before.id)?;
            audit.updated(AuditEntity::Qualification, before.id, &before, &after)?
        }
    }
    Enrollment::view(conn, id)
}
