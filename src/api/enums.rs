//! `GET /enums`: every enumeration with its codes and Vietnamese labels.

use std::collections::BTreeMap;

use crate::api::prelude::*;
use crate::domain::*;

/// Every enumeration of the API by name, its values in order (levels lowest first).
#[derive(Debug, serde::Serialize, ToSchema)]
pub struct Enums {
    /// Enumeration name → its values.
    pub enums: BTreeMap<&'static str, Vec<EnumValue>>,
}

/// The enumerations: unit kinds, categories, statuses, dimensions and their levels, roles,
/// what the audit log records, and the statistics office's lists of ethnic groups and religions.
#[utoipa::path(
    tag = "enums",
    responses((status = 200, description = "Every enumeration.", body = Enums), Unauthorized)
)]
#[get("/enums")]
pub async fn list_enums(caller: Caller, db: web::Data<Db>) -> Result<HttpResponse, ApiError> {
    db.run_as(&caller, |_, _| Ok(())).await?;
    let mut enums = BTreeMap::new();
    enums.insert("unit_kind", UnitKind::values());
    enums.insert("category", Category::values());
    enums.insert("gender", Gender::values());
    enums.insert("ethnicity", Ethnicity::values());
    enums.insert("religion", Religion::values());
    enums.insert("official_status", OfficialStatus::values());
    enums.insert("rank", CivilServiceRank::values());
    enums.insert("end_reason", EndReason::values());
    enums.insert("role", Role::values());
    enums.insert("qualification_source", QualificationSource::values());
    enums.insert("dimension", Dimension::values());
    enums.insert("course_kind", CourseKind::values());
    enums.insert("track", Track::values());
    enums.insert("class_status", ClassStatus::values());
    enums.insert("training_location", TrainingLocation::values());
    enums.insert("study_mode", StudyMode::values());
    enums.insert("funding", Funding::values());
    enums.insert("enrollment_status", EnrollmentStatus::values());
    enums.insert("enrollment_result", EnrollmentResult::values());
    enums.insert("plan_status", PlanStatus::values());
    enums.insert("need_reason", NeedReason::values());
    enums.insert("fulfilment", Fulfilment::values());
    enums.insert("audit_action", AuditAction::values());
    enums.insert("audit_entity", AuditEntity::values());
    for dimension in Dimension::ALL {
        enums.insert(dimension.code(), dimension.levels());
    }
    Ok(HttpResponse::Ok().json(Enums { enums }))
}
