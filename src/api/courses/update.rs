use super::check_conferral;
use crate::api::prelude::*;
use crate::domain::{fold, CourseKind, Dimension, Track};
use crate::model::course::{Course, CourseChanges};

/// The body of `PATCH /courses/{id}`: the fields to change; `null` clears a nullable one.
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UpdateCourse {
    /// Unique code.
    #[serde(default, deserialize_with = "present")]
    #[schema(nullable = false)]
    pub code: Option<Code>,
    /// Title.
    #[serde(default, deserialize_with = "present")]
    #[schema(nullable = false)]
    pub title: Option<Name>,
    /// What it teaches.
    #[serde(default, deserialize_with = "present")]
    #[schema(nullable = false)]
    pub kind: Option<CourseKind>,
    /// `training` or `refresher`.
    #[serde(default, deserialize_with = "present")]
    #[schema(nullable = false)]
    pub track: Option<Track>,
    /// The dimension it confers a level in; `null` (with `confers_level`) for none.
    #[serde(default, deserialize_with = "double_option")]
    #[schema(value_type = Option<Dimension>)]
    pub confers_dimension: Option<Option<Dimension>>,
    /// The level it confers.
    #[serde(default, deserialize_with = "double_option")]
    #[validate(length(min = 1, max = 64))]
    #[schema(value_type = Option<String>, min_length = 1, max_length = 64)]
    pub confers_level: Option<Option<String>>,
    /// Field of study.
    #[serde(default, deserialize_with = "double_option")]
    #[validate(length(max = 255))]
    #[schema(value_type = Option<String>, max_length = 255)]
    pub field: Option<Option<String>>,
    /// Who teaches it.
    #[serde(default, deserialize_with = "double_option")]
    #[validate(length(max = 255))]
    #[schema(value_type = Option<String>, max_length = 255)]
    pub provider: Option<Option<String>>,
}

/// Changes a course (admins only). What it confers cannot change once it has conferred qualifications (409).
#[utoipa::path(
    tag = "courses",
    params(
        ("id" = i64, Path, description = "The course's id."),
        IfMatch
    ),
    request_body = UpdateCourse,
    responses(
        (status = 200, description = "The changed course.", body = Course),
        UpdateErrors
    )
)]
#[patch("/courses/{id}")]
pub async fn update_course(
    Admin(caller): Admin,
    db: web::Data<Db>,
    id: web::Path<i64>,
    if_match: IfMatch,
    ValidJson(body): ValidJson<UpdateCourse>,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    let course = db
        .write_as(&caller, move |conn, audit, _| {
            let current = Course::lock(conn, id)?;
            let dimension = body.confers_dimension.unwrap_or(current.confers_dimension);
            let level = body.confers_level.clone().unwrap_or(current.confers_level.clone());
            let mut checks = Checks::default();
            check_conferral(&mut checks, dimension, level.as_deref());
            checks.finish()?;
            if (dimension, &level) != (current.confers_dimension, &current.confers_level)
                && Course::has_conferred(conn, id)?
            {
                return Err(ApiError::Conflict(
                    ConflictKind::PartOfHistory,
                    format!("course {id} has already conferred qualifications: what it confers cannot change"),
                ));
            }
            let title = body.title.map(Name::into_inner);
            let changes = CourseChanges {
                code: body.code.map(Code::into_inner),
                search_title: title.as_deref().map(fold),
                title,
                kind: body.kind,
                track: body.track,
                confers_dimension: body.confers_dimension,
                confers_level: body.confers_level,
                field: body.field,
                provider: body.provider,
            };
            let changed = Course::update(conn, &current, &changes, if_match.expected(current.version))?;
            audit.updated("course", id, &current, &changed)?;
            Ok(changed)
        })
        .await?;
    Ok(with_etag(&course))
}
