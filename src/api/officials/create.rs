use chrono::NaiveDate;

use super::check_post;
use crate::api::personal::answer_write;
use crate::api::prelude::*;
use crate::domain::{Category, Ethnicity, Gender, GeneralEducation, NationalId, Religion};
use crate::model::official::{NewOfficial, Official, OfficialInput};
use crate::model::position::Position;
use crate::model::unit::Unit;

/// The body of `POST /officials`. Current levels are not written here: they follow
/// from the qualification records.
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateOfficial {
    /// Staff number, unique, e.g. "PT-001".
    #[schema(required = true, nullable = false)]
    pub code: Option<Code>,
    /// Full name, e.g. "Lê Minh Công".
    #[schema(required = true, nullable = false)]
    pub full_name: Option<Name>,
    /// Gender.
    #[schema(required = true, nullable = false)]
    pub gender: Option<Gender>,
    /// Date of birth.
    #[serde(default, deserialize_with = "day")]
    #[schema(value_type = Option<Day>)]
    pub date_of_birth: Option<NaiveDate>,
    /// The unit they work in.
    #[schema(required = true, nullable = false)]
    pub unit_id: Option<i64>,
    /// The position they hold.
    pub position_id: Option<i64>,
    /// Category; defaults to the position's. Required when no position is given.
    pub category: Option<Category>,
    /// When they joined the Party.
    #[serde(default, deserialize_with = "day")]
    #[schema(value_type = Option<Day>)]
    pub party_joined_on: Option<NaiveDate>,
    /// First day of their first assignment (default: today).
    #[serde(default, deserialize_with = "day")]
    #[schema(value_type = Option<Day>)]
    pub started_on: Option<NaiveDate>,
    /// Personal identification number: 12 digits, unique.
    pub national_id: Option<NationalId>,
    /// Ethnic group, by its code (`GET /enums`: `ethnicity`), e.g. `01` (Kinh).
    pub ethnicity: Option<Ethnicity>,
    /// Religion, by its code (`GET /enums`: `religion`), `00` for none; leave out when unknown.
    pub religion: Option<Religion>,
    /// General education: the last grade completed over the system's grades (`12/12`, `9/12`, `10/10`).
    pub general_education: Option<GeneralEducation>,
}

/// An official to register, as the body gives them: the category may still follow from the
/// position, and the first day defaults to today.
#[derive(Debug)]
pub struct OfficialDraft {
    code: Code,
    full_name: Name,
    gender: Gender,
    date_of_birth: Option<NaiveDate>,
    unit_id: i64,
    position_id: Option<i64>,
    category: Option<Category>,
    party_joined_on: Option<NaiveDate>,
    started_on: Option<NaiveDate>,
    national_id: Option<NationalId>,
    ethnicity: Option<Ethnicity>,
    religion: Option<Religion>,
    general_education: Option<GeneralEducation>,
}

impl FromBody for OfficialDraft {
    type Body = CreateOfficial;
}

impl TryFrom<CreateOfficial> for OfficialDraft {
    type Error = FieldErrors;

    fn try_from(body: CreateOfficial) -> Result<Self, FieldErrors> {
        let mut checks = Checks::default();
        let code = checks.required(body.code, "code");
        let full_name = checks.required(body.full_name, "full_name");
        let gender = checks.required(body.gender, "gender");
        let unit_id = checks.required(body.unit_id, "unit_id");
        checks.into_value(|| {
            Some(OfficialDraft {
                code: code?,
                full_name: full_name?,
                gender: gender?,
                date_of_birth: body.date_of_birth,
                unit_id: unit_id?,
                position_id: body.position_id,
                category: body.category,
                party_joined_on: body.party_joined_on,
                started_on: body.started_on,
                national_id: body.national_id,
                ethnicity: body.ethnicity,
                religion: body.religion,
                general_education: body.general_education,
            })
        })
    }
}

/// Registers an official and opens their first assignment (for an `hr` user, in a unit of their subtree).
#[utoipa::path(
    tag = "officials",
    request_body = CreateOfficial,
    responses(
        Created<Official>,
        CreateErrors
    )
)]
#[post("/officials")]
pub async fn create_official(
    Writer(caller): Writer,
    db: web::Data<Db>,
    Valid(draft): Valid<OfficialDraft>,
) -> Result<HttpResponse, ApiError> {
    let official = db
        .write_as(&caller, move |conn, audit, scope| {
            let official = register(conn, audit, scope, draft)?;
            answer_write(conn, audit, "POST /api/v1/officials", &official)
        })
        .await?;
    Ok(created(&official))
}

/// The creation itself: what the handler runs in its transaction.
pub(crate) fn register(
    conn: &mut crate::db::DbConn,
    audit: &mut crate::db::Audit,
    scope: &Scope,
    draft: OfficialDraft,
) -> Result<Official, ApiError> {
    let unit = Unit::find_referenced(conn, draft.unit_id, "unit_id");
    let position = draft
        .position_id
        .map(|id| Position::find_referenced(conn, id, "position_id"));
    let (new, started_on) = admit(scope, draft, unit, position)?;
    let official = Official::create(conn, &new, started_on)?;
    audit.created(AuditEntity::Official, official.id, &official)?;
    Ok(official)
}

/// The rules of a registration, on the unit and the position the draft names (read by
/// [`register`], or from what an import loaded once): the official to insert, and the first
/// day of their first assignment.
pub(crate) fn admit(
    scope: &Scope,
    draft: OfficialDraft,
    unit: Result<Unit, ApiError>,
    position: Option<Result<Position, ApiError>>,
) -> Result<(NewOfficial, NaiveDate), ApiError> {
    let mut checks = Checks::default();
    let today = crate::clock::today();
    let started_on = draft.started_on.unwrap_or(today);
    let (unit, category) = check_post(&mut checks, Some(unit), position, draft.category, started_on)?;
    checks.check(
        category.is_none(),
        "category",
        "is required when no position_id is given",
    );
    checks.check(
        crate::clock::is_ahead(started_on),
        "started_on",
        "must not be in the future",
    );
    if let Some(born) = draft.date_of_birth {
        checks.check(
            crate::clock::is_ahead(born),
            "date_of_birth",
            "must not be in the future",
        );
        checks.check(started_on < born, "started_on", "must not be before date_of_birth");
    }
    let category = checks.into_value(|| category).map_err(ApiError::Validation)?;
    if let Some(unit) = &unit {
        scope.check(unit)?;
    }
    let new = NewOfficial::new(OfficialInput {
        code: draft.code.into_inner(),
        full_name: draft.full_name.into_inner(),
        gender: draft.gender,
        date_of_birth: draft.date_of_birth,
        unit_id: draft.unit_id,
        position_id: draft.position_id,
        category,
        party_joined_on: draft.party_joined_on,
        national_id: draft.national_id.map(NationalId::into_inner),
        ethnicity: draft.ethnicity,
        religion: draft.religion,
        general_education: draft.general_education.map(GeneralEducation::into_inner),
    });
    Ok((new, started_on))
}
