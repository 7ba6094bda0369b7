use super::check_conferral;
use crate::api::prelude::*;
use crate::domain::{CourseKind, Dimension, Track};
use crate::model::course::{Course, CourseInput, NewCourse};

/// The body of `POST /courses`.
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateCourse {
    /// Unique code, e.g. "TC-LLCT".
    #[schema(required = true, nullable = false)]
    pub code: Option<Code>,
    /// Title, e.g. "Trung cấp lý luận chính trị - hành chính".
    #[schema(required = true, nullable = false)]
    pub title: Option<Name>,
    /// What it teaches.
    #[schema(required = true, nullable = false)]
    pub kind: Option<CourseKind>,
    /// `training` or `refresher`; by default political theory and degree courses are training, the rest refresher.
    pub track: Option<Track>,
    /// The dimension in which completing it confers a level; give `confers_level` with it.
    pub confers_dimension: Option<Dimension>,
    /// The level it confers: one of that dimension's levels (see `GET /enums`).
    #[validate(length(min = 1, max = 64))]
    #[schema(value_type = Option<crate::domain::Level>, example = "intermediate")]
    pub confers_level: Option<String>,
    /// Field of study recorded on the qualifications it confers.
    #[validate(length(max = 255))]
    #[schema(max_length = 255)]
    pub field: Option<String>,
    /// Who teaches it.
    #[validate(length(max = 255))]
    #[schema(example = "Trường Chính trị tỉnh Vĩnh Phúc", max_length = 255)]
    pub provider: Option<String>,
}

impl FromBody for NewCourse {
    type Body = CreateCourse;
}

impl TryFrom<CreateCourse> for NewCourse {
    type Error = FieldErrors;

    fn try_from(body: CreateCourse) -> Result<Self, FieldErrors> {
        let mut checks = Checks::default();
        let code = checks.required(body.code, "code");
        let title = checks.required(body.title, "title");
        let kind = checks.required(body.kind, "kind");
        check_conferral(&mut checks, body.confers_dimension, body.confers_level.as_deref());
        checks.into_value(|| {
            Some(NewCourse::new(CourseInput {
                code: code?.into_inner(),
                title: title?.into_inner(),
                kind: kind?,
                track: body.track,
                confers_dimension: body.confers_dimension,
                confers_level: body.confers_level,
                field: body.field,
                provider: body.provider,
            }))
        })
    }
}

/// Creates a course (admins only: courses are a shared catalogue).
#[utoipa::path(
    tag = "courses",
    request_body = CreateCourse,
    responses(
        Created<Course>,
        CreateErrors
    )
)]
#[post("/courses")]
pub async fn create_course(
    Admin(caller): Admin,
    db: web::Data<Db>,
    Valid(new): Valid<NewCourse>,
) -> Result<HttpResponse, ApiError> {
    let course = db
        .write_as(&caller, move |conn, audit, _| {
            let created = Course::create(conn, &new)?;
            audit.created(AuditEntity::Course, created.id, &created)?;
            Ok(created)
        })
        .await?;
    Ok(created(&course))
}
